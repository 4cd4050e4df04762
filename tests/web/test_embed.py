"""The broadcasters' pages as the server renders them: options, framing, and what each page shows of a snapshot
(docs/broadcasters.md). The same pages live in a browser: tests/browser/test_embed.py."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ImproperlyConfigured

from results import services
from results.models import Race, Snapshot
from results.roles import REFEREE
from results.topics import race_topic
from results.web.embed import options as embed_options
from results.web.embed.labels import LABELS, LANGUAGES
from results.web.embed.options import (
    EMBED,
    OVERLAY,
    SCOREBOARD,
    EmbedOptions,
    options_parse,
)
from results.web.framing import ERROR_BAD_ORIGIN, frame_ancestors
from tests.support.factories import FOUR_PAIRS, enter_heat, make_live_race, make_official, make_race, make_user
from tests.support.headers import framed_by

BROADCAST_PAGES = ["embed/", "overlays/last-heat/", "overlays/top3/", "overlays/on-ice/", "scoreboard/"]


def q(**values: str | list[str]) -> dict[str, list[str]]:
    """A query as Django's ``request.GET.lists()`` gives it."""
    return {name: value if isinstance(value, list) else [value] for name, value in values.items()}


# --- options: every option, valid and not --------------------------------------------------------------------


def test_without_options_each_page_has_its_defaults():
    assert options_parse({}, page=EMBED) == EmbedOptions(
        theme="light",
        rows=None,
        fields=("rank", "name", "nation", "time", "behind", "points", "records"),
        scale=1.0,
        lang="en",
    )
    assert options_parse({}, page=OVERLAY).theme == "transparent"
    assert (options_parse({}, page=SCOREBOARD).rows, options_parse({}, page=SCOREBOARD).hold) == (8, 10)


@pytest.mark.parametrize("theme", ["light", "dark", "transparent", "chroma", "Dark"])
def test_a_theme_is_one_of_four(theme):
    assert options_parse(q(theme=theme)).theme == theme.lower()


def test_an_unknown_theme_is_refused():
    assert options_parse(q(theme="neon")) == ['theme must be one of light, dark, transparent, chroma (got "neon").']


@pytest.mark.parametrize(("value", "rows"), [("1", 1), ("10", 10), ("50", 50)])
def test_rows_is_a_whole_number_from_1_to_50(value, rows):
    assert options_parse(q(rows=value)).rows == rows


@pytest.mark.parametrize("value", ["0", "51", "-1", "1.5", "ten", "", "١٠"])
def test_rows_outside_1_to_50_is_refused(value):
    assert options_parse(q(rows=value)) == [f'rows must be a whole number from 1 to 50 (got "{value}").']


def test_fields_are_shown_in_the_order_given():
    assert options_parse(q(fields="time,name,lane")).fields == ("time", "name", "lane")
    assert options_parse(q(fields=" Rank , name ")).fields == ("rank", "name")
    every = "rank,name,nation,heat,lane,time,behind,points,records"
    assert options_parse(q(fields=every)).fields == tuple(every.split(","))


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (
            "name,flag",
            'fields: "flag" is not a field; choose from rank, name, nation, heat, lane, time, behind, points, records.',
        ),
        ("name,time,name", 'fields: "name" is listed more than once.'),
        (",", "fields must name at least one of rank, name, nation, heat, lane, time, behind, points, records."),
        ("", "fields must name at least one of rank, name, nation, heat, lane, time, behind, points, records."),
    ],
)
def test_bad_fields_are_refused(value, error):
    assert options_parse(q(fields=value)) == [error]


@pytest.mark.parametrize(("value", "scale"), [("0.5", 0.5), ("1", 1.0), ("1.25", 1.25), ("4", 4.0)])
def test_scale_is_a_number_from_half_to_four(value, scale):
    assert options_parse(q(scale=value)).scale == scale


@pytest.mark.parametrize("value", ["0.49", "4.01", "0", "big", "nan", "inf", ""])
def test_scale_outside_half_to_four_is_refused(value):
    assert options_parse(q(scale=value)) == [f'scale must be a number from 0.5 to 4 (got "{value}").']


