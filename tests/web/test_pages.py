"""The public pages as the server renders them, i.e. as a spectator without JavaScript reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from results import services
from results.models import Race, Skater, Snapshot, Withdrawal
from results.roles import REFEREE
from results.services.withdrawals import withdrawal_save
from results.topics import race_topic
from tests.support.factories import (
    FOUR_PAIRS,
    PAIRS_500,
    enter_heat,
    make_competition,
    make_live_race,
    make_race,
    make_user,
)
from tests.support.headers import csp_directives, framed_by

pytestmark = pytest.mark.django_db

# PAIRS_500 plus a fourth pair still to skate.


@dataclass
class Row:
    bib: int
    classes: set[str]
    cells: dict[str, str] = field(default_factory=dict)
    records: list[str] = field(default_factory=list)


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class BoardParser(HTMLParser):
    """What a spectator gets from a page: the standings rows (cell text by column class) and the page's text,
    whitespace collapsed. Elements marked ``hidden`` are left out, as a browser leaves them out."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.text_parts: list[str] = []
        self._open: list[str] = []
        self._hidden_at: int | None = None
        self._cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag not in VOID_ELEMENTS:
            self._open.append(tag)
            if self._hidden_at is None and ("hidden" in attributes or tag in ("script", "style", "title")):
                self._hidden_at = len(self._open)
        classes = set((attributes.get("class") or "").split())
        if tag == "tr" and attributes.get("data-bib"):
            self.rows.append(Row(bib=int(attributes["data-bib"] or 0), classes=classes))
        elif tag == "td" and self.rows and self._cell is None:
            self._cell = next(c for c in classes if c.startswith("col-"))
            self.rows[-1].cells[self._cell] = ""
        elif tag == "span" and "rec" in classes and self._cell == "col-records":
            self.rows[-1].records.append(next(c for c in classes if c.startswith("rec--")).removeprefix("rec--"))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if self._hidden_at == len(self._open):
            self._hidden_at = None
        self._open.pop()
        if tag == "td" and self._cell:
            row = self.rows[-1]
            row.cells[self._cell] = " ".join(row.cells[self._cell].split())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._hidden_at is not None:
            return
        self.text_parts.append(data)
        if self._cell:
            self.rows[-1].cells[self._cell] += data

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def board(response) -> BoardParser:
    assert response.status_code == 200
    parser = BoardParser()
    parser.feed(response.content.decode())
    return parser


def the_tag(response, pattern: str) -> str:
    """The one start tag matching ``pattern`` (a regex over the tag's text)."""
    tags = re.findall(rf"<{pattern}[^>]*>", response.content.decode())
    assert len(tags) == 1, tags
    return tags[0]


def links(html: str, kind: str) -> dict[int, str]:
    """Each link to ``/<kind>/<id>/`` with its text."""
    found = re.findall(rf'<a [^>]*href="/{kind}/(\d+)/"[^>]*>(.*?)</a>', html, re.S)
    return {int(pk): " ".join(re.sub(r"<[^>]+>", " ", inner).split()) for pk, inner in found}


@pytest.fixture
def live_race() -> Race:
    return make_live_race()


def test_leaderboard_ranks_finishers_by_time_then_non_finishers(client, live_race):
    page = board(client.get(f"/races/{live_race.pk}/"))

    assert [row.bib for row in page.rows] == [21, 22, 11, 12, 32, 31]
    assert [row.cells["col-rank"] for row in page.rows] == ["1", "2", "3", "4", "5", ""]
    assert [row.cells["col-skater"] for row in page.rows[:2]] == ["JPN Cleo CHARLIE", "CAN Dana DELTA"]


def test_leaderboard_shows_times_with_thousandths_only_to_break_a_tie_and_the_gap_to_the_leader(client, live_race):
    rows = {row.bib: row for row in board(client.get(f"/races/{live_race.pk}/")).rows}

    assert rows[21].cells["col-time"] == "36.09"
    assert (rows[11].cells["col-time"], rows[12].cells["col-time"]) == ("37.11(2)", "37.11(6)")
    assert rows[21].cells["col-behind"] == ""
    assert rows[22].cells["col-behind"] == "+0.48"
    assert rows[11].cells["col-behind"] == rows[12].cells["col-behind"] == "+1.02"
    assert [rows[bib].cells["col-points"] for bib in (21, 22, 11, 12, 32, 31)] == ["60", "54", "48", "43", "40", ""]


