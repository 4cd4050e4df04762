"""The mass start: ranked on sprint points (the table is the race's data), ties by finish time; entered sprint by
sprint on the entry screen, every change kept in the history and pushed like a result."""

from __future__ import annotations

import json
import re

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError

from results import selectors
from results.admin.race_day import mass_start as admin_mass_start
from results.models import Race, ResultChange, SprintPlacing, Start
from results.roles import REFEREE, TIMING_OFFICIAL
from results.rules import ranking
from results.rules.ranking_mass_start import (
    DEFAULT_SPRINT_POINTS,
    MassStartResult,
    rank_mass_start,
    sprint_lap,
    table_error,
)
from results.rules.times import parse_time
from results.services import mass_start as service
from results.services.lineup import ERROR_RESKATE_MASS_START, StartListEntry, reskate_add, start_list_create
from results.topics import race_topic
from tests.support.admin_pages import enter_url, page_text
from tests.support.factories import (
    enter_finish,
    enter_sprint,
    make_competition,
    make_mass_start,
    make_race,
    make_user,
    start_of,
)
from tests.support.published import snapshot, version

# Older seasons scored 5/3/1 at the intermediate sprints (observed on 2017-18 sheets).
OLDER_TABLE = [[5, 3, 1], [5, 3, 1], [5, 3, 1], [60, 40, 20, 10, 6, 3]]


def skater(bib: int, *, time: str | None = None, status: str = "OK", places: dict[int, int] | None = None):
    """A pure ranking input: a finisher (a time or none typed), or ``status`` DNF/DQ/...; ``places`` by sprint."""
    time_ms = parse_time(time) if time else None
    name = f"Skater {bib}"
    result = ranking.Result(bib=bib, name=name, nation="NED", heat=1, lane=None, status=status, time_ms=time_ms)
    return MassStartResult(result=result, places=places or {})


def order(standings) -> list[tuple[int | None, int, int | None]]:
    """(rank, bib, race points) in standings order."""
    return [(s.standing.rank, s.standing.result.bib, s.race_points) for s in standings]


# --- the ranking (pure) ------------------------------------------------------------------------------------------


def test_three_sprint_points_finishing_slower_rank_above_no_points_finishing_faster():
    standings = rank_mass_start(
        [
            skater(7, time="8:31.42", places={1: 1}),  # won the first sprint, then lost the pack
            skater(12, time="8:27.05"),  # in the final pack, no points
            skater(33, time="8:26.88", places={4: 1}),  # won the final sprint
        ]
    )
    assert order(standings) == [(1, 33, 60), (2, 7, 3), (3, 12, 0)]


def test_equal_points_are_separated_by_finish_time():
    standings = rank_mass_start(
        [
            skater(21, time="8:40.150", places={1: 1}),
            skater(22, time="8:39.990", places={2: 1}),  # 3 points as well, faster
            skater(23, time="8:45.01"),
            skater(24, time="8:44.70"),  # no points either: faster first
        ]
    )
    assert order(standings) == [(1, 22, 3), (2, 21, 3), (3, 24, 0), (4, 23, 0)]


def test_equal_points_without_the_times_that_would_separate_them_share_a_rank():
    standings = rank_mass_start(
        [
            skater(1, places={4: 1}),
            skater(2, time="8:50.10"),
            skater(3),
            skater(4),
            skater(5, time="8:49.00"),
        ],
        points_table=[60, 54, 48, 43, 40],
    )
    # Timed skaters first among equals; the others share the rank after them, and its World Cup points.
    assert order(standings) == [(1, 1, 60), (2, 5, 0), (3, 2, 0), (4, 3, 0), (4, 4, 0)]
    assert [s.standing.points for s in standings] == [60, 54, 48, 43, 43]


