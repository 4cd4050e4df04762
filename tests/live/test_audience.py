"""The fan-out inside one server process (results/live/audience.py): one frame per change for every socket, versions
only forward, and a client that stops reading delays nobody."""

import asyncio
import json
import socket
import time

import pytest

from results import selectors
from results.live import audience as audience_module
from results.live.audience import RACE_SUMMARIES, SNAPSHOTS, Audience, Spectator
from results.live.transport import Frame, TransportWriter, send_now


class FakeFactory:
    def __init__(self):
        self.prepared = 0

    def prepareMessage(self, payload, isBinary):  # autobahn's names
        self.prepared += 1
        return ("frame", payload)


class FakeTransport:
    def __init__(self):
        self.producer = None

    def registerProducer(self, producer, streaming):
        self.producer = producer


class FakeProtocol:
    """What TransportWriter uses of a Daphne (autobahn) websocket protocol."""

    STATE_OPEN = 1

    def __init__(self, factory):
        self.factory = factory
        self.transport = FakeTransport()
        self.state = self.STATE_OPEN
        self.sent = []
        self.dropped = False

    def sendPreparedMessage(self, prepared):
        self.sent.append(prepared[1].decode())

    def dropConnection(self, abort):
        self.dropped = abort


def snapshot(version):
    return json.dumps({"type": "snapshot", "version": version})


def test_one_prepared_frame_serves_every_socket_of_the_race():
    audience, factory = Audience(), FakeFactory()
    protocols = [FakeProtocol(factory) for _ in range(500)]
    for protocol in protocols:
        audience._by_topic["race.7"].add(Spectator(TransportWriter(protocol), SNAPSHOTS))

    audience.deliver("race.7", 3, snapshot(3))

    assert factory.prepared == 1
    assert all(protocol.sent == [snapshot(3)] for protocol in protocols)


def test_versions_only_go_forward_for_the_process_and_for_each_socket():
    audience, factory = Audience(), FakeFactory()
    caught_up, behind = FakeProtocol(factory), FakeProtocol(factory)
    audience._by_topic["race.7"].add(
        Spectator(TransportWriter(caught_up), SNAPSHOTS, {"race.7": 5})
    )  # reconnected with ?since=5
    audience._by_topic["race.7"].add(Spectator(TransportWriter(behind), SNAPSHOTS, {"race.7": 0}))

    audience.deliver("race.7", 5, snapshot(5))
    audience.deliver("race.7", 4, snapshot(4))  # late, from the database watch
    audience.deliver("race.7", 6, snapshot(6))

    assert caught_up.sent == [snapshot(6)]
    assert behind.sent == [snapshot(5), snapshot(6)]


def test_competition_sockets_get_the_race_summary_built_once(monkeypatch):
    built = []

    def race_message(race_id, version, text):
        built.append(version)
        return json.dumps({"type": "race", "race": {"id": race_id, "version": version}})

    monkeypatch.setattr(selectors, "race_message", race_message)
    audience, factory = Audience(), FakeFactory()
    board, programme = FakeProtocol(factory), [FakeProtocol(factory) for _ in range(3)]
    audience._by_topic["race.7"].add(Spectator(TransportWriter(board), SNAPSHOTS))
    for protocol in programme:
        audience._by_topic["race.7"].add(Spectator(TransportWriter(protocol), RACE_SUMMARIES))

    audience.deliver("race.7", 2, snapshot(2))

    assert built == [2] and factory.prepared == 2
    assert board.sent == [snapshot(2)]
    assert all(json.loads(p.sent[0]) == {"type": "race", "race": {"id": 7, "version": 2}} for p in programme)


def test_a_client_that_stops_reading_gets_only_the_newest_when_it_drains(settings):
    settings.SLOW_CLIENT_SECONDS = 30
    factory = FakeFactory()
    protocol = FakeProtocol(factory)
    writer = TransportWriter(protocol)
    assert protocol.transport.producer is writer  # Twisted pauses it when the socket's buffer is full

    writer.pauseProducing()
    for version in (1, 2, 3):
        writer.write(Frame(snapshot(version)))
    assert protocol.sent == []
    writer.resumeProducing()
    assert protocol.sent == [snapshot(3)]


def test_a_client_stuck_for_too_long_is_dropped(settings, monkeypatch):
    settings.SLOW_CLIENT_SECONDS = 30
    clock = iter([1000.0, 1031.0])
    monkeypatch.setattr(time, "monotonic", lambda: next(clock))
    protocol = FakeProtocol(FakeFactory())
    writer = TransportWriter(protocol)
    writer.pauseProducing()  # at 1000 s
    writer.write(Frame(snapshot(1)))  # at 1031 s: stuck for more than 30 s
    assert protocol.dropped is True and protocol.sent == []


@pytest.mark.parametrize("state", [0, 2])
def test_nothing_is_written_to_a_socket_that_is_not_open(state):
    protocol = FakeProtocol(FakeFactory())
    protocol.state = state
    TransportWriter(protocol).write(Frame(snapshot(1)))
    assert protocol.sent == []


