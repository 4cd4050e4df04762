"""What crosses a process boundary: results saved by one process reach spectators connected to another.

Each test runs real Daphne processes and real writer processes (``manage.py``) on the test database, and reads
the race socket as a spectator's browser would.
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from tests.support.factories import make_race
from tests.support.paths import REPO

pytestmark = pytest.mark.django_db(transaction=True)

RECEIVE_SECONDS = 10.0
# Three pairs, each entered one --interval after the other. The interval is many database-watch periods long
# (SNAPSHOT_POLL_SECONDS below), so each heat reaches the server's watch on its own: one snapshot per heat.
RESULT_SHEET = """\
rank,bib,name,nation,pair,lane,time,status,infraction,behind,points
,11,Anna ALPHA,NED,1,I,38.12,OK,,,
,12,Bea BRAVO,USA,1,O,38.45,OK,,,
,21,Cleo CHARLIE,JPN,2,I,37.99,OK,,,
,22,Dana DELTA,CAN,2,O,,DNF,,,
,31,Eva ECHO,NOR,3,I,38.01,OK,,,
,32,Fay FOXTROT,AIN,3,O,38.30,OK,,,
"""
HEATS = 3
REPLAY_INTERVAL = "1.0"
FAST_WATCH = {"SNAPSHOT_POLL_SECONDS": "0.1"}
# With the watch this slow, only the channel layer can deliver within the test.
NO_WATCH = {"SNAPSHOT_POLL_SECONDS": "3600"}

HEAT_1_IN_ANOTHER_PROCESS = """
from results import services
from results.models import Heat
heat = Heat.objects.get(race_id={race_id}, number=1)
starts = list(heat.starts.order_by("lane"))
services.heat_results_record(heat=heat, results=[
    services.StartResult(start_id=starts[0].pk, status="OK", time_ms=38120),
    services.StartResult(start_id=starts[1].pk, status="OK", time_ms=38450),
])
"""


def race_socket(url: str, origin: str) -> ClientConnection:
    # The socket checks Origin against ALLOWED_HOSTS, as a browser would send it.
    return connect(url, origin=Origin(origin), open_timeout=RECEIVE_SECONDS)


def receive_snapshot(ws: ClientConnection) -> tuple[str, dict]:
    text = ws.recv(timeout=RECEIVE_SECONDS, decode=True)
    assert isinstance(text, str)
    return text, json.loads(text)


def api_text(base_url: str, race_id: int) -> str:
    with urllib.request.urlopen(f"{base_url}/api/races/{race_id}/standings", timeout=RECEIVE_SECONDS) as response:
        return response.read().decode("utf-8")


def lines_of(process: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """The process's stdout, line by line, without blocking the test (``None`` at the end)."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def replay_race_id(lines: queue.Queue[str | None], process: subprocess.Popen[str]) -> int:
    line = lines.get(timeout=30)
    if line is None or not line.startswith("race "):
        process.kill()
        pytest.fail(
            f"replay printed {line!r} first, not 'race <id>':\n{process.stderr.read() if process.stderr else ''}"
        )
    return int(line.split()[1])


