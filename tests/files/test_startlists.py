"""Start lists imported from CSV: every bad line named, the draw replaced before the race, skaters never doubled."""

import pytest
from django.core.exceptions import ValidationError

from results.files.skater_matching import (
    ERROR_EXTERNAL_ID_CONFLICT,
    MATCH_EXTERNAL_ID,
    MATCH_NAME,
    MATCH_NAME_ADDS_ID,
    MATCH_NEW,
)
from results.files.startlist_preview import ERROR_HAS_RESULTS, StartListSummary, start_list_preview
from results.files.startlists import (
    ERROR_BIB_TWICE,
    ERROR_COLUMNS,
    ERROR_EMPTY,
    ERROR_HEAT_FULL,
    ERROR_HEAT_MISSING,
    ERROR_LANE,
    ERROR_LANE_FULL,
    ERROR_NAME,
    ERROR_NATION,
    ERROR_NOT_TEXT,
    ERROR_NUMBER,
    ERROR_SKATER_TWICE,
    ERROR_WITHDRAWN_LANE,
    StartListInvalid,
    decode_start_list,
    start_list_parse,
    start_list_read,
)
from results.models import Race, Skater, Start
from results.roles import TIMING_OFFICIAL
from results.services.startlists import ERROR_NOT_ALLOWED, start_list_import
from tests.support.factories import enter_heat, make_competition, make_race, make_user
from tests.support.paths import DATA
from tests.support.published import snapshot, version

pytestmark = pytest.mark.django_db


DRAW = """heat,lane,bib,name,nation
1,I,11,Anna ALPHA,NED
1,O,12,Bea BRAVO,USA
2,I,21,Cleo CHARLIE,JPN
2,O,22,Dana DELTA,CAN
3,I,31,Eva ECHO,NOR
3,O,32,Fay FOXTROT,AIN
4,I,41,Gina GOLF,ITA
"""


def draw_of(race):
    """``{bib: (heat, lane, name, nation)}`` as saved."""
    starts = Start.objects.filter(heat__race=race).select_related("heat", "skater")
    return {s.bib: (s.heat.number, s.lane, s.skater.name, s.skater.nation) for s in starts}


def import_text(race, text, by=None):
    return start_list_import(race=race, entries=start_list_read(text), by=by)


@pytest.fixture
def race():
    return make_race(draw=())


# --- a good file -------------------------------------------------------------------------------------------------


def test_a_good_file_becomes_the_draw_and_is_published_once(race):
    before = version(race)

    summary = import_text(race, DRAW)

    assert summary == StartListSummary(added=7, updated=0, removed=0, unchanged=0, new_skaters=7)
    assert str(summary) == "7 added, 0 changed, 0 removed, 0 unchanged (7 new skaters)"
    assert draw_of(race) == {
        11: (1, "I", "Anna ALPHA", "NED"),
        12: (1, "O", "Bea BRAVO", "USA"),
        21: (2, "I", "Cleo CHARLIE", "JPN"),
        22: (2, "O", "Dana DELTA", "CAN"),
        31: (3, "I", "Eva ECHO", "NOR"),
        32: (3, "O", "Fay FOXTROT", "AIN"),
        41: (4, "I", "Gina GOLF", "ITA"),
    }
    assert version(race) == before + 1
    published = snapshot(race)
    assert published["change"] == {"kind": "start_list", "heat": None, "bibs": []}
    assert published["race"]["status"] == Race.State.START_LIST
    assert published["race"]["heats"] == 4
    assert published["standings"] == []
    assert [heat.pop("eta") for heat in published["next_heats"]] == [None] * 3  # no scheduled start: no estimate
    for heat in published["next_heats"]:
        for skater in heat["skaters"]:
            assert skater.pop("skater") == Skater.objects.get(name=skater["name"]).pk
    assert published["next_heats"] == [
        {
            "heat": 1,
            "skaters": [
                {"bib": 11, "name": "Anna ALPHA", "nation": "NED", "lane": "I"},
                {"bib": 12, "name": "Bea BRAVO", "nation": "USA", "lane": "O"},
            ],
        },
        {
            "heat": 2,
            "skaters": [
                {"bib": 21, "name": "Cleo CHARLIE", "nation": "JPN", "lane": "I"},
                {"bib": 22, "name": "Dana DELTA", "nation": "CAN", "lane": "O"},
            ],
        },
        {
            "heat": 3,
            "skaters": [
                {"bib": 31, "name": "Eva ECHO", "nation": "NOR", "lane": "I"},
                {"bib": 32, "name": "Fay FOXTROT", "nation": "AIN", "lane": "O"},
            ],
        },
    ]