def test_the_sprint_table_is_data_a_race_with_another_table_ranks_accordingly():
    field = [
        skater(8, time="8:35.61", places={1: 1, 2: 1, 3: 1, 4: 4}),  # every intermediate sprint, fourth at the end
        skater(9, time="8:35.20", places={4: 3}),  # third in the final sprint
    ]
    now = rank_mass_start(field, sprint_table=DEFAULT_SPRINT_POINTS)
    older = rank_mass_start(field, sprint_table=OLDER_TABLE)
    assert order(now) == [(1, 9, 20), (2, 8, 19)]  # 20 against 3 + 3 + 3 + 10
    assert order(older) == [(1, 8, 25), (2, 9, 20)]  # 5 + 5 + 5 + 10 against 20
    assert [s.sprints for s in older] == [(5, 5, 5, 10), (0, 0, 0, 20)]


def test_places_beyond_the_table_score_nothing():
    standings = rank_mass_start([skater(bib, places={4: bib}) for bib in range(1, 9)])
    assert [s.race_points for s in standings] == [60, 40, 20, 10, 6, 3, 0, 0]


def test_non_finishers_come_after_unranked_dnf_before_dq_keeping_the_sprints_they_scored():
    standings = rank_mass_start(
        [
            skater(31, status="DQ", places={1: 1}),
            skater(32, status="DNF", places={2: 1}),
            skater(33, time="8:29.00"),
        ],
        points_table=[60, 54, 48],
    )
    rows = [s.as_row() for s in standings]
    assert [(r["bib"], r["rank"], r["status"], r["race_points"], r["points"]) for r in rows] == [
        (33, 1, "OK", 0, 60),
        (32, None, "DNF", None, None),
        (31, None, "DQ", None, None),
    ]
    assert rows[1]["sprints"] == [0, 3, None, None] and rows[2]["sprints"] == [3, 0, None, None]


def test_while_the_race_is_on_the_skaters_placed_so_far_rank_on_their_points():
    standings = rank_mass_start(
        [skater(1, status="", places={1: 2, 2: 1}), skater(2, status="", places={1: 1}), skater(3, status="")]
    )
    rows = [s.as_row() for s in standings]
    # Skater 3 has scored nothing yet: not listed until the finish. Sprints 3 and 4 have not been skated.
    assert [(r["rank"], r["bib"], r["race_points"], r["sprints"], r["status"]) for r in rows] == [
        (1, 1, 5, [2, 3, None, None], None),
        (2, 2, 3, [3, 0, None, None], None),
    ]
    assert all(r["time"] is None and r["points"] is None for r in rows)


def test_sprint_tables_are_checked():
    assert table_error([[3, 2, 1], [60, 40, 20]]) is None
    wrong: object
    for wrong in ([], [[]], [[3, "2"]], [3, 2, 1], [[3, -1]], "[[3]]"):
        assert table_error(wrong) is not None
    assert [sprint_lap(n, 4) for n in (1, 2, 3, 4)] == [4, 8, 12, 16]
    assert sprint_lap(1, 3) is None


# --- the race and its sprints, through the services --------------------------------------------------------------


@pytest.mark.django_db
def test_a_mass_start_race_carries_its_table_and_its_sprints_in_the_snapshot():
    race = make_mass_start()
    assert race.sprint_points == [list(points) for points in DEFAULT_SPRINT_POINTS]
    enter_sprint(race, 1, "103 101 106")
    enter_sprint(race, 2, "101 102")
    document = snapshot(race)
    assert document["race"]["format"] == "mass_start"
    assert document["race"]["sprint_points"] == [[3, 2, 1], [3, 2, 1], [3, 2, 1], [60, 40, 20, 10, 6, 3]]
    assert (document["race"]["sprints_done"], document["race"]["last_sprint"]) == (2, 2)
    assert document["race"]["status"] == "LIVE"  # live from the first sprint
    assert [(r["rank"], r["name"], r["race_points"], r["sprints"]) for r in document["standings"]] == [
        (1, "Marijke GROENEWOUD", 5, [2, 3, None, None]),
        (2, "Mia MANGANELLO", 3, [3, 0, None, None]),
        (3, "Ivanie BLONDIN", 2, [0, 2, None, None]),
        (4, "Ayano SATO", 1, [1, 0, None, None]),
    ]
    assert document["change"] == {"kind": "results", "heat": 1, "bibs": [101, 102], "sprint": 2}


