"""When each pair still to skate is expected to start. Pure: no Django, no I/O, no clock (the same starts always give
the same estimates, so a snapshot changes only when the race does).

- The interval between pairs is the median of the intervals measured in this race so far (from one pair's start to
  the next's); before two pairs have started, the usual interval for the distance (``USUAL_INTERVAL_SECONDS``).
- The pairs to come follow the last pair that started, one interval apart, in start order; before any pair has
  started, the first follows the race's scheduled start.
- Without a scheduled start and before any pair started there is no estimate.
- To the second: nobody waits for a pair to the millisecond, and a snapshot does not change for a start estimate
  that moved by less.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from statistics import median

# From one pair's start to the next's at World Cup level, the change of pairs included (seconds), by distance in
# metres. Measured live in each race once two pairs have started; these are only the first guess.
USUAL_INTERVAL_SECONDS: dict[int, int] = {
    500: 105,
    1000: 150,
    1500: 180,
    3000: 315,
    5000: 480,
    10000: 870,
}


def usual_interval(distance: int) -> timedelta:
    """The first guess for ``distance``; another distance (a team pursuit, a short track) by its length."""
    seconds = USUAL_INTERVAL_SECONDS.get(distance)
    return timedelta(seconds=seconds if seconds is not None else 60 + distance / 10)


def measured_interval(starts: Sequence[datetime]) -> timedelta | None:
    """The median interval between consecutive starts (in time order), or ``None`` before two starts."""
    ordered = sorted(starts)
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(ordered)]
    return timedelta(seconds=median(gaps)) if gaps else None


def pair_starts_expected(
    *,
    scheduled_start: datetime | None,
    started: Mapping[int, datetime],
    to_start: Sequence[int],
    distance: int,
) -> dict[int, datetime]:
    """The expected start of each pair in ``to_start`` (pair numbers in start order), given when the pairs in
    ``started`` (pair number -> start) started."""
    interval = measured_interval(list(started.values())) or usual_interval(distance)
    if started:
        first = max(started.values()) + interval
    elif scheduled_start is not None:
        first = scheduled_start
    else:
        return {}
    return {heat: (first + index * interval).replace(microsecond=0) for index, heat in enumerate(to_start)}
