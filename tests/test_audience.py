"""The fan-out inside one server process (results/audience.py): one frame per change for every socket, versions
only forward, and a client that stops reading delays nobody."""

import json

import pytest

from results import audience as audience_module
from results.audience import RACE_SUMMARIES, SNAPSHOTS, Audience, Frame, Spectator, TransportWriter


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

    monkeypatch.setattr(audience_module.selectors, "race_message", race_message)
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
    monkeypatch.setattr(audience_module.time, "monotonic", lambda: next(clock))
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
