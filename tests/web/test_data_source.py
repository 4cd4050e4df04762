"""The vision mixers' data source, /api/races/<id>/rows.json (docs/broadcasters.md, "Data sources"): flat rows of
display strings from the published snapshot, every row with the same keys, valid against rows-v1.schema.json;
filters; clear 400s and 404s; CORS and ETag like the feed."""

from __future__ import annotations

import pytest

from results import selectors
from results.demo.replay import heat_results_replay
from results.selectors.data_source import KEYS
from results.services.timing import TimingPost, timing_post_record
from results.web.embed import options as embed_options
from tests.support.factories import enter_heat, make_live_race, make_mass_start, make_race, make_team_pursuit
from tests.support.schema import assert_rows_valid
from tests.support.timing import MEN_1000, in_time_order, sheet_race
from tests.web.test_feed import mass_start_race_day, team_pursuit_race_day

pytestmark = pytest.mark.django_db


def rows_of(client, race_id: int, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/api/races/{race_id}/rows.json{query}")
    assert response.status_code == 200, response.content
    rows = response.json()
    assert_rows_valid(rows)
    assert all(list(row) == list(KEYS) for row in rows)  # the same columns, in the same order, on every row
    return rows


def shown(rows, *keys):
    return [tuple(row[key] for key in keys) for row in rows]


def test_a_race_with_results_gives_its_standings_then_the_last_pair(client):
    race = make_live_race()  # pairs 1-3 of 4: equal hundredths, a world record, a disqualification
    rows = rows_of(client, race.pk)
    assert shown(rows, "kind", "rank", "name", "time", "behind", "flags", "pair", "lane", "points", "status") == [
        ("standing", "1", "Cleo CHARLIE", "36.09", "", "WR", "2", "I", "60", "OK"),
        ("standing", "2", "Dana DELTA", "36.57", "+0.48", "", "2", "O", "54", "OK"),
        ("standing", "3", "Anna ALPHA", "37.11(2)", "+1.02", "", "1", "I", "48", "OK"),
        ("standing", "4", "Bea BRAVO", "37.11(6)", "+1.02", "", "1", "O", "43", "OK"),
        ("standing", "5", "Fay FOXTROT", "38.50", "+2.41", "", "3", "O", "40", "OK"),
        ("standing", "", "Eva ECHO", "", "", "", "3", "I", "", "DQ"),
        ("last_pair", "", "Eva ECHO", "", "", "", "3", "I", "", "DQ"),
        ("last_pair", "5", "Fay FOXTROT", "38.50", "+2.41", "", "3", "O", "40", "OK"),
    ]
    assert {row["at"] + row["split"] + row["gap"] + row["projected"] for row in rows} == {""}


def test_a_race_before_its_first_pair_has_no_rows(client):
    race = make_race()
    assert rows_of(client, race.pk) == []


def test_kind_and_rows_filter_without_ranking_again(client):
    race = make_live_race()
    assert shown(rows_of(client, race.pk, "?kind=last_pair"), "kind", "name") == [
        ("last_pair", "Eva ECHO"),
        ("last_pair", "Fay FOXTROT"),
    ]
    # rows= cuts the standings only: the last pair's rows still follow.
    assert shown(rows_of(client, race.pk, "?rows=3"), "kind", "rank", "name") == [
        ("standing", "1", "Cleo CHARLIE"),
        ("standing", "2", "Dana DELTA"),
        ("standing", "3", "Anna ALPHA"),
        ("last_pair", "", "Eva ECHO"),
        ("last_pair", "5", "Fay FOXTROT"),
    ]
    assert rows_of(client, race.pk, "?kind=on_ice") == []
    assert shown(rows_of(client, race.pk, "?kind=standing&rows=3"), "rank") == [("1",), ("2",), ("3",)]
    # A tie at the cut keeps everyone in it, as on the board.
    enter_heat(race, 4, {41: "36.09", 42: "39.00"})
    assert shown(rows_of(client, race.pk, "?kind=standing&rows=1"), "rank", "name") == [
        ("1", "Cleo CHARLIE"),
        ("1", "Gina GOLF"),
    ]


def test_the_pair_on_the_ice_with_its_passage_and_projection(client):
    """The Salt Lake City men's 1000 m with pair 8 at 600 m (passage times constructed, tests/support/timing.py):
    the figures of docs/feed.md."""
    race, sheet = sheet_race("wc1-salt-lake-city-2025-11-14-men-1000-a", "Men 1000m Division A", 1000)

    def timed(number, upto=None):
        for time_ms, bib, metres in in_time_order(MEN_1000[number]):
            if upto is None or metres <= upto:
                timing_post_record(race=race, post=TimingPost(heat=number, bib=bib, distance=metres, time_ms=time_ms))

    heat_results_replay(race=race, rows=[row for row in sheet if row.heat <= 3])
    timed(4)
    heat_results_replay(race=race, rows=[row for row in sheet if row.heat in (5, 6, 7)])
    timed(8, upto=600)

    on_ice = rows_of(client, race.pk, "?kind=on_ice")
    assert shown(on_ice, "pair", "lane", "name", "at", "split", "rank", "gap", "projected", "time", "status") == [
        ("8", "I", "Jordan STOLZ", "600 m", "40.98", "1", "-0.07", "1:05.95", "", ""),
        ("8", "O", "Joep WENNEMARS", "600 m", "41.22", "3", "+0.17", "1:06.19", "", ""),
    ]
    every = rows_of(client, race.pk)
    assert [row["kind"] for row in every] == ["standing"] * 14 + ["on_ice"] * 2 + ["last_pair"] * 2
    assert shown([row for row in every if row["kind"] == "last_pair"], "pair", "lane") == [("7", "I"), ("7", "O")]


def test_a_mass_start_gives_its_standings_with_the_points_total(client):
    race = make_mass_start()
    mass_start_race_day(race)
    rows = rows_of(client, race.pk)
    assert {row["kind"] for row in rows} == {"standing"}  # no pairs: nothing on the ice, no last pair
    assert shown(rows[:2], "rank", "race_points", "time", "lane", "behind") == [
        ("1", "66", "8:27.05", "", ""),
        ("2", "41", "8:27.11", "", ""),
    ]


def test_a_team_pursuit_names_each_teams_skaters(client):
    race = make_team_pursuit()
    team_pursuit_race_day(race)
    rows = rows_of(client, race.pk)
    assert shown(rows[:1], "rank", "name", "members", "time") == [
        ("1", "JAPAN", rows[0]["members"], "2:55.86"),
    ]
    assert rows[0]["members"].count(" · ") in (2, 3)
    assert [row["kind"] for row in rows].count("last_pair") == 2


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?kind=pairs", 'kind must be one of standing, on_ice, last_pair (got "pairs").'),
        ("?rows=0", 'rows must be a whole number from 1 to 50 (got "0").'),
        ("?rows=ten", 'rows must be a whole number from 1 to 50 (got "ten").'),
        ("?rows=3&rows=4", 'The option "rows" is given more than once.'),
        ("?theme=dark", 'Unknown option "theme": this page takes kind, rows.'),
    ],
)
def test_a_bad_query_is_a_json_400_saying_what_is_allowed(client, query, error):
    race = make_live_race()
    response = client.get(f"/api/races/{race.pk}/rows.json{query}")
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*" and not response.has_header("ETag")
    body = response.json()
    assert body["errors"] == [error] and body["error"] == error
    assert body["allowed"] == {"kind": "standing | on_ice | last_pair", "rows": "1-50"}


