"""World Cup standings across a season (docs/rules.md, "World Cup standings"): the points each race of one gender
and distance gave (Division A and B alike) add up per skater over the series' rounds; the highest total leads and
equal totals share a rank, the next rank skipped, as in a race (results/rules/ranking.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Round:
    """A competition of the series: the standings show a column per round, in the order they were skated (by date,
    then by ``key``), so a round added later with an earlier date slots in between."""

    key: int
    starts_on: date


@dataclass(frozen=True)
class Scored:
    """The points one race gave one skater; ``round`` is the key of the race's competition."""

    skater: int
    round: int
    points: int


@dataclass(frozen=True)
class Standing:
    rank: int
    skater: int
    total: int
    by_round: tuple[int | None, ...]  # per round in ``rounds_ordered`` order; None: no points there


def rounds_ordered(rounds: Iterable[Round]) -> list[Round]:
    return sorted(set(rounds), key=lambda r: (r.starts_on, r.key))


def standings(
    scores: Iterable[Scored],
    rounds: Sequence[Round],
    *,
    tie_order: Callable[[int], Any] = lambda skater: skater,
) -> list[Standing]:
    """Every skater who scored a point, highest total first; equal totals share the rank (the next one skipped) and
    are listed by ``tie_order``. A skater's points in each of ``rounds`` (in date order): the sum of that round's
    races (two 500 m races in one round make one column)."""
    ordered = rounds_ordered(rounds)
    column = {r.key: position for position, r in enumerate(ordered)}
    per_round: dict[int, list[int | None]] = {}
    for score in scores:
        if score.points <= 0:
            continue
        cells = per_round.setdefault(score.skater, [None] * len(ordered))
        position = column[score.round]
        cells[position] = (cells[position] or 0) + score.points
    totals = {skater: sum(p for p in cells if p is not None) for skater, cells in per_round.items()}
    order = sorted(totals, key=lambda skater: (-totals[skater], tie_order(skater)))
    rows: list[Standing] = []
    for position, skater in enumerate(order, start=1):
        shared = rows and rows[-1].total == totals[skater]
        rank = rows[-1].rank if shared else position
        rows.append(Standing(rank=rank, skater=skater, total=totals[skater], by_round=tuple(per_round[skater])))
    return rows
