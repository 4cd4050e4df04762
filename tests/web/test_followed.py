"""A spectator's skaters in a competition (GET /api/competitions/<id>/skaters?ids=...): every race they are in,
their pair, lane and expected start while it is to come, their result as the board shows it once skated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from results import services
from results.models import Skater, Withdrawal
from results.services.withdrawals import withdrawal_save
from tests.support.factories import PAIRS_500, enter_heat, make_competition, make_race, start_of
from tests.support.schema import assert_valid

pytestmark = pytest.mark.django_db

NOON = datetime(2025, 12, 7, 12, 0, tzinfo=UTC)


def followed(client, competition, ids: str):
    return client.get(f"/api/competitions/{competition.pk}/skaters", {"ids": ids})


def test_each_followed_skater_has_their_races_pairs_expected_starts_and_results(client):
    competition = make_competition()
    first = make_race(competition)
    second = make_race(
        competition,
        title="Women 1000m Division A",
        distance=1000,
        draw=[(4 - (heat or 0), lane, bib, name, nation) for heat, lane, bib, name, nation in PAIRS_500],
    )
    second.scheduled_start = NOON
    services.race_save(race=second, by=None)
    enter_heat(first, 1, {11: "38.12", 12: "38.50"})
    anna, eva = start_of(first, 11).skater_id, start_of(first, 31).skater_id

    response = followed(client, competition, f"{eva},{anna},999999")

    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert_valid(document)
    assert [skater["name"] for skater in document["skaters"]] == ["Eva ECHO", "Anna ALPHA"]  # as asked; unknown out
    anna_entries = document["skaters"][1]["entries"]
    assert [(e["race"]["id"], e["heat"], e["lane"], e["bib"]) for e in anna_entries] == [
        (first.pk, 1, "I", 11),
        (second.pk, 3, "I", 11),
    ]
    assert anna_entries[0]["result"] == {
        "rank": 1,
        "time": "38.12",
        "status": "OK",
        "infraction": None,
        "behind": "",
        "points": 60,
        "records": [],
        "medal": None,
    }
    assert anna_entries[0]["eta"] is None
    assert (anna_entries[1]["result"], anna_entries[1]["eta"]) == (None, "2025-12-07T12:05:00.000Z")


def test_a_skater_withdrawn_before_the_draw_is_listed_in_no_pair(client):
    race = make_race()
    olga = Skater.objects.create(name="Olga OMEGA", nation="NOR")
    withdrawal_save(withdrawal=Withdrawal(race=race, skater=olga, bib=99), by=None)

    [entry] = followed(client, race.competition, str(olga.pk)).json()["skaters"][0]["entries"]

    assert (entry["heat"], entry["lane"], entry["bib"], entry["result"]["status"]) == (None, None, 99, "WDR")


@pytest.mark.parametrize("ids", ["", "abc", "1,,x", "²", ",".join(str(n) for n in range(1, 52)), "1" * 40])
def test_a_list_that_is_not_skater_ids_is_refused_with_what_it_should_be(client, ids):
    race = make_race()
    response = followed(client, race.competition, ids)
    assert response.status_code == 400
    assert "ids must be skater ids separated by commas" in response.json()["error"]


def test_an_unknown_competition_is_not_found(client):
    assert followed(client, type("C", (), {"pk": 999999})(), "1").status_code == 404
