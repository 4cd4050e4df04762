"""Personal bests, season bests and national records: the bests file (command and admin), the PB, SB and NR flags
as the board shows them, and the bests and national records a race sets once it is official."""

import re
from datetime import date
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from results import services
from results.admin.bests_import import MESSAGE_IMPORTED
from results.files.bests import (
    ERROR_DATE,
    ERROR_DISTANCE,
    ERROR_LINE,
    ERROR_NATION,
    ERROR_NO_BEST,
    ERROR_SB_FASTER,
    ERROR_SEASON_DATE,
    ERROR_SEASON_MISSING,
    ERROR_TIME,
    ERROR_TWICE,
    bests_parse,
    parse_season,
)
from results.files.bests_preview import bests_preview
from results.files.skater_matching import (
    ERROR_EXTERNAL_ID_CONFLICT,
    ERROR_UNKNOWN_EXTERNAL_ID,
    MATCH_EXTERNAL_ID,
    MATCH_NEW,
)
from results.models import Race, Record, Skater, SkaterBest
from results.roles import REFEREE, TIMING_OFFICIAL
from results.rules.seasons import season_of
from results.rules.times import TIME_FORMAT_ERROR
from results.services.bests import bests_import
from tests.support.factories import enter_heat, make_race, make_record, make_user
from tests.support.published import snapshot, version
from tests.support.schema import assert_valid

pytestmark = pytest.mark.django_db

State = Race.State
HEADER = "name,nation,distance,pb,pb_date,sb,sb_date,season\n"
# For make_race's PAIRS_500 (women's 500 m on 2025-12-05, season 2025-2026): Anna ALPHA NED 11, Bea BRAVO USA 12,
# Cleo CHARLIE JPN 21, Dana DELTA CAN 22, Eva ECHO NOR 31, Fay FOXTROT AIN 32.
BESTS = HEADER + (
    "Anna ALPHA,NED,500,37.80,2024-11-16,38.10,2025-11-15,2025-2026\n"
    "Bea BRAVO,USA,500,38.00,,,,\n"
    "Cleo CHARLIE,JPN,500,37.50,01.03.2023,37.90,,2025-26\n"
    "Dana DELTA,CAN,500,38.20,,38.50,2025-06-30,\n"  # last season's SB: not the race's season
    "Eva ECHO,NOR,500,38.00,,38.60,2025-07-01,\n"  # this season's, from its first day
    "Zoe ZULU,NED,1000,1:15.00,2025-01-01,,,\n"
)


def imported(text=BESTS):
    preview = bests_preview(text=text)
    assert preview.messages == []
    return bests_import(entries=preview.entries, by=None)


def flags(race):
    return {row["name"]: row["records"] for row in snapshot(race)["standings"]}


def bests_of(name):
    return sorted(
        (b.distance, b.kind, b.time_ms, b.season, b.set_on, b.set_in_race_id)
        for b in SkaterBest.objects.filter(skater__name=name)
    )


@pytest.fixture
def race():
    return make_race()


# --- the season ---------------------------------------------------------------------------------------------------


def test_a_season_turns_on_july_1():
    assert season_of(date(2025, 6, 30)) == "2024-2025"
    assert season_of(date(2025, 7, 1)) == "2025-2026"
    assert season_of(date(2026, 2, 15)) == "2025-2026"
    assert [parse_season(t) for t in ("2025-2026", "2025-26", "2025/2026", "2025-2027", "25-26")] == [
        "2025-2026",
        "2025-2026",
        "2025-2026",
        None,
        None,
    ]


# --- the file -----------------------------------------------------------------------------------------------------


