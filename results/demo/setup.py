"""The demo that ``make run`` starts: a real World Cup weekend replayed live, with an official who can log in.

The races are real (data/isu-wc-2025-26, from the official ISU result lists); the standing records in
data/demo-records.csv are there so the replay shows a record falling (Femke Kok's 36.09 in the women's 500 m).
The personal and season bests in data/demo-bests.csv are made up (the file says so on every line), so that the
replay shows PB and SB flags too.
"""

from __future__ import annotations

import csv
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from results import roles
from results.demo.replay import race_create_from_sheet
from results.files.bests_preview import bests_preview
from results.files.result_csv import SheetRow, read_result_csv
from results.models import Race, Record, Venue
from results.rules.points_tables import WORLD_CUP_A, WORLD_CUP_B
from results.rules.times import parse_time
from results.services import competitions, records, series
from results.services.bests import bests_import

DATA = Path(__file__).resolve().parent.parent.parent / "data"
RACES = DATA / "isu-wc-2025-26"
RECORDS = DATA / "demo-records.csv"
BESTS = DATA / "demo-bests.csv"

COMPETITION = "ISU Speed Skating World Cup #1 (replay)"
# A round of a season series, so the World Cup standings move while the demo skates (docs/world-cup.md).
SERIES, SEASON = "ISU Speed Skating World Cup 2025-26 (replay)", "2025-26"
VENUE, CITY, COUNTRY = "Utah Olympic Oval", "Salt Lake City", "USA"
# Replayed in this order: the women's 500 m ends on a world record in the last pair.
PROGRAMME = (
    "wc1-salt-lake-city-2025-11-16-women-500-a-r2",
    "wc1-salt-lake-city-2025-11-16-men-500-a-r2",
    "wc1-salt-lake-city-2025-11-14-women-1000-a",
    "wc1-salt-lake-city-2025-11-14-men-1000-a",
)
# The demo's accounts: one per role (results/roles.py); the commentator only reads (docs/commentators.md).
DEMO_USERS = {"official": roles.TIMING_OFFICIAL, "referee": roles.REFEREE, "commentator": roles.COMMENTATOR}


@dataclass(frozen=True)
class DemoRace:
    race: Race
    rows: list[SheetRow]


def officials_with_new_passwords() -> dict[str, str]:
    """The demo's timing official, referee and commentator (staff, so that the admin's login lets them in; each in
    their group), each with a fresh random password."""
    passwords = {}
    for username, role in DEMO_USERS.items():
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff = True
        passwords[username] = secrets.token_urlsafe(9)
        user.set_password(passwords[username])
        user.save()
        user.groups.set([roles.role_group(role)])
    return passwords


def _title(race: dict[str, str]) -> str:
    title = f"{race['gender'].title()} {race['distance']}m Division {race['division']}"
    return f"{title}, race {race['round']}" if race["round"] else title


def _read(stem: str) -> list[SheetRow]:
    with (RACES / f"{stem}.csv").open(encoding="utf-8", newline="") as stream:
        return read_result_csv(stream)


@transaction.atomic
def demo_competition() -> list[DemoRace]:
    """Create the demo competition, its records and its races' start lists, or find them from an earlier run."""
    venue = competitions.venue_get_or_create(name=VENUE, city=CITY, country=COUNTRY)
    index = {row["stem"]: row for row in csv.DictReader((RACES / "index.csv").open(encoding="utf-8"))}
    days = sorted(date.fromisoformat(index[stem]["date"]) for stem in PROGRAMME)
    competition = competitions.competition_get_or_create(
        name=COMPETITION,
        venue=venue,
        starts_on=days[0],
        ends_on=days[-1],
        series=series.series_get_or_create(name=SERIES, season=SEASON),
    )
    _records_load(venue)
    demo_races = []
    for stem in PROGRAMME:
        meta, rows = index[stem], _read(stem)
        race = competition.races.filter(title=_title(meta)).first() or race_create_from_sheet(
            competition=competition,
            title=_title(meta),
            gender=meta["gender"],
            distance=int(meta["distance"]),
            rows=rows,
            points_table=WORLD_CUP_A if meta["division"] == "A" else WORLD_CUP_B,
            day=date.fromisoformat(meta["date"]),
        )
        demo_races.append(DemoRace(race=race, rows=rows))
    _bests_load()
    return demo_races


def _records_load(venue: Venue) -> None:
    with RECORDS.open(encoding="utf-8", newline="") as stream:
        for line in csv.DictReader(stream):
            record = Record(
                kind=line["kind"],
                gender=line["gender"],
                distance=int(line["distance"]),
                venue=venue if line["kind"] == Record.Kind.TR else None,
                time_ms=parse_time(line["time"]),
                holder=line["holder"],
                nation=line["nation"],
                set_on=date.fromisoformat(line["set_on"]),
            )
            kept = Record.objects.filter(kind=record.kind, gender=record.gender, distance=record.distance)
            if not kept.filter(venue=record.venue, time_ms=record.time_ms).exists():
                records.record_save(record=record, by=None)


def _bests_load() -> None:
    """Once the races' skaters are in: an import finds them by name and nation (and, run again, changes nothing)."""
    preview = bests_preview(text=BESTS.read_text(encoding="utf-8"))
    if preview.messages:
        raise ValueError("\n".join(preview.messages))
    bests_import(entries=preview.entries, by=None)
