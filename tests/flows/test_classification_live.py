"""A classification's standings move with every heat of its distances: each heat saved in one of its races
publishes a new classification snapshot in the same transaction, pushed to its socket on commit. The figures are
those of tests/classification_factories.py (Leerdam 151.140, Kok 151.215, Herzog 152.225 as in docs/rules.md)."""

import json
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.exceptions import ValidationError

from results import services
from results.live.consumers import CLOSE_NOT_FOUND
from results.models import Classification, Race, Skater, Snapshot
from results.roles import REFEREE
from results.selectors import classification_snapshot_current
from results.services.classifications import classification_create, classification_delete
from results.topics import classification_topic
from skating.asgi import application
from tests.support.classification_factories import (
    make_sprint,
    make_sprint_races,
    race_at,
    skate_distance,
    skate_pair,
)
from tests.support.factories import enter_heat, make_competition, make_race, make_user, start_of
from tests.support.schema import assert_valid

ORIGIN = [(b"origin", b"http://localhost")]


def published(classification):
    return json.loads(classification_snapshot_current(classification.pk).payload)


def rows(document):
    return [(row["name"], row["rank"], row["total"], row["behind"]) for row in document["standings"]]


# ---------------------------------------------------------------------------------------------------- publishing


@pytest.mark.django_db
def test_every_heat_of_a_distance_publishes_a_new_version_of_the_classification():
    sprint = make_sprint()
    start = published(sprint)
    assert start["version"] == 1 and start["next_distance"] == {"position": 1, "distance": 500}
    # Nothing skated: everyone listed in the draw's order, unranked.
    assert [(row["name"], row["rank"], row["total"]) for row in start["standings"]] == [
        ("Jutta LEERDAM", None, None),
        ("Femke KOK", None, None),
        ("Vanessa HERZOG", None, None),
        ("Dana DELTA", None, None),
    ]

    skate_pair(sprint, 1, 1)
    after_pair = published(sprint)
    assert after_pair["version"] == 2
    assert rows(after_pair)[:2] == [("Femke KOK", 1, "37.920", ""), ("Jutta LEERDAM", 2, "38.110", "+0.38")]
    assert_valid(after_pair)

    skate_pair(sprint, 1, 2)
    assert published(sprint)["version"] == 3


@pytest.mark.django_db
def test_a_whole_sprint_ends_on_domains_totals_with_behind_in_points():
    sprint = make_sprint()
    for position in (1, 2, 3):
        skate_distance(sprint, position)
    after_three = published(sprint)
    assert rows(after_three)[:3] == [
        ("Femke KOK", 1, "113.555", ""),
        ("Jutta LEERDAM", 2, "113.660", "+0.21"),  # 0.105 points are 0.21 s on the last 1000 m
        ("Vanessa HERZOG", 3, "114.415", "+1.72"),
    ]
    assert after_three["next_distance"] == {"position": 4, "distance": 1000}

    skate_distance(sprint, 4)
    final = published(sprint)
    assert rows(final) == [
        ("Jutta LEERDAM", 1, "151.140", ""),
        ("Femke KOK", 2, "151.215", "+0.075"),
        ("Vanessa HERZOG", 3, "152.225", "+1.085"),
        ("Dana DELTA", 4, "155.200", "+4.060"),
    ]
    assert final["next_distance"] is None
    leerdam = final["standings"][0]
    assert leerdam["total_thousandths"] == 151140 and leerdam["complete"] is True
    assert leerdam["distances"] == [
        {"position": 1, "status": "OK", "time": "38.11", "points": "38.110"},
        {"position": 2, "status": "OK", "time": "1:14.88", "points": "37.440"},
        {"position": 3, "status": "OK", "time": "38.11", "points": "38.110"},
        {"position": 4, "status": "OK", "time": "1:14.96", "points": "37.480"},
    ]
    assert [d["status"] for d in final["classification"]["distances"]] == ["UNOFFICIAL"] * 4
    assert_valid(final)