def test_case_spaces_pair_column_and_a_quartet_heat_are_read_as_officials_mean_them(race):
    text = """ PAIR , Lane ,Bib,NAME,Nation
1,i,11,  Anna   ALPHA ,ned
1,,12,Bea BRAVO,usa

2,I,21,Cleo CHARLIE,JPN
2,I,22,Dana DELTA,CAN
2,O,23,Eva ECHO,NOR
2,O,24,Fay FOXTROT,AIN
"""
    import_text(race, text)

    assert draw_of(race) == {
        11: (1, "I", "Anna ALPHA", "NED"),
        12: (1, "", "Bea BRAVO", "USA"),
        21: (2, "I", "Cleo CHARLIE", "JPN"),
        22: (2, "I", "Dana DELTA", "CAN"),
        23: (2, "O", "Eva ECHO", "NOR"),
        24: (2, "O", "Fay FOXTROT", "AIN"),
    }


def test_semicolons_and_a_byte_order_mark_as_excel_writes_them(race):
    data = "\ufeffHeat;Lane;Bib;Name;Nation\r\n1;I;11;Ødegaard ØYVIND;NOR\r\n1;O;12;Bea BRAVO, Jr.;USA\r\n;;;;\r\n"

    import_text(race, decode_start_list(data.encode("utf-8")))

    assert draw_of(race) == {11: (1, "I", "Ødegaard ØYVIND", "NOR"), 12: (1, "O", "Bea BRAVO, Jr.", "USA")}


def test_a_file_that_is_not_utf8_is_refused_with_what_to_do():
    with pytest.raises(StartListInvalid) as refused:
        decode_start_list("heat,lane,bib,name,nation\n1,I,11,Øyvind,NOR\n".encode("latin-1"))
    assert refused.value.messages == [ERROR_NOT_TEXT]


def test_an_official_result_list_is_a_start_list_too(race):
    path = DATA / "wc1-salt-lake-city-2025-11-15-men-1500-a.csv"
    sheet = path.read_text(encoding="utf-8").splitlines()[1:]

    summary = import_text(race, path.read_text(encoding="utf-8"))

    assert summary.added == len(sheet)
    expected = {}
    for line in sheet:
        _rank, bib, name, nation, pair, lane, *_results = line.split(",")
        expected[int(bib)] = (int(pair), lane, name, nation)
    assert draw_of(race) == expected
    assert Start.objects.filter(heat__race=race).exclude(status="").count() == 0  # the results are ignored


# --- bad files ---------------------------------------------------------------------------------------------------


def test_every_bad_line_is_named_with_what_was_expected_and_nothing_is_imported(race):
    text = """heat,lane,bib,name,nation
1,I,11,Anna ALPHA,NED
one,O,12,Bea BRAVO,USA
2,X,21,Cleo CHARLIE,JPN
2,O,2b,Dana DELTA,CAN
3,I,31,Eva ECHO,NL
3,O,32,,AIN
4,I,11,Gina GOLF,ITA
4,O,42,Anna ALPHA,ned
5,I,51,Hana HOTEL,GER
5,I,52,Ida INDIA,POL
5,I,53,Jo JULIET,CZE
5,O,54,Kim KILO,KOR
5,O,55,Lea LIMA,LAT
,I,61,Mia MIKE,SUI
"""
    expected = [
        "Line 3: " + ERROR_NUMBER.format(column="heat", example="1, 2 or 3", value="one", largest=999),
        "Line 4: " + ERROR_LANE.format(value="X"),
        "Line 5: " + ERROR_NUMBER.format(column="bib", example="117", value="2b", largest=99999),
        "Line 6: " + ERROR_NATION.format(value="NL"),
        "Line 7: " + ERROR_NAME,
        "Line 8: " + ERROR_BIB_TWICE.format(bib=11, other=2),
        "Line 9: " + ERROR_SKATER_TWICE.format(skater="Anna ALPHA (NED)", other=2),
        "Line 12: " + ERROR_LANE_FULL.format(lane="I", heat=5, lines="10, 11"),
        "Line 14: " + ERROR_HEAT_FULL.format(heat=5, lines="10, 11, 12, 13"),
        "Line 15: " + ERROR_HEAT_MISSING.format(largest=999),
    ]
    assert start_list_parse(text).messages == expected
    assert expected[0] == "Line 3: heat must be a whole number from 1 to 999, such as 1, 2 or 3, not “one”."
    assert expected[7] == (
        "Line 12: lane I of heat 5 already has two skaters (lines 10, 11): a lane holds at most two."
    )
    with pytest.raises(StartListInvalid) as refused:
        start_list_read(text)
    assert refused.value.messages == expected
    assert not Start.objects.filter(heat__race=race).exists()
    assert start_list_preview(race=race, text=text).messages == expected


