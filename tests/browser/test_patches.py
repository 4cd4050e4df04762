"""Patches on the wire (docs/feed.md, "Patches"), checked on the client's side: a race replayed with passages
(timing posts over HTTP, pairs entered by the services) to a real Daphne process, followed in Chromium by a socket
with ``?delta=1`` that applies every patch with static/results/feed-patch.js. After every version the patched
document equals the JSON endpoint's, byte for byte once both are encoded canonically (keys sorted, no spaces). A
reconnect in the middle, after a change it missed, gets the whole snapshot and goes on with patches."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.test_board_passages import pair_posted, replay_pairs, setup_race
from tests.support.schema import assert_valid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIENT = """async ([raceId]) => {
  const { patchApply } = await import("/static/results/feed-patch.js");
  const canonical = (value) =>
    Array.isArray(value) ? `[${value.map(canonical).join(",")}]`
    : value !== null && typeof value === "object"
      ? `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`
      : JSON.stringify(value);
  window.__docs = {};
  window.__received = [];
  window.__raw = [];
  window.__bytes = { snapshot: 0, patch: 0 };
  let current = null;
  window.__connect = () => new Promise((opened) => {
    const since = current ? current.version : 0;
    const socket = new WebSocket(`ws://${location.host}/ws/races/${raceId}/?since=${since}&delta=1`);
    socket.onopen = () => opened();
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "heartbeat") return;
      window.__received.push([message.type, message.version, message.base ?? null]);
      window.__raw.push(event.data);
      window.__bytes[message.type] += new TextEncoder().encode(event.data).length;
      current = message.type === "patch" ? patchApply(current, message) : message;
      window.__docs[current.version] = canonical(current);
    };
    window.__socket = socket;
  });
  await window.__connect();
}"""


def endpoint(base_url: str, race_id: int) -> tuple[int, str]:
    with urllib.request.urlopen(f"{base_url}/api/races/{race_id}/standings", timeout=10) as response:
        document = json.loads(response.read())
    return document["version"], json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_every_patch_applied_by_the_client_gives_the_json_endpoints_document(
    live_server_url, page, page_errors, outside_loop
):
    race_id, rows, secret = outside_loop(setup_race)  # Salt Lake City men's 1000 m, pairs 1-3 in
    page.goto(f"{live_server_url}/races/{race_id}/")
    page.evaluate(CLIENT, [race_id])
    checked: list[int] = []

    def board_shows(version: int) -> None:
        page.wait_for_function(
            "v => Number(document.querySelector('#board').dataset.version) === v", arg=version, timeout=10_000
        )

    def matches_endpoint() -> None:
        """The client reaches the endpoint's version, and holds exactly its document."""
        version, expected = endpoint(live_server_url, race_id)
        try:
            page.wait_for_function("v => window.__docs[v] !== undefined", arg=version, timeout=10_000)
        except PlaywrightTimeout:
            pytest.fail(f"version {version} never came; received {page.evaluate('window.__received')}")
        assert page.evaluate("v => window.__docs[v]", version) == expected, f"version {version}"
        checked.append(version)

    matches_endpoint()  # the whole snapshot on connect
    for number, upto in ((4, 200), (4, 600), (4, None)):  # ŻUREK and KANIA: passages, then their finishes
        pair_posted(live_server_url, race_id, secret, number, upto)
        matches_endpoint()
    outside_loop(replay_pairs, race_id, rows, {5})
    matches_endpoint()

    # Away for a change: back with ?since=<what it has>, it gets the whole snapshot, then patches again. (The board
    # on the same page, feed.js on patches too, showing the new version means the server has it.)
    page.evaluate("window.__socket.close()")
    outside_loop(replay_pairs, race_id, rows, {6})
    board_shows(endpoint(live_server_url, race_id)[0])
    page.evaluate("window.__connect()")
    matches_endpoint()
    for number, upto in ((8, 200), (8, 600), (8, None)):  # STOLZ and WENNEMARS
        pair_posted(live_server_url, race_id, secret, number, upto)
        matches_endpoint()
    outside_loop(replay_pairs, race_id, rows, {7, 9, 10})
    matches_endpoint()
    board_shows(checked[-1])  # the page's own board, through feed.js and its patches

    received = page.evaluate("window.__received")
    kinds = [kind for kind, _version, _base in received]
    reconnected = kinds.index("snapshot", 1)
    assert kinds[0] == "snapshot" and set(kinds[1:reconnected]) == {"patch"}
    assert set(kinds[reconnected + 1 :]) == {"patch"} and len(kinds) > reconnected + 3
    # Every patch names the version it applies to: the one the client had.
    versions = [version for _kind, version, _base in received]
    for index, (kind, _version, base) in enumerate(received):
        if kind == "patch":
            assert base == versions[index - 1]
    assert len(checked) >= 10
    for text in page.evaluate("window.__raw"):
        assert_valid(json.loads(text))  # snapshots and patches, as the schema describes them
    assert page_errors == []
