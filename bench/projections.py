"""What the projections cost a passage: a benchmark, not a test.

It migrates a fresh database (a SQLite file, or a new database on the PostgreSQL server ``--database-url`` names),
replays a real race with passages on every pair (the Salt Lake City men's 1000 m Division B, 40 skaters, passages
constructed as the demo's timing system does), leaves the last pair on the ice, and then times, alternately in the
same run, building the race's snapshot document as a passage publishes it:

- **with** projections, head to head and what it takes (the code as it stands), and
- **without** them (the reference: ``results.selectors.passages`` with the projection step switched off in this
  process, which is the snapshot as it was before projections).

    .venv/bin/python bench/projections.py
    .venv/bin/python bench/projections.py --database-url postgres://postgres@127.0.0.1:5432/bench

Results and the commands that produced them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "bench"), str(REPO)]

from servers import django_setup, fresh_database  # noqa: E402

STEM = "wc1-salt-lake-city-2025-11-14-men-1000-b"


def race_on_the_ice():
    """The race with every pair but the last skated (passages and results), the last at its 600 m."""
    from datetime import date

    from results.demo.replay import race_create_from_sheet
    from results.demo.timing import constructed_passage_ms, heat_results_replay_with_passages
    from results.files.result_csv import read_result_csv
    from results.models import Competition, Venue
    from results.rules.points_tables import WORLD_CUP_B
    from results.services.timing import TimingPost, timing_post_record

    venue = Venue.objects.create(name="Utah Olympic Oval", city="Salt Lake City", country="USA")
    competition = Competition.objects.create(
        name="Bench World Cup", venue=venue, starts_on=date(2025, 11, 14), ends_on=date(2025, 11, 16)
    )
    with (REPO / "data" / "isu-wc-2025-26" / f"{STEM}.csv").open(encoding="utf-8") as stream:
        rows = read_result_csv(stream)
    race = race_create_from_sheet(
        competition=competition,
        title="Men 1000m Division B",
        gender="men",
        distance=1000,
        rows=rows,
        points_table=WORLD_CUP_B,
    )
    last = max(row.heat for row in rows if row.heat)
    skated = [row for row in rows if row.heat and row.heat < last]
    heat_results_replay_with_passages(race=race, rows=skated, interval=0, sleep=lambda _seconds: None)
    for row in rows:
        if row.heat == last and row.time_ms:
            for metres in (200, 600):
                time_ms = constructed_passage_ms(finish_ms=row.time_ms, distance=1000, metres=metres, bib=row.bib)
                timing_post_record(race=race, post=TimingPost(heat=last, bib=row.bib, distance=metres, time_ms=time_ms))
    return race


def build_ms(race, rounds: int) -> list[float]:
    from django.utils import timezone

    from results.selectors.races import race_snapshot_document

    now = timezone.now()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        race_snapshot_document(race, version=1, committed_at=now)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL database to use instead of a fresh SQLite file")
    parser.add_argument("--rounds", type=int, default=200, help="snapshots built per round of each kind")
    parser.add_argument("--repeats", type=int, default=5, help="alternating rounds of each kind")
    args = parser.parse_args()
    with fresh_database(args.database_url) as database_url:
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        django_setup(database_url, None)
        run(args.rounds, args.repeats)


def run(rounds: int, repeats: int) -> None:
    from results.rules import projections
    from results.selectors import passages

    race = race_on_the_ice()
    document_projected = passages.race_passages  # as it stands
    original_project, original_takes = passages._project, projections.what_it_takes
    kinds: dict[str, list[float]] = {"with projections": [], "without (reference)": []}
    for _ in range(repeats):
        kinds["with projections"] += build_ms(race, rounds)
        passages._project = lambda *args, **kwargs: None  # type: ignore[assignment]
        projections.what_it_takes = lambda *args, **kwargs: None  # type: ignore[assignment]
        kinds["without (reference)"] += build_ms(race, rounds)
        passages._project, projections.what_it_takes = original_project, original_takes
    assert document_projected is passages.race_passages
    print(f"{'snapshot of a 40-skater race, a pair on the ice':<48} {'p50 ms':>8} {'p90 ms':>8} {'mean ms':>8}")
    for kind, times in kinds.items():
        deciles = statistics.quantiles(times, n=10)
        print(f"{kind:<48} {statistics.median(times):>8.2f} {deciles[8]:>8.2f} {statistics.fmean(times):>8.2f}")
    extra = statistics.median(kinds["with projections"]) - statistics.median(kinds["without (reference)"])
    print(f"projections add {extra:.2f} ms a snapshot (p50)")


if __name__ == "__main__":
    main()
