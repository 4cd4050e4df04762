"""The public board in a real browser, served by a real Daphne process: a result saved elsewhere appears on the
open page without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.factories import enter_heat, make_race

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_shows_a_heat_saved_in_another_process_without_reload(
    live_server_url, page, page_errors, outside_loop, artifact_path
):
    race = outside_loop(make_race)
    page.goto(f"{live_server_url}/races/{race.pk}/")
    board = page.locator("[data-connection]")
    expect(board).to_have_attribute("data-connection", "live")
    version = int(board.get_attribute("data-version"))
    expect(board).to_contain_text("Anna ALPHA")
    expect(board).not_to_contain_text("38.12")
    page.evaluate("window.__notReloaded = true")

    # This test process is not the server's: the page learns of the heat through the server's database watch
    # (or Redis, when REDIS_URL is set for both).
    outside_loop(enter_heat, race, 1, {11: "38.12", 12: "38.45"})

    expect(board).to_have_attribute("data-version", str(version + 1))
    expect(board).to_contain_text("38.12")
    expect(board).to_contain_text("38.45")
    assert page.evaluate("window.__notReloaded") is True
    expect(board).to_have_attribute("data-connection", "live")
    page.screenshot(path=artifact_path("board.png"), full_page=True, animations="disabled")
    assert page_errors == []
