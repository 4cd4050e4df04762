"""The start list and export commands, as run from a shell: what they print and how they exit."""

import pytest
from django.core.management import execute_from_command_line
from django.db import connections

from results.files.exports import race_results_csv
from results.files.startlist_preview import ERROR_HAS_RESULTS
from results.files.startlists import ERROR_LANE, ERROR_NATION
from results.models import Start
from tests.support.factories import enter_heat, make_race

pytestmark = pytest.mark.django_db

DRAW = "heat,lane,bib,name,nation\n1,I,11,Anna ALPHA,NED\n1,O,12,Bea BRAVO,USA\n2,I,21,Cleo CHARLIE,JPN\n"


def run(*args):
    """``manage.py`` with ``args`` in this process (on the test database): its exit code."""
    try:
        execute_from_command_line(["manage.py", *map(str, args)])
    except SystemExit as exit:
        return exit.code
    return 0


@pytest.fixture(autouse=True)
def keep_the_test_database_open(monkeypatch):
    # A command run from the command line closes every connection when it ends, which would close the test
    # database under the test.
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def race():
    return make_race(draw=())


@pytest.fixture
def draw_file(tmp_path):
    path = tmp_path / "draw.csv"
    path.write_text(DRAW, encoding="utf-8")
    return path


def test_a_dry_run_says_what_would_change_and_imports_nothing(race, draw_file, capsys):
    assert run("import_startlist", race.pk, draw_file, "--dry-run") == 0

    assert capsys.readouterr().out == (
        "Women 500m Division A: 3 skaters in 2 pairs; 3 added, 0 changed, 0 removed, 0 unchanged (3 new skaters)\n"
        "dry run: nothing imported\n"
    )
    assert not Start.objects.filter(heat__race=race).exists()


def test_import_replaces_the_draw_and_names_who_is_taken_out(race, draw_file, tmp_path, capsys):
    assert run("import_startlist", race.pk, draw_file) == 0
    assert capsys.readouterr().out.endswith("imported: 3 added, 0 changed, 0 removed, 0 unchanged (3 new skaters)\n")
    corrected = tmp_path / "corrected.csv"
    corrected.write_text(DRAW.replace("2,I,21,Cleo CHARLIE,JPN\n", "1,I,13,Dana DELTA,CAN\n"), encoding="utf-8")

    assert run("import_startlist", race.pk, corrected) == 0

    assert capsys.readouterr().out == (
        "Women 500m Division A: 3 skaters in 1 pairs; 1 added, 0 changed, 1 removed, 2 unchanged (1 new skater)\n"
        "taken out of the draw: Cleo CHARLIE (JPN), pair 2\n"
        "imported: 1 added, 0 changed, 1 removed, 2 unchanged (1 new skater)\n"
    )
    assert sorted(Start.objects.filter(heat__race=race).values_list("bib", flat=True)) == [11, 12, 13]


def test_a_bad_file_exits_non_zero_naming_every_bad_line(race, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(DRAW + "2,X,22,Dana DELTA,CA\n", encoding="utf-8")

    assert run("import_startlist", race.pk, bad) == 1

    assert capsys.readouterr().err == (
        f"CommandError: Line 5: {ERROR_LANE.format(value='X')}\nLine 5: {ERROR_NATION.format(value='CA')}\n"
    )
    assert not Start.objects.filter(heat__race=race).exists()


def test_a_race_with_results_or_no_race_at_all_exits_non_zero(draw_file, capsys):
    race = make_race()
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    race.refresh_from_db()
    capsys.readouterr()  # the service's log line

    assert run("import_startlist", race.pk, draw_file) == 1
    assert capsys.readouterr().err == f"CommandError: {ERROR_HAS_RESULTS.format(race=race, status='live')}\n"
    assert run("import_startlist", 999, draw_file) == 1
    assert capsys.readouterr().err == "CommandError: No race with id 999.\n"
    assert run("import_startlist", race.pk, draw_file.parent / "missing.csv") == 1
    assert "No such file" in capsys.readouterr().err


def test_export_results_writes_the_csv_to_stdout(capsys):
    race = make_race()
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    capsys.readouterr()  # the service's log line

    assert run("export_results", race.pk) == 0

    out = capsys.readouterr().out
    assert out == race_results_csv(race)
    assert out.splitlines()[:3] == [
        "rank,bib,name,nation,pair,lane,time,status,infraction,behind,points",
        "1,12,Bea BRAVO,USA,1,O,38.120,OK,,,60",
        "2,11,Anna ALPHA,NED,1,I,38.500,OK,,0.38,54",
    ]
    assert run("export_results", 999) == 1
    assert capsys.readouterr().err == "CommandError: No race with id 999.\n"
