"""The spectators' socket against clients that misbehave, on a real Daphne process: a client that talks too much
is closed and leaves nothing behind, and no query string or path a stranger sends costs an error in the log."""

from __future__ import annotations

import asyncio
import time
import urllib.request
from pathlib import Path

import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from results.live.consumers import CLOSE_TOO_BIG
from results.web.health import SPECTATORS_HEADER
from tests.support.factories import make_race

pytestmark = pytest.mark.django_db(transaction=True)

VISITS = 1_000
AT_ONCE = 100
OVERSIZE = "x" * 2_000  # MAX_CLIENT_MESSAGE_BYTES is 1 KB
# A few MB for the allocator's own reasons; the leak this guards against grew 44 MB over 3,000 sockets.
RSS_SLACK_KB = 4_000


def spectators(server) -> int:
    with urllib.request.urlopen(f"{server.url}/healthz", timeout=10) as response:
        return int(response.headers[SPECTATORS_HEADER])


def rss_kb(server) -> int:
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1])


async def visit(url: str, *, shout: bool) -> int | None:
    """One spectator: connect, read the board, then leave (or send what no spectator sends); the close code."""
    async with websockets.connect(url, open_timeout=30, close_timeout=10) as socket:
        await asyncio.wait_for(socket.recv(), timeout=30)
        if not shout:
            return None
        await socket.send(OVERSIZE)
        try:
            while True:
                await asyncio.wait_for(socket.recv(), timeout=30)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None


async def visits(url: str, *, shout: bool) -> list[int | None]:
    codes: list[int | None] = []
    for _batch in range(VISITS // AT_ONCE):
        codes += await asyncio.gather(*(visit(url, shout=shout) for _ in range(AT_ONCE)))
    return codes


def settled(server, *, seconds: float = 10.0) -> int:
    """The process's spectators once the last closes are through."""
    deadline = time.monotonic() + seconds
    while True:
        count = spectators(server)
        if count == 0 or time.monotonic() > deadline:
            return count
        time.sleep(0.2)


def test_a_thousand_oversize_senders_are_closed_and_leave_no_spectator_behind(daphne_server):
    race = make_race()
    # Python's own collector thresholds: with the tuned ones (GC_THRESHOLDS) a process lets megabytes of garbage wait
    # for a collection, which would hide (or fake) a leak. The spectators' count is the leak itself.
    server = daphne_server(env={"GC_THRESHOLDS": "700,10,10"})
    url = server.ws_url(f"/ws/races/{race.pk}/")

    assert asyncio.run(visits(url, shout=False)) == [None] * VISITS
    assert settled(server) == 0
    # A first round of shouters warms the allocator up (its pools grow to the round's high-water mark once); a leak
    # grows again with every round, so the second round is the one measured.
    assert asyncio.run(visits(url, shout=True)) == [CLOSE_TOO_BIG] * VISITS
    assert settled(server) == 0
    after_first_round = rss_kb(server)

    codes = asyncio.run(visits(url, shout=True))

    assert codes == [CLOSE_TOO_BIG] * VISITS
    assert settled(server) == 0
    assert rss_kb(server) - after_first_round < RSS_SLACK_KB
    assert "ERROR" not in server.log() and "Traceback" not in server.log()


@pytest.mark.parametrize("query", ["since=²", "since=" + "9" * 5_000, "since=-1", "since=abc", "since=%00"])
def test_any_since_a_client_sends_is_read_as_a_version_or_zero(daphne_server, query):
    race = make_race()
    server = daphne_server()

    async def first_message() -> str:
        async with websockets.connect(server.ws_url(f"/ws/races/{race.pk}/?{query}"), open_timeout=10) as socket:
            return str(await asyncio.wait_for(socket.recv(), timeout=10))

    assert '"type":"snapshot"' in asyncio.run(first_message())
    assert "ERROR" not in server.log()


@pytest.mark.parametrize("path", ["/ws/races/abc/", "/ws/races/99999999999999/", "/ws/nothing/", "/ws/races/1"])
def test_an_unknown_socket_path_is_refused_at_the_handshake_without_an_error(daphne_server, path):
    make_race()
    server = daphne_server()

    async def handshake() -> None:
        async with websockets.connect(server.ws_url(path), open_timeout=10):
            pass

    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(handshake())
    assert refused.value.response.status_code == 403
    assert "ERROR" not in server.log() and "Traceback" not in server.log()
