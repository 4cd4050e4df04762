"""How long confirming a start list takes, and how long it holds the database's write lock: a benchmark, not a test.

It migrates a fresh database (a SQLite file, or a new database on the PostgreSQL server ``--database-url`` names,
dropped afterwards), makes a race, and confirms a
generated start list of N lines the way the admin's confirm step does (read the text, preview it against the race,
import it), then imports a corrected draw over it (every start changed). As the reference in the same run, it
writes the same number of starts with one bulk insert: the floor of writing them at all.

    .venv/bin/python bench/startlist_import.py --lines 1000
    .venv/bin/python bench/startlist_import.py --lines 400 --lines 1000 --lines 2000

Results and the commands that produced them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "bench"), str(REPO)]

from servers import django_setup, fresh_database  # noqa: E402


def draw_text(lines: int, *, shift: int = 0) -> str:
    """A draw of ``lines`` skaters, two to a pair; ``shift`` moves every skater to another pair and bib."""
    rows = ["heat,lane,bib,name,nation"]
    for index in range(lines):
        skater = (index + shift) % lines
        rows.append(f"{skater // 2 + 1},{'IO'[skater % 2]},{skater + 1},Skater NUMBER{lines}-{index:05d},NED")
    return "\n".join(rows) + "\n"


def confirm(race_id: int, text: str) -> tuple[float, float, str]:
    """(seconds in all, seconds of the import itself, the summary), as the admin's confirm step does it."""
    from results.files.startlist_preview import start_list_preview
    from results.models import Race
    from results.services.startlists import start_list_import

    race = Race.objects.get(pk=race_id)
    started = time.perf_counter()
    preview = start_list_preview(race=race, text=text)
    assert not preview.messages, preview.messages[:3]
    importing = time.perf_counter()
    summary = start_list_import(race=race, entries=preview.entries, by=None)
    done = time.perf_counter()
    return done - started, done - importing, str(summary)


def bulk_reference(race_id: int, lines: int) -> float:
    """The floor: the same number of heats, skaters and starts written with one bulk insert each."""
    from django.db import transaction

    from results.models import Heat, Skater, Start

    started = time.perf_counter()
    with transaction.atomic():
        heats = Heat.objects.bulk_create(Heat(race_id=race_id, number=n + 1) for n in range((lines + 1) // 2))
        skaters = Skater.objects.bulk_create(
            Skater(name=f"Reference SKATER{lines}-{n:05d}", nation="NOR") for n in range(lines)
        )
        Start.objects.bulk_create(
            Start(heat=heats[n // 2], skater=skaters[n], bib=n + 1, lane="IO"[n % 2]) for n in range(lines)
        )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, action="append", help="start list lines (repeatable; default 1000)")
    parser.add_argument("--database-url", help="a PostgreSQL database to use instead of a fresh SQLite file")
    args = parser.parse_args()
    with fresh_database(args.database_url) as database_url:
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        django_setup(database_url, None)
        run(args.lines or [1000])


def run(all_lines: list[int]) -> None:
    from results.models import Competition, Venue
    from results.services.races import race_create

    venue = Venue.objects.create(name="Bench Oval", city="Bench", country="NED")
    competition = Competition.objects.create(
        name="Bench Cup", venue=venue, starts_on=date(2025, 12, 5), ends_on=date(2025, 12, 5)
    )
    print(
        f"{'lines':>6} {'new draw s':>11} {'(import)':>9} {'changed draw s':>15} {'(import)':>9} {'bulk floor s':>13}"
    )
    for lines in all_lines:
        race = race_create(competition=competition, title=f"Men {lines}", gender="men", distance=500)
        first, first_import, _ = confirm(race.pk, draw_text(lines))
        again, again_import, summary = confirm(race.pk, draw_text(lines, shift=2))
        floor_race = race_create(competition=competition, title=f"Floor {lines}", gender="men", distance=500)
        floor = bulk_reference(floor_race.pk, lines)
        print(f"{lines:>6} {first:>11.2f} {first_import:>9.2f} {again:>15.2f} {again_import:>9.2f} {floor:>13.2f}")
        print(f"       {summary}")


if __name__ == "__main__":
    main()
