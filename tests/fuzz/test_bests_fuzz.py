"""The skaters' bests import in the admin (upload, preview, confirm; results/files/bests.py) under any file: any
bytes, any text, a right header with any cells (times, dates, seasons, distances, huge numbers, NULs), any delimiter,
line ending (a lone carriage return too) and encoding, a byte order mark, a column missing or a line cut short. The
confirm step is sent what was previewed, or any text. The reading alone is tried on any text as well.

For every file: never a server error and nothing logged as an error; the upload shows a preview that lists the
file's problems or offers the import, and saves nothing; the confirm imports, or lists why not and saves nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from results.files.bests import bests_parse
from tests.fuzz.properties import assert_import_answered, checked_example, fingerprint, tally
from tests.fuzz.strategies import TEXT, Line, csv_files, mostly
from tests.support.factories import enter_heat, make_race

COLUMNS = ("name", "nation", "external_id", "distance", "pb", "pb_date", "sb", "sb_date", "season")
# Skaters of make_race's draw (known) and others (new).
SKATERS = [
    ("Anna ALPHA", "NED"),
    ("Bea BRAVO", "USA"),
    ("Cleo CHARLIE", "JPN"),
    ("Zoe ZULU", "NED"),
    ("Yu YANKEE", "JPN"),
]
TIMES = {500: ("37.80", "38.10"), 1000: ("1:15.00", "1:15.31"), 1500: ("1.55,20", "1:56.012")}


@st.composite
def bests_lines(draw: st.DrawFn) -> list[Line]:
    """A right bests file: one line per skater and distance, a PB and an SB no faster than it, their dates and the
    SB's season (each maybe left out)."""
    lines = []
    for name, nation in draw(st.lists(st.sampled_from(SKATERS), unique=True, min_size=1)):
        for distance in draw(st.lists(st.sampled_from(sorted(TIMES)), unique=True, min_size=1)):
            pb, sb = TIMES[distance]
            line = {"name": name, "nation": nation, "distance": str(distance), "pb": pb, "sb": sb}
            line |= {"pb_date": "2024-11-16", "sb_date": "15.11.2025", "season": "2025-26"}
            left_out = draw(st.sampled_from([(), ("pb", "pb_date"), ("pb_date",), ("sb_date",), ("season",)]))
            line |= dict.fromkeys(left_out, "")
            lines.append(line)
    return lines


@pytest.mark.django_db
def test_any_bests_file_is_previewed_then_imported_or_refused_in_words(client):
    race = make_race()
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    client.force_login(User.objects.create_superuser("ada", password="not-a-real-password"))
    before = fingerprint()

    @given(data=csv_files(COLUMNS, bests_lines(), optional=("external_id",)), text=mostly(st.none(), TEXT))
    def example_import(data: bytes, text: str | None) -> None:
        with checked_example(before):
            outcome = assert_import_answered(
                client,
                upload_url=reverse("admin:results_skaterbest_import"),
                confirm_url=reverse("admin:results_skaterbest_import_confirm"),
                data=data,
                text=text,
                before=before,
            )
            tally(outcome)

    example_import()


def test_any_text_is_read_line_by_line_or_refused_whole():
    """The reading alone (no database): every line that is not read says why, and every problem names its line."""

    @given(text=mostly(csv_files(COLUMNS, bests_lines()).map(lambda data: data.decode("utf-8", "replace")), TEXT))
    def example_text(text: str) -> None:
        parsed = bests_parse(text)
        tally("read" if parsed.entries and not parsed.messages else "refused")
        assert all(message.strip() for message in parsed.messages)
        assert not (parsed.file_errors and parsed.lines), "a file refused whole has no lines"
        for line in parsed.lines:
            assert (line.entry is None) == bool(line.errors), line
        numbers = {f"Line {line.line}: " for line in parsed.lines}
        assert all(
            message[: message.index(":") + 2] in numbers for message in parsed.messages[len(parsed.file_errors) :]
        )

    example_text()
