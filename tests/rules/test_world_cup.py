"""World Cup standings (results/rules/world_cup.py): points add up per skater over the rounds, whatever order the
races come in; equal totals share a rank and the next rank is skipped; a round's two races make one column."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from results.rules.world_cup import Round, Scored, rounds_ordered, standings

ROUNDS = [Round(key=1, starts_on=date(2025, 11, 14)), Round(key=3, starts_on=date(2025, 12, 5))]

scores_lists = st.lists(
    st.builds(
        Scored,
        skater=st.integers(1, 12),
        round=st.sampled_from([r.key for r in ROUNDS]),
        points=st.sampled_from([0, 1, 5, 21, 22, 28, 43, 60]),
    ),
    max_size=40,
)


@given(scores_lists, st.randoms())
def test_the_sum_does_not_depend_on_the_order_the_races_come_in(scores, random):
    shuffled = list(scores)
    random.shuffle(shuffled)
    assert standings(shuffled, ROUNDS) == standings(scores, ROUNDS)


@given(scores_lists)
def test_each_total_is_the_sum_of_the_skaters_points_and_of_their_round_columns(scores):
    rows = standings(scores, ROUNDS)
    expected: dict[int, int] = {}
    for score in scores:
        expected[score.skater] = expected.get(score.skater, 0) + score.points
    assert {row.skater: row.total for row in rows} == {k: v for k, v in expected.items() if v > 0}
    for row in rows:
        assert row.total == sum(points or 0 for points in row.by_round)
        assert len(row.by_round) == len(ROUNDS)


@given(scores_lists)
def test_ranks_run_from_1_with_ties_sharing_and_the_next_rank_skipped(scores):
    rows = standings(scores, ROUNDS)
    totals = [row.total for row in rows]
    assert totals == sorted(totals, reverse=True)
    for row in rows:
        # One more than the number of skaters with more points: equal totals share, the next rank skips.
        assert row.rank == 1 + sum(total > row.total for total in totals)
    if rows:
        assert rows[0].rank == 1
        assert max(row.rank for row in rows) <= len(rows)


def test_two_races_of_a_round_make_one_column_and_rounds_go_by_date():
    wc2 = Round(key=9, starts_on=date(2025, 11, 21))  # added after the others, skated between them
    scores = [
        Scored(skater=7, round=1, points=60),
        Scored(skater=7, round=1, points=54),  # the second 500 m of the round
        Scored(skater=7, round=3, points=48),
        Scored(skater=8, round=9, points=60),
        Scored(skater=8, round=3, points=60),
        Scored(skater=5, round=1, points=0),  # no points: not in the standings
    ]
    rows = standings(scores, [*ROUNDS, wc2])
    assert [r.key for r in rounds_ordered([*ROUNDS, wc2])] == [1, 9, 3]
    assert [(row.rank, row.skater, row.total, row.by_round) for row in rows] == [
        (1, 7, 162, (114, None, 48)),
        (2, 8, 120, (None, 60, 60)),
    ]


def test_equal_totals_share_the_rank_listed_by_the_tie_order():
    scores = [Scored(skater=s, round=1, points=p) for s, p in [(1, 40), (2, 60), (3, 40), (4, 30)]]
    rows = standings(scores, ROUNDS, tie_order=lambda skater: -skater)
    assert [(row.rank, row.skater) for row in rows] == [(1, 2), (2, 3), (2, 1), (4, 4)]
