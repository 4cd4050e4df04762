"""Passages on the public board, in Chromium: a timing system posts over HTTP, and the open board shows who is on
the ice with their latest passage, rank there and gap to the leader (red slower, green faster) without a reload;
a finisher's row opens to their splits and laps by click or keyboard; without JavaScript the same is readable.
The TV overlay "on the ice" shows the latest passage too. Takes docs/screenshots/board-passages.png (written there
with DOCS_SCREENSHOTS=1, to artifacts/ always).

The race is the Salt Lake City World Cup men's 1000 m (14 Nov 2025). Its sheet gives finish times only: the
passage times here are constructed, plausible for those finishes (see tests/flows/test_timing_replay.py).
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from results.demo.replay import heat_results_replay
from tests.support.timing import MEN_1000, in_time_order, make_timing_token, passages_path, sheet_race

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def posted(base_url: str, race_id: int, secret: str, body: dict) -> dict:
    request = urllib.request.Request(
        base_url + passages_path(race_id),
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        pytest.fail(f"{body} was refused: {error.code} {error.read().decode()}")


def pair_posted(base_url: str, race_id: int, secret: str, number: int, upto: int | None = None) -> None:
    """Post pair ``number``'s passages and finishes (MEN_1000) in time order, those up to ``upto`` metres only."""
    for time_ms, bib, metres in in_time_order(MEN_1000[number]):
        if upto is None or metres <= upto:
            posted(base_url, race_id, secret, {"heat": number, "bib": bib, "distance": metres, "time_ms": time_ms})


def setup_race():
    """The sheet's race with pairs 1 to 3 entered by hand; a token for the timing system."""
    race, rows = sheet_race("wc1-salt-lake-city-2025-11-14-men-1000-a", "Men 1000m Division A", 1000)
    heat_results_replay(race=race, rows=[row for row in rows if row.heat <= 3])
    return race.pk, rows, make_timing_token(race.competition)


def replay_pairs(race_id, rows, numbers):
    from results.models import Race

    heat_results_replay(race=Race.objects.get(pk=race_id), rows=[row for row in rows if row.heat in numbers])


def on_ice_row(board, bib):
    return board.locator(f'.on-ice-skater[data-bib="{bib}"]')


