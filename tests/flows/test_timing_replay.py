"""A timing system replayed over real HTTP: passages and finishes posted to a real Daphne process with a token, and
a spectator's socket on the same server receiving each one, in order, as posted.

The races are the Salt Lake City World Cup men's 1000 m and 1500 m (Division A, 14 and 15 Nov 2025,
data/isu-wc-2025-26). The official sheets give finish times only: every passage time below is CONSTRUCTED, chosen
to be plausible for the finish time (200 m openers of 16.2-16.5 s and 400 m laps of 24.6-25.8 s on the 1000 m;
300 m in 23-24 s and laps of 25.5-27.8 s on the 1500 m). The pairs not posted here are entered through the results
service, as officials would; at the end the standings are exactly the sheet's.
"""

from __future__ import annotations

import http.client
import json
import statistics
import time
from urllib.parse import urlparse

import pytest
from websockets.sync.client import ClientConnection, connect

from results import selectors
from results.demo.replay import heat_results_replay
from results.models import Competition, Venue
from tests.support.timing import MEN_1000, in_time_order, make_timing_token, passages_path, sheet_race

pytestmark = pytest.mark.django_db(transaction=True)

RECEIVE_SECONDS = 10.0
FAST_WATCH = {"SNAPSHOT_POLL_SECONDS": "0.1"}

MEN_1500 = {
    5: {  # Zhongyan NING 1:41.02 (outer), Kotaro KASAHARA 1:44.26 (inner)
        34: [(300, "23.45"), (700, "49.01"), (1100, "1:14.70"), (1500, "1:41.02")],
        84: [(300, "23.80"), (700, "49.91"), (1100, "1:16.42"), (1500, "1:44.26")],
    },
    9: {  # Kjeld NUIS 1:41.37 (inner), Jordan STOLZ 1:40.48 (outer)
        125: [(300, "23.61"), (700, "49.22"), (1100, "1:14.98"), (1500, "1:41.37")],
        181: [(300, "23.24"), (700, "48.71"), (1100, "1:14.28"), (1500, "1:40.48")],
    },
}


class TimingSystem:
    """Posts as a timing computer would: one kept-alive HTTP connection, the token in every request."""

    def __init__(self, base_url: str, race_id: int, secret: str) -> None:
        address = urlparse(base_url)
        self.connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=RECEIVE_SECONDS)
        self.path = passages_path(race_id)
        self.headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        self.seconds: list[float] = []

    def post(self, body: dict) -> tuple[int, dict]:
        started = time.perf_counter()
        self.connection.request("POST", self.path, body=json.dumps(body), headers=self.headers)
        response = self.connection.getresponse()
        answer = json.loads(response.read())
        self.seconds.append(time.perf_counter() - started)
        return response.status, answer

    def close(self) -> None:
        self.connection.close()