def test_missing_columns_and_empty_files_say_what_the_header_needs():
    assert start_list_parse("bib,name,nation\n11,Anna ALPHA,NED\n").messages == [
        ERROR_COLUMNS.format(missing="heat (or pair), lane are")
    ]
    assert start_list_parse("pair;bib;name;nation\n").messages == [ERROR_COLUMNS.format(missing="lane is")]
    assert start_list_parse("heat,lane,bib,name,nation\n").messages == [ERROR_EMPTY]
    assert start_list_parse("\n\n").messages == [ERROR_EMPTY]
    assert ERROR_COLUMNS.format(missing="lane is") == (
        "Line 1: the header needs the columns heat (or pair), lane, bib, name and nation; lane is missing."
    )


# --- re-importing a corrected draw --------------------------------------------------------------------------------


def test_a_corrected_draw_replaces_the_old_one_without_doubling_skaters(race):
    import_text(race, DRAW)
    skaters_before = Skater.objects.count()
    starts_before = {s.bib: s.pk for s in Start.objects.filter(heat__race=race)}
    before = version(race)
    # Pair 1 swaps lanes; Dana is replaced by Hana; Fay is out; Ida joins pair 4; Eva moves to pair 4 with bib 33.
    corrected = """heat,lane,bib,name,nation
1,O,11,Anna ALPHA,NED
1,I,12,Bea BRAVO,USA
2,I,21,Cleo CHARLIE,JPN
2,O,22,Hana HOTEL,GER
4,I,41,Gina GOLF,ITA
4,O,33,Eva ECHO,NOR
5,I,51,Ida INDIA,POL
"""
    preview = start_list_preview(race=race, text=corrected)
    assert [(p.line.line, p.match.how, p.change) for p in preview.lines] == [
        (2, MATCH_NAME, "lane I → O"),
        (3, MATCH_NAME, "lane O → I"),
        (4, MATCH_NAME, "unchanged"),
        (5, MATCH_NEW, "added"),
        (6, MATCH_NAME, "unchanged"),
        (7, MATCH_NAME, "heat 3 → 4, lane I → O, bib 31 → 33"),
        (8, MATCH_NEW, "added"),
    ]
    assert [str(start.skater) for start in preview.removed] == ["Dana DELTA (CAN)", "Fay FOXTROT (AIN)"]

    summary = import_text(race, corrected)

    assert summary == StartListSummary(added=2, updated=3, removed=2, unchanged=2, new_skaters=2)
    assert preview.summary == summary
    assert draw_of(race) == {
        11: (1, "O", "Anna ALPHA", "NED"),
        12: (1, "I", "Bea BRAVO", "USA"),
        21: (2, "I", "Cleo CHARLIE", "JPN"),
        22: (2, "O", "Hana HOTEL", "GER"),
        41: (4, "I", "Gina GOLF", "ITA"),
        33: (4, "O", "Eva ECHO", "NOR"),
        51: (5, "I", "Ida INDIA", "POL"),
    }
    assert Skater.objects.count() == skaters_before + 2  # Hana and Ida; Dana and Fay stay in the system
    assert sorted(race.heats.values_list("number", flat=True)) == [1, 2, 4, 5]  # pair 3 is empty, so it goes
    kept = {s.bib: s.pk for s in Start.objects.filter(heat__race=race)}
    assert kept[11] == starts_before[11] and kept[21] == starts_before[21]  # moved, not recreated
    assert version(race) == before + 1


