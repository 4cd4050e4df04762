"""Which races this server process's sockets follow, and how a change made in another process reaches them.

A result saved in this process arrives through the channel layer at once. A result saved elsewhere (the
``replay`` command, a timing system, a second server) arrives the same way when Redis is configured; with the
embedded in-memory layer it cannot, so every server process also watches the published version of each race its
sockets follow and delivers any newer snapshot from the database. The same watch keeps boards current if Redis
goes down. Sockets drop versions they already have, so a snapshot that arrives both ways is sent once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from typing import Protocol

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from results import selectors

logger = logging.getLogger(__name__)


class Follower(Protocol):
    async def snapshot_send(self, race_id: int, version: int, text: str) -> None: ...

    async def heartbeat_send(self, race_id: int, text: str) -> None: ...


class RaceFollowers:
    def __init__(self) -> None:
        self._by_race: dict[int, set[Follower]] = defaultdict(set)
        self._delivered: dict[int, int] = {}
        self._tasks: list[asyncio.Task[None]] = []

    def add(self, race_id: int, follower: Follower, version: int) -> None:
        self._by_race[race_id].add(follower)
        self.seen(race_id, version)
        if not self._tasks or any(task.done() for task in self._tasks):
            self._stop_tasks()
            loop = asyncio.get_running_loop()
            self._tasks = [loop.create_task(self._watch_database()), loop.create_task(self._heartbeats())]

    def _stop_tasks(self) -> None:
        for task in self._tasks:
            task.cancel()
        self._tasks = []

    def remove(self, race_id: int, follower: Follower) -> None:
        followers = self._by_race.get(race_id)
        if followers is None:
            return
        followers.discard(follower)
        if not followers:
            del self._by_race[race_id]
            self._delivered.pop(race_id, None)
        if not self._by_race:
            self._stop_tasks()

    def seen(self, race_id: int, version: int) -> None:
        """Record that this process has delivered ``version`` of the race, so the watch does not fetch it again."""
        if version > self._delivered.get(race_id, 0):
            self._delivered[race_id] = version

    def count(self) -> int:
        return sum(len(followers) for followers in self._by_race.values())

    async def _watch_database(self) -> None:
        interval = settings.SNAPSHOT_POLL_SECONDS
        while self._by_race:
            await asyncio.sleep(interval)
            try:
                await self._deliver_newer()
            except Exception:
                logger.warning("database watch failed; retrying in %ss", interval, exc_info=True)

    async def _deliver_newer(self) -> None:
        race_ids = list(self._by_race)
        if not race_ids:
            return
        versions = await database_sync_to_async(selectors.race_versions)(race_ids)
        for race_id, version in versions.items():
            if version <= self._delivered.get(race_id, 0):
                continue
            snapshot = await database_sync_to_async(selectors.race_snapshot_current)(race_id)
            if snapshot is None:
                continue
            self.seen(race_id, snapshot.version)
            for follower in list(self._by_race.get(race_id, ())):
                await follower.snapshot_send(race_id, snapshot.version, snapshot.payload)

    async def _heartbeats(self) -> None:
        """Every few seconds each socket hears that its link is alive and which version is current, so clients and
        proxies can tell a quiet race from a dead connection (docs/feed.md). One text per race, for all its
        sockets."""
        interval = settings.HEARTBEAT_SECONDS
        while self._by_race:
            await asyncio.sleep(interval)
            now = selectors.timestamp(timezone.now())
            for race_id, race_followers in list(self._by_race.items()):
                text = json.dumps(
                    {"type": "heartbeat", "race": race_id, "version": self._delivered.get(race_id, 0), "at": now},
                    separators=(",", ":"),
                )
                for follower in list(race_followers):
                    await follower.heartbeat_send(race_id, text)


followers = RaceFollowers()
