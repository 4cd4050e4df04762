"""How long from an official's save to every open board: a benchmark, not a test.

It starts a real Daphne process on a fresh database, opens N websocket spectators, and saves a race's heats from
THIS process through the real service, as ``replay`` or a timing system would. For every snapshot it reports the
time from commit (the snapshot's ``updated_at``) to each spectator's receipt, how many spectators got it, and how
long the save itself took.

    .venv/bin/python bench/push_latency.py                      # embedded: SQLite, no Redis (database watch)
    .venv/bin/python bench/push_latency.py --redis              # channels-redis between the processes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/push_latency.py --redis

Results and the commands that produced them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "bench"), str(REPO)]

from servers import free_port, race_prepare  # noqa: E402
from stats import percentile  # noqa: E402


def setup_environment(args: argparse.Namespace) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "skating.settings", "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    # Production settings (DEBUG=0) want a key of their own; this one lives as long as the run.
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/bench.sqlite3")
    env.pop("REDIS_URL", None)
    if args.redis:
        env["REDIS_URL"] = args.redis_url
    os.environ.update(env)
    if not args.redis:
        os.environ.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    return env


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    from results.server.daphne import daphne_command

    server = subprocess.Popen(
        # The command line of a deployment (listen backlog, message limits, pings).
        daphne_command(port=port),
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        # The server's messages go to $BENCH_SERVER_LOG when set; the file lives as long as the server.
        stderr=open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "w"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.1)
    server.kill()
    raise SystemExit("Daphne did not start")


async def spectator(url: str, received: list[tuple[int, float, str]], ready: asyncio.Event, expected: int) -> None:
    import websockets

    async with websockets.connect(url, origin="http://127.0.0.1") as socket_:
        await socket_.recv()  # the snapshot on connect
        ready.set()
        snapshots = 0
        while snapshots < expected:
            text = await socket_.recv()
            arrived = time.time()
            document = json.loads(text)
            if document.get("type") == "snapshot":  # not a heartbeat
                received.append((document["version"], arrived, document["updated_at"]))
                snapshots += 1


def prepare(args: argparse.Namespace) -> tuple[dict[str, str], int, list]:
    """A fresh database with the race's start list; returns what ``measure`` saves heat by heat."""
    env = setup_environment(args)
    import django

    django.setup()
    race_id, saves = race_prepare(args.race)
    return env, race_id, saves


def save(heat, results) -> float:
    from django.db import connection

    from results import services

    started = time.perf_counter()
    services.heat_results_record(heat=heat, results=results)
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return elapsed


async def measure(args: argparse.Namespace, env: dict[str, str], race_id: int, saves: list) -> None:
    port = free_port()
    server = start_server(env, port)
    try:
        url = f"ws://127.0.0.1:{port}/ws/races/{race_id}/"
        received: list[tuple[int, float, str]] = []
        events = [asyncio.Event() for _ in range(args.clients)]
        clients = [asyncio.create_task(spectator(url, received, e, len(saves))) for e in events]
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), timeout=60)
        save_ms: list[float] = []
        for heat, results in saves:
            save_ms.append(await asyncio.to_thread(save, heat, results))
            await asyncio.sleep(args.interval)
        await asyncio.wait_for(asyncio.gather(*clients), timeout=30)
    finally:
        server.terminate()
        server.wait()
    report(args, env, received, save_ms, len(saves))


def report(args: argparse.Namespace, env: dict[str, str], received: list, save_ms: list[float], heats: int) -> None:
    by_version: dict[int, list[float]] = {}
    for version, arrived, updated_at in received:
        committed = datetime.fromisoformat(updated_at.replace("Z", "+00:00")).timestamp()
        by_version.setdefault(version, []).append((arrived - committed) * 1000)
    lasts = [max(latencies) for latencies in by_version.values()]
    everything = [latency for latencies in by_version.values() for latency in latencies]
    delivered = len(everything) / (heats * args.clients)
    mode = "channels-redis" if args.redis else "no Redis (database watch every SNAPSHOT_POLL_SECONDS)"
    print(f"{args.clients} spectators, {heats} heats saved from another process, {mode}")
    print(f"  database: {env['DATABASE_URL'].split(':')[0]}; delivered {delivered:.1%}")
    print(
        f"  commit -> receive (ms): p50 {statistics.median(everything):.0f}, p99 {percentile(everything, 0.99):.0f},"
        f" max {max(everything):.0f}; last spectator per heat p50 {statistics.median(lasts):.0f}"
    )
    print(f"  save (ms, heat_results_record): p50 {statistics.median(save_ms):.1f}, max {max(save_ms):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between heats")
    parser.add_argument("--race", default="wc1-salt-lake-city-2025-11-14-men-1000-b", help="a stem in data/")
    parser.add_argument("--redis", action="store_true")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    env, race_id, saves = prepare(args)
    asyncio.run(measure(args, env, race_id, saves))


if __name__ == "__main__":
    main()
