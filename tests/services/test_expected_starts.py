"""When each pair is expected to start, as the feed says (``eta`` on the pairs to come): a pair's actual start is
taken from what is reported about it (a passage, or a time, arriving so long after the start), the race's scheduled
start counts until pairs have started."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from results import services
from results.models import Race
from results.services.timing import TimingPost, timing_post_record
from tests.support.factories import enter_heat, heat_of, make_race, start_of
from tests.support.published import snapshot

pytestmark = pytest.mark.django_db

NOON = datetime(2025, 12, 7, 12, 0, tzinfo=UTC)


def etas(race: Race) -> dict[int, str | None]:
    return {heat["heat"]: heat["eta"] for heat in snapshot(race)["next_heats"]}


def scheduled(race: Race, start: datetime) -> Race:
    race.scheduled_start = start
    return services.race_save(race=race, by=None)


def test_the_scheduled_start_gives_every_pair_to_come_a_time_in_the_feed():
    race = scheduled(make_race(), NOON)

    assert snapshot(race)["race"]["scheduled_start"] == "2025-12-07T12:00:00.000Z"
    assert etas(race) == {1: "2025-12-07T12:00:00.000Z", 2: "2025-12-07T12:01:45.000Z", 3: "2025-12-07T12:03:30.000Z"}


def test_a_pair_started_when_its_first_passage_says_and_the_next_ones_follow_it():
    race = make_race()
    before = timezone.now()
    timing_post_record(race=race, post=TimingPost(heat=1, bib=11, distance=100, time_ms=10_500))
    timing_post_record(race=race, post=TimingPost(heat=1, bib=12, distance=100, time_ms=10_400))

    started = heat_of(race, 1).started_at
    assert started is not None
    assert before - timedelta(seconds=10.5) <= started <= timezone.now() - timedelta(seconds=10.4)
    on_ice, *to_come = snapshot(race)["next_heats"]
    assert on_ice["heat"] == 1 and on_ice["eta"] == started.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    # To the second: a start estimate that moved by less changes nothing of the pairs to come.
    assert [heat["eta"] for heat in to_come] == [
        (started + timedelta(seconds=105 * n)).replace(microsecond=0).isoformat(timespec="milliseconds")[:-6] + "Z"
        for n in (1, 2)
    ]


def test_a_later_report_within_a_second_leaves_the_start_and_the_pairs_to_come_as_they_were():
    race = make_race()
    timing_post_record(race=race, post=TimingPost(heat=1, bib=11, distance=100, time_ms=10_500))
    first = heat_of(race, 1).started_at
    etas_before = [heat["eta"] for heat in snapshot(race)["next_heats"][1:]]
    # The other skater's passage, reported with 0.3 s more delay (network jitter): the start stays.
    timing_post_record(race=race, post=TimingPost(heat=1, bib=12, distance=100, time_ms=10_800))
    assert heat_of(race, 1).started_at == first
    assert [heat["eta"] for heat in snapshot(race)["next_heats"][1:]] == etas_before


def test_a_pair_entered_by_hand_started_its_slowest_time_before_the_save_and_clearing_it_forgets_that():
    race = make_race()
    before = timezone.now()
    enter_heat(race, 1, {11: "38.50", 12: "DQ T07"})
    started = heat_of(race, 1).started_at
    assert started is not None
    assert before - timedelta(seconds=38.5) <= started <= timezone.now() - timedelta(seconds=38.5)

    services.heat_results_clear(heat=heat_of(race, 1), by=None, reason="wrong pair")
    assert heat_of(race, 1).started_at is None
    assert start_of(race, 11).has_result is False
