"""The public, read-only sockets: a race at ``/ws/races/<id>/``, a classification at ``/ws/classifications/<id>/``, a
series' World Cup standings at ``/ws/series/<id>/<gender>/<distance>/`` and a whole competition at
``/ws/competitions/<id>/`` (docs/feed.md). They connect, route and close like any Channels
consumer; what they send after the first message is delivered by the process's audience (results/live/audience.py)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from results import selectors
from results.live.audience import DELTAS, RACE_SUMMARIES, SNAPSHOTS, Spectator, audience
from results.live.transport import Frame, writer_for
from results.rules.numbers import whole_number
from results.topics import classification_topic, race_topic, series_topic

logger = logging.getLogger(__name__)

# Application close codes (4000-4999, docs/feed.md; a server may send only those and 1000): a client should not
# reconnect after these.
CLOSE_NOT_FOUND = 4404
CLOSE_RACE_NOT_FOUND = CLOSE_NOT_FOUND
CLOSE_TOO_BIG = 4009  # the client sent a message (spectators have nothing to say), and a big one


def wants_patches(scope: Mapping[str, Any]) -> bool:
    """``?delta=1``: the client applies patches from the version it has (docs/feed.md, "Patches")."""
    values: list[str] = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("delta", [])
    return values == ["1"]


def since_version(scope: Mapping[str, Any]) -> int:
    """``?since=<version>``: the version a reconnecting client already shows (0 when absent or not a version)."""
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("since", [])
    return (whole_number(values[0]) or 0) if values else 0


class SpectatorConsumer(AsyncWebsocketConsumer):
    """Read-only: spectators have nothing to say."""

    # No channel per socket: the process's audience holds the one subscription per race (results/live/audience.py).
    channel_layer_alias = None  # type: ignore[assignment]
    spectator: Spectator | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """However the socket ends (a close, the client gone, an error), the spectator leaves the audience."""
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._leave()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Ignore what clients send, and close on anything bigger than a spectator could have a reason to send."""
        size = len(text_data or "") + len(bytes_data or b"")
        if size > settings.MAX_CLIENT_MESSAGE_BYTES:
            await self.close(code=CLOSE_TOO_BIG)

    async def disconnect(self, code: int) -> None:
        await self._leave()

    async def _leave(self) -> None:
        spectator, self.spectator = self.spectator, None
        if spectator is not None:
            await audience.leave(spectator)

    async def _send_text(self, text: str) -> None:
        await self.send(text_data=text)

    def _spectator(self, kind: str, shown: dict[str, int]) -> Spectator:
        return Spectator(writer=writer_for(self.base_send, self._send_text), kind=kind, shown=shown)

    async def _not_found(self) -> None:
        await self._leave()
        await self.close(code=CLOSE_NOT_FOUND)


class BoardConsumer(SpectatorConsumer):
    """Sends a board's current snapshot on connect (unless the client says it has it: ``?since=<version>``), then
    every newer one, and a heartbeat every ``HEARTBEAT_SECONDS``."""

    def topic(self) -> str:
        """The board's topic; ``ValueError`` for an address that names none (a series' standings for "kids")."""
        raise NotImplementedError

    async def connect(self) -> None:
        await self.accept()
        try:
            topic = self.topic()
        except ValueError:
            await self._not_found()
            return
        # Follow first, then read: a change committed in between is not missed.
        kind = DELTAS if wants_patches(self.scope) else SNAPSHOTS
        self.spectator = self._spectator(kind, {topic: since_version(self.scope)})
        await audience.join(topic, self.spectator)
        latest = await audience.current(topic)
        if latest is None:
            await self._not_found()
            return
        audience.welcome(self.spectator, topic, *latest)


class RaceConsumer(BoardConsumer):
    """A race's standings (docs/feed.md)."""

    def topic(self) -> str:
        return race_topic(self.scope["url_route"]["kwargs"]["race_id"])


class ClassificationConsumer(BoardConsumer):
    """A classification's standings: the snapshot on connect, then each new one (after every heat of any of its
    distances), and heartbeats. Unknown classifications close with 4404."""

    def topic(self) -> str:
        return classification_topic(self.scope["url_route"]["kwargs"]["classification_id"])


class SeriesConsumer(BoardConsumer):
    """A series' World Cup standings for one gender and distance: the snapshot on connect, then each new one (after
    every heat of a race counting for them), and heartbeats. Standings that do not exist close with 4404."""

    def topic(self) -> str:
        kwargs = self.scope["url_route"]["kwargs"]
        return series_topic(kwargs["series_id"], kwargs["gender"], kwargs["distance"])


class CompetitionConsumer(SpectatorConsumer):
    """One connection for a whole event: the competition with every race's status and version on connect, then a
    ``race`` message each time a race changes, so a client knows which race to fetch or follow."""

    async def connect(self) -> None:
        competition_id = self.scope["url_route"]["kwargs"]["competition_id"]
        await self.accept()
        document = await database_sync_to_async(selectors.competition_document)(competition_id)
        if document is None:
            await self._not_found()
            return
        shown = {race_topic(race["id"]): race["version"] for race in document["races"]}
        self.spectator = self._spectator(RACE_SUMMARIES, shown)
        self.spectator.writer.write(Frame(json.dumps(document, ensure_ascii=False, separators=(",", ":"))))
        await audience.join_competition(competition_id, self.spectator)
        for topic in shown:
            await audience.join(topic, self.spectator)
            latest = audience.latest(topic)  # a change that arrived while the document was being read
            if latest is not None:
                audience.welcome(self.spectator, topic, *latest)


class UnknownSocket(AsyncWebsocketConsumer):
    """Any other socket path (``/ws/races/abc/``, ``/ws/nothing/``): refused at the handshake (HTTP 403), as a
    client's mistake, without an error in the server's log."""

    async def connect(self) -> None:
        await self.close()
