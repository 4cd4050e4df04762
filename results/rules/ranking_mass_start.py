"""The mass start's rules (docs/rules.md, "Mass start"). Pure: no Django, no I/O.

Sixteen laps; intermediate sprints (laps 4, 8 and 12) and the final sprint score points by place. The table is
data, attached to the race (``Race.sprint_points``): the 2025-26 one is the default here, older seasons differ.
Finishers are ranked by their total, ties by finish time; non-finishers come after them, unranked, as in every
race (``ranking.NON_FINISHER_ORDER``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from results.rules import ranking
from results.rules.times import format_time

MASS_START_LAPS = 16
# Observed 2025-26: 3/2/1 at laps 4, 8 and 12, then 60/40/20/10/6/3 at the finish. The final sprint is last.
DEFAULT_SPRINT_POINTS: tuple[tuple[int, ...], ...] = ((3, 2, 1), (3, 2, 1), (3, 2, 1), (60, 40, 20, 10, 6, 3))

ERROR_TABLE = (
    "Sprint points are a list of sprints, the final sprint last, each a list of whole numbers by place, "
    "e.g. [[3, 2, 1], [3, 2, 1], [3, 2, 1], [60, 40, 20, 10, 6, 3]]."
)


def table_error(table: Any) -> str | None:
    """Why ``table`` is not a sprint points table, or ``None``."""
    if not isinstance(table, list) or not table:
        return ERROR_TABLE
    for sprint in table:
        if not isinstance(sprint, list) or not sprint:
            return ERROR_TABLE
        if not all(isinstance(points, int) and not isinstance(points, bool) and points >= 0 for points in sprint):
            return ERROR_TABLE
    return None


def sprint_name(sprint: int, count: int) -> str:
    """``Sprint 2``, or ``Final sprint`` for the last one of ``count``."""
    return "Final sprint" if sprint == count else f"Sprint {sprint}"


def sprint_lap(sprint: int, count: int) -> int | None:
    """The lap a sprint ends, when ``count`` sprints share the 16 laps evenly (4, 8, 12, 16), else ``None``."""
    return MASS_START_LAPS * sprint // count if count and MASS_START_LAPS % count == 0 else None


def points_for_place(place: int, points: Sequence[int]) -> int:
    """Places beyond the table score nothing."""
    return points[place - 1] if 1 <= place <= len(points) else 0


@dataclass(frozen=True)
class MassStartResult:
    """One skater of a mass start as entered: the finish (``status`` blank while the race is on) and where they
    crossed the line in each sprint entered (``places``: sprint number, 1 first, to place)."""

    result: ranking.Result
    places: Mapping[int, int] = field(default_factory=dict, hash=False)

    @property
    def racing(self) -> bool:
        """Finished, or still on the ice: ranked on points."""
        return self.result.status in (ranking.OK, "")


@dataclass(frozen=True)
class MassStartStanding:
    standing: ranking.Standing
    race_points: int | None
    sprints: tuple[int | None, ...]

    def as_row(self, *, final: bool = False) -> dict[str, Any]:
        """The feed's row (docs/feed.md, "A mass start"): an individual row, with a blank status for a skater still
        racing, ``race_points`` (the total that ranks them) and ``sprints`` (the points of each sprint)."""
        row = self.standing.as_row(final=final)
        row["status"] = self.standing.result.status or None
        row["race_points"] = self.race_points
        row["sprints"] = list(self.sprints)
        return row


def sprint_scores(
    places: Mapping[int, int], table: Sequence[Sequence[int]], entered: Iterable[int]
) -> tuple[int | None, ...]:
    """Points per sprint of the table: 0 in a sprint entered without this skater in the points, ``None`` for a
    sprint not entered yet."""
    done = set(entered)
    return tuple(
        points_for_place(places[number], points) if number in places else (0 if number in done else None)
        for number, points in enumerate(table, start=1)
    )


def rank_mass_start(
    results: Iterable[MassStartResult],
    *,
    sprint_table: Sequence[Sequence[int]] = DEFAULT_SPRINT_POINTS,
    points_table: Sequence[int] = (),
) -> list[MassStartStanding]:
    """The standings: skaters finished or still racing by total points, then by finish time, then non-finishers.

    While the race is on (no finish entered), only skaters placed in a sprint are listed, ranked on the points so
    far. Equal points with equal (or no) finish times share a rank; a finisher with a time goes before one without
    on equal points, who share the rank after (the entry screen asks the official to type times where they
    would break a tie). World Cup points (``points_table``) go by that final rank, to finishers only.
    """
    results = list(results)
    entered = {number for r in results for number in r.places}
    finish_in = any(r.result.status for r in results)
    scored = [(r, sprint_scores(r.places, sprint_table, entered)) for r in results]

    def total(scores: tuple[int | None, ...]) -> int:
        return sum(points for points in scores if points is not None)

    racing = [(r, s) for r, s in scored if r.racing and (finish_in or r.places)]
    racing.sort(key=lambda item: (-total(item[1]), *_time_key(item[0].result), item[0].result.bib))
    timed = [r.result for r, _scores in racing if r.result.finished]
    same_hundredths = Counter(r.hundredths for r in timed)

    standings: list[MassStartStanding] = []
    for (points, *_time), group in groupby(racing, key=lambda item: (total(item[1]), *_time_key(item[0].result))):
        rank = len(standings) + 1
        for entry, scores in group:
            result = entry.result
            shown = None
            if result.finished:
                assert result.time_ms is not None
                shown = format_time(result.time_ms, with_thousandth=same_hundredths[result.hundredths] > 1)
            standing = ranking.Standing(
                result=result,
                rank=rank,
                time=shown,
                behind="",
                points=ranking.points_for_rank(rank, points_table) if result.status == ranking.OK else None,
                records=(),
            )
            standings.append(MassStartStanding(standing=standing, race_points=points, sprints=scores))

    order = {status: index for index, status in enumerate(ranking.NON_FINISHER_ORDER)}
    out = sorted(
        ((r, s) for r, s in scored if not r.racing),
        key=lambda item: (order.get(item[0].result.status, len(order)), item[0].result.bib),
    )
    for entry, scores in out:
        standing = ranking.Standing(result=entry.result, rank=None, time=None, behind="", points=None, records=())
        standings.append(MassStartStanding(standing=standing, race_points=None, sprints=scores))
    return standings


def _time_key(result: ranking.Result) -> tuple[int, int]:
    """A time first (the faster, the earlier), then no time."""
    return (0, result.time_ms or 0) if result.finished else (1, 0)
