"""The printed documents (docs/officials.md, "Printing the result list"): a replayed official World Cup race's result
list, read back as text, lists every row in the official order with the official shown times, behind and points;
UNOFFICIAL until the referee confirms, then OFFICIAL with the time of confirmation and the referee's name; page
numbers and the header on every page; the start list with PB and SB; the competition's book in programme order;
names in every script; 404s and the ETag. With DOCS_SCREENSHOTS=1, page 1 of three of them becomes a picture."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.cache import cache
from django.utils import dateformat, timezone

from results import services
from results.demo.replay import heat_results_replay, race_create_from_sheet
from results.files.bests_preview import bests_preview
from results.files.result_csv import read_result_csv
from results.models import Competition, Race, RaceStatusChange, Venue
from results.roles import REFEREE
from results.rules.points_tables import WORLD_CUP_A, WORLD_CUP_B
from results.services.bests import bests_import
from results.web import pdf_render as pdf
from tests.flows.test_official_results import printed_time
from tests.support.admin_pages import change_form_data, enter_url
from tests.support.factories import enter_heat, make_competition, make_race, make_record, make_start_list, make_user
from tests.support.pdfs import pdf_lines, pdf_pages, pdf_pictured
from tests.support.sheets import sheet_text, sheet_with_withdrawals

pytestmark = pytest.mark.django_db

MEN_1000_B = "wc1-salt-lake-city-2025-11-14-men-1000-b"  # 40 skaters, two tied thousandths, a DNF and a DQ T08
MEN_1000_A = "wc1-salt-lake-city-2025-11-14-men-1000-a"  # 20 skaters, DQ T09 and DQ T10
# A name in every script the federations' skaters write theirs in (Polish, Czech, Norwegian, Korean, Chinese,
# Japanese): (heat, lane, bib, name, nation).
NAMES = [
    (1, "I", 11, "Łukasz ŻUREK-Ślęzak", "POL"),
    (1, "O", 12, "Martina SÁBLÍKOVÁ Řeě", "CZE"),
    (2, "I", 21, "Sander EITREM Øå", "NOR"),
    (2, "O", 22, "김민선", "KOR"),
    (3, "I", 31, "高亭宇", "CHN"),
    (3, "O", 32, "髙木 美帆", "JPN"),
]


@pytest.fixture
def competition():
    venue = Venue.objects.create(name="Utah Olympic Oval", city="Salt Lake City", country="USA")
    return Competition.objects.create(
        name="ISU World Cup #1", venue=venue, starts_on=date(2025, 11, 14), ends_on=date(2025, 11, 16)
    )


def replayed(competition, text: str, title: str, points_table=WORLD_CUP_B) -> Race:
    """An official sheet's race, with the standing world and track records, replayed pair by pair."""
    rows = read_result_csv(io.StringIO(text))
    race = race_create_from_sheet(
        competition=competition,
        title=title,
        gender="men",
        distance=1000,
        rows=rows,
        points_table=points_table,
        day=date(2025, 11, 14),
    )
    for kind, venue in (("WR", None), ("TR", competition.venue)):
        make_record(
            kind,
            "1:05.37",
            holder="Jordan STOLZ",
            nation="USA",
            set_on=date(2024, 1, 26),
            gender="men",
            distance=1000,
            venue=venue,
        )
    heat_results_replay(race=race, rows=rows)
    return race


def printed_line(line: dict[str, str]) -> str:
    """A sheet's row as the result list prints it: rank, pair, lane, bib, name, nation, then the shown time,
    behind and points, or the status and the infraction code."""
    if line["status"] == "OK":
        behind = f"+{line['behind']}" if line["behind"] else ""
        result = [line["rank"], printed_time(line["time"]), behind, line["points"]]
        return " ".join(p for p in [*result[:1], *identity(line), *result[1:]] if p)
    return " ".join(p for p in [*identity(line), line["status"], line["infraction"]] if p)


def identity(line: dict[str, str]) -> list[str]:
    return [line["pair"], line["lane"], line["bib"], line["name"], line["nation"]]