@pytest.mark.django_db
def test_while_a_distance_is_skated_those_yet_to_skate_it_wait_below_the_ranked():
    sprint = make_sprint()
    skate_distance(sprint, 1)
    skate_pair(sprint, 2, 1)  # Leerdam and Kok have skated the 1000 m; Herzog and Delta not yet
    document = published(sprint)
    assert [(r["name"], r["rank"], r["total"], r["complete"], r["waiting"]) for r in document["standings"]] == [
        ("Jutta LEERDAM", 1, "75.550", True, False),
        ("Femke KOK", 2, "75.685", True, False),
        ("Vanessa HERZOG", None, "38.310", False, True),
        ("Dana DELTA", None, "39.000", False, True),
    ]
    assert document["standings"][2]["distances"][1] is None
    assert [d["status"] for d in document["classification"]["distances"]] == ["UNOFFICIAL", "LIVE", *["START_LIST"] * 2]


@pytest.mark.django_db
def test_a_skater_disqualified_on_a_distance_drops_out_but_stays_listed():
    sprint = make_sprint()
    skate_pair(sprint, 1, 1)
    enter_heat(race_at(sprint, 1), 2, {3: "DQ T07", 4: "39.00"})
    document = published(sprint)
    herzog = document["standings"][-1]
    assert (herzog["name"], herzog["rank"], herzog["total"], herzog["out"]) == ("Vanessa HERZOG", None, None, True)
    assert herzog["distances"][0] == {"position": 1, "status": "DQ", "time": None, "points": None}
    assert [row["rank"] for row in document["standings"]] == [1, 2, 3, None]
    assert_valid(document)


@pytest.mark.django_db
def test_a_re_skate_counts_with_its_better_time():
    sprint = make_sprint()
    skate_distance(sprint, 1)
    race = race_at(sprint, 1)
    referee = make_user("rafa", REFEREE)
    reskate = services.reskate_add(start=start_of(race, 2), lane="I", by=referee, reason="Impeded at the crossing")
    services.heat_results_record(
        heat=reskate.heat, results=[services.StartResult(start_id=reskate.pk, status="OK", time_ms=37700)]
    )
    kok = next(row for row in published(sprint)["standings"] if row["name"] == "Femke KOK")
    assert kok["distances"][0]["time"] == "37.70" and kok["total"] == "37.700"


@pytest.mark.django_db
def test_a_status_change_and_an_edit_of_a_skater_republish_the_classification_once():
    sprint = make_sprint()
    skate_distance(sprint, 1)
    version = published(sprint)["version"]
    services.race_status_set(race=race_at(sprint, 1), status=Race.State.OFFICIAL, by=make_user("rafa", REFEREE))
    document = published(sprint)
    assert document["version"] == version + 1
    assert document["classification"]["distances"][0]["status"] == "OFFICIAL"

    # A skater renamed in the admin republishes every race of hers, then the classification once.
    kok = Skater.objects.get(name="Femke KOK")
    Skater.objects.filter(pk=kok.pk).update(name="Femke KOK-TEST")
    services.races_publish(races=[leg.race for leg in sprint.legs.select_related("race")])
    renamed = published(sprint)
    assert renamed["version"] == version + 2
    assert "Femke KOK-TEST" in [row["name"] for row in renamed["standings"]]


@pytest.mark.django_db
def test_a_race_outside_any_classification_publishes_nothing_more():
    sprint = make_sprint()
    version = published(sprint)["version"]
    other = make_race(sprint.competition, title="Men 500m")
    enter_heat(other, 1, {11: "35.00", 12: "35.10"})
    assert published(sprint)["version"] == version


@pytest.mark.django_db
def test_a_rolled_back_heat_publishes_nothing():
    sprint = make_sprint()
    version = published(sprint)["version"]
    broken = mock.patch("results.selectors.classifications.classification_document", side_effect=RuntimeError("boom"))
    with broken, pytest.raises(RuntimeError):
        skate_pair(sprint, 1, 1)
    assert published(sprint)["version"] == version
    assert race_at(sprint, 1).heats.get(number=1).starts.filter(status="OK").count() == 0


# ---------------------------------------------------------------------------------------------------- set-up