def test_importing_adds_bests_and_unknown_skaters_and_importing_again_updates_them(race):
    preview = bests_preview(text=BESTS)
    assert str(preview.summary) == "10 added, 0 changed, 0 unchanged (1 new skater)"
    assert [p.match.how for p in preview.lines][-1] == MATCH_NEW
    assert preview.lines[0].changes == ("PB 37.80 (2024-11-16) added", "SB 2025-2026 38.10 (2025-11-15) added")
    assert not SkaterBest.objects.exists()  # nothing saved by looking

    assert str(imported()) == "10 added, 0 changed, 0 unchanged (1 new skater)"
    assert bests_of("Anna ALPHA") == [
        (500, "PB", 37800, "", date(2024, 11, 16), None),
        (500, "SB", 38100, "2025-2026", date(2025, 11, 15), None),
    ]
    assert bests_of("Cleo CHARLIE")[0] == (500, "PB", 37500, "", date(2023, 3, 1), None)
    assert bests_of("Dana DELTA")[1][3] == "2024-2025"  # the season of sb_date
    assert Skater.objects.filter(name="Zoe ZULU", nation="NED").exists()

    # Anna skated faster since: a best of a new date, kept beside the old one (which races before it still count).
    # Cleo's PB was typed wrong: same date, corrected. Dana's file PB is dated now but slower than the undated one
    # on file, which the preview says. Bea's line has no PB any more (not known): hers is left as it is.
    again = (
        BESTS.replace("37.80,2024-11-16", "37.70,2025-11-29")
        .replace("37.50,01.03.2023", "37.55,01.03.2023")
        .replace("Dana DELTA,CAN,500,38.20,,", "Dana DELTA,CAN,500,38.30,2025-01-01,")
        .replace("Bea BRAVO,USA,500,38.00,,,,", "Bea BRAVO,USA,500,,,38.30,,2025-2026")
    )
    preview = bests_preview(text=again)
    changes = {p.line.text["name"]: p.changes for p in preview.lines}
    assert changes["Anna ALPHA"] == ("PB 37.70 (2025-11-29) added", "SB 2025-2026 38.10 (2025-11-15) unchanged")
    assert changes["Cleo CHARLIE"][0] == "PB 37.50 → 37.55 (2023-03-01)"
    assert changes["Dana DELTA"][0] == "PB 38.30 (2025-01-01) added (faster on file: 38.20)"
    assert str(imported(again)) == "3 added, 1 changed, 6 unchanged (0 new skaters)"
    assert SkaterBest.objects.count() == 13
    assert [b[1:3] for b in bests_of("Anna ALPHA")] == [("PB", 37700), ("PB", 37800), ("SB", 38100)]
    assert [b[1:3] for b in bests_of("Bea BRAVO")] == [("PB", 38000), ("SB", 38300)]
    assert str(imported(again)) == "0 added, 0 changed, 10 unchanged (0 new skaters)"


def test_every_bad_line_is_named_and_nothing_is_imported(race, tmp_path):
    bad = HEADER + (
        "Anna ALPHA,NED,500,37.8O,,,,\n"
        "Bea BRAVO,US,500,38.00,,,,\n"
        "Cleo CHARLIE,JPN,50,37.50,,,,\n"
        "Dana DELTA,CAN,500,,,,,\n"
        "Eva ECHO,NOR,500,38.00,,37.90,,2025-2026\n"
        "Fay FOXTROT,AIN,500,,,38.00,,\n"
        "Anna ALPHA,NED,1000,1:16.00,,1:16.50,2025-06-30,2025-2026\n"
        "Gina GOLF,KOR,500,38.40,,,,\n"
        "Gina GOLF,KOR,500m,38.30,,,,\n"
        "Hana HOTEL,CHN,500,38.50,31.02.2025,,,\n"
        "Zoe ZULU,NED,500,38.90,,,,\n"  # a good line, and a new skater: not added either
    )
    expected = [
        ERROR_LINE.format(
            line=2, message=ERROR_TIME.format(column="pb", message=TIME_FORMAT_ERROR.format(text="37.8O"))
        ),
        ERROR_LINE.format(line=3, message=ERROR_NATION.format(value="US")),
        ERROR_LINE.format(line=4, message=ERROR_DISTANCE.format(value="50")),
        ERROR_LINE.format(line=5, message=ERROR_NO_BEST),
        ERROR_LINE.format(line=6, message=ERROR_SB_FASTER.format(sb="37.90", pb="38.00")),
        ERROR_LINE.format(line=7, message=ERROR_SEASON_MISSING),
        ERROR_LINE.format(
            line=8, message=ERROR_SEASON_DATE.format(day="2025-06-30", actual="2024-2025", season="2025-2026")
        ),
        ERROR_LINE.format(line=10, message=ERROR_TWICE.format(skater="Gina GOLF (KOR)", distance=500, other=9)),
        ERROR_LINE.format(line=11, message=ERROR_DATE.format(column="pb_date", value="31.02.2025")),
    ]
    assert bests_parse(bad).messages == expected

    path = tmp_path / "bests.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_bests", str(path))
    assert str(error.value).splitlines() == expected
    assert not SkaterBest.objects.exists()
    assert not Skater.objects.filter(name="Zoe ZULU").exists()