def test_the_board_shows_passages_live_and_opens_a_finishers_splits(
    live_server_url, browser, page, page_errors, outside_loop, artifact_path
):
    race_id, rows, secret = outside_loop(setup_race)

    def post(number, upto=None):
        pair_posted(live_server_url, race_id, secret, number, upto)

    post(4)  # Żurek 1:06.02 leads, with his splits
    outside_loop(replay_pairs, race_id, rows, {5, 6, 7})

    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{live_server_url}/races/{race_id}/")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    on_ice = page.locator("section.on-ice")
    expect(on_ice).to_be_hidden()
    expect(page.locator(".next-heat__title").first).to_contain_text("Pair 8")  # and its expected start

    post(8, upto=200)  # Wennemars 16.21 and Stolz 16.38 at 200 m
    expect(on_ice).to_be_visible()
    expect(on_ice.locator(".on-ice-heat__title")).to_have_text("Pair 8")
    expect(page.locator(".next-heat__title").first).to_contain_text("Pair 9")  # pair 8 is on the ice, not next
    wennemars = on_ice_row(board, 131)
    expect(wennemars.locator(".oi-at")).to_have_text("200 m")
    expect(wennemars.locator(".oi-time")).to_have_text("16.21")
    expect(wennemars.locator(".oi-rank")).to_have_text("1")
    expect(wennemars.locator(".gap")).to_have_text("-0.09")
    expect(wennemars.locator(".gap")).to_have_class("gap gap--ahead")

    post(8, upto=600)  # Stolz 40.98, Wennemars 41.22 at 600 m
    stolz = on_ice_row(board, 181)
    expect(stolz.locator(".oi-time")).to_have_text("40.98")
    expect(stolz.locator(".gap")).to_have_text("-0.07")
    expect(wennemars.locator(".oi-time")).to_have_text("41.22")
    expect(wennemars.locator(".oi-rank")).to_have_text("3")
    expect(wennemars.locator(".gap")).to_have_text("+0.17")
    expect(wennemars.locator(".gap")).to_have_class("gap gap--behind")
    red = wennemars.locator(".gap").evaluate("node => getComputedStyle(node).backgroundColor")
    green = stolz.locator(".gap").evaluate("node => getComputedStyle(node).backgroundColor")
    assert (red, green) == ("rgb(215, 20, 26)", "rgb(31, 157, 85)")

    # The leader's row opens to his splits: a click anywhere on the row, and the button says it is open.
    zurek = board.locator('tr.row[data-bib="157"]')
    toggle = zurek.locator("button.splits-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#splits-157")).to_be_hidden()
    zurek.locator(".col-skater").click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    splits = page.locator("#splits-157 .split")
    expect(splits).to_have_text(["200 m 16.30", "600 m 41.05 lap 24.75", "1000 m 1:06.02 lap 24.97"])
    # Pairs entered by hand have no splits and nothing to open.
    expect(board.locator('tr.row[data-bib="47"] button.splits-toggle')).to_have_count(0)

    page.wait_for_timeout(600)  # let the row animation settle for the picture
    page.screenshot(path=artifact_path("board-passages.png"), animations="disabled")
    if os.environ.get("DOCS_SCREENSHOTS"):
        shutil.copy(artifact_path("board-passages.png"), DOCS_SCREENSHOTS / "board-passages.png")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing overflows sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifact_path("board-passages-phone.png"), animations="disabled")
    page.set_viewport_size({"width": 1280, "height": 1000})

    # Without JavaScript: the same pair on the ice, and every finisher's splits under their row.
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    static_page = plain.new_page()
    static_page.goto(f"{live_server_url}/races/{race_id}/")
    expect(static_page.locator('.on-ice-skater[data-bib="181"] .gap')).to_have_text("-0.07")
    expect(static_page.locator("#splits-151")).to_be_visible()
    expect(static_page.locator("button.splits-toggle").first).to_be_hidden()
    plain.close()

    # The TV overlay shows the latest passage too, and follows the next one.
    overlay_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    overlay = overlay_context.new_page()
    overlay.goto(f"{live_server_url}/races/{race_id}/overlays/on-ice/?theme=transparent")
    plate = overlay.locator('.lt-row[data-bib="181"]')
    expect(plate.locator(".c-at")).to_have_text("600 m")
    expect(plate.locator(".c-split")).to_have_text("40.98")
    expect(plate.locator(".gap")).to_have_text("-0.07")
    overlay.wait_for_timeout(1200)  # the plates' entrance
    overlay.screenshot(path=artifact_path("overlay-on-ice-passages.png"))

    post(8)  # the finishes: Stolz 1:05.66 leads, Wennemars 1:07.012
    expect(overlay.locator('[data-ref="pair"]')).to_have_text("Pair 9")  # the next pair, not yet timed
    expect(overlay.locator(".c-split")).to_have_text(["", ""])
    overlay_context.close()
    expect(on_ice).to_be_hidden()
    expect(board.locator("tbody tr.row").first).to_have_attribute("data-bib", "181")
    # Each finish is announced as it comes, the second skater of the pair too.
    expect(page.locator("[aria-live=polite]")).to_have_text("Pair 8: Joep WENNEMARS 1:07.01, 7th.")
    expect(toggle).to_have_attribute("aria-expanded", "true")  # what the spectator opened stays open
    expect(page.locator("#splits-157")).to_be_visible()

    # The keyboard: Tab to Stolz's button, Enter opens his splits, Enter again closes them.
    stolz_toggle = board.locator('tr.row[data-bib="181"] button.splits-toggle')
    stolz_toggle.focus()
    page.keyboard.press("Enter")
    expect(stolz_toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#splits-181 .split")).to_have_text(
        ["200 m 16.38", "600 m 40.98 lap 24.60", "1000 m 1:05.66 lap 24.68"]
    )
    page.keyboard.press("Enter")
    expect(stolz_toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#splits-181")).to_be_hidden()
    assert page_errors == []
