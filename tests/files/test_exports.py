"""A race's results exported as an official result list: what spectators see, and lossless.

The round trip: a real race replayed into race A, exported, the file imported as the start list of race B and its
times replayed into B, ends on the same standings, field for field, and the same file.
"""

import csv
import io
import json
from datetime import date

import pytest

from results import services
from results.demo.replay import heat_results_replay, race_create_from_sheet
from results.files.exports import race_results_csv, race_results_filename
from results.files.result_csv import COLUMNS, read_result_csv, rows_by_heat
from results.files.startlists import start_list_read
from results.models import Competition, Venue
from results.rules.points_tables import WORLD_CUP_A, WORLD_CUP_B
from results.selectors import race_snapshot_current
from results.services.startlists import start_list_import
from tests.support.factories import enter_heat, make_race
from tests.support.paths import DATA
from tests.support.sheets import sheet_with_withdrawals

pytestmark = pytest.mark.django_db

# A tie on thousandths (1:42.934 twice); a DNF and a DQ (T10); a DNF and a DQ (T08) in Division B; a DNS.
ROUND_TRIPS = {
    "wc1-salt-lake-city-2025-11-15-men-1500-a": (1500, WORLD_CUP_A),
    "wc3-heerenveen-2025-12-07-men-500-a": (500, WORLD_CUP_A),
    "wc1-salt-lake-city-2025-11-14-men-1000-b": (1000, WORLD_CUP_B),
    "wc3-heerenveen-2025-12-07-men-500-b": (500, WORLD_CUP_B),
}


def lines(text):
    return list(csv.DictReader(io.StringIO(text)))


def published(race):
    return json.loads(race_snapshot_current(race.pk).payload)


@pytest.fixture
def competition():
    venue = Venue.objects.create(name="Replay Oval", city="Heerenveen", country="NED")
    return Competition.objects.create(
        name="ISU World Cup #3", venue=venue, starts_on=date(2025, 11, 14), ends_on=date(2025, 12, 7)
    )


def replayed(competition, stem, distance, points_table, *, heats=None):
    """Race A: the official sheet replayed, all heats or the first ``heats``."""
    with (DATA / f"{stem}.csv").open(encoding="utf-8", newline="") as stream:
        rows = read_result_csv(stream)
    race = race_create_from_sheet(
        competition=competition,
        title=f"A {stem}",
        gender="men",
        distance=distance,
        rows=rows,
        points_table=points_table,
    )
    first = {number for number, _rows in rows_by_heat(rows)[:heats]} if heats else None
    heat_results_replay(race=race, rows=[row for row in rows if first is None or row.heat in first])
    return race


def rebuilt(competition, exported, race_a):
    """Race B: the exported file imported as its start list, then its times replayed."""
    race = services.race_create(
        competition=competition,
        title=f"B {race_a.title}",
        gender=race_a.gender,
        distance=race_a.distance,
        points_table=race_a.points_table,
        day=race_a.day,
    )
    start_list_import(race=race, entries=start_list_read(exported), by=None)
    heat_results_replay(race=race, rows=read_result_csv(io.StringIO(exported)))
    return race


@pytest.mark.parametrize("stem", ROUND_TRIPS)
def test_a_finished_race_survives_export_import_and_replay_unchanged(competition, stem):
    distance, points_table = ROUND_TRIPS[stem]
    race_a = replayed(competition, stem, distance, points_table)
    exported = race_results_csv(race_a)

    race_b = rebuilt(competition, exported, race_a)

    a, b = published(race_a), published(race_b)
    assert b["standings"] == a["standings"]
    assert b["race"]["status"] == a["race"]["status"] == "UNOFFICIAL"
    assert race_results_csv(race_b) == exported
    assert len(lines(exported)) == len(a["standings"])


def test_the_tie_on_thousandths_is_kept_to_the_thousandth(competition):
    race = replayed(competition, "wc1-salt-lake-city-2025-11-15-men-1500-a", 1500, WORLD_CUP_A)

    tied = [line for line in lines(race_results_csv(race)) if line["time"] == "102.934"]

    assert [(line["rank"], line["points"]) for line in tied] == [("12", "29"), ("12", "29")]
    assert [row["time"] for row in published(race)["standings"] if row["time_ms"] == 102934] == ["1:42.93(4)"] * 2


def test_a_race_exported_halfway_lists_who_is_still_to_skate_and_rebuilds_the_same(competition):
    race_a = replayed(competition, "wc3-heerenveen-2025-12-07-men-500-a", 500, WORLD_CUP_A, heats=4)
    exported = race_results_csv(race_a)
    skated = published(race_a)["standings"]

    to_skate = lines(exported)[len(skated) :]
    assert to_skate and all(line["status"] == line["time"] == line["rank"] == "" for line in to_skate)
    assert [int(line["pair"]) for line in to_skate] == sorted(int(line["pair"]) for line in to_skate)
    assert min(int(line["pair"]) for line in to_skate) == 5

    race_b = rebuilt(competition, exported, race_a)
    a, b = published(race_a), published(race_b)
    assert (b["standings"], b["race"]["heats"]) == (a["standings"], 10)
    # The same pairs to come; when each is expected depends on when the pairs of each race started.
    assert [(h["heat"], h["skaters"]) for h in b["next_heats"]] == [(h["heat"], h["skaters"]) for h in a["next_heats"]]
    assert b["race"]["status"] == "LIVE"
    assert race_results_csv(race_b) == exported