def test_a_file_without_the_columns_it_needs_is_refused_whole():
    assert bests_parse("name,distance,pb\nAnna ALPHA,500,37.80\n").messages == [
        "Line 1: the header needs the columns name and nation (or external_id)."
    ]
    assert bests_parse("").messages[0].startswith("The file has no bests")


def test_a_file_with_the_line_endings_of_excel_for_mac_is_read():
    """Lines ended by a lone carriage return, as Excel saves a "CSV (Macintosh)": read, not a server error."""
    parsed = bests_parse(BESTS.replace("\n", "\r"))
    assert parsed.messages == []
    assert [entry.line for entry in parsed.entries] == [2, 3, 4, 5, 6, 7]
    assert bests_parse("a\rb").messages == [
        "Line 1: the header needs the columns distance, name and nation (or external_id), pb or sb."
    ]


def test_skaters_are_matched_by_external_id_first_and_an_unknown_id_alone_is_an_error(race):
    Skater.objects.filter(name="Anna ALPHA").update(external_id="ISU-11")
    Skater.objects.filter(name="Bea BRAVO").update(external_id="ISU-12")
    text = (
        "external_id,name,nation,distance,pb\n"
        "ISU-11,,,500,37.70\n"  # the id alone finds Anna
        "ISU-99,,,500,37.70\n"  # nobody: the line cannot add a skater without a name
        "ISU-98,Bea BRAVO,USA,1000,1:16.00\n"  # Bea by name, but she has another id
    )
    preview = bests_preview(text=text)
    assert preview.lines[0].match.how == MATCH_EXTERNAL_ID
    assert preview.messages == [
        ERROR_LINE.format(line=3, message=ERROR_UNKNOWN_EXTERNAL_ID.format(external_id="ISU-99")),
        ERROR_LINE.format(
            line=4, message=ERROR_EXTERNAL_ID_CONFLICT.format(skater="Bea BRAVO (USA)", known="ISU-12", given="ISU-98")
        ),
    ]
    assert str(imported("external_id,distance,pb\nISU-11,500,37.70\n")).startswith("1 added")
    assert bests_of("Anna ALPHA") == [(500, "PB", 37700, "", None, None)]


