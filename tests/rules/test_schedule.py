"""When pairs are expected to start (docs/rules.md, "Expected starts"): from the scheduled start, then from the
pairs that started, one measured interval apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from results.rules.schedule import measured_interval, pair_starts_expected, usual_interval

NOON = datetime(2025, 12, 7, 12, 0, tzinfo=UTC)


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


def test_before_any_pair_the_first_is_due_at_the_scheduled_start_and_the_rest_a_usual_interval_apart():
    expected = pair_starts_expected(scheduled_start=NOON, started={}, to_start=[1, 2, 3], distance=1000)
    assert expected == {1: NOON, 2: NOON + minutes(2.5), 3: NOON + minutes(5)}


def test_without_a_scheduled_start_nothing_is_expected_until_a_pair_starts():
    assert pair_starts_expected(scheduled_start=None, started={}, to_start=[1, 2], distance=500) == {}
    one = pair_starts_expected(scheduled_start=None, started={1: NOON}, to_start=[2, 3], distance=500)
    assert one == {2: NOON + timedelta(seconds=105), 3: NOON + timedelta(seconds=210)}


def test_once_pairs_started_the_median_interval_between_them_counts_and_a_late_race_moves_everything():
    started = {1: NOON + minutes(10), 2: NOON + minutes(12), 3: NOON + minutes(14.5), 4: NOON + minutes(20)}
    # intervals 2, 2.5 and 5.5 minutes (a fall, a long clean-up): the median, 2.5, is the race's pace
    assert measured_interval(list(started.values())) == minutes(2.5)
    expected = pair_starts_expected(scheduled_start=NOON, started=started, to_start=[5, 6], distance=1000)
    assert expected == {5: NOON + minutes(22.5), 6: NOON + minutes(25)}


def test_a_distance_without_a_usual_interval_gets_one_by_its_length():
    assert usual_interval(3200) == timedelta(seconds=380)  # a team pursuit: 60 s and a tenth of its metres


@given(
    scheduled=st.none() | st.datetimes(timezones=st.just(UTC)),
    gaps=st.lists(st.integers(min_value=30, max_value=1_800), max_size=12),
    to_start=st.integers(min_value=0, max_value=20),
    distance=st.sampled_from([500, 1000, 1500, 3000, 5000, 10000, 3200]),
)
def test_every_pair_to_come_is_expected_after_the_last_start_one_interval_apart_in_start_order(
    scheduled, gaps, to_start, distance
):
    started, moment = {}, NOON
    for number, gap in enumerate(gaps, start=1):
        started[number] = moment
        moment += timedelta(seconds=gap)
    pairs = list(range(len(started) + 1, len(started) + 1 + to_start))

    expected = pair_starts_expected(scheduled_start=scheduled, started=started, to_start=pairs, distance=distance)

    if not started and scheduled is None:
        assert expected == {}
        return
    assert list(expected) == pairs
    times = [expected[pair] for pair in pairs]
    assert times == sorted(times)
    if started:
        assert all(time > max(started.values()) for time in times)
    differences = {later - earlier for earlier, later in pairwise(times)}
    assert not differences or max(differences) - min(differences) <= timedelta(seconds=1)  # one interval apart
    assert all(time.microsecond == 0 for time in times)  # to the second
