"""Compute once per change: a write ranks each race it touched once and publishes each board once, however many of
its steps touched it (a referee's confirmation sets records and bests, each of which republishes the races
measured against them; a heat counts for several classifications)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from results import services
from results.models import Classification, Race, SkaterBest
from results.roles import REFEREE
from results.rules.classification import SPRINT
from results.selectors import races as race_selectors
from results.services import publishing
from results.services.bests import best_save
from results.services.classifications import classification_create
from results.topics import classification_topic, race_topic
from tests.support.factories import enter_heat, make_race, make_record, make_user, start_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(monkeypatch) -> Counter[int]:
    """How many times each race was ranked (its standings computed from its results)."""
    counts: Counter[int] = Counter()
    rank = race_selectors._standings

    def counting(race: Race, *args: Any) -> list[dict[str, Any]]:
        counts[race.pk] += 1
        return rank(race, *args)

    monkeypatch.setattr(race_selectors, "_standings", counting)
    return counts


@pytest.fixture
def published(monkeypatch) -> Counter[str]:
    """How many versions of each board were published."""
    counts: Counter[str] = Counter()
    publish = publishing.snapshot_publish

    def counting(*, topic: str, build: Any) -> publishing.Published:
        counts[topic] += 1
        return publish(topic=topic, build=build)

    monkeypatch.setattr(publishing, "snapshot_publish", counting)
    return counts


def sprint_of(race: Race, name: str) -> Classification:
    return classification_create(competition=race.competition, name=name, gender="women", kind=SPRINT, races=[race])


def test_confirming_a_race_ranks_it_once_and_republishes_each_affected_race_once(ranked, published):
    make_record("WR", "36.36")
    race = make_race()
    # Skated later on the same distance: measured against the records and bests the confirmation sets.
    later = make_race(race.competition, title="Women 500m Division B", draw=[(1, "I", 11, "Anna ALPHA", "NED")])
    sprint = classification_create(
        competition=race.competition, name="Sprint", gender="women", kind=SPRINT, races=[race]
    )
    best = SkaterBest(skater=start_of(race, 12).skater, distance=500, kind=SkaterBest.Kind.PB, time_ms=38_900)
    best_save(best=best, by=None)
    enter_heat(race, 1, {11: "36.09", 12: "38.50"})  # a world record, and a personal best
    enter_heat(race, 2, {21: "37.90", 22: "38.01"})
    enter_heat(race, 3, {31: "39.00", 32: "DNF"})
    ranked.clear()
    published.clear()

    services.race_status_set(race=race, status=Race.State.OFFICIAL, by=make_user("rafa", REFEREE))

    assert ranked == {race.pk: 1, later.pk: 1}
    assert published == {race_topic(race.pk): 1, race_topic(later.pk): 1, classification_topic(sprint.pk): 1}
    assert race.records_set.exists() and race.bests_set.exists()


def test_a_heat_ranks_its_race_once_however_many_classifications_count_it(ranked, published):
    race = make_race()
    first = classification_create(
        competition=race.competition, name="Sprint", gender="women", kind=SPRINT, races=[race]
    )
    second = classification_create(
        competition=race.competition, name="Other", gender="women", kind=SPRINT, races=[race]
    )
    ranked.clear()
    published.clear()

    enter_heat(race, 1, {11: "38.12", 12: "38.50"})

    assert ranked == {race.pk: 1}
    assert published == {race_topic(race.pk): 1, classification_topic(first.pk): 1, classification_topic(second.pk): 1}


def test_clearing_a_race_is_one_version_for_spectators(published):
    race = make_race()
    for number, times in ((1, {11: "38.12", 12: "38.50"}), (2, {21: "37.90", 22: "38.01"})):
        enter_heat(race, number, times)
    published.clear()

    services.race_results_clear(race=race, reason="rehearsal over")

    assert published == {race_topic(race.pk): 1}


def test_a_step_that_fails_inside_a_write_takes_back_what_it_marked(published):
    race = make_race()
    other = make_race(race.competition, title="Men 500m", gender="men", draw=[(1, "I", 51, "Ed ONE", "NED")])
    published.clear()

    with publishing.publishing() as publication:
        publication.race(race)
        with pytest.raises(RuntimeError), publishing.publishing() as joined:
            joined.race(other)
            raise RuntimeError("the step failed")

    assert published == {race_topic(race.pk): 1}