@pytest.mark.parametrize("lang", ["en", "nl", "de", "fr", "it", "ja", "ko", "zh", "no"])
def test_every_language_offered_is_accepted(lang):
    assert options_parse(q(lang=lang)).lang == lang


def test_an_unknown_language_is_refused():
    assert options_parse(q(lang="sv")) == ['lang must be one of en, nl, de, fr, it, ja, ko, zh, no (got "sv").']


def test_every_language_has_every_label_with_the_same_placeholders():
    english = LABELS["en"]
    for lang in LANGUAGES:
        assert LABELS[lang].keys() == english.keys(), lang
        for key, text in LABELS[lang].items():
            assert sorted(re.findall(r"\{\w+\}", text)) == sorted(re.findall(r"\{\w+\}", english[key])), (lang, key)


def test_hold_is_the_scoreboards_seconds_on_the_last_pair():
    assert options_parse(q(hold="3"), page=SCOREBOARD).hold == 3
    assert options_parse(q(hold="60"), page=SCOREBOARD).hold == 60
    assert options_parse(q(hold="2"), page=SCOREBOARD) == [
        'hold must be a whole number of seconds from 3 to 60 (got "2").'
    ]


def test_an_option_the_page_does_not_take_is_refused_not_ignored():
    assert options_parse(q(row="10")) == ['Unknown option "row": this page takes theme, rows, fields, scale, lang.']
    assert options_parse(q(rows="3"), page=OVERLAY) == ['Unknown option "rows": this page takes theme, scale, lang.']
    assert options_parse(q(theme="light"), page=SCOREBOARD) == [
        'Unknown option "theme": this page takes rows, scale, lang, hold.'
    ]


def test_an_option_given_twice_is_refused():
    assert options_parse(q(rows=["3", "5"])) == ['The option "rows" is given more than once.']


def test_every_mistake_is_reported_at_once_in_the_order_of_the_url():
    assert options_parse(q(theme="neon", rows="0", lang="xx")) == [
        'theme must be one of light, dark, transparent, chroma (got "neon").',
        'rows must be a whole number from 1 to 50 (got "0").',
        'lang must be one of en, nl, de, fr, it, ja, ko, zh, no (got "xx").',
    ]


def test_a_long_value_is_cut_in_the_message():
    assert options_parse(q(theme="x" * 200)) == [
        f'theme must be one of light, dark, transparent, chroma (got "{"x" * 39}…").'
    ]


# --- pages: a light DOM to read them ------------------------------------------------------------------------------

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def hidden(self) -> bool:
        return "hidden" in self.attrs

    def text(self) -> str:
        """The text a viewer sees: hidden elements, scripts and styles left out, whitespace collapsed."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not child.hidden and child.tag not in ("script", "style", "title"):
                parts.append(child.text())
        return " ".join("".join(parts).split())

    def all(self, css_class: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if css_class in child.classes:
                    found.append(child)
                found.extend(child.all(css_class))
        return found

    def one(self, css_class: str) -> Node:
        found = self.all(css_class)
        assert len(found) == 1, f"{len(found)} elements with class {css_class}"
        return found[0]

    def all_nodes(self) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                found.append(child)
                found.extend(child.all_nodes())
        return found

    def find(self, tag: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.find(tag))
        return found


class TreeParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("document", {})
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self._open.append(node)

    def handle_endtag(self, tag: str) -> None:
        while len(self._open) > 1:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def page_of(response, status: int = 200) -> Node:
    assert response.status_code == status, response.content[:500]
    parser = TreeParser()
    parser.feed(response.content.decode())
    return parser.root


def ref(page: Node, name: str) -> Node:
    """The element a page's script finds by ``data-ref``."""
    found = [node for node in page.all_nodes() if node.attrs.get("data-ref") == name]
    assert len(found) == 1, f"{len(found)} elements with data-ref={name}"
    return found[0]


def cells(row: Node) -> list[str]:
    return [cell.text() for cell in row.find("td")]


@pytest.fixture
def live_race() -> Race:
    return make_live_race()