class SlowLayer:
    """A channel layer whose ``new_channel`` takes a while, as Redis does under a crowd of new sockets."""

    def __init__(self):
        self.made = asyncio.Event()
        self.groups = []

    async def new_channel(self):
        await self.made.wait()
        return "specific.audience!1"

    async def group_add(self, group, channel):
        self.groups.append((group, channel))

    async def receive(self, channel):
        await asyncio.Event().wait()


async def test_sockets_joining_while_the_process_subscribes_are_subscribed_too(monkeypatch):
    layer = SlowLayer()
    monkeypatch.setattr(audience_module, "get_channel_layer", lambda: layer)
    audience = Audience()
    crowd = [
        asyncio.create_task(audience.join(topic, Spectator(TransportWriter(FakeProtocol(FakeFactory())), SNAPSHOTS)))
        for topic in ("race.7", "race.7", "race.8")
    ]
    await asyncio.sleep(0)  # every socket is waiting for the process's channel
    layer.made.set()
    await asyncio.gather(*crowd)
    try:
        assert {group for group, _channel in layer.groups} == {"race.7", "race.8"}
    finally:
        audience._stop()


async def test_a_crowd_opening_a_board_together_reads_its_snapshot_once(monkeypatch):
    reads, release = [], asyncio.Event()

    def read_on_release(_function):
        async def read(topic):
            reads.append(topic)
            await release.wait()
            return selectors.PublishedSnapshot(version=4, payload=snapshot(4))

        return read

    monkeypatch.setattr(audience_module, "database_sync_to_async", read_on_release)
    audience = Audience()
    crowd = [asyncio.create_task(audience.current("race.7")) for _ in range(200)]
    await asyncio.sleep(0)
    crowd[0].cancel()  # one phone gives up: the others still get the read
    release.set()

    answers = await asyncio.gather(*crowd[1:])

    assert reads == ["race.7"]
    assert answers == [(4, snapshot(4))] * 199
    assert audience._reading == {}


async def test_the_read_is_made_again_once_done_and_a_board_in_memory_is_not_read(monkeypatch):
    reads = []

    def snapshot_current(topic):
        reads.append(topic)
        return None

    monkeypatch.setattr(selectors, "snapshot_current", snapshot_current)
    monkeypatch.setattr(audience_module, "database_sync_to_async", lambda function: _as_coroutine(function))
    audience = Audience()
    assert await audience.current("race.7") is None
    assert await audience.current("race.7") is None
    audience._latest["race.8"] = (3, snapshot(3))

    assert await audience.current("race.8") == (3, snapshot(3))
    assert reads == ["race.7", "race.7"]


def _as_coroutine(function):
    async def call(*args):
        return function(*args)

    return call


class IdleReactor:
    """What a Twisted TCP transport asks of its reactor when it has to wait for the socket to drain."""

    def __init__(self):
        self.writers = []

    def addWriter(self, writer):
        self.writers.append(writer)

    def removeWriter(self, writer):
        self.writers.remove(writer)


class Prepared:
    def __init__(self, data):
        self.payloadHybi, self.doNotCompress = data, False


class PreparingFactory:
    def prepareMessage(self, payload, isBinary):
        return Prepared(payload)


class TcpProtocol(FakeProtocol):
    """A Daphne websocket on a real TCP transport: autobahn writes a prepared frame to its transport."""

    _perMessageCompress = None

    def __init__(self, transport):
        super().__init__(PreparingFactory())
        self.transport, self.send_queue = transport, []

    def sendPreparedMessage(self, prepared):
        self.transport.write(prepared.payloadHybi)  # type: ignore[attr-defined]  # set to a real transport above


@pytest.fixture
def tcp_socket():
    """A Daphne-like socket (a real Twisted TCP transport with a stand-in reactor) and the client's end of it."""
    from twisted.internet import tcp

    server_end, client_end = socket.socketpair()
    reactor = IdleReactor()
    transport = tcp.Connection(server_end, None, reactor)  # type: ignore[arg-type]  # a stand-in reactor
    transport.connected = True
    yield TcpProtocol(transport), reactor, client_end
    server_end.close()
    client_end.close()


def test_a_frame_goes_straight_to_an_idle_socket(tcp_socket):
    protocol, reactor, client = tcp_socket

    TransportWriter(protocol).write(Frame("frame"))

    assert client.recv(100) == b"frame"
    assert reactor.writers == []  # nothing left for the reactor to write later


def test_what_the_socket_cannot_take_now_is_left_to_the_transport_and_nothing_overtakes_it(tcp_socket):
    protocol, reactor, _client = tcp_socket
    writer = TransportWriter(protocol)

    writer.write(Frame("x" * 1_000_000))  # more than the socket takes at once
    writer.write(Frame("after"))

    transport = protocol.transport
    assert reactor.writers == [transport]  # the rest goes out as the client reads
    queued = transport.dataBuffer[transport.offset :] + b"".join(transport._tempDataBuffer)
    assert 0 < len(queued) < 1_000_000 and set(queued) == {ord("x")}
    assert writer.paused_since is not None and writer.pending.text == "after"  # waits for the buffer to drain


def test_other_sockets_are_written_the_usual_way():
    protocol = FakeProtocol(FakeFactory())  # not a plain TCP transport (a test's, or TLS)
    assert not send_now(protocol, Prepared(b"frame"))
