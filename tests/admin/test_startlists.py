"""The race's start list import (upload, preview, confirm) and results download in the admin, as officials use them."""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from results.admin.startlists import MESSAGE_IMPORTED
from results.files.exports import race_results_csv
from results.files.skater_matching import MATCH_NEW
from results.files.startlist_preview import ERROR_HAS_RESULTS
from results.files.startlists import ERROR_BIB_TWICE, ERROR_NATION, ERROR_NOT_TEXT
from results.models import Skater, Snapshot, Start
from results.roles import REFEREE, TIMING_OFFICIAL
from results.topics import race_topic
from tests.support.admin_pages import page_text
from tests.support.factories import enter_heat, make_race, make_user

pytestmark = pytest.mark.django_db

DRAW = "heat,lane,bib,name,nation\n1,I,11,Anna ALPHA,NED\n1,O,12,Bea BRAVO,USA\n2,I,21,Cleo CHARLIE,JPN\n"


def upload_url(race):
    return reverse("admin:results_race_import_start_list", args=[race.pk])


def confirm_url(race):
    return reverse("admin:results_race_confirm_start_list", args=[race.pk])


def export_url(race):
    return reverse("admin:results_race_export_results", args=[race.pk])


def upload(client, race, text, name="draw.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(upload_url(race), {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def hidden_text(response):
    """The file's text as the preview carries it to the confirm step."""
    match = re.search(r'<input type="hidden" name="text" value="([^"]*)"', response.content.decode())
    assert match, "no Confirm import form"
    return unescape(match.group(1))


@pytest.fixture
def race():
    return make_race(draw=())


@pytest.fixture
def timing(client):
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    return client


def test_upload_preview_confirm_imports_the_draw_and_lands_on_the_entry_screen(timing, race):
    before = Snapshot.objects.get(topic=race_topic(race.pk)).version
    form = timing.get(upload_url(race))
    assert form.status_code == 200
    assert 'type="file"' in page_text(form)

    preview = upload(timing, race, DRAW)

    assert preview.status_code == 200
    html = page_text(preview)
    assert "draw.csv" in html and "3 skaters in 2 pairs" in html
    assert "3 added, 0 changed, 0 removed, 0 unchanged (3 new skaters)" in html
    assert html.count(f'<td class="is-new">{MATCH_NEW}</td>') == 3
    assert "Confirm import" in html
    assert not Start.objects.filter(heat__race=race).exists()  # nothing saved by looking

    done = timing.post(confirm_url(race), {"text": hidden_text(preview), "filename": "draw.csv"})

    assert done.status_code == 302
    assert done["Location"] == reverse("admin:results_race_enter_results", args=[race.pk])
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        MESSAGE_IMPORTED.format(summary="3 added, 0 changed, 0 removed, 0 unchanged (3 new skaters)")
    ]
    assert sorted(Start.objects.filter(heat__race=race).values_list("bib", flat=True)) == [11, 12, 21]
    assert Snapshot.objects.get(topic=race_topic(race.pk)).version == before + 1
    assert "Start list imported: 3 added" in page_text(timing.get(done["Location"]))


def test_the_preview_marks_every_bad_line_and_offers_no_confirm(timing, race):
    text = DRAW + "2,O,11,Dana DELTA,NL\n"

    preview = upload(timing, race, text)

    html = page_text(preview)
    assert f"Line 5: {ERROR_BIB_TWICE.format(bib=11, other=2)}" in html
    assert f"Line 5: {ERROR_NATION.format(value='NL')}" in html
    assert re.search(r'<tr id="line-5" class="has-errors">', html)
    assert 'id="line-2" class="has-errors"' not in html
    assert "Confirm import" not in html
    assert "Nothing has been imported" in html
    assert "4 lines read, 1 to correct" in html
    assert "<title>Error: " in html


def test_a_file_that_is_not_text_is_refused_on_the_upload_form(timing, race):
    response = upload(timing, race, "heat,lane,bib,name,nation\n1,I,11,Øyvind,NOR\n".encode("latin-1"))

    assert response.status_code == 200
    assert ERROR_NOT_TEXT in page_text(response)
    assert not Start.objects.filter(heat__race=race).exists()


def test_confirm_checks_again_and_imports_nothing_once_results_came_in_meanwhile(timing):
    race = make_race()
    preview = upload(timing, race, DRAW)
    text = hidden_text(preview)
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    race.refresh_from_db()
    skaters = Skater.objects.count()

    response = timing.post(confirm_url(race), {"text": text, "filename": "draw.csv"})

    assert response.status_code == 200
    assert ERROR_HAS_RESULTS.format(race=race, status="live") in page_text(response)
    assert "Confirm import" not in page_text(response)
    assert Skater.objects.count() == skaters
    assert Start.objects.filter(heat__race=race).count() == 6