def official(race: Race) -> None:
    enter_heat(race, 4, {41: "38.80", 42: "38.90"})
    services.race_status_set(race=race, status=Race.State.OFFICIAL, by=make_user("rafa", REFEREE), reason="ok")


pytestmark = pytest.mark.django_db


# --- a bad option: 400 with what is allowed --------------------------------------------------------------------


def test_a_bad_option_gives_a_400_page_listing_the_errors_and_what_is_allowed(client, live_race):
    response = client.get(f"/races/{live_race.pk}/embed/?theme=neon&rows=0")
    page = page_of(response, 400)
    text = page.text()

    assert [item.text() for item in page.one("options-error__list").find("li")] == [
        'theme must be one of light, dark, transparent, chroma (got "neon").',
        'rows must be a whole number from 1 to 50 (got "0").',
    ]
    allowed = page.one("options-error__allowed")
    assert [(row.find("th")[0].text(), row.find("td")[0].text()) for row in allowed.find("tbody")[0].find("tr")] == [
        ("theme", "light | dark | transparent | chroma"),
        ("rows", "1-50"),
        (
            "fields",
            "a comma-separated list, in the order to show, of rank, name, nation, heat, lane, time, behind, points, "
            "records",
        ),
        ("scale", "0.5-4"),
        ("lang", "en | nl | de | fr | it | ja | ko | zh | no"),
    ]
    assert f"/races/{live_race.pk}/embed/?theme=dark&rows=10" in text
    assert framed_by(response) == "*"  # readable where it was framed


@pytest.mark.parametrize(
    ("path", "query", "error"),
    [
        ("overlays/last-heat/", "rows=3", 'Unknown option "rows": this page takes theme, scale, lang.'),
        ("overlays/top3/", "scale=9", 'scale must be a number from 0.5 to 4 (got "9").'),
        ("overlays/on-ice/", "lang=tlh", 'lang must be one of en, nl, de, fr, it, ja, ko, zh, no (got "tlh").'),
        ("scoreboard/", "hold=1", 'hold must be a whole number of seconds from 3 to 60 (got "1").'),
    ],
)
def test_every_broadcast_page_refuses_a_bad_option(client, live_race, path, query, error):
    page = page_of(client.get(f"/races/{live_race.pk}/{path}?{query}"), 400)
    assert page.one("options-error__list").text() == error


def test_an_unknown_race_is_not_found_in_the_pages_language_and_may_still_be_framed(client):
    response = client.get("/races/999999/embed/?lang=de")
    assert "Rennen nicht gefunden" in page_of(response, 404).text()
    assert framed_by(response) == "*"


# --- framing ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", BROADCAST_PAGES)
def test_the_broadcast_pages_may_be_framed_from_anywhere_by_default(client, live_race, path):
    response = client.get(f"/races/{live_race.pk}/{path}")
    assert response.status_code == 200
    assert framed_by(response) == "*"
    assert "X-Frame-Options" not in response


@pytest.mark.parametrize("path", BROADCAST_PAGES)
def test_the_broadcast_pages_may_be_framed_only_by_the_origins_listed(client, live_race, settings, path):
    settings.EMBED_ALLOWED_ORIGINS = ["https://tv.example", "https://www.federation.example:8443"]
    response = client.get(f"/races/{live_race.pk}/{path}")
    assert framed_by(response) == "https://tv.example https://www.federation.example:8443"
    assert "X-Frame-Options" not in response


@pytest.mark.parametrize(
    "path",
    ["/races/{race}/", "/", "/competitions/{competition}/", "/api/races/{race}/standings", "/admin/login/"],
)
def test_every_other_page_refuses_to_be_framed_the_public_board_included(client, live_race, settings, path):
    settings.EMBED_ALLOWED_ORIGINS = ["https://tv.example"]
    response = client.get(path.format(race=live_race.pk, competition=live_race.competition_id))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert framed_by(response) == "'none'"


@pytest.mark.parametrize("origin", ["tv.example", "https://tv.example/path", "https://tv.example; script-src *", "*"])
def test_an_allowed_origin_that_is_not_one_stops_the_server(origin):
    with pytest.raises(ImproperlyConfigured) as refused:
        frame_ancestors([origin])
    assert str(refused.value) == ERROR_BAD_ORIGIN.format(origin=origin)


