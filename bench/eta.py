"""How close the expected starts come to the actual ones, on every official result list in data/: a measurement, not
a test.

The sheets give each pair's times, not when the pairs started, so each race is skated again on a simulated clock: a
pair starts when the one before it has finished (its slowest time) and the ice is clear, a changeover drawn between
``--changeover-min`` and ``--changeover-max`` seconds (seeded, so every run draws the same). After each pair starts,
the expected start of every pair still to come (results/rules/schedule.py, exactly what the feed publishes) is
compared with when it then actually starts. Before the first pair, the race's scheduled start is its first pair's.

A pair's estimate is *good* when it is within one pair's interval of the actual start (the race's median interval,
what a spectator reads as "the next pair or so"). Reported by how many pairs ahead the estimate was made, and for the
next pair alone.

    .venv/bin/python bench/eta.py
    .venv/bin/python bench/eta.py --changeover-min 30 --changeover-max 90

Results and the command that produced them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from results.rules.schedule import measured_interval, pair_starts_expected  # noqa: E402

DATA = REPO / "data" / "isu-wc-2025-26"
START = datetime(2025, 12, 7, 12, 0, tzinfo=UTC)
HORIZONS = (1, 2, 3, 5, 10)


def pair_durations(stem: str) -> list[float]:
    """Each pair's slowest finish time in seconds, in start order (a pair without a finisher: a usual 60 s)."""
    slowest: dict[int, float] = defaultdict(float)
    with (DATA / f"{stem}.csv").open(encoding="utf-8", newline="") as stream:
        for line in csv.DictReader(stream):
            if line["pair"]:
                pair = int(line["pair"])
                slowest[pair] = max(slowest[pair], float(line["time"]) if line["time"] else 0.0)
    return [slowest[pair] or 60.0 for pair in sorted(slowest)]


def actual_starts(durations: list[float], rng: random.Random, low: float, high: float) -> list[datetime]:
    starts, moment = [], START
    for duration in durations:
        starts.append(moment)
        moment += timedelta(seconds=duration + rng.uniform(low, high))
    return starts


def errors(distance: int, starts: list[datetime]) -> dict[int, list[float]]:
    """Estimate errors in pair intervals, by how many pairs ahead (0: before the race, from its schedule)."""
    interval = (measured_interval(starts) or timedelta(seconds=1)).total_seconds()
    pairs = list(range(1, len(starts) + 1))
    by_ahead: dict[int, list[float]] = defaultdict(list)
    for done in range(len(starts)):
        started = {pair: starts[pair - 1] for pair in pairs[:done]}
        expected = pair_starts_expected(
            scheduled_start=START, started=started, to_start=pairs[done:], distance=distance
        )
        for ahead, pair in enumerate(pairs[done:], start=1):
            by_ahead[ahead].append(abs((expected[pair] - starts[pair - 1]).total_seconds()) / interval)
    return by_ahead


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changeover-min", type=float, default=35.0)
    parser.add_argument("--changeover-max", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    index = list(csv.DictReader((DATA / "index.csv").open(encoding="utf-8")))
    by_ahead: dict[int, list[float]] = defaultdict(list)
    for race in index:
        starts = actual_starts(pair_durations(race["stem"]), rng, options.changeover_min, options.changeover_max)
        for ahead, found in errors(int(race["distance"]), starts).items():
            by_ahead[ahead].extend(found)
    changeover = f"{options.changeover_min:g}-{options.changeover_max:g} s"
    print(f"{len(index)} races, changeover {changeover}, seed {options.seed}")
    print(f"{'pairs ahead':>12} {'estimates':>10} {'within 1 interval':>18} {'median error':>13} {'worst':>7}")
    for ahead in HORIZONS:
        found = [error for later, errs in by_ahead.items() if later <= ahead for error in errs]
        if ahead == 1:
            found = by_ahead[1]
        good = sum(error <= 1 for error in found) / len(found)
        label = "next pair" if ahead == 1 else f"up to {ahead}"
        print(f"{label:>12} {len(found):>10} {good:>17.1%} {median(found):>12.2f}i {max(found):>6.2f}i")


if __name__ == "__main__":
    main()
