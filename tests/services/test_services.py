"""Writes: all or nothing, re-ranked and pushed once per heat, bad input refused with a clear message."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.db import transaction

from results import policy, services
from results.models import (
    ERROR_BIB_TWICE,
    ERROR_HEAT_FULL,
    ERROR_LANE_FULL,
    ERROR_SKATER_TWICE,
    Race,
    Snapshot,
    Start,
)
from results.selectors import race_snapshot_current
from results.topics import race_topic
from tests.support.factories import enter_heat, heat_of, make_race, start_of
from tests.support.published import version

pytestmark = pytest.mark.django_db


def standings(race):
    return json.loads(race_snapshot_current(race.pk).payload)["standings"]


def test_each_heat_re_ranks_bumps_the_version_once_and_moves_the_race_status():
    race = make_race()
    assert race.status == Race.State.START_LIST
    before = version(race)

    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    race.refresh_from_db()
    assert race.status == Race.State.LIVE
    assert version(race) == before + 1
    assert [(r["rank"], r["name"], r["time"], r["behind"]) for r in standings(race)] == [
        (1, "Bea BRAVO", "38.12", ""),
        (2, "Anna ALPHA", "38.50", "+0.38"),
    ]

    enter_heat(race, 2, {21: "37.99", 22: "DQ T07"})
    enter_heat(race, 3, {31: "38.12", 32: "DNS"})
    race.refresh_from_db()
    assert race.status == Race.State.UNOFFICIAL
    assert version(race) == before + 3
    assert [(r["rank"], r["bib"], r["time"], r["status"], r["infraction"], r["points"]) for r in standings(race)] == [
        (1, 21, "37.99", "OK", None, 60),
        (2, 12, "38.12(0)", "OK", None, 54),  # same hundredths: the thousandth is shown
        (2, 31, "38.12(0)", "OK", None, 54),
        (4, 11, "38.50", "OK", None, 43),
        (None, 22, None, "DQ", "T07", None),
        (None, 32, None, "DNS", None, None),
    ]


def test_snapshot_says_what_is_next_and_what_was_last():
    race = make_race()
    snapshot = json.loads(race_snapshot_current(race.pk).payload)
    assert snapshot["last_heat"] is None
    assert [h["heat"] for h in snapshot["next_heats"]] == [1, 2, 3]
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    snapshot = json.loads(race_snapshot_current(race.pk).payload)
    assert snapshot["last_heat"] == 1
    cleo, dana = start_of(race, 21).skater_id, start_of(race, 22).skater_id
    assert {key: value for key, value in snapshot["next_heats"][0].items() if key != "eta"} == {
        "heat": 2,
        "skaters": [
            {"bib": 21, "skater": cleo, "name": "Cleo CHARLIE", "nation": "JPN", "lane": "I"},
            {"bib": 22, "skater": dana, "name": "Dana DELTA", "nation": "CAN", "lane": "O"},
        ],
    }
    assert (snapshot["race"]["heats"], snapshot["race"]["heats_done"]) == (3, 1)


def _entry(race, bib, status, time_ms=None, infraction=""):
    return services.StartResult(start_id=start_of(race, bib).pk, status=status, time_ms=time_ms, infraction=infraction)


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        (("OK", None, ""), "time", services.ERROR_TIME_REQUIRED),
        (("DNS", 38000, ""), "time", services.ERROR_TIME_NOT_ALLOWED.format(status="DNS")),
        (("DNF", 38000, ""), "time", services.ERROR_TIME_NOT_ALLOWED.format(status="DNF")),
        (("", None, ""), "status", services.ERROR_STATUS_REQUIRED),
        (("XX", None, ""), "status", services.ERROR_STATUS_REQUIRED),
        (
            ("DQ", None, "T99"),
            "infraction",
            services.ERROR_INFRACTION_UNKNOWN.format(code="T99", codes="T02, T04, T06, T07, T08, T09, T10, T25"),
        ),
        (("DNS", None, "T07"), "infraction", services.ERROR_INFRACTION_NOT_ALLOWED.format(status="DNS")),
    ],
)
def test_a_bad_entry_saves_nothing_of_the_heat_and_changes_nothing_saved(entry, field, message):
    race = make_race()
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    saved, saved_version = standings(race), version(race)

    status, time_ms, infraction = entry
    with pytest.raises(services.HeatResultsInvalid) as error:
        services.heat_results_record(
            heat=heat_of(race, 2),
            results=[_entry(race, 21, "OK", 37990), _entry(race, 22, status, time_ms, infraction)],
        )

    assert error.value.by_start == {start_of(race, 22).pk: {field: [message]}}
    assert not start_of(race, 21).has_result  # the good half of the heat was not saved either
    assert standings(race) == saved and version(race) == saved_version


def test_every_skater_of_the_heat_needs_a_result_and_only_skaters_of_that_heat():
    race = make_race()
    with pytest.raises(services.HeatResultsInvalid) as error:
        services.heat_results_record(
            heat=heat_of(race, 1), results=[_entry(race, 11, "OK", 38000), _entry(race, 21, "OK", 37000)]
        )
    assert error.value.heat_errors == [
        services.ERROR_NOT_IN_HEAT.format(skater=start_of(race, 21).skater, heat=1),
        services.ERROR_MISSING_SKATER.format(skater=start_of(race, 12).skater, heat=1),
    ]
    assert not Start.objects.filter(heat__race=race).exclude(status="").exists()


def test_an_official_race_refuses_new_results():
    race = make_race()
    Race.objects.filter(pk=race.pk).update(status=Race.State.OFFICIAL)
    with pytest.raises(services.HeatResultsInvalid) as error:
        enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    assert error.value.heat_errors == [policy.ERROR_SYSTEM_REFUSED.format(race=race, status="official")]


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (
            [(1, "I", 1, "Anna ALPHA", "NED"), (2, "I", 2, "Anna ALPHA", "NED")],
            {"skater": ERROR_SKATER_TWICE.format(skater="Anna ALPHA (NED)", heat=1)},
        ),
        (
            [(1, "I", 1, "Anna ALPHA", "NED"), (2, "I", 1, "Bea BRAVO", "USA")],
            {"bib": ERROR_BIB_TWICE.format(bib=1, skater="Anna ALPHA (NED)")},
        ),
        (
            [(1, "I", 1, "A A", "NED"), (1, "I", 2, "B B", "NED"), (1, "I", 3, "C C", "NED")],
            {"lane": ERROR_LANE_FULL.format(lane="I", heat=1)},
        ),
        (
            [
                (1, "I", 1, "A A", "NED"),
                (1, "I", 2, "B B", "NED"),
                (1, "O", 3, "C C", "NED"),
                (1, "O", 4, "D D", "NED"),
                (1, "", 5, "E E", "NED"),
            ],
            {"heat": ERROR_HEAT_FULL},
        ),
    ],
    ids=["skater-twice", "bib-twice", "three-in-a-lane", "five-in-a-heat"],
)
def test_an_impossible_start_list_is_refused_whole(draw, message):
    race = make_race(draw=[])
    with pytest.raises(ValidationError) as error:
        services.start_list_create(
            race=race,
            entries=[services.StartListEntry(heat=h, lane=ln, bib=b, name=n, nation=c) for h, ln, b, n, c in draw],
        )
    assert next(iter(message.values())) in str(error.value)
    assert not Start.objects.filter(heat__race=race).exists()


def test_a_quartet_start_holds_two_skaters_per_lane():
    race = make_race(
        draw=[
            (1, "I", 1, "A A", "NED"),
            (1, "I", 2, "B B", "NED"),
            (1, "O", 3, "C C", "NED"),
            (1, "O", 4, "D D", "NED"),
        ]
    )
    enter_heat(race, 1, {1: "6:05.10", 2: "6:04.20", 3: "6:10.00", 4: "6:01.99"})
    assert [r["bib"] for r in standings(race)] == [4, 2, 1, 3]


def test_the_push_happens_on_commit_with_the_stored_text(django_capture_on_commit_callbacks):
    race = make_race()
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(race_topic(race.pk), channel)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enter_heat(race, 1, {11: "38.50", 12: "38.12"})

    assert len(callbacks) == 1
    message = async_to_sync(layer.receive)(channel)
    stored = Snapshot.objects.get(topic=race_topic(race.pk))
    expected = {
        "type": "standings.update",
        "topic": f"race.{race.pk}",
        "version": stored.version,
        "text": stored.payload,
    }
    assert message == expected


def test_a_rolled_back_save_pushes_nothing(django_capture_on_commit_callbacks):
    race = make_race()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        enter_heat(race, 1, {11: "38.50", 12: "38.12"})
        raise RuntimeError("database error after the save")
    assert callbacks == []
    assert not start_of(race, 11).has_result


def test_clearing_a_race_goes_back_to_the_start_list_and_pushes():
    race = make_race()
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    before = version(race)
    services.race_results_clear(race=race)
    race.refresh_from_db()
    assert race.status == Race.State.START_LIST
    assert standings(race) == [] and version(race) == before + 1
