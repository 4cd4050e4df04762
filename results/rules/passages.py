"""Passages (split times) and laps: where a race is timed on the way to the finish, and what a skater's passage
means against the field. Pure: no Django, no I/O.

The rules live here and nowhere else: the timing API asks whether a distance is a passage point and whether a
time fits between a skater's other passages; the snapshot gets ``race.passages``, ``on_ice`` and each row's
``splits`` from here (docs/feed.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from results.rules.times import format_gap, format_time, hundredths

LAP_METRES = 400
# (heat, bib): one start. A skater with a re-skate has two starts under one bib.
StartKey = tuple[int, int]


def passage_distances(distance: int) -> list[int]:
    """The passage points of a race over ``distance`` metres, the finish left out (docs/rules.md):

    500 m: 100; 1000 m: 200, 600; 1500 m: 300, 700, 1100; 3000 m and 5000 m: 200, then every 400 m;
    10000 m: every 400 m. The timing line is the finish line, crossed once a lap, so the passages are the race
    distance less whole laps: the first comes after ``distance % 400`` metres (a whole lap when that is 0).
    """
    return list(range(distance % LAP_METRES or LAP_METRES, distance, LAP_METRES))


@dataclass(frozen=True)
class Conflict:
    """A recorded time that a new one does not fit with: ``side`` is "earlier" (a shorter distance, whose time
    must be smaller) or "later" (a longer distance, whose time must be greater)."""

    side: str
    distance: int
    time_ms: int


def order_conflict(recorded: Mapping[int, int], *, distance: int, time_ms: int) -> Conflict | None:
    """The neighbouring passage (distance -> time) that ``time_ms`` at ``distance`` contradicts, if any: times
    must grow strictly with distance. A passage that arrives late (600 m before 200 m) is fine if it fits."""
    earlier = [d for d in recorded if d < distance]
    if earlier and recorded[max(earlier)] >= time_ms:
        return Conflict("earlier", max(earlier), recorded[max(earlier)])
    later = [d for d in recorded if d > distance]
    if later and recorded[min(later)] <= time_ms:
        return Conflict("later", min(later), recorded[min(later)])
    return None


def splits(passages: Mapping[int, int], *, finish_ms: int | None, distance: int) -> list[dict[str, Any]]:
    """A skater's passages and finish for a standings row: ``{"distance", "time", "time_ms", "lap"}`` each.

    ``lap`` is the time since the passage one lap (400 m) earlier, as the printed times subtract (both truncated
    to hundredths), so a reader can check it on the sheet; null for the opening stretch and after a passage that
    is missing. Empty when no passage was recorded (a race timed by hand).
    """
    if not passages:
        return []
    points = sorted(passages.items())
    if finish_ms is not None:
        points.append((distance, finish_ms))
    times = dict(points)
    rows = []
    for at, time_ms in points:
        previous = times.get(at - LAP_METRES)
        lap = format_time((hundredths(time_ms) - hundredths(previous)) * 10) if previous is not None else None
        rows.append({"distance": at, "time": format_time(time_ms), "time_ms": time_ms, "lap": lap})
    return rows


@dataclass(frozen=True)
class Skating:
    """One start as the passage rules see it."""

    bib: int
    name: str
    nation: str
    heat: int
    lane: str | None
    passages: Mapping[int, int]
    has_result: bool
    skater: int | None = None  # the skater's id, the same in every race

    @property
    def key(self) -> StartKey:
        return (self.heat, self.bib)

    def entry(self) -> dict[str, Any]:
        """The skater as the feed names them in a heat: ``{"bib", "skater", "name", "nation", "lane"}``."""
        return {"bib": self.bib, "skater": self.skater, "name": self.name, "nation": self.nation, "lane": self.lane}


def passage_rank(field: Iterable[Skating], *, distance: int, time_ms: int, bib: int) -> int:
    """Rank at a passage point among everyone in the race who has passed it: one more than the number of other
    skaters faster there (equal thousandths share a rank). A skater with a re-skate counts once, with the better
    time; a skater is not ranked against their own other start."""
    best: dict[int, int] = {}
    for skating in field:
        passed = skating.passages.get(distance)
        if passed is not None and skating.bib != bib:
            best[skating.bib] = min(passed, best.get(skating.bib, passed))
    return 1 + sum(1 for other in best.values() if other < time_ms)


def reference(field: Sequence[Skating], *, distance: int, leader: StartKey | None) -> tuple[StartKey, int] | None:
    """Whose passage at ``distance`` the others are measured against: the race leader's (the current rank-1
    finisher), or, before anyone has finished or when the leader has no time there, the fastest so far."""
    by_key = {skating.key: skating for skating in field}
    if leader is not None and leader in by_key and distance in by_key[leader].passages:
        return leader, by_key[leader].passages[distance]
    passed = [(skating.passages[distance], skating.key) for skating in field if distance in skating.passages]
    if not passed:
        return None
    time_ms, key = min(passed)
    return key, time_ms


def passage_entry(field: Sequence[Skating], skating: Skating, *, leader: StartKey | None) -> dict[str, Any] | None:
    """A skater's latest passage as the board shows it: ``{"distance", "time", "time_ms", "rank", "behind"}``.

    ``behind`` is the gap to the reference's passage at the same point on truncated hundredths: ``+0.12`` slower,
    ``-0.05`` faster, blank when equal or for the reference itself.
    """
    if not skating.passages:
        return None
    distance = max(skating.passages)
    time_ms = skating.passages[distance]
    mark = reference(field, distance=distance, leader=leader)
    behind = ""
    if mark is not None and mark[0] != skating.key:
        behind = format_gap(hundredths(time_ms) - hundredths(mark[1]))
    return {
        "distance": distance,
        "time": format_time(time_ms),
        "time_ms": time_ms,
        "rank": passage_rank(field, distance=distance, time_ms=time_ms, bib=skating.bib),
        "behind": behind,
    }


def on_ice(field: Sequence[Skating], *, leader: StartKey | None) -> list[dict[str, Any]]:
    """The heats in progress: a heat where someone has a passage and no result yet. Each lists its skaters still
    without a result (a skater who has finished is in the standings), with their latest passage or null."""
    heats = sorted({s.heat for s in field if s.passages and not s.has_result})
    return [
        {
            "heat": heat,
            "skaters": [
                {**s.entry(), "passage": passage_entry(field, s, leader=leader)}
                for s in field
                if s.heat == heat and not s.has_result
            ],
        }
        for heat in heats
    ]
