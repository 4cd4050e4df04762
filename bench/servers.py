"""Servers for the fan-out benchmarks: start them pinned to a core, wait until they answer, read their memory and
CPU from /proc, and give them a fresh database with a real race on it."""

from __future__ import annotations

import contextlib
import csv
import http.client
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spectators import pin, raise_open_files_limit

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from results.server.daphne import LISTEN_BACKLOG as BACKLOG  # noqa: E402  (plain module: no Django needed)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
RACES_INDEX = REPO / "data" / "isu-wc-2025-26" / "index.csv"
DEFAULT_RACE = "wc1-salt-lake-city-2025-11-14-men-1000-b"  # 40 skaters, 20 pairs, a 4 KB snapshot


def cores() -> tuple[int | None, int | None, str]:
    """(server core, client core, what to say about it): the servers on one core, everything else on another."""
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(available) < 2:
        return None, None, "not pinned (fewer than 2 cores available)"
    server, client = available[0], available[1]
    return server, client, f"server(s) pinned to core {server}; clients and the saving process to core {client}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def ws_url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    def rss_kb(self) -> int:
        return proc_status_kb(self.pid, "VmRSS")

    def peak_rss_kb(self) -> int:
        return proc_status_kb(self.pid, "VmHWM")

    def cpu_seconds(self) -> float:
        return proc_cpu_seconds(self.pid)

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def proc_status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def proc_cpu_seconds(pid: int) -> float:
    """User + system time of the whole process (every thread), from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def start_server(
    name: str,
    argv: list[str],
    *,
    port: int,
    env: dict[str, str],
    core: int | None,
    log_dir: Path,
    listening_only: bool = False,
    cwd: Path = REPO,
) -> Server:
    """Start ``argv`` pinned to ``core`` with the open-files limit raised, and wait until it answers HTTP (or, with
    ``listening_only``, until its port takes connections: an HTTP request would queue behind a reconnect storm)."""
    log_path = log_dir / f"{name}-{port}.log"

    def child_setup() -> None:
        raise_open_files_limit()
        pin(core)

    with log_path.open("ab") as log:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Two system calls between fork and exec, no lock taken: safe even with threads in this process.
            preexec_fn=child_setup,
        )
    server = Server(name=name, port=port, process=process, log_path=log_path)
    if listening_only:
        wait_until_listening(server)
    else:
        wait_until_answering(server)
    return server


def wait_until_listening(server: Server, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.01)
    server.stop()
    raise SystemExit(f"{server.name} did not listen within {seconds:.0f} s:\n{server.log_tail()}")


def wait_until_answering(server: Server, seconds: float = 30.0) -> None:
    """Any HTTP answer will do: a 404, or the redirect to HTTPS of a server configured as a deployment."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}")
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
        try:
            connection.request("GET", "/__bench_ready__")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.05)
        finally:
            connection.close()
    server.stop()
    raise SystemExit(f"{server.name} did not answer within {seconds:.0f} s:\n{server.log_tail()}")


def daphne_argv(application: str, port: int) -> list[str]:
    """The project's Daphne command line (results/server/daphne.py: listen backlog 4096, 4 KB messages, pings)."""
    from results.server.daphne import daphne_command

    return daphne_command(port=port, backlog=BACKLOG, application=application)


def stock_daphne_argv(application: str, port: int) -> list[str]:
    """Daphne as it comes, but for the listen backlog (Twisted's endpoint syntax is the only way to give one).

    Not the project's command line: its 4 KB ``--websocket-max-message-size`` also caps what autobahn's
    ``sendMessage`` will send, which a stock consumer's ``self.send()`` of a 4.5 KB snapshot then fails on.
    """
    return [sys.executable, "-m", "daphne", "-e", f"tcp:port={port}:interface=127.0.0.1:backlog={BACKLOG}", application]


def cpu_times(core: int | None) -> tuple[float, float, float]:
    """(busy, softirq, total) seconds of one core (or all) since boot, from /proc/stat."""
    name = "cpu" if core is None else f"cpu{core}"
    for line in Path("/proc/stat").read_text().splitlines():
        fields = line.split()
        if fields[0] == name:
            user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[1:9])
            total = user + nice + system + idle + iowait + irq + softirq + steal
            busy = total - idle - iowait
            return busy / CLOCK_TICKS, softirq / CLOCK_TICKS, total / CLOCK_TICKS
    raise KeyError(name)


