"""World Cup standings live in Chromium: a pair of a World Cup race saved in another process moves the open
standings page without a reload, and the banner says which race counts provisionally."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.factories import enter_heat
from tests.support.pictures import picture_taken
from tests.support.world_cup import make_season

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pair_saved_elsewhere_moves_the_world_cup_standings_without_reload(
    live_server_url, page, page_errors, outside_loop
):
    series, _first, second = outside_loop(make_season)
    page.goto(f"{live_server_url}/series/{series.pk}/women/500/")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    version = int(board.get_attribute("data-version"))
    page.evaluate("window.__notReloaded = true")
    expect(board.locator("[data-ref=provisional]")).to_be_hidden()

    outside_loop(enter_heat, second, 2, {21: "37.50", 22: "38.00"})  # Charlie 60, Delta 54
    expect(board).to_have_attribute("data-version", str(version + 1))
    expect(board.locator("[data-ref=provisional]")).to_have_text("Provisional, with Women 500m Division A")
    expect(board.locator("thead th.col-dist")).to_have_text(["World Cup #1", "World Cup #2"])
    charlie = board.locator("tr.row", has_text="Cleo CHARLIE")
    expect(charlie.locator("td:not(.col-skater)")).to_have_text(["1", "48", "60", "108"])
    expect(board.locator("tbody tr.row .name").first).to_have_text("Cleo CHARLIE")
    expect(board.locator("tr.row", has_text="Anna ALPHA").locator("td:not(.col-skater)")).to_have_text(
        ["3", "60", "", "60"]
    )

    outside_loop(enter_heat, second, 1, {11: "38.00", 12: "38.10"})
    expect(board).to_have_attribute("data-version", str(version + 2))
    # Alpha's 38.00 ties Delta's for 2nd in the race: 54 each.
    expect(board.locator("tr.row", has_text="Anna ALPHA").locator(".col-total")).to_have_text("114")
    assert page.evaluate("window.__notReloaded") is True
    assert page_errors == []


def real_season():
    """Salt Lake City and Heerenveen imported from their official lists, as `manage.py import_round` does."""
    from tests.support.world_cup import WC1, WC3, import_official_round, make_series

    series = make_series()
    import_official_round(series, WC1)
    import_official_round(series, WC3)
    return series


def test_the_real_standings_read_at_a_glance_on_a_laptop_and_a_phone(
    live_server_url, page, page_errors, outside_loop, artifact_path
):
    series = outside_loop(real_season)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server_url}/series/{series.pk}/women/500/")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    expect(board.locator("thead th.col-dist")).to_have_count(2)  # a column per round, in date order
    leader = board.locator("tbody tr.row").first
    expect(leader.locator(".name")).to_have_text("Femke KOK")
    picture_taken(page, artifact_path("series-standings.png"), "series-standings.png")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    picture_taken(page, artifact_path("series-standings-phone.png"), "series-standings-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server_url}/series/{series.pk}/")
    picture_taken(page, artifact_path("series.png"), "series.png")
    assert page_errors == []