def test_a_disqualified_skater_shows_the_status_and_infraction_instead_of_a_time(client, live_race):
    rows = {row.bib: row for row in board(client.get(f"/races/{live_race.pk}/")).rows}

    assert rows[31].cells["col-time"] == "DQ T07"
    assert "is-out" in rows[31].classes
    assert rows[31].cells["col-behind"] == ""


def test_record_flags_show_on_the_skater_who_set_them_and_standing_records_under_the_title(client, live_race):
    page = board(client.get(f"/races/{live_race.pk}/"))
    rows = {row.bib: row for row in page.rows}

    assert rows[21].records == ["WR"]
    assert rows[22].records == []
    assert "WR 36.36 Sang-Hwa LEE (KOR) 2013" in page.text


def test_the_pair_just_skated_is_marked_as_new(client, live_race):
    rows = board(client.get(f"/races/{live_race.pk}/")).rows

    assert {row.bib for row in rows if "is-new" in row.classes} == {31, 32}


def test_race_status_and_progress(client, live_race):
    text = board(client.get(f"/races/{live_race.pk}/")).text

    assert "Women 500m Division A" in text
    assert "Live Pair 3 of 4" in text


def test_pairs_still_to_skate_are_listed_with_their_lanes(client, live_race):
    text = board(client.get(f"/races/{live_race.pk}/")).text

    # ≈ and the time it is expected to start (the event's time zone), after the pairs that started
    assert re.search(r"On the ice next Pair 4 ≈ \d\d:\d\d I inner lane Gina GOLF KOR O outer lane Hana HOTEL CHN", text)
    assert "All pairs have skated" not in text


def test_the_page_hands_the_script_its_socket_and_version_in_data_attributes(client, live_race):
    response = client.get(f"/races/{live_race.pk}/")
    root = the_tag(response, r"article[^>]*id=\"board\"")
    version = Snapshot.objects.get(topic=race_topic(live_race.pk)).version

    assert f'data-race-id="{live_race.pk}"' in root
    assert f'data-socket-path="/ws/races/{live_race.pk}/"' in root
    assert f'data-version="{version}"' in root
    assert 'data-connection="connecting"' in root
    assert the_tag(response, r"script[^>]*type=\"module\" src=\"[^\"]*leaderboard\.js\"")


def test_the_pages_script_and_stylesheet_exist(client, live_race):
    html = client.get(f"/races/{live_race.pk}/").content.decode()
    assets = re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", html)

    assert sorted(assets) == [
        "results/eta-view.js",
        "results/favicon.svg",
        "results/follow.js",
        "results/icons/apple-touch-icon.png",
        "results/intelligence.css",
        "results/language-switch.js",
        "results/leaderboard.js",
        "results/noscript.css",
        "results/notices.js",
        "results/push.js",
        "results/site.css",
        "results/start-list-view.js",
    ]
    assert all(finders.find(asset) for asset in assets)


def test_a_race_without_points_has_no_points_column(client):
    race = make_race(points_table=())
    enter_heat(race, 1, {11: "38.12", 12: "38.45"})
    response = client.get(f"/races/{race.pk}/")

    assert " hidden" in the_tag(response, r"th class=\"col-points\"")
    assert all("col-points" not in row.cells for row in board(response).rows)


def test_a_start_list_shows_no_results_yet_and_the_first_pairs(client):
    race = make_race(draw=FOUR_PAIRS)
    text = board(client.get(f"/races/{race.pk}/")).text

    assert "Start list 4 pairs" in text
    assert "No results yet. Pair 1 is first on the ice." in text
    assert "Pair 1 I inner lane Anna ALPHA NED" in text
    assert "Pair 3" in text
    assert "Pair 4" not in text  # three pairs ahead at most


def test_once_every_pair_has_skated_the_race_is_unofficial(client):
    race = make_race()
    enter_heat(race, 1, {11: "38.12", 12: "38.45"})
    enter_heat(race, 2, {21: "37.90", 22: "DNF"})
    enter_heat(race, 3, {31: "38.00", 32: "WDR"})
    page = board(client.get(f"/races/{race.pk}/"))

    assert "Unofficial Pair 3 of 3" in page.text
    assert "All pairs have skated." in page.text
    assert [(row.bib, row.cells["col-time"]) for row in page.rows[-2:]] == [(22, "DNF"), (32, "WDR")]


def test_names_are_shown_as_text_never_as_markup(client):
    race = make_race(draw=[(1, "I", 11, "<b>Anna</b> ALPHA", "NED")])
    html = client.get(f"/races/{race.pk}/").content.decode()

    assert "<b>Anna</b>" not in html
    assert "&lt;b&gt;Anna&lt;/b&gt; ALPHA" in html


