"""Write a race's results as an official result list (CSV) to stdout: ``python manage.py export_results RACE_ID``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from results.files.exports import race_results_csv
from results.models import Race

ERROR_NO_RACE = "No race with id {race_id}."


class Command(BaseCommand):
    help = (
        "Write a race's published results as CSV (rank,bib,name,nation,pair,lane,time,status,infraction,behind,"
        "points; time in seconds with three decimals), then the skaters still to skate with empty results."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("race_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        race = Race.objects.filter(pk=options["race_id"]).first()
        if race is None:
            raise CommandError(ERROR_NO_RACE.format(race_id=options["race_id"]))
        self.stdout.write(race_results_csv(race), ending="")