@pytest.mark.django_db
def test_the_finish_ranks_everyone_and_times_only_break_ties():
    race = make_mass_start(points_table=[60, 54, 48, 43, 40, 38, 36, 34, 32, 31, 30, 29])
    enter_sprint(race, 1, "103 101 106")
    enter_sprint(race, 2, "101 102 108")
    enter_sprint(race, 3, "110 103 104")
    enter_sprint(race, 4, "101 104 102 105 106 107 108")
    enter_finish(race, {101: "8:27.051", 104: "8:27.11", 109: "8:35.44", 112: "8:35.40", 111: "DNF"})
    rows = snapshot(race)["standings"]
    assert [(r["rank"], r["bib"], r["race_points"], r["time"], r["points"]) for r in rows] == [
        (1, 101, 65, "8:27.05", 60),  # 2 + 3 + 0 + 60
        (2, 104, 41, "8:27.11", 54),  # 0 + 0 + 1 + 40
        (3, 102, 22, None, 48),  # 0 + 2 + 0 + 20
        (4, 105, 10, None, 43),
        (5, 106, 7, None, 40),  # 1 + 0 + 0 + 6
        (6, 103, 5, None, 38),  # 3 + 0 + 2 + 0
        (7, 107, 3, None, 36),  # sixth in the final sprint
        (7, 110, 3, None, 36),  # won sprint 3; equal points and no times typed: a shared rank
        (9, 108, 1, None, 32),  # 0 + 1 + 0 + 0 (seventh in the final sprint: past the table)
        (10, 112, 0, "8:35.40", 31),  # no points: the finish time decides
        (11, 109, 0, "8:35.44", 30),
        (None, 111, None, None, None),
    ]
    race.refresh_from_db()
    assert race.status == Race.State.UNOFFICIAL


@pytest.mark.django_db
def test_a_sprint_is_pushed_on_commit_like_a_result(django_capture_on_commit_callbacks):
    race = make_mass_start()
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(race_topic(race.pk), channel)
    before = version(race)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enter_sprint(race, 1, "105 111 104")
    assert len(callbacks) == 1
    message = async_to_sync(layer.receive)(channel)
    pushed = json.loads(message["text"])
    assert message["version"] == pushed["version"] == before + 1
    assert [row["bib"] for row in pushed["standings"]] == [105, 111, 104]
    assert pushed["change"]["sprint"] == 1