def test_the_file_is_the_official_format_with_seconds_to_the_thousandth():
    race = make_race()
    enter_heat(race, 1, {11: "1:12.31", 12: "1:12.315"})
    enter_heat(race, 2, {21: "DQ T07", 22: "DNF"})

    assert race_results_csv(race) == (
        ",".join(COLUMNS) + "\n"
        "1,11,Anna ALPHA,NED,1,I,72.310,OK,,,60\n"
        "2,12,Bea BRAVO,USA,1,O,72.315,OK,,,54\n"
        ",22,Dana DELTA,CAN,2,O,,DNF,,,\n"
        ",21,Cleo CHARLIE,JPN,2,I,,DQ,T07,,\n"
        ",31,Eva ECHO,NOR,3,I,,,,,\n"
        ",32,Fay FOXTROT,AIN,3,O,,,,,\n"
    )


def test_behind_is_written_without_its_plus_and_a_start_list_exports_as_names_only():
    race = make_race()
    assert [line["status"] for line in lines(race_results_csv(race))] == [""] * 6

    enter_heat(race, 1, {11: "38.50", 12: "1:39.61"})

    exported = lines(race_results_csv(race))
    assert [(line["time"], line["behind"]) for line in exported[:2]] == [("38.500", ""), ("99.610", "1:01.11")]


def test_the_file_is_named_after_the_competition_and_race():
    race = make_race()
    assert race_results_filename(race) == "test-world-cup-women-500m-division-a.csv"


def test_the_reader_takes_a_line_without_status_or_time_as_still_to_skate():
    rows = read_result_csv(
        io.StringIO(
            ",".join(COLUMNS) + "\n"
            "1,11,Anna ALPHA,NED,1,I,38.500,,,,60\n"  # a time without a status: a finisher, as before
            ",12,Bea BRAVO,USA,1,O,,,,,\n"
        )
    )

    assert [(row.status, row.time_ms, row.has_result) for row in rows] == [("OK", 38500, True), ("", None, False)]


HOSTILE = [
    (1, "I", 11, '=HYPERLINK("http://evil.example","Anna")', "NED"),
    (1, "O", 12, "+cmd|' /C calc'!A0", "USA"),
    (2, "I", 21, "@SUM(1+1)*cmd|' /C calc'!A0", "JPN"),
    (2, "O", 22, "-2+3", "CAN"),
    (3, "I", 31, "'=already quoted", "NOR"),
    (3, "O", 32, "'t HART", "NED"),
]


def test_names_a_spreadsheet_would_run_are_exported_as_text_and_read_back_as_they_were(competition):
    race_a = make_race(competition, draw=HOSTILE)
    enter_heat(race_a, 1, {11: "38.12", 12: "38.50"})
    enter_heat(race_a, 2, {21: "37.90", 22: "DNF"})
    exported = race_results_csv(race_a)

    cells = [cell for line in csv.reader(io.StringIO(exported)) for cell in line]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK" in exported and "'-2+3" in exported and "''=already quoted" in exported
    assert ",'t HART," in exported  # an apostrophe of the name's own, before a letter, is left alone

    race_b = rebuilt(competition, exported, race_a)
    assert published(race_b)["standings"] == published(race_a)["standings"]
    assert sorted(row.name for row in read_result_csv(io.StringIO(exported))) == sorted(n for *_, n, _ in HOSTILE)


def test_skaters_withdrawn_before_the_draw_survive_export_import_and_replay(competition):
    rows = read_result_csv(io.StringIO(sheet_with_withdrawals("wc3-heerenveen-2025-12-07-men-500-b")))
    race_a = race_create_from_sheet(
        competition=competition, title="A", gender="men", distance=500, rows=rows, points_table=WORLD_CUP_B
    )
    heat_results_replay(race=race_a, rows=rows)
    exported = race_results_csv(race_a)

    withdrawn = [line for line in lines(exported) if line["status"] == "WDR"]
    assert [(line["bib"], line["pair"], line["lane"], line["points"]) for line in withdrawn] == [
        ("901", "", "", ""),
        ("902", "", "", ""),
    ]
    race_b = rebuilt(competition, exported, race_a)
    assert published(race_b)["standings"] == published(race_a)["standings"]
    assert sorted(race_b.withdrawals.values_list("bib", flat=True)) == [901, 902]
    assert race_results_csv(race_b) == exported
