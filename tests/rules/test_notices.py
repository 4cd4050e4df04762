"""What a race's board tells the followers of a skater (results/rules/notices.py): each piece of news once, in the
order the race brings it, and nothing that is no news (a provisional rank moving because others skated)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from results.rules.notices import (
    CORRECTION,
    FINAL,
    FINISHED,
    ON_DECK,
    Notice,
    race_notices,
    skaters_in,
    told_forgotten,
)

RACE = {"id": 7, "title": "Women 500m", "status": "LIVE"}


def skater(pk: int) -> dict[str, Any]:
    return {"skater": pk, "name": f"Skater {pk}", "bib": pk, "nation": "NED", "lane": "I"}


def row(pk: int, rank: int | None, time: str | None, status: str = "OK", **more: Any) -> dict[str, Any]:
    return {"skater": pk, "name": f"Skater {pk}", "rank": rank, "time": time, "status": status, "infraction": None,
            "records": [], "medal": None, **more}  # fmt: skip


def board(*, standings=(), next_heats=(), on_ice=(), status="LIVE") -> dict[str, Any]:
    return {
        "race": {**RACE, "status": status},
        "standings": list(standings),
        "next_heats": [{"heat": heat, "eta": None, "skaters": [skater(pk) for pk in pks]} for heat, pks in next_heats],
        "on_ice": [{"heat": heat} for heat in on_ice],
    }


def told_after(told: dict[tuple[int, str], str], notices: list[Notice]) -> dict[tuple[int, str], str]:
    return {**told, **{(notice.skater, notice.about): notice.said for notice in notices}}


def test_the_next_pair_and_the_one_after_are_on_deck_the_third_is_not():
    notices = race_notices(board(next_heats=[(3, [1, 2]), (4, [3, 4]), (5, [5, 6])]), {2, 4, 6}, {})
    assert [(notice.kind, notice.skater, notice.facts["heat"]) for notice in notices] == [
        (ON_DECK, 2, 3),
        (ON_DECK, 4, 4),
    ]


def test_a_pair_on_the_ice_is_not_on_deck_any_more_the_two_after_it_are():
    notices = race_notices(board(next_heats=[(3, [1, 2]), (4, [3, 4]), (5, [5, 6])], on_ice=[3]), {2, 6}, {})
    assert [(notice.kind, notice.skater) for notice in notices] == [(ON_DECK, 6)]


def test_finished_once_then_a_rank_that_moves_is_no_news_and_a_changed_time_is_a_correction():
    first = race_notices(board(standings=[row(1, 1, "38.10")]), {1}, {})
    assert [(notice.kind, notice.facts["result"], notice.facts["rank"]) for notice in first] == [(FINISHED, "38.10", 1)]
    told = told_after({}, first)

    overtaken = board(standings=[row(2, 1, "37.90"), row(1, 2, "38.10")])
    assert race_notices(overtaken, {1}, told) == []

    corrected = race_notices(board(standings=[row(1, 1, "38.01")]), {1}, told)
    assert [(notice.kind, notice.facts["result"]) for notice in corrected] == [(CORRECTION, "38.01")]


def test_a_disqualification_says_the_status_and_the_infraction():
    [notice] = race_notices(board(standings=[row(1, None, None, "DQ", infraction="T03")]), {1}, {})
    assert notice.kind == FINISHED and notice.facts["result"] == "DQ T03"


def test_final_with_rank_and_medal_once_the_race_is_official():
    official = board(standings=[row(1, 1, "38.10", medal="gold", records=["TR"])], status="OFFICIAL")
    told = told_after({}, race_notices(board(standings=[row(1, 1, "38.10")]), {1}, {}))
    [final] = race_notices(official, {1}, told)
    assert final.kind == FINAL and final.facts["medal"] == "gold" and final.facts["records"] == ["TR"]
    assert race_notices(official, {1}, told_after(told, [final])) == []


def test_a_cleared_result_is_forgotten_so_the_race_skated_again_tells_again():
    told = told_after({}, race_notices(board(standings=[row(1, 1, "38.10")]), {1}, {}))
    cleared = board(next_heats=[(1, [1, 2])])
    assert told_forgotten(cleared, {1}, told) == [(1, "result")]
    assert [notice.kind for notice in race_notices(cleared, {1}, {})] == [ON_DECK]


def test_every_skater_the_board_names_is_found():
    document = board(standings=[row(1, 1, "38.10")], next_heats=[(2, [3, 4])])
    assert skaters_in(document) == {1, 3, 4}


times = st.sampled_from(["38.10", "38.20", "38.30", None])
heats = st.lists(st.tuples(st.integers(1, 6), st.lists(st.integers(1, 8), max_size=2)), max_size=3)


@st.composite
def boards(draw: st.DrawFn) -> dict[str, Any]:
    rows = []
    for pk in draw(st.lists(st.integers(1, 8), unique=True, max_size=6)):
        time = draw(times)
        rows.append(
            row(
                pk,
                draw(st.integers(1, 8)) if time else None,
                time,
                "OK" if time else draw(st.sampled_from(["DNF", "DQ", ""])),
            )
        )
    return board(
        standings=rows, next_heats=draw(heats), status=draw(st.sampled_from(["LIVE", "UNOFFICIAL", "OFFICIAL"]))
    )


@given(st.lists(boards(), min_size=1, max_size=8), st.sets(st.integers(1, 8)))
def test_reading_the_same_board_twice_tells_nothing_the_second_time(sequence, followed):
    told: dict[tuple[int, str], str] = {}
    for document in sequence:
        for key in told_forgotten(document, followed, told):
            del told[key]
        notices = race_notices(document, followed, told)
        assert {notice.skater for notice in notices} <= set(followed)
        assert all(notice.kind != CORRECTION or (notice.skater, "result") in told for notice in notices)
        told = told_after(told, notices)
        assert race_notices(document, followed, told) == []