@pytest.mark.django_db
def test_every_place_that_changes_is_in_the_history_and_the_same_order_again_changes_nothing():
    race = make_mass_start()
    official = make_user("tina", TIMING_OFFICIAL)
    enter_sprint(race, 1, "103 101 106", by=official)
    first = version(race)
    enter_sprint(race, 1, "103 101 106", by=official)
    assert version(race) == first
    enter_sprint(race, 1, "101 103", by=official, reason="photo finish checked")
    rows = [(r.bib, r.kind, r.old, r.new, r.reason) for r in selectors.race_history(race) if r.kind != selectors.STATUS]
    assert sorted(rows[:3]) == [
        (101, "corrected", "sprint 1: 2nd", "sprint 1: 1st", "photo finish checked"),
        (103, "corrected", "sprint 1: 1st", "sprint 1: 2nd", "photo finish checked"),
        (106, "cleared", "sprint 1: 3rd", "sprint 1: not placed", "photo finish checked"),
    ]
    assert sorted(rows[3:]) == [
        (101, "entered", "sprint 1: not placed", "sprint 1: 2nd", ""),
        (103, "entered", "sprint 1: not placed", "sprint 1: 1st", ""),
        (106, "entered", "sprint 1: not placed", "sprint 1: 3rd", ""),
    ]
    assert snapshot(race)["change"] == {"kind": "correction", "heat": 1, "bibs": [101, 103, 106], "sprint": 1}
    changes = ResultChange.objects.filter(race=race, sprint=1)
    assert {change.version for change in changes} == {first, version(race)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sprint", "bibs", "message"),
    [
        (2, [103, 999, 101], "Bib 999 does not skate in Women Mass Start Division A."),
        (2, [103, 101, 103], "Bib 103 (Mia MANGANELLO) is typed twice in Sprint 2: places 1 and 3."),
        (
            5,
            [103],
            "Women Mass Start Division A has 4 sprints in its sprint points table, so there is no sprint 5. "
            "Add a sprint to the table in the race's settings first.",
        ),
    ],
)
def test_a_wrong_sprint_order_is_refused_whole_with_a_clear_message(sprint, bibs, message):
    race = make_mass_start()
    enter_sprint(race, 1, "103 101 106")
    before = version(race)
    with pytest.raises(service.SprintInvalid) as refused:
        service.sprint_placings_record(race=race, sprint=sprint, bibs=bibs)
    assert refused.value.messages == [message]
    assert version(race) == before
    assert not SprintPlacing.objects.filter(race=race, sprint=sprint).exists()


@pytest.mark.django_db
def test_only_a_mass_start_has_sprints_and_no_re_skates():
    individual = make_race()
    with pytest.raises(service.SprintInvalid) as refused:
        service.sprint_placings_record(race=individual, sprint=1, bibs=[11])
    assert refused.value.messages == ["Women 500m Division A is not a mass start: it has no sprints."]
    race = make_mass_start(competition=individual.competition)
    enter_sprint(race, 1, "101")
    with pytest.raises(ValidationError) as refused_reskate:
        reskate_add(start=start_of(race, 101))
    assert refused_reskate.value.messages == [ERROR_RESKATE_MASS_START]


@pytest.mark.django_db
def test_a_sprint_saved_meanwhile_is_refused_with_what_was_saved():
    race = make_mass_start()
    enter_sprint(race, 1, "103 101")
    with pytest.raises(service.SprintChangedMeanwhile) as refused:
        service.sprint_placings_record(race=race, sprint=1, bibs=[101, 103], expected=[])
    assert "Sprint 1 was saved by the timing system" in refused.value.messages[0]
    assert ": 103 101. Nothing of yours was saved" in refused.value.messages[0]
    assert refused.value.bibs == [103, 101]


@pytest.mark.django_db
def test_an_official_mass_start_needs_a_referee_and_a_reason_for_a_sprint():
    race = make_mass_start()
    enter_sprint(race, 1, "103 101 106")
    enter_finish(race, {101: "8:27.05"})
    referee = make_user("rafa", REFEREE)
    from results import services

    services.race_status_set(race=race, status=Race.State.OFFICIAL, by=referee)
    with pytest.raises(service.SprintInvalid) as refused:
        enter_sprint(race, 1, "101 103 106", by=make_user("tina", TIMING_OFFICIAL))
    assert refused.value.messages == ["Women Mass Start Division A is official: only a referee can change its results."]
    enter_sprint(race, 1, "101 103 106", by=referee, reason="jury: 103 impeded 101")
    assert [r["bib"] for r in snapshot(race)["standings"]][:2] == [101, 103]


