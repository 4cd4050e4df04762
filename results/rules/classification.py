"""The sport's rules for multi-distance classifications: sprint and allround championships (docs/rules.md,
"Classifications"). Pure: no Django, no I/O. Explained for organisers in docs/classifications.md.

Points are kept as integers in **thousandths of a point**, so no total is ever off by a float's rounding.

- Points on a distance = the time per 500 m in seconds, truncated to three decimals, computed from the time as
  result lists print it (hundredths, truncated): 1:42.56 over 1500 m is 10256 hundredths x 10 x 500 // 1500 =
  34186, "34.186". *Observed*: championship sheets give a 500 m the points of its printed time (Leerdam's 38.11 is
  38.110, where the thousandth of the timing would show), and every figure in docs/rules.md is made that way.
- The classification ranks by total points, lowest first. While a championship is live it follows the usual
  practice: after each distance, the skaters who have skated every distance so far are ranked by their total.
  Skaters still to skate the distance under way are listed below them, unranked, with their total so far.
  A skater with a DNF, DQ, DNS or WDR on any distance drops out: no total, listed last. A skater who is not in a
  distance's draw at all (not qualified for the last distance of an allround) is ranked below those who skated
  it, by the total over the distances skated, once nobody is left to skate it.
- Equal totals share a rank; the next rank is skipped (as in a race).
- Behind = the points difference to the leader, shown in seconds on the next distance: points x (next distance /
  500), truncated to hundredths, ``+0.76``. After the last distance there is no next one: the difference is shown
  in points, ``+0.075``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from results.rules.ranking import DNF, DNS, DQ, OK, WDR
from results.rules.times import format_behind, format_time, hundredths

PENDING = ""  # in the distance's draw, not skated yet
OUT = (DNF, DQ, DNS, WDR)
POINTS_UNIT_METRES = 500

SPRINT, MINI, SMALL, BIG, OTHER = "sprint", "mini", "small", "big", "other"
# The distances of each kind of championship, in the order they are skated (docs/rules.md).
KIND_DISTANCES: dict[str, tuple[int, ...]] = {
    SPRINT: (500, 1000, 500, 1000),
    MINI: (500, 1000, 1500, 3000),
    SMALL: (500, 1500, 3000, 5000),
    BIG: (500, 1500, 5000, 10000),
}
KIND_NAMES = {SPRINT: "sprint", MINI: "mini allround", SMALL: "small allround", BIG: "big allround"}

ERROR_WRONG_DISTANCE = "A {kind} skates the {expected} m as distance {position}; {race} is a {distance} m."
ERROR_TOO_MANY = "A {kind} has {count} distances; distance {position} ({race}) is one too many."
ERROR_POSITION_GAP = "Number the distances 1, 2, 3, … in the order they are skated: distance {missing} is missing."
WARNING_INCOMPLETE = (
    "A {kind} has {count} distances and {given} of them are set: the standings count only these until the "
    "rest are added."
)


# ---------------------------------------------------------------------------------------------------- points


def points(time_ms: int, distance: int) -> int:
    """Thousandths of a point: seconds per 500 m of the printed time, truncated. ``points(102560, 1500) == 34186``."""
    return hundredths(time_ms) * 10 * POINTS_UNIT_METRES // distance


def format_points(thousandths: int) -> str:
    """``151140`` -> ``151.140``."""
    return f"{thousandths // 1000}.{thousandths % 1000:03d}"


def behind_text(difference: int, next_distance: int | None) -> str:
    """A points difference (thousandths) as shown: seconds on the next distance (``+0.76``, truncated to hundredths),
    or points after the last distance (``+0.075``). Blank for no difference, or none visible in hundredths."""
    if difference <= 0:
        return ""
    if next_distance is None:
        return f"+{format_points(difference)}"
    # points x (distance / 500) is thousandths of a second; // 10 truncates to hundredths.
    return format_behind(difference * next_distance // POINTS_UNIT_METRES // 10)


# ---------------------------------------------------------------------------------------------------- kinds


def legs_errors(kind: str, legs: Sequence[tuple[int, int, str]]) -> list[str]:
    """What is wrong with a classification's distances: ``legs`` are ``(position, distance, race title)``.

    Positions must run 1, 2, 3, ... A preset kind (sprint, mini, small, big) must skate its distances in its order,
    and no more of them; fewer is allowed while a championship is being set up (see ``legs_warning``).
    """
    errors: list[str] = []
    positions = sorted(position for position, _distance, _race in legs)
    missing = next((n for n, position in enumerate(positions, start=1) if position != n), None)
    if missing is not None:
        errors.append(ERROR_POSITION_GAP.format(missing=missing))
    expected = KIND_DISTANCES.get(kind)
    if expected is None:
        return errors
    name = KIND_NAMES[kind]
    for position, distance, race in sorted(legs):
        if position > len(expected):
            errors.append(ERROR_TOO_MANY.format(kind=name, count=len(expected), position=position, race=race))
        elif distance != expected[position - 1]:
            errors.append(
                ERROR_WRONG_DISTANCE.format(
                    kind=name, expected=expected[position - 1], position=position, race=race, distance=distance
                )
            )
    return errors


def legs_warning(kind: str, count: int) -> str | None:
    """A preset with fewer distances than it needs: allowed (races are added as they are drawn), but said."""
    expected = KIND_DISTANCES.get(kind)
    if expected is None or count >= len(expected):
        return None
    return WARNING_INCOMPLETE.format(kind=KIND_NAMES[kind], count=len(expected), given=count)


# ---------------------------------------------------------------------------------------------------- standings


@dataclass(frozen=True)
class Outcome:
    """A skater's counted result on one distance (after re-skates): ``PENDING``, ``OK`` with a time, or out."""

    status: str
    time_ms: int | None = None

    @property
    def finished(self) -> bool:
        return self.status == OK and self.time_ms is not None


