"""A new timing official on race day, in Chromium: from the login page to typing a pair in two clicks ("Log in",
then the race office's button for the race being skated), the rest on the keyboard. Takes
docs/screenshots/officials-race-office.png (with DOCS_SCREENSHOTS=1)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from results.models import Race
from results.roles import TIMING_OFFICIAL
from tests.support.entry_screen import entry_ready, time_field
from tests.support.factories import PASSWORD, enter_heat, make_competition, make_race, make_user
from tests.support.pictures import picture_taken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def todays_competition() -> Race:
    """Today's competition: a 1000 m done and official, the 500 m under way (pair 1 in), a 1500 m to come."""
    competition = make_competition("World Cup Heerenveen")
    today = timezone.localdate()
    competition.starts_on = competition.ends_on = today
    competition.save()
    thousand = make_race(competition, title="Women 1000m Division A", distance=1000)
    five = make_race(competition, title="Women 500m Division A")
    make_race(competition, title="Women 1500m Division A", distance=1500)
    for heat in (1, 2, 3):
        enter_heat(thousand, heat, {heat * 10 + 1: "1:14.10", heat * 10 + 2: "1:15.20"})
    enter_heat(five, 1, {11: "38.12", 12: "38.50"})
    make_user("tina", TIMING_OFFICIAL)
    return five


def test_from_login_to_typing_a_pair_in_two_clicks(live_server_url, page, page_errors, outside_loop, artifact_path):
    five = outside_loop(todays_competition)
    page.set_viewport_size({"width": 1280, "height": 800})
    clicks = 0
    page.goto(f"{live_server_url}/admin/")
    page.fill("#id_username", "tina")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    clicks += 1

    office = page.locator(".race-office")
    expect(office.locator(".race-office__title")).to_have_text("World Cup Heerenveen")
    expect(office.locator(".race-office__now")).to_contain_text("Live now")
    expect(office.locator(".race-office__now")).to_contain_text("Women 500m Division A")
    expect(office.locator(".race-office__pairs")).to_have_text(["3 of 3", "1 of 3", "0 of 3"])
    picture_taken(page, artifact_path("officials-race-office.png"), "officials-race-office.png")

    office.locator(".race-office__now").click()
    clicks += 1
    entry_ready(page)
    assert page.url.endswith(f"/admin/results/race/{five.pk}/enter/")
    # The cursor waits in the first time field of the first pair still to enter: pair 2.
    expect(time_field(page, 21)).to_be_focused()
    page.keyboard.type("37.90")
    for _ in range(3):
        page.keyboard.press("Tab")
    page.keyboard.type("38.01")
    page.keyboard.press("Enter")
    expect(page.locator("#entry-messages li.success")).to_contain_text("Pair 2 saved")
    assert clicks == 2
    assert page_errors == []
