"""The public, read-only sockets: a race at ``/ws/races/<id>/`` and a whole competition at
``/ws/competitions/<id>/`` (docs/feed.md)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from results import selectors
from results.broadcast import race_group
from results.followers import followers

logger = logging.getLogger(__name__)

# Application close codes (4000-4999): a client should not reconnect after these.
CLOSE_RACE_NOT_FOUND = 4404
CLOSE_COMPETITION_NOT_FOUND = 4404


def since_version(scope: Mapping[str, Any]) -> int:
    """``?since=<version>``: the version a reconnecting client already shows (0 when absent or not a number)."""
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("since", [])
    return int(values[0]) if values and values[0].isdigit() else 0


class ReadOnlyConsumer(AsyncWebsocketConsumer):
    """Spectators have nothing to say: whatever a client sends is ignored."""

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        pass

    async def follow(self, race_id: int, version: int) -> None:
        """Hear of every new version of the race: from this process at once, from others through the channel
        layer (Redis) or the database watch (results/followers.py)."""
        followers.add(race_id, self, version)
        try:
            await self.channel_layer.group_add(race_group(race_id), self.channel_name)
        except Exception:
            logger.warning("channel layer unavailable; race %s follows the database watch only", race_id, exc_info=True)

    async def unfollow(self, race_id: int) -> None:
        followers.remove(race_id, self)
        try:
            await self.channel_layer.group_discard(race_group(race_id), self.channel_name)
        except Exception:
            logger.debug("group_discard failed for race %s", race_id, exc_info=True)

    async def standings_update(self, event: dict[str, Any]) -> None:
        followers.seen(event["race"], event["version"])
        await self.snapshot_send(event["race"], event["version"], event["text"])

    async def snapshot_send(self, race_id: int, version: int, text: str) -> None:
        raise NotImplementedError

    async def heartbeat_send(self, race_id: int, text: str) -> None:
        await self.send(text_data=text)


class RaceConsumer(ReadOnlyConsumer):
    """Sends the race's current snapshot on connect (unless the client says it has it: ``?since=<version>``),
    then every newer one, and a heartbeat every ``HEARTBEAT_SECONDS``."""

    race_id: int
    version: int = 0

    async def connect(self) -> None:
        self.race_id = self.scope["url_route"]["kwargs"]["race_id"]
        since = since_version(self.scope)
        await self.accept()
        # Follow before reading the snapshot, so a result committed in between is not missed.
        await self.follow(self.race_id, 0)
        snapshot = await database_sync_to_async(selectors.race_snapshot_current)(self.race_id)
        if snapshot is None:
            await self.unfollow(self.race_id)
            await self.close(code=CLOSE_RACE_NOT_FOUND)
            return
        followers.seen(self.race_id, snapshot.version)
        if snapshot.version == since:
            self.version = since  # the client is up to date: nothing to send until the next change
        else:
            await self.snapshot_send(self.race_id, snapshot.version, snapshot.payload)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "race_id"):
            await self.unfollow(self.race_id)

    async def snapshot_send(self, race_id: int, version: int, text: str) -> None:
        """Send a snapshot unless this socket already has it or a newer one: versions only go forward."""
        if version <= self.version:
            return
        self.version = version
        await self.send(text_data=text)


class CompetitionConsumer(ReadOnlyConsumer):
    """One connection for a whole event: the competition with every race's status and version on connect, then a
    ``race`` message each time a race changes, so a client knows which race to fetch or follow."""

    competition_id: int
    race_ids: set[int]
    versions: dict[int, int]
    last_heartbeat: float = 0.0

    async def connect(self) -> None:
        self.competition_id = self.scope["url_route"]["kwargs"]["competition_id"]
        self.race_ids, self.versions = set(), {}
        await self.accept()
        document = await database_sync_to_async(selectors.competition_document)(self.competition_id)
        if document is None:
            await self.close(code=CLOSE_COMPETITION_NOT_FOUND)
            return
        for race in document["races"]:
            self.versions[race["id"]] = race["version"]
            await self.follow(race["id"], race["version"])
            self.race_ids.add(race["id"])
        await self.send(text_data=json.dumps(document, ensure_ascii=False, separators=(",", ":")))

    async def disconnect(self, code: int) -> None:
        for race_id in getattr(self, "race_ids", ()):
            await self.unfollow(race_id)

    async def snapshot_send(self, race_id: int, version: int, text: str) -> None:
        if version <= self.versions.get(race_id, 0):
            return
        self.versions[race_id] = version
        await self.send(text_data=selectors.race_message(race_id, version, text))

    async def heartbeat_send(self, race_id: int, text: str) -> None:
        """One heartbeat per interval for the whole competition, not one per race; it also picks up races added
        to the programme since the client connected."""
        now = time.monotonic()
        if now - self.last_heartbeat < settings.HEARTBEAT_SECONDS / 2:
            return
        self.last_heartbeat = now
        await self._follow_new_races()
        heartbeat = {"type": "heartbeat", "competition": self.competition_id, "at": json.loads(text)["at"]}
        await self.send(text_data=json.dumps(heartbeat, separators=(",", ":")))

    async def _follow_new_races(self) -> None:
        races = await database_sync_to_async(selectors.competition_race_versions)(self.competition_id)
        for race_id, (version, payload) in races.items():
            if race_id in self.race_ids:
                continue
            await self.follow(race_id, version)
            self.race_ids.add(race_id)
            await self.snapshot_send(race_id, version, payload)
