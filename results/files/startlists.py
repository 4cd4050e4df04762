"""Start lists (the draw) read from CSV, every bad line named. Pure: no database.

Columns ``heat`` (or ``pair``), ``lane``, ``bib``, ``name``, ``nation`` and an optional ``external_id``; any other
column is ignored, so an official result list (``rank,bib,name,nation,pair,lane,time,...``) is a start list too. A
line with no pair and no lane whose ``status`` column says ``WDR`` is a skater who withdrew before the draw (result
lists print them so): in the race, in no pair.
The race's format decides the rest (``results.rules.formats``): a mass start needs neither ``heat`` nor ``lane`` (one
heat, no lanes); a team pursuit has one line per team (``name`` NETHERLANDS, ``nation`` NED) and its skaters in a
``members`` column, ``Joy BEUNE;Marijke GROENEWOUD;Antoinette RIJPMA-DE JONG`` (``|`` separates them as well; a
fourth is the reserve).
Headers are matched whatever their case; the file is UTF-8 with or without a byte order mark, separated by commas
or, as Excel writes it in much of Europe, by semicolons.

``start_list_parse`` keeps every line for the preview (``results.files.startlist_preview``, what the import would do
to the race) and names what is wrong with each; the import itself is a service (``results.services.startlists``).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from results.files.cells import cell_read
from results.files.csv_reading import FileInvalid, csv_opened
from results.models import NATION_CODE, Skater
from results.rules import formats
from results.rules.numbers import LARGEST_BIB, LARGEST_HEAT, whole_number
from results.rules.wording import unprintable

HEAT_COLUMNS = ("heat", "pair")
REQUIRED_COLUMNS = ("lane", "bib", "name", "nation")
EXTERNAL_ID = "external_id"
MEMBERS = "members"
STATUS = "status"
WITHDRAWN = "WDR"
# The columns a person types names and codes into (numbers and lanes are checked as such).
COLUMNS_TYPED = ("name", "nation", EXTERNAL_ID, MEMBERS)
MEMBER_SEPARATORS = re.compile(r"\s*[;|]\s*")
NAME_MAX = Skater._meta.get_field("name").max_length or 120
EXTERNAL_ID_MAX = Skater._meta.get_field("external_id").max_length or 40
# Bigger than any real draw (a few kilobytes), small enough to carry through the preview page.
MAX_FILE_BYTES = 256 * 1024
# How much of a wrong value a message quotes.
VALUE_SHOWN = 40

ERROR_NOT_TEXT = "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)” and try again."
ERROR_TOO_BIG = "The file is {size} kB; a start list is a few kB. Is it the right file?"
ERROR_EMPTY = "The file has no skaters: it needs a header line (heat,lane,bib,name,nation) and one line per skater."
ERROR_COLUMNS = "Line 1: the header needs the columns heat (or pair), lane, bib, name and nation; {missing} missing."
ERROR_LINE = "Line {line}: {message}"
ERROR_NUMBER = "{column} must be a whole number from 1 to {largest}, such as {example}, not “{value}”."
ERROR_NUMBER_MISSING = "{column} is empty: give a whole number from 1 to {largest}, such as {example}."
ERROR_LANE = "lane must be I (inner), O (outer) or empty, not “{value}”."
ERROR_WITHDRAWN_LANE = "a skater who withdrew before the draw has no pair and no lane, not lane “{value}”."
ERROR_HEAT_MISSING = (
    "heat is empty: give a whole number from 1 to {largest}, such as 1, 2 or 3 (or WDR in a status column for a "
    "skater who withdrew before the draw)."
)
ERROR_NATION = "nation must be a three-letter code such as NED, USA or AIN, not “{value}”."
ERROR_NAME = "name is empty: give the skater's name as result lists print it, such as Jutta LEERDAM."
ERROR_TOO_LONG = "{column} has {length} characters; at most {limit} fit."
ERROR_BIB_TWICE = "bib {bib} is already on line {other}: every skater wears a bib of their own."
ERROR_SKATER_TWICE = "{skater} is already on line {other}: a skater skates once in a race."
ERROR_HEAT_FULL = "heat {heat} already has four skaters (lines {lines}): a heat holds at most four."
ERROR_LANE_FULL = "lane {lane} of heat {heat} already has two skaters (lines {lines}): a lane holds at most two."
ERROR_MASS_START_FULL = "a mass start holds at most 24 skaters (the ISU maximum); this is the 25th."
ERROR_MASS_START_HEAT = "heat must be 1 or empty in a mass start (one heat), not “{value}”."
ERROR_MASS_START_LANE = "lane must be empty in a mass start (no lanes), not “{value}”."
ERROR_TEAMS_FULL = "heat {heat} already has two teams (lines {lines}): a team pursuit heat holds two."
ERROR_TEAM_LANE_FULL = (
    "lane {lane} of heat {heat} already has a team (line {lines}): the teams start on opposite straights, one in "
    "lane I and one in lane O."
)
ERROR_COLUMNS_MEMBERS = "Line 1: a team pursuit's start list needs a members column (the team's skaters)."
ERROR_MEMBERS_COUNT = (
    "members: a team has {low} or {high} skaters (three, and a reserve), separated by ; or |, not {count}."
)
ERROR_MEMBER_REPEATED = "members: {skater} is listed twice."
ERROR_MEMBER_TWICE = "members: {skater} is already in the team on line {other}."


class StartListInvalid(FileInvalid):
    """Every problem found, one message per problem, each naming its line."""


# --- reading (pure) ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawEntry:
    """One skater of the draw, read from ``line`` of the file."""

    line: int
    heat: int | None  # None: withdrew before the draw, in no pair
    lane: str
    bib: int
    name: str
    nation: str
    external_id: str = ""
    members: tuple[str, ...] = ()  # a team pursuit's team: its skaters, in order

    @property
    def withdrawn(self) -> bool:
        return self.heat is None


# What a line's entry holds, read from the line's fields (``_Fields`` has each of them).
ENTRY_FIELDS = tuple(entry_field.name for entry_field in dataclasses.fields(DrawEntry))


@dataclass(frozen=True)
class DrawLine:
    """One line of the file as read (cleaned text, for the preview), with its entry or what is wrong with it."""

    line: int
    heat: str
    lane: str
    bib: str
    name: str
    nation: str
    external_id: str
    entry: DrawEntry | None
    errors: tuple[str, ...]
    members: str = ""
    withdrawn: bool = False


@dataclass(frozen=True)
class ParsedStartList:
    lines: list[DrawLine]
    file_errors: list[str]

    @property
    def entries(self) -> list[DrawEntry]:
        return [line.entry for line in self.lines if line.entry is not None]

    @property
    def messages(self) -> list[str]:
        """Every problem, the file's first, then line by line: ``Line 4: lane must be I (inner), ...``."""
        by_line = [ERROR_LINE.format(line=line.line, message=error) for line in self.lines for error in line.errors]
        return self.file_errors + by_line


