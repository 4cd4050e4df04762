"""The sport's rules (docs/rules.md) on the pure ranking module, with figures from real result sheets."""

from results.rules.points_tables import WORLD_CUP_A, WORLD_CUP_B
from results.rules.ranking import (
    DNF,
    DNS,
    DQ,
    NR,
    OK,
    OR,
    PB,
    RECORD_PRECEDENCE,
    SB,
    TR,
    WDR,
    WR,
    Result,
    rank_results,
)


def finisher(bib, time_ms, heat=1, lane="I", name=None):
    return Result(bib=bib, name=name or f"Skater {bib}", nation="NED", heat=heat, lane=lane, status=OK, time_ms=time_ms)


def out(bib, status, heat=1, lane="I", infraction=None):
    return Result(
        bib=bib, name=f"Skater {bib}", nation="NED", heat=heat, lane=lane, status=status, infraction=infraction
    )


def rows(results, **kwargs):
    return [standing.as_row() for standing in rank_results(results, **kwargs)]


def test_equal_thousandths_share_a_rank_and_the_next_rank_is_skipped():
    # Heerenveen women 500 m A: two skaters 11th at 37.94(7), next is 13th.
    standings = rows(
        [finisher(1, 37900), finisher(2, 37947, heat=4), finisher(3, 37947, heat=6), finisher(4, 38010)]
        + [finisher(10 + i, 37000 + i * 10) for i in range(9)]
    )
    tied = [r for r in standings if r["time"] == "37.94(7)"]
    assert [r["rank"] for r in tied] == [11, 11]
    assert [r["heat"] for r in tied] == [4, 6]  # within a tie, by pair
    assert next(r for r in standings if r["bib"] == 4)["rank"] == 13


def test_thousandths_shown_exactly_where_another_finisher_has_the_same_hundredths():
    standings = rows([finisher(1, 76354), finisher(2, 76355), finisher(3, 76360), finisher(4, 75000)])
    shown = {r["bib"]: r["time"] for r in standings}
    assert shown == {1: "1:16.35(4)", 2: "1:16.35(5)", 3: "1:16.36", 4: "1:15.00"}
    assert [r["rank"] for r in standings] == [1, 2, 3, 4]


def test_behind_is_on_truncated_hundredths_and_blank_for_equal_hundredths():
    # Observed: 34.14(6) 1st, 34.14(7) 2nd, no Behind.
    standings = rows([finisher(1, 34146), finisher(2, 34147), finisher(3, 34489), finisher(4, 95770)])
    assert [(r["time"], r["behind"]) for r in standings] == [
        ("34.14(6)", ""),
        ("34.14(7)", ""),
        ("34.48", "+0.34"),
        ("1:35.77", "+1:01.63"),
    ]


def test_non_finishers_follow_finishers_dnf_dq_dns_wdr_then_by_pair():
    standings = rows(
        [
            out(1, WDR, heat=1),
            out(2, DNS, heat=2),
            out(3, DQ, heat=3, infraction="T07"),
            out(4, DNF, heat=9),
            out(5, DQ, heat=1, lane="O", infraction="T10"),
            finisher(6, 70000, heat=5),
            out(7, DNF, heat=2),
        ]
    )
    assert [(r["bib"], r["status"]) for r in standings] == [
        (6, OK),
        (7, DNF),
        (4, DNF),
        (5, DQ),
        (3, DQ),
        (2, DNS),
        (1, WDR),
    ]
    assert all(r["rank"] is None and r["time"] is None and r["points"] is None for r in standings[1:])
    assert standings[4]["infraction"] == "T07"


def test_points_by_rank_with_ties_sharing_and_zero_past_the_table():
    field = [finisher(i, 70000 + i * 100) for i in range(1, 23)] + [finisher(99, 70900)]  # 99 ties with bib 9
    standings = rows(field, points_table=WORLD_CUP_B)
    by_bib = {r["bib"]: r for r in standings}
    assert (by_bib[9]["rank"], by_bib[9]["points"]) == (9, 12)
    assert (by_bib[99]["rank"], by_bib[99]["points"]) == (9, 12)
    assert (by_bib[10]["rank"], by_bib[10]["points"]) == (11, 10)
    assert by_bib[22]["rank"] == 23 and by_bib[22]["points"] == 0


def test_no_points_table_means_no_points_and_non_finishers_never_score():
    assert rows([finisher(1, 70000), out(2, DNS)])[0]["points"] is None
    standings = rows([finisher(1, 70000), out(2, DQ, infraction="T04")], points_table=WORLD_CUP_A)
    assert [r["points"] for r in standings] == [60, None]


