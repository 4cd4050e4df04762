"""Following skaters, in Chromium: a spectator stars a skater on a board, the star and the highlight stay after a
reload and on every board, "My skaters" says when the skater is expected on the ice, and the open board tells when
the skater's pair is saved in the admin. The pictures in docs/spectators.md come from here (DOCS_SCREENSHOTS=1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from results import services
from results.models import Race
from results.roles import TIMING_OFFICIAL
from tests.support.entry_screen import entry_ready, log_in, time_field
from tests.support.factories import enter_heat, make_race, make_user, pairs_draw
from tests.support.following import LAPTOP, notifying_page, star
from tests.support.pictures import picture_taken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scheduled_race() -> Race:
    """Women 500 m, three pairs, the first due in an hour."""
    race = make_race()
    race.scheduled_start = (timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    return services.race_save(race=race, by=None)


def test_a_star_is_kept_and_my_skaters_says_when_the_skater_is_on_the_ice(
    live_server_url, page, page_errors, outside_loop, artifact_path
):
    race = outside_loop(scheduled_race)
    page.goto(f"{live_server_url}/races/{race.pk}/")
    expect(page.locator("#board")).to_have_attribute("data-connection", "live")

    star(page, "Eva ECHO").click()
    expect(star(page, "Eva ECHO")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(star(page, "Eva ECHO")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("li.next-skater.is-followed .name")).to_have_text(["Eva ECHO"])
    expect(star(page, "Anna ALPHA")).to_have_attribute("aria-pressed", "false")
    picture_taken(page, artifact_path("star.png"), "spectators-star.png")

    page.goto(f"{live_server_url}/competitions/{race.competition_id}/my-skaters/")
    card = page.locator('.my-skater[data-skater]:has-text("Eva ECHO")')
    expect(card.locator(".my-entry__pair")).to_have_text("Pair 3")
    expect(card.locator(".lane")).to_have_text(re.compile(r"^([IO]) (inner|outer) lane$"))  # what a reader hears
    # Pair 1 an hour from now, pairs 105 s apart at 500 m before any has started: pair 3 210 s after pair 1.
    expected = page.evaluate(
        "iso => new Date(iso).toLocaleTimeString('en', {hour: '2-digit', minute: '2-digit'})",
        (race.scheduled_start + timedelta(seconds=210)).isoformat(),
    )
    expect(card.locator("time.eta")).to_have_text(f"≈ {expected}")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    picture_taken(page, artifact_path("my-skaters.png"), "spectators-my-skaters.png", full_page=True)
    assert page_errors == []


def test_the_open_board_tells_when_a_followed_skaters_pair_saved_in_the_admin_is_on_deck_and_has_finished(
    live_server_url, browser, outside_loop, artifact_path
):
    race = outside_loop(scheduled_race)
    context, page = notifying_page(browser, LAPTOP)
    page.goto(f"{live_server_url}/races/{race.pk}/")
    expect(page.locator("#board")).to_have_attribute("data-connection", "live")
    star(page, "Anna ALPHA").click()
    star(page, "Eva ECHO").click()
    assert page.evaluate("Notification.permission") == "granted"

    # A timing official saves pair 1 on the entry screen, in another window.
    outside_loop(make_user, "tina", TIMING_OFFICIAL)
    admin = context.new_page()
    log_in(admin, live_server_url, "tina", f"/admin/results/race/{race.pk}/enter/")
    entry_ready(admin)
    time_field(admin, 11).fill("38.12")
    time_field(admin, 12).fill("38.50")
    time_field(admin, 12).press("Enter")
    expect(admin.locator("#entry-messages li.success")).to_contain_text("Pair 1 saved")
    page.bring_to_front()

    expect(page.locator(".notice--finished")).to_contain_text("Anna ALPHA 38.12")
    expect(page.locator(".notice--finished")).to_contain_text("provisional rank 1")
    expect(page.locator(".notice--on_deck")).to_contain_text("Eva ECHO skates soon")
    expect(page.locator(".notice--on_deck")).to_contain_text("Pair 3")
    picture_taken(page, artifact_path("notices.png"), "spectators-notices.png")
    context.close()


def test_the_whole_start_list_gives_every_pair_its_expected_start_and_a_star(live_server_url, page, outside_loop):
    race = outside_loop(make_race, draw=pairs_draw(6))
    race.scheduled_start = (timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    outside_loop(services.race_save, race=race, by=None)
    page.goto(f"{live_server_url}/races/{race.pk}/")
    expect(page.locator("#board")).to_have_attribute("data-connection", "live")
    expect(page.locator(".next .next-heat")).to_have_count(3)

    page.locator(".start-list__summary").click()
    pairs = page.locator(".start-list__pair")
    expect(pairs).to_have_count(6)
    expect(pairs.locator(".next-heat__title time.eta")).to_have_count(6)
    last = pairs.last.locator(".next-skater:has-text('Skater 6O')")
    last.locator(".follow-star").click()
    expect(last).to_have_class(re.compile(r"\bis-followed\b"))

    outside_loop(enter_heat, race, 1, {10: "38.10", 11: "38.20"})  # the list follows the race while open
    expect(pairs).to_have_count(5)
