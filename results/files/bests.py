"""Personal bests (PB) and season bests (SB): the season a day belongs to, and reading a bests file. Pure: no
database (``results.services.bests`` matches skaters and imports).

A bests file is CSV with one line per skater and distance: ``name``, ``nation`` (or ``external_id``, or both),
``distance``, and ``pb``, ``pb_date``, ``sb``, ``sb_date``, ``season`` as far as known; any other column is
ignored. Times in any form officials type (``1:12.31``, ``1.12,31``, ``72.31``, ``1:12.315``); dates as
``2025-11-16`` or ``16.11.2025``; seasons as ``2025-2026`` (or ``2025-26``). Headers, separators and encoding as in
a start list (results/files/startlists.py). A blank ``pb`` or ``sb`` means not known: the import leaves that best as it
is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from results.files.cells import cell_read
from results.files.csv_reading import FileInvalid, csv_opened
from results.models import NATION_CODE, Skater
from results.rules.seasons import season_of
from results.rules.times import TimeFormatError, format_time, hundredths, parse_time
from results.rules.wording import unprintable

MIN_DISTANCE, MAX_DISTANCE = 100, 10000
NAME_MAX = Skater._meta.get_field("name").max_length or 120
EXTERNAL_ID_MAX = Skater._meta.get_field("external_id").max_length or 40
# A national federation's list of every skater's bests on every distance fits many times over.
MAX_FILE_BYTES = 1024 * 1024

COLUMNS = ("name", "nation", "external_id", "distance", "pb", "pb_date", "sb", "sb_date", "season")

ERROR_NOT_TEXT = "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)” and try again."
ERROR_TOO_BIG = "The file is {size} kB; at most {limit} kB are read. Split it into several files."
ERROR_EMPTY = (
    "The file has no bests: it needs a header line (name,nation,distance,pb,pb_date,sb,sb_date,season) and one "
    "line per skater and distance."
)
ERROR_COLUMNS = "Line 1: the header needs the columns {missing}."
ERROR_LINE = "Line {line}: {message}"
ERROR_WHO = "name and nation are empty: give them (or an external id of a skater already in the system)."
ERROR_NATION_MISSING = "nation is empty: give the three-letter code with the name, such as NED."
ERROR_NAME_MISSING = "name is empty: give the skater's name as result lists print it, such as Jutta LEERDAM."
ERROR_NATION = "nation must be a three-letter code such as NED, USA or AIN, not “{value}”."
ERROR_TOO_LONG = "{column} has {length} characters; at most {limit} fit."
ERROR_DISTANCE = "distance must be in metres from 100 to 10000, such as 500 or 1500, not “{value}”."
ERROR_NO_BEST = "pb and sb are both empty: give at least one of them."
ERROR_TIME = "{column}: {message}"
ERROR_DATE = "{column} must be a date such as 2025-11-16 or 16.11.2025, not “{value}”."
ERROR_DATE_WITHOUT_TIME = "{column} is given but {time_column} is empty."
ERROR_SEASON = "season must be written like 2025-2026 (or 2025-26), not “{value}”."
ERROR_SEASON_MISSING = "sb needs its season: give season (such as 2025-2026) or sb_date."
ERROR_SEASON_DATE = "sb_date {day} is in season {actual}, not {season} (a season starts on July 1)."
ERROR_SB_FASTER = "sb {sb} is faster than pb {pb}: a season best cannot beat the personal best."
ERROR_TWICE = "{skater} {distance} m is already on line {other}: one line per skater and distance."

_SEASON = re.compile(r"^(?P<first>\d{4})\s*[-/]\s*(?P<second>\d{2}|\d{4})$", re.ASCII)
_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})[.-](?P<month>\d{1,2})[.-](?P<year>\d{4})$", re.ASCII)
_DISTANCE = re.compile(r"^(?P<metres>\d{3,5})\s*m?$", re.ASCII | re.IGNORECASE)


class BestsInvalid(FileInvalid):
    """Every problem found, one message per problem, each naming its line."""


def parse_season(text: str) -> str | None:
    """``2025-2026``, ``2025-26`` or ``2025/2026`` as ``2025-2026``; ``None`` for anything else."""
    match = _SEASON.match(text.strip())
    if not match:
        return None
    first, second = int(match["first"]), match["second"]
    expected = str(first + 1) if len(second) == 4 else f"{(first + 1) % 100:02d}"
    return f"{first}-{first + 1}" if second == expected else None


def parse_day(text: str) -> date | None:
    """``2025-11-16`` or, day first as Excel writes it in Europe, ``16.11.2025`` / ``16-11-2025``."""
    text = text.strip()
    try:
        match = _DAY_FIRST.match(text)
        if match:
            return date(int(match["year"]), int(match["month"]), int(match["day"]))
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class BestsEntry:
    """One skater's bests on one distance, read from ``line``. ``season`` is set where ``sb_ms`` is."""

    line: int
    name: str
    nation: str
    external_id: str
    distance: int
    pb_ms: int | None
    pb_on: date | None
    sb_ms: int | None
    sb_on: date | None
    season: str

    @property
    def skater(self) -> str:
        return f"{self.name} ({self.nation})" if self.name else self.external_id


