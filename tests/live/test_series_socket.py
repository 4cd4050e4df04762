"""A series' World Cup standings on their socket: the standings on connect, then one new version per heat of a race
counting for them (in the same publication as the race's), heartbeats naming them, and 4404 for standings that do
not exist."""

import json
from datetime import date

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from results.live.consumers import CLOSE_NOT_FOUND
from skating.asgi import application
from tests.support.factories import enter_heat
from tests.support.schema import assert_valid
from tests.support.world_cup import make_series, make_series_race

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://localhost")]


def connect(path):
    return WebsocketCommunicator(application, path, headers=ORIGIN)


def season():
    series = make_series()
    return series, make_series_race(series, "World Cup #1", date(2025, 11, 14))


async def test_the_standings_arrive_on_connect_then_after_every_heat_ending_on_the_json(client):
    series, race = await database_sync_to_async(season)()
    socket = connect(f"/ws/series/{series.pk}/women/500/")
    connected, _ = await socket.connect()
    assert connected
    first = json.loads(await socket.receive_from(timeout=5))
    assert_valid(first)
    assert first["type"] == "series_standings" and first["standings"] == []

    received = []
    for number, results in {1: {11: "38.50", 12: "38.12"}, 2: {21: "37.99", 22: "DQ T07"}}.items():
        await database_sync_to_async(enter_heat)(race, number, results)
        received.append(json.loads(await socket.receive_from(timeout=5)))
    assert await socket.receive_nothing(timeout=1.0)
    await socket.disconnect()

    assert [message["version"] for message in received] == [first["version"] + 1, first["version"] + 2]
    last = received[-1]
    assert_valid(last)
    assert last["provisional"] == [
        {"race": race.pk, "title": race.title, "status": "LIVE", "competition": race.competition_id}
    ]
    assert [(row["name"], row["rank"], row["total"]) for row in last["standings"]] == [
        ("Cleo CHARLIE", 1, 60),
        ("Bea BRAVO", 2, 54),
        ("Anna ALPHA", 3, 48),
    ]
    api = await database_sync_to_async(client.get)(f"/api/series/{series.pk}/women/500")
    assert api.json() == last


async def test_heartbeats_name_the_series_and_its_gender_and_distance(settings):
    settings.HEARTBEAT_SECONDS = 0.2
    series, _race = await database_sync_to_async(season)()
    socket = connect(f"/ws/series/{series.pk}/women/500/")
    await socket.connect()
    first = json.loads(await socket.receive_from(timeout=5))
    heartbeat = json.loads(await socket.receive_from(timeout=2))
    assert_valid(heartbeat)
    assert heartbeat["type"] == "heartbeat"
    assert (heartbeat["series"], heartbeat["gender"], heartbeat["distance"]) == (series.pk, "women", 500)
    assert heartbeat["version"] == first["version"]
    await socket.disconnect()


@pytest.mark.parametrize(
    "path",
    [
        "/ws/series/999999/women/500/",
        "/ws/series/{}/kids/500/",
        "/ws/series/{}/men/500/",
        "/ws/series/{}/women/123456789/",
    ],
)
async def test_standings_that_do_not_exist_close_with_a_code_that_says_so(path):
    series, _race = await database_sync_to_async(season)()
    socket = connect(path.format(series.pk))
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": CLOSE_NOT_FOUND}