def test_allowed_origins_may_name_a_port_or_any_subdomain():
    assert frame_ancestors(["http://127.0.0.1:8001", "https://*.tv.example"]) == [
        "http://127.0.0.1:8001",
        "https://*.tv.example",
    ]


# --- the embed ----------------------------------------------------------------------------------------------------


def test_the_embed_shows_the_standings_with_the_default_fields(client, live_race):
    page = page_of(client.get(f"/races/{live_race.pk}/embed/"))
    rows = page.all("row")

    assert [th.text() for th in page.find("th")] == ["Rk", "Skater", "Nation", "Time", "Behind", "Pts", "Rec"]
    assert [row.attrs["data-bib"] for row in rows] == ["21", "22", "11", "12", "32", "31"]
    assert cells(rows[0]) == ["1", "Cleo CHARLIE", "JPN", "36.09", "", "60", "WR"]
    assert cells(rows[2]) == ["3", "Anna ALPHA", "NED", "37.11(2)", "+1.02", "48", ""]
    assert cells(rows[5]) == ["", "Eva ECHO", "NOR", "DQ T07", "", "", ""]
    assert {row.attrs["data-bib"] for row in rows if "is-new" in row.classes} == {"31", "32"}
    assert page.one("eb-head").text() == "Women 500m Division A Pair 3 of 4 Live"


def test_the_embed_shows_only_the_chosen_fields_in_the_chosen_order_and_the_top_rows(client, live_race):
    page = page_of(client.get(f"/races/{live_race.pk}/embed/?fields=time,name,lane,heat&rows=2"))
    rows = page.all("row")

    assert [th.attrs["class"] for th in page.find("th")] == ["f-time", "f-name", "f-lane", "f-heat"]
    assert [cells(row) for row in rows] == [["36.09", "Cleo CHARLIE", "I", "2"], ["36.57", "Dana DELTA", "O", "2"]]


def test_rows_keeps_everyone_tied_at_the_cut(client):
    race = make_race()
    enter_heat(race, 1, {11: "38.10", 12: "38.20"})
    enter_heat(race, 2, {21: "38.300", 22: "38.300"})
    rows = page_of(client.get(f"/races/{race.pk}/embed/?rows=3&fields=rank,name")).all("row")

    assert [cells(row) for row in rows] == [
        ["1", "Anna ALPHA"],
        ["2", "Bea BRAVO"],
        ["3", "Cleo CHARLIE"],
        ["3", "Dana DELTA"],
    ]


def test_the_embed_leaves_out_points_in_a_race_that_awards_none(client):
    race = make_race(points_table=())
    enter_heat(race, 1, {11: "38.12", 12: "38.45"})
    page = page_of(client.get(f"/races/{race.pk}/embed/?fields=rank,name,points,time"))
    assert [th.attrs["class"] for th in page.find("th")] == ["f-rank", "f-name", "f-time"]


def test_the_embed_speaks_the_chosen_language_and_hands_its_labels_to_the_script(client, live_race):
    response = client.get(f"/races/{live_race.pk}/embed/?lang=nl&fields=rank,name,time,behind")
    page = page_of(response)
    html = response.content.decode()

    assert [th.text() for th in page.find("th")] == ["Pl", "Schaatser", "Tijd", "Verschil"]
    assert page.one("eb-head").text() == "Women 500m Division A Rit 3 van 4 Live"
    assert '<html lang="nl"' in html
    labels = re.search(r'<script id="labels" type="application/json">(.*?)</script>', html, re.S)
    assert json.loads(labels.group(1)) == LABELS["nl"]


def test_the_theme_and_scale_are_set_on_the_page(client, live_race):
    html = client.get(f"/races/{live_race.pk}/embed/?theme=chroma&scale=1.5").content.decode()
    assert '<html lang="en" class="theme-chroma" style="--scale: 1.5">' in html