@dataclass(frozen=True)
class BestsLine:
    """One line of the file as read (its text, for the preview) with its entry or what is wrong with it."""

    line: int
    text: dict[str, str]
    entry: BestsEntry | None
    errors: tuple[str, ...]


@dataclass(frozen=True)
class ParsedBests:
    lines: list[BestsLine]
    file_errors: list[str]

    @property
    def entries(self) -> list[BestsEntry]:
        return [line.entry for line in self.lines if line.entry is not None]

    @property
    def messages(self) -> list[str]:
        by_line = [ERROR_LINE.format(line=line.line, message=error) for line in self.lines for error in line.errors]
        return self.file_errors + by_line


def decode_bests(data: bytes) -> str:
    """The uploaded bytes as text; a byte order mark (Excel's "CSV UTF-8") is dropped."""
    if len(data) > MAX_FILE_BYTES:
        raise BestsInvalid([ERROR_TOO_BIG.format(size=len(data) // 1024, limit=MAX_FILE_BYTES // 1024)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BestsInvalid([ERROR_NOT_TEXT]) from None


@dataclass
class _Fields:
    line: int
    text: dict[str, str]
    errors: list[str] = field(default_factory=list)


def _time(fields: _Fields, column: str) -> int | None:
    value = fields.text[column]
    if not value:
        return None
    try:
        return parse_time(value)
    except TimeFormatError as error:
        fields.errors.append(ERROR_TIME.format(column=column, message=error))
        return None


def _day(fields: _Fields, column: str, time_column: str) -> date | None:
    value = fields.text[column]
    if not value:
        return None
    day = parse_day(value)
    if day is None:
        fields.errors.append(ERROR_DATE.format(column=column, value=value))
    elif not fields.text[time_column]:
        fields.errors.append(ERROR_DATE_WITHOUT_TIME.format(column=column, time_column=time_column))
    return day


def _who(fields: _Fields) -> tuple[str, str, str]:
    text = fields.text
    name = " ".join(text["name"].split())
    nation = text["nation"].upper()
    external_id = text["external_id"]
    if refusal := unprintable(text["name"], text["nation"], text["external_id"]):
        fields.errors.append(refusal)
    # An external id alone finds a skater already in the system; a name and nation can also add one.
    if name and not nation:
        fields.errors.append(ERROR_NATION_MISSING)
    elif nation and not name:
        fields.errors.append(ERROR_NAME_MISSING)
    elif not name and not external_id:
        fields.errors.append(ERROR_WHO)
    if len(name) > NAME_MAX:
        fields.errors.append(ERROR_TOO_LONG.format(column="name", length=len(name), limit=NAME_MAX))
    if nation:
        try:
            NATION_CODE(nation)
        except ValidationError:
            fields.errors.append(ERROR_NATION.format(value=text["nation"]))
    if len(external_id) > EXTERNAL_ID_MAX:
        fields.errors.append(
            ERROR_TOO_LONG.format(column="external_id", length=len(external_id), limit=EXTERNAL_ID_MAX)
        )
    return name, nation, external_id


def _read(fields: _Fields) -> BestsEntry | None:
    text = fields.text
    name, nation, external_id = _who(fields)
    match = _DISTANCE.match(text["distance"])
    distance = int(match["metres"]) if match else None
    if distance is None or not MIN_DISTANCE <= distance <= MAX_DISTANCE:
        fields.errors.append(ERROR_DISTANCE.format(value=text["distance"]))
    pb_ms, sb_ms = _time(fields, "pb"), _time(fields, "sb")
    if not text["pb"] and not text["sb"]:
        fields.errors.append(ERROR_NO_BEST)
    pb_on = _day(fields, "pb_date", "pb")
    sb_on = _day(fields, "sb_date", "sb")
    season = ""
    if text["sb"]:
        season = _season(fields, sb_on)
    if pb_ms is not None and sb_ms is not None and hundredths(sb_ms) < hundredths(pb_ms):
        fields.errors.append(ERROR_SB_FASTER.format(sb=format_time(sb_ms), pb=format_time(pb_ms)))
    if fields.errors or distance is None:
        return None
    return BestsEntry(
        line=fields.line,
        name=name,
        nation=nation,
        external_id=external_id,
        distance=distance,
        pb_ms=pb_ms,
        pb_on=pb_on,
        sb_ms=sb_ms,
        sb_on=sb_on,
        season=season,
    )


def _season(fields: _Fields, sb_on: date | None) -> str:
    """The season of the line's SB: the ``season`` column, else that of ``sb_date``; both must agree."""
    value = fields.text["season"]
    if not value:
        if sb_on is None:
            if not fields.text["sb_date"]:
                fields.errors.append(ERROR_SEASON_MISSING)
            return ""
        return season_of(sb_on)
    season = parse_season(value)
    if season is None:
        fields.errors.append(ERROR_SEASON.format(value=value))
        return ""
    if sb_on is not None and season_of(sb_on) != season:
        fields.errors.append(ERROR_SEASON_DATE.format(day=sb_on.isoformat(), actual=season_of(sb_on), season=season))
    return season


def _check_twice(lines: list[tuple[_Fields, BestsEntry | None]]) -> None:
    """A skater's distance on two lines: the later one is wrong (which one is meant is not for us to guess)."""
    seen: dict[tuple[str, str, int], int] = {}
    for fields, entry in lines:
        if entry is None:
            continue
        keys = [("id", entry.external_id, entry.distance)] if entry.external_id else []
        if entry.name:
            keys.append((entry.name, entry.nation, entry.distance))
        other = next((seen[key] for key in keys if key in seen), None)
        if other is not None:
            fields.errors.append(ERROR_TWICE.format(skater=entry.skater, distance=entry.distance, other=other))
        for key in keys:
            seen.setdefault(key, fields.line)


def bests_parse(text: str) -> ParsedBests:
    """Read a bests file, keeping every line (for the preview) and every problem with it."""
    reader, header = csv_opened(text)
    if not header:
        return ParsedBests(lines=[], file_errors=[ERROR_EMPTY])
    columns = header
    missing = []
    if "distance" not in columns:
        missing.append("distance")
    if "external_id" not in columns and not {"name", "nation"} <= set(columns):
        missing.append("name and nation (or external_id)")
    if "pb" not in columns and "sb" not in columns:
        missing.append("pb or sb")
    if missing:
        return ParsedBests(lines=[], file_errors=[ERROR_COLUMNS.format(missing=", ".join(missing))])

    index = {name: columns.index(name) for name in COLUMNS if name in columns}
    read: list[tuple[_Fields, BestsEntry | None]] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and Excel's rows of empty cells (;;;;)
        values = {
            name: cell_read(cells[index[name]].strip()) if name in index and index[name] < len(cells) else ""
            for name in COLUMNS
        }
        fields = _Fields(line=reader.line_num, text=values)
        read.append((fields, _read(fields)))
    if not read:
        return ParsedBests(lines=[], file_errors=[ERROR_EMPTY])
    _check_twice(read)
    lines = [
        BestsLine(line=f.line, text=f.text, entry=entry if not f.errors else None, errors=tuple(f.errors))
        for f, entry in read
    ]
    return ParsedBests(lines=lines, file_errors=[])
