"""A race's start list import in the admin (upload, preview, confirm; docs/startlists.md) under any file a clumsy
official could pick: any bytes, any text, a right header with any cells, any delimiter, line ending and encoding, a
byte order mark, NULs, huge numbers, a column missing or a line cut short; for an individual distance, a mass start
and a team pursuit, before and after the first result. The confirm step is sent what was previewed, or any text.

For every file: never a server error and nothing logged as an error; the upload shows a preview that lists the
file's problems or offers the import, and saves nothing; the confirm imports, or lists why not and saves nothing.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from results.models import Race
from results.roles import TIMING_OFFICIAL
from results.rules import formats
from tests.fuzz.properties import assert_import_answered, checked_example, fingerprint, tally
from tests.fuzz.strategies import TEXT, Line, csv_files, mostly
from tests.support.factories import make_live_race, make_mass_start, make_race, make_team_pursuit, make_user

COLUMNS = ("heat", "lane", "bib", "name", "nation", "external_id", "members")
NAMES = ["Jutta LEERDAM", "Miho TAKAGI", "Femke KOK", "Erin JACKSON", "Anna ALPHA", "Bea BRAVO", "Kimi GOETZ"]
NATIONS = ["NED", "JPN", "USA", "AIN", "CAN"]


@st.composite
def draws(draw: st.DrawFn, race_format: str) -> list[Line]:
    """A right draw for a race of ``race_format``: pairs (a mass start: one heat, no lanes; a team pursuit: teams
    with their skaters), bibs of their own, skaters new or already known."""
    names = draw(st.permutations(NAMES))[: draw(st.integers(min_value=1, max_value=len(NAMES)))]
    lines = []
    for number, name in enumerate(names):
        line = {
            "heat": str(number // 2 + 1),
            "lane": "IO"[number % 2],
            "bib": str(draw(st.sampled_from([100, 1, 99_999])) + number),
            "name": name,
            "nation": draw(st.sampled_from(NATIONS)),
            "external_id": draw(st.sampled_from(["", f"isu-{number}"])),
        }
        if race_format == formats.MASS_START:
            line |= {"heat": draw(st.sampled_from(["1", ""])), "lane": ""}
        if race_format == formats.TEAM_PURSUIT:
            line["members"] = draw(st.sampled_from([";", "|", " ; "])).join(f"{name} {n}" for n in range(3))
        lines.append(line)
    return lines


@pytest.mark.django_db
def test_any_start_list_file_is_previewed_then_imported_or_refused_in_words(client):
    races = {
        "individual": make_race(draw=()),
        "individual, drawn": make_race(),
        "mass start": make_mass_start(),
        "team pursuit": make_team_pursuit(),
        "with results": make_live_race(),
    }
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    before = fingerprint()

    @st.composite
    def imports(draw: st.DrawFn) -> tuple[Race, bytes, str | None]:
        race = races[draw(st.sampled_from(sorted(races)))]
        heat = draw(st.sampled_from(["heat", "pair"]))
        lines = draws(race.format).map(lambda lines: [{**line, heat: line["heat"]} for line in lines])
        columns = tuple(heat if column == "heat" else column for column in COLUMNS)
        data = draw(csv_files(columns, lines, optional=("external_id", "members")))
        return race, data, draw(mostly(st.none(), TEXT))

    @given(sent=imports())
    def example_import(sent: tuple[Race, bytes, str | None]) -> None:
        race, data, text = sent
        with checked_example(before):
            outcome = assert_import_answered(
                client,
                upload_url=reverse("admin:results_race_import_start_list", args=[race.pk]),
                confirm_url=reverse("admin:results_race_confirm_start_list", args=[race.pk]),
                data=data,
                text=text,
                before=before,
            )
            tally(outcome)

    example_import()


@pytest.mark.django_db
def test_lines_ended_by_a_lone_carriage_return_are_read(client):
    """Excel's "CSV (Macintosh)" ends lines with a lone carriage return: the preview reads the draw."""
    race = make_race(draw=())
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    data = b"heat,lane,bib,name,nation\r1,I,11,Anna ALPHA,NED\r1,O,12,Bea BRAVO,USA\r"
    upload = client.post(
        reverse("admin:results_race_import_start_list", args=[race.pk]),
        {"file": SimpleUploadedFile("draw.csv", data, content_type="text/csv")},
    )
    assert upload.status_code == 200 and "Confirm import" in upload.content.decode()