# --- lineup rules ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_mass_start_is_one_heat_of_at_most_24_skaters_without_lanes():
    race = make_mass_start(field=[(200 + n, f"Skater NUMBER{n}", "NED") for n in range(1, 25)])
    assert Start.objects.filter(heat__race=race).count() == 24
    refusals = {
        "25th": StartListEntry(heat=1, bib=299, name="One TOOMANY", nation="USA"),
        "lane": StartListEntry(heat=1, lane="I", bib=298, name="In ALANE", nation="USA"),
        "heat 2": StartListEntry(heat=2, bib=297, name="Second HEAT", nation="USA"),
    }
    messages = {}
    for what, entry in refusals.items():
        with pytest.raises(ValidationError) as refused:
            start_list_create(race=race, entries=[entry])
        messages[what] = refused.value.messages[0]
    assert "A mass start holds at most 24 skaters (the ISU maximum)." in messages["25th"]
    assert "A mass start has no lanes: leave the lane empty." in messages["lane"]
    assert "A mass start is skated in one heat: put every skater in heat 1." in messages["heat 2"]


# --- the entry screen --------------------------------------------------------------------------------------------


@pytest.fixture
def timing(client):
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    return client


def sprint_post(number: int, order: str, *, expected: str = "", reason: str = "", **extra: str) -> dict[str, str]:
    prefix = f"sprint{number}"
    return {
        "form": "sprint",
        "sprint": str(number),
        f"{prefix}-order": order,
        f"{prefix}-expected": expected,
        f"{prefix}-reason": reason,
        **extra,
    }


@pytest.mark.django_db
def test_the_entry_screen_shows_one_form_per_sprint_then_the_finish(timing):
    race = make_mass_start()
    enter_sprint(race, 1, "103 101 106")
    html = page_text(timing.get(enter_url(race)))
    titles = ["Sprint 1", "Sprint 2", "Sprint 3", "Final sprint", "Finish"]
    positions = [html.index(f">{title}</h2>") for title in titles]
    assert positions == sorted(positions)
    assert "lap 4 · 3/2/1" in html and "lap 16 · 60/40/20/10/6/3" in html
    # Sprint 1 as saved, and the cursor in sprint 2, the next to enter.
    assert 'name="sprint1-order" value="103 101 106"' in html
    assert "Mia MANGANELLO" in html and "3 pts" in html
    assert re.search(r'<input[^>]*name="sprint2-order"[^>]*autofocus', html)
    assert "Save finish" in html and "Grant a re-skate" not in html


@pytest.mark.django_db
def test_a_sprint_typed_on_the_entry_screen_is_saved_in_order_of_crossing(timing):
    race = make_mass_start()
    response = timing.post(enter_url(race), sprint_post(1, "103  101, 106"))
    assert response.status_code == 302 and response["Location"].endswith("#sprint-2")
    assert [(p.place, p.start.bib) for p in SprintPlacing.objects.filter(race=race)] == [(1, 103), (2, 101), (3, 106)]
    messages = [m.message for m in timing.get(response["Location"]).context["messages"]]
    assert messages == [
        "Sprint 1 saved: 1. Mia MANGANELLO (103) 3; 2. Marijke GROENEWOUD (101) 2; 3. Ayano SATO (106) 1."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "typed", "message"),
    [
        (1, "103 999", "Bib 999 does not skate in Women Mass Start Division A."),
        (1, "103 101 103", "Bib 103 (Mia MANGANELLO) is typed twice in Sprint 1: places 1 and 3."),
        (1, "103 1O1", "“1O1” is not a bib: type the bibs in order of crossing, separated by spaces, e.g. 12 7 33."),
    ],
)
def test_a_wrong_sprint_on_the_entry_screen_says_why_and_saves_nothing(timing, number, typed, message):
    race = make_mass_start()
    before = version(race)
    response = timing.post(enter_url(race), sprint_post(number, typed))
    assert response.status_code == 200
    html = page_text(response)
    assert message in html
    assert f'value="{typed}"' in html  # what the official typed stays, to correct
    assert "Not saved" in html
    assert version(race) == before and not SprintPlacing.objects.filter(race=race).exists()


@pytest.mark.django_db
def test_a_sprint_beyond_the_table_is_refused_on_the_entry_screen(timing):
    race = make_mass_start()
    response = timing.post(enter_url(race), sprint_post(5, "103"))
    assert response.status_code == 404
    assert not SprintPlacing.objects.filter(race=race).exists()