def django_env(database_url: str, redis_url: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="skating.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    # DEBUG=0 is a deployment to skating.settings, which then wants a real key.
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def wait_until_quiet(max_busy: float, *, window: float = 5.0, give_up: float = 1800.0) -> float:
    """On a shared machine: wait until the whole machine was at most ``max_busy`` busy (0..1) over ``window``
    seconds, for at most ``give_up`` seconds. Returns how busy it was over the last window."""
    deadline = time.monotonic() + give_up
    while True:
        busy0, _softirq0, total0 = cpu_times(None)
        time.sleep(window)
        busy1, _softirq1, total1 = cpu_times(None)
        busy = (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0.0
        if busy <= max_busy or time.monotonic() > deadline:
            return busy
        print(f"  (machine {busy:.0%} busy: waiting for it to be at most {max_busy:.0%} busy)", flush=True)


def group_subscriptions(redis_url: str, race_id: int, servers: int) -> dict[str, Any]:
    """How many server processes listen to the race's group on Redis (each should, once it has a spectator)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        # channels-redis names a group's pub/sub channel "asgi__group__<group>"; the group's name holds the race id.
        groups = [name for name in client.pubsub_channels("asgi__group__*") if str(race_id).encode() in name]
        subscribers = sum(count for _name, count in client.pubsub_numsub(*groups)) if groups else 0
    finally:
        client.close()
    return {"race_group_subscribers": subscribers, "servers": servers, "ok": subscribers == servers}


def source() -> str:
    """Which code was measured: the commit, and whether the server's code had changes not committed."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "results", "skating"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        marker = REPO / "SOURCE"
        return marker.read_text().strip() if marker.exists() else f"{REPO} (not a git checkout)"
    changed = [line for line in changed if line.strip()]
    return f"{commit}" + (f" with {len(changed)} uncommitted change(s) in results/ or skating/" if changed else "")


# ---------------------------------------------------------------------- database


@contextlib.contextmanager
def fresh_database(database_url: str | None) -> Iterator[str]:
    """A new, empty database for one benchmark run: a SQLite file in a temporary folder, or a new database on the
    PostgreSQL server that ``database_url`` names (``<name>_bench_<pid>``, dropped afterwards)."""
    if not database_url:
        directory = tempfile.mkdtemp(prefix="bench-fanout-")
        try:
            yield f"sqlite:///{directory}/bench.sqlite3"
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return
    import psycopg

    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/') or 'bench'}_bench_{os.getpid()}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_setup(database_url: str, redis_url: str | None) -> None:
    """Django in this process, on ``database_url``, with the channel layer the servers have."""
    os.environ.update(django_env(database_url, redis_url))
    if not redis_url:
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def race_prepare(stem: str) -> tuple[int, list[tuple[Any, list[Any]]]]:
    """The race of ``data/isu-wc-2025-26/<stem>.csv`` with its start list, and each pair's results to save.

    The race gets a random, large id: Redis pub/sub channels are shared by every Redis database number, so a race
    ``1`` of someone's test run on the same Redis would talk into this benchmark's group.
    """
    from django.db import connection

    from results import services
    from results.demo.replay import race_create_from_sheet
    from results.files.result_csv import read_result_csv, rows_by_heat
    from results.models import Competition, Race, Start, Venue

    race_id = random.randrange(10**8, 10**9)
    table = Race._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, race_id])
        else:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, race_id - 1])
    meta = next(row for row in csv.DictReader(RACES_INDEX.open(encoding="utf-8")) if row["stem"] == stem)
    rows = read_result_csv((RACES_INDEX.parent / f"{stem}.csv").open(encoding="utf-8"))
    venue, _ = Venue.objects.get_or_create(name="Bench Oval", defaults={"city": "Heerenveen", "country": "NED"})
    competition = Competition.objects.create(name="Bench", venue=venue, starts_on=meta["date"], ends_on=meta["date"])
    race = race_create_from_sheet(
        competition=competition,
        title="Bench race",
        gender=meta["gender"],
        distance=int(meta["distance"]),
        rows=rows,
        points_table=[],
    )
    starts = {s.bib: s for s in Start.objects.filter(heat__race=race).select_related("heat")}
    pairs = [
        (
            starts[heat_rows[0].bib].heat,
            [services.StartResult(starts[r.bib].pk, r.status, r.time_ms, r.infraction) for r in heat_rows],
        )
        for _number, heat_rows in rows_by_heat(rows)
    ]
    return race.pk, pairs


def py_spy_record(py_spy: str, pid: int, output: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling a server process into ``output`` as raw collapsed stacks (bench/profile_summary.py reads
    them) until it exits or is stopped."""
    argv = [py_spy, "record", "--pid", str(pid), "--rate", "250", "--format", "raw", "--output", str(output)]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def race_version(race_id: int) -> int:
    from results import selectors

    return selectors.race_version(race_id) or 0


def race_payload(race_id: int) -> str:
    from results import selectors

    snapshot = selectors.race_snapshot_current(race_id)
    assert snapshot is not None
    return snapshot.payload
