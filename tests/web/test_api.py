"""The JSON feed: the same text the socket sends, clean 404s."""

import json

import pytest

from results.selectors import ERROR_RACE_NOT_FOUND, race_snapshot_current
from tests.support.factories import enter_heat, make_race, start_of

pytestmark = pytest.mark.django_db


def test_standings_json_is_the_published_snapshot(client):
    race = make_race()
    enter_heat(race, 1, {11: "1:12.315", 12: "DNF"})
    response = client.get(f"/api/races/{race.pk}/standings")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content.decode() == race_snapshot_current(race.pk).payload
    document = json.loads(response.content)
    assert document["race"]["id"] == race.pk and document["race"]["distance"] == 500
    assert document["updated_at"].endswith("Z") and len(document["updated_at"]) == len("2025-11-16T21:04:05.123Z")
    assert document["standings"][0] == {
        "rank": 1,
        "bib": 11,
        "name": "Anna ALPHA",
        "nation": "NED",
        "heat": 1,
        "lane": "I",
        "time": "1:12.31",
        "time_ms": 72315,
        "status": "OK",
        "infraction": None,
        "behind": "",
        "points": 60,
        "records": [],
        "medal": None,
        "splits": [],
        "skater": start_of(race, 11).skater_id,
    }
    assert document["standings"][1]["status"] == "DNF" and document["standings"][1]["time"] is None


def test_unknown_race_is_a_json_404(client):
    response = client.get("/api/races/424242/standings")
    assert response.status_code == 404
    assert response.json() == {"error": ERROR_RACE_NOT_FOUND.format(race_id=424242)}


def test_only_get(client):
    race = make_race()
    assert client.post(f"/api/races/{race.pk}/standings").status_code == 405
