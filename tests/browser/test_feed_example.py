"""The documented broadcaster example (docs/examples/broadcaster.html), served from another origin, follows a race
live: the 20 lines of JavaScript in the docs really work."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.factories import enter_heat, make_race

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "broadcaster.html"


@pytest.fixture
def broadcaster_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A static web server on another port: another origin than the results server."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_documented_example_follows_a_race_from_another_origin(
    live_server_url, broadcaster_site, page, page_errors, outside_loop
):
    race = outside_loop(make_race)
    folder, origin = broadcaster_site
    feed = live_server_url.replace("http://", "ws://")
    page_text = EXAMPLE.read_text().replace('"wss://results.example.org", RACE = 12', f'"{feed}", RACE = {race.pk}')
    (folder / "index.html").write_text(page_text)

    page.goto(f"{origin}/index.html")
    outside_loop(enter_heat, race, 1, {11: "38.50", 12: "38.12"})

    rows = page.locator("#standings tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Bea BRAVO")
    expect(rows.nth(0)).to_contain_text("38.12")
    expect(rows.nth(1)).to_contain_text("+0.38")
    outside_loop(enter_heat, race, 2, {21: "37.99", 22: "DQ T07"})
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Cleo CHARLIE")
    expect(rows.nth(3)).to_contain_text("DQ")
    assert page_errors == []
