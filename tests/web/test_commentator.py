"""The commentator's screen (/competitions/<id>/commentator/) and its JSON (/api/competitions/<id>/commentary):
accredited commentators and superusers only; the race being skated unless ``?race=`` names one; each skater to come
with PB, SB, World Cup standing, national record, earlier results and the officials' note; notes never public."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from results import selectors
from results.models import Race, SkaterBest
from results.roles import COMMENTATOR, REFEREE, TIMING_OFFICIAL
from results.rules.seasons import season_of
from results.services.skater_notes import skater_note_write
from tests.support.factories import (
    enter_heat,
    make_competition,
    make_race,
    make_record,
    make_user,
    start_of,
)

pytestmark = pytest.mark.django_db

NOTE = "Back from a broken ankle: her first World Cup since March."


@pytest.fixture
def competition():
    """Two races: the 1000 m (first in the programme, pair 1 skated) and the 500 m (nothing skated)."""
    competition = make_competition()
    thousand = make_race(competition, title="Women 1000m Division A", distance=1000)
    make_race(competition, title="Women 500m Division A", distance=500)
    enter_heat(thousand, 1, {11: "1:14.20", 12: "1:15.01"})
    return competition


def races(competition) -> tuple[Race, Race]:
    thousand, five_hundred = selectors.competition_programme(competition)
    return thousand, five_hundred


def screen(competition, **query) -> str:
    url = reverse("results:commentator", args=[competition.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def api(competition, **query) -> str:
    url = reverse("results:api_commentary", args=[competition.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def commentator() -> User:
    return make_user("voice", COMMENTATOR)


# --- who may open it --------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_admin_login_and_back(client, competition):
    response = client.get(screen(competition))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={screen(competition)}"


@pytest.mark.parametrize("role", [TIMING_OFFICIAL, REFEREE, None])
def test_officials_without_the_commentator_role_get_a_clear_403(client, competition, role):
    client.force_login(make_user("someone", role))

    response = client.get(screen(competition))

    assert response.status_code == 403
    assert "accredited commentators" in response.content.decode()
    assert client.get(api(competition)).status_code == 403


def test_a_commentator_and_a_superuser_open_it(client, competition):
    client.force_login(commentator())
    response = client.get(screen(competition))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(User.objects.create_superuser("boss", password="not-a-real-password"))
    assert client.get(screen(competition)).status_code == 200


def test_an_unknown_competition_is_not_found(client, competition):
    client.force_login(commentator())

    assert client.get(reverse("results:commentator", args=[999999])).status_code == 404
    response = client.get(reverse("results:api_commentary", args=[999999]))
    assert response.status_code == 404
    assert response.json() == {"error": "No competition with id 999999."}


@pytest.mark.parametrize(("value", "status"), [("abc", 400), ("-1", 400), ("1" * 40, 400), ("999999", 404)])
def test_a_bad_race_is_a_clear_4xx(client, competition, value, status):
    client.force_login(commentator())

    page = client.get(screen(competition, race=value))
    answer = client.get(api(competition, race=value))

    assert page.status_code == status and answer.status_code == status
    assert "race" in answer.json()["error"]
    assert answer["Cache-Control"] == "private, no-store"


def test_a_race_of_another_competition_is_not_found_here(client, competition):
    other = make_race(make_competition("Another World Cup"))
    client.force_login(commentator())

    response = client.get(api(competition, race=other.pk))

    assert response.status_code == 404
    assert response.json()["error"] == f"Test World Cup has no race with id {other.pk}."


def test_anonymous_json_is_refused_not_redirected(client, competition):
    response = client.get(api(competition))

    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"


# --- which race ---------------------------------------------------------------------------------------------------


def test_the_race_being_skated_is_shown_by_default_and_the_keys_reach_the_others(client, competition):
    thousand, five_hundred = races(competition)
    client.force_login(commentator())

    response = client.get(screen(competition))

    assert response.context["race"] == thousand  # live: pair 1 is in
    assert response.context["next_race"] == five_hundred and response.context["previous_race"] is None
    html = response.content.decode()
    assert f'data-next-race="?race={five_hundred.pk}"' in html and 'data-previous-race=""' in html
    assert f'href="?race={five_hundred.pk}"' in html and 'aria-current="page"' in html
    assert client.get(screen(competition, race=five_hundred.pk)).context["race"] == five_hundred


def test_without_a_live_race_the_first_not_skated_to_the_end_else_the_last(competition):
    thousand, five_hundred = races(competition)
    Race.objects.filter(pk=thousand.pk).update(status=Race.State.OFFICIAL)
    assert selectors.race_on_now(races(competition)) == five_hundred
    Race.objects.filter(pk=five_hundred.pk).update(status=Race.State.UNOFFICIAL)
    assert selectors.race_on_now(races(competition)) == five_hundred
    Race.objects.filter(pk=five_hundred.pk).update(status=Race.State.START_LIST)
    Race.objects.filter(pk=thousand.pk).update(status=Race.State.LIVE)
    assert selectors.race_on_now(races(competition)) == thousand
    assert selectors.race_on_now([]) is None


def test_a_competition_without_races_says_so(client):
    empty = make_competition("Empty Cup")
    client.force_login(commentator())

    assert client.get(screen(empty)).status_code == 404
    assert client.get(api(empty)).json() == {"error": "Empty Cup has no races yet."}


# --- the commentary -----------------------------------------------------------------------------------------------


def test_the_commentary_has_every_skater_to_come_with_bests_records_earlier_results_and_notes(client, competition):
    thousand, five_hundred = races(competition)
    anna = start_of(five_hundred, 11).skater
    SkaterBest.objects.create(skater=anna, distance=500, kind="PB", time_ms=37_120)
    season = season_of(five_hundred.day)
    SkaterBest.objects.create(skater=anna, distance=500, kind="SB", time_ms=37_450, season=season)
    make_record("WR", "36.09", holder="Femke KOK", nation="NED")
    make_record("NR", "36.09", holder="Femke KOK", nation="NED")
    skater_note_write(competition=competition, skater=anna, text=NOTE, by=make_user("chief", TIMING_OFFICIAL))
    client.force_login(commentator())

    response = client.get(api(competition, race=five_hundred.pk))

    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    document = response.json()
    assert document["type"] == "commentary"
    assert document["race"]["id"] == five_hundred.pk
    assert document["records"] == [
        {"kind": "WR", "time": "36.09", "holder": "Femke KOK", "nation": "NED", "set_on": "2013-11-16"}
    ]
    assert [pair["heat"] for pair in document["pairs"]] == [1, 2, 3]
    first = document["pairs"][0]["skaters"][0]
    assert first == {
        "bib": 11,
        "skater": anna.pk,
        "name": "Anna ALPHA",
        "nation": "NED",
        "lane": "I",
        "pb": {"time": "37.12", "time_ms": 37_120},
        "sb": {"time": "37.45", "time_ms": 37_450},
        "nr": {"time": "36.09", "time_ms": 36_090},
        "wc_rank": None,
        "wc_points": None,
        "earlier": [
            {
                "race": {"id": thousand.pk, "title": "Women 1000m Division A", "distance": 1000},
                "rank": 1,
                "time": "1:14.20",
                "status": "OK",
                "infraction": None,
                "behind": "",
                "points": 60,
                "records": [],
            }
        ],
        "note": {"text": NOTE, "updated_at": first["note"]["updated_at"], "by": "chief"},
    }
    bea = document["pairs"][0]["skaters"][1]
    assert (bea["pb"], bea["sb"], bea["nr"], bea["note"]) == (None, None, None, None)  # USA: no NR on file
    assert [entry["time"] for entry in bea["earlier"]] == ["1:15.01"]


def test_skaters_who_have_skated_are_left_out(client, competition):
    thousand, _ = races(competition)
    client.force_login(commentator())

    document = client.get(api(competition, race=thousand.pk)).json()

    assert [pair["heat"] for pair in document["pairs"]] == [2, 3]
    assert all(
        entry["race"]["id"] != thousand.pk for p in document["pairs"] for s in p["skaters"] for entry in s["earlier"]
    )


def test_the_world_cup_standing_is_filled_from_the_mapping_it_is_given(competition):
    _, five_hundred = races(competition)
    anna = start_of(five_hundred, 11).skater_id

    document = selectors.commentary_document(five_hundred, world_cup={anna: {"rank": 3, "points": 412}})

    skaters = {s["skater"]: s for pair in document["pairs"] for s in pair["skaters"]}
    assert (skaters[anna]["wc_rank"], skaters[anna]["wc_points"]) == (3, 412)
    others = [s for pk, s in skaters.items() if pk != anna]
    assert all(s["wc_rank"] is None and s["wc_points"] is None for s in others)


def test_the_screen_carries_the_snapshot_and_the_commentary_it_draws_first(client, competition):
    _, five_hundred = races(competition)
    client.force_login(commentator())

    html = client.get(screen(competition, race=five_hundred.pk)).content.decode()

    assert 'id="cm-snapshot"' in html and 'id="cm-commentary"' in html
    assert f'data-socket-path="/ws/races/{five_hundred.pk}/"' in html
    assert f'data-commentary="{api(competition)}?race={five_hundred.pk}"' in html
    assert 'data-refetch-kinds="results,correction,start_list,edit"' in html


# --- notes are never public ---------------------------------------------------------------------------------------


def test_notes_are_on_no_public_page_and_in_no_public_feed(client, competition):
    thousand, five_hundred = races(competition)
    for race in (thousand, five_hundred):
        for bib in (11, 12, 21):
            skater_note_write(competition=competition, skater=start_of(race, bib).skater, text=NOTE, by=None)
    enter_heat(five_hundred, 1, {11: "38.12", 12: "38.50"})  # publishes again, with the notes written
    anna = start_of(five_hundred, 11).skater_id
    public = [
        "/",
        f"/competitions/{competition.pk}/",
        f"/competitions/{competition.pk}/my-skaters/",
        f"/api/competitions/{competition.pk}/",
        f"/api/competitions/{competition.pk}/skaters?ids={anna}",
        *(
            path
            for race in (thousand, five_hundred)
            for path in (
                f"/races/{race.pk}/",
                f"/races/{race.pk}/embed/",
                f"/races/{race.pk}/scoreboard/",
                f"/races/{race.pk}/overlays/on-ice/",
                f"/api/races/{race.pk}/standings",
                f"/api/races/{race.pk}/start-list",
            )
        ),
    ]
    for path in public:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "broken ankle" not in response.content.decode(), path
    for race in (thousand, five_hundred):
        snapshot = selectors.race_snapshot_current(race.pk)
        assert snapshot is not None and "broken ankle" not in snapshot.payload
        assert "note" not in json.dumps(json.loads(snapshot.payload)["next_heats"])


def test_the_demos_commentator_opens_the_screen_and_its_official_does_not(client, competition):
    from results.demo.setup import officials_with_new_passwords

    passwords = officials_with_new_passwords()

    for username, status in (("commentator", 200), ("official", 403)):
        user = User.objects.get(username=username)
        assert user.is_staff and user.check_password(passwords[username])
        client.force_login(user)
        assert client.get(screen(competition)).status_code == status
