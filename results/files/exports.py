"""A race's results as an official result list (CSV), taken from the published snapshot, so the file says exactly
what spectators see.

Columns as ``results.files.result_csv`` reads them: ``rank,bib,name,nation,pair,lane,time,status,infraction,
behind,points``, in standings order. The time is total seconds with three decimals always (``72.310``), so nothing
is lost: the printed form (``1:12.31``, ``1:12.31(0)`` in a tie) follows from it and the rest of the field. Behind
is written without its ``+``. Skaters of the draw still to skate come last, with their result columns empty (an
empty status means "no result yet"), so the file is also the race's start list. A re-skated skater has one line,
like their standings row: in the pair of the time that counts. A cell a spreadsheet would run as a formula (a name
starting with ``=``) is written as text (``results.files.cells``), and read back as it was.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from django.utils.text import slugify

from results import selectors
from results.files.cells import cell_written
from results.files.result_csv import COLUMNS
from results.models import Race, Start, Status


def seconds_text(time_ms: int) -> str:
    """``72310`` -> ``72.310``: thousandths always, so a file read back gives the same time."""
    return f"{time_ms // 1000}.{time_ms % 1000:03d}"


def _standing_line(row: Mapping[str, Any]) -> dict[str, Any]:
    time_ms = row["time_ms"]
    return {
        "rank": row["rank"],
        "bib": row["bib"],
        "name": row["name"],
        "nation": row["nation"],
        "pair": row["heat"],
        "lane": row["lane"],
        "time": seconds_text(time_ms) if time_ms is not None else None,
        "status": row["status"],
        "infraction": row["infraction"],
        "behind": row["behind"].removeprefix("+"),
        "points": row["points"],
    }


def _unskated_line(start: Start) -> dict[str, Any]:
    return {
        "bib": start.bib,
        "name": start.skater.name,
        "nation": start.skater.nation,
        "pair": start.heat.number,
        "lane": start.lane,
    }


def race_results_lines(race: Race) -> list[dict[str, Any]]:
    """The file's lines: the published standings, then the skaters with no result yet, in start order."""
    # Read the draw before the snapshot: a pair saved in between is then in both and kept once (from the
    # snapshot). The other order would lose it from both.
    unskated = list(
        Start.objects.filter(heat__race=race, status=Status.PENDING)
        .select_related("heat", "skater")
        .order_by("heat__number", "lane", "id")
    )
    snapshot = selectors.race_snapshot_current(race.pk)
    standings = json.loads(snapshot.payload)["standings"] if snapshot else []
    ranked = {row["bib"] for row in standings}
    # A skater with a pending re-skate already has a row in the standings.
    return [_standing_line(row) for row in standings] + [_unskated_line(s) for s in unskated if s.bib not in ranked]


def race_results_csv(race: Race) -> str:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for line in race_results_lines(race):
        writer.writerow(
            {column: "" if line.get(column) is None else cell_written(str(line[column])) for column in COLUMNS}
        )
    return stream.getvalue()


def race_results_filename(race: Race) -> str:
    """``isu-world-cup-3-women-1000m-division-a.csv``"""
    return f"{slugify(f'{race.competition.name} {race.title}')}.csv"
