"""The race socket on the real ASGI application: snapshot on connect, one per heat, read-only, clean refusals."""

import json
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from results.live.consumers import CLOSE_RACE_NOT_FOUND
from results.models import Snapshot
from results.services import race_publish
from results.topics import race_topic
from skating.asgi import application
from tests.support.factories import enter_heat, make_race

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://localhost")]


def connect(race_id, headers=ORIGIN):
    return WebsocketCommunicator(application, f"/ws/races/{race_id}/", headers=headers)


async def test_a_spectator_gets_the_snapshot_then_exactly_one_per_heat_ending_on_the_json(client):
    race = await database_sync_to_async(make_race)()
    socket = connect(race.pk)
    connected, _ = await socket.connect()
    assert connected
    first = json.loads(await socket.receive_from())
    assert first["standings"] == [] and first["race"]["status"] == "START_LIST"

    received = []
    heats = {1: {11: "38.50", 12: "38.12"}, 2: {21: "37.99", 22: "DQ T07"}, 3: {31: "38.22", 32: "DNS"}}
    for number, results in heats.items():
        await database_sync_to_async(enter_heat)(race, number, results)
        received.append(await socket.receive_from(timeout=5))
    # Nothing else arrives: not the same version again through the database watch, nothing extra.
    assert await socket.receive_nothing(timeout=1.0)
    await socket.disconnect()

    versions = [json.loads(text)["version"] for text in received]
    assert versions == list(range(first["version"] + 1, first["version"] + 4))
    api = await database_sync_to_async(client.get)(f"/api/races/{race.pk}/standings")
    assert received[-1] == api.content.decode()
    assert [row["bib"] for row in json.loads(received[-1])["standings"]] == [21, 12, 31, 11, 22, 32]


async def test_a_change_committed_by_another_process_arrives_through_the_database_watch():
    """Simulates a write the channel layer never saw (another process, or Redis down): the watch delivers it."""
    race = await database_sync_to_async(make_race)()
    socket = connect(race.pk)
    await socket.connect()
    first = json.loads(await socket.receive_from())

    def publish_without_push():
        with mock.patch("results.live.broadcast._send"):
            race_publish(race=race)

    await database_sync_to_async(publish_without_push)()
    update = json.loads(await socket.receive_from(timeout=3))
    assert update["version"] == first["version"] + 1
    stored = await database_sync_to_async(Snapshot.objects.get)(topic=race_topic(race.pk))
    assert update["version"] == stored.version
    await socket.disconnect()


async def test_client_messages_are_ignored():
    race = await database_sync_to_async(make_race)()
    socket = connect(race.pk)
    await socket.connect()
    await socket.receive_from()
    await socket.send_to(text_data='{"type": "standings.update", "version": 999, "text": "forged"}')
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_an_unknown_race_closes_with_a_code_that_says_so():
    socket = connect(999999)
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": CLOSE_RACE_NOT_FOUND}


async def test_any_page_may_read_the_public_socket_unless_the_broadcasters_are_listed(settings):
    race = await database_sync_to_async(make_race)()
    foreign = [(b"origin", b"https://tv.example")]
    socket = connect(race.pk, headers=foreign)
    assert (await socket.connect())[0]
    await socket.disconnect()

    settings.EMBED_ALLOWED_ORIGINS = ["https://federation.example"]
    for origin, allowed in (
        (b"https://tv.example", False),
        (b"https://federation.example", True),
        (b"http://localhost", True),
    ):
        socket = connect(race.pk, headers=[(b"origin", origin)])
        assert (await socket.connect())[0] is allowed, origin
        await socket.disconnect()
    no_origin = connect(race.pk, headers=[])  # not a browser
    assert (await no_origin.connect())[0]
    await no_origin.disconnect()


