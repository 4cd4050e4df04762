"""The rules of sprint and allround classifications (results/rules/classification.py), on docs/rules.md's figures.

Leerdam's four times at the 2022 World Sprint give DOMAIN's 38.110 + 37.440 + 38.110 + 37.480 = 151.140. DOMAIN
gives only the totals of Kok (151.215) and Herzog (152.225): the times below are made up to give exactly those
totals, and are not their real times.
"""

import pytest

from results.rules import classification as rules
from results.rules.classification import PENDING, Competitor, Outcome, classify
from results.rules.ranking import DNF, DQ, OK
from results.rules.times import parse_time

SPRINT = rules.KIND_DISTANCES[rules.SPRINT]
# name, nation, times over 500, 1000, 500, 1000
LEERDAM = ("Jutta LEERDAM", "NED", ("38.11", "1:14.88", "38.11", "1:14.96"))
KOK = ("Femke KOK", "NED", ("37.92", "1:15.53", "37.87", "1:15.32"))  # made up: 151.215 in total
HERZOG = ("Vanessa HERZOG", "AUT", ("38.31", "1:16.11", "38.05", "1:15.62"))  # made up: 152.225 in total
SKATERS = [LEERDAM, KOK, HERZOG]


def competitor(key, name, nation, times, *, skated=4):
    """A sprinter with ``times`` on the first ``skated`` distances and the rest still to skate."""
    outcomes = [Outcome(OK, parse_time(t)) for t in times[:skated]]
    outcomes += [Outcome(PENDING)] * (len(SPRINT) - skated)
    return Competitor(key=key, name=name, nation=nation, outcomes=tuple(outcomes))


def field(skated, *, over=None):
    competitors = [competitor(n, name, nation, times, skated=skated) for n, (name, nation, times) in enumerate(SKATERS)]
    return classify(competitors, SPRINT, over or [n < skated for n in range(4)])


def table(standings):
    return [(row.competitor.name, row.rank, rules.format_points(row.total), row.behind) for row in standings.rows]


# ---------------------------------------------------------------------------------------------------- points


@pytest.mark.parametrize(
    ("time", "distance", "points"),
    [
        ("1:42.56", 1500, "34.186"),  # DOMAIN: 34.18666... truncated, not rounded to 34.187
        ("3:58.00", 3000, "39.666"),  # DOMAIN
        ("38.11", 500, "38.110"),
        ("1:14.88", 1000, "37.440"),
        ("1:14.96", 1000, "37.480"),
        ("1:15.53", 1000, "37.765"),
        ("6:48.97", 5000, "40.897"),
        ("12:47.89", 10000, "38.394"),  # 767.89 / 20 = 38.3945: truncated
    ],
)
def test_points_are_the_time_per_500_m_truncated_to_thousandths(time, distance, points):
    assert rules.format_points(rules.points(parse_time(time), distance)) == points


def test_points_count_the_time_as_printed_in_hundredths():
    # 38.119 is printed 38.11 and scores 38.110, as on championship sheets; 1:42.569 scores like 1:42.56.
    assert rules.points(parse_time("38.119"), 500) == 38110
    assert rules.points(parse_time("1:42.569"), 1500) == rules.points(parse_time("1:42.56"), 1500) == 34186


def test_leerdam_kok_and_herzog_total_domains_figures():
    def sprint_points(times):
        return [rules.points(parse_time(t), d) for t, d in zip(times, SPRINT, strict=True)]

    assert sprint_points(LEERDAM[2]) == [38110, 37440, 38110, 37480]
    totals = {name: sum(sprint_points(times)) for name, _nation, times in SKATERS}
    assert {name: rules.format_points(total) for name, total in totals.items()} == {
        "Jutta LEERDAM": "151.140",
        "Femke KOK": "151.215",
        "Vanessa HERZOG": "152.225",
    }


# ---------------------------------------------------------------------------------------------------- standings


def test_after_the_last_distance_the_lowest_total_wins_and_behind_is_in_points():
    standings = field(4)
    assert table(standings) == [
        ("Jutta LEERDAM", 1, "151.140", ""),
        ("Femke KOK", 2, "151.215", "+0.075"),
        ("Vanessa HERZOG", 3, "152.225", "+1.085"),
    ]
    assert standings.next_position is None
    assert all(row.complete for row in standings.rows)


