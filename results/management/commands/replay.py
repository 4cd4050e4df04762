"""Replay an official result list live: ``python manage.py replay FILE.csv --title ... --distance 1000``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from results.demo.replay import heat_results_replay, race_create_from_sheet
from results.files.result_csv import ResultCsvError, read_result_csv
from results.models import Competition, Gender
from results.rules.points_tables import parse_points_table
from results.services import competitions

ERROR_GENDER = "Cannot tell women from men in the title “{title}”: add --gender women or --gender men."


def gender_from_title(title: str) -> str | None:
    words = title.lower().split()
    if "women" in words or "ladies" in words:
        return Gender.WOMEN
    if "men" in words:
        return Gender.MEN
    return None


class Command(BaseCommand):
    help = (
        "Create a race from an official result list (CSV: rank,bib,name,nation,pair,lane,time,status,infraction,"
        "behind,points) and enter its heats one by one, as officials would. The file's rank, behind and points "
        "columns are ignored: the system computes them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", required=True, help='e.g. "Women 1000m Division A"')
        parser.add_argument("--distance", required=True, type=int, help="metres")
        parser.add_argument("--gender", choices=[g.value for g in Gender], help="default: read from the title")
        parser.add_argument("--points", default="none", help="a preset (world-cup-a, world-cup-b, ...) or 60,54,48,...")
        parser.add_argument("--interval", type=float, default=0.0, help="seconds to wait before each heat")
        parser.add_argument("--competition", default="Replay", help="competition name (created if new)")
        parser.add_argument("--venue", default="Replay Oval", help="venue of a new competition")
        parser.add_argument("--city", default="Heerenveen", help="city of a new venue")
        parser.add_argument("--day", type=date.fromisoformat, help="race day, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        gender = options["gender"] or gender_from_title(options["title"])
        if gender is None:
            raise CommandError(ERROR_GENDER.format(title=options["title"]))
        try:
            points = parse_points_table(options["points"])
            with options["file"].open(encoding="utf-8", newline="") as stream:
                rows = read_result_csv(stream)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        except ResultCsvError as error:
            raise CommandError("\n".join(error.messages)) from error

        day = options["day"] or date.today()
        competition = competition_get_or_create(options["competition"], options["venue"], options["city"], day)
        try:
            race = race_create_from_sheet(
                competition=competition,
                title=options["title"],
                gender=gender,
                distance=options["distance"],
                rows=rows,
                points_table=points,
                day=day,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        # Viewers (and scripts) read this line to open the board while the heats are still to come.
        self.stdout.write(f"race {race.pk}")
        sys.stdout.flush()
        self.stdout.flush()
        heat_results_replay(
            race=race,
            rows=rows,
            interval=options["interval"],
            after_heat=lambda number: self.stdout.write(f"heat {number} entered", ending="\n"),
        )
        race.refresh_from_db()
        self.stdout.write(f"done: {race.title} is {race.get_status_display().lower()}")


def competition_get_or_create(name: str, venue_name: str, city: str, day: date) -> Competition:
    venue = competitions.venue_get_or_create(name=venue_name, city=city, country="NED")
    return competitions.competition_get_or_create(name=name, venue=venue, starts_on=day, ends_on=day)