def test_an_unknown_race_is_not_found(client):
    assert client.get("/races/999999/").status_code == 404


def test_the_competition_list_links_every_competition_and_race(client, live_race):
    other = make_competition("ISU Four Continents", venue="Utah Olympic Oval")
    quiet = make_race(other, title="Men 1000m", gender="men", distance=1000, draw=PAIRS_500)
    response = client.get("/")
    html = response.content.decode()

    assert links(html, "competitions") == {
        live_race.competition_id: "Test World Cup",
        other.pk: "ISU Four Continents",
    }
    assert links(html, "races") == {
        live_race.pk: "500 m Women 500m Division A Fri 5 Dec Live",
        quiet.pk: "1000 m Men 1000m Fri 5 Dec Start list",
    }


def test_a_competition_lists_its_races_by_day_with_the_live_race_highlighted(client, live_race):
    competition = live_race.competition
    services.race_create(
        competition=competition, title="Men 500m Division A", gender="men", distance=500, day=date(2025, 12, 7)
    )
    services.race_create(
        competition=competition, title="Men 1000m Division A", gender="men", distance=1000, day=date(2025, 12, 6)
    )
    response = client.get(f"/competitions/{competition.pk}/")
    text = board(response).text

    friday, saturday, sunday = (
        text.index("Friday 5 December 2025"),
        text.index("Saturday 6 December 2025"),
        text.index("Sunday 7 December 2025"),
    )
    assert friday < text.index("Women 500m Division A") < saturday < text.index("Men 1000m Division A") < sunday
    assert sunday < text.index("Men 500m Division A")
    live_link = the_tag(response, r"a class=\"race-link is-live\"")
    assert f'href="/races/{live_race.pk}/"' in live_link


def test_an_unknown_competition_is_not_found(client):
    assert client.get("/competitions/999999/").status_code == 404


def test_the_public_board_refuses_to_be_framed(client):
    race = make_race()
    response = client.get(f"/races/{race.pk}/")
    assert response["X-Frame-Options"] == "DENY"
    assert framed_by(response) == "'none'"


def test_a_page_runs_scripts_and_styles_from_this_site_only(client):
    race = make_race()
    policy = csp_directives(client.get(f"/races/{race.pk}/")["Content-Security-Policy"])
    assert policy == {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "style-src-attr": "'unsafe-inline'",
        "img-src": "'self'",
        "font-src": "'self'",
        "connect-src": "'self'",
        "manifest-src": "'self'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
    }


def test_a_corrected_row_is_marked_and_a_race_under_review_says_so(client):
    race = make_race()
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    enter_heat(race, 1, {11: "37.80", 12: "38.12"})  # a correction to pair 1
    page = client.get(f"/races/{race.pk}/").content.decode()
    corrected = re.findall(r'<tr class="([^"]*)" data-bib="(\d+)"', page)
    assert [(bib, "is-corrected" in classes) for classes, bib in corrected] == [("11", True), ("12", False)]
    assert page.count('<span class="corrected-tag">Corrected</span>') == 1

    for number, results in ((2, {21: "39.00", 22: "39.10"}), (3, {31: "39.20", 32: "39.30"})):
        enter_heat(race, number, results)
    services.race_status_set(race=race, status=Race.State.PROTESTED, by=make_user("rafa", REFEREE), reason="protest")
    assert "Under review" in client.get(f"/races/{race.pk}/").content.decode()


def test_a_skater_withdrawn_before_the_draw_is_listed_last_with_no_pair(client):
    race = make_race()
    enter_heat(race, 1, {11: "38.12", 12: "DNF"})
    withdrawal_save(
        withdrawal=Withdrawal(race=race, skater=Skater.objects.create(name="Olga OMEGA", nation="NOR"), bib=99), by=None
    )

    rows = board(client.get(f"/races/{race.pk}/")).rows
    last = rows[-1]
    assert [row.bib for row in rows] == [11, 12, 99]
    assert (last.cells["col-heat"], last.cells["col-time"]) == ("–", "WDR")
    assert "is-new" not in last.classes and "is-out" in last.classes
    embed = client.get(f"/races/{race.pk}/embed/?fields=name,heat,time").content.decode()
    assert re.search(r'<td class="f-heat">–</td><td class="f-time"><span class="out-status">WDR</span>', embed)
