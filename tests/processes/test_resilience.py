"""Faults on race day: whatever fails, a save is whole or absent, nothing half-saved is pushed, and every screen
ends on the latest results."""

import contextlib
import json
import shutil
import socket as socket_module
import subprocess
import time
import urllib.request

import pytest
from channels.layers import channel_layers
from django.db import connection
from websockets.sync.client import connect

from results import services
from results.demo.replay import heat_results_replay
from results.files.result_csv import read_result_csv
from results.models import ResultChange, Snapshot
from results.topics import race_topic
from tests.conftest import redis_available, service_missing
from tests.support.factories import enter, enter_heat, heat_of, make_race, start_of
from tests.support.paths import DATA
from tests.support.swarm import Swarm

BIG_RACE = DATA / "wc1-salt-lake-city-2025-11-14-men-5000-b.csv"

TRIGGER = "refuse_history_rows"


@pytest.fixture
def failing_history_table(db):
    """The database refuses the last write of a save (its history row), as a full disk or a lost connection would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE FUNCTION {TRIGGER}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END; "
                "$$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON results_resultchange "
                f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON results_resultchange "
                "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {TRIGGER} ON results_resultchange")
            cursor.execute(f"DROP FUNCTION {TRIGGER}()")
        else:
            cursor.execute(f"DROP TRIGGER {TRIGGER}")


def test_a_database_error_during_a_save_saves_nothing_pushes_nothing_and_says_so(
    failing_history_table, django_capture_on_commit_callbacks
):
    race = make_race()
    before = Snapshot.objects.get(topic=race_topic(race.pk)).version

    with django_capture_on_commit_callbacks() as pushes, pytest.raises(services.HeatResultsInvalid) as refused:
        services.heat_results_record(heat=heat_of(race, 1), results=enter(race, 1, {11: "38.50", 12: "38.12"}))

    message = refused.value.heat_errors[0]
    assert message.startswith("Pair 1 could not be saved: the database refused it (")
    assert "Nothing of the pair was saved and spectators saw nothing." in message
    assert pushes == []
    assert not start_of(race, 11).has_result and not start_of(race, 12).has_result  # the starts' writes rolled back
    assert heat_of(race, 1).revision == 0 and not ResultChange.objects.exists()
    assert Snapshot.objects.get(topic=race_topic(race.pk)).version == before


# --- real processes: a crashed server, Redis going away, a reconnect storm, a client that stops reading ---------


def receive_versions(socket, until_version, timeout=10.0):
    """Versions of the snapshots a socket receives (heartbeats skipped) until it has ``until_version``."""
    versions: list[int] = []
    deadline = time.monotonic() + timeout
    while not versions or versions[-1] < until_version:
        message = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
        if message["type"] == "snapshot":
            versions.append(message["version"])
    return versions


def published_version(race):
    return Snapshot.objects.get(topic=race_topic(race.pk)).version


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of the test's own, on a free port, that the test may stop and start again."""
    binary = shutil.which("redis-server")
    if binary is None:
        service_missing("redis-server is not installed")
    with socket_module.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redis = RedisProcess(binary, port, tmp_path)
    redis.start()
    yield redis
    redis.stop()