def test_replay_in_another_process_reaches_a_socket_once_per_heat(daphne_server, process_env, tmp_path: Path):
    """The embedded setup (no Redis): the server learns of the replay's heats from the database."""
    server = daphne_server(env=FAST_WATCH)
    sheet = tmp_path / "women-500.csv"
    sheet.write_text(RESULT_SHEET, encoding="utf-8")
    replay = subprocess.Popen(
        [sys.executable, "manage.py", "replay", str(sheet), "--title", "Women 500m Division A", "--distance", "500",
         "--points", "world-cup-a", "--interval", REPLAY_INTERVAL],
        cwd=REPO, env=process_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        lines = lines_of(replay)
        race_id = replay_race_id(lines, replay)
        # The replay waits one interval before the first heat, so the socket opens on the bare start list.
        with race_socket(server.ws_url(f"/ws/races/{race_id}/"), server.url) as ws:
            _text, first = receive_snapshot(ws)
            assert first["race"]["heats_done"] == 0
            assert first["race"]["heats"] == HEATS
            received = [receive_snapshot(ws) for _heat in range(HEATS)]
            assert replay.wait(timeout=30) == 0, replay.stderr.read() if replay.stderr else ""
            with pytest.raises(TimeoutError):
                ws.recv(timeout=1.0)  # nothing more: exactly one snapshot per heat
    finally:
        if replay.poll() is None:
            replay.kill()
            replay.wait()

    versions = [snapshot["version"] for _text, snapshot in received]
    assert versions == list(range(first["version"] + 1, first["version"] + 1 + HEATS))
    assert [snapshot["race"]["heats_done"] for _text, snapshot in received] == [1, 2, 3]
    last_text, last = received[-1]
    assert last["race"]["status"] == "UNOFFICIAL"
    assert [row["name"] for row in last["standings"][:3]] == ["Cleo CHARLIE", "Eva ECHO", "Anna ALPHA"]
    assert last_text == api_text(server.url, race_id)


@pytest.mark.services
def test_redis_carries_a_write_to_every_server_process(daphne_server, process_env, redis_url):
    """Two servers and a writer, all on Redis: one write reaches a spectator on each server at once."""
    with_redis = {"REDIS_URL": redis_url, **NO_WATCH}
    servers = [daphne_server(env=with_redis), daphne_server(env=with_redis)]
    race = make_race()
    with contextlib.ExitStack() as stack:
        sockets = [
            stack.enter_context(race_socket(server.ws_url(f"/ws/races/{race.pk}/"), server.url)) for server in servers
        ]
        before = [receive_snapshot(ws)[1]["version"] for ws in sockets]
        assert before[0] == before[1]

        writer = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", HEAT_1_IN_ANOTHER_PROCESS.format(race_id=race.pk)],
            cwd=REPO, env=process_env(with_redis), stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        assert writer.returncode == 0, writer.stderr

        received = [receive_snapshot(ws) for ws in sockets]

    texts = [text for text, _snapshot in received]
    assert texts[0] == texts[1] == api_text(servers[0].url, race.pk)
    snapshot = received[0][1]
    assert snapshot["version"] == before[0] + 1
    assert {row["name"]: row["time"] for row in snapshot["standings"] if row["time"]} == {
        "Anna ALPHA": "38.12",
        "Bea BRAVO": "38.45",
    }


def test_the_demo_shows_skaters_on_the_ice_and_takes_its_server_down_when_stopped(process_env, tmp_path):
    """`make run`: the demo's board moves with passages, its terminal shows one short line per pair (the full log
    in the file it names), and a stopped demo leaves no server holding its port, even started from a shell that made
    it ignore Ctrl-C (a background job)."""
    import re
    import signal
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    demo = subprocess.Popen(
        [sys.executable, "manage.py", "demo", "--port", str(port), "--interval", "1.5",
         "--log", str(tmp_path / "demo.log")],
        cwd=REPO, env=process_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )  # fmt: skip
    try:
        lines = lines_of(demo)
        board = None
        while board is None:
            line = lines.get(timeout=60)
            assert line is not None, "the demo ended before printing its leaderboard"
            board = re.search(r"Leaderboard\s+(http://\S+/races/(\d+)/)", line)
        base, race_id = board.group(1).split("/races/")[0], int(board.group(2))
        deadline = time.monotonic() + 30
        while not json.loads(api_text(base, race_id))["on_ice"]:
            assert time.monotonic() < deadline, "nobody on the ice after 30 s of the demo"
            time.sleep(0.2)
        printed: list[str] = []
        while not any(line.startswith("  pair 1 ") for line in printed):
            line = lines.get(timeout=30)
            assert line is not None, "the demo ended before its first pair's line"
            printed.append(line)
        # The first pair of the women's 500 m, as the board ranks it so far: one line, name, time, rank.
        assert re.fullmatch(r"  pair 1 +\S.* \d+\.\d\d( [A-Z]{2})* \d+(st|nd|rd|th)( · .*)?", printed[-1]), printed[-1]
        assert not any("level=" in line for line in printed), printed  # no log lines in the terminal
        logged = (tmp_path / "demo.log").read_text(encoding="utf-8")
        assert "level=INFO" in logged and "logger=results.services.timing" in logged

        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=20) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the demo's server still holds its port"
