"""World Cup standings on real figures: the official rounds of 2025-26 in data/isu-wc-2025-26 (Salt Lake City,
Heerenveen) imported as `manage.py import_round` does; after each round, every gender and distance's standings are
the sum of the points printed on the official sheets, per skater (by name and nation), the two 500 m of a round
included. A round skated in between (made up here) slots in by its date."""

import csv
import io
import json
from collections import defaultdict
from datetime import date

import pytest

from results import selectors
from results.demo.replay import heat_results_replay, race_create_from_sheet
from results.files.result_csv import read_result_csv
from results.models import Race
from results.rules.points_tables import WORLD_CUP_A
from results.services import race_status_set
from tests.support.world_cup import INDEX, WC1, WC3, import_official_round, make_round, make_series, referee

pytestmark = pytest.mark.django_db

# Two Division A 500 m sheets at Heerenveen rank a DNF after the finishers and print points for it, which the
# points table alone does not give (docs/rules.md: a non-finisher scores nothing). The import keeps the official
# list's points as points by decision, with the reason, so the standings are the sheets' to the point.
DNF_POINTS_ON_SHEETS = {
    ("men", 500, "Joep WENNEMARS"): 22,
    ("women", 500, "Erin JACKSON"): 21,
}


def race_sheet(race: Race) -> str:
    """The file name of the official list a race was imported from."""
    return next(
        indexed.sheet.name
        for indexed in INDEX
        if indexed.title == race.title and indexed.day == race.day and indexed.gender == race.gender
    )


def sheet_sums(*competitions: str) -> dict[tuple[str, int], dict[tuple[str, str], int]]:
    """The points printed on the sheets of these competitions, added up per skater for each gender and distance."""
    sums: dict[tuple[str, int], dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for race in INDEX:
        if race.competition not in competitions:
            continue
        for line in csv.DictReader(race.sheet.open(encoding="utf-8")):
            if line["points"]:
                sums[(race.gender, race.distance)][(line["name"], line["nation"])] += int(line["points"])
    return {board: {k: v for k, v in skaters.items() if v} for board, skaters in sums.items()}


def standings(series, gender, distance, after=None):
    if after is None:
        document = json.loads(selectors.series_snapshot_current(series.pk, gender, distance).payload)
    else:
        document = selectors.series_after_document(series, gender, distance, after=after)
    return document


def totals(document) -> dict[tuple[str, str], int]:
    return {(row["name"], row["nation"]): row["total"] for row in document["standings"]}


def differences(series, expected, after=None):
    """Per board, each skater whose sheet sum is not the system's total: sheet minus system."""
    found = {}
    for (gender, distance), sums in expected.items():
        system = totals(standings(series, gender, distance, after))
        skaters = set(sums) | set(system)
        diff = {s: sums.get(s, 0) - system.get(s, 0) for s in skaters if sums.get(s, 0) != system.get(s, 0)}
        if diff:
            found[(gender, distance)] = diff
    return found


def assert_ranks_shared(document):
    rows = document["standings"]
    for row in rows:
        assert row["rank"] == 1 + sum(other["total"] > row["total"] for other in rows)
        assert row["total"] == sum(points or 0 for points in row["rounds"])


def test_standings_after_each_official_round_are_the_sums_of_the_sheets():
    series = make_series()
    wc1 = import_official_round(series, WC1)

    after_wc1 = sheet_sums(WC1)
    assert sorted(after_wc1) == sorted(selectors.series_boards(series.pk))
    assert selectors.series_boards(series.pk) == [
        ("women", 500), ("women", 1000), ("women", 1500), ("women", 3000),
        ("men", 500), ("men", 1000), ("men", 1500), ("men", 5000),
    ]  # fmt: skip
    assert differences(series, after_wc1) == {}
    # Both 500 m races of the round count, in one column: Femke Kok won both (60 + 60).
    women_500 = standings(series, "women", 500)
    kok = next(row for row in women_500["standings"] if row["name"] == "Femke KOK")
    assert (kok["rank"], kok["total"], kok["rounds"]) == (1, 120, [120])
    assert [race["title"] for race in women_500["rounds"][0]["races"]] == [
        "Women 500m Division A race 1", "Women 500m Division B race 1",
        "Women 500m Division A race 2", "Women 500m Division B race 2",
    ]  # fmt: skip
    assert women_500["provisional"] == []

    wc3 = import_official_round(series, WC3)
    after_wc3 = sheet_sums(WC1, WC3)
    assert len(selectors.series_boards(series.pk)) == 10  # Heerenveen adds the women's 5000 m and men's 10000 m
    # Equal to the sheets, the points two sheets print for a DNF included (awarded by decision on import).
    assert differences(series, after_wc3) == {}
    for (gender, distance, name), points in DNF_POINTS_ON_SHEETS.items():
        race = Race.objects.get(competition=wc3, gender=gender, distance=distance, title__contains="Division A")
        row = next(row for row in selectors.race_standings(race) if row["name"] == name)
        assert (row["status"], row["rank"], row["points"]) == ("DNF", None, points)
        edit = race.edits.get(subject__contains="points by decision")
        assert (edit.new, edit.reason) == (str(points), f"As printed on the official result list ({race_sheet(race)}).")
    # The standings after the first round have not moved.
    assert differences(series, after_wc1, after=wc1.pk) == {}
    checked = 0
    for gender, distance in selectors.series_boards(series.pk):
        document = standings(series, gender, distance)
        assert [r["competition"] for r in document["rounds"]] == [
            c for c in (wc1.pk, wc3.pk) if any(race.distance == distance and race.gender == gender
                                              for race in Race.objects.filter(competition=c))
        ]  # fmt: skip
        assert_ranks_shared(document)
        checked += len(document["standings"])
    assert checked == sum(len(skaters) for skaters in after_wc3.values())

    # A round skated between them, added afterwards: it slots in by its date, and its points count.
    wc2 = make_round(series, "World Cup #2 (made up)", date(2025, 11, 21))
    sheet = "rank,bib,name,nation,pair,lane,time,status,infraction,behind,points\n"
    sheet += ",1,Femke KOK,NED,1,I,37.10,OK,,,\n,2,Erin JACKSON,USA,1,O,37.20,OK,,,\n"
    rows = read_result_csv(io.StringIO(sheet))
    race = race_create_from_sheet(
        competition=wc2, title="Women 500m Division A", gender="women", distance=500, rows=rows,
        points_table=WORLD_CUP_A, day=date(2025, 11, 21),
    )  # fmt: skip
    heat_results_replay(race=race, rows=rows)
    race_status_set(race=race, status=Race.State.OFFICIAL, by=referee())
    document = standings(series, "women", 500)
    assert [r["competition"] for r in document["rounds"]] == [wc1.pk, wc2.pk, wc3.pk]
    expected = {**after_wc3[("women", 500)]}
    expected[("Femke KOK", "NED")] += 60
    expected[("Erin JACKSON", "USA")] += 54
    assert totals(document) == expected
    kok = next(row for row in document["standings"] if row["name"] == "Femke KOK")
    assert kok["rounds"][1] == 60 and sum(kok["rounds"]) == kok["total"]
    assert_ranks_shared(document)
    # After the made-up round: WC1 and WC2 only.
    after_wc2 = totals(standings(series, "women", 500, after=wc2.pk))
    assert after_wc2[("Femke KOK", "NED")] == after_wc1[("women", 500)][("Femke KOK", "NED")] + 60