def in_order(lines: list[str], expected: list[str]) -> list[int]:
    """Where each expected line is among ``lines`` (each must be there, whole)."""
    missing = [line for line in expected if line not in lines]
    assert not missing, f"not printed: {missing[:3]}"
    return [lines.index(line) for line in expected]


def result_list(client, race: Race):
    response = client.get(f"/races/{race.pk}/results.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


def confirmed(race: Race) -> Race:
    referee = make_user("referee", REFEREE)
    referee.first_name, referee.last_name = "Jan", "de Vries"
    referee.save()
    return services.race_status_set(race=race, status=Race.State.OFFICIAL, by=referee)


# ------------------------------------------------------------------------------------------------ the result list


def test_a_replayed_40_skater_race_prints_every_row_as_the_official_sheet(client, competition, artifact_path):
    text = sheet_with_withdrawals(MEN_1000_B)
    race = replayed(competition, text, "Men 1000m Division B")

    response = result_list(client, race)
    lines = pdf_lines(response.content)

    sheet = list(csv.DictReader(io.StringIO(text)))
    assert len(sheet) == 42
    where = in_order(lines, [printed_line(line) for line in sheet])
    assert where == sorted(where)
    # The bracketed thousandth where the sheet printed it, and behind equal for those hundredths.
    assert "18 13 O 81 Alessio TRENTINI ITA 1:08.60(1) +1.79 3" in lines
    assert "19 2 I 55 Valentin THIEBAULT FRA 1:08.60(5) +1.79 2" in lines
    # Non-finishers after every finisher, DNF before DQ (with its code), withdrawn skaters last, with no pair.
    assert lines[where[-4] :][:4] == [
        "18 O 182 Zach STOPPELMOOR USA DNF",
        "10 I 60 Stefan EMELE GER DQ T08",
        "901 Pieter OMEGA NED WDR",
        "902 Lars SIGMA NOR WDR",
    ]
    header = " ".join(pdf_pages(response.content)[0].split())
    assert "ISU WORLD CUP #1" in header
    assert "Utah Olympic Oval, Salt Lake City · Friday 14 November 2025" in header
    assert "Men 1000m Division B Result list" in header
    assert "WR 1:05.37 Jordan STOLZ USA" in header
    assert "TR 1:05.37 Jordan STOLZ USA" in header
    pdf_pictured(response.content, artifact_path("results.pdf"), "result-list-40-skaters.png")


def test_a_long_list_numbers_its_pages_and_repeats_its_header(client, competition):
    race = replayed(competition, sheet_text(MEN_1000_B), "Men 1000m Division B")

    pages = [" ".join(page.split()) for page in pdf_pages(result_list(client, race).content)]

    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of 2" in page
        assert "ISU World Cup #1" in page
        assert "Men 1000m Division B" in page
        assert "RANK PAIR LANE BIB NAME NATION TIME BEHIND POINTS REMARKS" in page
        assert "UNOFFICIAL" in page
    assert "Ziwen LIAN" not in pages[1]
    assert "Zach STOPPELMOOR" in pages[1]


def test_unofficial_until_the_referee_confirms_then_official_with_the_time_and_the_referee(client, competition):
    race = replayed(competition, sheet_text(MEN_1000_A), "Men 1000m Division A", WORLD_CUP_A)
    race.referee, race.starter = "Jan DE VRIES (NED)", "Anna BERG (NOR)"
    services.race_save(race=race, by=None)

    before = " ".join(" ".join(pdf_pages(result_list(client, race).content)).split())
    assert "UNOFFICIAL: not yet confirmed by the referee" in before
    assert "Time of confirmation" not in before
    assert "Referee Jan DE VRIES (NED)" in before
    assert "Starter Anna BERG (NOR)" in before

    confirmed(race)
    after = " ".join(" ".join(pdf_pages(result_list(client, race).content)).split())

    change = RaceStatusChange.objects.get(race=race, new_status=Race.State.OFFICIAL)
    at = dateformat.format(timezone.localtime(change.at), "j F Y, H:i")
    assert "UNOFFICIAL" not in after
    assert f"OFFICIAL: confirmed {at} (UTC) by Jan de Vries" in after
    assert f"Time of confirmation: {at} (UTC) · Confirmed by Jan de Vries" in after
    assert "Referee Jan DE VRIES (NED)" in after


def test_a_race_with_non_finishers_prints_their_status_and_code(client, competition, artifact_path):
    race = replayed(competition, sheet_with_withdrawals(MEN_1000_A), "Men 1000m Division A", WORLD_CUP_A)
    race.referee, race.starter = "Jan DE VRIES (NED)", "Anna BERG (NOR)"
    services.race_save(race=race, by=None)

    response = result_list(client, race)
    lines = pdf_lines(response.content)

    out = [line for line in lines if line.endswith(("WDR", "T09", "T10", "DNF", "DNS"))]
    sheet = [line for line in csv.DictReader(io.StringIO(sheet_text(MEN_1000_A))) if line["status"] != "OK"]
    assert out == [printed_line(line) for line in sheet] + ["901 Pieter OMEGA NED WDR", "902 Lars SIGMA NOR WDR"]
    pdf_pictured(response.content, artifact_path("results.pdf"), "result-list-non-finishers.png")


def test_names_in_every_script_come_back_from_the_pdf(client, artifact_path):
    race = make_race(make_competition("Names"), title="Women 500m Division A", draw=NAMES)
    for heat, times in ((1, {11: "37.80", 12: "38.02"}), (2, {21: "37.55", 22: "38.11"})):
        enter_heat(race, heat, times)
    enter_heat(race, 3, {31: "37.90", 32: "DNF"})

    response = result_list(client, race)
    text = " ".join(pdf_pages(response.content)[0].split())

    for *_pair, name, _nation in NAMES:
        assert name in text
    pdf_pictured(response.content, artifact_path("results.pdf"), "result-list-names.png")


# ---------------------------------------------------------------------------------------- start list and book


def test_the_start_list_prints_pairs_lanes_and_each_skaters_pb_and_sb(client):
    race = make_race(make_competition("Bests"))
    preview = bests_preview(
        text="name,nation,distance,pb,pb_date,sb,sb_date,season\n"
        "Anna ALPHA,NED,500,37.80,2024-11-16,38.10,2025-11-15,2025-2026\n"
        "Bea BRAVO,USA,500,38.00,,,,\n"
    )
    bests_import(entries=preview.entries, by=None)

    response = client.get(f"/races/{race.pk}/start-list.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    lines = pdf_lines(response.content)
    assert "PAIR LANE BIB NAME NATION PB SB" in lines
    assert in_order(lines, ["1 I 11 Anna ALPHA NED 37.80 38.10", "O 12 Bea BRAVO USA 38.00", "2 I 21 Cleo CHARLIE JPN"])
    assert "START LIST" in lines


def test_the_book_holds_every_race_in_programme_order_each_from_a_new_page(client):
    competition = make_competition("ISU World Cup #3")
    titles = {2: "Men 1000m Division A", 1: "Women 500m Division A", 3: "Women 3000m Division A"}
    for order, title in titles.items():  # made in another order than the programme's
        race = services.race_create(
            competition=competition, title=title, gender="women", distance=500, order=order, points_table=WORLD_CUP_A
        )
        make_start_list(race, [(1, "I", 11, "Anna ALPHA", "NED"), (1, "O", 12, "Bea BRAVO", "USA")])
    enter_heat(Race.objects.get(title=titles[1]), 1, {11: "37.80", 12: "38.02"})

    response = client.get(f"/competitions/{competition.pk}/results.pdf")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="isu-world-cup-3-results.pdf"'
    pages = [" ".join(page.split()) for page in pdf_pages(response.content)]
    assert [next(t for t in titles.values() if f"{t} Result list" in page) for page in pages] == [
        titles[1],
        titles[2],
        titles[3],
    ]
    assert "1 1 I 11 Anna ALPHA NED 37.80 60" in pdf_lines(response.content)
    assert [f"Page {n} of 3" in page for n, page in enumerate(pages, start=1)] == [True] * 3


# ------------------------------------------------------------------------------------------ the answers' headers


def test_headers_name_the_file_and_let_a_browser_revalidate(client, competition):
    race = replayed(competition, sheet_text(MEN_1000_A), "Men 1000m Division A", WORLD_CUP_A)
    url = f"/races/{race.pk}/results.pdf"

    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    confirmed(race)
    after = client.get(url, headers={"if-none-match": first["ETag"]})

    assert first["Content-Disposition"] == 'inline; filename="isu-world-cup-1-men-1000m-division-a-results.pdf"'
    assert first["Cache-Control"] == "public, max-age=5"
    assert again.status_code == 304
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


def test_a_name_outside_ascii_gives_an_ascii_file_name(client):
    race = make_race(make_competition("Puchar Świata Łódź"), title="Żeńskie 500 m")

    response = client.get(f"/races/{race.pk}/start-list.pdf")

    assert response["Content-Disposition"] == 'inline; filename="puchar-swiata-odz-zenskie-500-m-start-list.pdf"'


@pytest.mark.parametrize(
    "url",
    [
        "/races/999999/results.pdf",
        "/races/999999/start-list.pdf",
        "/competitions/999999/results.pdf",
        "/races/99999999999999999999999/results.pdf",
    ],
)
def test_an_unknown_race_or_competition_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_only_get(client):
    race = make_race()

    assert client.post(f"/races/{race.pk}/results.pdf").status_code == 405


# -------------------------------------------------------------------------------------------------- where linked


def test_the_board_the_competition_page_and_the_admin_link_to_the_documents(client):
    race = make_race()
    result_list_url = f"/races/{race.pk}/results.pdf"
    start_list_url = f"/races/{race.pk}/start-list.pdf"

    board = client.get(f"/races/{race.pk}/").content.decode()
    competition_page = client.get(f"/competitions/{race.competition_id}/").content.decode()
    client.force_login(make_user("referee", REFEREE))
    race_page = client.get(f"/admin/results/race/{race.pk}/change/").content.decode()
    entry_screen = client.get(enter_url(race)).content.decode()

    assert f'href="{result_list_url}">Result list (PDF)</a>' in board
    assert f'href="{start_list_url}">Start list (PDF)</a>' in board
    assert f'href="/competitions/{race.competition_id}/results.pdf">All results (PDF)</a>' in competition_page
    assert f'href="{result_list_url}"' in race_page
    assert f'href="{start_list_url}"' in race_page
    assert f'href="{result_list_url}"' in entry_screen
    for document in (result_list_url, start_list_url, f"/competitions/{race.competition_id}/results.pdf"):
        assert client.get(document).status_code == 200


def test_the_referee_and_the_starter_are_set_on_the_race_page(client):
    race = make_race()
    client.force_login(make_user("referee", REFEREE))
    url = f"/admin/results/race/{race.pk}/change/"
    form = change_form_data(client.get(url))

    response = client.post(url, {**form, "referee": "Jan DE VRIES (NED)", "starter": "Anna BERG (NOR)"})

    assert response.status_code == 302
    race.refresh_from_db()
    assert (race.referee, race.starter) == ("Jan DE VRIES (NED)", "Anna BERG (NOR)")
    text = " ".join(" ".join(pdf_pages(client.get(f"/races/{race.pk}/results.pdf").content)).split())
    assert "Referee Jan DE VRIES (NED)" in text


def test_a_crowd_asking_for_the_same_version_costs_one_render(client, monkeypatch):
    race = make_race()
    enter_heat(race, 1, {11: "37.80", 12: "38.02"})
    renders = []
    render = pdf.result_list_pdf

    def counted(sheet):
        renders.append(sheet.version)
        return render(sheet)

    monkeypatch.setattr(pdf, "result_list_pdf", counted)

    first = client.get(f"/races/{race.pk}/results.pdf")
    second = client.get(f"/races/{race.pk}/results.pdf")
    enter_heat(race, 2, {21: "37.55", 22: "38.11"})
    third = client.get(f"/races/{race.pk}/results.pdf")

    assert first.content == second.content != third.content
    assert len(renders) == 2


def test_a_cache_that_does_not_answer_costs_a_render_not_the_answer(client, monkeypatch):
    race = make_race()

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)

    assert client.get(f"/races/{race.pk}/results.pdf").status_code == 200