def test_two_skaters_can_swap_bibs_and_heats_in_one_import(race):
    import_text(race, DRAW)
    swapped = DRAW.replace("1,I,11,Anna", "3,I,31,Anna").replace("3,I,31,Eva", "1,I,11,Eva")

    summary = import_text(race, swapped)

    assert summary.updated == 2
    assert draw_of(race)[11] == (1, "I", "Eva ECHO", "NOR")
    assert draw_of(race)[31] == (3, "I", "Anna ALPHA", "NED")


def test_importing_is_refused_once_the_race_has_a_result(race):
    import_text(race, DRAW)
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    race.refresh_from_db()
    before, drawn = version(race), draw_of(race)
    refusal = ERROR_HAS_RESULTS.format(race=race, status="live")

    with pytest.raises(ValidationError) as refused:
        import_text(race, DRAW.replace("Gina GOLF", "Gia GOLF"))

    assert refused.value.messages == [refusal]
    assert refusal == (
        "Women 500m Division A is live: a start list can only be imported before the first result; "
        "enter changes pair by pair."
    )
    assert start_list_preview(race=race, text=DRAW).messages == [refusal]
    assert (version(race), draw_of(race)) == (before, drawn)


def test_only_officials_who_keep_the_draw_may_import(race):
    with pytest.raises(ValidationError) as refused:
        import_text(race, DRAW, by=make_user("visitor"))
    assert refused.value.messages == [ERROR_NOT_ALLOWED]

    import_text(race, DRAW, by=make_user("tina", TIMING_OFFICIAL))
    assert len(draw_of(race)) == 7


# --- the same skater in every race ----------------------------------------------------------------------------


def test_external_ids_match_skaters_first_and_are_added_to_skaters_found_by_name(race):
    leerdam = Skater.objects.create(name="Jutta LEERDAM", nation="NED", external_id="ISU-1")
    kok = Skater.objects.create(name="Femke KOK", nation="NED")
    text = """heat,lane,bib,name,nation,external_id
1,I,11,Jutta Leerdam,NED,ISU-1
1,O,12,Femke KOK,NED,ISU-2
2,I,21,Miho TAKAGI,JPN,ISU-3
2,O,22,Erin JACKSON,USA,
"""
    preview = start_list_preview(race=race, text=text)
    assert [p.match.how for p in preview.lines] == [MATCH_EXTERNAL_ID, MATCH_NAME_ADDS_ID, MATCH_NEW, MATCH_NEW]

    import_text(race, text)

    kok.refresh_from_db()
    assert kok.external_id == "ISU-2"
    assert Start.objects.get(heat__race=race, bib=11).skater == leerdam  # the system's spelling stays
    assert Skater.objects.get(external_id="ISU-3").name == "Miho TAKAGI"
    assert Skater.objects.count() == 4


def test_a_skater_known_under_another_external_id_is_a_line_to_correct(race):
    Skater.objects.create(name="Femke KOK", nation="NED", external_id="ISU-2")
    text = "heat,lane,bib,name,nation,external_id\n1,I,11,Femke KOK,NED,ISU-9\n"

    conflict = ERROR_EXTERNAL_ID_CONFLICT.format(skater="Femke KOK (NED)", known="ISU-2", given="ISU-9")
    assert start_list_preview(race=race, text=text).messages == [f"Line 2: {conflict}"]
    with pytest.raises(ValidationError) as refused:
        import_text(race, text)
    assert refused.value.messages == [f"Line 2: {conflict}"]
    assert not Start.objects.filter(heat__race=race).exists()


def test_one_skater_is_one_skater_across_the_races_of_a_competition():
    competition = make_competition()
    first = make_race(competition, draw=())
    second = make_race(competition, title="Women 1000m Division A", distance=1000, draw=())
    import_text(first, DRAW)
    skaters = Skater.objects.count()

    import_text(second, DRAW.replace("1,I,11", "9,I,11"))

    assert Skater.objects.count() == skaters
    leading = Start.objects.get(heat__race=first, bib=11).skater
    assert Start.objects.get(heat__race=second, bib=11).skater == leading


