"""The projection rules (results/rules/projections.py) over every field hypothesis can draw: finishers with
passages, a skater on the ice at any passage, pairs side by side."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from results.rules.passages import Skating
from results.rules.projections import Finisher, head_to_head, projection, what_it_takes
from results.rules.times import hundredths, parse_time

DISTANCE, PASSAGE = 1000, 600


@st.composite
def finishers(draw) -> list[Finisher]:
    """Finishers in rank order (by time), bibs 1..n, each with a 600 m passage or none (timed by hand)."""
    times = sorted(draw(st.lists(st.integers(60_000, 90_000), min_size=0, max_size=12)))
    field = []
    for bib, finish in enumerate(times, start=1):
        at = draw(st.one_of(st.none(), st.integers(finish // 2, finish - 20_000)))
        field.append(
            Finisher(bib=bib, skater=bib, name=f"S{bib}", time_ms=finish, passages={} if at is None else {PASSAGE: at})
        )
    return field


@given(finishers(), st.integers(30_000, 50_000))
def test_a_projection_is_the_passage_plus_the_references_rest_and_ranks_among_the_finishers(field, time_ms):
    result = projection(field, bib=99, distance=PASSAGE, time_ms=time_ms)
    timed = [f for f in field if PASSAGE in f.passages]
    if not timed:
        assert result == {"projected": None, "to_podium": None, "to_pb": None, "to_sb": None}
        return
    projected = result["projected"]
    reference = timed[0]  # the leader when timed there, else the fastest finisher who is
    assert projected["reference"]["bib"] == reference.bib
    assert projected["reference"]["kind"] == ("leader" if reference is field[0] else "fastest_finisher")
    rest = hundredths(reference.time_ms) - hundredths(reference.passages[PASSAGE])
    assert projected["time_ms"] == (hundredths(time_ms) + rest) * 10
    assert 1 <= projected["rank"] <= len(field) + 1
    assert projected["rank"] == 1 + sum(hundredths(f.time_ms) < projected["time_ms"] // 10 for f in field)
    assert (result["to_podium"] is None) == (len(field) < 3)


@given(finishers())
def test_the_reference_skating_its_own_passage_again_is_projected_to_its_own_finish(field):
    timed = [f for f in field if PASSAGE in f.passages]
    if timed:
        reference = timed[0]
        result = projection(field, bib=99, distance=PASSAGE, time_ms=reference.passages[PASSAGE])
        assert result["projected"]["time_ms"] // 10 == hundredths(reference.time_ms)


@given(finishers(), st.integers(0, 25))
def test_what_it_takes_is_the_time_of_the_finisher_holding_the_place(field, places):
    taken = what_it_takes(field, points_places=places)
    wanted = {"lead": 1, "podium": 3, **({"points": places} if places else {})}
    assert set(taken) == set(wanted)
    for name, place in wanted.items():
        expected = field[place - 1].time_ms if len(field) >= place else None
        assert (taken[name] or {}).get("time_ms") == expected


@given(st.lists(st.tuples(st.integers(10_000, 20_000), st.integers(10_000, 20_000)), min_size=1, max_size=1))
def test_head_to_head_names_who_is_ahead_by_the_printed_gap(times):
    inner_ms, outer_ms = times[0]
    pair = [
        Skating(bib=2, name="Outer", nation="NED", heat=1, lane="O", passages={200: outer_ms}, has_result=False),
        Skating(bib=1, name="Inner", nation="NOR", heat=1, lane="I", passages={200: inner_ms}, has_result=False),
    ]
    duel = head_to_head(pair, finish={}, distance=DISTANCE)
    assert [s["armband"] for s in duel["skaters"]] == ["white", "red"]
    [point] = duel["points"]
    gap = hundredths(inner_ms) - hundredths(outer_ms)
    assert point["ahead"] == (None if gap == 0 else 1 if gap < 0 else 2)
    assert point["gap"] == ("" if gap == 0 else f"{abs(gap) // 100}.{abs(gap) % 100:02d}")


def test_head_to_head_carries_the_finish_of_a_skater_who_is_in_and_the_one_still_skating():
    pair = [
        Skating(bib=7, name="A", nation="NED", heat=3, lane="I", passages={200: 16_200, 600: 41_000}, has_result=True),
        Skating(bib=8, name="B", nation="JPN", heat=3, lane="O", passages={200: 16_100, 600: 41_100}, has_result=False),
    ]
    duel = head_to_head(pair, finish={7: parse_time("1:07.01")}, distance=DISTANCE)
    assert [(p["distance"], p["ahead"], p["gap"]) for p in duel["points"]] == [
        (200, 8, "0.10"),
        (600, 7, "0.10"),
        (1000, None, ""),  # only A is in
    ]
    assert duel["points"][-1]["times"] == [{"bib": 7, "time": "1:07.01", "time_ms": 67010}, None]
