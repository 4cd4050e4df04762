"""This server process's spectators, and how a new snapshot reaches every one of them with as little work per
socket as possible.

- **One subscription per process and race.** The process listens on one channel of the channel layer and joins
  each followed race's group once; a snapshot saved anywhere (this process, ``replay``, another server through
  Redis) arrives once per process, not once per socket.
- **One frame per change.** The snapshot text is encoded once, prepared once as a websocket frame
  (autobahn's ``prepareMessage``), and that same frame is written to every local socket of the race. The
  consumers stay Channels consumers for connecting, routing and closing; only delivery skips the per-consumer
  message dispatch.
- **Versions only go forward.** Each socket remembers the version it shows and is never sent an older one.
- **Patches for those who ask** (``?delta=1``, results/live/deltas.py). The patch from the previous version to the
  new one is built once per change and prepared once as a frame, like the snapshot; a socket on the patch's base
  version gets the patch, any other (it missed one, it is behind a full send buffer) the whole snapshot.
- **A slow reader delays nobody.** When a socket's send buffer is full its transport pauses it; it then gets only
  the newest snapshot once it drains (every snapshot is complete), and is dropped if it stays stuck.
- **Other processes without Redis.** Every few tenths of a second the process also reads the published version
  of each race it follows and delivers anything newer from the database: that is how ``replay`` reaches a server
  with the in-memory channel layer, and how boards stay current while Redis is down.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from results import selectors, topics
from results.live.broadcast import SNAPSHOT_EVENT
from results.live.deltas import patch_message
from results.live.transport import ConsumerWriter, Frame, Writer

logger = logging.getLogger(__name__)

# What a spectator receives of the boards it follows (see Spectator).
SNAPSHOTS, RACE_SUMMARIES, DELTAS = "snapshots", "race-summaries", "deltas"
BOARDS = (SNAPSHOTS, DELTAS)  # the kinds that follow a board (and hear its heartbeats)
# A patch from one version of a board to the next, once prepared: (base version, frame).
Patch = tuple[int, Frame]


@dataclass(eq=False)
class Spectator:
    """One open socket. ``kind`` SNAPSHOTS: it receives each board it follows as published (a race's or a
    classification's socket); DELTAS: the same, as patches from the version it has where it can; RACE_SUMMARIES: a
    competition's socket, which receives a summary of each race."""

    writer: Writer
    kind: str
    shown: dict[str, int] = field(default_factory=dict)  # topic -> version this socket shows

    def offer(self, topic: str, version: int, frame: Frame, patch: Patch | None = None) -> None:
        """Send ``version`` (``frame``, the whole of it), unless the socket already shows it or a newer one; a
        DELTAS socket on the patch's base version that will get it now gets the patch instead."""
        shows = self.shown.get(topic, 0)
        if version <= shows:
            return
        if patch is not None and self.kind == DELTAS and patch[0] == shows and not self.writer.coalescing:
            frame = patch[1]
        self.shown[topic] = version
        self.writer.write(frame)


class Audience:
    def __init__(self) -> None:
        self._by_topic: dict[str, set[Spectator]] = defaultdict(set)
        self._by_competition: dict[int, set[Spectator]] = defaultdict(set)
        self._latest: dict[str, tuple[int, str]] = {}  # topic -> newest (version, snapshot text) seen here
        self._documents: dict[str, tuple[int, dict[str, Any]]] = {}  # the same, parsed: what the next patch is from
        self._frames: dict[tuple[str, str], tuple[int, Frame]] = {}
        self._reading: dict[str, asyncio.Future[tuple[int, str] | None]] = {}  # topic -> its one database read
        self._tasks: list[asyncio.Task[None]] = []
        self._channel: str | None = None

    # ---------------------------------------------------------------- joining and leaving

    async def join(self, topic: str, spectator: Spectator) -> None:
        """Follow ``topic`` from now on: whatever is delivered after this reaches the spectator."""
        await self._start()
        first = topic not in self._by_topic
        self._by_topic[topic].add(spectator)
        if first:
            await self._group(topic, join=True)

    async def join_competition(self, competition_id: int, spectator: Spectator) -> None:
        await self._start()
        self._by_competition[competition_id].add(spectator)

    async def leave(self, spectator: Spectator) -> None:
        for topic in [topic for topic, spectators in self._by_topic.items() if spectator in spectators]:
            spectators = self._by_topic[topic]
            spectators.discard(spectator)
            if not spectators:
                del self._by_topic[topic]
                self._latest.pop(topic, None)
                self._documents.pop(topic, None)
                self._frames.pop((topic, SNAPSHOTS), None)
                self._frames.pop((topic, RACE_SUMMARIES), None)
                await self._group(topic, join=False)
        for competition_id in [c for c, spectators in self._by_competition.items() if spectator in spectators]:
            self._by_competition[competition_id].discard(spectator)
            if not self._by_competition[competition_id]:
                del self._by_competition[competition_id]
        if isinstance(spectator.writer, ConsumerWriter):
            spectator.writer.close()
        if not self._by_topic and not self._by_competition:
            self._stop()

    def count(self) -> int:
        """The spectators' sockets this process holds (each once, whatever it follows)."""
        followed = [*self._by_topic.values(), *self._by_competition.values()]
        return len({spectator for spectators in followed for spectator in spectators})

    # ---------------------------------------------------------------- delivery

    def latest(self, topic: str) -> tuple[int, str] | None:
        """The newest snapshot of a followed board this process has, so a new socket needs no database read."""
        return self._latest.get(topic)

    async def current(self, topic: str) -> tuple[int, str] | None:
        """The newest snapshot of a followed board (None: no such board): from memory, or read from the database
        once for every socket that asks before the read is done. A crowd opening a board together would otherwise
        queue one read each on the one thread that runs database work, and wait for all of them.
        ``welcome`` still takes whichever is newer, this or a change delivered meanwhile."""
        latest = self._latest.get(topic)
        if latest is not None:
            return latest
        reading = self._reading.get(topic)
        if reading is None:
            reading = self._reading[topic] = asyncio.ensure_future(self._read(topic))
        # A socket that goes away while waiting cancels its own wait, not the others' read.
        return await asyncio.shield(reading)

    async def _read(self, topic: str) -> tuple[int, str] | None:
        try:
            snapshot = await database_sync_to_async(selectors.snapshot_current)(topic)
        finally:
            del self._reading[topic]
        return None if snapshot is None else (snapshot.version, snapshot.payload)

    def deliver(self, topic: str, version: int, text: str) -> None:
        """A snapshot reached this process: one frame per kind of spectator, the same frame for each of them, and
        for those who take patches, one patch from the version before."""
        known = self._latest.get(topic)
        if known is not None and version <= known[0]:
            return
        self._latest[topic] = (version, text)
        spectators = list(self._by_topic.get(topic, ()))
        patch = self._patch(topic, version, text) if any(s.kind == DELTAS for s in spectators) else None
        for spectator in spectators:
            spectator.offer(topic, version, self._frame(topic, version, text, spectator.kind), patch)

    def _patch(self, topic: str, version: int, text: str) -> Patch | None:
        """The patch from the version this process had before ``version`` to it, as a frame; None when this process
        had none (every socket then gets the whole snapshot)."""
        document = json.loads(text)
        before, self._documents[topic] = self._documents.get(topic), (version, document)
        if before is None or before[0] >= version:
            return None
        return before[0], Frame(patch_message(before[0], before[1], version, document))

    def welcome(self, spectator: Spectator, topic: str, version: int, text: str) -> None:
        """A new socket's first message: the newest snapshot known, read once from the database if need be."""
        known = self._latest.get(topic)
        if known is None or version > known[0]:
            self._latest[topic] = known = (version, text)
        if spectator.kind == DELTAS and self._documents.get(topic, (0,))[0] < known[0]:
            self._documents[topic] = (known[0], json.loads(known[1]))  # the base of the next patch
        spectator.offer(topic, known[0], self._frame(topic, known[0], known[1], spectator.kind))

    def _frame(self, topic: str, version: int, text: str, kind: str) -> Frame:
        """The frame of a snapshot for one kind of spectator, built once: a reconnect storm reuses it too."""
        kind = SNAPSHOTS if kind == DELTAS else kind  # a patch-taker's whole snapshot is everyone's
        cached = self._frames.get((topic, kind))
        if cached is None or cached[0] != version:
            message = text if kind == SNAPSHOTS else selectors.race_message(topics.parse(topic)[1], version, text)
            cached = self._frames[(topic, kind)] = (version, Frame(message))
        return cached[1]

    # ---------------------------------------------------------------- background work of the process

    async def _start(self) -> None:
        if self._tasks and not any(task.done() for task in self._tasks):
            return
        self._stop()
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._watch_database()), loop.create_task(self._heartbeats())]
        layer = get_channel_layer()
        if layer is not None:
            self._channel = await layer.new_channel()
            self._tasks.append(loop.create_task(self._listen(layer)))
            # Sockets that joined while the channel was being made found no channel to add: subscribe their topics.
            for topic in list(self._by_topic):
                await self._group(topic, join=True)

    def _stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        self._tasks, self._channel = [], None

    async def _group(self, topic: str, *, join: bool) -> None:
        layer = get_channel_layer()
        if layer is None or self._channel is None:
            return
        try:
            if join:
                await layer.group_add(topic, self._channel)
            else:
                await layer.group_discard(topic, self._channel)
        except Exception:
            logger.warning("channel layer unavailable; %s follows the database watch", topic, exc_info=True)

    async def _listen(self, layer: Any) -> None:
        """The process's one subscription: snapshots pushed on commit by any process reach it here once."""
        channel = self._channel
        while True:
            try:
                message = await layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("channel layer receive failed; retrying in 1 s", exc_info=True)
                await asyncio.sleep(1)
                for topic in list(self._by_topic):
                    await self._group(topic, join=True)
                # Pushes made while the layer was down are gone (pub/sub keeps nothing): catch up from the database.
                await self._catch_up()
                continue
            if message.get("type") == SNAPSHOT_EVENT:
                self.deliver(message["topic"], message["version"], message["text"])

    async def _watch_database(self) -> None:
        while True:
            await asyncio.sleep(settings.SNAPSHOT_POLL_SECONDS)
            await self._catch_up()

    async def _catch_up(self) -> None:
        try:
            await self._deliver_newer_from_database()
        except Exception:
            logger.warning("could not read the boards' versions; trying again soon", exc_info=True)

    async def _deliver_newer_from_database(self) -> None:
        followed = list(self._by_topic)
        if not followed:
            return
        versions = await database_sync_to_async(selectors.topic_versions)(followed)
        for topic, version in versions.items():
            known = self._latest.get(topic)
            if known is not None and version <= known[0]:
                continue
            snapshot = await database_sync_to_async(selectors.snapshot_current)(topic)
            if snapshot is not None:
                self.deliver(topic, snapshot.version, snapshot.payload)

    async def _heartbeats(self) -> None:
        """Every socket hears, every ``HEARTBEAT_SECONDS``, that its link is alive (docs/feed.md): one frame per
        board and per competition. Competitions also pick up races added to their programme."""
        while True:
            await asyncio.sleep(settings.HEARTBEAT_SECONDS)
            now = selectors.timestamp(timezone.now())
            for topic, spectators in list(self._by_topic.items()):
                version = self._latest.get(topic, (0, ""))[0]
                frame = _json_frame({"type": "heartbeat", **topics.described(topic), "version": version, "at": now})
                for spectator in list(spectators):
                    if spectator.kind in BOARDS:
                        spectator.writer.write(frame)
            for competition_id, spectators in list(self._by_competition.items()):
                try:
                    await self._races_added(competition_id, spectators)
                except Exception:
                    logger.warning("could not refresh competition %s", competition_id, exc_info=True)
                frame = _json_frame({"type": "heartbeat", "competition": competition_id, "at": now})
                for spectator in list(spectators):
                    spectator.writer.write(frame)

    async def _races_added(self, competition_id: int, spectators: set[Spectator]) -> None:
        races = await database_sync_to_async(selectors.competition_race_versions)(competition_id)
        for race_id, (version, payload) in races.items():
            topic = topics.race_topic(race_id)
            for spectator in list(spectators):
                if topic not in spectator.shown:
                    await self.join(topic, spectator)
                    self.welcome(spectator, topic, version, payload)


def _json_frame(document: dict[str, Any]) -> Frame:
    return Frame(json.dumps(document, separators=(",", ":")))


audience = Audience()
