"""An index of official result lists, as data/isu-wc-2025-26/index.csv: one line per race,
``stem,competition,venue,city,date,gender,distance,division,round`` (more columns are ignored). The sheets are
``<stem>.csv`` beside it (results/files/result_csv.py). Read whole, every bad line named, before anything is
imported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from results.files.csv_reading import FileInvalid, named_lines_read
from results.rules.numbers import whole_number

COLUMNS = ("stem", "competition", "venue", "city", "date", "gender", "distance", "division", "round")
ERROR_COLUMNS = "The index needs the columns {columns}; it is missing {missing}."
ERROR_DATE = "date must be YYYY-MM-DD, not “{value}”."
ERROR_GENDER = "gender must be women or men, not “{value}”."
ERROR_DISTANCE = "distance must be metres, such as 500, not “{value}”."
ERROR_DIVISION = "division must be A or B, not “{value}”."
ERROR_STEM = "stem must be a file name without .csv, not “{value}”."
ERROR_EMPTY = "The index lists no race."
# "Utah Olympic Oval - Salt Lake City (Usa)": the venue's country in brackets at the end.
_COUNTRY = re.compile(r"\(([A-Za-z]{3})\)\s*$")


class RoundIndexInvalid(FileInvalid):
    """Every problem found in the index, one message per bad line."""


@dataclass(frozen=True)
class IndexedRace:
    sheet: Path
    competition: str
    venue: str  # "Utah Olympic Oval", from "Utah Olympic Oval - Salt Lake City (Usa)"
    city: str
    country: str  # three letters, from the venue's "(Usa)"; empty when it does not say
    day: date
    gender: str
    distance: int
    division: str
    round: str  # "1", "2" for the two 500 m of a round; empty otherwise

    @property
    def title(self) -> str:
        race = f" race {self.round}" if self.round else ""
        return f"{self.gender.title()} {self.distance}m Division {self.division}{race}"


def _race(folder: Path, fields: dict[str, str]) -> IndexedRace:
    stem = fields["stem"]
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        raise ValueError(ERROR_STEM.format(value=stem[:60]))
    try:
        day = date.fromisoformat(fields["date"])
    except ValueError:
        raise ValueError(ERROR_DATE.format(value=fields["date"][:20])) from None
    if fields["gender"] not in ("women", "men"):
        raise ValueError(ERROR_GENDER.format(value=fields["gender"][:20]))
    distance = whole_number(fields["distance"], largest=10_000)
    if distance is None or distance < 100:
        raise ValueError(ERROR_DISTANCE.format(value=fields["distance"][:20]))
    if fields["division"].upper() not in ("A", "B"):
        raise ValueError(ERROR_DIVISION.format(value=fields["division"][:20]))
    country = _COUNTRY.search(fields["venue"])
    return IndexedRace(
        sheet=folder / f"{stem}.csv",
        competition=fields["competition"],
        venue=_COUNTRY.sub("", fields["venue"]).split(" - ")[0].strip(),
        city=fields["city"],
        country=country[1].upper() if country else "",
        day=day,
        gender=fields["gender"],
        distance=distance,
        division=fields["division"].upper(),
        round=fields["round"],
    )


def read_round_index(path: Path) -> list[IndexedRace]:
    """Every race the index lists, in its order; raises ``RoundIndexInvalid`` naming each bad line."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        races = named_lines_read(
            stream,
            columns=COLUMNS,
            row=lambda _line, cells: _race(path.parent, cells),
            invalid=RoundIndexInvalid,
            error_columns=ERROR_COLUMNS,
        )
    if not races:
        raise RoundIndexInvalid([ERROR_EMPTY])
    return races
