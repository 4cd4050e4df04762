"""Many spectators at once, as browsers running static/results/feed.js would be: they reconnect with the same capped,
jittered backoff (reset once a socket opens) and ``?since=<version>``, keep the newest version they were sent, and
take a link that stays silent for 2.5 heartbeats for dead. They run on an event loop of their own in a thread, so
a synchronous test can crash servers and save results meanwhile. Each reconnection is timed, from the moment the
link dropped to the moment a new one opened."""

from __future__ import annotations

import asyncio
import json
import random
import resource
import ssl
import threading
import time

import websockets
from websockets.typing import Origin

BACKOFF_BASE = 0.5
BACKOFF_CAP = 15.0
CONNECTS_PER_SECOND = 1000
SILENT_HEARTBEATS = 2.5


class Swarm:
    def __init__(
        self,
        url: str,
        origin: str,
        clients: int,
        *,
        ssl_context: ssl.SSLContext | None = None,
        heartbeat_seconds: float = 15.0,
    ) -> None:
        self.url, self.origin, self.clients = url, origin, clients
        self.ssl_context, self.silence_seconds = ssl_context, heartbeat_seconds * SILENT_HEARTBEATS
        self.dropped_at: list[float | None] = [None] * clients  # time.monotonic() the link dropped, until back
        self.reconnections: list[float] = []  # seconds from a dropped link to the next open one, one per drop
        self.versions = [0] * clients
        self.connected = [False] * clients
        self.attempts = [0] * clients
        self.connected_at = [0.0] * clients  # time.monotonic() of each spectator's latest connection
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.tasks: list[asyncio.Task[None]] = []

    def __enter__(self) -> Swarm:
        _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    async def _start(self) -> None:
        for index in range(self.clients):
            self.tasks.append(asyncio.create_task(self._spectator(index)))
            if index % 100 == 99:
                await asyncio.sleep(100 / CONNECTS_PER_SECOND)

    async def _stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _spectator(self, index: int) -> None:
        failures = 0
        while True:
            self.attempts[index] += 1
            try:
                url = f"{self.url}?since={self.versions[index]}"
                async with websockets.connect(
                    url, origin=Origin(self.origin), open_timeout=30, ssl=self.ssl_context
                ) as socket:
                    failures = 0
                    self._opened(index)
                    while True:
                        async with asyncio.timeout(self.silence_seconds):
                            text = await socket.recv()
                        message = json.loads(text)
                        if message["type"] == "snapshot" and message["version"] > self.versions[index]:
                            self.versions[index] = message["version"]
            except asyncio.CancelledError:
                raise
            except Exception:
                pass
            if self.connected[index]:
                self.connected[index] = False
                self.dropped_at[index] = time.monotonic()
            await asyncio.sleep(min(BACKOFF_CAP, BACKOFF_BASE * 2**failures) * random.uniform(0.5, 1.0))
            failures += 1

    def _opened(self, index: int) -> None:
        now = time.monotonic()
        self.connected[index] = True
        self.connected_at[index] = now
        dropped = self.dropped_at[index]
        if dropped is not None:
            self.reconnections.append(now - dropped)
            self.dropped_at[index] = None

    def wait_until(self, version: int, timeout: float) -> float:
        """Seconds until every spectator is connected and shows ``version``; raises if that takes longer."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if all(self.connected) and min(self.versions) >= version:
                return time.monotonic() - started
            time.sleep(0.05)
        behind = sum(v < version for v in self.versions)
        raise TimeoutError(f"{behind} of {self.clients} spectators not on version {version} after {timeout} s")
