"""Race intelligence: what a skater on the ice is on course for, what it takes to lead, reach the podium or score,
and the pair on the ice side by side. Pure: no Django, no I/O (docs/rules.md, "Projections").

Every figure is worked on the printed times (truncated to hundredths), as a commentator would on paper: a
projection is the skater's time at a passage plus the reference's time from that passage to the finish,
``16.35 + (1:08.41 - 16.20) = 1:08.56``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from results.rules.passages import Skating
from results.rules.times import format_gap, format_time, hundredths

PODIUM_PLACES = 3
LEADER, FASTEST_FINISHER = "leader", "fastest_finisher"
# The armband a skater wears by lane (ISU rules: white in the inner lane, red in the outer).
ARMBANDS = {"I": "white", "O": "red"}


@dataclass(frozen=True)
class Finisher:
    """A skater with a finish time, in the race's rank order: what projections are measured against."""

    bib: int
    skater: int | None
    name: str
    time_ms: int
    passages: Mapping[int, int]


def _reference(finishers: Sequence[Finisher], *, distance: int, bib: int) -> tuple[str, Finisher] | None:
    """Whose rest of the race a skater at ``distance`` is projected with: the race leader's, or, when the leader
    has no time there (timed by hand), the fastest finisher who has. Never the skater's own other start."""
    with_passage = [f for f in finishers if f.bib != bib and distance in f.passages]
    if not with_passage:
        return None
    if finishers[0].bib != bib and with_passage[0] is finishers[0]:
        return LEADER, finishers[0]
    return FASTEST_FINISHER, with_passage[0]


def _gap_to(centiseconds: int, mark_ms: int | None) -> str | None:
    return None if mark_ms is None else format_gap(centiseconds - hundredths(mark_ms))


def projection(
    finishers: Sequence[Finisher],
    *,
    bib: int,
    distance: int,
    time_ms: int,
    marks: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """What the skater ``bib`` at ``distance`` in ``time_ms`` is on course for: ``projected`` (``{"time",
    "time_ms", "rank", "reference"}``, null before anyone has finished with a time at that passage) and the gaps
    of that projection ``to_podium`` (the current 3rd place; null with fewer than three other finishers), ``to_pb``
    and ``to_sb`` (null when the best is not known). ``marks``: the skater's ``{"PB": ms, "SB": ms}``."""
    found = _reference(finishers, distance=distance, bib=bib)
    if found is None:
        return {"projected": None, "to_podium": None, "to_pb": None, "to_sb": None}
    kind, reference = found
    centiseconds = hundredths(time_ms) + hundredths(reference.time_ms) - hundredths(reference.passages[distance])
    others = [f for f in finishers if f.bib != bib]
    own = marks or {}
    podium = others[PODIUM_PLACES - 1].time_ms if len(others) >= PODIUM_PLACES else None
    return {
        "projected": {
            "time": format_time(centiseconds * 10),
            "time_ms": centiseconds * 10,
            "rank": 1 + sum(1 for f in others if hundredths(f.time_ms) < centiseconds),
            "reference": {"kind": kind, "bib": reference.bib, "skater": reference.skater, "name": reference.name},
        },
        "to_podium": _gap_to(centiseconds, podium),
        "to_pb": _gap_to(centiseconds, own.get("PB")),
        "to_sb": _gap_to(centiseconds, own.get("SB")),
    }


def _mark(finisher: Finisher) -> dict[str, Any]:
    return {
        "time": format_time(finisher.time_ms),
        "time_ms": finisher.time_ms,
        "bib": finisher.bib,
        "name": finisher.name,
    }


def what_it_takes(finishers: Sequence[Finisher], *, points_places: int) -> dict[str, Any]:
    """The time to beat, as of now, to lead, to reach the podium and to score points (the last place that pays):
    each ``{"time", "time_ms", "bib", "name"}`` of the finisher holding that place, faster takes it outright and
    the same thousandths share it; null while fewer have finished than the place (any finish does it). ``points``
    is left out when the race pays none (``points_places`` 0)."""
    places = {"lead": 1, "podium": PODIUM_PLACES}
    if points_places:
        places["points"] = points_places
    return {name: _mark(finishers[place - 1]) if len(finishers) >= place else None for name, place in places.items()}


def head_to_head(pair: Sequence[Skating], *, finish: Mapping[int, int], distance: int) -> dict[str, Any]:
    """A pair side by side (lane order, inner first): each skater with lane and armband, and at every point
    either has reached (passages and the finish) the times in the order of ``skaters``, the ``gap`` between the
    first two there (truncated hundredths, blank when equal) and who is ``ahead`` (bib, null when level or alone).
    ``finish``: finish times by bib."""
    skaters = sorted(pair, key=lambda s: (s.lane or "Z", s.bib))
    points = []
    reached = sorted({d for s in skaters for d in s.passages} | ({distance} if finish else set()))
    for at in reached:
        times = [s.passages.get(at) if at != distance else finish.get(s.bib) for s in skaters]
        there = sorted((hundredths(t), s.bib) for t, s in zip(times, skaters, strict=True) if t is not None)
        level = len(there) < 2 or there[0][0] == there[1][0]
        points.append(
            {
                "distance": at,
                "times": [
                    None if t is None else {"bib": s.bib, "time": format_time(t), "time_ms": t}
                    for t, s in zip(times, skaters, strict=True)
                ],
                "gap": "" if len(there) < 2 else format_gap(there[1][0] - there[0][0]).lstrip("+"),
                "ahead": None if level else there[0][1],
            }
        )
    return {
        "skaters": [{**s.entry(), "armband": ARMBANDS.get(s.lane or "")} for s in skaters],
        "points": points,
    }