def test_once_results_are_in_the_upload_page_says_why_there_is_nothing_to_upload(timing):
    race = make_race()
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    race.refresh_from_db()

    response = timing.get(upload_url(race))

    assert ERROR_HAS_RESULTS.format(race=race, status="live") in page_text(response)
    assert 'type="file"' not in page_text(response)


def test_staff_without_the_right_to_keep_the_draw_get_403(client, race):
    client.force_login(make_user("visitor"))

    assert client.get(upload_url(race)).status_code == 403
    assert upload(client, race, DRAW).status_code == 403
    assert client.post(confirm_url(race), {"text": DRAW}).status_code == 403
    assert not Start.objects.filter(heat__race=race).exists()


def test_referees_and_superusers_may_import(client, admin_client, race):
    client.force_login(make_user("rafa", REFEREE))
    assert upload(client, race, DRAW).status_code == 200
    assert upload(admin_client, race, DRAW).status_code == 200


def test_the_race_page_and_entry_screen_link_to_import_and_export(timing):
    race = make_race()
    for url in (
        reverse("admin:results_race_change", args=[race.pk]),
        reverse("admin:results_race_enter_results", args=[race.pk]),
    ):
        html = page_text(timing.get(url))
        assert f'href="{upload_url(race)}">Import start list</a>' in html
        assert f'href="{export_url(race)}">Export results (CSV)</a>' in html

    enter_heat(race, 1, {11: "38.50", 12: "38.12"})

    entry = page_text(timing.get(reverse("admin:results_race_enter_results", args=[race.pk])))
    assert "Import start list" not in entry  # only before the first result
    assert "Export results (CSV)" in entry


def test_the_results_download_is_the_csv_export_named_after_the_race(timing):
    race = make_race()
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})

    response = timing.get(export_url(race))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="test-world-cup-women-500m-division-a.csv"'
    assert response.content.decode() == race_results_csv(race)
    assert response.content.decode().splitlines()[1] == "1,12,Bea BRAVO,USA,1,O,38.120,OK,,,60"


def test_the_download_needs_the_right_to_view_races(client, race):
    client.force_login(make_user("visitor"))
    assert client.get(export_url(race)).status_code == 403


# --- hardening: nothing a clumsy official or a stranger sends costs the server, and every refusal says why ---------


def test_a_line_with_a_nul_character_is_named_in_the_preview_and_nothing_can_be_confirmed(timing, race):
    response = upload(timing, race, DRAW + "2,O,22,Dana\x00DELTA,CAN\n")
    assert response.status_code == 200
    assert "Line 5: the line has a character that is never printed (U+0000)" in page_text(response)
    assert 'name="text"' not in response.content.decode()  # no Confirm import form
    assert not Start.objects.exists()


def test_a_confirm_that_cannot_be_imported_says_why_on_the_upload_page(timing, race):
    response = timing.post(confirm_url(race), {"text": DRAW.replace("Bea", "Bea\x00")})
    assert response.status_code == 200
    assert "What came back to import is not what was checked" in page_text(response)
    response = timing.post(confirm_url(race), {"text": ""})
    assert response.status_code == 200 and "Upload the file again" in page_text(response)
    assert not Start.objects.exists()


def test_a_confirm_bigger_than_a_file_may_be_is_refused_before_it_is_read(timing, race):
    lines = "".join(f"{n // 2 + 1},{'IO'[n % 2]},{n + 1},Skater NUMBER{n},NED\n" for n in range(20_000))
    response = timing.post(confirm_url(race), {"text": "heat,lane,bib,name,nation\n" + lines})
    assert response.status_code == 200
    assert "a file may have 256 kB" in page_text(response)
    assert not Start.objects.exists()


def test_an_upload_too_big_is_refused_by_its_size_without_being_read(timing, race, monkeypatch):
    from django.core.files.uploadedfile import InMemoryUploadedFile
    from django.test.client import BOUNDARY, encode_multipart

    big = SimpleUploadedFile("draw.csv", (DRAW + "x" * 300 * 1024).encode(), content_type="text/csv")
    body = encode_multipart(BOUNDARY, {"file": big})

    def never(*args, **kwargs):
        raise AssertionError("a file too big was read")

    monkeypatch.setattr(InMemoryUploadedFile, "read", never)
    # Encoded here, so that the test client's own read of the file comes before the check.
    response = timing.post(upload_url(race), body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 200
    assert "The file is 300 kB; a start list is a few kB." in page_text(response)


def test_a_bib_longer_than_any_bib_is_named_in_the_preview_not_a_500_at_confirm(timing, race):
    response = upload(timing, race, DRAW + "2,O,99999999999999999999,Dana DELTA,CAN\n")
    assert response.status_code == 200
    assert "Line 5: bib must be a whole number from 1 to 99999" in page_text(response)
    assert not Start.objects.exists()
