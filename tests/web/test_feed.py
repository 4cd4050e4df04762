"""The public feed as an API: every message a client can receive follows the published JSON Schema; the JSON is
cacheable by version (ETag) and readable from any origin (CORS)."""

import json
from datetime import date

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from results import services
from results.demo.replay import heat_results_replay, race_create_from_sheet
from results.files.result_csv import read_result_csv
from results.models import Competition, Race, Venue
from results.roles import REFEREE
from skating.asgi import application
from tests.support.factories import (
    enter_finish,
    enter_heat,
    enter_sprint,
    make_mass_start,
    make_race,
    make_record,
    make_team_pursuit,
    make_user,
)
from tests.support.paths import DATA
from tests.support.schema import VALIDATOR, assert_valid

ORIGIN = [(b"origin", b"http://localhost")]


def replayed_race(stem, title, gender, distance):
    venue = Venue.objects.create(name="Utah Olympic Oval", city="Salt Lake City", country="USA")
    competition = Competition.objects.create(
        name="World Cup", venue=venue, starts_on=date(2025, 11, 14), ends_on=date(2025, 11, 16)
    )
    make_record("WR", "36.36", set_on=date(2013, 11, 16))
    make_record("TR", "36.36", set_on=date(2013, 11, 16), venue=venue)
    rows = read_result_csv((DATA / f"{stem}.csv").open(encoding="utf-8"))
    race = race_create_from_sheet(
        competition=competition,
        title=title,
        gender=gender,
        distance=distance,
        rows=rows,
        points_table=[60, 54, 48],
        day=date(2025, 11, 16),
    )
    return race, rows


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("stem", "gender", "distance"),
    [
        ("wc1-salt-lake-city-2025-11-16-women-500-a-r2", "women", 500),  # a world record, thousandths on a tie
        ("wc1-salt-lake-city-2025-11-14-men-1000-b", "men", 1000),  # DNF, DQ, shared rank
        ("wc1-salt-lake-city-2025-11-14-men-5000-b", "men", 5000),  # quartet starts, times past a minute
    ],
)
async def test_every_message_of_a_replayed_race_follows_the_schema(settings, stem, gender, distance):
    settings.HEARTBEAT_SECONDS = 0.2
    race, rows = await database_sync_to_async(replayed_race)(stem, "Race", gender, distance)
    race_socket = WebsocketCommunicator(application, f"/ws/races/{race.pk}/", headers=ORIGIN)
    competition_socket = WebsocketCommunicator(application, f"/ws/competitions/{race.competition_id}/", headers=ORIGIN)
    for socket in (race_socket, competition_socket):
        assert (await socket.connect())[0]

    def race_day():
        heat_results_replay(race=race, rows=rows)
        referee = make_user("rafa", REFEREE)
        services.race_status_set(race=race, status=Race.State.OFFICIAL, by=referee)

    await database_sync_to_async(race_day)()

    for socket, expected_type in ((race_socket, "snapshot"), (competition_socket, "race")):
        messages = await messages_until_official(socket)
        await socket.disconnect()
        for message in messages:
            assert_valid(message)
        # Heats saved back to back may reach a socket as fewer, newer snapshots (each is complete), never older.
        versions = [
            m["version"] if m["type"] == "snapshot" else m["race"]["version"]
            for m in messages
            if m["type"] == expected_type
        ]
        assert versions == sorted(set(versions)) and len(versions) >= 2
        assert "heartbeat" in [message["type"] for message in messages]


async def messages_until_official(socket):
    """Everything the socket sends up to the race's confirmation, and one heartbeat after it."""
    messages = []
    while True:
        message = json.loads(await socket.receive_from(timeout=5))
        messages.append(message)
        race = message.get("race")
        if isinstance(race, dict) and race.get("status") == "OFFICIAL":
            break
    while messages[-1]["type"] != "heartbeat":
        messages.append(json.loads(await socket.receive_from(timeout=5)))
    return messages


@pytest.mark.django_db
def test_the_json_documents_follow_the_schema_too(client):
    race = make_race()
    enter_heat(race, 1, {11: "38.50", 12: "DQ T04"})
    assert_valid(client.get(f"/api/races/{race.pk}/standings").json())
    assert_valid(client.get(f"/api/competitions/{race.competition_id}/").json())


