"""A crowd arriving at once: N spectators open a race's board within a few seconds (a link shared at the start of
the final pair), each trying once. How many get in on their first try, and how long until each has its first
snapshot? A benchmark, not a test.

Each run starts a fresh server (``manage.py serve --workers 1``, the way a deployment runs one process) that holds
nobody yet, then N spectators arrive evenly spread over ``--within`` seconds from client processes of their own
(one per 1,250 spectators), each on its schedule whatever the server's state. A try succeeds when the socket is
open and the board's first snapshot arrived within ``--timeout`` seconds of the arrival (the kernel's own SYN
retransmissions are part of the same try, as in a browser); nothing is retried.

``--server`` picks what is measured, several in one run, alternating:

- ``ours``: this checkout, ``manage.py serve --workers 1``;
- ``checkout:<path>``: the same command in another checkout (``git worktree add /tmp/before <commit>``), to measure
  the code before a change in the same run;
- ``daphne``: plain ``daphne skating.asgi:application`` with its defaults (listen backlog 50, 5 s handshake).

    .venv/bin/python bench/arrivals.py --clients 5000 --within 5 --runs 3
    .venv/bin/python bench/arrivals.py --clients 5000 --clients 10000 --server ours --server checkout:/tmp/before

Results: docs/performance.md ("A crowd arriving at once").
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from servers import (  # noqa: E402
    DEFAULT_RACE,
    REPO,
    cores,
    django_env,
    django_setup,
    fresh_database,
    race_prepare,
    source,
    start_server,
)
from spectators import pin, raise_open_files_limit, receive, start_crowds, stop_crowds  # noqa: E402
from stats import load_average, spread  # noqa: E402

CLIENTS_PER_PROCESS = 1250
PORT = 8781  # the benchmark's port (8771-8799 are this project's on the shared development machine)
SPAWN_SECONDS = 4.0  # time for the client processes to start before the first arrival


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, action="append", help="crowd size (repeat for several; 5000)")
    parser.add_argument("--within", type=float, default=5.0, help="seconds over which the crowd arrives")
    parser.add_argument("--runs", type=int, default=1, help="runs per server and crowd size")
    parser.add_argument("--server", action="append", help="ours | checkout:<path> | daphne (repeat; default ours)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a spectator waits for its board")
    parser.add_argument("--layer", choices=["memory", "redis"], default="memory")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--database-url", help="a PostgreSQL server to create a fresh database on (default SQLite)")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--race", default=DEFAULT_RACE)
    parser.add_argument(
        "--contend",
        action="store_true",
        help="a busy process shares the server's core (half the CPU: a loaded host, or two processes per core)",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    crowds = args.clients or [5000]
    servers = args.server or ["ours"]

    raise_open_files_limit()
    server_core, client_core, pinning = cores()
    pin(client_core)
    print(f"arrivals: {crowds} spectators within {args.within:g} s, servers {servers}; {pinning}", flush=True)
    logs = Path(tempfile.mkdtemp(prefix="bench-arrivals-logs-"))
    redis_url = args.redis_url if args.layer == "redis" else None
    results: list[dict[str, Any]] = []
    with fresh_database(args.database_url) as database_url:
        django_setup(database_url, redis_url)
        from django.db import connections

        from results import services

        race_id, pairs = race_prepare(args.race)

        for heat, pair_results in pairs[: len(pairs) // 2]:  # a race half skated: a 3 KB snapshot
            services.heat_results_record(heat=heat, results=pair_results)
        connections.close_all()
        env = django_env(database_url, redis_url)
        for run in range(args.runs):
            for clients in crowds:
                for server in servers:
                    result = arrive(args, server, clients, race_id, env, server_core, client_core, logs)
                    result.update(run=run + 1)
                    print_result(result)
                    results.append(result)
    print_summary(results)
    print(f"server logs in {logs}")
    if args.json:
        report = {"source": source(), "pinning": pinning, "within": args.within, "results": results}
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
        print(f"numbers written to {args.json}")


def server_argv(server: str, port: int) -> tuple[list[str], Path]:
    """The command that runs ``server`` on ``port``, and the folder it runs in. ``serve --exec`` is ``serve
    --workers 1`` without the supervisor in between: the same Daphne command, whose CPU is then the process's."""
    serve = [sys.executable, "manage.py", "serve", "--port", str(port), "--exec"]
    if server == "ours":
        return serve, REPO
    if server.startswith("checkout:"):
        return serve, Path(server.removeprefix("checkout:")).resolve()
    if server == "daphne":
        return [sys.executable, "-m", "daphne", "-p", str(port), "skating.asgi:application"], REPO
    raise SystemExit(f"unknown --server {server!r}")


