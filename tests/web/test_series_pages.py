"""A series' World Cup standings as spectators meet them: the series' page, the standings page (readable with
JavaScript off) and its JSON (schema, ETag, CORS) while a race of the series is being entered ("provisional, with
this race"), the standings after a round, the link from the competition page, and clear refusals of bad addresses."""

import re
from datetime import date
from html import unescape

import pytest

from results.rules.points_tables import WORLD_CUP_B
from tests.support.factories import enter_heat, make_race
from tests.support.schema import assert_valid
from tests.support.world_cup import make_round, make_season

pytestmark = pytest.mark.django_db


def text(response):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def rows_text(response):
    rows = re.findall(r'<tr class="row[^"]*" data-skater="\d+">.*?</tr>', response.content.decode(), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


@pytest.fixture
def season():
    return make_season()


def test_the_standings_page_adds_up_the_rounds_and_says_which_race_counts_provisionally(client, season):
    series, _first, second = season
    url = f"/series/{series.pk}/women/500/"
    page = client.get(url)
    assert page.status_code == 200
    assert rows_text(page)[:2] == ["1 NED Anna ALPHA 60 60", "2 USA Bea BRAVO 54 54"]
    assert "Provisional" not in text(page)
    assert f'data-socket-path="/ws/series/{series.pk}/women/500/"' in page.content.decode()

    enter_heat(second, 1, {11: "38.50", 12: "37.90"})  # Bravo first so far, Alpha second
    page = client.get(url)
    assert "Provisional, with Women 500m Division A" in text(page)
    assert rows_text(page)[:2] == ["1 NED Anna ALPHA 60 54 114", "1 USA Bea BRAVO 54 60 114"]  # tied: by name
    assert "World Cup #1 World Cup #2 Total" in text(page)

    enter_heat(second, 2, {21: "38.60", 22: "39.00"})
    page = client.get(url)
    assert rows_text(page)[2] == "3 JPN Cleo CHARLIE 48 48 96"


def test_the_json_follows_the_schema_and_moves_with_every_heat(client, season):
    series, _first, second = season
    url = f"/api/series/{series.pk}/women/500"
    response = client.get(url)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert_valid(document)
    assert document["provisional"] == [] and [r["name"] for r in document["rounds"]] == ["World Cup #1", "World Cup #2"]
    assert document["standings"][4] == {
        "rank": 5, "skater": document["standings"][4]["skater"], "name": "Eva ECHO", "nation": "NOR",
        "total": 40, "rounds": [40, None],
    }  # fmt: skip
    assert len(document["standings"]) == 5  # a DNF scores nothing: Foxtrot is not in the standings
    etag = response["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    enter_heat(second, 1, {11: "38.50", 12: "37.90"})
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    document = response.json()
    assert_valid(document)
    assert document["version"] > 0
    assert document["provisional"] == [
        {"race": second.pk, "title": "Women 500m Division A", "status": "LIVE", "competition": second.competition_id}
    ]
    assert [(row["rank"], row["total"]) for row in document["standings"][:2]] == [(1, 114), (1, 114)]


def test_after_a_round_the_standings_leave_out_the_later_ones(client, season):
    series, first, second = season
    enter_heat(second, 1, {11: "38.50", 12: "37.90"})
    document = client.get(f"/api/series/{series.pk}/women/500?after={first.competition_id}").json()
    assert_valid(document)
    assert document["after"] == first.competition_id and document["provisional"] == []
    assert [(row["name"], row["total"], row["rounds"]) for row in document["standings"][:2]] == [
        ("Anna ALPHA", 60, [60]),
        ("Bea BRAVO", 54, [54]),
    ]
    page = client.get(f"/series/{series.pk}/women/500/?after={first.competition_id}")
    assert "After World Cup #1" in text(page)
    assert "data-socket-path" not in page.content.decode()  # these standings do not move


def test_the_series_page_lists_its_standings_and_the_competition_page_links_it(client, season):
    series, first, _second = season
    make_race(first.competition, title="Men 1000m Division B", gender="men", distance=1000, points_table=WORLD_CUP_B)
    make_race(first.competition, title="Women 1500m (no points)", distance=1500, points_table=())
    page = client.get(f"/series/{series.pk}/")
    assert page.status_code == 200
    links = re.findall(rf'href="/series/{series.pk}/(\w+)/(\d+)/"', page.content.decode())
    assert links == [("women", "500"), ("men", "1000")]
    assert "World Cup #1" in text(page) and "World Cup #2" in text(page)
    competition = client.get(f"/competitions/{first.competition_id}/")
    assert f'href="/series/{series.pk}/"' in competition.content.decode()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/series/999999/", 404),
        ("/series/999999/women/500/", 404),
        ("/series/{series}/kids/500/", 404),
        ("/series/{series}/women/700/", 404),
        ("/series/{series}/women/1500/", 404),  # a race without points does not make standings
        ("/series/{series}/women/99999999999/", 404),
        ("/series/{series}/women/500/?after=abc", 400),
        ("/series/{series}/women/500/?after=999999", 400),
        ("/series/{series}/women/500/?after=99999999999999999999", 400),
        ("/api/series/999999/women/500", 404),
        ("/api/series/{series}/Women/500", 404),
        ("/api/series/{series}/women/700", 404),
        ("/api/series/{series}/women/500?after=-1", 400),
        ("/api/series/{series}/women/500?after={elsewhere}", 400),
    ],
)
def test_bad_addresses_get_a_clear_refusal(client, season, path, status):
    series, first, _second = season
    make_race(first.competition, title="Women 1500m (no points)", distance=1500, points_table=())
    elsewhere = make_round(None, "Not a World Cup", date(2025, 11, 1))
    response = client.get(path.format(series=series.pk, elsewhere=elsewhere.pk))
    assert response.status_code == status
    if path.startswith("/api/"):
        assert response.json()["error"]
        assert response["Access-Control-Allow-Origin"] == "*"
    elif status == 400:
        assert "after must be the id of a competition of this series" in response.content.decode()