@pytest.mark.django_db
def test_the_schema_is_published(client):
    response = client.get("/api/schema/feed-v1.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/schema+json"
    assert response.json()["title"] == "Skating Live feed, version 1"


@pytest.mark.django_db
def test_etag_gives_304_while_nothing_changed(client):
    race = make_race()
    first = client.get(f"/api/races/{race.pk}/standings")
    etag = first["ETag"]
    assert etag and first["Cache-Control"] == "public, max-age=1, stale-while-revalidate=1"

    unchanged = client.get(f"/api/races/{race.pk}/standings", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged["ETag"] == etag

    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    changed = client.get(f"/api/races/{race.pk}/standings", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["version"] == first.json()["version"] + 1


@pytest.mark.django_db
def test_any_origin_may_read_the_json_and_ask_with_if_none_match(client):
    race = make_race()
    response = client.get(f"/api/races/{race.pk}/standings", headers={"Origin": "https://tv.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Expose-Headers"] == "ETag"
    preflight = client.options(
        f"/api/races/{race.pk}/standings",
        headers={"Origin": "https://tv.example", "Access-Control-Request-Headers": "if-none-match"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Headers"] == "If-None-Match"
    assert client.post(f"/api/races/{race.pk}/standings").status_code == 405


@pytest.mark.django_db
def test_competition_json_and_its_404(client):
    race = make_race()
    document = client.get(f"/api/competitions/{race.competition_id}/").json()
    assert [(r["id"], r["status"], r["version"]) for r in document["races"]] == [(race.pk, "START_LIST", 2)]
    missing = client.get("/api/competitions/999999/")
    assert missing.status_code == 404 and missing.json() == {"error": "No competition with id 999999."}


@pytest.mark.django_db(transaction=True)
async def test_passages_follow_the_schema(settings):
    """A race timed by a timing system: every snapshot with skaters on the ice, their passages and each finisher's
    splits follows the schema. Passage times are constructed (tests/flows/test_timing_replay.py)."""
    from results.services.timing import TimingPost, timing_post_record
    from tests.support.timing import MEN_1000, in_time_order

    settings.HEARTBEAT_SECONDS = 0.2
    race, rows = await database_sync_to_async(replayed_race)(
        "wc1-salt-lake-city-2025-11-14-men-1000-a", "Men 1000m Division A", "men", 1000
    )
    socket = WebsocketCommunicator(application, f"/ws/races/{race.pk}/", headers=ORIGIN)
    assert (await socket.connect())[0]

    def race_day():
        for number in sorted({row.heat for row in rows}):
            if number not in MEN_1000:
                heat_results_replay(race=race, rows=[row for row in rows if row.heat == number])
                continue
            for time_ms, bib, metres in in_time_order(MEN_1000[number]):
                timing_post_record(race=race, post=TimingPost(heat=number, bib=bib, distance=metres, time_ms=time_ms))
        services.race_status_set(race=race, status=Race.State.OFFICIAL, by=make_user("rafa", REFEREE))

    await database_sync_to_async(race_day)()
    messages = await messages_until_official(socket)
    await socket.disconnect()
    snapshots = [message for message in messages if message["type"] == "snapshot"]
    for message in messages:
        assert_valid(message)
    assert any(snapshot["on_ice"] for snapshot in snapshots)
    assert {snapshot["change"]["kind"] for snapshot in snapshots} >= {"passage", "results", "status"}
    final = snapshots[-1]
    assert final["race"]["passages"] == [200, 600] and final["on_ice"] == []
    assert [len(row["splits"]) for row in final["standings"] if row["bib"] in (181, 131, 157, 151)] == [3, 3, 3, 3]


# --- other formats -----------------------------------------------------------------------------------------------


def mass_start_race_day(race):
    """A women's mass start as an official enters it: the three intermediate sprints, the final sprint, the finish
    (times for the first two and to split the pack, one skater out), a correction of sprint 1, then confirmed."""
    enter_sprint(race, 1, "103 101 106")
    enter_sprint(race, 2, "101 102 108")
    enter_sprint(race, 3, "110 103 104")
    enter_sprint(race, 4, "101 104 102 105 106 107 108")
    enter_finish(race, {101: "8:27.05", 104: "8:27.11", 112: "8:35.40", 109: "8:35.44", 111: "DNF", 110: "DQ T25"})
    enter_sprint(race, 1, "101 103 106")
    services.race_status_set(race=race, status=Race.State.OFFICIAL, by=make_user("rafa", REFEREE))


def team_pursuit_race_day(race):
    enter_heat(race, 1, {1: "2:58.71", 2: "2:57.34"})
    enter_heat(race, 2, {3: "2:55.86", 4: "DQ T09"})
    enter_heat(race, 2, {3: "2:55.86", 4: "2:56.02"})
    services.race_status_set(race=race, status=Race.State.OFFICIAL, by=make_user("rafa", REFEREE))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("make", "race_day", "expected"),
    [
        (make_mass_start, mass_start_race_day, "mass_start"),
        (make_team_pursuit, team_pursuit_race_day, "team_pursuit"),
    ],
)
async def test_every_message_of_a_mass_start_and_a_team_pursuit_follows_the_schema(settings, make, race_day, expected):
    settings.HEARTBEAT_SECONDS = 0.2
    race = await database_sync_to_async(make)()
    race_socket = WebsocketCommunicator(application, f"/ws/races/{race.pk}/", headers=ORIGIN)
    competition_socket = WebsocketCommunicator(application, f"/ws/competitions/{race.competition_id}/", headers=ORIGIN)
    for socket in (race_socket, competition_socket):
        assert (await socket.connect())[0]
    await database_sync_to_async(race_day)(race)

    snapshots = []
    for socket in (race_socket, competition_socket):
        messages = await messages_until_official(socket)
        await socket.disconnect()
        for message in messages:
            assert_valid(message)
        snapshots += [m for m in messages if m["type"] == "snapshot"]
    assert {snapshot["race"]["format"] for snapshot in snapshots} == {expected}
    final = snapshots[-1]["standings"]
    if expected == "mass_start":
        assert [(row["bib"], row["race_points"]) for row in final[:2]] == [(101, 66), (104, 41)]
        assert any(row["status"] is None for snapshot in snapshots for row in snapshot["standings"])
    else:
        assert [row["name"] for row in final] == ["JAPAN", "NETHERLANDS", "CANADA", "UNITED STATES"]
        assert all(len(row["members"]) in (3, 4) for row in final)


def test_the_schema_refuses_what_a_format_does_not_allow():
    """The format switch has teeth: a mass start row without its points, a team without its skaters."""
    race = {
        "id": 1,
        "title": "t",
        "gender": "women",
        "distance": 6400,
        "status": "LIVE",
        "day": "2025-12-07",
        "heats": 1,
        "heats_done": 0,
        "competition": {"id": 1, "name": "c", "venue": "v", "city": "c"},
    }
    row = {
        "rank": 1,
        "bib": 1,
        "name": "A",
        "nation": "NED",
        "heat": 1,
        "lane": None,
        "time": None,
        "time_ms": None,
        "status": None,
        "infraction": None,
        "behind": "",
        "points": None,
        "records": [],
        "medal": None,
        "race_points": 3,
        "sprints": [3, None, None, None],
    }
    document = {
        "type": "snapshot",
        "api": 1,
        "version": 2,
        "updated_at": "2025-12-07T12:00:00.000Z",
        "last_heat": None,
        "change": None,
        "next_heats": [],
        "standing_records": [],
    }
    assert_valid({**document, "race": {**race, "format": "mass_start"}, "standings": [row]})
    pointless = {key: value for key, value in row.items() if key != "race_points"}
    assert list(VALIDATOR.iter_errors({**document, "race": {**race, "format": "mass_start"}, "standings": [pointless]}))
    team = {**row, "time": "2:55.86", "time_ms": 175860, "status": "OK", "lane": "I", "points": 60}
    del team["race_points"], team["sprints"]
    teams = {**document, "race": {**race, "format": "team_pursuit"}}
    assert_valid({**teams, "standings": [{**team, "members": ["A B", "C D", "E F"]}]})
    assert list(VALIDATOR.iter_errors({**teams, "standings": [team]}))