class Spectator:
    """A race socket as the board's feed.js reads it: snapshots only, and every version it was sent."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.versions: list[int] = []
        self.last: dict | None = None

    def snapshot_at(self, version: int) -> dict:
        """The snapshot of ``version`` (or a later one): the last one received, or the next ones until it comes."""
        while self.last is None or self.last["version"] < version:
            message = json.loads(self.ws.recv(timeout=RECEIVE_SECONDS))
            if message["type"] == "snapshot":
                self.versions.append(message["version"])
                self.last = message
        return self.last


def race_socket(server, race_id: int) -> ClientConnection:
    # The socket checks Origin against ALLOWED_HOSTS, as a browser would send it.
    return connect(server.ws_url(f"/ws/races/{race_id}/"), origin=server.url, open_timeout=RECEIVE_SECONDS)


def on_ice_skater(snapshot: dict, bib: int) -> dict | None:
    return next((s for heat in snapshot["on_ice"] for s in heat["skaters"] if s["bib"] == bib), None)


@pytest.mark.parametrize(
    ("stem", "title", "distance", "pairs", "checks"),
    [
        (
            "wc1-salt-lake-city-2025-11-14-men-1000-a",
            "Men 1000m Division A",
            1000,
            MEN_1000,
            # (pair, bib, metres): (rank there, gap to the leader's time there) as the board shows it
            {
                (8, 131, 200): (1, "-0.09"),  # Wennemars' opener beats leader Żurek's 16.30
                (8, 181, 200): (3, "+0.08"),
                (8, 181, 600): (1, "-0.07"),  # Stolz ahead of Żurek's 41.05
                (8, 131, 600): (3, "+0.17"),
            },
        ),
        (
            "wc1-salt-lake-city-2025-11-15-men-1500-a",
            "Men 1500m Division A",
            1500,
            MEN_1500,
            {
                (9, 181, 300): (1, "-0.21"),  # against leader Ning's 23.45
                (9, 125, 300): (3, "+0.16"),
                (9, 181, 1100): (1, "-0.42"),
                (9, 125, 1100): (3, "+0.28"),
            },
        ),
    ],
)
def test_passages_posted_over_http_reach_a_socket_in_order(daphne_server, stem, title, distance, pairs, checks):
    race, rows = sheet_race(stem, title, distance)
    secret = make_timing_token(race.competition, "Finish line")
    server = daphne_server(env=FAST_WATCH)
    timing = TimingSystem(server.url, race.pk, secret)
    with race_socket(server, race.pk) as ws:
        spectator = Spectator(ws)
        spectator.snapshot_at(0)
        seen: dict[tuple[int, int, int], dict] = {}
        for number in sorted({row.heat for row in rows}):
            if number not in pairs:
                heat_results_replay(race=race, rows=[row for row in rows if row.heat == number])
                spectator.snapshot_at(selectors.race_version(race.pk) or 0)
                continue
            for time_ms, bib, metres in in_time_order(pairs[number]):
                status, answer = timing.post({"heat": number, "bib": bib, "distance": metres, "time_ms": time_ms})
                assert status == 201 and answer["status"] == "recorded", answer
                snapshot = spectator.snapshot_at(answer["version"])
                assert snapshot["version"] == answer["version"]  # each post is one version, received as such
                if metres < distance:
                    assert snapshot["change"] == {"kind": "passage", "heat": number, "bibs": [bib]}
                    passage = on_ice_skater(snapshot, bib)["passage"]
                    assert (passage["distance"], passage["time_ms"]) == (metres, time_ms)
                    seen[(number, bib, metres)] = passage
                else:
                    assert snapshot["change"] == {"kind": "results", "heat": number, "bibs": [bib]}
                    assert on_ice_skater(snapshot, bib) is None
                    row = next(row for row in snapshot["standings"] if row["bib"] == bib)
                    assert row["time_ms"] == time_ms and row["splits"][-1]["distance"] == distance
            # The same pair posted again: nothing changes, nothing is sent.
            time_ms, bib, metres = in_time_order(pairs[number])[-1]
            status, answer = timing.post({"heat": number, "bib": bib, "distance": metres, "time_ms": time_ms})
            assert (status, answer["status"]) == (200, "unchanged")

        assert spectator.versions == sorted(set(spectator.versions))  # strictly increasing
        assert {key: (seen[key]["rank"], seen[key]["behind"]) for key in checks} == checks
        final = spectator.snapshot_at(selectors.race_version(race.pk) or 0)
        assert final["race"]["status"] == "UNOFFICIAL" and final["on_ice"] == []
        expected = [(row.printed_rank, row.bib, row.time_ms) for row in rows]
        assert [(row["rank"], row["bib"], row["time_ms"]) for row in final["standings"]] == expected
        stolz = next(row for row in final["standings"] if row["bib"] == 181)
        assert [split["distance"] for split in stolz["splits"]] == [*final["race"]["passages"], distance]
        with pytest.raises(TimeoutError):
            ws.recv(timeout=0.5)  # the repeated posts sent nothing
    timing.close()


def test_two_hundred_posts_latency(daphne_server, capsys):
    """A 10000 m of four pairs: 24 passages and the finish for each of 8 skaters, 200 posts, each a new version
    pushed to a connected socket. Prints the time from sending a post to its answer."""
    draw = [
        (pair, lane, 10 * pair + index, f"Skater {10 * pair + index}", "NED")
        for pair in range(1, 5)
        for index, lane in enumerate("IO", start=1)
    ]
    venue = Venue.objects.create(name="Thialf", city="Heerenveen", country="NED")
    competition = Competition.objects.create(name="Cup", venue=venue, starts_on="2025-12-06", ends_on="2025-12-06")
    from tests.support.factories import make_race

    race = make_race(competition, title="Men 10000m", gender="men", distance=10000, draw=draw, points_table=[])
    secret = make_timing_token(competition)
    server = daphne_server(env=FAST_WATCH)
    timing = TimingSystem(server.url, race.pk, secret)
    with race_socket(server, race.pk) as ws:
        spectator = Spectator(ws)
        spectator.snapshot_at(0)
        for pair, lane, bib, _name, _nation in draw:
            lap_ms = 30_000 + 100 * bib  # constructed: 30.1-30.4 s laps
            for lap, metres in enumerate([*range(400, 10000, 400), 10000], start=1):
                status, answer = timing.post({"heat": pair, "lane": lane, "distance": metres, "time_ms": lap * lap_ms})
                assert status == 201, answer
                assert spectator.snapshot_at(answer["version"])["version"] == answer["version"]
    timing.close()
    assert len(timing.seconds) == 200
    milliseconds = sorted(1000 * s for s in timing.seconds)
    p50, p99 = statistics.median(milliseconds), milliseconds[int(0.99 * len(milliseconds)) - 1]
    with capsys.disabled():
        worst = milliseconds[-1]
        print(f"\ntiming API, 200 posts to one Daphne process: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms")
    assert p99 < 1000
