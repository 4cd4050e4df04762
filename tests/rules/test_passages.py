"""The passage rules (results/rules/passages.py), with figures from the Salt Lake City World Cup (men's 1000 m, 15 Nov
2025: Jordan STOLZ 1:05.66, Damian ŻUREK 1:06.02, Joep WENNEMARS 1:07.012). The sheets give finish times only:
every passage time below is constructed, plausible for the finish time (a 16.3 opener, laps of about 24.6)."""

import pytest

from results.rules.passages import (
    Conflict,
    Skating,
    on_ice,
    order_conflict,
    passage_distances,
    passage_entry,
    passage_rank,
    reference,
    splits,
)
from results.rules.times import format_gap, parse_time


@pytest.mark.parametrize(
    ("distance", "points"),
    [
        (500, [100]),
        (1000, [200, 600]),
        (1500, [300, 700, 1100]),
        (3000, [200, 600, 1000, 1400, 1800, 2200, 2600]),
        (5000, [200, *range(600, 5000, 400)]),
        (10000, list(range(400, 10000, 400))),
    ],
)
def test_passage_points_per_distance_as_in_domain_md(distance, points):
    assert passage_distances(distance) == points


def test_5000_and_10000_in_full():
    assert passage_distances(5000)[:3] == [200, 600, 1000] and passage_distances(5000)[-1] == 4600
    assert len(passage_distances(5000)) == 12
    assert passage_distances(10000)[:2] == [400, 800] and passage_distances(10000)[-1] == 9600
    assert len(passage_distances(10000)) == 24


def ms(text):
    return parse_time(text)


def test_splits_and_laps_of_stolz_1000m():
    passages = {200: ms("16.38"), 600: ms("40.98")}
    assert splits(passages, finish_ms=ms("1:05.66"), distance=1000) == [
        {"distance": 200, "time": "16.38", "time_ms": 16380, "lap": None},
        {"distance": 600, "time": "40.98", "time_ms": 40980, "lap": "24.60"},
        {"distance": 1000, "time": "1:05.66", "time_ms": 65660, "lap": "24.68"},
    ]


def test_laps_subtract_the_printed_hundredths_so_they_add_up_on_the_sheet():
    # Wennemars 1:07.012 after a constructed 41.229 at 600 m: 1:07.01 - 41.22 = 25.79 (not 25.783 -> 25.78).
    rows = splits({200: ms("16.215"), 600: ms("41.229")}, finish_ms=ms("1:07.012"), distance=1000)
    assert [row["lap"] for row in rows] == [None, "25.01", "25.79"]
    assert rows[-1]["time"] == "1:07.01"


def test_no_passages_no_splits_and_a_missing_passage_leaves_the_next_lap_blank():
    assert splits({}, finish_ms=ms("1:05.66"), distance=1000) == []
    rows = splits({300: ms("23.10"), 1100: ms("1:13.60")}, finish_ms=ms("1:40.48"), distance=1500)
    assert [(row["distance"], row["lap"]) for row in rows] == [(300, None), (1100, None), (1500, "26.88")]


def test_a_skater_without_a_finish_has_only_passages():
    rows = splits({200: ms("16.38")}, finish_ms=None, distance=1000)
    assert [row["distance"] for row in rows] == [200]


def test_times_must_grow_with_distance():
    recorded = {200: ms("16.38"), 1000: ms("1:05.66")}
    assert order_conflict(recorded, distance=600, time_ms=ms("40.98")) is None
    assert order_conflict(recorded, distance=600, time_ms=ms("16.38")) == Conflict("earlier", 200, 16380)
    assert order_conflict(recorded, distance=600, time_ms=ms("1:05.70")) == Conflict("later", 1000, 65660)
    # A passage that arrives late but fits is fine.
    assert order_conflict({600: ms("40.98")}, distance=200, time_ms=ms("16.38")) is None


def skating(bib, heat, lane, passages, has_result=False, name=None):
    return Skating(
        bib=bib,
        name=name or f"Skater {bib}",
        nation="NED",
        heat=heat,
        lane=lane,
        passages={d: ms(t) for d, t in passages.items()},
        has_result=has_result,
    )


