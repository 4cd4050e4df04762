"""The graphics-server kit's templates in Chromium, driven as CasparCG and SPX Graphics drive them: unpacked from
/broadcast/graphics-kit.zip, opened at 1920x1080 on a transparent page, given their fields with ``update()`` (SPX's
JSON; CasparCG's XML template data), then ``play()``. They follow the race live as a timing system saves pairs and
passages; ``next()`` turns the top 3's page; ``stop()`` wipes them out. Takes docs/screenshots/graphics-*.png
(with DOCS_SCREENSHOTS=1), transparent where the graphic leaves the picture alone.

The race is the Salt Lake City World Cup men's 1000 m (14 Nov 2025); its passage times are constructed
(tests/support/timing.py), as in tests/browser/test_projections.py.
"""

from __future__ import annotations

import http.server
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import expect

from results.web.graphics_kit import FOLDER, kit_zip
from tests.browser.test_board_passages import pair_posted, replay_pairs
from tests.browser.test_projections import setup_race
from tests.support.factories import enter_heat, make_race
from tests.support.pictures import picture_taken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRANSPARENT = "rgba(0, 0, 0, 0)"
# CasparCG's template data, as its client sends it for fields f0 and f1.
CASPAR_XML = (
    '<templateData><componentData id="f0"><data id="text" value="{server}"/></componentData>'
    '<componentData id="f1"><data id="text" value="{race}"/></componentData></templateData>'
)


@pytest.fixture
def kit_folder(tmp_path: Path) -> Path:
    """The kit as a graphics server's template folder holds it."""
    zipfile.ZipFile(io.BytesIO(kit_zip())).extractall(tmp_path)
    return tmp_path / FOLDER


@pytest.fixture
def spx_server(kit_folder: Path) -> Iterator[str]:
    """The kit's folder served over HTTP, as SPX serves its ASSETS/templates: another origin than the results."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(kit_folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def channel(browser) -> Iterator:
    """A 1920x1080 output, as a graphics server's channel."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield context
    context.close()


def template_opened(channel, url: str, errors: list[str]):
    tab = channel.new_page()
    tab.on("pageerror", lambda error: errors.append(f"{url}: {error}"))
    tab.on("console", lambda message: errors.append(f"{url}: {message.text}") if message.type == "error" else None)
    tab.goto(url)
    # Transparent: neither the page nor its body draws anything of its own.
    assert tab.evaluate("getComputedStyle(document.documentElement).backgroundColor") == TRANSPARENT
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == TRANSPARENT
    return tab


def spx_fields(server: str, race_id: int) -> str:
    """What SPX passes to update(): a JSON string of the item's fields."""
    return json.dumps({"f0": server, "f1": str(race_id), "f2": "transparent", "f3": "en", "comment": "Men 1000"})


def panel(tab):
    return tab.locator('[data-ref="panel"]')


