"""Notes about skaters for the commentators (results/services/skater_notes.py): timing officials and referees write
them, one per skater and competition; commentators and other accounts cannot; nothing is published."""

from __future__ import annotations

import pytest
from django.urls import reverse

from results.models import SkaterNote, Snapshot
from results.roles import COMMENTATOR, REFEREE, TIMING_OFFICIAL
from results.services import EditRefused
from results.services.skater_notes import (
    ERROR_EMPTY,
    ERROR_NOT_ALLOWED,
    skater_note_delete,
    skater_note_save,
    skater_note_write,
)
from results.topics import race_topic
from tests.support.factories import make_race, make_user, start_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def race():
    return make_race()


def anna(race):
    return start_of(race, 11).skater


@pytest.mark.parametrize("role", [TIMING_OFFICIAL, REFEREE])
def test_officials_write_change_and_delete_a_note(race, role):
    official = make_user("official", role)

    note = skater_note_write(competition=race.competition, skater=anna(race), text="  New coach.  ", by=official)
    again = skater_note_write(competition=race.competition, skater=anna(race), text="Second week back.", by=official)

    assert again.pk == note.pk and SkaterNote.objects.count() == 1  # one note per skater and competition
    assert (again.text, again.updated_by) == ("Second week back.", official)
    skater_note_delete(note=again, by=official)
    assert not SkaterNote.objects.exists()


@pytest.mark.parametrize("role", [COMMENTATOR, None])
def test_a_commentator_or_any_other_account_cannot_write_or_delete_a_note(race, role):
    someone = make_user("voice", role)

    with pytest.raises(EditRefused, match=ERROR_NOT_ALLOWED):
        skater_note_write(competition=race.competition, skater=anna(race), text="Loves Thialf.", by=someone)
    assert not SkaterNote.objects.exists()

    note = skater_note_write(competition=race.competition, skater=anna(race), text="Loves Thialf.", by=None)
    note.text = "Changed by a commentator."
    with pytest.raises(EditRefused, match=ERROR_NOT_ALLOWED):
        skater_note_save(note=note, by=someone)
    with pytest.raises(EditRefused, match=ERROR_NOT_ALLOWED):
        skater_note_delete(note=note, by=someone)
    assert SkaterNote.objects.get().text == "Loves Thialf."


def test_an_empty_note_is_refused(race):
    with pytest.raises(EditRefused, match=ERROR_EMPTY):
        skater_note_write(competition=race.competition, skater=anna(race), text="   ", by=None)


def test_a_note_publishes_nothing(race, django_capture_on_commit_callbacks):
    before = Snapshot.objects.filter(topic=race_topic(race.pk)).values_list("version", flat=True).first()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        skater_note_write(competition=race.competition, skater=anna(race), text="New coach.", by=None)

    assert callbacks == []
    assert Snapshot.objects.filter(topic=race_topic(race.pk)).values_list("version", flat=True).first() == before


# --- in the admin -------------------------------------------------------------------------------------------------


def test_an_official_adds_a_note_in_the_admin(client, race):
    client.force_login(make_user("official", TIMING_OFFICIAL))
    add = f"{reverse('admin:results_skaternote_add')}?competition={race.competition.pk}"

    form = client.get(add)
    assert form.status_code == 200
    response = client.post(
        reverse("admin:results_skaternote_add"),
        {"competition": race.competition.pk, "skater": anna(race).pk, "text": "Back from injury."},
    )

    assert response.status_code == 302
    note = SkaterNote.objects.get()
    assert (note.text, note.updated_by.username) == ("Back from injury.", "official")
    assert client.get(reverse("admin:results_skaternote_changelist")).status_code == 200
    assert client.get(reverse("admin:results_skaternote_change", args=[note.pk])).status_code == 200


def test_a_commentator_cannot_add_a_note_in_the_admin(client, race):
    client.force_login(make_user("voice", COMMENTATOR))

    response = client.post(
        reverse("admin:results_skaternote_add"),
        {"competition": race.competition.pk, "skater": anna(race).pk, "text": "Mine."},
    )

    assert response.status_code == 403
    assert not SkaterNote.objects.exists()


def test_the_competitions_page_links_its_notes_and_the_commentators_screen(client, race):
    client.force_login(make_user("official", TIMING_OFFICIAL))
    skater_note_write(competition=race.competition, skater=anna(race), text="New coach.", by=None)

    html = client.get(reverse("admin:results_competition_change", args=[race.competition.pk])).content.decode()

    assert f"{reverse('admin:results_skaternote_changelist')}?competition__id__exact={race.competition.pk}" in html
    assert "Notes about skaters (1)" in html
    assert f"{reverse('admin:results_skaternote_add')}?competition={race.competition.pk}" in html
    assert reverse("results:commentator", args=[race.competition.pk]) in html
