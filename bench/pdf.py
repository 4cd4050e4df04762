"""How long the printed documents take to make: a benchmark, not a test.

It migrates a fresh database, replays every official result list of one World Cup round (data/isu-wc-2025-26, all
of Salt Lake City by default: 20 races) into one competition, then times, each N times: the result list PDF of its
40-skater men's 1000 m Division B, its start list PDF, and the competition's results book (every race, one PDF). As
the reference in the same run, the CSV export of the same race (the other "result list as a file"). Each document is
read and rendered the way its address does it (selector, template, WeasyPrint).

    .venv/bin/python bench/pdf.py
    .venv/bin/python bench/pdf.py --runs 10 --round wc3-heerenveen

Results and the commands that produced them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "bench"), str(REPO)]

from servers import django_setup, fresh_database  # noqa: E402

DATA = REPO / "data" / "isu-wc-2025-26"
FORTY = "wc1-salt-lake-city-2025-11-14-men-1000-b"


def round_replayed(prefix: str) -> tuple[int, dict[str, int]]:
    """The competition with every race of the round whose sheets start with ``prefix``, in the index's order (the
    programme's), replayed pair by pair; its id and each race's id by sheet."""
    from results.demo.replay import heat_results_replay, race_create_from_sheet
    from results.files.result_csv import read_result_csv
    from results.models import Competition, Venue
    from results.rules.points_tables import WORLD_CUP_A, WORLD_CUP_B, WORLD_CUP_B_32, WORLD_CUP_B_36

    tables = {60: WORLD_CUP_A, 28: WORLD_CUP_B, 32: WORLD_CUP_B_32, 36: WORLD_CUP_B_36}
    index = csv.DictReader((DATA / "index.csv").open(encoding="utf-8"))
    index = [row for row in index if row["stem"].startswith(prefix)]
    venue = Venue.objects.create(name=index[0]["venue"], city=index[0]["city"], country="USA")
    competition = Competition.objects.create(
        name=index[0]["competition"], venue=venue, starts_on=index[0]["date"], ends_on=index[-1]["date"]
    )
    races = {}
    for sheet in index:
        path = DATA / f"{sheet['stem']}.csv"
        rows = read_result_csv(path.open(encoding="utf-8"))
        winner_points = int(next(csv.DictReader(path.open(encoding="utf-8")))["points"])
        race = race_create_from_sheet(
            competition=competition,
            title=f"{sheet['gender'].title()} {sheet['distance']}m Division {sheet['division']}",
            gender=sheet["gender"],
            distance=int(sheet["distance"]),
            rows=rows,
            points_table=tables[winner_points],
            day=date.fromisoformat(sheet["date"]),
        )
        heat_results_replay(race=race, rows=rows)
        races[sheet["stem"]] = race.pk
    return competition.pk, races


def timed(runs: int, make: Callable[[], bytes | str]) -> tuple[list[float], int]:
    """Milliseconds of each run, and the size of what the last one made."""
    times = []
    made: bytes | str = b""
    for _ in range(runs):
        started = time.perf_counter()
        made = make()
        times.append((time.perf_counter() - started) * 1000)
    return times, len(made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="renders of each document (default 5)")
    parser.add_argument("--round", default="wc1-salt-lake-city", help="the sheets' prefix (default wc1-salt-lake-city)")
    args = parser.parse_args()
    with fresh_database(None) as database_url:
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        django_setup(database_url, None)
        from results import selectors
        from results.files.exports import race_results_csv
        from results.models import Race
        from results.web import pdf_render as pdf

        started = time.perf_counter()
        competition_id, races = round_replayed(args.round)
        print(f"replayed {len(races)} races in {time.perf_counter() - started:.1f} s")
        race_id = races.get(FORTY, next(iter(races.values())))
        race = Race.objects.select_related("competition").get(pk=race_id)

        def result_list() -> bytes:
            sheet = selectors.race_result_sheet(race_id)
            assert sheet is not None
            return pdf.result_list_pdf(sheet).content

        def start_list() -> bytes:
            sheet = selectors.race_start_list_sheet(race_id)
            assert sheet is not None
            return pdf.start_list_pdf(sheet).content

        def book() -> bytes:
            found = selectors.competition_results_book(competition_id)
            assert found is not None
            return pdf.results_book_pdf(found).content

        documents: list[tuple[str, Callable[[], bytes | str]]] = [
            (f"CSV export, {race.title} ({len(selectors.race_standings(race))} rows)", lambda: race_results_csv(race)),
            (f"result list PDF, {race.title}", result_list),
            (f"start list PDF, {race.title}", start_list),
            (f"results book PDF, {len(races)} races", book),
        ]
        print(f"{'document':58} {'median ms':>10} {'max ms':>8} {'bytes':>9}")
        for name, make in documents:
            times, size = timed(args.runs, make)
            print(f"{name:58} {statistics.median(times):10.1f} {max(times):8.1f} {size:9d}")
        pages = len(pdf_pages(book()))
        print(f"the book has {pages} pages")


def pdf_pages(content: bytes) -> list[object]:
    import io

    from pypdf import PdfReader

    return list(PdfReader(io.BytesIO(content)).pages)


if __name__ == "__main__":
    main()
