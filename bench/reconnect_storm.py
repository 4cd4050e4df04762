"""Reconnect storm: N spectators on one Daphne process, the process killed (SIGKILL) and started again on the same
port. How long until every spectator is back and shows the latest snapshot? A benchmark, not a test.

The spectators reconnect as static/results/feed.js does: a capped, jittered backoff (0.5 s doubling to 15 s, times
50-100 %, reset once a socket opens) and ``?since=<version they show>``. While the server is down an official
saves one more pair (from this process, through the real service), so every spectator must receive a new snapshot
from the restarted server, not just reopen a socket.

    .venv/bin/python bench/reconnect_storm.py --clients 5000
    .venv/bin/python bench/reconnect_storm.py --clients 5000 --layer redis --json storm.json

Target (from the issue): all 5,000 back with the latest snapshot within 20 s. Results: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from servers import (  # noqa: E402
    DEFAULT_RACE,
    Server,
    cores,
    daphne_argv,
    django_env,
    django_setup,
    free_port,
    fresh_database,
    group_subscriptions,
    py_spy_record,
    race_prepare,
    race_version,
    source,
    start_server,
    wait_until_quiet,
)
from spectators import pin, raise_open_files_limit, receive, start_crowds, stop_crowds  # noqa: E402
from stats import load_average, percentile  # noqa: E402

CLIENTS_PER_PROCESS = 2000
TARGET_SECONDS = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--layer", choices=["memory", "redis"], default="memory")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--database-url", help="a PostgreSQL server to create a fresh database on (default SQLite)")
    parser.add_argument("--processes", type=int, default=0, help="client processes (default: 1 per 2,000)")
    parser.add_argument(
        "--connect-rate", type=float, default=1000.0, help="first connections a second, all processes together"
    )
    parser.add_argument("--down-seconds", type=float, default=0.0, help="wait this long before the restart")
    parser.add_argument("--timeout", type=float, default=120.0, help="give up waiting after this many seconds")
    parser.add_argument("--race", default=DEFAULT_RACE)
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=1.0,
        metavar="SHARE",
        help="first wait until the machine is at most SHARE busy, e.g. 0.1",
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--profile", type=Path, help="py-spy the restarted server into this file (collapsed stacks)")
    parser.add_argument("--py-spy", default="py-spy", help="the py-spy executable (for --profile)")
    args = parser.parse_args()

    raise_open_files_limit()
    server_core, client_core, pinning = cores()
    pin(client_core)
    processes = args.processes or max(1, math.ceil(args.clients / CLIENTS_PER_PROCESS))
    print(
        f"reconnect storm: {args.clients} spectators from {processes} processes, layer {args.layer}; {pinning}; "
        f"load average {load_average()}",
        flush=True,
    )
    logs = Path(tempfile.mkdtemp(prefix="bench-storm-logs-"))
    if args.wait_quiet < 1:
        print(f"  machine {wait_until_quiet(args.wait_quiet):.0%} busy over the last 5 s", flush=True)
    redis_url = args.redis_url if args.layer == "redis" else None
    with fresh_database(args.database_url) as database_url:
        django_setup(database_url, redis_url)
        from django.db import connections

        from results import services

        race_id, pairs = race_prepare(args.race)
        half = len(pairs) // 2
        for heat, results in pairs[:half]:
            services.heat_results_record(heat=heat, results=results)
        env = django_env(database_url, redis_url)
        port = free_port()
        argv = daphne_argv("skating.asgi:application", port)
        server = start_server("daphne", argv, port=port, env=env, core=server_core, log_dir=logs)
        url = server.ws_url(f"/ws/races/{race_id}/")
        crowds = start_crowds(
            [url] * args.clients,
            processes,
            core=client_core,
            rate=args.connect_rate / processes,
            timeout=30.0,
            reconnect=True,
        )
        try:
            report = storm(args, server, crowds, race_id, pairs[half], argv, env, server_core, logs)
        finally:
            stop_crowds(crowds)
            server.stop()
            connections.close_all()
    report.update(
        source=source(),
        clients=args.clients,
        layer=args.layer,
        pinning=pinning,
        client_processes=processes,
        database="postgresql" if args.database_url else "sqlite",
        server_log=str(server.log_path),
    )
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
        print(f"numbers written to {args.json}")


def storm(
    args: argparse.Namespace,
    server: Server,
    crowds: list[Any],
    race_id: int,
    pair: tuple[Any, list[Any]],
    argv: list[str],
    env: dict[str, str],
    server_core: int | None,
    logs: Path,
) -> dict[str, Any]:
    from results import services

    load_before = load_average()
    connect_seconds = args.clients / args.connect_rate
    ready = [receive(conn, "ready", connect_seconds + 180) for _process, conn in crowds]
    connected = sum(r["connected"] for r in ready)
    print(f"  connected {connected}/{args.clients} in {max(r['seconds'] for r in ready):.1f} s", flush=True)
    if connected != args.clients:
        raise SystemExit("not every spectator connected; nothing to measure")
    rss_connected = server.rss_kb()
    time.sleep(1.0)
    target = race_version(race_id) + 1
    for _process, conn in crowds:  # from now on each process notes when its spectators reach the target
        conn.send(("target", target, args.timeout))

    killed = time.time()
    server.kill()
    heat, results = pair
    services.heat_results_record(heat=heat, results=results)  # an official saves while the server is down
    assert race_version(race_id) == target
    time.sleep(args.down_seconds)
    restarted = time.time()
    server = start_server(
        "daphne-restarted", argv, port=server.port, env=env, core=server_core, log_dir=logs, listening_only=True
    )
    answering = time.time()
    profiler = None
    if args.profile:  # py-spy on the restarted server until every spectator is back (bench/profile_summary.py)
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        profiler = py_spy_record(args.py_spy, server.pid, args.profile)
    print(f"  killed; one more pair saved (v{target}); listening again {answering - restarted:.1f} s later", flush=True)

    reached = [receive(conn, "reached", args.timeout + 60) for _process, conn in crowds]
    cpu = server.cpu_seconds()  # all of the new process's life: starting Django, then the storm
    if profiler is not None:
        profiler.send_signal(signal.SIGINT)
        profiler.wait(timeout=30)
    rss_after = server.rss_kb()
    # With Redis: did the restarted process join the race's group, or does it now rely on its database watch?
    check = group_subscriptions(args.redis_url, race_id, 1) if args.layer == "redis" else None
    server.stop()
    times = [at for r in reached for at in r["at"] if at is not None]
    attempts = [n for r in reached for n in r["attempts"]]
    missing = args.clients - len(times)
    last = max(times, default=math.nan)
    return {
        "target_version": target,
        "back_with_latest": len(times),
        "missing": missing,
        "restart_seconds": answering - restarted,
        "seconds_from_kill": {
            "p50": percentile([t - killed for t in times], 0.5),
            "p99": percentile([t - killed for t in times], 0.99),
            "all": last - killed,
        },
        "seconds_from_restart": {
            "p50": percentile([t - restarted for t in times], 0.5),
            "p99": percentile([t - restarted for t in times], 0.99),
            "all": last - restarted,
        },
        "seconds_from_answering": last - answering,
        "connection_attempts": {
            "total": sum(attempts),
            "per_spectator_p50": percentile(attempts, 0.5),
            "per_spectator_max": max(attempts, default=0),
        },
        "server_cpu_s_from_start_until_all_back": cpu,
        "check_after_storm": check,
        "server_rss_kb": {"before_kill": rss_connected, "after_storm": rss_after},
        "load_average": {"before": load_before, "after": load_average()},
    }


def print_report(report: dict[str, Any]) -> None:
    kill = report["seconds_from_kill"]
    restart = report["seconds_from_restart"]
    attempts = report["connection_attempts"]
    print(f"  back with v{report['target_version']}: {report['back_with_latest']}/{report['clients']}")
    if report["missing"]:
        print(f"  !!! {report['missing']} SPECTATORS DID NOT GET THE LATEST SNAPSHOT")
    print(f"  from starting the new Daphne until it listened: {report['restart_seconds']:.1f} s")
    print(f"  from the kill: p50 {kill['p50']:.1f} s, p99 {kill['p99']:.1f} s, all {kill['all']:.1f} s")
    print(f"  from the restart: p50 {restart['p50']:.1f} s, p99 {restart['p99']:.1f} s, all {restart['all']:.1f} s")
    print(
        f"  connection attempts: {attempts['total']} in all (per spectator p50 {attempts['per_spectator_p50']}, "
        f"max {attempts['per_spectator_max']})"
    )
    print(f"  the new server's CPU, start-up included: {report['server_cpu_s_from_start_until_all_back']:.1f} s")
    if report["check_after_storm"] is not None:
        check = report["check_after_storm"]
        print(f"  after the storm, Redis subscriptions to the race's group: {check['race_group_subscribers']}")
        if not check["ok"]:
            print(
                "  !!! the restarted server did not join the race's group: its pushes now come from the database watch"
            )
    print(f"  load average {report['load_average']['before']} -> {report['load_average']['after']}")
    met = report["missing"] == 0 and kill["all"] <= TARGET_SECONDS
    print(
        f"  {'met ' if met else 'MISS'}  all {report['clients']} back with the latest snapshot within "
        f"{TARGET_SECONDS:.0f} s of the kill: {kill['all']:.1f} s"
    )
    report["target_met"] = met


if __name__ == "__main__":
    main()