def numbered_draw(lines: int, *, shift: int = 0) -> str:
    rows = ["heat,lane,bib,name,nation"]
    for index in range(lines):
        place = (index + shift) % lines
        rows.append(f"{place // 2 + 1},{'IO'[place % 2]},{place + 1},Skater NUMBER{index:04d},NED")
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("lines", [40, 400])
def test_an_import_asks_the_database_the_same_few_times_however_long_the_draw(
    race, lines, django_assert_max_num_queries
):
    """A draw is checked in memory and written in bulk: 400 lines cost what 40 do (each line's own model checks,
    which read the race's starts again, once made confirming 1,000 lines take 45 s on the write lock)."""
    start_list_import(race=race, entries=start_list_read(numbered_draw(lines)), by=None)
    with django_assert_max_num_queries(40):
        start_list_import(race=race, entries=start_list_read(numbered_draw(lines, shift=2)), by=None)
    assert Start.objects.filter(heat__race=race).count() == lines
    assert Start.objects.get(heat__race=race, skater__name="Skater NUMBER0000").bib == 3


# --- skaters who withdrew before the draw --------------------------------------------------------------------------

WITH_WITHDRAWALS = """pair,lane,bib,name,nation,status
1,I,11,Anna ALPHA,NED,
1,O,12,Bea BRAVO,USA,
,,21,Cleo CHARLIE,JPN,WDR
2,I,22,Dana DELTA,CAN,
"""


def test_a_skater_withdrawn_before_the_draw_is_in_the_race_in_no_pair(race):
    summary = import_text(race, WITH_WITHDRAWALS)

    assert str(summary) == "3 added, 0 changed, 0 removed, 0 unchanged, 1 withdrawn before the draw (4 new skaters)"
    assert sorted(draw_of(race)) == [11, 12, 22]
    assert [(w.bib, w.skater.name) for w in race.withdrawals.all()] == [(21, "Cleo CHARLIE")]
    published = snapshot(race)
    assert published["race"]["heats"] == 2
    assert [(row["bib"], row["heat"], row["lane"], row["status"]) for row in published["standings"]] == [
        (21, None, None, "WDR")
    ]


def test_a_drawn_skater_who_withdraws_before_the_race_leaves_the_pair_in_a_new_import(race):
    import_text(race, DRAW)
    no_status = DRAW.replace("2,I,21,Cleo CHARLIE,JPN", ",,21,Cleo CHARLIE,JPN")
    # Without a status column a line without a pair is a mistake, not a withdrawal.
    assert start_list_preview(race=race, text=no_status).messages == [
        f"Line 4: {ERROR_HEAT_MISSING.format(largest=999)}"
    ]

    text = "heat,lane,bib,name,nation,status\n" + "\n".join(
        f"{line},WDR" if "Cleo" in line else f"{line}," for line in DRAW.splitlines()[1:]
    ).replace("2,I,21,Cleo CHARLIE,JPN", ",,21,Cleo CHARLIE,JPN")
    preview = start_list_preview(race=race, text=text)
    assert [str(start.skater) for start in preview.removed] == ["Cleo CHARLIE (JPN)"]
    assert [p.change for p in preview.lines if p.line.withdrawn] == ["withdrew before the draw"]

    summary = import_text(race, text)

    assert preview.summary == summary
    assert (summary.removed, summary.withdrawn) == (1, 1)
    assert 21 not in draw_of(race) and [w.bib for w in race.withdrawals.all()] == [21]


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (",,21,Cleo CHARLIE,JPN,", ERROR_HEAT_MISSING.format(largest=999)),
        (",I,21,Cleo CHARLIE,JPN,WDR", ERROR_WITHDRAWN_LANE.format(value="I")),
        (",,12,Cleo CHARLIE,JPN,WDR", ERROR_BIB_TWICE.format(bib=12, other=3)),
    ],
)
def test_a_line_without_a_pair_is_a_withdrawal_only_when_it_says_so(race, line, error):
    text = "pair,lane,bib,name,nation,status\n1,I,11,Anna ALPHA,NED,\n1,O,12,Bea BRAVO,USA,\n" + line + "\n"
    assert start_list_parse(text).messages == [f"Line 4: {error}"]
