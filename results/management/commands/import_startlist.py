"""Import a race's start list (the draw) from CSV: ``python manage.py import_startlist RACE_ID FILE.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from results.files.startlist_preview import start_list_preview
from results.files.startlists import StartListInvalid, decode_start_list
from results.models import Race
from results.services.startlists import start_list_import

ERROR_NO_RACE = "No race with id {race_id}."
MESSAGE_PREVIEW = "{race}: {skaters} skaters in {heats} pairs; {summary}"
MESSAGE_REMOVED = "taken out of the draw: {skater}, pair {heat}"
MESSAGE_DRY_RUN = "dry run: nothing imported"
MESSAGE_IMPORTED = "imported: {summary}"


class Command(BaseCommand):
    help = (
        "Import a race's start list from CSV (columns heat or pair, lane, bib, name, nation, and optionally "
        "external_id; an official result list will do). Replaces the draw while the race has no results. "
        "Every bad line is named and nothing is imported while one is bad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("race_id", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check the file and say what would change")

    def handle(self, *args: Any, **options: Any) -> None:
        race = Race.objects.select_related("competition").filter(pk=options["race_id"]).first()
        if race is None:
            raise CommandError(ERROR_NO_RACE.format(race_id=options["race_id"]))
        try:
            text = decode_start_list(options["file"].read_bytes())
        except OSError as error:
            raise CommandError(str(error)) from error
        except StartListInvalid as error:
            raise CommandError("\n".join(error.messages)) from error

        preview = start_list_preview(race=race, text=text)
        if preview.messages:
            raise CommandError("\n".join(preview.messages))
        entries = preview.entries
        self.stdout.write(
            MESSAGE_PREVIEW.format(race=race, skaters=len(entries), heats=preview.heat_count, summary=preview.summary)
        )
        for start in preview.removed:
            self.stdout.write(MESSAGE_REMOVED.format(skater=start.skater, heat=start.heat.number))
        if options["dry_run"]:
            self.stdout.write(MESSAGE_DRY_RUN)
            return
        try:
            summary = start_list_import(race=race, entries=entries, by=None)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(MESSAGE_IMPORTED.format(summary=summary))
