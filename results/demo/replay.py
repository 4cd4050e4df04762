"""Replaying an official result list: the start list first, then each heat's results in heat order, through the
same service the officials' entry screen uses (one push per heat). A skater who withdrew before the draw is in the
start list as such, and has no heat to enter."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date

from results import services
from results.files.result_csv import SheetRow, rows_by_heat, rows_undrawn
from results.models import Competition, Race, Start


def race_create_from_sheet(
    *,
    competition: Competition,
    title: str,
    gender: str,
    distance: int,
    rows: Sequence[SheetRow],
    points_table: Sequence[int] = (),
    day: date | None = None,
) -> Race:
    race = services.race_create(
        competition=competition, title=title, gender=gender, distance=distance, day=day, points_table=points_table
    )
    services.start_list_create(
        race=race,
        entries=[
            services.StartListEntry(heat=row.heat, bib=row.bib, name=row.name, nation=row.nation, lane=row.lane)
            for row in [*rows_by_heat_flat(rows), *rows_undrawn(rows)]
        ],
    )
    return race


def rows_by_heat_flat(rows: Sequence[SheetRow]) -> list[SheetRow]:
    return [row for _heat, heat_rows in rows_by_heat(rows) for row in heat_rows]


def heat_results_replay(
    *,
    race: Race,
    rows: Sequence[SheetRow],
    interval: float = 0.0,
    sleep: Callable[[float], None] = time.sleep,
    after_heat: Callable[[int], None] | None = None,
) -> None:
    """Enter each heat's results in heat order, waiting ``interval`` seconds before each heat. Skaters with no
    result in the file (a race exported before its end) are not entered."""
    starts = {start.bib: start for start in Start.objects.filter(heat__race=race).select_related("heat")}
    for number, heat_rows in rows_by_heat(row for row in rows if row.has_result):
        if interval:
            sleep(interval)
        heat = starts[heat_rows[0].bib].heat
        services.heat_results_record(
            heat=heat,
            results=[
                services.StartResult(
                    start_id=starts[row.bib].pk, status=row.status, time_ms=row.time_ms, infraction=row.infraction
                )
                for row in heat_rows
            ],
        )
        if after_heat:
            after_heat(number)
