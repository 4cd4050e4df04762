"""The sport's rules for one race's standings (docs/rules.md, "Ranking a race"). Pure: no Django, no I/O.

Rules marked *observed* in docs/rules.md were read off official ISU result lists rather than the rulebook; they
live here, in one place, so that they can change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from results.rules.times import format_behind, format_time, hundredths

OK, DNF, DQ, DNS, WDR = "OK", "DNF", "DQ", "DNS", "WDR"
# Non-finishers follow all finishers in this order (observed: DNF before DQ before WDR; DNS placement assumed).
NON_FINISHER_ORDER = (DNF, DQ, DNS, WDR)
STATUSES = (OK, *NON_FINISHER_ORDER)

# Medals go to ranks 1-3 once the race is final; shared ranks share the medal.
MEDALS = {1: "gold", 2: "silver", 3: "bronze"}

WR, OR, TR, NR, PB, SB = "WR", "OR", "TR", "NR", "PB", "SB"
# Highest first: where space allows one flag only, show the first.
RECORD_PRECEDENCE = (WR, OR, TR, NR, PB, SB)

# Infraction codes printed with a DQ (or with a warning on a finisher), with the rule they refer to (observed).
INFRACTIONS = {
    "T02": "Armband (279.4)",
    "T04": "False start (253.4)",
    "T06": "Not keeping within lane (254.3)",
    "T07": "Crossing the demarcation line (254.4)",
    "T08": "Not changing lane / early or late crossing (254.5)",
    "T09": "Obstruction during crossing (254.6)",
    "T10": "Cutting the inner line (254.7)",
    "T25": "Serious obstruction (257.4.5)",
}
INFRACTION_CHOICES = [(code, f"{code} {text}") for code, text in INFRACTIONS.items()]


@dataclass(frozen=True)
class Result:
    """One skater's outcome in a race, as entered."""

    bib: int
    name: str
    nation: str
    heat: int | None  # None: withdrew before the draw (WDR), in no pair
    lane: str | None
    status: str
    time_ms: int | None = None
    infraction: str | None = None
    # The skater's own marks as they stood before the race, by kind (PB, SB), in thousandths. A kind missing is
    # not known, and is then never flagged.
    personal_marks: Mapping[str, int] = field(default_factory=dict, hash=False)
    # Points a referee awarded by decision instead of the table's (docs/rules.md, "Points and medals"), if any.
    points_awarded: int | None = None

    @property
    def finished(self) -> bool:
        return self.status == OK and self.time_ms is not None

    @property
    def hundredths(self) -> int:
        """The time as printed (truncated to hundredths); only for finishers."""
        assert self.time_ms is not None
        return hundredths(self.time_ms)


@dataclass(frozen=True)
class Standing:
    """A row of the standings: the result plus everything the system derives from the whole field."""

    result: Result
    rank: int | None
    time: str | None
    behind: str
    points: int | None
    records: tuple[str, ...]

    def as_row(self, *, final: bool = False) -> dict[str, Any]:
        """The feed's row (docs/feed.md); ``final`` once the race is official, when medals are awarded."""
        result = self.result
        return {
            "rank": self.rank,
            "bib": result.bib,
            "name": result.name,
            "nation": result.nation,
            "heat": result.heat,
            "lane": result.lane or None,
            "time": self.time,
            "time_ms": result.time_ms if result.finished else None,
            "status": result.status,
            "infraction": result.infraction or None,
            "behind": self.behind,
            "points": self.points,
            "records": list(self.records),
            "medal": MEDALS.get(self.rank) if final and self.rank else None,
        }


def _start_order(result: Result) -> tuple[bool, int, str, int]:
    """Pair, lane, bib; a skater in no pair (withdrawn before the draw) after every pair."""
    return (result.heat is None, result.heat or 0, result.lane or "", result.bib)


