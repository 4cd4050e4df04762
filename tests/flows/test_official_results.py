"""Replaying every official World Cup 2025-26 result list heat by heat ends on exactly the printed table."""

import csv
import io
import json
from datetime import date

import pytest

from results.demo.replay import heat_results_replay, race_create_from_sheet
from results.files.result_csv import read_result_csv, rows_by_heat
from results.models import Competition, Venue
from results.rules.points_tables import WORLD_CUP_A, WORLD_CUP_B, WORLD_CUP_B_32, WORLD_CUP_B_36
from results.selectors import race_snapshot_current
from tests.support.paths import DATA
from tests.support.published import version as published_version
from tests.support.sheets import sheet_with_withdrawals

INDEX = list(csv.DictReader((DATA / "index.csv").open(encoding="utf-8")))
# The organiser attaches a points table to each race; the sheets show which one by the winner's points.
TABLE_BY_WINNER_POINTS = {60: WORLD_CUP_A, 28: WORLD_CUP_B, 32: WORLD_CUP_B_32, 36: WORLD_CUP_B_36}
# Three sheets rank a DNF after the finishers (two of them with points). The system follows docs/rules.md instead: a
# DNF is unranked and scores nothing. Everything else about these rows (place in the order, status) must match.
RANKED_DNF_ON_SHEET = {
    ("wc3-heerenveen-2025-12-07-men-500-a", 129),
    ("wc3-heerenveen-2025-12-07-women-500-a", 329),
    ("wc3-heerenveen-2025-12-06-men-10000-b", 32),
}


def printed_time(seconds: str) -> str:
    """How the sheet printed a time given in the CSV as seconds (three decimals only where it showed them)."""
    whole, fraction = seconds.split(".")
    minutes, secs = divmod(int(whole), 60)
    text = f"{minutes}:{secs:02d}.{fraction[:2]}" if minutes else f"{secs}.{fraction[:2]}"
    return text + (f"({fraction[2]})" if len(fraction) == 3 else "")


def expected_row(stem: str, line: dict[str, str]) -> dict:
    ranked_dnf = (stem, int(line["bib"])) in RANKED_DNF_ON_SHEET
    return {
        "rank": int(line["rank"]) if line["rank"] and not ranked_dnf else None,
        "bib": int(line["bib"]),
        "name": line["name"],
        "nation": line["nation"],
        "heat": int(line["pair"]) if line["pair"] else None,
        "lane": line["lane"] or None,
        "time": printed_time(line["time"]) if line["status"] == "OK" else None,
        "status": line["status"],
        "infraction": line["infraction"] or None,
        "behind": f"+{line['behind']}" if line["behind"] else "",
        "points": int(line["points"]) if line["points"] and not ranked_dnf else None,
    }


@pytest.fixture
def competition(db):
    venue = Venue.objects.create(name="Replay Oval", city="Heerenveen", country="NED")
    return Competition.objects.create(
        name="Replay", venue=venue, starts_on=date(2025, 11, 14), ends_on=date(2025, 12, 7)
    )


@pytest.mark.parametrize("race", INDEX, ids=[race["stem"] for race in INDEX])
def test_replay_ends_on_the_official_table(competition, race):
    path = DATA / f"{race['stem']}.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = read_result_csv(stream)
    printed = list(csv.DictReader(path.open(encoding="utf-8")))
    created = race_create_from_sheet(
        competition=competition,
        title=f"{race['gender'].title()} {race['distance']}m Division {race['division']}",
        gender=race["gender"],
        distance=int(race["distance"]),
        rows=rows,
        points_table=TABLE_BY_WINNER_POINTS[int(printed[0]["points"])],
        day=date.fromisoformat(race["date"]),
    )
    versions = []
    heat_results_replay(
        race=created,
        rows=rows,
        after_heat=lambda _n: versions.append(published_version(created)),
    )

    assert versions == list(range(versions[0], versions[0] + len(rows_by_heat(rows))))  # one push per heat
    snapshot = race_snapshot_current(created.pk)
    standings = json.loads(snapshot.payload)["standings"]
    keys = ["rank", "bib", "name", "nation", "heat", "lane", "time", "status", "infraction", "behind", "points"]
    assert [{k: row[k] for k in keys} for row in standings] == [expected_row(race["stem"], line) for line in printed]
    assert len(standings) == int(race["entries"])
    assert sum(row["status"] == "OK" for row in standings) == int(race["finishers"])


def test_a_sheet_with_skaters_withdrawn_before_the_draw_replays_to_its_table(competition):
    stem = "wc3-heerenveen-2025-12-07-men-500-b"
    text = sheet_with_withdrawals(stem)
    rows = read_result_csv(io.StringIO(text))
    created = race_create_from_sheet(
        competition=competition,
        title="Men 500m Division B",
        gender="men",
        distance=500,
        rows=rows,
        points_table=WORLD_CUP_B,
    )
    heat_results_replay(race=created, rows=rows)

    standings = json.loads(race_snapshot_current(created.pk).payload)["standings"]
    keys = ["rank", "bib", "name", "nation", "heat", "lane", "time", "status", "infraction", "behind", "points"]
    printed = list(csv.DictReader(io.StringIO(text)))
    assert [{k: row[k] for k in keys} for row in standings] == [expected_row(stem, line) for line in printed]
    # After everyone who had a pair, the DNS of pair 5 included; in no pair, with no lane and no points.
    assert [(row["bib"], row["heat"], row["lane"], row["points"]) for row in standings[-3:]] == [
        (4, 5, "I", None),
        (901, None, None, None),
        (902, None, None, None),
    ]
    assert created.heats.count() == len(rows_by_heat(rows))
