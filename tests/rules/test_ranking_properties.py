"""The ranking rules over fields no sheet shows: any mix of finishers, non-finishers and skaters who withdrew before
the draw (hypothesis). Whatever the field, everyone is listed once, finishers first by time, non-finishers after in
the order DNF, DQ, DNS, WDR, and a skater with no pair last of all, unranked and without points."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from results.rules.points_tables import WORLD_CUP_A
from results.rules.ranking import NON_FINISHER_ORDER, OK, WDR, Result, rank_results

STATUSES = [OK, *NON_FINISHER_ORDER]


@st.composite
def fields(draw: st.DrawFn) -> list[Result]:
    count = draw(st.integers(min_value=0, max_value=24))
    bibs = draw(st.lists(st.integers(1, 999), min_size=count, max_size=count, unique=True))
    results = []
    for bib in bibs:
        status = draw(st.sampled_from(STATUSES))
        undrawn = status == WDR and draw(st.booleans())
        results.append(
            Result(
                bib=bib,
                name=f"Skater {bib}",
                nation="NED",
                heat=None if undrawn else draw(st.integers(1, 12)),
                lane=None if undrawn else draw(st.sampled_from(["I", "O"])),
                status=status,
                time_ms=draw(st.integers(33_000, 45_000)) if status == OK else None,
            )
        )
    return results


@given(fields())
def test_every_skater_once_finishers_first_and_those_without_a_pair_last(results):
    standings = rank_results(results, points_table=WORLD_CUP_A)
    rows = [standing.result for standing in standings]

    assert sorted(r.bib for r in rows) == sorted(r.bib for r in results)
    finished = [r.status == OK for r in rows]
    assert finished == sorted(finished, reverse=True)
    times = [r.time_ms or 0 for r in rows if r.status == OK]
    assert times == sorted(times)
    order = [NON_FINISHER_ORDER.index(r.status) for r in rows if r.status != OK]
    assert order == sorted(order)
    in_no_pair = [r.heat is None for r in rows]
    assert in_no_pair == sorted(in_no_pair)  # once one has no pair, none after has one
    for standing in standings:
        if standing.result.heat is None:
            assert (standing.rank, standing.points, standing.time) == (None, None, None)