@pytest.mark.django_db
def test_a_sprint_refuses_distances_in_the_wrong_order_and_says_which():
    competition = make_competition("World Sprint Championships")
    races = make_sprint_races(competition)
    with pytest.raises(ValidationError) as refused:
        classification_create(
            competition=competition, name="Sprint", gender="women", kind="sprint", races=[races[0], races[2], races[1]]
        )
    assert refused.value.messages == [
        "A sprint skates the 1000 m as distance 2; Women 500m, day 2 is a 500 m.",
        "A sprint skates the 500 m as distance 3; Women 1000m, day 1 is a 1000 m.",
    ]
    assert not Classification.objects.exists()


@pytest.mark.django_db
def test_a_classification_refuses_a_race_of_another_gender_or_competition():
    competition = make_competition("World Sprint Championships")
    men = make_race(competition, title="Men 500m", gender="men")
    elsewhere = make_race(make_competition("Another meet", venue="Max Aicher Arena"), title="Women 1000m")
    with pytest.raises(ValidationError) as refused:
        classification_create(
            competition=competition, name="Sprint", gender="women", kind="other", races=[men, elsewhere]
        )
    assert refused.value.messages == [
        "Men 500m is a men race; this classification is for women.",
        "Women 1000m is a race of Another meet, not of World Sprint Championships.",
    ]


@pytest.mark.django_db
def test_a_deleted_classification_is_gone_from_its_feed(client):
    sprint = make_sprint()
    classification_delete(classification=sprint)
    assert not Snapshot.objects.filter(topic=classification_topic(sprint.pk)).exists()
    assert client.get(f"/api/classifications/{sprint.pk}/").status_code == 404


# ---------------------------------------------------------------------------------------------------- the socket


@pytest.mark.django_db(transaction=True)
async def test_the_socket_sends_the_standings_then_a_new_version_after_each_heat(client):
    sprint = await database_sync_to_async(make_sprint)()
    socket = WebsocketCommunicator(application, f"/ws/classifications/{sprint.pk}/", headers=ORIGIN)
    assert (await socket.connect())[0]
    first = json.loads(await socket.receive_from(timeout=5))
    assert first["type"] == "classification" and first["version"] == 1
    assert_valid(first)

    await database_sync_to_async(skate_pair)(sprint, 1, 1)
    update = json.loads(await socket.receive_from(timeout=5))
    assert update["version"] == 2
    assert rows(update)[:2] == [("Femke KOK", 1, "37.920", ""), ("Jutta LEERDAM", 2, "38.110", "+0.38")]
    assert_valid(update)
    assert await socket.receive_nothing(timeout=1.0)  # once, not again through the database watch
    await socket.disconnect()

    api = await database_sync_to_async(client.get)(f"/api/classifications/{sprint.pk}/")
    assert json.loads(api.content) == update


@pytest.mark.django_db(transaction=True)
async def test_the_socket_sends_heartbeats_that_follow_the_schema(settings):
    settings.HEARTBEAT_SECONDS = 0.2
    sprint = await database_sync_to_async(make_sprint)()
    socket = WebsocketCommunicator(application, f"/ws/classifications/{sprint.pk}/", headers=ORIGIN)
    await socket.connect()
    await socket.receive_from(timeout=5)
    heartbeat = json.loads(await socket.receive_from(timeout=5))
    assert heartbeat["type"] == "heartbeat" and heartbeat["classification"] == sprint.pk
    assert heartbeat["version"] == 1
    assert_valid(heartbeat)
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_unknown_classification_closes_with_4404():
    socket = WebsocketCommunicator(application, "/ws/classifications/999999/", headers=ORIGIN)
    assert (await socket.connect())[0]
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": CLOSE_NOT_FOUND}


@pytest.mark.django_db
def test_a_race_deleted_in_the_admin_leaves_the_classification_and_its_standings_are_republished(admin_client):
    # Only a race with no results can go (their history is never deleted): here the last distance, not yet skated.
    sprint = make_sprint()
    skate_distance(sprint, 1)
    before = published(sprint)
    last = len(before["classification"]["distances"])
    deleted = race_at(sprint, last)

    response = admin_client.post(f"/admin/results/race/{deleted.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302 and not Race.objects.filter(pk=deleted.pk).exists()
    document = published(sprint)
    assert_valid(document)
    assert document["version"] == before["version"] + 1
    assert [d["distance"] for d in document["classification"]["distances"]] == [
        d["distance"] for d in before["classification"]["distances"][:-1]
    ]
    assert rows(document) == rows(before)
