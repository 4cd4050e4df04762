"""A race's start list (GET /api/races/<id>/start-list): every pair still to skate with its expected start, while
the snapshot carries only the next three; cacheable by the race's version."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from results import services
from tests.support.factories import enter_heat, make_race, pairs_draw
from tests.support.published import version
from tests.support.schema import assert_valid

pytestmark = pytest.mark.django_db

NOON = datetime(2025, 12, 7, 12, 0, tzinfo=UTC)


def test_every_pair_still_to_skate_with_its_expected_start(client):
    race = make_race(draw=pairs_draw(5))
    race.scheduled_start = NOON
    services.race_save(race=race, by=None)
    enter_heat(race, 1, {10: "38.10", 11: "38.20"})

    response = client.get(f"/api/races/{race.pk}/start-list")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert_valid(document)
    assert document["type"] == "start_list" and document["version"] == version(race)
    assert [pair["heat"] for pair in document["pairs"]] == [2, 3, 4, 5]  # the board's next_heats has three
    assert [skater["name"] for skater in document["pairs"][3]["skaters"]] == ["Skater 5I", "Skater 5O"]
    assert all(pair["eta"] and pair["eta"].endswith("Z") for pair in document["pairs"])
    assert document["pairs"][0]["skaters"][0]["skater"] > 0


def test_unchanged_it_is_a_304_and_an_unknown_race_a_404(client):
    race = make_race()
    etag = client.get(f"/api/races/{race.pk}/start-list")["ETag"]
    assert client.get(f"/api/races/{race.pk}/start-list", headers={"if-none-match": etag}).status_code == 304
    enter_heat(race, 1, {11: "38.10", 12: "38.20"})
    assert client.get(f"/api/races/{race.pk}/start-list", headers={"if-none-match": etag}).status_code == 200
    missing = client.get("/api/races/999999/start-list")
    assert missing.status_code == 404 and missing.json() == {"error": "No race with id 999999."}