class RedisProcess:
    def __init__(self, binary, port, folder):
        self.command = [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ]
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while redis_available(self.url):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def redis_writer(settings, private_redis):
    """This test process pushes through the private Redis too, as a second official's server would."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [private_redis.url]},
        }
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_saves_succeed_and_every_board_stays_current(daphne_server, private_redis, redis_writer):
    race = make_race()
    servers = [daphne_server(env={"REDIS_URL": private_redis.url}) for _ in range(2)]
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(spectator(server, race)) for server in servers]
        first = published_version(race)
        for ws in sockets:
            assert receive_versions(ws, first) == [first]

        enter_heat(race, 1, {11: "38.50", 12: "38.12"})  # through Redis
        for ws in sockets:
            assert receive_versions(ws, first + 1) == [first + 1]

        private_redis.stop()
        enter_heat(race, 2, {21: "37.99", 22: "DQ T07"})  # the push fails; the save does not
        enter_heat(race, 3, {31: "38.22", 32: "DNS"})
        assert published_version(race) == first + 3
        for ws in sockets:  # each server's database watch delivers what Redis could not
            assert receive_versions(ws, first + 3)[-1] == first + 3

        private_redis.start()
        enter_heat(race, 1, {11: "38.40", 12: "38.12"})  # a correction once Redis is back
        for ws in sockets:
            assert receive_versions(ws, first + 4)[-1] == first + 4
    assert json.loads(api_text(servers[0].url, race.pk))["version"] == first + 4


def spectator(server, race):
    return connect(server.ws_url(f"/ws/races/{race.pk}/"), origin=server.url, open_timeout=10)


def api_text(base_url, race_id):
    with urllib.request.urlopen(f"{base_url}/api/races/{race_id}/standings", timeout=10) as response:
        return response.read().decode("utf-8")


STORM_CLIENTS = 1000
STORM_SECONDS = 20


@pytest.mark.django_db(transaction=True)
def test_a_crashed_server_comes_back_and_a_storm_of_spectators_ends_on_the_latest_results(daphne_server):
    race = make_race()
    server = daphne_server()
    with Swarm(server.ws_url(f"/ws/races/{race.pk}/"), server.url, STORM_CLIENTS) as swarm:
        swarm.wait_until(published_version(race), timeout=60)

        server.crash()
        enter_heat(race, 1, {11: "38.50", 12: "38.12"})  # saved while the spectators' server is down
        time.sleep(1)
        server.start_again()

        seconds = swarm.wait_until(published_version(race), timeout=STORM_SECONDS)
        assert seconds < STORM_SECONDS
        # Jittered backoff: the spectators came back spread out over time, not all in the same instant.
        back = sorted(swarm.connected_at)
        assert back[-1] - back[0] > 0.2


SLOW_CLIENT_SECONDS = 2


def stalled_spectator(server, race_id):
    """A websocket client that completes the handshake and then never reads: its buffers fill, and then the
    server's send buffer for it."""
    sock = socket_module.create_connection(("127.0.0.1", server.port))
    sock.setsockopt(socket_module.SOL_SOCKET, socket_module.SO_RCVBUF, 4096)
    sock.sendall(
        (
            f"GET /ws/races/{race_id}/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {server.url}\r\n\r\n"
        ).encode()
    )
    assert b"101 Switching Protocols" in sock.recv(1024)
    return sock


def closed_by_server(sock, timeout):
    """Read what the server had buffered for a stalled client until it closes the connection."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    return True


@pytest.mark.django_db(transaction=True)
def test_a_client_that_stops_reading_delays_nobody_and_is_dropped(daphne_server):
    rows = read_result_csv(BIG_RACE.open(encoding="utf-8"))
    race = make_race(draw=[(row.heat, row.lane, row.bib, row.name, row.nation) for row in rows], distance=5000)
    heat_results_replay(race=race, rows=rows)  # 45 skaters in the standings: a snapshot of about 10 KB
    heat = heat_of(race, 2)
    server = daphne_server(env={"SLOW_CLIENT_SECONDS": str(SLOW_CLIENT_SECONDS), "SNAPSHOT_POLL_SECONDS": "0.05"})
    stalled = stalled_spectator(server, race.pk)
    with spectator(server, race) as reader:
        receive_versions(reader, published_version(race))
        delays = []
        for correction in range(120):  # more than a megabyte of snapshots the stalled client never reads
            entries = enter(race, 2, {s.bib: f"6:{10 + correction % 40}.{s.bib % 100:02d}" for s in heat.starts.all()})
            services.heat_results_record(heat=heat, results=entries)
            sent = time.monotonic()
            receive_versions(reader, published_version(race))
            delays.append(time.monotonic() - sent)
        time.sleep(SLOW_CLIENT_SECONDS + 0.5)
        enter_heat(race, 1, {s.bib: "6:30.00" for s in heat_of(race, 1).starts.all()})  # sent while it is stuck
        receive_versions(reader, published_version(race))

    assert max(delays) < 1.0, f"the reading spectator waited up to {max(delays):.2f} s"
    assert closed_by_server(stalled, timeout=10)
