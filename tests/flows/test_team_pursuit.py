"""The team pursuit: teams are the entrants (a team with its members), two teams a heat on opposite straights, the
team's time (taken on its third skater) ranks it across heats like an individual race."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from results import selectors
from results.files.startlist_preview import start_list_preview
from results.files.startlists import ERROR_COLUMNS_MEMBERS, start_list_parse, start_list_read
from results.models import Race, ResultChange, Skater, Start
from results.roles import TIMING_OFFICIAL
from results.services import StartListEntry, start_list_create
from results.services.startlists import start_list_import
from tests.support.admin_pages import enter_url, heat_form_html, page_text
from tests.support.factories import (
    enter_heat,
    heat_of,
    make_competition,
    make_race,
    make_team_pursuit,
    make_user,
    start_of,
)
from tests.support.published import snapshot, version

pytestmark = pytest.mark.django_db

NETHERLANDS = ["Joy BEUNE", "Marijke GROENEWOUD", "Antoinette RIJPMA-DE JONG", "Jutta LEERDAM"]


def test_teams_rank_across_heats_on_their_time_with_their_members():
    race = make_team_pursuit()
    enter_heat(race, 1, {1: "2:58.71", 2: "2:57.34"})
    enter_heat(race, 2, {3: "2:55.86", 4: "2:56.02"})
    document = snapshot(race)
    assert document["race"]["format"] == "team_pursuit"
    rows = [
        (r["rank"], r["name"], r["nation"], r["heat"], r["lane"], r["time"], r["behind"], r["points"])
        for r in document["standings"]
    ]
    assert rows == [
        (1, "JAPAN", "JPN", 2, "I", "2:55.86", "", 60),
        (2, "NETHERLANDS", "NED", 2, "O", "2:56.02", "+0.16", 54),
        (3, "CANADA", "CAN", 1, "O", "2:57.34", "+1.48", 48),
        (4, "UNITED STATES", "USA", 1, "I", "2:58.71", "+2.85", 43),
    ]
    members = {r["name"]: r["members"] for r in document["standings"]}
    assert members["NETHERLANDS"] == NETHERLANDS  # in start-list order, the reserve last
    assert members["JAPAN"] == ["Miho TAKAGI", "Ayano SATO", "Momoka HORIKAWA"]


def test_the_teams_still_to_skate_come_with_their_members():
    race = make_team_pursuit()
    enter_heat(race, 1, {1: "2:58.71", 2: "DNF"})
    [heat] = snapshot(race)["next_heats"]
    assert heat["heat"] == 2
    assert [(team["name"], team["lane"], team["members"][0]) for team in heat["skaters"]] == [
        ("JAPAN", "I", "Miho TAKAGI"),
        ("NETHERLANDS", "O", "Joy BEUNE"),
    ]


def test_a_correction_of_a_teams_time_is_in_the_history_and_pushed():
    race = make_team_pursuit()
    official = make_user("tina", TIMING_OFFICIAL)
    enter_heat(race, 2, {3: "2:55.86", 4: "2:56.02"}, by=official)
    before = version(race)
    enter_heat(race, 2, {3: "2:55.86", 4: "2:55.92"}, by=official, reason="third skater's time from the photo finish")
    assert version(race) == before + 1
    [change] = ResultChange.objects.filter(race=race, kind="corrected")
    assert (change.skater, change.old_time_ms, change.new_time_ms) == ("NETHERLANDS (NED)", 176020, 175920)
    row = selectors.race_history(race)[0]
    assert (row.old, row.new, row.reason) == ("2:56.02", "2:55.92", "third skater's time from the photo finish")
    assert snapshot(race)["change"] == {"kind": "correction", "heat": 2, "bibs": [4]}


# --- lineup rules ------------------------------------------------------------------------------------------------


def team(heat: int, lane: str, bib: int, name: str, nation: str, members=("A ONE", "B TWO", "C THREE")):
    return StartListEntry(heat=heat, lane=lane, bib=bib, name=name, nation=nation, members=tuple(members))


def refusal(race: Race, entry: StartListEntry) -> str:
    with pytest.raises(ValidationError) as refused:
        start_list_create(race=race, entries=[entry])
    return refused.value.messages[0]


def test_two_teams_a_heat_one_on_each_straight_and_only_teams():
    race = make_team_pursuit()
    assert "A team pursuit heat holds two teams." in refusal(race, team(1, "", 5, "NORWAY", "NOR"))
    start_list_create(race=race, entries=[team(3, "I", 5, "NORWAY", "NOR")])
    assert "Lane I of heat 3 already has a team: the two teams start on opposite straights" in refusal(
        race, team(3, "I", 6, "POLAND", "POL", members=("D FOUR", "E FIVE", "F SIX"))
    )
    lone = StartListEntry(heat=4, lane="I", bib=7, name="Ragne WIKLUND", nation="NOR")
    assert "Ragne WIKLUND (NOR) is not a team: a team pursuit is skated by teams" in refusal(race, lone)


def test_a_team_needs_three_skaters_or_four_with_a_reserve_each_in_one_team():
    race = make_team_pursuit()
    short = team(3, "I", 5, "NORWAY", "NOR", members=("Ragne WIKLUND", "Sofie KARLSEN"))
    assert "NORWAY needs 3 or 4 skaters (three, and a reserve), not 2." in refusal(race, short)
    # A second Dutch team (club teams at a national championship) cannot borrow the first one's skater.
    assert "Joy BEUNE already skates for NETHERLANDS in this race." in refusal(
        race, team(3, "I", 5, "NETHERLANDS II", "NED", members=("Joy BEUNE", "Femke KOK", "Suzanne SCHULTING"))
    )


def test_a_team_does_not_skate_an_individual_distance():
    race = make_race(draw=())
    Skater.objects.create(name="NETHERLANDS", nation="NED", is_team=True)
    entry = StartListEntry(heat=1, lane="I", bib=1, name="NETHERLANDS", nation="NED")
    assert "NETHERLANDS (NED) is a team: teams skate only team pursuits." in refusal(race, entry)


# --- the start list import ---------------------------------------------------------------------------------------

TEAMS_CSV = """heat,lane,bib,name,nation,members
1,I,1,NORWAY,NOR,Ragne WIKLUND;Sofie KARLSEN;Marte FURNÉE
1,O,2,POLAND,POL,Karolina BOSIEK | Natalia JABRZYK | Zofia BRACHA
2,I,3,JAPAN,JPN,Miho TAKAGI;Ayano SATO;Momoka HORIKAWA
2,O,4,NETHERLANDS,NED,Joy BEUNE;Marijke GROENEWOUD;Antoinette RIJPMA-DE JONG;Jutta LEERDAM
"""


def teams_race() -> Race:
    return Race.objects.create(
        competition=make_competition(),
        title="Women Team Pursuit",
        gender="women",
        distance=2400,
        day="2025-12-06",
        format=Race.Format.TEAM_PURSUIT,
    )


def test_a_team_pursuit_start_list_has_one_line_per_team_with_its_members():
    race = teams_race()
    entries = start_list_read(TEAMS_CSV, race_format="team_pursuit")
    assert entries[1].members == ("Karolina BOSIEK", "Natalia JABRZYK", "Zofia BRACHA")
    summary = start_list_import(race=race, entries=entries, by=None)
    assert (summary.added, summary.new_skaters) == (4, 4)
    netherlands = start_of(race, 4)
    assert netherlands.skater.is_team and netherlands.lane == "O"
    assert [row["members"] for row in snapshot(race)["next_heats"][1]["skaters"]][1] == NETHERLANDS
    # Members skate for the team's nation, and are the same skaters in the individual races.
    assert Skater.objects.get(name="Jutta LEERDAM").nation == "NED"


def test_excel_semicolons_keep_the_members_in_one_quoted_cell():
    text = 'heat;lane;bib;name;nation;members\n1;I;1;NORWAY;NOR;"Ragne WIKLUND;Sofie KARLSEN;Marte FURNÉE"\n'
    [entry] = start_list_read(text, race_format="team_pursuit")
    assert entry.members == ("Ragne WIKLUND", "Sofie KARLSEN", "Marte FURNÉE")


def test_a_team_pursuit_file_is_checked_line_by_line():
    text = """heat,lane,bib,name,nation,members
