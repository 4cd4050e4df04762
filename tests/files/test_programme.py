"""A competition's programme from CSV (results/files/programme.py, results/services/programme.py) and its import in
the admin: races created or rescheduled in programme order, each scheduled start at the venue's clock, and every bad
line named, with nothing imported."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from results.files.programme import ProgrammeInvalid, programme_read
from results.models import Race
from results.roles import TIMING_OFFICIAL
from tests.support.factories import enter_heat, make_competition, make_race, make_user
from tests.support.published import snapshot

HEADER = "day,start,title,gender,distance\n"
PROGRAMME = (
    HEADER + "2025-11-14,15:04,Women 500m Division A,women,500\n" + "14.11.2025,16.10,Men 1000m Division A,men,1000 m\n"
)


def test_each_line_is_a_race_in_programme_order():
    races = programme_read(PROGRAMME)
    assert [(race.line, race.title, race.gender, race.distance, str(race.day), str(race.start)) for race in races] == [
        (2, "Women 500m Division A", "women", 500, "2025-11-14", "15:04:00"),
        (3, "Men 1000m Division A", "men", 1000, "2025-11-14", "16:10:00"),
    ]


def test_semicolons_a_byte_order_mark_and_lone_carriage_returns_are_read():
    text = "\ufeff" + PROGRAMME.replace(",", ";").replace("\n", "\r")
    assert [race.title for race in programme_read(text)] == ["Women 500m Division A", "Men 1000m Division A"]


def test_every_bad_line_is_named_with_what_it_should_be():
    text = (
        HEADER
        + "2025-13-01,25:00,,girls,50\n"
        + "2025-11-14,15:00,Women 500m,women,500\n"
        + "2025-11-14,15:30,women  500M,women,500\n"
    )
    with pytest.raises(ProgrammeInvalid) as refused:
        programme_read(text)
    assert refused.value.messages == [
        "Line 2: day must be a date such as 2025-11-14 or 14.11.2025, not “2025-13-01”.",
        "Line 2: start must be a time of day such as 15:04, not “25:00”.",
        "Line 2: title is empty: give the race's name as the programme prints it, such as Women 1000m Division A.",
        "Line 2: gender must be women or men, not “girls”.",
        "Line 2: distance must be in metres from 100 to 10000, such as 500 or 1500, not “50”.",
        "Line 4: “women 500M” is already on line 3: one line per race.",
    ]


def test_a_file_without_the_columns_says_which_are_missing():
    with pytest.raises(ProgrammeInvalid) as refused:
        programme_read("day,title\n2025-11-14,Women 500m\n")
    assert refused.value.messages == ["Line 1: the header needs the columns start, gender, distance."]


@given(st.text(max_size=300))
def test_no_text_breaks_the_reader(text):
    try:
        races = programme_read(HEADER + text)
    except ProgrammeInvalid as refused:
        assert refused.messages and all(isinstance(message, str) for message in refused.messages)
    else:
        assert all(100 <= race.distance <= 10000 and race.title for race in races)


# --- the import, in the admin ----------------------------------------------------------------------------------


def upload(client, competition, text: str):
    url = reverse("admin:results_competition_import_programme", args=[competition.pk])
    return client.post(url, {"file": SimpleUploadedFile("programme.csv", text.encode(), content_type="text/csv")})


@pytest.mark.django_db
def test_the_programme_adds_races_and_schedules_the_ones_there_with_the_venues_clock(admin_client, settings):
    settings.TIME_ZONE = "America/Denver"  # Salt Lake City: 15:04 there is 22:04 UTC in November
    competition = make_competition()
    there = make_race(competition=competition, title="Men 1000m Division A", distance=1000, gender="men")
    page = admin_client.get(reverse("admin:results_competition_change", args=[competition.pk]))
    assert 'id="import-programme-link"' in page.content.decode()

    done = upload(admin_client, competition, PROGRAMME)
    assert done.status_code == 302
    assert (
        "Programme imported: 1 race added, 1 rescheduled, 0 unchanged." in admin_client.get(done.url).content.decode()
    )
    added = Race.objects.get(competition=competition, title="Women 500m Division A")
    assert (added.order, added.distance, added.gender) == (1, 500, "women")
    assert added.scheduled_start == datetime(2025, 11, 14, 22, 4, tzinfo=UTC)
    there.refresh_from_db()
    assert there.order == 2 and there.scheduled_start == datetime(2025, 11, 14, 23, 10, tzinfo=UTC)
    assert snapshot(there)["race"]["scheduled_start"] == "2025-11-14T23:10:00.000Z"

    again = upload(admin_client, competition, PROGRAMME)
    assert (
        "Programme imported: 0 races added, 0 rescheduled, 2 unchanged." in admin_client.get(again.url).content.decode()
    )


@pytest.mark.django_db
def test_a_line_that_does_not_fit_the_competition_imports_nothing(admin_client):
    competition = make_competition()
    race = make_race(competition=competition, title="Men 1000m Division A", distance=1500, gender="men")
    enter_heat(race, 1, {11: "1:46.00", 12: "1:47.00"})
    page = upload(admin_client, competition, PROGRAMME)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nothing has been imported" in text
    assert "“Men 1000m Division A” is a 1500 m for men in this competition; the file says 1000 m for men." in text
    assert list(Race.objects.filter(competition=competition).values_list("title", flat=True)) == [race.title]


@pytest.mark.django_db
def test_a_file_that_is_not_text_or_too_big_is_refused_by_the_form(admin_client):
    competition = make_competition()
    url = reverse("admin:results_competition_import_programme", args=[competition.pk])
    binary = admin_client.post(url, {"file": SimpleUploadedFile("p.csv", b"\xff\xfe\x00", content_type="text/csv")})
    assert "not UTF-8 text" in binary.content.decode()
    big = admin_client.post(url, {"file": SimpleUploadedFile("p.csv", b"x" * 70_000, content_type="text/csv")})
    assert "a programme is a few kB" in big.content.decode()
    assert not Race.objects.filter(competition=competition).exists()


@pytest.mark.django_db
def test_only_who_may_create_and_change_races_imports_a_programme(client):
    competition = make_competition()
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    url = reverse("admin:results_competition_import_programme", args=[competition.pk])
    assert client.get(url).status_code == 403
    assert upload(client, competition, PROGRAMME).status_code == 403
    assert not Race.objects.filter(competition=competition).exists()