def test_behind_is_seconds_on_the_next_distance_truncated_to_hundredths():
    # After the first 500 m: the next distance is a 1000 m, so each point is worth two seconds.
    assert table(field(1)) == [
        ("Femke KOK", 1, "37.920", ""),
        ("Jutta LEERDAM", 2, "38.110", "+0.38"),
        ("Vanessa HERZOG", 3, "38.310", "+0.78"),
    ]
    # After the 1000 m: the next is a 500 m, a point a second; 0.135 points is +0.13 (truncated, not +0.14).
    assert table(field(2)) == [
        ("Jutta LEERDAM", 1, "75.550", ""),
        ("Femke KOK", 2, "75.685", "+0.13"),
        ("Vanessa HERZOG", 3, "76.365", "+0.81"),
    ]
    # Kok leads into the last 1000 m by 0.105 points: Leerdam must take 0.21 s from her, and does.
    after_three = field(3)
    assert table(after_three) == [
        ("Femke KOK", 1, "113.555", ""),
        ("Jutta LEERDAM", 2, "113.660", "+0.21"),
        ("Vanessa HERZOG", 3, "114.415", "+1.72"),
    ]
    assert after_three.next_position == 4


def test_a_gap_of_a_minute_or_more_is_written_like_a_time():
    assert rules.behind_text(30_555, 1000) == "+1:01.11"
    assert rules.behind_text(0, 1000) == rules.behind_text(0, None) == ""
    assert rules.behind_text(4, 1000) == ""  # 0.008 s: nothing to see in hundredths


def test_while_a_distance_is_skated_those_still_to_skate_it_wait_unranked_below():
    # Distance 2 under way: Kok has skated it, Leerdam and Herzog not yet.
    competitors = [
        competitor(1, *LEERDAM[:2], LEERDAM[2], skated=1),
        competitor(2, *KOK[:2], KOK[2], skated=2),
        competitor(3, *HERZOG[:2], HERZOG[2], skated=1),
    ]
    standings = classify(competitors, SPRINT, [True, False, False, False])
    assert [(r.competitor.name, r.rank, r.total, r.complete, r.waiting) for r in standings.rows] == [
        ("Femke KOK", 1, 75685, True, False),
        ("Jutta LEERDAM", None, 38110, False, True),
        ("Vanessa HERZOG", None, 38310, False, True),
    ]
    assert [row.behind for row in standings.rows] == ["", "", ""]
    assert standings.next_position == 3


def test_a_skater_out_of_a_distance_has_no_total_and_is_listed_last():
    dq = Competitor(1, "Dana DQ", "CAN", (Outcome(OK, parse_time("37.50")), Outcome(DQ), Outcome(PENDING), None))
    dnf = Competitor(2, "Nina DNF", "NOR", (Outcome(DNF), Outcome(PENDING), Outcome(PENDING), None))
    kok = competitor(3, *KOK[:2], KOK[2], skated=2)
    standings = classify([dq, dnf, kok], SPRINT, [True, True, False, False])
    assert [(r.competitor.name, r.rank, r.total, r.out) for r in standings.rows] == [
        ("Femke KOK", 1, 75685, False),
        ("Dana DQ", None, None, True),  # skated more distances in a row than the DNF: listed first
        ("Nina DNF", None, None, True),
    ]
    assert standings.rows[1].points == (37500, None, None, None)


def test_equal_totals_share_a_rank_and_the_next_is_skipped():
    same = [
        Competitor(n, name, "NED", (Outcome(OK, parse_time("38.00")),) + (Outcome(PENDING),) * 3)
        for n, name in enumerate(["Ada A", "Bo B"])
    ]
    slower = Competitor(9, "Cy C", "NED", (Outcome(OK, parse_time("38.50")),) + (Outcome(PENDING),) * 3)
    standings = classify([*same, slower], SPRINT, [True, False, False, False])
    assert [(r.rank, r.behind) for r in standings.rows] == [(1, ""), (1, ""), (3, "+1.00")]