def test_the_embed_hands_its_script_the_socket_and_version(client, live_race):
    page = page_of(client.get(f"/races/{live_race.pk}/embed/?rows=5&fields=name,time"))
    board = page.find("main")[0]
    assert board.attrs["data-socket-path"] == f"/ws/races/{live_race.pk}/"
    assert board.attrs["data-connection"] == "connecting"
    assert board.attrs["data-fields"] == "name,time"
    assert board.attrs["data-rows"] == "5"
    assert int(board.attrs["data-version"]) == Snapshot.objects.get(topic=race_topic(live_race.pk)).version
    assert [script.attrs.get("src") for script in page.find("script") if script.attrs.get("type") == "module"] == [
        "/static/embed/embed.js"
    ]


def test_a_corrected_result_is_marked_in_the_embed(client):
    race = make_race()
    enter_heat(race, 1, {11: "38.50", 12: "38.12"})
    enter_heat(race, 1, {11: "37.80", 12: "38.12"})
    rows = page_of(client.get(f"/races/{race.pk}/embed/?lang=de")).all("row")
    assert [(row.attrs["data-bib"], "is-corrected" in row.classes) for row in rows] == [("11", True), ("12", False)]
    assert cells(rows[0])[1] == "Anna ALPHA Korrigiert"


def test_a_start_list_has_no_results_yet(client):
    race = make_race()
    page = page_of(client.get(f"/races/{race.pk}/embed/?lang=ja"))
    assert page.one("row-empty").text() == "まだ結果はありません"
    assert page.one("eb-head").text() == "Women 500m Division A 全3組 スタートリスト"


def test_names_are_text_never_markup(client):
    race = make_race(draw=[(1, "I", 11, "<b>Anna</b> ALPHA", "NED"), (2, "I", 21, "Bea BRAVO", "USA")])
    enter_heat(race, 1, {11: "38.12"})
    for path in BROADCAST_PAGES:
        html = client.get(f"/races/{race.pk}/{path}").content.decode()
        assert "<b>Anna</b>" not in html, path


# --- overlays -----------------------------------------------------------------------------------------------------


def test_the_last_heat_overlay_shows_the_pair_saved_last_in_lane_order(client, live_race):
    enter_heat(live_race, 4, {42: "36.50", 41: "37.20"})
    page = page_of(client.get(f"/races/{live_race.pk}/overlays/last-heat/"))
    rows = page.all("lt-row")

    assert page.one("lt-kicker").text() == "Pair 4"
    assert [row.attrs["data-bib"] for row in rows] == ["41", "42"]
    assert [row.text() for row in rows] == [
        "I KOR Gina GOLF 37.20 6 +1.11",
        "O CHN Hana HOTEL 36.50 2 +0.41",
    ]
    assert "lane-I" in rows[0].classes and "lane-O" in rows[1].classes


def test_the_last_heat_overlay_shows_record_flags_and_is_empty_before_the_first_pair(client, live_race):
    # Pair 2 again, corrected: the world record is the pair on air.
    enter_heat(live_race, 2, {21: "36.08", 22: "36.57"})
    page = page_of(client.get(f"/races/{live_race.pk}/overlays/last-heat/?lang=fr"))
    first = page.all("lt-row")[0]
    assert first.one("c-records").text() == "WR"
    assert first.one("c-name").text() == "Cleo CHARLIE Corrigé"
    assert page.one("lt-kicker").text() == "Paire 2"

    quiet = make_race(title="Men 500m")
    assert page_of(client.get(f"/races/{quiet.pk}/overlays/last-heat/")).one("lt").hidden


def test_the_top3_overlay_shows_the_first_three_so_far_and_medals_once_official(client, live_race):
    page = page_of(client.get(f"/races/{live_race.pk}/overlays/top3/"))
    assert page.one("t3-kicker").text() == "Top 3 so far"
    assert [row.text() for row in page.all("t3-row")] == [
        "1 JPN Cleo CHARLIE WR 36.09",
        "2 CAN Dana DELTA 36.57 +0.48",
        "3 NED Anna ALPHA 37.11(2) +1.02",
    ]
    assert page.all("medal") == []

    official(live_race)
    page = page_of(client.get(f"/races/{live_race.pk}/overlays/top3/"))
    assert page.one("t3-kicker").text() == "Podium"
    assert [medal.attrs["class"] for medal in page.all("medal")] == [
        "medal medal--gold",
        "medal medal--silver",
        "medal medal--bronze",
    ]


