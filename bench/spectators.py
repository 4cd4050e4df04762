"""Thousands of websocket spectators per process, each as cheap as possible, for the fan-out benchmarks.

A spectator is a non-blocking socket read from an asyncio loop's reader callback and driven by the ``websockets``
package's Sans-I/O ``ClientProtocol`` (handshake, frames, pongs to Daphne's pings): no task and no queue per
connection, and no ``json.loads`` per message (the version and ``updated_at`` are found with ``bytes.find`` in the
first few hundred bytes of the snapshot, which is what ``results.selectors.races`` writes first).

Arrival times come from the kernel: every socket asks for ``SO_TIMESTAMPNS``, the time (CLOCK_REALTIME, the clock
of ``time.time()``) at which the bytes reached the socket. On loopback that is the moment the server wrote them,
so a client core that is busy with 5,000 other messages does not add its own queueing to the latency; the time
this process got round to the message is kept too (``lag``), to show how far behind the clients were.

``crowd_process`` is the body of one client process (``multiprocessing``, spawn); the main process talks to it
over a pipe (see ``Crowd.serve``).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import random
import resource
import socket
import struct
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.typing import Origin
from websockets.uri import parse_uri

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; SCM_TIMESTAMPNS has the same value
RECV_BYTES = 256 * 1024
ANC_BYTES = socket.CMSG_SPACE(16)
SNAPSHOT = b'{"type":"snapshot"'
PATCH = b'{"type":"patch"'  # ?delta=1: the patch names its version, then replaces "updated_at"
UPDATED_AT_OP = b'"path":"/updated_at","value":"'
VERSION = b'"version":'
UPDATED_AT = b'"updated_at":"'
HEAD_BYTES = 2048  # version and updated_at come before the standings
ORIGIN = Origin("http://127.0.0.1")

# feed.js: min(15 s, 0.5 s * 2**attempt) * (50 % .. 100 %)
BACKOFF_BASE = 0.5
BACKOFF_CAP = 15.0


def raise_open_files_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def pin(core: int | None) -> None:
    if core is not None and hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {core})


def backoff(attempt: int) -> float:
    return min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt) * (0.5 + random.random() * 0.5)


_committed: dict[bytes, float] = {}


def committed_at(stamp: bytes) -> float:
    """``2025-12-05T10:00:00.123Z`` as seconds since the epoch (parsed once per distinct stamp)."""
    value = _committed.get(stamp)
    if value is None:
        value = _committed[stamp] = datetime.fromisoformat(stamp.decode().replace("Z", "+00:00")).timestamp()
    return value


def read_snapshot(data: bytes | bytearray) -> tuple[int, bytes] | None:
    """(version, updated_at) of a snapshot or a patch, or None for anything else (heartbeats)."""
    if not data.startswith(SNAPSHOT) and not data.startswith(PATCH):
        return None
    start = data.find(VERSION, 0, HEAD_BYTES) + len(VERSION)
    end = data.find(b",", start)
    stamp = UPDATED_AT if data.startswith(SNAPSHOT) else UPDATED_AT_OP
    stamp_start = data.find(stamp, end, HEAD_BYTES) + len(stamp)
    return int(data[start:end]), bytes(data[stamp_start : data.find(b'"', stamp_start)])


@dataclass(eq=False)
class Spectator:
    index: int
    url: str
    version: int = 0  # the newest snapshot this spectator shows
    sock: socket.socket | None = None
    protocol: ClientProtocol | None = None
    opened: asyncio.Future[bool] | None = None  # handshake done (True) or failed (False)
    welcomed: asyncio.Future[None] | None = None  # first snapshot of this connection received
    attempts: int = 0  # connection attempts in all
    backoff_attempt: int = 0  # feed.js's ``attempt``: reset when a connection opens
    reached_at: float | None = None  # storm: when ``target`` arrived (kernel time)
    reconnecting: bool = False
    failure: str = ""  # why the last attempt failed: "<stage>: <error>" (stage: connect, handshake, first snapshot)
    extra: dict[str, Any] = field(default_factory=dict)


class Crowd:
    """The spectators of one process."""

    def __init__(self, urls: list[str], *, reconnect: bool = False) -> None:
        self.loop = asyncio.get_running_loop()
        self.spectators = [Spectator(index, url) for index, url in enumerate(urls)]
        self.reconnect = reconnect
        self.latency: dict[int, array[float]] = {}  # version -> ms from commit to arrival, one per delivery
        self.lag: dict[int, array[float]] = {}  # version -> ms from arrival to this process reading it
        self.lost = 0  # connections that closed while the benchmark was running
        self.target = 0  # storm: the version every spectator should reach
        self.on_change: Callable[[], None] | None = None

    # ------------------------------------------------------------------ connecting

    async def connect_all(
        self, rate: float, timeout: float, attempts: int, *, start_at: float | None = None, throttle: bool = True
    ) -> dict[str, Any]:
        """Open every spectator, ``rate`` new connections a second, each retried up to ``attempts`` times.

        ``start_at`` (``time.time()``): when the first arrives, so that several client processes arrive together.
        ``throttle``: hold back new arrivals while many attempts are in flight (gentle on the server); without it,
        each spectator arrives on its schedule whatever the server's state, as a crowd does. ``seconds_to_first``
        is, for each spectator, the time from its scheduled arrival to its first snapshot (None if it never came).
        """
        delay = 0.0 if start_at is None else max(0.0, start_at - time.time())
        started = time.monotonic() + delay
        in_flight = asyncio.Semaphore(max(50, int(rate * 2)) if throttle else len(self.spectators) + 1)
        seconds_to_first: list[float | None] = [None] * len(self.spectators)

        async def one(spectator: Spectator, at: float) -> bool:
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            async with in_flight:
                for attempt in range(attempts):
                    if await self.open(spectator, timeout, welcome=True):
                        seconds_to_first[spectator.index] = time.monotonic() - at
                        return True
                    await asyncio.sleep(0.5 * (attempt + 1))
                return False

        results = await asyncio.gather(
            *(one(s, started + i / rate) for i, s in enumerate(self.spectators)), return_exceptions=True
        )
        failed = sum(1 for ok in results if ok is not True)
        return {
            "connected": len(self.spectators) - failed,
            "failed": failed,
            "retries": sum(s.attempts for s in self.spectators) - len(self.spectators),
            "seconds": time.monotonic() - started,
            "seconds_to_first": seconds_to_first,
            "failures": [s.failure for s in self.spectators if s.failure and s.sock is None],
        }

    async def open(self, spectator: Spectator, timeout: float, *, welcome: bool) -> bool:
        """One connection attempt; True once open (and, with ``welcome``, once its first snapshot arrived)."""
        spectator.attempts += 1
        url = spectator.url
        if spectator.version:
            url += ("&" if "?" in url else "?") + f"since={spectator.version}"
        parts = urlsplit(url)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        protocol = ClientProtocol(parse_uri(url), origin=ORIGIN, max_size=None)
        spectator.sock, spectator.protocol = sock, protocol
        spectator.opened, spectator.welcomed = self.loop.create_future(), self.loop.create_future()
        # One deadline for the whole attempt, as a page's script waiting for its board would have.
        deadline = self.loop.time() + timeout
        stage = "connect"
        try:
            async with asyncio.timeout_at(deadline):
                await self.loop.sock_connect(sock, (parts.hostname, parts.port))
                stage = "handshake"
                protocol.send_request(protocol.connect())
                await self.loop.sock_sendall(sock, b"".join(protocol.data_to_send()))
                self.loop.add_reader(sock.fileno(), self._readable, spectator, sock)
                if not await spectator.opened:
                    status = protocol.handshake_exc or "closed"
                    raise ConnectionError(f"refused ({status})")
                stage = "first snapshot"
                if welcome:
                    await spectator.welcomed
            spectator.failure = ""
            return True
        except (OSError, TimeoutError, ConnectionError) as error:
            spectator.failure = f"{stage}: {type(error).__name__} {error}".strip()
            self._discard(spectator, sock)
            return False

    def _discard(self, spectator: Spectator, sock: socket.socket) -> None:
        with contextlib.suppress(ValueError, OSError):
            self.loop.remove_reader(sock.fileno())
        sock.close()
        if spectator.sock is sock:
            spectator.sock = spectator.protocol = None

    # ------------------------------------------------------------------ receiving

    def _readable(self, spectator: Spectator, sock: socket.socket) -> None:
        try:
            data, ancdata, _flags, _address = sock.recvmsg(RECV_BYTES, ANC_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data, ancdata = b"", []
        now = time.time()
        protocol = spectator.protocol
        if protocol is None or spectator.sock is not sock:
            return
        if not data:
            protocol.receive_eof()
            self._closed(spectator, sock)
            return
        arrived = now
        for level, kind, value in ancdata:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanoseconds = struct.unpack("qq", value[:16])
                arrived = seconds + nanoseconds * 1e-9
        protocol.receive_data(data)
        for event in protocol.events_received():
            if type(event) is Frame:
                if event.opcode is Opcode.TEXT:
                    self._message(spectator, event.data, arrived, now)
            elif isinstance(event, Response):
                opened = spectator.opened
                if opened is not None and not opened.done():
                    opened.set_result(protocol.state is State.OPEN and protocol.handshake_exc is None)
                if protocol.state is State.OPEN:
                    spectator.backoff_attempt = 0
                    if spectator.reached_at is None and self.target and spectator.version >= self.target:
                        spectator.reached_at = arrived
        chunks = protocol.data_to_send()
        if chunks:
            with contextlib.suppress(OSError):
                sock.send(b"".join(chunks))
        if protocol.state is State.CLOSED or protocol.close_rcvd is not None:
            self._closed(spectator, sock)

    def _message(self, spectator: Spectator, data: bytes, arrived: float, now: float) -> None:
        snapshot = read_snapshot(data)
        if snapshot is None:
            return
        version, stamp = snapshot
        welcomed = spectator.welcomed
        if welcomed is not None and not welcomed.done():
            welcomed.set_result(None)
        if version <= spectator.version:
            return
        spectator.version = version
        committed = committed_at(stamp)
        latencies = self.latency.get(version)
        if latencies is None:
            latencies = self.latency[version] = array("f")
            self.lag[version] = array("f")
        latencies.append((arrived - committed) * 1000)
        self.lag[version].append((now - arrived) * 1000)
        if self.target and version >= self.target and spectator.reached_at is None:
            spectator.reached_at = arrived

    def _closed(self, spectator: Spectator, sock: socket.socket) -> None:
        opened = spectator.opened
        if opened is not None and not opened.done():
            opened.set_result(False)
        if spectator.sock is not sock:
            return
        was_open = spectator.protocol is not None and spectator.protocol.state is not State.CONNECTING
        self._discard(spectator, sock)
        if was_open:
            self.lost += 1
        if self.reconnect and was_open and not spectator.reconnecting:
            spectator.reconnecting = True
            self.loop.create_task(self._reconnect(spectator))

    async def _reconnect(self, spectator: Spectator) -> None:
        """feed.js: wait a capped, jittered backoff, connect with ``?since=``, and again while it fails."""
        try:
            while True:
                await asyncio.sleep(backoff(spectator.backoff_attempt))
                spectator.backoff_attempt += 1
                if await self.open(spectator, 10.0, welcome=False):
                    return
        finally:
            spectator.reconnecting = False

    # ------------------------------------------------------------------ results

    def behind(self, version: int) -> int:
        return sum(1 for s in self.spectators if s.version < version)

    async def wait_for_version(self, version: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.behind(version):
            await asyncio.sleep(0.05)

    def close(self) -> None:
        for spectator in self.spectators:
            if spectator.sock is not None:
                self._discard(spectator, spectator.sock)


# ---------------------------------------------------------------------- the client processes


def start_crowds(urls: list[str], processes: int, **spec: Any) -> list[tuple[Any, Any]]:
    """``processes`` client processes (spawned: nothing of the main process's state), spectators dealt out in
    turn; returns (process, pipe) pairs."""
    context = multiprocessing.get_context("spawn")
    crowds = []
    for index in range(processes):
        parent, child = context.Pipe()
        process = context.Process(
            target=crowd_process, args=(child, CrowdSpec(urls=urls[index::processes], **spec)), daemon=True
        )
        process.start()
        crowds.append((process, parent))
    return crowds


def receive(conn: Any, kind: str, timeout: float) -> Any:
    """The next message from a client process, which must be ``kind``."""
    if not conn.poll(timeout):
        raise SystemExit(f"a client process did not answer '{kind}' within {timeout:.0f} s")
    message, payload = conn.recv()
    if message != kind:
        raise SystemExit(f"a client process answered '{message}' instead of '{kind}'")
    return payload


def stop_crowds(crowds: list[tuple[Any, Any]]) -> None:
    for _process, conn in crowds:
        with contextlib.suppress(OSError, EOFError, BrokenPipeError):
            conn.send(("close",))
    for process, _conn in crowds:
        process.join(timeout=20)
        if process.is_alive():
            process.kill()
            process.join()


@dataclass
class CrowdSpec:
    urls: list[str]
    core: int | None = None
    rate: float = 500.0  # new connections a second, this process
    timeout: float = 30.0
    attempts: int = 3
    reconnect: bool = False
    start_at: float | None = None  # time.time() of the first arrival (arrivals: every process at once)
    throttle: bool = True  # False: arrive on schedule whatever the server's state (bench/arrivals.py)


def crowd_process(conn: Any, spec: CrowdSpec) -> None:
    """One client process: connect, report, then obey the main process until told to finish.

    Messages from the main process: ``("finish", version, timeout)`` waits until every spectator shows
    ``version`` and answers with the latencies; ``("target", version, timeout)`` (storm) answers with when each
    spectator reached ``version``; ``("close",)`` ends the process.
    """
    pin(spec.core)
    # Below the saving process on the core they share: in a deployment the spectators are not on the server at all,
    # and an official's save should not wait for them. Arrival times are the kernel's, so this delays no latency.
    os.nice(10)
    raise_open_files_limit()
    asyncio.run(_crowd_main(conn, spec))


async def _crowd_main(conn: Any, spec: CrowdSpec) -> None:
    crowd = Crowd(spec.urls, reconnect=spec.reconnect)
    loop = asyncio.get_running_loop()
    commands: asyncio.Queue[Any] = asyncio.Queue()
    loop.add_reader(conn.fileno(), lambda: commands.put_nowait(conn.recv()))
    connected = await crowd.connect_all(
        spec.rate, spec.timeout, spec.attempts, start_at=spec.start_at, throttle=spec.throttle
    )
    conn.send(("ready", connected))
    while True:
        command = await commands.get()
        if command[0] == "finish":
            _, version, timeout = command
            await crowd.wait_for_version(version, timeout)
            conn.send(
                (
                    "result",
                    {
                        "latency": {v: a.tobytes() for v, a in crowd.latency.items()},
                        "lag": {v: a.tobytes() for v, a in crowd.lag.items()},
                        "behind": crowd.behind(version),
                        "lost": crowd.lost,
                        "open": sum(1 for s in crowd.spectators if s.sock is not None),
                    },
                )
            )
        elif command[0] == "target":
            _, version, timeout = command
            crowd.target = version
            await crowd.wait_for_version(version, timeout)
            conn.send(
                (
                    "reached",
                    {
                        "at": [s.reached_at for s in crowd.spectators],
                        "attempts": [s.attempts for s in crowd.spectators],
                        "behind": crowd.behind(version),
                    },
                )
            )
        elif command[0] == "close":
            crowd.close()
            conn.send(("closed", None))
            return