def test_spx_plays_the_three_templates_live(live_server_url, spx_server, channel, outside_loop, artifact_path):
    race_id, rows, secret = outside_loop(setup_race)  # pairs 1 to 3 in
    errors: list[str] = []

    def post(number, upto=None):
        pair_posted(live_server_url, race_id, secret, number, upto)

    tabs = {
        name: template_opened(channel, f"{spx_server}/{name}.html", errors)
        for name in ("lower-third-last-pair", "top3", "head-to-head")
    }
    last_pair, top3, duel = tabs["lower-third-last-pair"], tabs["top3"], tabs["head-to-head"]
    for tab in tabs.values():
        tab.evaluate("fields => update(fields)", spx_fields(live_server_url, race_id))
        # Nothing is on air and nothing is followed until PLAY.
        expect(tab.locator("#board")).to_have_attribute("data-connection", "unset")
        expect(panel(tab)).to_be_hidden()
        tab.evaluate("play()")
        expect(tab.locator("#board")).to_have_attribute("data-connection", "live")

    expect(last_pair.locator('[data-ref="pair"]')).to_have_text("Pair 3")
    expect(panel(last_pair)).to_be_visible()
    expect(panel(top3)).to_be_visible()
    expect(top3.locator('[data-ref="kicker"]')).to_have_text("Top 3 so far")
    expect(top3.locator(".t3-row .c-rank")).to_have_text(["1", "2", "3"])
    expect(panel(duel)).to_be_hidden()  # nobody on the ice

    post(4)  # ŻUREK 1:06.02 leads; the lower third wipes in with pair 4
    expect(last_pair.locator('[data-ref="pair"]')).to_have_text("Pair 4")
    expect(last_pair.locator(".lt-row").first).to_have_attribute("data-bib", "157")
    expect(last_pair.locator('.lt-row[data-bib="157"]')).to_contain_text("Damian ŻUREK")
    expect(last_pair.locator('.lt-row[data-bib="157"] .c-time')).to_have_text("1:06.02")
    expect(top3.locator(".t3-row").first).to_have_attribute("data-bib", "157")

    outside_loop(replay_pairs, race_id, rows, {5, 6, 7})
    expect(last_pair.locator('[data-ref="pair"]')).to_have_text("Pair 7")
    expect(top3.locator(".t3-row .c-name").first).to_have_text("Damian ŻUREK")
    expect(top3.locator(".t3-row .c-name").last).to_have_text("Finn SONNEKALB")

    post(8, upto=200)  # WENNEMARS 16.21, STOLZ 16.38: the pair goes on the ice
    expect(panel(duel)).to_be_visible()
    expect(duel.locator('[data-ref="pair"]')).to_have_text("Pair 8")
    expect(duel.locator(".h2h-heads .h2h-at")).to_have_text(["200 m"])
    post(8, upto=600)  # STOLZ 40.98, WENNEMARS 41.22
    expect(duel.locator(".h2h-heads .h2h-at")).to_have_text(["200 m", "600 m"])
    expect(duel.locator('.h2h-row[data-bib="181"] .h2h-time')).to_have_text(["16.38", "40.98"])
    expect(duel.locator(".h2h-gap__chip")).to_have_text(["0.17", "0.24"])
    expect(duel.locator(".h2h-gap__chip").nth(0)).to_have_class("h2h-gap__chip armband-red")  # WENNEMARS, outer

    picture_taken(last_pair, artifact_path("graphics-lower-third.png"), "graphics-lower-third.png", transparent=True)
    picture_taken(top3, artifact_path("graphics-top3.png"), "graphics-top3.png", transparent=True)
    picture_taken(duel, artifact_path("graphics-head-to-head.png"), "graphics-head-to-head.png", transparent=True)

    # SPX's CONTINUE: the next three of the standings, then back to the top 3 after the last page.
    top3.evaluate("next()")
    expect(top3.locator('[data-ref="kicker"]')).to_have_text("Standings")
    expect(top3.locator(".t3-row .c-rank")).to_have_text(["4", "5", "6"])
    pages = [top3.evaluate("next(), document.querySelector('.t3-row .c-rank').textContent") for _ in range(5)]
    assert pages[:2] == ["7", "10"] and "1" in pages  # ... and after the last page, the top 3 again
    expect(top3.locator('[data-ref="kicker"]')).to_have_text("Top 3 so far" if pages[-1] == "1" else "Standings")
    last_pair.evaluate("next()")  # one step: nothing changes
    expect(last_pair.locator('[data-ref="pair"]')).to_have_text("Pair 7")

    for tab in tabs.values():
        tab.evaluate("stop()")
        expect(panel(tab)).to_be_hidden()
        expect(tab.locator("#board")).to_have_attribute("data-state", "stopped")
    post(8)  # the finishes: stopped graphics stay off air
    expect(last_pair.locator('[data-ref="pair"]')).to_have_text("Pair 8")
    expect(panel(last_pair)).to_be_hidden()
    assert errors == []


def test_casparcg_plays_a_template_from_its_folder_with_xml_template_data(
    live_server_url, kit_folder, channel, outside_loop
):
    race = outside_loop(make_race)
    other = outside_loop(make_race, title="Men 500m Division A")
    outside_loop(enter_heat, race, 1, {11: "38.50", 12: "38.12"})
    errors: list[str] = []
    tab = template_opened(channel, (kit_folder / "lower-third-last-pair.html").as_uri(), errors)

    # CG ADD with template data, then PLAY, as CasparCG calls them.
    tab.evaluate("data => update(data)", CASPAR_XML.format(server=live_server_url, race=race.pk))
    tab.evaluate("play()")
    board = tab.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    expect(panel(tab)).to_be_visible()
    expect(tab.locator('[data-ref="pair"]')).to_have_text("Pair 1")
    expect(tab.locator(".lt-row .c-name")).to_have_text(["Anna ALPHA", "Bea BRAVO"])
    expect(tab.locator('[data-ref="title"]')).to_have_text("Women 500m Division A")

    outside_loop(enter_heat, race, 2, {21: "37.90", 22: "39.01"})  # a saved pair: it follows
    expect(tab.locator('[data-ref="pair"]')).to_have_text("Pair 2")
    expect(tab.locator(".lt-row .c-rank")).to_have_text(["1", "4"])

    # CG UPDATE with JSON template data (CasparCG's "send as JSON"): another race, followed at once.
    tab.evaluate("data => update(data)", json.dumps({"f1": str(other.pk), "f3": "nl"}))
    expect(tab.locator('[data-ref="title"]')).to_have_text("Men 500m Division A")
    expect(panel(tab)).to_be_hidden()  # nothing skated there yet
    outside_loop(enter_heat, other, 1, {11: "35.10", 12: "35.20"})
    expect(tab.locator('[data-ref="pair"]')).to_have_text("Rit 1")

    tab.evaluate("stop()")  # CG STOP
    expect(panel(tab)).to_be_hidden()
    assert errors == []
