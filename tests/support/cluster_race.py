"""The race a cluster test skates, made in the cluster's database by a process of its own (the test's process
keeps no Django database of its own for the cluster):

    DATABASE_URL=postgres://postgres@10.213.0.2:5432/skating python -m tests.support.cluster_race

prints one line of JSON: the race's id, a timing token, and every post a timing system makes for it, in order
(each pair's passages, then its finishes; passage times constructed from the official finish times as the demo
does, results/demo/timing.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from results.files.result_csv import SheetRow

RACE = ("wc1-salt-lake-city-2025-11-14-men-1000-a", "Men 1000m Division A", 1000)


def timing_posts(rows: Sequence[SheetRow], distance: int) -> list[dict[str, object]]:
    from results.demo.timing import constructed_passage_ms
    from results.files.result_csv import rows_by_heat
    from results.rules.passages import passage_distances

    posts: list[dict[str, object]] = []
    for heat, heat_rows in rows_by_heat(row for row in rows if row.time_ms):
        for metres in passage_distances(distance):
            for row in heat_rows:
                time_ms = constructed_passage_ms(
                    finish_ms=row.time_ms or 0, distance=distance, metres=metres, bib=row.bib
                )
                posts.append({"heat": heat, "bib": row.bib, "distance": metres, "time_ms": time_ms})
        posts += [{"heat": heat, "bib": row.bib, "distance": distance, "time_ms": row.time_ms} for row in heat_rows]
    return posts


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skating.settings")
    import django

    django.setup()
    from tests.support.timing import make_timing_token, sheet_race

    stem, title, distance = RACE
    race, rows = sheet_race(stem, title, distance)
    token = make_timing_token(race.competition)
    print(json.dumps({"race": race.pk, "token": token, "posts": timing_posts(rows, distance)}))


if __name__ == "__main__":
    main()
