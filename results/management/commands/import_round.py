"""Import a series' earlier rounds from official result lists: ``python manage.py import_round INDEX.csv --series
"ISU Speed Skating World Cup 2025-26" --season 2025-26 --referee referee`` (docs/world-cup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from results.demo.rounds import competition_names, round_import
from results.files.csv_reading import FileInvalid
from results.files.round_index import read_round_index
from results.models import Race
from results.services.series import series_get_or_create

ERROR_REFEREE = "No user “{username}”: --referee names the referee who confirms the imported results."


class Command(BaseCommand):
    help = (
        "Create a series' rounds from an index of official result lists (stem,competition,venue,city,date,gender,"
        "distance,division,round; the sheets beside it): one competition per competition of the index (or those "
        "named with --competition), its races with their World Cup points tables, every heat entered as officials "
        "would, then confirmed official by --referee. The series' standings follow."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("index", type=Path, help="e.g. data/isu-wc-2025-26/index.csv")
        parser.add_argument(
            "--series", required=True, help='e.g. "ISU Speed Skating World Cup 2025-26" (created if new)'
        )
        parser.add_argument("--season", required=True, help="e.g. 2025-26, for a new series")
        parser.add_argument("--referee", required=True, help="username of a referee, who confirms the results")
        parser.add_argument(
            "--competition", action="append", help="only this competition of the index (repeat for several)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        referee = User.objects.filter(username=options["referee"]).first()
        if referee is None:
            raise CommandError(ERROR_REFEREE.format(username=options["referee"]))
        try:
            index = read_round_index(options["index"])
        except OSError as error:
            raise CommandError(str(error)) from error
        except FileInvalid as error:
            raise CommandError("\n".join(error.messages)) from error
        series = series_get_or_create(name=options["series"], season=options["season"])
        for name in options["competition"] or competition_names(index):
            try:
                competition = round_import(
                    index=index, name=name, series=series, referee=referee, on_race=self._race_done
                )
            except FileInvalid as error:
                raise CommandError("\n".join(error.messages)) from error
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            except (OSError, ValueError) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"competition {competition.pk}: {competition.name}, {competition.races.count()} races")
        self.stdout.write(f"series {series.pk}: {series.name}")

    def _race_done(self, race: Race) -> None:
        self.stdout.write(f"race {race.pk}: {race.title} is {race.get_status_display().lower()}")