@pytest.mark.django_db
def test_a_sprint_saved_meanwhile_on_the_entry_screen_shows_theirs_and_a_second_save_goes_through(timing):
    race = make_mass_start()
    enter_sprint(race, 1, "104 105")  # the other official's save
    response = timing.post(enter_url(race), sprint_post(1, "103 101", expected=""))
    html = page_text(response)
    assert "Sprint 1 was saved by the timing system" in html and "compare below" in html
    assert 'name="sprint1-expected" value="104 105"' in html
    again = timing.post(enter_url(race), sprint_post(1, "103 101", expected="104 105"))
    assert again.status_code == 302
    assert [p.start.bib for p in SprintPlacing.objects.filter(race=race, sprint=1)] == [103, 101]


@pytest.mark.django_db
def test_clearing_a_sprint_on_the_entry_screen(timing):
    race = make_mass_start()
    enter_sprint(race, 1, "103 101 106")
    response = timing.post(enter_url(race), sprint_post(1, "103 101 106", expected="103 101 106", action="clear"))
    assert response.status_code == 302
    assert not SprintPlacing.objects.filter(race=race).exists()
    race.refresh_from_db()
    assert race.status == Race.State.START_LIST and snapshot(race)["standings"] == []


@pytest.mark.django_db
def test_the_finish_is_saved_without_times_and_warns_of_ties_that_a_time_would_break(timing):
    race = make_mass_start()
    enter_sprint(race, 4, "101 104 102")
    starts = Start.objects.filter(heat__race=race)
    data = {"heat": "1", "revision": "0", "reason": ""}
    for start in starts:
        data |= {f"time_{start.pk}": "", f"status_{start.pk}": "OK", f"infraction_{start.pk}": ""}
    bosiek = starts.get(bib=110).pk
    data |= {f"time_{bosiek}": "8:40.12"}
    response = timing.post(enter_url(race), data)
    assert response.status_code == 302
    messages = [(m.level_tag, m.message) for m in timing.get(response["Location"]).context["messages"]]
    assert messages[0] == (
        "success",
        "Finish saved: 1. Marijke GROENEWOUD 60 pts; 2. Valerie MALTAIS 40 pts; 3. Ivanie BLONDIN 20 pts.",
    )
    tie = messages[1]
    assert tie[0] == "warning"
    assert tie[1].startswith("Equal points and no finish time: Mia MANGANELLO (103), ")
    assert tie[1].endswith("share rank 5. Type their finish times to separate them.")
    assert "Karolina BOSIEK" not in tie[1]  # the one time typed puts her 4th


@pytest.mark.django_db
def test_the_history_page_reads_sprint_places(timing):
    race = make_mass_start()
    enter_sprint(race, 2, "101 103")
    from django.urls import reverse

    timing.force_login(make_user("head", REFEREE))
    html = page_text(timing.get(reverse("admin:results_race_results_history", args=[race.pk])))
    assert "sprint 2: not placed" in html and "sprint 2: 1st" in html