def test_olympic_womens_1000m_record_sequence():
    """docs/rules.md: standing OR 1:13.19; pair 13 Kok 1:12.59 OR; pair 15 Leerdam 1:12.31 OR and TR, Kok keeps OR."""
    earlier = [finisher(100 + i, 74000 + i * 37, heat=1 + i // 2, lane="IO"[i % 2]) for i in range(24)]
    kok = finisher(13, 72590, heat=13, lane="I", name="Femke KOK")
    rest_13 = finisher(14, 75020, heat=13, lane="O")
    pair_14 = [finisher(15, 74450, heat=14, lane="I"), finisher(16, 74100, heat=14, lane="O")]
    leerdam = finisher(17, 72310, heat=15, lane="O", name="Jutta LEERDAM")
    takagi = finisher(18, 73950, heat=15, lane="I", name="Miho TAKAGI")
    # The track record before the race lay between the two times: docs/rules.md gives Leerdam TR and Kok none.
    records = {OR: 73190, TR: 72400, WR: 71610}

    after_13 = rows([*earlier, kok, rest_13], standing_records=records)
    assert after_13[0]["name"] == "Femke KOK" and after_13[0]["records"] == [OR]

    final = rows([*earlier, kok, rest_13, *pair_14, leerdam, takagi], standing_records=records)
    top3 = [(r["rank"], r["name"], r["time"], r["behind"], r["records"]) for r in final[:3]]
    assert top3 == [
        (1, "Jutta LEERDAM", "1:12.31", "", [OR, TR]),
        (2, "Femke KOK", "1:12.59", "+0.28", [OR]),
        (3, "Miho TAKAGI", "1:13.95", "+1.64", []),
    ]


def test_a_record_is_beaten_on_hundredths_and_both_skaters_of_a_pair_can_set_it():
    records = {WR: 36360}
    standings = rows(
        [
            finisher(1, 36365, heat=1),
            finisher(2, 36090, heat=2, lane="I"),
            finisher(3, 36200, heat=2, lane="O"),
            finisher(4, 36150, heat=3),
        ],
        standing_records=records,
    )
    flags = {r["bib"]: r["records"] for r in standings}
    # 36.36(5) only equals the record; both of pair 2 beat 36.36 at the same moment; 36.15 in pair 3 does not beat
    # the 36.09 set in pair 2.
    assert flags == {1: [], 2: [WR], 3: [WR], 4: []}


def test_no_standing_record_of_a_kind_means_that_kind_is_never_flagged():
    standings = rows([finisher(1, 36000, heat=1), finisher(2, 35900, heat=2)], standing_records={})
    assert [r["records"] for r in standings] == [[], []]


def test_a_re_skate_counts_only_if_it_is_better_and_valid():
    original = finisher(7, 38200, heat=3)
    faster_reskate = finisher(7, 37900, heat=11)
    slower_reskate = finisher(7, 38400, heat=11)
    fell_in_reskate = out(7, DNF, heat=11)
    others = [finisher(1, 38000, heat=1), finisher(2, 38100, heat=1, lane="O")]

    def row_of_7(*results):
        return next(r for r in rows([*others, *results]) if r["bib"] == 7)

    assert (row_of_7(original, faster_reskate)["time"], row_of_7(original, faster_reskate)["heat"]) == ("37.90", 11)
    assert row_of_7(original, slower_reskate)["time"] == "38.20"
    assert row_of_7(original, fell_in_reskate)["time"] == "38.20"
    assert row_of_7(out(7, DNF, heat=3), faster_reskate)["rank"] == 1
    assert row_of_7(out(7, DQ, heat=3, infraction="T09"), fell_in_reskate)["status"] == DNF  # the later one stands
    assert len(rows([*others, original, faster_reskate])) == 3


def test_medals_only_in_the_final_standings_and_shared_ranks_share_them():
    results = [finisher(1, 70000), finisher(2, 70100), finisher(3, 70100), finisher(4, 70200)]
    standings = rank_results(results)
    assert [s.as_row()["medal"] for s in standings] == [None, None, None, None]
    assert [s.as_row(final=True)["medal"] for s in standings] == ["gold", "silver", "silver", None]


# --- national records, personal and season bests ------------------------------------------------------------------


def skater(bib, time_ms, heat, nation="NED", lane="I", pb=None, sb=None):
    marks = {kind: mark for kind, mark in ((PB, pb), (SB, sb)) if mark is not None}
    return Result(
        bib=bib, name=f"Skater {bib}", nation=nation, heat=heat, lane=lane, status=OK, time_ms=time_ms,
        personal_marks=marks,
    )  # fmt: skip


def flags_of(results, **kwargs):
    return {r["bib"]: r["records"] for r in rows(results, **kwargs)}


def test_a_national_record_set_in_an_earlier_heat_by_a_compatriot_is_the_mark_to_beat():
    # NED's standing record 37.00. Pair 2 NED 36.90 sets it; pair 3 NED 36.95 no longer beats it; a NOR skater
    # at 36.80 is measured against Norway's record, and a nation without a national record is never flagged.
    standings = flags_of(
        [
            skater(1, 36900, heat=2, nation="NED"),
            skater(2, 36990, heat=2, nation="NED", lane="O"),  # same pair: same moment, beats 37.00 too
            skater(3, 36950, heat=3, nation="NED"),
            skater(4, 36800, heat=3, nation="NOR", lane="O"),
            skater(5, 36000, heat=4, nation="JPN"),
            skater(6, 36890, heat=5, nation="NED"),
        ],
        national_records={"NED": 37000, "NOR": 36700},
    )
    assert standings == {1: [NR], 2: [NR], 3: [], 4: [], 5: [], 6: [NR]}


def test_a_national_record_is_beaten_on_hundredths_only():
    standings = flags_of(
        [skater(1, 37009, heat=1), skater(2, 36999, heat=2), skater(3, 36991, heat=3)],
        national_records={"NED": 37000},
    )
    # 37.00(9) equals 37.00; 36.99(9) beats it; 36.99(1) only equals the 36.99 set in pair 2.
    assert standings == {1: [], 2: [NR], 3: []}


def test_personal_and_season_bests_are_flagged_against_the_skaters_own_marks():
    standings = flags_of(
        [
            skater(1, 37500, heat=1, pb=37400, sb=37600),  # a season best, not a personal best
            skater(2, 37300, heat=1, lane="O", pb=37400, sb=37600),  # both
            skater(3, 37400, heat=2, pb=37400, sb=37409),  # equals the PB to the hundredth; SB 37.40 equalled too
            skater(4, 37000, heat=2, lane="O"),  # no bests known: nothing, however fast
            skater(5, 37000, heat=3, sb=37100),  # only an SB known
        ]
    )
    assert standings == {1: [SB], 2: [PB, SB], 3: [], 4: [], 5: [SB]}


def test_a_new_personal_best_is_a_season_best_even_when_the_season_best_is_not_known():
    assert flags_of([skater(1, 37300, heat=1, pb=37400)]) == {1: [PB, SB]}


def test_a_re_skate_is_measured_against_the_skaters_first_time_in_the_race():
    # PB 38.00 before the race. Pair 3: 37.95(5), a PB. Re-skate in pair 11: 37.90, a PB again: it beats the
    # 37.95 that had become the mark.
    first = skater(7, 37955, heat=3, pb=38000, sb=38100)
    faster = skater(7, 37900, heat=11, pb=38000, sb=38100)
    assert flags_of([first]) == {7: [PB, SB]}
    assert flags_of([first, faster]) == {7: [PB, SB]}
    # A re-skate of 37.95(1) counts (faster in thousandths) but only equals the 37.95 skated first: no new best.
    same_hundredths = skater(7, 37951, heat=11, pb=38000, sb=38100)
    assert [(r["time"], r["records"]) for r in rows([first, same_hundredths])] == [("37.95", [])]


def test_a_replaced_first_time_still_set_the_mark_for_the_pairs_after_it():
    # Skater 7 skates 36.20 in pair 2 (beating the WR of 36.36), then 36.10 in a re-skate; skater 8's 36.25 in
    # pair 5 came after the 36.20 and beat no world record, although 36.20 is no longer in the standings.
    standings = flags_of(
        [skater(7, 36200, heat=2), skater(8, 36250, heat=5), skater(7, 36100, heat=11)],
        standing_records={WR: 36360},
    )
    assert standings == {7: [WR], 8: []}


def test_flags_come_in_precedence_order_wr_or_tr_nr_pb_sb():
    result = skater(1, 36000, heat=1, nation="NED", pb=37000, sb=37100)
    standings = flags_of(
        [result],
        standing_records={TR: 36500, WR: 36360, OR: 36400},
        national_records={"NED": 36600},
    )
    assert standings == {1: [WR, OR, TR, NR, PB, SB]}
    assert RECORD_PRECEDENCE == (WR, OR, TR, NR, PB, SB)


def test_points_by_decision_stand_over_the_table_for_a_finisher_and_a_faller():
    from dataclasses import replace

    fallen = Result(bib=9, name="Fell DOWN", nation="NED", heat=2, lane="O", status="DNF")
    standings = rank_results(
        [finisher(1, 37000), replace(finisher(2, 37500), points_awarded=50), replace(fallen, points_awarded=22)],
        points_table=WORLD_CUP_A,
    )
    assert [(s.result.bib, s.rank, s.points) for s in standings] == [(1, 1, 60), (2, 2, 50), (9, None, 22)]