1,I,1,NORWAY,NOR,Ragne WIKLUND;Sofie KARLSEN
1,I,2,POLAND,POL,Karolina BOSIEK;Natalia JABRZYK;Zofia BRACHA
1,O,3,JAPAN,JPN,Miho TAKAGI;Ayano SATO;Karolina BOSIEK
"""
    assert start_list_parse(text, race_format="team_pursuit").messages == [
        "Line 2: members: a team has 3 or 4 skaters (three, and a reserve), separated by ; or |, not 2.",
        "Line 3: lane I of heat 1 already has a team (line 2): the teams start on opposite straights, one in lane I "
        "and one in lane O.",
        "Line 4: members: Karolina BOSIEK is already in the team on line 3.",
        "Line 4: heat 1 already has two teams (lines 2, 3): a team pursuit heat holds two.",
    ]
    assert start_list_parse("heat,lane,bib,name,nation\n1,I,1,NORWAY,NOR\n", race_format="team_pursuit").messages == [
        ERROR_COLUMNS_MEMBERS
    ]


def test_the_preview_shows_each_teams_members_and_a_new_team_lineup_replaces_the_old():
    race = teams_race()
    start_list_import(race=race, entries=start_list_read(TEAMS_CSV, race_format="team_pursuit"), by=None)
    swapped = TEAMS_CSV.replace("Jutta LEERDAM", "Marit FLEDDERUS")
    preview = start_list_preview(race=race, text=swapped)
    assert [p.change for p in preview.lines] == ["unchanged", "unchanged", "unchanged", "members changed"]
    assert preview.lines[3].line.members == " · ".join([*NETHERLANDS[:3], "Marit FLEDDERUS"])
    start_list_import(race=race, entries=preview.entries, by=None)
    assert snapshot(race)["next_heats"][1]["skaters"][1]["members"][-1] == "Marit FLEDDERUS"


def test_a_mass_start_file_needs_no_heat_or_lane():
    entries = start_list_read(
        "bib,name,nation\n101,Marijke GROENEWOUD,NED\n102,Ivanie BLONDIN,CAN\n", race_format="mass_start"
    )
    assert [(e.heat, e.lane, e.bib) for e in entries] == [(1, "", 101), (1, "", 102)]
    assert start_list_parse(
        "heat,lane,bib,name,nation\n2,I,101,Marijke GROENEWOUD,NED\n", race_format="mass_start"
    ).messages == [
        "Line 2: heat must be 1 or empty in a mass start (one heat), not “2”.",
        "Line 2: lane must be empty in a mass start (no lanes), not “I”.",
    ]
    field = "bib,name,nation\n" + "".join(f"{200 + n},Skater NUMBER{n},NED\n" for n in range(1, 26))
    assert start_list_parse(field, race_format="mass_start").messages == [
        "Line 26: a mass start holds at most 24 skaters (the ISU maximum); this is the 25th."
    ]


# --- the entry screen --------------------------------------------------------------------------------------------


def test_the_entry_screen_takes_each_teams_time_and_shows_its_members(client):
    race = make_team_pursuit()
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    html = heat_form_html(client.get(enter_url(race)), 2)
    assert "NETHERLANDS" in html and " · ".join(NETHERLANDS) in html
    japan, netherlands = start_of(race, 3), start_of(race, 4)
    data = {
        "heat": "2",
        "revision": str(heat_of(race, 2).revision),
        "reason": "",
        f"time_{japan.pk}": "2:55.86",
        f"status_{japan.pk}": "OK",
        f"infraction_{japan.pk}": "",
        f"time_{netherlands.pk}": "2.56,02",
        f"status_{netherlands.pk}": "OK",
        f"infraction_{netherlands.pk}": "",
    }
    response = client.post(enter_url(race), data)
    assert response.status_code == 302
    messages = [m.message for m in client.get(response["Location"]).context["messages"]]
    assert messages == ["Pair 2 saved: JAPAN 2:55.86 (rank 1); NETHERLANDS 2:56.02 (rank 2)."]
    assert Start.objects.get(pk=netherlands.pk).time_ms == 176020
    board = page_text(client.get(f"/races/{race.pk}/"))
    assert '<th class="col-skater" scope="col">Team</th>' in board
    assert '<span class="members">Miho TAKAGI · Ayano SATO · Momoka HORIKAWA</span>' in board


def test_a_teams_passages_come_every_lap_and_give_its_lap_times():
    """A timing system posts the team's time at every lap (the third skater's, as at the finish)."""
    from results.rules.times import parse_time
    from results.services.timing import TimingPost, timing_post_record

    race = make_team_pursuit()
    assert snapshot(race)["race"]["passages"] == [400, 800, 1200, 1600, 2000]  # 6 laps, women
    for distance, time in ((400, "35.20"), (800, "1:03.45"), (1200, "1:31.52"), (1600, "1:59.60"), (2000, "2:27.72")):
        timing_post_record(race=race, post=TimingPost(heat=2, bib=4, distance=distance, time_ms=parse_time(time)))
    enter_heat(race, 2, {3: "2:55.86", 4: "2:56.02"})
    netherlands = next(row for row in snapshot(race)["standings"] if row["bib"] == 4)
    assert [(split["distance"], split["lap"]) for split in netherlands["splits"]] == [
        (400, None),
        (800, "28.25"),
        (1200, "28.07"),
        (1600, "28.08"),
        (2000, "28.12"),
        (2400, "28.30"),
    ]
    men = make_team_pursuit(race.competition, title="Men Team Pursuit", draw=[])
    men.distance = 3200
    men.gender = "men"
    men.save(update_fields=["distance", "gender"])
    from results.services import race_publish

    race_publish(race=men)
    assert snapshot(men)["race"]["passages"] == [400, 800, 1200, 1600, 2000, 2400, 2800]  # 8 laps