def test_the_command_says_what_it_would_do_and_a_dry_run_imports_nothing(race, tmp_path, capsys):
    path = tmp_path / "bests.csv"
    path.write_text(BESTS, encoding="utf-8")
    call_command("import_bests", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "6 lines, 6 skaters: 10 added, 0 changed, 0 unchanged (1 new skater)" in out
    assert "line 7: new skater Zoe ZULU (NED)" in out and "dry run: nothing imported" in out
    assert not SkaterBest.objects.exists()

    call_command("import_bests", str(path))
    assert "imported: 10 added" in capsys.readouterr().out
    call_command("import_bests", str(path))
    assert "imported: 0 added, 0 changed, 10 unchanged" in capsys.readouterr().out
    assert SkaterBest.objects.count() == 10


# --- the flags ------------------------------------------------------------------------------------------------------


def test_pb_and_sb_flags_at_the_moment_skated_with_the_season_boundary(race):
    imported()
    before = version(race)
    enter_heat(race, 1, {11: "37.95", 12: "37.99"})
    enter_heat(race, 2, {21: "37.90", 22: "38.40"})
    enter_heat(race, 3, {31: "38.50", 32: "38.00"})
    assert version(race) == before + 3
    assert flags(race) == {
        "Cleo CHARLIE": [],  # 37.90 equals her SB; her PB is 37.50
        "Anna ALPHA": ["SB"],  # 37.95: better than this season's 38.10, not her PB 37.80
        "Bea BRAVO": ["PB", "SB"],  # 37.99 beats her PB 38.00; a new PB is an SB
        "Fay FOXTROT": [],  # no bests known
        "Dana DELTA": [],  # 38.40: her 38.50 was last season's (2025-06-30); PB 38.20
        "Eva ECHO": ["SB"],  # 38.50 beats the 38.60 skated on 2025-07-01, this season
    }


def test_an_imported_best_counts_from_the_day_after_its_date(race):
    # The race is on 2025-12-05. A list compiled after the event has the bests skated in it, dated that day: they
    # must not take the race's own flags away.
    imported(HEADER + "Bea BRAVO,USA,500,38.00,2025-01-01,,,\nCleo CHARLIE,JPN,500,38.00,2025-12-04,,,\n")
    imported(HEADER + "Anna ALPHA,NED,500,37.50,2025-12-06,,,\nBea BRAVO,USA,500,37.96,2025-12-05,,,\n")
    enter_heat(race, 1, {11: "37.95", 12: "37.96"})
    enter_heat(race, 2, {21: "37.99", 22: "38.40"})
    # Anna's 37.50 came the day after: for this race her PB is not known. Bea's 37.96 was this race's own.
    assert flags(race) == {"Anna ALPHA": [], "Bea BRAVO": ["PB", "SB"], "Cleo CHARLIE": ["PB", "SB"], "Dana DELTA": []}
    imported(HEADER + "Cleo CHARLIE,JPN,500,37.90,,,,\n")  # undated: counts for every race
    assert flags(race)["Cleo CHARLIE"] == []


NATIONS_DRAW = [
    (1, "I", 11, "Anna ALPHA", "NED"),
    (1, "O", 12, "Bea BRAVO", "USA"),
    (2, "I", 21, "Iris INDIA", "NED"),
    (2, "O", 22, "Jet JULIET", "NED"),
    (3, "I", 31, "Kim KILO", "NED"),
    (3, "O", 32, "Lot LIMA", "USA"),
]


def test_a_national_record_falls_to_a_compatriot_in_an_earlier_pair_and_stands_once_official():
    make_record("NR", "37.60", holder="Old DUTCH", nation="NED", set_on=date(2020, 1, 1))
    make_record("NR", "37.00", holder="Old AMERICAN", nation="USA", set_on=date(2020, 1, 1))
    make_record("NR", "37.10", holder="Men's record", nation="NED", set_on=date(2020, 1, 1), gender="men")
    race = make_race(draw=NATIONS_DRAW)
    later = make_race(race.competition, title="Women 500m, race 2", draw=[(1, "I", 1, "Kim KILO", "NED")])
    enter_heat(race, 1, {11: "37.55", 12: "37.20"})
    enter_heat(race, 2, {21: "37.58", 22: "37.50"})
    enter_heat(race, 3, {31: "37.52", 32: "37.30"})
    # Pair 2: Iris 37.58 is not faster than Anna's 37.55 from pair 1, Jet's 37.50 is; pair 3: Kim's 37.52 is
    # slower than Jet's. The women's record, not the men's 37.10, is the mark; nobody beat the American 37.00.
    assert {r["name"]: r["records"] for r in snapshot(race)["standings"]} == {
        "Bea BRAVO": [],
        "Lot LIMA": [],
        "Jet JULIET": ["NR"],
        "Kim KILO": [],
        "Anna ALPHA": ["NR"],
        "Iris INDIA": [],
    }
    assert [r["kind"] for r in snapshot(race)["standing_records"]] == []  # national records stand per nation

    referee = make_user("rafa", REFEREE)
    services.race_status_set(race=race, status=State.OFFICIAL, by=referee)
    record = Record.objects.get(set_in_race=race)
    assert (record.kind, record.nation, record.holder, record.time_ms, record.venue) == (
        "NR",
        "NED",
        "Jet JULIET",
        37500,
        None,
    )
    enter_heat(later, 1, {1: "37.52"})  # would have beaten 37.60; not Jet's 37.50
    assert snapshot(later)["standings"][0]["records"] == []
    services.race_status_set(race=race, status=State.UNOFFICIAL, by=referee, reason="timing fault")
    assert not Record.objects.filter(set_in_race=race).exists()
    assert snapshot(later)["standings"][0]["records"] == ["NR"]


def test_new_bests_stand_once_the_race_is_official_and_are_withdrawn_when_it_is_reopened(race):
    imported()
    later = make_race(race.competition, title="Women 500m, race 2", draw=[(1, "I", 1, "Bea BRAVO", "USA")])
    later.day = date(2025, 12, 6)
    later.save()
    enter_heat(later, 1, {1: "37.98"})
    assert snapshot(later)["standings"][0]["records"] == ["PB", "SB"]  # against her PB of 38.00

    enter_heat(race, 1, {11: "37.95", 12: "37.97"})
    enter_heat(race, 2, {21: "37.90", 22: "38.40"})
    enter_heat(race, 3, {31: "38.50", 32: "38.00"})
    referee = make_user("rafa", REFEREE)
    later_version = version(later)
    services.race_status_set(race=race, status=State.OFFICIAL, by=referee)

    assert bests_of("Bea BRAVO") == [
        (500, "PB", 37970, "", date(2025, 12, 5), race.pk),
        (500, "PB", 38000, "", None, None),
        (500, "SB", 37970, "2025-2026", date(2025, 12, 5), race.pk),
    ]
    assert [b for b in bests_of("Anna ALPHA") if b[5]] == [(500, "SB", 37950, "2025-2026", date(2025, 12, 5), race.pk)]
    assert SkaterBest.objects.filter(set_in_race=race).count() == 4  # Anna SB, Bea PB and SB, Eva SB
    assert version(later) > later_version
    assert snapshot(later)["standings"][0]["records"] == []  # 37.98 no longer beats her PB, now 37.97
    assert flags(race)["Bea BRAVO"] == ["PB", "SB"]  # its own bests do not count against it

    services.race_status_set(race=race, status=State.PROTESTED, by=referee, reason="protest, pair 1")
    assert not SkaterBest.objects.filter(set_in_race=race).exists()
    assert snapshot(later)["standings"][0]["records"] == ["PB", "SB"]
    services.race_status_set(race=race, status=State.OFFICIAL, by=referee)
    assert SkaterBest.objects.filter(set_in_race=race).count() == 4


def test_snapshots_with_nr_pb_and_sb_flags_follow_the_feed_schema(race):
    imported()
    make_record("NR", "38.05", holder="Old AMERICAN", nation="USA", set_on=date(2020, 1, 1))
    make_record("WR", "36.36")
    enter_heat(race, 1, {11: "37.95", 12: "37.99"})
    document = snapshot(race)
    assert document["standings"][0]["records"] == ["SB"]
    assert document["standings"][1]["records"] == ["NR", "PB", "SB"]
    assert_valid(document)


# --- the admin ------------------------------------------------------------------------------------------------------


def upload(client, text, name="bests.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("admin:results_skaterbest_import"), {"file": file})


def hidden_text(response):
    match = re.search(r'<input type="hidden" name="text" value="([^"]*)"', response.content.decode())
    assert match, "no Confirm import form"
    return unescape(match.group(1))


def test_admin_upload_preview_confirm_imports_the_bests_and_republishes_open_races(admin_client, race):
    changelist = admin_client.get(reverse("admin:results_skaterbest_changelist"))
    assert 'id="import-bests-link"' in changelist.content.decode()
    before = version(race)

    preview = upload(admin_client, BESTS)
    html = unescape(preview.content.decode())
    assert preview.status_code == 200
    assert "10 added, 0 changed, 0 unchanged (1 new skater)" in html
    assert "PB 37.80 (2024-11-16) added; SB 2025-2026 38.10 (2025-11-15) added" in html
    assert not SkaterBest.objects.exists()

    done = admin_client.post(
        reverse("admin:results_skaterbest_import_confirm"), {"text": hidden_text(preview), "filename": "bests.csv"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:results_skaterbest_changelist")
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        MESSAGE_IMPORTED.format(summary="10 added, 0 changed, 0 unchanged (1 new skater)")
    ]
    assert SkaterBest.objects.count() == 10
    assert version(race) == before + 1  # its skaters' bests changed: flags to come may differ


def test_admin_preview_of_a_bad_file_names_the_lines_and_offers_no_confirm(admin_client, race):
    preview = upload(admin_client, HEADER + "Anna ALPHA,NED,500,,,,,\nBea BRAVO,USA,500,38.00,,,,\n")
    html = unescape(preview.content.decode())
    assert ERROR_LINE.format(line=2, message=ERROR_NO_BEST) in html
    assert "Nothing has been imported" in html
    assert 'id="bests-confirm"' not in html


def test_only_users_who_may_change_bests_import_them(client, race):
    client.force_login(make_user("tina", TIMING_OFFICIAL))
    assert client.get(reverse("admin:results_skaterbest_import")).status_code == 403
    assert client.post(reverse("admin:results_skaterbest_import_confirm"), {"text": BESTS}).status_code == 403
    assert not SkaterBest.objects.exists()


def test_a_best_changed_by_hand_in_the_admin_republishes_the_skaters_open_race(admin_client, race):
    imported()
    enter_heat(race, 1, {11: "37.95", 12: "37.99"})
    best = SkaterBest.objects.get(skater__name="Bea BRAVO", kind="PB")
    response = admin_client.post(
        reverse("admin:results_skaterbest_change", args=[best.pk]),
        {
            "skater": best.skater_id,
            "distance": 500,
            "kind": "PB",
            "time": "37.90",
            "season": "",
            "set_on": "2025-01-10",
            "set_in_race": "",
        },
    )
    assert response.status_code == 302
    assert flags(race)["Bea BRAVO"] == []


# --- the demo -------------------------------------------------------------------------------------------------------


def test_the_demo_bests_belong_to_its_skaters_and_its_replay_shows_pb_and_sb_flags():
    from results.demo import setup as demo
    from results.demo.replay import heat_results_replay

    races = demo.demo_competition()
    assert not SkaterBest.objects.filter(skater__starts__isnull=True).exists()  # every name matched a skater
    women_500 = races[0]
    heat_results_replay(race=women_500.race, rows=women_500.rows)
    shown = flags(women_500.race)
    assert shown["Femke KOK"] == ["WR", "TR", "PB", "SB"]
    assert (shown["Na-Hyun LEE"], shown["Anna BOERSMA"], shown["Jutta LEERDAM"]) == (["PB", "SB"], ["SB"], [])

    count = SkaterBest.objects.count()
    demo.demo_competition()  # the demo starts again: nothing added twice
    assert SkaterBest.objects.count() == count == 25
