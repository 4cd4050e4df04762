"""Import skaters' personal and season bests from CSV: ``python manage.py import_bests FILE.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from results.files.bests import BestsInvalid, decode_bests
from results.files.bests_preview import bests_preview
from results.services.bests import bests_import

MESSAGE_PREVIEW = "{lines} lines, {skaters} skaters: {summary}"
MESSAGE_NEW_SKATER = "line {line}: new skater {skater}"
MESSAGE_DRY_RUN = "dry run: nothing imported"
MESSAGE_IMPORTED = "imported: {summary}"


class Command(BaseCommand):
    help = (
        "Import skaters' personal and season bests from CSV (columns name, nation or external_id, distance, pb, "
        "pb_date, sb, sb_date, season). Skaters are matched by external id, else by name and nation; unknown ones "
        "are added. Importing again updates the bests. Every bad line is named and nothing is imported while one "
        "is bad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check the file and say what would change")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = decode_bests(options["file"].read_bytes())
        except OSError as error:
            raise CommandError(str(error)) from error
        except BestsInvalid as error:
            raise CommandError("\n".join(error.messages)) from error

        preview = bests_preview(text=text)
        if preview.messages:
            raise CommandError("\n".join(preview.messages))
        entries = preview.entries
        skaters = {(e.name, e.nation, e.external_id) for e in entries}
        self.stdout.write(MESSAGE_PREVIEW.format(lines=len(entries), skaters=len(skaters), summary=preview.summary))
        for line in preview.lines:
            if line.match is not None and line.match.skater is None and line.line.entry is not None:
                self.stdout.write(MESSAGE_NEW_SKATER.format(line=line.line.line, skater=line.line.entry.skater))
        if options["dry_run"]:
            self.stdout.write(MESSAGE_DRY_RUN)
            return
        try:
            summary = bests_import(entries=entries, by=None)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(MESSAGE_IMPORTED.format(summary=summary))
