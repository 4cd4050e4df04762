"""The public, read-only race socket at ``/ws/races/<id>/``."""

from __future__ import annotations

import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from results import selectors
from results.broadcast import race_group
from results.followers import followers

logger = logging.getLogger(__name__)

# Application close codes (4000-4999): a client should not reconnect after this one.
CLOSE_RACE_NOT_FOUND = 4404


class RaceConsumer(AsyncWebsocketConsumer):
    """Sends the race's current snapshot on connect, then every newer one; ignores whatever clients send."""

    race_id: int
    version: int = 0

    async def connect(self) -> None:
        self.race_id = self.scope["url_route"]["kwargs"]["race_id"]
        # Join before reading the snapshot, so a result committed in between is not missed.
        await self._group_join()
        snapshot = await database_sync_to_async(selectors.race_snapshot_current)(self.race_id)
        await self.accept()
        if snapshot is None:
            await self.close(code=CLOSE_RACE_NOT_FOUND)
            return
        followers.add(self.race_id, self, snapshot.version)
        await self.snapshot_send(snapshot.version, snapshot.payload)

    async def _group_join(self) -> None:
        try:
            await self.channel_layer.group_add(race_group(self.race_id), self.channel_name)
        except Exception:
            logger.warning(
                "channel layer unavailable; race %s follows the database watch only",
                self.race_id,
                exc_info=True,
            )

    async def disconnect(self, code: int) -> None:
        followers.remove(self.race_id, self)
        try:
            await self.channel_layer.group_discard(race_group(self.race_id), self.channel_name)
        except Exception:
            logger.debug("group_discard failed for race %s", self.race_id, exc_info=True)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Read-only: spectators have nothing to say."""

    async def standings_update(self, event: dict[str, Any]) -> None:
        followers.seen(self.race_id, event["version"])
        await self.snapshot_send(event["version"], event["text"])

    async def snapshot_send(self, version: int, text: str) -> None:
        """Send a snapshot unless this socket already has it or a newer one: versions only go forward."""
        if version <= self.version:
            return
        self.version = version
        await self.send(text_data=text)