def arrive(
    args: argparse.Namespace,
    server_name: str,
    clients: int,
    race_id: int,
    env: dict[str, str],
    server_core: int | None,
    client_core: int | None,
    logs: Path,
) -> dict[str, Any]:
    argv, cwd = server_argv(server_name, args.port)
    overflows_before = listen_overflows()
    neighbour = busy_neighbour(server_core) if args.contend else None
    server = start_server(
        server_name.replace("/", "_").replace(":", "_"),
        argv,
        port=args.port,
        env=env,
        core=server_core,
        log_dir=logs,
        cwd=cwd,
    )
    processes = max(1, math.ceil(clients / CLIENTS_PER_PROCESS))
    url = server.ws_url(f"/ws/races/{race_id}/")
    crowds = start_crowds(
        [url] * clients,
        processes,
        core=client_core,
        rate=clients / args.within / processes,
        timeout=args.timeout,
        attempts=1,
        start_at=time.time() + SPAWN_SECONDS + 0.2 * processes,
        throttle=False,
    )
    try:
        ready = [receive(conn, "ready", SPAWN_SECONDS + args.within + args.timeout + 120) for _p, conn in crowds]
        cpu = server.cpu_seconds()
    finally:
        stop_crowds(crowds)
        server.stop()
        if neighbour is not None:
            neighbour.kill()
            neighbour.wait()
    seconds = [s for r in ready for s in r["seconds_to_first"] if s is not None]
    failures = collections.Counter(failure_kind(f) for r in ready for f in r["failures"])
    return {
        "server": server_name + (" (contended)" if args.contend else ""),
        "clients": clients,
        "first_try": len(seconds),
        "seconds_to_first": spread(seconds),
        "failures": dict(failures.most_common()),
        "listen_overflows": listen_overflows() - overflows_before,
        "server_cpu_s": cpu,
        "load_average": load_average(),
    }


def busy_neighbour(core: int | None) -> subprocess.Popen[bytes]:
    """A process that spins on ``core`` until killed: the server gets about half of that core."""
    return subprocess.Popen(
        [sys.executable, "-c", "while True: pass"], preexec_fn=lambda: pin(core), stdin=subprocess.DEVNULL
    )


def failure_kind(failure: str) -> str:
    """``handshake: ConnectionError refused (server rejected WebSocket connection: HTTP 403)`` and the like, without
    what differs from socket to socket."""
    return failure[:90]


def listen_overflows() -> int:
    """TcpExt ListenOverflows of this network namespace: connections the kernel refused for a full listen queue
    (the whole machine's: other programs' count too)."""
    lines = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines() if line.startswith("TcpExt:")]
    return int(dict(zip(lines[0], lines[1], strict=True))["ListenOverflows"])


def print_result(result: dict[str, Any]) -> None:
    spent = result["seconds_to_first"]
    print(
        f"  run {result['run']} {result['server']:<24} {result['first_try']:>6,}/{result['clients']:,} first try;"
        f" to the first snapshot p50 {spent['p50']:.2f} s, p99 {spent['p99']:.2f} s, max {spent['max']:.2f} s;"
        f" listen overflows {result['listen_overflows']}; server CPU {result['server_cpu_s']:.1f} s",
        flush=True,
    )
    for kind, count in result["failures"].items():
        print(f"      {count:>6,} failed at {kind}", flush=True)


def print_summary(results: list[dict[str, Any]]) -> None:
    print("\n| server | spectators | run | first try | to first snapshot p50 / p99 / max | failures |")
    print("|---|---|---|---|---|---|")
    for r in results:
        spent = r["seconds_to_first"]
        failures = ", ".join(f"{count:,} {kind}" for kind, count in r["failures"].items()) or "none"
        print(
            f"| {r['server']} | {r['clients']:,} | {r['run']} | {r['first_try']:,}/{r['clients']:,} | "
            f"{spent['p50']:.2f} / {spent['p99']:.2f} / {spent['max']:.2f} s | {failures} |"
        )


if __name__ == "__main__":
    main()
