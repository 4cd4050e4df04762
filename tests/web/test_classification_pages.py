"""A classification as spectators and officials meet it: its public page (readable with JavaScript off), the link
from the competition's page, its JSON (ETag, CORS, 404), and setting one up in the admin."""

import json
import re
from html import unescape

import pytest

from results.models import Classification
from results.selectors import classification_snapshot_current
from tests.support.classification_factories import make_sprint, make_sprint_races, skate_distance, skate_pair
from tests.support.factories import make_competition, make_race
from tests.support.schema import assert_valid

pytestmark = pytest.mark.django_db


def text(response):
    """The page as a reader sees it: tags gone, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def row_text(response, name):
    match = re.search(
        r"<tr class=\"row[^\"]*\" data-skater=\"\d+\">(?:(?!</tr>).)*" + name + r".*?</tr>",
        response.content.decode(),
        re.S,
    )
    assert match, name
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


# ---------------------------------------------------------------------------------------------------- the page


def test_the_page_shows_the_standings_with_every_distance_and_the_gap_on_the_next(client):
    sprint = make_sprint()
    for position in (1, 2, 3):
        skate_distance(sprint, position)
    response = client.get(f"/classifications/{sprint.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "World Sprint Championships, women" in page
    assert "Distance 3 of 4 · 500 m" in page
    assert "Behind: seconds on the next distance, the 1000 m" in page
    assert row_text(response, "Femke KOK") == "1 NED Femke KOK 37.92 37.920 1:15.53 37.765 37.87 37.870 113.555"
    assert row_text(response, "Jutta LEERDAM") == (
        "2 NED Jutta LEERDAM 38.11 38.110 1:14.88 37.440 38.11 38.110 113.660 +0.21"
    )
    html = response.content.decode()
    assert f'data-socket-path="/ws/classifications/{sprint.pk}/"' in html
    assert 'data-version="' in html and 'data-connection="connecting"' in html


def test_after_the_last_distance_the_page_gives_the_gap_in_points(client):
    sprint = make_sprint()
    for position in (1, 2, 3, 4):
        skate_distance(sprint, position)
    response = client.get(f"/classifications/{sprint.pk}/")
    assert "Behind: in points" in text(response)
    assert row_text(response, "Femke KOK").endswith("151.215 +0.075")
    assert row_text(response, "Jutta LEERDAM").startswith("1 NED Jutta LEERDAM")


def test_those_still_to_skate_the_distance_are_marked_so(client):
    sprint = make_sprint()
    skate_distance(sprint, 1)
    skate_pair(sprint, 2, 1)
    response = client.get(f"/classifications/{sprint.pk}/")
    assert row_text(response, "Vanessa HERZOG") == "AUT Vanessa HERZOG 38.31 38.310 to skate 38.310"
    assert 'class="row is-waiting"' in response.content.decode()


def test_an_unknown_classification_is_a_404_page(client):
    assert client.get("/classifications/999999/").status_code == 404


def test_the_competition_page_links_its_classifications(client):
    sprint = make_sprint()
    response = client.get(f"/competitions/{sprint.competition_id}/")
    assert f'href="/classifications/{sprint.pk}/"' in response.content.decode()
    assert "World Sprint Championships, women" in text(response)
    bare = make_competition("No championship here")
    assert "Classifications" not in text(client.get(f"/competitions/{bare.pk}/"))


# ---------------------------------------------------------------------------------------------------- the JSON


def test_the_json_is_the_published_snapshot_and_follows_the_schema(client):
    sprint = make_sprint()
    skate_pair(sprint, 1, 1)
    response = client.get(f"/api/classifications/{sprint.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.content.decode() == classification_snapshot_current(sprint.pk).payload
    assert_valid(response.json())


def test_the_json_is_cacheable_by_version_and_readable_from_any_origin(client):
    sprint = make_sprint()
    url = f"/api/classifications/{sprint.pk}/"
    first = client.get(url, headers={"Origin": "https://tv.example"})
    assert first["ETag"] == f'"classification-{sprint.pk}-v1"'
    assert (
        first["Access-Control-Allow-Origin"] == "*"
        and first["Cache-Control"] == "public, max-age=1, stale-while-revalidate=1"
    )
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304

    skate_pair(sprint, 1, 1)
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert client.options(url).status_code == 204
    assert client.post(url).status_code == 405


def test_an_unknown_classification_is_a_json_404(client):
    response = client.get("/api/classifications/999999/")
    assert response.status_code == 404
    assert response.json() == {"error": "No classification with id 999999."}


def test_a_classification_made_outside_the_services_is_shown_at_version_0(client):
    competition = make_competition()
    classification = Classification.objects.create(
        competition=competition, name="Made by hand", gender="women", kind="other"
    )
    document = client.get(f"/api/classifications/{classification.pk}/").json()
    assert document["version"] == 0 and document["standings"] == []
    assert_valid(document)


# ---------------------------------------------------------------------------------------------------- the admin


def classification_form(competition, kind, races, **extra):
    data = {
        "competition": str(competition.pk),
        "name": "World Sprint Championships, women",
        "gender": "women",
        "kind": kind,
        "legs-TOTAL_FORMS": str(len(races)),
        "legs-INITIAL_FORMS": "0",
        "legs-MIN_NUM_FORMS": "0",
        "legs-MAX_NUM_FORMS": "1000",
    }
    for n, race in enumerate(races):
        data |= {f"legs-{n}-position": str(n + 1), f"legs-{n}-race": str(race.pk)}
    return data | extra


def test_an_official_sets_up_a_sprint_in_the_admin_and_it_is_published(admin_client):
    competition = make_competition("World Sprint Championships")
    races = make_sprint_races(competition)
    response = admin_client.post(
        "/admin/results/classification/add/", classification_form(competition, "sprint", races)
    )
    assert response.status_code == 302, text(response)
    classification = Classification.objects.get()
    assert [leg.race for leg in classification.legs.order_by("position")] == races
    document = json.loads(classification_snapshot_current(classification.pk).payload)
    assert document["version"] == 1
    assert [d["distance"] for d in document["classification"]["distances"]] == [500, 1000, 500, 1000]


def test_the_admin_refuses_a_sprint_with_its_distances_in_the_wrong_places(admin_client):
    competition = make_competition("World Sprint Championships")
    races = make_sprint_races(competition)
    wrong = [races[0], races[2], races[1], races[3]]
    response = admin_client.post(
        "/admin/results/classification/add/", classification_form(competition, "sprint", wrong)
    )
    assert response.status_code == 200
    page = text(response)
    assert "A sprint skates the 1000 m as distance 2; Women 500m, day 2 is a 500 m." in page
    assert "A sprint skates the 500 m as distance 3; Women 1000m, day 1 is a 1000 m." in page
    assert not Classification.objects.exists()


def test_the_admin_saves_a_sprint_with_only_its_first_day_and_warns(admin_client):
    competition = make_competition("World Sprint Championships")
    races = make_sprint_races(competition)[:2]
    response = admin_client.post(
        "/admin/results/classification/add/", classification_form(competition, "sprint", races), follow=True
    )
    assert (
        "A sprint has 4 distances and 2 of them are set: the standings count only these until the rest are added."
        in text(response)
    )
    assert Classification.objects.get().legs.count() == 2


def test_the_admin_offers_only_the_competitions_races_and_deleting_withdraws_the_page(admin_client, client):
    sprint = make_sprint()
    elsewhere = make_race(make_competition("Another meet", venue="Max Aicher Arena"), title="Women 1500m elsewhere")
    page = admin_client.get(f"/admin/results/classification/{sprint.pk}/change/").content.decode()
    assert "Women 500m, day 1 (500 m," in unescape(page)
    assert elsewhere.title not in page

    admin_client.post(f"/admin/results/classification/{sprint.pk}/delete/", {"post": "yes"})
    assert not Classification.objects.exists()
    assert client.get(f"/classifications/{sprint.pk}/").status_code == 404