@dataclass(frozen=True)
class Competitor:
    """A skater of the classification. ``outcomes`` has one entry per distance: ``None`` where the skater is not in
    that distance's draw."""

    key: int
    name: str
    nation: str
    outcomes: tuple[Outcome | None, ...]


@dataclass(frozen=True)
class Row:
    competitor: Competitor
    rank: int | None
    total: int | None  # thousandths over the distances skated in a row from the first; None once out
    points: tuple[int | None, ...]  # per distance, for every finished distance
    behind: str
    complete: bool  # has skated every distance so far
    waiting: bool  # still to skate the distance under way
    out: bool


@dataclass(frozen=True)
class Standings:
    rows: list[Row]
    next_position: int | None  # 1-based: the distance "behind" is measured on; None after the last


@dataclass(frozen=True)
class _Tally:
    competitor: Competitor
    points: tuple[int | None, ...]
    reached: int  # distances finished in a row from the first
    total: int
    out: bool


def _tally(competitor: Competitor, distances: Sequence[int]) -> _Tally:
    per_distance = tuple(
        points(outcome.time_ms, distance)
        if outcome is not None and outcome.time_ms is not None and outcome.finished
        else None
        for outcome, distance in zip(competitor.outcomes, distances, strict=True)
    )
    reached = next((n for n, value in enumerate(per_distance) if value is None), len(per_distance))
    out = any(outcome is not None and outcome.status in OUT for outcome in competitor.outcomes)
    return _Tally(competitor, per_distance, reached, sum(p for p in per_distance[:reached] if p is not None), out)


def classify(competitors: Sequence[Competitor], distances: Sequence[int], over: Sequence[bool]) -> Standings:
    """The classification's standings now. ``distances`` in metres and ``over`` (every pair of that distance has
    skated: unofficial, official or under review) are given per position, like each competitor's outcomes.
    ``competitors`` come in the order of the draw, which orders skaters the rules do not tell apart."""
    tallies = [_tally(competitor, distances) for competitor in competitors]
    so_far = max((t.reached for t in tallies if not t.out), default=0)

    def waiting(t: _Tally) -> bool:
        if t.out or t.reached >= so_far:
            return False
        outcome = t.competitor.outcomes[t.reached]
        return outcome is not None and outcome.status == PENDING and not over[t.reached]

    someone_waiting = any(waiting(t) for t in tallies)

    def ranked(t: _Tally) -> bool:
        # Behind those who skated every distance so far come those who will not skate the next one (not in its
        # draw), but only once nobody is left to skate it: until then their place is not known.
        return not t.out and t.reached >= 1 and not waiting(t) and (t.reached == so_far or not someone_waiting)

    draw = {id(t): n for n, t in enumerate(tallies)}

    def order(t: _Tally) -> tuple[int, int, int]:
        # Equal so far (nothing skated yet, or a tie): in the order given, which is the draw.
        return (-t.reached, t.total, draw[id(t)])

    classified = sorted((t for t in tallies if ranked(t)), key=order)
    next_position = so_far + 1 if so_far < len(distances) else None
    next_distance = distances[so_far] if next_position is not None else None
    leader = classified[0] if classified else None

    rows: list[Row] = []
    for _key, tied in groupby(classified, key=lambda t: (t.reached, t.total)):
        rank = len(rows) + 1
        for t in tied:
            comparable = leader is not None and t.reached == leader.reached
            rows.append(
                _row(
                    t,
                    rank=rank,
                    so_far=so_far,
                    behind=behind_text(t.total - leader.total, next_distance) if comparable and leader else "",
                )
            )
    unranked = sorted((t for t in tallies if not t.out and not ranked(t)), key=order)
    rows.extend(_row(t, rank=None, so_far=so_far, waiting=waiting(t)) for t in unranked)
    rows.extend(_row(t, rank=None, so_far=so_far) for t in sorted((t for t in tallies if t.out), key=order))
    return Standings(rows=rows, next_position=next_position)


def _row(t: _Tally, *, rank: int | None, so_far: int, behind: str = "", waiting: bool = False) -> Row:
    return Row(
        competitor=t.competitor,
        rank=rank,
        total=None if t.out or t.reached == 0 else t.total,
        points=t.points,
        behind=behind,
        complete=not t.out and so_far > 0 and t.reached == so_far,
        waiting=waiting,
        out=t.out,
    )


def shown_time(time_ms: int) -> str:
    """A time in a classification, as it counts: hundredths, truncated (no thousandth: points ignore it)."""
    return format_time(time_ms)