async def test_an_origin_that_is_not_a_url_is_refused_at_the_handshake(settings):
    """Only a broken or forged client sends these; Channels raised in the handshake, and Daphne logged the error."""
    race = await database_sync_to_async(make_race)()
    for broadcasters in ([], ["http://tv.example:8080"]):
        settings.EMBED_ALLOWED_ORIGINS = broadcasters
        for origin in (b"http://[", b"http://tv.example:port", b"http://tv.example:99999"):
            socket = connect(race.pk, headers=[(b"origin", origin)])
            assert await socket.connect() == (False, 1000), (broadcasters, origin)
            await socket.disconnect()
    settings.EMBED_ALLOWED_ORIGINS = []
    socket = connect(race.pk, headers=[(b"origin", b"http://[::1]:8000")])
    assert (await socket.connect())[0]
    await socket.disconnect()


async def test_a_client_that_reconnects_with_its_version_gets_only_what_is_newer():
    race = await database_sync_to_async(make_race)()
    socket = connect(race.pk)
    await socket.connect()
    current = json.loads(await socket.receive_from())["version"]
    await socket.disconnect()

    up_to_date = WebsocketCommunicator(application, f"/ws/races/{race.pk}/?since={current}", headers=ORIGIN)
    await up_to_date.connect()
    assert await up_to_date.receive_nothing(timeout=0.5)  # it already shows this version
    await database_sync_to_async(enter_heat)(race, 1, {11: "38.50", 12: "38.12"})
    assert json.loads(await up_to_date.receive_from(timeout=5))["version"] == current + 1
    await up_to_date.disconnect()

    behind = WebsocketCommunicator(application, f"/ws/races/{race.pk}/?since={current}", headers=ORIGIN)
    await behind.connect()
    assert json.loads(await behind.receive_from())["version"] == current + 1  # missed one: gets the full snapshot
    await behind.disconnect()


async def test_heartbeats_say_the_link_is_alive_and_which_version_is_current(settings):
    settings.HEARTBEAT_SECONDS = 0.2
    race = await database_sync_to_async(make_race)()
    socket = connect(race.pk)
    await socket.connect()
    version = json.loads(await socket.receive_from())["version"]
    heartbeat = json.loads(await socket.receive_from(timeout=2))
    assert heartbeat["type"] == "heartbeat"
    assert (heartbeat["race"], heartbeat["version"]) == (race.pk, version)
    assert heartbeat["at"].endswith("Z")
    await socket.disconnect()


async def test_one_connection_follows_every_race_of_a_competition(settings):
    settings.HEARTBEAT_SECONDS = 0.3
    first = await database_sync_to_async(make_race)()
    second = await database_sync_to_async(make_race)(first.competition, title="Men 500m Division A", gender="men")
    socket = WebsocketCommunicator(application, f"/ws/competitions/{first.competition_id}/", headers=ORIGIN)
    connected, _ = await socket.connect()
    assert connected
    document = json.loads(await socket.receive_from())
    assert document["type"] == "competition" and document["competition"]["name"] == "Test World Cup"
    assert [(r["id"], r["status"]) for r in document["races"]] == [(first.pk, "START_LIST"), (second.pk, "START_LIST")]

    await database_sync_to_async(enter_heat)(second, 1, {11: "38.50", 12: "38.12"})
    message = json.loads(await socket.receive_from(timeout=5))
    assert message["type"] == "race"
    race = message["race"]
    assert (race["id"], race["status"], race["heats_done"], race["last_heat"]) == (second.pk, "LIVE", 1, 1)
    assert race["leader"] == {"name": "Bea BRAVO", "nation": "USA", "time": "38.12"}
    assert race["version"] == document["races"][1]["version"] + 1

    # A race added to the programme later is picked up with the next heartbeat.
    third = await database_sync_to_async(make_race)(first.competition, title="Women 1000m", distance=1000)
    seen = [json.loads(await socket.receive_from(timeout=3)) for _ in range(2)]
    assert {m["type"] for m in seen} == {"heartbeat", "race"}
    assert next(m for m in seen if m["type"] == "race")["race"]["id"] == third.pk
    await socket.disconnect()


async def test_an_unknown_competition_closes_with_a_code_that_says_so():
    socket = WebsocketCommunicator(application, "/ws/competitions/999999/", headers=ORIGIN)
    await socket.connect()
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": 4404}