ZUREK = skating(157, 4, "I", {200: "16.30", 600: "41.05"}, has_result=True)
KANIA = skating(151, 4, "O", {200: "16.52", 600: "41.60"}, has_result=True)
STOLZ = skating(181, 8, "I", {200: "16.38", 600: "40.98"})
WENNEMARS = skating(131, 8, "O", {200: "16.21"})


def test_rank_at_a_passage_among_everyone_who_passed_there():
    field = [ZUREK, KANIA, STOLZ, WENNEMARS]
    assert passage_rank(field, distance=200, time_ms=ms("16.21"), bib=131) == 1
    assert passage_rank(field, distance=200, time_ms=ms("16.38"), bib=181) == 3
    assert passage_rank(field, distance=600, time_ms=ms("40.98"), bib=181) == 1
    # Equal thousandths share a rank.
    tied = skating(99, 9, "I", {200: "16.30"})
    assert passage_rank([*field, tied], distance=200, time_ms=ms("16.30"), bib=99) == 2
    assert passage_rank([*field, tied], distance=200, time_ms=ms("16.38"), bib=181) == 4


def test_behind_is_measured_against_the_race_leader():
    field = [ZUREK, KANIA, STOLZ, WENNEMARS]
    leader = (4, 157)  # Żurek leads after pair 4 with 1:06.02
    assert reference(field, distance=600, leader=leader) == ((4, 157), 41050)
    stolz = passage_entry(field, STOLZ, leader=leader)
    assert stolz == {"distance": 600, "time": "40.98", "time_ms": 40980, "rank": 1, "behind": "-0.07"}
    wennemars = passage_entry(field, WENNEMARS, leader=leader)
    assert wennemars == {"distance": 200, "time": "16.21", "time_ms": 16210, "rank": 1, "behind": "-0.09"}
    kania_like = skating(5, 9, "O", {200: "16.52"})
    assert passage_entry([*field, kania_like], kania_like, leader=leader)["behind"] == "+0.22"


def test_before_anyone_finishes_the_reference_is_the_fastest_so_far():
    field = [STOLZ, WENNEMARS]
    assert reference(field, distance=200, leader=None) == ((8, 131), 16210)
    assert passage_entry(field, WENNEMARS, leader=None)["behind"] == ""  # the reference itself
    assert passage_entry(field, STOLZ, leader=None)["behind"] == ""  # alone at 600 m
    stolz_200 = skating(181, 8, "I", {200: "16.38"})
    assert passage_entry([stolz_200, WENNEMARS], stolz_200, leader=None)["behind"] == "+0.17"


def test_equal_hundredths_show_no_gap():
    leader = skating(1, 1, "I", {200: "16.381"}, has_result=True)
    other = skating(2, 2, "I", {200: "16.389"})
    assert passage_entry([leader, other], other, leader=(1, 1))["behind"] == ""


def test_the_leader_without_a_passage_there_falls_back_to_the_fastest():
    hand_timed = skating(1, 1, "I", {}, has_result=True)
    assert reference([hand_timed, STOLZ, WENNEMARS], distance=200, leader=(1, 1)) == ((8, 131), 16210)


def test_on_ice_lists_heats_in_progress_with_each_skaters_latest_passage():
    finished = skating(181, 8, "I", {200: "16.38", 600: "40.98"}, has_result=True)
    field = [ZUREK, KANIA, finished, WENNEMARS, skating(34, 9, "I", {}), skating(118, 9, "O", {})]
    heats = on_ice(field, leader=(8, 181))
    assert [heat["heat"] for heat in heats] == [8]
    assert [skater["bib"] for skater in heats[0]["skaters"]] == [131]  # Stolz is in; Wennemars is still skating
    assert heats[0]["skaters"][0]["passage"]["distance"] == 200


def test_a_skater_on_the_ice_without_a_passage_yet():
    heats = on_ice([STOLZ, skating(131, 8, "O", {})], leader=None)
    assert [(s["bib"], s["passage"] and s["passage"]["distance"]) for s in heats[0]["skaters"]] == [
        (181, 600),
        (131, None),
    ]


def test_signed_gap():
    assert format_gap(12) == "+0.12"
    assert format_gap(-5) == "-0.05"
    assert format_gap(0) == ""
    assert format_gap(6111) == "+1:01.11"
    assert format_gap(-6111) == "-1:01.11"
