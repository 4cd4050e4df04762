"""The public pages in the spectator's language, in Chromium: a Dutch browser gets a Dutch board whose script keeps
it live in Dutch (the words it draws from each snapshot come from the JavaScript catalog), the header's switch turns
it German, and the switch works without JavaScript too. Under the Content-Security-Policy, without an error. The
pictures (artifacts/) show the switch in the header of a phone and of a large screen, in Dutch and in Japanese."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from results.models import Race
from tests.support.factories import FOUR_PAIRS, enter_heat, make_race

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every refusal of the policy, as "directive blocked-url" (tests/browser/test_content_policy.py watches the same).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`);
});
"""
PHONE = {"width": 390, "height": 844}
LARGE = {"width": 1920, "height": 1080}


def two_pairs_skated() -> Race:
    """Women 500 m, four pairs: the first two skated, the third and fourth to come."""
    race = make_race(draw=FOUR_PAIRS)
    enter_heat(race, 1, {11: "38.12", 12: "38.45"})
    enter_heat(race, 2, {21: "37.90", 22: "38.01"})
    return race


def browser_page(browser, locale: str, errors: list[str], viewport: dict[str, int] | None = None, **options: Any):
    """A page in a context of its own whose browser speaks ``locale`` (Accept-Language, navigator.language)."""
    context = browser.new_context(locale=locale, viewport=viewport or {"width": 1280, "height": 900}, **options)
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error" else None)
    return page


def live(page) -> None:
    expect(page.locator("#board")).to_have_attribute("data-connection", "live")


def test_a_dutch_board_stays_dutch_as_it_goes_live_and_the_switch_makes_it_german(
    live_server_url, browser, outside_loop, artifact_path
):
    race = outside_loop(two_pairs_skated)
    errors: list[str] = []
    page = browser_page(browser, "nl-NL", errors)
    page.goto(f"{live_server_url}/races/{race.pk}/")
    board = page.locator("#board")
    live(page)

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("select[name=language]")).to_have_value("nl")
    expect(board.locator("[data-ref=connection-label]")).to_have_text("Live bijgewerkt")  # the script's own words
    version = int(board.get_attribute("data-version") or 0)

    outside_loop(enter_heat, race, 3, {31: "38.30", 32: "37.80"})

    expect(board).to_have_attribute("data-version", str(version + 1))  # drawn by leaderboard.js, not the server
    expect(board.locator("[data-ref=progress-text]")).to_have_text("Rit 3 van 4")
    # The pair to come, and when: "≈ 14:05", or "zo meteen" once that time has passed.
    expect(board.locator(".next-heat__title")).to_have_text([re.compile(r"^Rit 4( ≈ \d\d:\d\d| zo meteen)?$")])
    expect(board.locator("[data-ref=announcer]")).to_have_text("Rit 3: Fay FOXTROT 37.80, 1e. Eva ECHO 38.30, 5e.")
    expect(board.locator("[data-ref=updated]")).to_contain_text("bijgewerkt om")
    expect(board.locator('tr.row[data-bib="32"] .lane')).to_have_attribute("title", "Buitenbaan, rode armband")
    expect(page.locator("li.next-skater .follow-star").first).to_have_attribute("title", "Gina GOLF volgen")

    with page.expect_navigation():
        page.locator("select[name=language]").select_option("de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.url == f"{live_server_url}/races/{race.pk}/"
    live(page)
    expect(board.locator("[data-ref=connection-label]")).to_have_text("Live-Aktualisierung")
    version = int(board.get_attribute("data-version") or 0)

    outside_loop(enter_heat, race, 4, {41: "38.00", 42: "DNF"})

    expect(board).to_have_attribute("data-version", str(version + 1))
    expect(board.locator("[data-ref=status]")).to_have_text("Inoffiziell")
    expect(board.locator("[data-ref=progress-text]")).to_have_text("Paar 4 von 4")
    expect(board.locator("[data-ref=next-empty]")).to_have_text("Alle Paare sind gelaufen.")
    expect(board.locator("[data-ref=announcer]")).to_have_text(
        "Paar 4: Gina GOLF 38.00, Platz 3. Hana HOTEL nicht im Ziel. "
        "Alle Paare sind gelaufen; die Ergebnisse sind inoffiziell."
    )
    # The choice outlives the page: the competition's page, opened anew, is German too, whatever the browser says.
    page.goto(f"{live_server_url}/competitions/{race.competition_id}/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator(".page-head__eyebrow")).to_have_text("Wettkämpfe")

    assert page.evaluate("window.__violations") == []
    assert errors == []
    page.context.close()


def test_picking_with_the_arrow_keys_waits_for_enter(live_server_url, browser, outside_loop):
    race = outside_loop(make_race)
    errors: list[str] = []
    page = browser_page(browser, "en-GB", errors)
    page.goto(f"{live_server_url}/races/{race.pk}/")
    page.evaluate("window.__notReloaded = true")
    switch = page.locator("select[name=language]")

    switch.focus()
    page.keyboard.press("ArrowDown")  # to Nederlands: on the way to another language, maybe
    page.keyboard.press("ArrowDown")  # to Deutsch
    page.wait_for_timeout(500)
    assert page.evaluate("window.__notReloaded") is True
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert errors == []
    page.context.close()


def test_the_switch_works_without_javascript(live_server_url, browser, outside_loop):
    race = outside_loop(make_race)
    errors: list[str] = []
    page = browser_page(browser, "ja-JP", errors, java_script_enabled=False)
    page.goto(f"{live_server_url}/races/{race.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator(".next-heat__title").first).to_have_text("第1組")

    page.locator("select[name=language]").select_option("nb")
    button = page.get_by_role("button", name="言語を変更")
    expect(button).to_be_visible()
    with page.expect_navigation():
        button.click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator(".next-heat__title").first).to_have_text("Par 1")
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("locale", ["nl-NL", "ja-JP"])
def test_the_switch_fits_the_header_of_a_phone_and_of_a_large_screen(
    live_server_url, browser, outside_loop, artifact_path, locale
):
    race = outside_loop(two_pairs_skated)
    errors: list[str] = []
    for name, viewport in (("phone", PHONE), ("large", LARGE)):
        page = browser_page(browser, locale, errors, viewport, has_touch=name == "phone")
        page.goto(f"{live_server_url}/races/{race.pk}/")
        live(page)

        header = page.locator(".site-header__inner").bounding_box()
        brand = page.locator(".brand").bounding_box()
        switch = page.locator(".language-switch").bounding_box()
        assert header and brand and switch
        assert switch["x"] + switch["width"] <= viewport["width"], name  # within the screen
        assert brand["x"] + brand["width"] < switch["x"], name  # beside the brand, not over it
        assert switch["y"] >= header["y"] and switch["y"] + switch["height"] <= header["y"] + header["height"], name
        assert header["height"] < 80, name  # one line
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
        page.screenshot(path=artifact_path(f"{name}.png"), animations="disabled")
        assert page.evaluate("window.__violations") == []
        page.context.close()
    assert errors == []