def test_the_on_ice_overlay_shows_the_next_pair_in_armband_colours_and_the_one_after(client):
    race = make_race(draw=FOUR_PAIRS)
    enter_heat(race, 1, {11: "38.10", 12: "38.20"})
    page = page_of(client.get(f"/races/{race.pk}/overlays/on-ice/?lang=nl"))
    rows = page.all("lt-row")

    assert page.one("lt-head").text() == "Op het ijs Rit 2 Women 500m Division A"
    assert [(row.attrs["class"], row.text()) for row in rows] == [
        ("lt-row lane-I", "I JPN Cleo CHARLIE"),
        ("lt-row lane-O", "O CAN Dana DELTA"),
    ]
    assert [lane.attrs["title"] for lane in page.one("lt-rows").all("lane")] == ["Binnenbaan", "Buitenbaan"]
    assert page.one("lt-next").text() == "Volgende Rit 3 I Eva ECHO NOR O Fay FOXTROT AIN"


def test_the_on_ice_overlay_is_empty_once_every_pair_has_skated(client, live_race):
    official(live_race)
    page = page_of(client.get(f"/races/{live_race.pk}/overlays/on-ice/"))
    assert page.one("lt").hidden


# --- the scoreboard -----------------------------------------------------------------------------------------------


def test_the_scoreboard_shows_status_progress_standings_and_who_is_on_the_ice(client, live_race):
    page = page_of(client.get(f"/races/{live_race.pk}/scoreboard/?rows=4"))
    board = page.find("main")[0]

    assert page.one("sb-head").text() == "Women 500m Division A Live Pair 3 of 4"
    standings = ref(page, "rows")
    assert [row.attrs["data-bib"] for row in standings.all("sb-row")] == ["21", "22", "11", "12"]
    assert standings.attrs["style"] == "--rows: 4"
    assert page.one("sb-view--last").hidden  # the script shows the last pair when a new one comes in
    assert [kicker.text() for kicker in page.all("sb-kicker")] == ["Standings", "Pair 3"]
    assert [row.text() for row in ref(page, "last-rows").all("sb-row")] == [
        "I NOR Eva ECHO DQ T07",
        "O AIN Fay FOXTROT 38.50 5 +2.41",
    ]
    assert page.one("sb-foot").text() == "On the ice Pair 4 I Gina GOLF KOR O Hana HOTEL CHN"
    assert (board.attrs["data-view"], board.attrs["data-hold"], board.attrs["data-rows"]) == ("standings", "10", "4")
    assert (
        '<meta name="color-scheme" content="dark">' in client.get(f"/races/{live_race.pk}/scoreboard/").content.decode()
    )


# --- the admin's snippet ------------------------------------------------------------------------------------------


def test_the_race_page_in_the_admin_offers_the_embed_snippet_and_the_overlay_addresses(client, live_race):
    client.force_login(make_official("chief", is_superuser=True))
    page = client.get(f"/admin/results/race/{live_race.pk}/change/").content.decode()
    base = f"http://testserver/races/{live_race.pk}"

    snippet = re.search(r'<textarea class="vLargeTextField broadcast-snippet"[^>]*>(.*?)</textarea>', page, re.S)
    assert unescape(snippet.group(1)) == (
        f'<iframe src="{base}/embed/?theme=dark&rows=10" title="Women 500m Division A" width="100%" height="640" '
        'style="border:0" loading="lazy"></iframe>'
    )
    for path in ("overlays/last-heat/", "overlays/top3/", "overlays/on-ice/"):
        assert f'href="{base}/{path}?theme=transparent"' in page
    assert f'href="{base}/scoreboard/"' in page


def test_pages_options_are_described_for_every_option_they_take():
    for page in (EMBED, OVERLAY, SCOREBOARD):
        assert [name for name, _ in embed_options.allowed_options(page)] == list(page.options)
