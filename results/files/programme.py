"""A competition's programme from CSV: each race's title, gender, distance, day and scheduled start, in programme
order. Reads only; ``results.services.programme`` imports (docs/officials.md, "The programme").

One line per race: ``day`` (``2025-11-14`` or ``14.11.2025``), ``start`` (``15:04`` in the event's time zone),
``title``, ``gender`` (``women`` or ``men``), ``distance`` (metres). Any other column is ignored. Headers, separators
and encoding as in a start list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from results.files.bests import parse_day
from results.files.cells import cell_read
from results.files.csv_reading import FileInvalid, csv_opened
from results.files.startlists import ERROR_NOT_TEXT
from results.models import Gender, Race
from results.rules.wording import unprintable

COLUMNS = ("day", "start", "title", "gender", "distance")
MIN_DISTANCE, MAX_DISTANCE = 100, 10000
TITLE_MAX = Race._meta.get_field("title").max_length or 120
# A season's programme is a few kB.
MAX_FILE_BYTES = 64 * 1024
MAX_RACES = 200

ERROR_TOO_BIG = "The file is {size} kB; a programme is a few kB. Is it the right file?"
ERROR_EMPTY = "The file has no races: it needs a header line (day,start,title,gender,distance) and one line per race."
ERROR_COLUMNS = "Line 1: the header needs the columns {missing}."
ERROR_TOO_MANY = "The file has {count} races; a programme has at most {largest}."
ERROR_LINE = "Line {line}: {message}"
ERROR_DAY = "day must be a date such as 2025-11-14 or 14.11.2025, not “{value}”."
ERROR_START = "start must be a time of day such as 15:04, not “{value}”."
ERROR_TITLE = "title is empty: give the race's name as the programme prints it, such as Women 1000m Division A."
ERROR_TITLE_LONG = "title has {length} characters; at most {limit} fit."
ERROR_TITLE_UNPRINTABLE = "title has a character that is never printed ({character}): type it again."
ERROR_GENDER = "gender must be women or men, not “{value}”."
ERROR_DISTANCE = "distance must be in metres from 100 to 10000, such as 500 or 1500, not “{value}”."
ERROR_TWICE = "“{title}” is already on line {other}: one line per race."

_START = re.compile(r"^(?P<hour>[01]?\d|2[0-3])[:.h](?P<minute>[0-5]\d)$", re.ASCII)
_DISTANCE = re.compile(r"^(?P<metres>\d{3,5})\s*m?$", re.ASCII | re.IGNORECASE)
_GENDERS = {"women": Gender.WOMEN, "ladies": Gender.WOMEN, "w": Gender.WOMEN, "men": Gender.MEN, "m": Gender.MEN}


class ProgrammeInvalid(FileInvalid):
    """Every problem found, one message per problem, each naming its line."""


@dataclass(frozen=True)
class ProgrammeRace:
    line: int
    day: date
    start: time
    title: str
    gender: str
    distance: int


def decode_programme(data: bytes) -> str:
    """The uploaded bytes as text; a byte order mark (Excel's "CSV UTF-8") is dropped."""
    if len(data) > MAX_FILE_BYTES:
        raise ProgrammeInvalid([ERROR_TOO_BIG.format(size=len(data) // 1024)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProgrammeInvalid([ERROR_NOT_TEXT]) from None


def title_key(title: str) -> str:
    """Titles that differ only in case and spacing name the same race."""
    return " ".join(title.split()).casefold()


def _race(line: int, text: dict[str, str]) -> tuple[ProgrammeRace | None, list[str]]:
    errors = []
    day = parse_day(text["day"])
    if day is None:
        errors.append(ERROR_DAY.format(value=text["day"][:40]))
    start = _START.match(text["start"].strip())
    if start is None:
        errors.append(ERROR_START.format(value=text["start"][:40]))
    title = " ".join(text["title"].split())
    if not title:
        errors.append(ERROR_TITLE)
    elif len(title) > TITLE_MAX:
        errors.append(ERROR_TITLE_LONG.format(length=len(title), limit=TITLE_MAX))
    elif character := unprintable(title):
        errors.append(ERROR_TITLE_UNPRINTABLE.format(character=character))
    gender = _GENDERS.get(text["gender"].strip().casefold())
    if gender is None:
        errors.append(ERROR_GENDER.format(value=text["gender"][:40]))
    distance = _DISTANCE.match(text["distance"].strip())
    metres = int(distance["metres"]) if distance else 0
    if not MIN_DISTANCE <= metres <= MAX_DISTANCE:
        errors.append(ERROR_DISTANCE.format(value=text["distance"][:40]))
    if errors or day is None or start is None or gender is None:
        return None, errors
    clock = time(int(start["hour"]), int(start["minute"]))
    return ProgrammeRace(line, day, clock, title, str(gender), metres), []


def programme_read(text: str) -> list[ProgrammeRace]:
    """The races of a programme file, in its order; ``ProgrammeInvalid`` with every problem, each naming its line."""
    reader, header = csv_opened(text)
    if not header:
        raise ProgrammeInvalid([ERROR_EMPTY])
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ProgrammeInvalid([ERROR_COLUMNS.format(missing=", ".join(missing))])
    races: list[ProgrammeRace] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for values in reader:
        if not any(value.strip() for value in values):
            continue  # blank lines, and Excel's rows of empty cells (;;;;)
        number = reader.line_num
        cells = dict(zip(header, (cell_read(value) for value in values), strict=False))
        race, found = _race(number, {column: cells.get(column, "") for column in COLUMNS})
        if race is not None and title_key(race.title) in seen:
            found = [ERROR_TWICE.format(title=race.title, other=seen[title_key(race.title)])]
        errors += [ERROR_LINE.format(line=number, message=message) for message in found]
        if race is not None and not found:
            seen[title_key(race.title)] = number
            races.append(race)
    if errors:
        raise ProgrammeInvalid(errors)
    if not races:
        raise ProgrammeInvalid([ERROR_EMPTY])
    if len(races) > MAX_RACES:
        raise ProgrammeInvalid([ERROR_TOO_MANY.format(count=len(races), largest=MAX_RACES)])
    return races