def decode_start_list(data: bytes) -> str:
    """The uploaded bytes as text; a byte order mark (Excel's "CSV UTF-8") is dropped."""
    if len(data) > MAX_FILE_BYTES:
        raise StartListInvalid([ERROR_TOO_BIG.format(size=len(data) // 1024)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StartListInvalid([ERROR_NOT_TEXT]) from None


@dataclass
class _Fields:
    """A line's values as far as they could be read; ``None`` where the text was wrong."""

    line: int
    text: dict[str, str]
    heat: int | None = None
    lane: str | None = None
    bib: int | None = None
    name: str | None = None
    nation: str | None = None
    external_id: str = ""
    members: tuple[str, ...] = ()
    withdrawn: bool = False
    errors: list[str] = field(default_factory=list)


def _number(fields: _Fields, column: str, example: str, largest: int) -> int | None:
    value = fields.text[column]
    number = whole_number(value, largest=largest)
    if number is not None and number >= 1:
        return number
    error = ERROR_NUMBER if value else ERROR_NUMBER_MISSING
    fields.errors.append(error.format(column=column, example=example, value=_shown(value), largest=largest))
    return None


def _shown(value: str) -> str:
    """A value quoted in a message, cut where it is too long to read."""
    return value if len(value) <= VALUE_SHOWN else value[: VALUE_SHOWN - 1] + "…"


def _read_fields(fields: _Fields, race_format: str) -> None:
    text = fields.text
    if race_format == formats.MASS_START and text["heat"] in ("", "1"):
        fields.heat = 1  # one heat: the column may be left out
    elif race_format == formats.MASS_START:
        fields.errors.append(ERROR_MASS_START_HEAT.format(value=text["heat"]))
    elif not text["heat"] and text[STATUS].upper() == WITHDRAWN:
        fields.withdrawn = True
    elif not text["heat"]:
        fields.errors.append(ERROR_HEAT_MISSING.format(largest=LARGEST_HEAT))
    else:
        fields.heat = _number(fields, "heat", "1, 2 or 3", LARGEST_HEAT)
    lane = text["lane"].upper()
    if race_format == formats.MASS_START and lane:
        fields.errors.append(ERROR_MASS_START_LANE.format(value=text["lane"]))
    elif fields.withdrawn and lane:
        fields.errors.append(ERROR_WITHDRAWN_LANE.format(value=text["lane"]))
    elif lane in ("I", "O", ""):
        fields.lane = lane
    else:
        fields.errors.append(ERROR_LANE.format(value=text["lane"]))
    fields.bib = _number(fields, "bib", "117", LARGEST_BIB)
    name = " ".join(text["name"].split())
    if refusal := unprintable(*(text[column] for column in COLUMNS_TYPED)):
        fields.errors.append(refusal)
    if not name:
        fields.errors.append(ERROR_NAME)
    elif len(name) > NAME_MAX:
        fields.errors.append(ERROR_TOO_LONG.format(column="name", length=len(name), limit=NAME_MAX))
    else:
        fields.name = name
    nation = text["nation"].upper()
    try:
        NATION_CODE(nation)
    except ValidationError:
        fields.errors.append(ERROR_NATION.format(value=text["nation"]))
    else:
        fields.nation = nation
    external_id = text[EXTERNAL_ID]
    if len(external_id) > EXTERNAL_ID_MAX:
        fields.errors.append(ERROR_TOO_LONG.format(column=EXTERNAL_ID, length=len(external_id), limit=EXTERNAL_ID_MAX))
    fields.external_id = external_id
    if race_format == formats.TEAM_PURSUIT:
        _read_members(fields)


def _read_members(fields: _Fields) -> None:
    members = [" ".join(name.split()) for name in MEMBER_SEPARATORS.split(fields.text[MEMBERS].strip())]
    members = [name for name in members if name]
    low, high = formats.TEAM_MEMBERS_MIN, formats.TEAM_MEMBERS_MAX
    if not low <= len(members) <= high:
        fields.errors.append(ERROR_MEMBERS_COUNT.format(low=low, high=high, count=len(members)))
    repeated = next((name for index, name in enumerate(members) if name in members[:index]), None)
    if repeated:
        fields.errors.append(ERROR_MEMBER_REPEATED.format(skater=repeated))
    too_long = next((name for name in members if len(name) > NAME_MAX), None)
    if too_long:
        fields.errors.append(ERROR_TOO_LONG.format(column=MEMBERS, length=len(too_long), limit=NAME_MAX))
    fields.members = tuple(members)


def _check_draw(lines: Sequence[_Fields], race_format: str) -> None:
    """What no single line shows: a bib or a skater twice, a heat or a lane over full (by the race's format), a
    team's skater in another team. The later line is wrong."""
    rules = formats.rules_for(race_format)
    bibs: dict[int, int] = {}
    skaters: dict[tuple[str, str], int] = {}
    external_ids: dict[str, int] = {}
    members: dict[str, int] = {}
    heats: defaultdict[int, list[int]] = defaultdict(list)
    lanes: defaultdict[tuple[int, str], list[int]] = defaultdict(list)
    for fields in lines:
        if fields.bib is not None:
            if fields.bib in bibs:
                fields.errors.append(ERROR_BIB_TWICE.format(bib=fields.bib, other=bibs[fields.bib]))
            bibs.setdefault(fields.bib, fields.line)
        if fields.name is not None and fields.nation is not None:
            key = (fields.name, fields.nation)
            other = skaters.get(key) or external_ids.get(fields.external_id)
            if other is not None:
                skater = f"{fields.name} ({fields.nation})"
                fields.errors.append(ERROR_SKATER_TWICE.format(skater=skater, other=other))
            skaters.setdefault(key, fields.line)
            if fields.external_id:
                external_ids.setdefault(fields.external_id, fields.line)
        for member in fields.members:
            if member in members and members[member] != fields.line:
                fields.errors.append(ERROR_MEMBER_TWICE.format(skater=member, other=members[member]))
            members.setdefault(member, fields.line)
        if fields.heat is not None:
            in_heat = heats[fields.heat]
            if len(in_heat) >= rules.per_heat:
                listed = ", ".join(map(str, in_heat[: rules.per_heat]))
                fields.errors.append(_heat_full(race_format).format(heat=fields.heat, lines=listed))
            in_heat.append(fields.line)
            if fields.lane and rules.per_lane:
                in_lane = lanes[fields.heat, fields.lane]
                if len(in_lane) >= rules.per_lane:
                    listed = ", ".join(map(str, in_lane[: rules.per_lane]))
                    message = ERROR_TEAM_LANE_FULL if race_format == formats.TEAM_PURSUIT else ERROR_LANE_FULL
                    fields.errors.append(message.format(lane=fields.lane, heat=fields.heat, lines=listed))
                in_lane.append(fields.line)


def _heat_full(race_format: str) -> str:
    return {formats.MASS_START: ERROR_MASS_START_FULL, formats.TEAM_PURSUIT: ERROR_TEAMS_FULL}.get(
        race_format, ERROR_HEAT_FULL
    )


def start_list_parse(text: str, *, race_format: str = formats.INDIVIDUAL) -> ParsedStartList:
    """Read a start list for a race of ``race_format``, keeping every line (for the preview) and every problem with
    it. Pure: no database."""
    reader, header = csv_opened(text)
    columns = header or []
    heat_column = next((name for name in HEAT_COLUMNS if name in columns), None)
    # A mass start is one heat without lanes: both columns may be left out.
    optional = ("lane",) if race_format == formats.MASS_START else ()
    heat_needed = not heat_column and race_format != formats.MASS_START
    missing = (["heat (or pair)"] if heat_needed else []) + [
        name for name in REQUIRED_COLUMNS if name not in columns and name not in optional
    ]
    if not header or missing:
        message = ERROR_COLUMNS.format(missing=", ".join(missing) + (" is" if len(missing) == 1 else " are"))
        return ParsedStartList(lines=[], file_errors=[ERROR_EMPTY if not header else message])
    if race_format == formats.TEAM_PURSUIT and MEMBERS not in columns:
        return ParsedStartList(lines=[], file_errors=[ERROR_COLUMNS_MEMBERS])

    # The first column of a name wins (a result list has one of each).
    index = {name: columns.index(name) for name in (*REQUIRED_COLUMNS, EXTERNAL_ID, MEMBERS, STATUS) if name in columns}
    if heat_column:
        index["heat"] = columns.index(heat_column)
    read: list[_Fields] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and Excel's rows of empty cells (;;;;)
        values = {name: cell_read(cells[i].strip()) if i < len(cells) else "" for name, i in index.items()}
        for name in ("heat", "lane", EXTERNAL_ID, MEMBERS, STATUS):
            values.setdefault(name, "")
        fields = _Fields(line=reader.line_num, text=values)
        _read_fields(fields, race_format)
        read.append(fields)
    if not read:
        return ParsedStartList(lines=[], file_errors=[ERROR_EMPTY])
    _check_draw(read, race_format)
    return ParsedStartList(lines=[_draw_line(fields) for fields in read], file_errors=[])


def _draw_line(fields: _Fields) -> DrawLine:
    entry = None
    if not fields.errors:
        assert (fields.heat is not None or fields.withdrawn) and fields.bib is not None and fields.lane is not None
        assert fields.name is not None and fields.nation is not None
        entry = DrawEntry(**{name: getattr(fields, name) for name in ENTRY_FIELDS})
    text = fields.text
    return DrawLine(
        line=fields.line,
        heat=str(fields.heat) if fields.heat is not None else text["heat"],
        withdrawn=fields.withdrawn,
        lane=fields.lane if fields.lane is not None else text["lane"],
        bib=text["bib"],
        name=fields.name or text["name"],
        nation=fields.nation or text["nation"],
        external_id=text[EXTERNAL_ID],
        entry=entry,
        errors=tuple(fields.errors),
        members=" · ".join(fields.members) or text[MEMBERS],
    )


def start_list_read(text: str, *, race_format: str = formats.INDIVIDUAL) -> list[DrawEntry]:
    """The draw's entries, or ``StartListInvalid`` naming every bad line: nothing is half read."""
    parsed = start_list_parse(text, race_format=race_format)
    if parsed.messages:
        raise StartListInvalid(parsed.messages)
    return parsed.entries


def draw_errors(entries: Sequence[DrawEntry], *, race_format: str = formats.INDIVIDUAL) -> list[str]:
    """What is wrong with a draw as a whole, line by line (a bib or a skater twice, a heat or a lane over full, a
    team's skater in two teams): the checks reading a file makes, for a draw from anywhere. In memory: linear."""
    lines = [
        _Fields(text={}, withdrawn=entry.withdrawn, **{name: getattr(entry, name) for name in ENTRY_FIELDS})
        for entry in entries
    ]
    _check_draw(lines, race_format)
    return [ERROR_LINE.format(line=fields.line, message=error) for fields in lines for error in fields.errors]
