"""Race intelligence in Chromium: a timing system posts a pair's passages over HTTP and the open board, the on-ice
overlay and the head-to-head overlay show, without a reload, each skater's projected finish (labelled as one),
the pair side by side and what it takes. Takes docs/screenshots/board-projections.png, board-projections-phone.png,
overlay-on-ice-projection.png and overlay-head-to-head.png (with DOCS_SCREENSHOTS=1).

The race is the Salt Lake City World Cup men's 1000 m (14 Nov 2025); its passage times are constructed
(tests/support/timing.py). The figures are those worked out by hand in tests/flows/test_projections.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_board_passages import pair_posted, replay_pairs
from tests.support.pictures import picture_taken
from tests.support.timing import make_timing_token, sheet_race

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def setup_race():
    """Pairs 1 to 3 entered by hand; a token for the timing system."""
    race, rows = sheet_race("wc1-salt-lake-city-2025-11-14-men-1000-a", "Men 1000m Division A", 1000)
    replay_pairs(race.pk, rows, {1, 2, 3})
    return race.pk, rows, make_timing_token(race.competition)


def test_projections_head_to_head_and_what_it_takes_follow_the_passages(
    live_server_url, browser, page, page_errors, outside_loop, artifact_path
):
    race_id, rows, secret = outside_loop(setup_race)

    def post(number, upto=None):
        pair_posted(live_server_url, race_id, secret, number, upto)

    post(4)  # ŻUREK 16.30, 41.05, 1:06.02: the leader, with his splits
    outside_loop(replay_pairs, race_id, rows, {5, 6, 7})

    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{live_server_url}/races/{race_id}/")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    taken = board.locator('[data-ref="what-it-takes"]')
    expect(taken.locator("dd")).to_have_text(["1:06.02 Damian ŻUREK", "1:06.48 Finn SONNEKALB", "any finish"])

    overlays = browser.new_context(viewport={"width": 1920, "height": 1080})
    on_ice_overlay = overlays.new_page()
    on_ice_overlay.goto(f"{live_server_url}/races/{race_id}/overlays/on-ice/?theme=transparent")
    duel_overlay = overlays.new_page()
    duel_overlay.goto(f"{live_server_url}/races/{race_id}/overlays/head-to-head/?theme=transparent")
    expect(duel_overlay.locator('[data-ref="panel"]')).to_be_hidden()  # nobody on the ice yet

    post(8, upto=200)  # WENNEMARS 16.21, STOLZ 16.38
    stolz = board.locator('.on-ice-skater[data-bib="181"]')
    expect(stolz.locator(".projection")).to_have_text("proj. 1:06.10 2")
    expect(stolz.locator(".projection__gaps")).to_have_text("as Damian ŻUREK · podium -0.38")
    wennemars = board.locator('.on-ice-skater[data-bib="131"]')
    expect(wennemars.locator(".projection__time")).to_have_text("1:05.93")

    post(8, upto=600)  # STOLZ 40.98, WENNEMARS 41.22
    expect(stolz.locator(".projection")).to_have_text("proj. 1:05.95 1")
    expect(wennemars.locator(".projection")).to_have_text("proj. 1:06.19 2")
    # A projection never looks like a result: italic, and labelled.
    assert stolz.locator(".projection").evaluate("node => getComputedStyle(node).fontStyle") == "italic"
    duel = board.locator(".on-ice-duel .duel")
    expect(duel.locator("thead th")).to_have_text(["", "200 m", "600 m"])
    expect(duel.locator("tbody tr").nth(0)).to_have_text("Jordan STOLZ16.3840.98")
    expect(duel.locator("tbody tr").nth(1)).to_have_text("Joep WENNEMARS16.2141.22")
    expect(duel.locator("td.is-ahead")).to_have_text(["40.98", "16.21"])  # row by row: STOLZ's, then WENNEMARS'
    expect(duel.locator(".duel__gaps td")).to_have_text([" 0.17", " 0.24"])
    picture_taken(page, artifact_path("board-projections.png"), "board-projections.png")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing overflows sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    board.locator("section.on-ice").scroll_into_view_if_needed()
    picture_taken(page, artifact_path("board-projections-phone.png"), "board-projections-phone.png")

    plate = on_ice_overlay.locator('.lt-row[data-bib="181"]')
    expect(plate.locator(".c-proj")).to_have_text("Proj. 1:05.95 1")
    picture_taken(on_ice_overlay, artifact_path("overlay-on-ice-projection.png"), "overlay-on-ice-projection.png")

    panel = duel_overlay.locator('[data-ref="panel"]')
    expect(panel).to_be_visible()
    expect(panel.locator('[data-ref="pair"]')).to_have_text("Pair 8")
    expect(panel.locator(".h2h-heads .h2h-at")).to_have_text(["200 m", "600 m"])
    expect(panel.locator('.h2h-row[data-bib="181"] .h2h-time')).to_have_text(["16.38", "40.98"])
    expect(panel.locator(".h2h-gap__chip")).to_have_text(["0.17", "0.24"])
    expect(panel.locator(".h2h-gap__chip").nth(0)).to_have_class("h2h-gap__chip armband-red")  # WENNEMARS, outer
    picture_taken(duel_overlay, artifact_path("overlay-head-to-head.png"), "overlay-head-to-head.png")

    # Without JavaScript the board reads the same: the server draws the projections, the duel and what it takes.
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    static_page = plain.new_page()
    static_page.goto(f"{live_server_url}/races/{race_id}/")
    expect(static_page.locator('.on-ice-skater[data-bib="181"] .projection')).to_have_text("proj. 1:05.95 1")
    expect(static_page.locator(".duel td.is-ahead")).to_have_text(["40.98", "16.21"])
    expect(static_page.locator('[data-ref="what-it-takes"] dd').first).to_have_text("1:06.02 Damian ŻUREK")
    plain.close()

    post(8)  # the finishes: STOLZ 1:05.66 leads; the pair leaves the ice
    expect(taken.locator("dd")).to_have_text(["1:05.66 Jordan STOLZ", "1:06.47 Zhongyan NING", "any finish"])
    expect(board.locator("section.on-ice")).to_be_hidden()
    expect(panel).to_be_hidden()
    overlays.close()

    assert page_errors == []