def rank_results(
    results: Iterable[Result],
    *,
    points_table: Sequence[int] = (),
    standing_records: Mapping[str, int] | None = None,
    national_records: Mapping[str, int] | None = None,
) -> list[Standing]:
    """Standings for everyone who has a result: finishers by time, then non-finishers by status and heat.

    ``points_table`` gives points by rank (empty: the race awards none). ``standing_records`` maps a record kind
    (WR, OR, TR) to the record that stood before this race, for the kinds that can be set here;
    ``national_records`` maps a nation to its national record on the race's distance. Personal and season bests
    come with each result (``Result.personal_marks``).
    """
    entered = list(results)
    results = counted_results(entered)
    finishers = sorted((r for r in results if r.finished), key=lambda r: (r.time_ms, _start_order(r)))
    same_hundredths = Counter(r.hundredths for r in finishers)
    # Every time skated sets a mark for the pairs after it, a first time that a re-skate bettered too.
    flags = record_flags([r for r in entered if r.finished], standing_records or {}, national_records or {})
    leader = finishers[0].hundredths if finishers else 0

    standings: list[Standing] = []
    # Equal thousandths share a rank; the ranks they take up are then skipped (two 11th, next 13th).
    for time_ms, tied in groupby(finishers, key=lambda r: r.time_ms):
        rank = len(standings) + 1
        for result in tied:
            standings.append(
                Standing(
                    result=result,
                    rank=rank,
                    time=format_time(time_ms, with_thousandth=same_hundredths[result.hundredths] > 1),
                    behind=format_behind(result.hundredths - leader),
                    points=_points(result, points_for_rank(rank, points_table)),
                    records=flags.get(id(result), ()),
                )
            )

    order = {status: index for index, status in enumerate(NON_FINISHER_ORDER)}
    others = sorted(
        (r for r in results if not r.finished),
        key=lambda r: (order.get(r.status, len(order)), _start_order(r)),
    )
    standings.extend(
        Standing(result=r, rank=None, time=None, behind="", points=_points(r, None), records=()) for r in others
    )
    return standings


def counted_results(results: Iterable[Result]) -> list[Result]:
    """One result per skater. A re-skate gives a skater a second result with the same bib: the better valid time
    counts; without a valid time, the later result stands (docs/rules.md, "Re-skates")."""
    by_bib: dict[int, list[Result]] = {}
    for result in results:
        by_bib.setdefault(result.bib, []).append(result)
    return [_better(entries) for entries in by_bib.values()]


def _better(entries: list[Result]) -> Result:
    finished = [r for r in entries if r.finished]
    if finished:
        return min(finished, key=lambda r: (r.time_ms, r.heat or 0))
    return max(entries, key=lambda r: r.heat or 0)


def _points(result: Result, by_table: int | None) -> int | None:
    """The referee's points by decision where there are some, else the table's."""
    return by_table if result.points_awarded is None else result.points_awarded


def points_for_rank(rank: int, points_table: Sequence[int]) -> int | None:
    """Tied skaters get the points of the rank they share; ranks past the table's end get 0."""
    if not points_table:
        return None
    return points_table[rank - 1] if rank <= len(points_table) else 0


def record_flags(
    finishers: Sequence[Result],
    standing_records: Mapping[str, int],
    national_records: Mapping[str, int] | None = None,
) -> dict[int, tuple[str, ...]]:
    """Every record each finisher beat at the moment it was skated, keyed by ``id(result)``, highest first.

    A record is beaten by a lower time in hundredths (records are kept to the hundredth; equalling one is not a
    new record). The mark to beat is the standing one or a better time skated in an earlier heat of this race:
    by anyone for WR, OR and TR; by a skater of the same nation for NR; by the skater themself (a re-skate after
    their first time) for PB and SB. Skaters of the same heat race at the same moment, so they do not set the
    mark for each other. A kind with no standing mark (a new track, a nation without a national record, a skater
    whose bests are not known) is never flagged, with one exception: a new personal best is a season best too.
    """
    race_marks = {kind: hundredths(time_ms) for kind, time_ms in standing_records.items()}
    nation_marks = {nation: hundredths(time_ms) for nation, time_ms in (national_records or {}).items()}
    # By bib, which a skater keeps in a re-skate; filled from the skater's first result.
    skater_marks: dict[int, dict[str, int]] = {}
    flags: dict[int, tuple[str, ...]] = {}
    by_heat = sorted(finishers, key=_start_order)
    for _heat, group in groupby(by_heat, key=lambda r: r.heat):
        heat_results = list(group)
        for result in heat_results:
            own = skater_marks.setdefault(
                result.bib,
                {kind: hundredths(t) for kind, t in result.personal_marks.items() if kind in (PB, SB)},
            )
            marks = {**race_marks, **own}
            if result.nation in nation_marks:
                marks[NR] = nation_marks[result.nation]
            beaten = {kind for kind, mark in marks.items() if result.hundredths < mark}
            if PB in beaten:
                beaten.add(SB)  # faster than every time the skater ever skated, so than this season's too
            if beaten:
                flags[id(result)] = tuple(k for k in RECORD_PRECEDENCE if k in beaten)
        for result in heat_results:
            for kind in race_marks:
                race_marks[kind] = min(race_marks[kind], result.hundredths)
            if result.nation in nation_marks:
                nation_marks[result.nation] = min(nation_marks[result.nation], result.hundredths)
            own = skater_marks[result.bib]
            for kind in (PB, SB):
                if kind in own or kind in flags.get(id(result), ()):
                    own[kind] = min(own.get(kind, result.hundredths), result.hundredths)
    return flags
