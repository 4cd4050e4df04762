"""Writing websocket frames to spectators' sockets, the part that knows Daphne's (Twisted's and autobahn's)
internals: a snapshot's text is prepared as a frame once (``Frame``) and written straight to each socket's
transport with flow control (``TransportWriter``); a socket that is not Daphne's (the tests' in-process
communicator) gets the text through its consumer (``ConsumerWriter``). ``writer_for`` picks one."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings
from twisted.internet import tcp

logger = logging.getLogger(__name__)


class Frame:
    """One message for many sockets: the text, and the websocket frame built from it once."""

    __slots__ = ("_prepared", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._prepared: Any = None

    def prepared(self, factory: Any) -> Any:
        if self._prepared is None:
            self._prepared = factory.prepareMessage(self.text.encode("utf-8"), isBinary=False)
        return self._prepared


class TransportWriter:
    """Writes prepared frames straight to a Daphne (autobahn) websocket, with flow control.

    Registered as the transport's streaming producer: Twisted pauses it when the socket's send buffer is full (a
    client that stopped reading) and resumes it once drained. While paused only the newest frame is kept.
    """

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol
        self.paused_since: float | None = None
        self.pending: Frame | None = None
        transport = protocol.transport
        try:
            # Left alone, Linux grows a socket's send buffer to megabytes for a client that does not read; bounded,
            # a stuck client is noticed (paused, then dropped) after a few snapshots instead.
            transport.getHandle().setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, settings.SPECTATOR_SEND_BUFFER_BYTES)
        except Exception:
            logger.debug("could not bound the send buffer of %s", protocol, exc_info=True)
        try:
            # Daphne upgrades a websocket from an HTTP request whose channel registered itself as the transport's
            # producer; that channel is finished with the connection, so this writer takes its place.
            if getattr(transport, "producer", None) is not None:
                transport.unregisterProducer()
            transport.registerProducer(self, True)
        except Exception:  # a transport that cannot take a producer: no flow control, still correct
            logger.warning("no flow control on %s", protocol, exc_info=True)

    @property
    def coalescing(self) -> bool:
        """Frames written now replace each other until the socket drains: the client gets only the last."""
        return self.paused_since is not None

    def write(self, frame: Frame) -> None:
        if self.protocol.state != self.protocol.STATE_OPEN:
            return
        if self.paused_since is not None:
            self.pending = frame
            if time.monotonic() - self.paused_since > settings.SLOW_CLIENT_SECONDS:
                logger.info("dropping a client that has not read for %ss", settings.SLOW_CLIENT_SECONDS)
                self.protocol.dropConnection(abort=True)
            return
        prepared = frame.prepared(self.protocol.factory)
        if not send_now(self.protocol, prepared):
            self.protocol.sendPreparedMessage(prepared)

    def pauseProducing(self) -> None:  # Twisted IPushProducer
        self.paused_since = time.monotonic()

    def resumeProducing(self) -> None:
        self.paused_since = None
        pending, self.pending = self.pending, None
        if pending is not None:
            self.write(pending)

    def stopProducing(self) -> None:
        self.pending = None


def send_now(protocol: Any, prepared: Any) -> bool:
    """Write a prepared frame to the socket right away when nothing is queued before it: one ``send`` instead of
    Twisted buffering it and writing on the reactor's next turn (an epoll registration, a wakeup and a send per
    socket), which is most of the cost of a broadcast to thousands. Anything not sent at once, and any socket that
    is not a plain TCP one with an empty buffer (TLS, compression, a closing socket), goes the usual way."""
    transport = protocol.transport
    if (
        not isinstance(transport, tcp.Connection)
        or protocol._perMessageCompress is not None
        or protocol.send_queue
        or not transport.connected
        or transport.disconnecting
        or transport._tempDataLen
        or transport.offset != len(transport.dataBuffer)
    ):
        return False
    data = prepared.payloadHybi
    try:
        sent = transport.socket.send(data)
    except OSError:  # full (EAGAIN), interrupted, or gone: Twisted's own write retries, or notices and closes
        sent = 0
    if sent < len(data):
        transport.write(data[sent:])  # type: ignore[no-untyped-call]
    return True


class ConsumerWriter:
    """Any other ASGI server (or a test's communicator): the consumer's own ``send``, in order."""

    coalescing = False  # every frame is sent, in order

    def __init__(self, send_text: Callable[[str], Awaitable[None]]) -> None:
        self.send_text = send_text
        self.queue: asyncio.Queue[Frame] = asyncio.Queue()
        self.task = asyncio.get_running_loop().create_task(self._drain())

    def write(self, frame: Frame) -> None:
        self.queue.put_nowait(frame)

    async def _drain(self) -> None:
        while True:
            frame = await self.queue.get()
            await self.send_text(frame.text)

    def close(self) -> None:
        self.task.cancel()


Writer = TransportWriter | ConsumerWriter


def writer_for(base_send: Any, send_text: Callable[[str], Awaitable[None]]) -> Writer:
    """The fastest way to write to this socket: Daphne passes ``partial(server.handle_reply, protocol)`` as an
    application's ``send``, and the protocol can take prepared frames."""
    protocol = getattr(base_send, "args", (None,))[0]
    if protocol is not None and hasattr(protocol, "sendPreparedMessage") and hasattr(protocol, "transport"):
        return TransportWriter(protocol)
    return ConsumerWriter(send_text)
