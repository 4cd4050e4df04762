"""Race intelligence on a replayed official race (docs/feed.md, "Projections"): the Salt Lake City World Cup
men's 1000 m Division A (14 Nov 2025, data/isu-wc-2025-26), entered pair by pair as officials would, with the
passages of pairs 4 and 8 posted by a timing system (constructed: the sheets give finish times only,
tests/support/timing.py). Every expected figure below is worked out by hand from those printed times."""

from __future__ import annotations

import json

import pytest

from results import selectors
from results.demo.replay import heat_results_replay
from results.rules.points_tables import WORLD_CUP_B
from results.rules.times import parse_time
from results.services.timing import TimingPost, timing_post_record
from tests.support.schema import assert_valid
from tests.support.timing import MEN_1000, in_time_order, sheet_race

pytestmark = pytest.mark.django_db

STEM = "wc1-salt-lake-city-2025-11-14-men-1000-a"


def snapshot(race) -> dict:
    document = json.loads(selectors.race_snapshot_current(race.pk).payload)
    assert_valid(document)
    return document


def post(race, heat: int, bib: int, metres: int, time_ms: int) -> None:
    timing_post_record(race=race, post=TimingPost(heat=heat, bib=bib, distance=metres, time_ms=time_ms))


def post_passages(race, heat: int, *, through: int) -> None:
    """The pair's passages (not its finish) up to ``through`` metres, by the clock."""
    for time_ms, bib, metres in in_time_order(MEN_1000[heat]):
        if metres <= through and metres < race.distance:
            post(race, heat, bib, metres, time_ms)


def on_ice_passages(race) -> dict[int, dict]:
    return {skater["bib"]: skater["passage"] for heat in snapshot(race)["on_ice"] for skater in heat["skaters"]}


def mark(taken: dict | None) -> tuple[str, str] | None:
    return None if taken is None else (taken["time"], taken["name"])


@pytest.fixture
def race_after_seven_pairs():
    """Pairs 1 to 7 entered (pair 4 with its passages: Damian ŻUREK 16.30, 41.05, 1:06.02 leads them all)."""
    race, rows = sheet_race(STEM, "Men 1000m Division A", 1000)
    for heat in range(1, 8):
        if heat == 4:
            post_passages(race, 4, through=600)
        heat_results_replay(race=race, rows=[row for row in rows if row.heat == heat])
    return race, rows


def test_projections_at_200_m_and_600_m_of_pair_8_against_the_leader(race_after_seven_pairs):
    race, _rows = race_after_seven_pairs
    # Pair 8 at 200 m: Jordan STOLZ 16.38, Joep WENNEMARS 16.21. The leader, ŻUREK, took 1:06.02 - 16.30 = 49.72
    # from 200 m to the finish: STOLZ 16.38 + 49.72 = 1:06.10 (2nd behind ŻUREK's 1:06.02), WENNEMARS 16.21 + 49.72 =
    # 1:05.93 (1st). The podium is SONNEKALB's 1:06.48 (3rd): -0.38 and -0.55.
    post(race, 8, 181, 200, parse_time("16.38"))
    post(race, 8, 131, 200, parse_time("16.21"))
    at_200 = on_ice_passages(race)
    leader = {"kind": "leader", "bib": 157, "skater": at_200[181]["projected"]["reference"]["skater"]}
    assert at_200[181]["projected"] == {
        "time": "1:06.10",
        "time_ms": 66100,
        "rank": 2,
        "reference": {**leader, "name": "Damian ŻUREK"},
    }
    assert at_200[181]["to_podium"] == "-0.38"
    assert (at_200[131]["projected"]["time"], at_200[131]["projected"]["rank"]) == ("1:05.93", 1)
    assert at_200[131]["to_podium"] == "-0.55"
    assert at_200[181]["to_pb"] is None and at_200[181]["to_sb"] is None  # no bests known in this test

    # At 600 m: STOLZ 40.98, WENNEMARS 41.22; ŻUREK took 1:06.02 - 41.05 = 24.97 from there: STOLZ 40.98 + 24.97 =
    # 1:05.95 (1st), WENNEMARS 41.22 + 24.97 = 1:06.19 (2nd), 1:06.19 - 1:06.48 = -0.29 to the podium.
    post(race, 8, 181, 600, parse_time("40.98"))
    post(race, 8, 131, 600, parse_time("41.22"))
    at_600 = on_ice_passages(race)
    assert (at_600[181]["projected"]["time"], at_600[181]["projected"]["rank"], at_600[181]["to_podium"]) == (
        "1:05.95",
        1,
        "-0.53",
    )
    assert (at_600[131]["projected"]["time"], at_600[131]["projected"]["rank"], at_600[131]["to_podium"]) == (
        "1:06.19",
        2,
        "-0.29",
    )