@pytest.mark.django_db
def test_a_mass_start_gets_the_default_sprint_table_in_the_admin(admin_client):
    competition = make_competition()
    response = admin_client.post(
        "/admin/results/race/add/",
        {
            "competition": competition.pk,
            "order": 1,
            "title": "Men Mass Start",
            "gender": "men",
            "distance": 6400,
            "day": "2025-12-07",
            "format": "mass_start",
            "points_preset": "",
            "points_table": "[]",
            "sprint_points": "",
            "heats-TOTAL_FORMS": "0",
            "heats-INITIAL_FORMS": "0",
            "withdrawals-TOTAL_FORMS": "0",
            "withdrawals-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, page_text(response)
    race = Race.objects.get(title="Men Mass Start")
    assert race.format == "mass_start" and race.sprint_points == [list(p) for p in DEFAULT_SPRINT_POINTS]


def test_bibs_are_read_as_typed():
    assert admin_mass_start.parse_bibs(" 12 7,33 ;4 ") == [12, 7, 33, 4]
    assert admin_mass_start.parse_bibs("") == []


# --- what spectators and broadcasters see ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_board_shows_each_sprints_points_and_the_total_without_pair_or_gap(client):
    race = make_mass_start()
    enter_sprint(race, 1, "103 101 106")
    enter_sprint(race, 2, "101 102")
    html = page_text(client.get(f"/races/{race.pk}/"))
    assert 'data-format="mass_start"' in html  # the stylesheet hides the pair and gap columns on it
    heads = re.findall(r'<th class="col-(?:sprint|race-points)"[^>]*><abbr title="([^"]*)">([^<]*)</abbr>', html)
    assert heads == [
        ("Sprint 1: 3/2/1", "S1"),
        ("Sprint 2: 3/2/1", "S2"),
        ("Sprint 3: 3/2/1", "S3"),
        ("Final sprint: 60/40/20/10/6/3", "Fin"),
        ("Points from the sprints, which rank the race", "Total"),
    ]
    row = re.search(r'<tr class="row[^"]*" data-bib="101"[^>]*>.*?</tr>', html, re.S).group(0)
    cells = re.findall(r'<td class="col-(sprint|race-points)[^"]*">([^<]*)</td>', row)
    assert cells == [("sprint", "2"), ("sprint", "3"), ("sprint", ""), ("sprint", ""), ("race-points", "5")]
    assert 'class="col-sprint has-points is-latest">3<' in row  # sprint 2 was saved last
    assert "Sprint 2 of 4" in html and "None" not in row


@pytest.mark.django_db
def test_the_broadcasters_pages_show_the_total_and_the_latest_sprint(client):
    race = make_mass_start()
    enter_sprint(race, 1, "103 101 106")
    enter_sprint(race, 2, "101 102")
    embed = page_text(client.get(f"/races/{race.pk}/embed/"))
    assert re.findall(r'<th class="f-(\w+)" scope="col">', embed) == [
        "rank",
        "name",
        "nation",
        "race_points",
        "time",
        "records",
    ]
    last = page_text(client.get(f"/races/{race.pk}/overlays/last-heat/"))
    assert '<span class="lt-kicker" data-ref="pair">Sprint 2</span>' in last
    assert re.findall(r'<span class="sprint-gain">([^<]*)</span>', last) == ["+3", "+2"]
    on_ice = page_text(client.get(f"/races/{race.pk}/overlays/on-ice/"))
    assert 'data-ref="panel" hidden' in on_ice  # the whole field is on the ice: nothing to show
    scoreboard = page_text(client.get(f"/races/{race.pk}/scoreboard/"))
    assert '<span class="c-time">5<span class="unit"> Pts</span>' in scoreboard


@pytest.mark.django_db
def test_a_timing_system_reports_the_whole_field_every_lap_and_the_snapshot_follows_the_schema():
    """Twelve skaters on the ice at once, each with their latest passage and splits, as the schema allows."""
    from results.services.timing import TimingPost, timing_post_record
    from tests.support.schema import assert_valid

    race = make_mass_start()
    for lap, base in ((1, "35.10"), (2, "1:05.10")):
        for bib in range(101, 113):
            time_ms = parse_time(base) + 7 * (bib - 100)
            timing_post_record(race=race, post=TimingPost(heat=1, bib=bib, distance=400 * lap, time_ms=time_ms))
        if lap == 1:
            enter_sprint(race, 1, "103 101 106")
    document = snapshot(race)
    assert_valid(document)
    assert len(document["on_ice"][0]["skaters"]) == 12
    leader = document["standings"][0]
    assert (leader["bib"], [split["lap"] for split in leader["splits"]]) == (103, [None, "30.00"])