def test_skaters_not_in_the_last_distance_are_ranked_below_its_skaters_once_nobody_waits():
    """An allround's last distance is skated by the best eight only: the others keep their three-distance total."""
    big = rules.KIND_DISTANCES[rules.BIG]

    def allrounder(key, name, times, last):
        outcomes = (*(Outcome(OK, parse_time(t)) for t in times), last)
        return Competitor(key, name, "NED", outcomes)

    three = ("37.00", "1:50.00", "6:20.00")  # 37.000 + 36.666 + 38.000 = 111.666
    finalist = allrounder(1, "Fin ALIST", three, Outcome(OK, parse_time("13:00.00")))  # + 39.000
    to_skate = allrounder(2, "Wai TING", three, Outcome(PENDING))
    not_qualified = allrounder(3, "Non QUAL", ("38.00", "1:52.00", "6:30.00"), None)

    live = classify([finalist, to_skate, not_qualified], big, [True, True, True, False])
    assert [(r.competitor.name, r.rank, r.waiting) for r in live.rows] == [
        ("Fin ALIST", 1, False),
        ("Wai TING", None, True),
        # Unranked until every finalist has skated: a finalist who falls is out, and moves those below up.
        ("Non QUAL", None, False),
    ]

    skated = allrounder(2, "Wai TING", three, Outcome(OK, parse_time("13:10.00")))
    final = classify([finalist, skated, not_qualified], big, [True, True, True, True])
    assert [(r.competitor.name, r.rank, r.complete, r.behind) for r in final.rows] == [
        ("Fin ALIST", 1, True, ""),
        ("Wai TING", 2, True, "+0.500"),
        ("Non QUAL", 3, False, ""),  # 3 distances: no comparable gap
    ]
    assert final.rows[2].total is not None and rules.format_points(final.rows[2].total) == "114.333"


def test_before_anything_is_skated_everyone_is_listed_unranked_and_the_first_distance_is_next():
    standings = field(0, over=[False] * 4)
    assert [(r.rank, r.total, r.complete, r.waiting) for r in standings.rows] == [(None, None, False, False)] * 3
    assert standings.next_position == 1


# ---------------------------------------------------------------------------------------------------- kinds


def test_a_sprint_must_skate_500_1000_500_1000_in_that_order():
    legs = [(1, 500, "500 m day 1"), (2, 500, "500 m day 2"), (3, 1000, "1000 m day 1")]
    assert rules.legs_errors(rules.SPRINT, legs) == [
        "A sprint skates the 1000 m as distance 2; 500 m day 2 is a 500 m.",
        "A sprint skates the 500 m as distance 3; 1000 m day 1 is a 1000 m.",
    ]
    assert rules.legs_errors(rules.SPRINT, [(1, 500, "a"), (2, 1000, "b"), (3, 500, "c"), (4, 1000, "d")]) == []


def test_a_preset_refuses_a_fifth_distance_and_gaps_but_allows_fewer_with_a_warning():
    five = [(1, 500, "a"), (2, 1000, "b"), (3, 500, "c"), (4, 1000, "d"), (5, 500, "e")]
    assert rules.legs_errors(rules.SPRINT, five) == ["A sprint has 4 distances; distance 5 (e) is one too many."]
    assert rules.legs_errors(rules.MINI, [(1, 500, "a"), (3, 1500, "c")]) == [
        "Number the distances 1, 2, 3, … in the order they are skated: distance 2 is missing."
    ]
    assert rules.legs_errors(rules.SMALL, [(1, 500, "a"), (2, 1500, "b")]) == []
    assert rules.legs_warning(rules.SMALL, 2) == (
        "A small allround has 4 distances and 2 of them are set: the standings count only these until the rest are "
        "added."
    )
    assert rules.legs_warning(rules.SMALL, 4) is None


def test_other_combinations_take_any_distances():
    assert rules.legs_errors(rules.OTHER, [(1, 3000, "a"), (2, 500, "b"), (3, 1500, "c")]) == []
    assert rules.legs_warning(rules.OTHER, 1) is None