def test_an_unknown_race_is_a_json_404(client):
    response = client.get("/api/races/424242/rows.json")
    assert response.status_code == 404
    assert response.json() == {"error": selectors.ERROR_RACE_NOT_FOUND.format(race_id=424242)}


def test_cors_etag_and_304_like_the_feed(client):
    race = make_live_race()
    first = client.get(f"/api/races/{race.pk}/rows.json", headers={"Origin": "https://tv.example"})
    assert first["Access-Control-Allow-Origin"] == "*" and first["Access-Control-Expose-Headers"] == "ETag"
    assert (
        first["Content-Type"] == "application/json"
        and first["Cache-Control"] == "public, max-age=1, stale-while-revalidate=1"
    )
    etag = first["ETag"]
    unchanged = client.get(f"/api/races/{race.pk}/rows.json", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    # Another filter is another document.
    filtered = client.get(f"/api/races/{race.pk}/rows.json?rows=3", headers={"If-None-Match": etag})
    assert filtered.status_code == 200 and filtered["ETag"] != etag
    enter_heat(race, 4, {41: "38.80", 42: "38.90"})
    changed = client.get(f"/api/races/{race.pk}/rows.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert client.options(f"/api/races/{race.pk}/rows.json").status_code == 204
    assert client.post(f"/api/races/{race.pk}/rows.json").status_code == 405


def test_the_schema_is_published(client):
    response = client.get("/api/schema/rows-v1.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/schema+json"
    assert response.json()["title"] == "Skating Live data source rows, version 1"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_query_words_are_the_selectors():
    assert embed_options.KINDS == selectors.ROW_KINDS
    assert [name for name, _ in embed_options.allowed_options(embed_options.DATA_SOURCE)] == ["kind", "rows"]