def test_the_pair_on_the_ice_head_to_head(race_after_seven_pairs):
    race, _rows = race_after_seven_pairs
    post_passages(race, 8, through=600)
    [heat] = snapshot(race)["on_ice"]
    duel = heat["head_to_head"]
    # Inner lane first: STOLZ (white armband), WENNEMARS (red).
    assert [(s["bib"], s["lane"], s["armband"]) for s in duel["skaters"]] == [(181, "I", "white"), (131, "O", "red")]
    # 200 m: WENNEMARS 16.21 leads STOLZ 16.38 by 0.17; 600 m: STOLZ 40.98 leads WENNEMARS 41.22 by 0.24.
    assert [(p["distance"], [t["time"] for t in p["times"]], p["gap"], p["ahead"]) for p in duel["points"]] == [
        (200, ["16.38", "16.21"], "0.17", 131),
        (600, ["40.98", "41.22"], "0.24", 181),
    ]


def test_before_anyone_has_finished_there_is_nothing_to_project_with():
    race, _rows = sheet_race(STEM, "Men 1000m Division A", 1000)
    post(race, 1, 62, 200, parse_time("16.60"))
    [passage] = [p for p in on_ice_passages(race).values() if p]
    assert passage["projected"] is None and passage["to_podium"] is None
    assert passage["behind"] == ""  # the fastest so far at 200 m: the reference of the passage gaps


def test_a_projection_measures_against_the_skaters_own_bests(race_after_seven_pairs):
    from results.models import Skater, SkaterBest

    race, _rows = race_after_seven_pairs
    stolz = Skater.objects.get(name="Jordan STOLZ")
    SkaterBest.objects.create(skater=stolz, distance=1000, kind="PB", time_ms=parse_time("1:05.37"))
    SkaterBest.objects.create(skater=stolz, distance=1000, kind="SB", time_ms=parse_time("1:06.21"), season="2025-2026")
    post(race, 8, 181, 600, parse_time("40.98"))
    # 1:05.95 projected: 0.58 slower than his PB 1:05.37, 0.26 faster than his SB 1:06.21.
    passage = on_ice_passages(race)[181]
    assert (passage["to_pb"], passage["to_sb"]) == ("+0.58", "-0.26")


# What it takes after each pair: (lead, podium) as the time to beat and who holds it. Pair 6 changes nothing
# (NUIS disqualified, KIM 1:07.85); the race pays 20 places and never has 20 finishers, so points stays null.
WHAT_IT_TAKES = {
    1: (("1:07.76", "Moritz KLEIN"), None),
    2: (("1:07.75", "Laurent DUBREUIL"), ("1:07.76", "Mathias VOSTÉ")),
    3: (("1:06.73", "Marten LIIV"), ("1:07.75", "Laurent DUBREUIL")),
    4: (("1:06.02", "Damian ŻUREK"), ("1:07.00", "Ryota KOJIMA")),
    5: (("1:06.02", "Damian ŻUREK"), ("1:06.73", "Marten LIIV")),
    6: (("1:06.02", "Damian ŻUREK"), ("1:06.73", "Marten LIIV")),
    7: (("1:06.02", "Damian ŻUREK"), ("1:06.48", "Finn SONNEKALB")),
    8: (("1:05.66", "Jordan STOLZ"), ("1:06.47", "Zhongyan NING")),
    9: (("1:05.66", "Jordan STOLZ"), ("1:06.34", "Jenning DE BOO")),
    10: (("1:05.66", "Jordan STOLZ"), ("1:06.34", "Jenning DE BOO")),
}


def test_what_it_takes_after_each_pair():
    race, rows = sheet_race(STEM, "Men 1000m Division A", 1000)
    assert snapshot(race)["what_it_takes"] == {"lead": None, "podium": None, "points": None}
    seen = {}
    for heat in WHAT_IT_TAKES:
        heat_results_replay(race=race, rows=[row for row in rows if row.heat == heat])
        taken = snapshot(race)["what_it_takes"]
        assert taken["points"] is None
        seen[heat] = (mark(taken["lead"]), mark(taken["podium"]))
    assert seen == WHAT_IT_TAKES


def test_what_it_takes_to_score_in_a_division_b_race():
    # Salt Lake City men's 1000 m Division B: 20 places pay (28 ... 1); at the end the 20th is Kai IN 'T VELD's 1:08.79.
    race, rows = sheet_race("wc1-salt-lake-city-2025-11-14-men-1000-b", "Men 1000m Division B", 1000, WORLD_CUP_B)
    heat_results_replay(race=race, rows=rows)
    taken = snapshot(race)["what_it_takes"]
    assert (mark(taken["lead"]), mark(taken["podium"]), mark(taken["points"])) == (
        ("1:06.81", "Ziwen LIAN"),
        ("1:07.68", "Hyun-Min OH"),
        ("1:08.79", "Kai IN 'T VELD"),
    )
