"""The demo's timing system (results/demo/timing.py): passages constructed from the official finish times and
posted through the timing service while each pair skates, then the sheet's results, so a newcomer's board shows
skaters on the ice and still ends on the official standings."""

import json

import pytest

from results import selectors, services
from results.demo import setup as demo
from results.demo.timing import constructed_passage_ms, heat_results_replay_with_passages
from results.models import Passage
from results.rules.times import parse_time


def test_constructed_passages_are_those_of_a_real_1000m():
    # Jordan STOLZ, 1:05.66 in Salt Lake City: real openers are 16.0-16.4, the 600 m about 41.
    at_200 = constructed_passage_ms(finish_ms=parse_time("1:05.66"), distance=1000, metres=200, bib=181)
    at_600 = constructed_passage_ms(finish_ms=parse_time("1:05.66"), distance=1000, metres=600, bib=181)
    assert parse_time("16.00") < at_200 < parse_time("16.40")
    assert parse_time("40.50") < at_600 < parse_time("41.30")


@pytest.mark.django_db
def test_the_demo_posts_each_pairs_passages_before_its_results_and_ends_on_the_sheet():
    men_1000 = demo.demo_competition()[3]
    race, rows = men_1000.race, men_1000.rows
    assert race.distance == 1000
    waits: list[float] = []

    heat_results_replay_with_passages(race=race, rows=rows, interval=3.0, sleep=waits.append)

    pairs = len({row.heat for row in rows if row.has_result})
    assert waits == [1.0] * (3 * pairs)  # 200 m, 600 m, finish: a second apart
    finishers = {row.bib: row.time_ms for row in rows if row.time_ms}
    for bib, finish_ms in finishers.items():
        times = list(Passage.objects.filter(start__bib=bib, start__heat__race=race).values_list("time_ms", flat=True))
        assert len(times) == 2 and times[0] < times[1] < finish_ms
    document = json.loads(selectors.race_snapshot_current(race.pk).payload)
    assert document["on_ice"] == []
    assert [(row["bib"], row["rank"]) for row in document["standings"] if row["rank"]] == sorted(
        ((row.bib, row.printed_rank) for row in rows if row.printed_rank), key=lambda pair: pair[1]
    )


@pytest.mark.django_db
def test_the_demo_loop_starts_a_race_again_with_nobody_on_the_ice():
    men_1000 = demo.demo_competition()[3]
    race, rows = men_1000.race, men_1000.rows
    first_pair = [row for row in rows if row.heat == 1]
    heat_results_replay_with_passages(race=race, rows=first_pair, interval=0, sleep=lambda _seconds: None)
    assert Passage.objects.filter(start__heat__race=race).exists()

    services.race_results_clear(race=race)

    assert not Passage.objects.filter(start__heat__race=race).exists()
    document = json.loads(selectors.race_snapshot_current(race.pk).payload)
    assert document["on_ice"] == [] and all(row["rank"] is None for row in document["standings"])


@pytest.mark.django_db
def test_clearing_a_race_whose_first_pair_is_still_on_the_ice_takes_it_off():
    from results.services.timing import TimingPost, timing_post_record

    race = demo.demo_competition()[3].race
    timing_post_record(race=race, post=TimingPost(heat=1, lane="I", distance=200, time_ms=parse_time("16.40")))
    assert json.loads(selectors.race_snapshot_current(race.pk).payload)["on_ice"] != []

    services.race_results_clear(race=race)

    assert json.loads(selectors.race_snapshot_current(race.pk).payload)["on_ice"] == []


def test_the_terminal_shows_a_pair_in_one_line_as_the_board_ranks_it():
    from results.demo.terminal import pair_line

    document = {
        "standings": [
            {"heat": 10, "name": "Femke KOK", "time": "36.09", "records": ["WR", "TR"], "rank": 1},
            {"heat": 9, "name": "Yukino YOSHIDA", "time": "37.06", "records": [], "rank": 2},
            {"heat": 10, "name": "Erin JACKSON", "time": None, "status": "DQ", "infraction": "T07", "rank": None},
        ]
    }
    assert pair_line(document, 10) == "  pair 10  Femke KOK 36.09 WR TR 1st · Erin JACKSON DQ T07"
