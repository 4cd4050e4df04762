"""A live sprint classification in Chromium: a pair saved in another process re-ranks the open classification page
without a reload, on a desktop and on a phone. Takes the picture in docs/classifications.md (written to
docs/screenshots/ with DOCS_SCREENSHOTS=1, to artifacts/ always).

The field: Leerdam's times are hers at the 2022 World Sprint; Kok's and Herzog's are made up to give docs/rules.md's
totals; the others are invented."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from results.rules.classification import KIND_DISTANCES, SPRINT
from results.services.classifications import classification_create
from tests.support.factories import enter_heat, make_competition, make_race

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# bib, name, nation, times over 500, 1000, 500, 1000
FIELD = {
    1: ("Jutta LEERDAM", "NED", ("38.11", "1:14.88", "38.11", "1:14.96")),
    2: ("Femke KOK", "NED", ("37.92", "1:15.53", "37.87", "1:15.32")),
    3: ("Vanessa HERZOG", "AUT", ("38.31", "1:16.11", "38.05", "1:15.62")),
    4: ("Dana DELTA", "CAN", ("39.00", "1:17.00", "39.10", "1:17.20")),
    5: ("Anna ALPHA", "NOR", ("38.60", "1:15.90", "38.48", "1:15.75")),
    6: ("Bea BRAVO", "USA", ("38.75", "1:16.40", "38.70", "1:16.30")),
    7: ("Cleo CHARLIE", "JPN", ("38.02", "1:16.80", "38.20", "1:16.90")),
    8: ("Eva ECHO", "POL", ("39.20", "1:17.40", "DQ T04", "1:17.80")),
}
# The leaders skate last, as on a championship's second day.
PAIRS = {1: (8, 4), 2: (6, 7), 3: (5, 3), 4: (1, 2)}
DRAW = [
    (heat, lane, bib, *FIELD[bib][:2]) for heat, bibs in PAIRS.items() for lane, bib in zip("IO", bibs, strict=True)
]
TITLES = ["Women 500m, day 1", "Women 1000m, day 1", "Women 500m, day 2", "Women 1000m, day 2"]


def make_live_sprint():
    """Two distances skated, and the first two pairs of the second 500 m (a false start among them)."""
    competition = make_competition("ISU World Sprint Championships")
    races = [
        make_race(competition, title=title, distance=distance, points_table=(), draw=DRAW)
        for title, distance in zip(TITLES, KIND_DISTANCES[SPRINT], strict=True)
    ]
    classification = classification_create(
        competition=competition, name="Sprint classification, women", gender="women", kind=SPRINT, races=races
    )
    for position, race in enumerate(races[:3]):
        for heat in PAIRS if position < 2 else (1, 2):
            skate(race, position, heat)
    return classification, races


def skate(race, position, heat):
    enter_heat(race, heat, {bib: FIELD[bib][2][position] for bib in PAIRS[heat]})


def names(board):
    return board.locator("tbody tr.row .name").all_inner_texts()


def test_a_pair_saved_elsewhere_re_ranks_the_classification_without_reload(
    live_server_url, page, page_errors, outside_loop, artifact_path
):
    classification, races = outside_loop(make_live_sprint)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server_url}/classifications/{classification.pk}/")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    version = int(board.get_attribute("data-version"))
    page.evaluate("window.__notReloaded = true")
    assert names(board) == [
        "Cleo CHARLIE",
        "Bea BRAVO",
        "Dana DELTA",
        "Jutta LEERDAM",
        "Femke KOK",
        "Vanessa HERZOG",
        "Anna ALPHA",
        "Eva ECHO",
    ]
    expect(board.locator("tr.is-waiting")).to_have_count(4)

    outside_loop(skate, races[2], 2, 3)  # pair 3 of the second 500 m: Alpha and Herzog
    expect(board).to_have_attribute("data-version", str(version + 1))
    assert names(board)[:3] == ["Vanessa HERZOG", "Cleo CHARLIE", "Anna ALPHA"]
    herzog = board.locator("tr.row", has_text="Vanessa HERZOG")
    expect(herzog.locator(".col-rank")).to_have_text("1")
    expect(herzog.locator(".col-total")).to_have_text("114.415")
    expect(herzog).to_have_class("row is-podium rank-1 is-new")
    expect(board.locator("tr.row", has_text="Cleo CHARLIE").locator(".col-behind")).to_have_text("+0.41")
    expect(board.locator("tr.is-waiting")).to_have_count(2)
    expect(board.locator("tr.row", has_text="Eva ECHO")).to_have_class("row is-out")
    expect(board.locator("thead .col-behind")).to_contain_text("s, 1000 m")
    expect(page.locator("[aria-live=polite]")).to_contain_text("Vanessa HERZOG 1st with 114.415 points.")
    picture(page, artifact_path("classification.png"), "classification.png")

    phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    try:
        small = phone.new_page()
        small.goto(page.url)
        expect(small.locator("#board")).to_have_attribute("data-connection", "live")
        # Only the distance being skated keeps its column on a phone.
        expect(small.locator("thead th.col-dist:visible")).to_have_count(1)
        expect(small.locator("thead th.col-dist.is-current")).to_contain_text("500 m")
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the phone page scrolls sideways: {width}px"
        small.screenshot(path=artifact_path("phone.png"), full_page=True, animations="disabled")
    finally:
        phone.close()

    outside_loop(skate, races[2], 2, 4)  # the leaders' pair: Kok back in front of Leerdam by 0.105 points
    expect(board).to_have_attribute("data-version", str(version + 2))
    assert names(board)[:3] == ["Femke KOK", "Jutta LEERDAM", "Vanessa HERZOG"]
    expect(board.locator("tr.row", has_text="Jutta LEERDAM").locator(".col-behind")).to_have_text("+0.21")
    expect(board.locator("tr.is-waiting")).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True
    assert page_errors == []


def picture(page, path: Path, name: str) -> None:
    page.mouse.move(0, 0)
    page.wait_for_timeout(600)  # the rows' slide ends (400 ms)
    page.screenshot(path=path, full_page=True, animations="disabled")
    if os.environ.get("DOCS_SCREENSHOTS"):
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / name)
