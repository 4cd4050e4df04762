"""Official result lists as CSV (the format of data/isu-wc-2025-26):
``rank,bib,name,nation,pair,lane,time,status,infraction,behind,points``.

A replay uses the start list (pair, lane, bib, skater) and each skater's entered result (time, status,
infraction); the rank, behind and points columns are what the system must compute, so they are only kept for
comparison.

A line with neither status nor time is a skater still to skate (``results.files.exports`` writes a race that is not over
that way): it belongs to the start list, and a replay enters no result for it. A time without a status is a
finisher, as before. A WDR line without a pair (and without a lane) is a skater who withdrew before the draw.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import TextIO

from results.files.cells import cell_read
from results.files.csv_reading import FileInvalid, named_lines_read
from results.rules import ranking
from results.rules.numbers import LARGEST_BIB, whole_number
from results.rules.times import TimeFormatError, parse_time

COLUMNS = ("rank", "bib", "name", "nation", "pair", "lane", "time", "status", "infraction", "behind", "points")
ERROR_COLUMNS = "The file needs the columns {columns}; it is missing {missing}."
ERROR_NUMBER = "{column} must be a whole number, not “{value}”."
ERROR_STATUS = "status must be one of {statuses} (or empty with no time: not yet skated), not “{value}”."
NO_RESULT = ""
ERROR_LANE = "lane must be I, O or empty, not “{value}”."
ERROR_UNDRAWN_LANE = "a skater with no pair (withdrawn before the draw) has no lane either, not “{value}”."
ERROR_EMPTY = "The file has no skaters."


class ResultCsvError(FileInvalid):
    """Every problem found in the file, one message per bad line."""


@dataclass(frozen=True)
class SheetRow:
    line: int
    bib: int
    name: str
    nation: str
    heat: int | None  # None: withdrew before the draw (WDR, no pair)
    lane: str
    time_ms: int | None
    status: str
    infraction: str
    printed_rank: int | None
    printed_behind: str
    printed_points: int | None
    printed_time: str

    @property
    def has_result(self) -> bool:
        return self.status != NO_RESULT


def _whole(value: str, column: str) -> int:
    number = whole_number(value, largest=LARGEST_BIB)
    if number is None:
        raise ValueError(ERROR_NUMBER.format(column=column, value=value[:40]))
    return number


def _optional_whole(value: str, column: str) -> int | None:
    return _whole(value, column) if value else None


def _row(line: int, fields: dict[str, str]) -> SheetRow:
    status = fields["status"].upper() or (ranking.OK if fields["time"] else NO_RESULT)
    if status not in (*ranking.STATUSES, NO_RESULT):
        raise ValueError(ERROR_STATUS.format(statuses=", ".join(ranking.STATUSES), value=fields["status"]))
    lane = fields["lane"].upper()
    if lane not in ("I", "O", ""):
        raise ValueError(ERROR_LANE.format(value=fields["lane"]))
    undrawn = status == ranking.WDR and not fields["pair"]
    if undrawn and lane:
        raise ValueError(ERROR_UNDRAWN_LANE.format(value=fields["lane"]))
    return SheetRow(
        line=line,
        bib=_whole(fields["bib"], "bib"),
        name=fields["name"],
        nation=fields["nation"].upper(),
        heat=None if undrawn else _whole(fields["pair"], "pair"),
        lane=lane,
        time_ms=parse_time(fields["time"]) if fields["time"] else None,
        status=status,
        infraction=fields["infraction"].upper(),
        printed_rank=_optional_whole(fields["rank"], "rank"),
        printed_behind=fields["behind"],
        printed_points=_optional_whole(fields["points"], "points"),
        printed_time=fields["time"],
    )


def read_result_csv(stream: TextIO) -> list[SheetRow]:
    """Read every line; raise ``ResultCsvError`` naming each bad line, so nothing is half-read."""
    rows = named_lines_read(
        stream,
        columns=COLUMNS,
        row=_row,
        invalid=ResultCsvError,
        error_columns=ERROR_COLUMNS,
        clean=cell_read,
        refused=(ValueError, TimeFormatError),
    )
    if not rows:
        raise ResultCsvError([ERROR_EMPTY])
    return rows


def rows_by_heat(rows: Iterable[SheetRow]) -> list[tuple[int, list[SheetRow]]]:
    """Heats in start order, each with its skaters inner lane first; skaters withdrawn before the draw are in none
    (``rows_undrawn``)."""
    ordered = sorted(rows_drawn(rows), key=lambda row: (row.heat, row.lane, row.line))
    return [(heat, list(group)) for heat, group in groupby(ordered, key=lambda row: row.heat)]


def rows_drawn(rows: Iterable[SheetRow]) -> list[SheetRow]:
    """The skaters in a pair."""
    return [row for row in rows if row.heat is not None]


def rows_undrawn(rows: Iterable[SheetRow]) -> list[SheetRow]:
    """The skaters who withdrew before the draw, in the file's order."""
    return [row for row in rows if row.heat is None]
