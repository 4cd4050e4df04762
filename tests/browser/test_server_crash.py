"""A board in a real browser when its server crashes: it says it is reconnecting, backs off, and once a server
answers again it shows the latest results, including a heat saved while it was down, without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from results.models import Snapshot
from results.topics import race_topic
from tests.support.factories import enter_heat, make_race

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_board_rides_out_a_server_crash(daphne_server, page, outside_loop, artifact_path):
    race = outside_loop(make_race)
    server = daphne_server()
    attempts: list[str] = []
    page.on("websocket", lambda socket: attempts.append(socket.url))
    page.goto(f"{server.url}/races/{race.pk}/")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    page.evaluate("window.__notReloaded = true")

    server.crash()
    expect(board).to_have_attribute("data-connection", "reconnecting")
    expect(board.locator("[data-ref=connection-label]")).to_have_text("Reconnecting…")
    outside_loop(enter_heat, race, 1, {11: "38.50", 12: "38.12"})
    page.wait_for_timeout(2500)  # a few attempts, backing off
    tries_while_down = len(attempts) - 1
    server.start_again()

    latest = outside_loop(lambda: Snapshot.objects.get(topic=race_topic(race.pk)).version)
    expect(board).to_have_attribute("data-connection", "live", timeout=20_000)
    expect(board).to_have_attribute("data-version", str(latest))
    expect(board.locator('tr.row[data-bib="12"] .col-time')).to_have_text("38.12")
    assert page.evaluate("window.__notReloaded") is True
    assert 1 <= tries_while_down <= 5  # backing off: not one attempt after another
    assert all(url.endswith(f"?since={latest - 1}&delta=1") for url in attempts[1:])  # only what is newer, as patches
    page.screenshot(path=artifact_path("after-crash.png"))
