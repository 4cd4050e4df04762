"""The World Cup standings' other doors: `manage.py import_round` (a real round, and its refusals), each skater's
standing before a race (for the commentators), a series set up in the admin, and a round moved out of a series."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from results import selectors
from results.models import Competition, Race, Series, Snapshot
from results.rules.points_tables import WORLD_CUP_A, WORLD_CUP_B_36
from results.services.competitions import competition_save
from results.services.races import race_delete, race_save
from results.topics import series_topic
from tests.support.factories import enter_heat, make_race
from tests.support.paths import DATA
from tests.support.world_cup import WC3, confirm, make_round, make_series, make_series_race, referee

pytestmark = pytest.mark.django_db


def test_import_round_creates_the_competition_in_its_series_with_official_races(capsys):
    referee()
    call_command(
        "import_round", str(DATA / "index.csv"), "--series", "World Cup 2025-26", "--season", "2025-26",
        "--referee", "wc-referee", "--competition", WC3,
    )  # fmt: skip
    out = capsys.readouterr().out
    competition = Competition.objects.get(name=WC3)
    assert competition.series.name == "World Cup 2025-26" and competition.venue.name == "Thialf"
    assert competition.venue.country == "NED"
    assert (competition.starts_on, competition.ends_on) == (date(2025, 12, 5), date(2025, 12, 7))
    races = list(competition.races.order_by("order"))
    assert len(races) == 16 and all(race.status == Race.State.OFFICIAL for race in races)
    assert f"competition {competition.pk}: {WC3}, 16 races" in out
    tables = {race.title: race.points_table for race in races}
    assert tables["Men 10000m Division A"] == list(WORLD_CUP_A)
    assert tables["Men 10000m Division B"] == list(WORLD_CUP_B_36)  # read off the sheet: its winner scored 36

    with pytest.raises(CommandError, match="already in the database"):
        call_command(
            "import_round", str(DATA / "index.csv"), "--series", "World Cup 2025-26", "--season", "2025-26",
            "--referee", "wc-referee", "--competition", WC3,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--referee", "nobody"], "No user “nobody”"),
        (["--referee", "wc-referee", "--competition", "WC 9"], "The index has no competition “WC 9”"),
    ],
)
def test_import_round_refuses_clearly(arguments, message):
    referee()
    with pytest.raises(CommandError, match=message):
        call_command("import_round", str(DATA / "index.csv"), "--series", "S", "--season", "2025-26", *arguments)
    assert not Competition.objects.exists()


def test_import_round_names_every_bad_line_of_the_index(tmp_path):
    referee()
    index = tmp_path / "index.csv"
    index.write_text(
        "stem,competition,venue,city,date,gender,distance,division,round\n"
        "a,WC,Thialf (Ned),Heerenveen,2025-13-01,women,500,A,\n"
        "../b,WC,Thialf (Ned),Heerenveen,2025-12-01,kids,5OO,C,\n"
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_round", str(index), "--series", "S", "--season", "2025-26", "--referee", "wc-referee")
    assert str(refused.value).splitlines() == [
        "Line 2: date must be YYYY-MM-DD, not “2025-13-01”.",
        "Line 3: stem must be a file name without .csv, not “../b”.",
    ]
    assert not Series.objects.exists()


def test_standing_before_a_race_leaves_out_that_race_and_later_ones():
    series = make_series()
    first = make_series_race(series, "World Cup #1", date(2025, 11, 14), title="Women 500m Division A race 1")
    enter_heat(first, 1, {11: "38.00", 12: "38.10"})
    enter_heat(first, 2, {21: "38.10", 22: "38.30"})  # Bravo and Charlie tie on 38.10: both 54
    enter_heat(first, 3, {31: "38.40", 32: "DNF"})
    confirm(first)
    second = make_race(first.competition, title="Women 500m Division A race 2")
    enter_heat(second, 1, {11: "39.00", 12: "38.00"})
    later = make_series_race(series, "World Cup #2", date(2025, 11, 21))
    alpha, bravo, charlie, delta, echo = (first.heats.get(number=n // 2 + 1).starts.get(bib=b).skater_id
                                          for n, b in enumerate([11, 12, 21, 22, 31]))  # fmt: skip

    assert selectors.standing_before(first) == {}
    assert selectors.standing_before(second) == {
        alpha: {"rank": 1, "points": 60},
        bravo: {"rank": 2, "points": 54},
        charlie: {"rank": 2, "points": 54},
        delta: {"rank": 4, "points": 43},
        echo: {"rank": 5, "points": 40},
    }
    # Before the next round: both races of the first, the second still provisional (Bravo 60, Alpha 54 so far).
    before_later = selectors.standing_before(later)
    assert before_later[bravo] == {"rank": 1, "points": 114} and before_later[alpha] == {"rank": 1, "points": 114}
    # A mass start or a race of no series has no World Cup standing.
    assert selectors.standing_before(make_race(make_round(None, "Elsewhere", date(2025, 11, 1)))) == {}


def test_a_series_is_set_up_in_the_admin_through_its_service(admin_client):
    response = admin_client.post("/admin/results/series/add/", {"name": "World Cup 2026-27", "season": "2026-27"})
    assert response.status_code == 302
    series = Series.objects.get(name="World Cup 2026-27")
    race = make_series_race(series, "World Cup #1", date(2026, 11, 13))
    enter_heat(race, 1, {11: "38.00", 12: "38.10"})
    admin_client.post(f"/admin/results/series/{series.pk}/change/", {"name": "World Cup 26-27", "season": "2026-27"})
    stored = Snapshot.objects.get(topic=series_topic(series.pk, "women", 500))
    assert json.loads(stored.payload)["series"]["name"] == "World Cup 26-27"
    assert "World Cup standings" in admin_client.get("/admin/results/series/").content.decode()

    admin_client.post(f"/admin/results/series/{series.pk}/delete/", {"post": "yes"})
    assert not Series.objects.exists() and not Snapshot.objects.filter(topic__startswith="series.").exists()
    race.competition.refresh_from_db()
    assert race.competition.series is None


def test_a_round_moved_out_of_its_series_leaves_its_standings():
    series = make_series()
    race = make_series_race(series, "World Cup #1", date(2025, 11, 14))
    enter_heat(race, 1, {11: "38.00", 12: "38.10"})
    topic = series_topic(series.pk, "women", 500)
    assert len(json.loads(Snapshot.objects.get(topic=topic).payload)["standings"]) == 2
    competition = race.competition
    competition.series = None
    competition_save(competition=competition, by=None)
    assert json.loads(Snapshot.objects.get(topic=topic).payload)["standings"] == []


def test_a_race_moved_to_another_distance_or_deleted_leaves_the_standings_it_counted_for():
    series = make_series()
    race = make_series_race(series, "World Cup #1", date(2025, 11, 14))
    spare = make_race(race.competition, title="Women 1000m Division A", distance=1000)
    women_500, women_1000 = series_topic(series.pk, "women", 500), series_topic(series.pk, "women", 1000)
    assert [r["title"] for r in json.loads(Snapshot.objects.get(topic=women_1000).payload)["rounds"][0]["races"]] == [
        "Women 1000m Division A"
    ]
    race_delete(race=spare, by=None)
    assert json.loads(Snapshot.objects.get(topic=women_1000).payload)["rounds"] == []

    enter_heat(race, 1, {11: "38.00", 12: "38.10"})
    race.distance, race.title = 1000, "Women 1000m Division A"
    race_save(race=race, by=None)
    assert json.loads(Snapshot.objects.get(topic=women_500).payload)["standings"] == []
    assert len(json.loads(Snapshot.objects.get(topic=women_1000).payload)["standings"]) == 2
