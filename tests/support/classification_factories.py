"""Builders for classifications (sprint, allround), through results.services as in production; the rest of the
shared builders are in tests/support/factories.py.

The sprinters: Leerdam's times are hers at the 2022 World Sprint (docs/rules.md: 38.110 + 37.440 + 38.110 + 37.480 =
151.140). DOMAIN gives only the totals of Kok (151.215) and Herzog (152.225): their times here are made up to give
exactly those totals. Delta is invented (155.200).
"""

from __future__ import annotations

from results.models import Classification, Competition, Race
from results.rules.classification import KIND_DISTANCES, SPRINT
from results.services.classifications import classification_create
from tests.support.factories import enter_heat, make_competition, make_race

# bib, name, nation, times over 500, 1000, 500, 1000
SPRINTERS = [
    (1, "Jutta LEERDAM", "NED", ("38.11", "1:14.88", "38.11", "1:14.96")),
    (2, "Femke KOK", "NED", ("37.92", "1:15.53", "37.87", "1:15.32")),
    (3, "Vanessa HERZOG", "AUT", ("38.31", "1:16.11", "38.05", "1:15.62")),
    (4, "Dana DELTA", "CAN", ("39.00", "1:17.00", "39.10", "1:17.20")),
]
# Two pairs on every distance: Leerdam and Kok, then Herzog and Delta.
SPRINT_DRAW = [
    (1 + (n // 2), "IO"[n % 2], bib, name, nation) for n, (bib, name, nation, _times) in enumerate(SPRINTERS)
]
SPRINT_TITLES = ["Women 500m, day 1", "Women 1000m, day 1", "Women 500m, day 2", "Women 1000m, day 2"]


def make_sprint_races(competition: Competition) -> list[Race]:
    return [
        make_race(competition, title=title, distance=distance, points_table=(), draw=SPRINT_DRAW)
        for title, distance in zip(SPRINT_TITLES, KIND_DISTANCES[SPRINT], strict=True)
    ]


def make_sprint(competition: Competition | None = None) -> Classification:
    """The women's sprint championship: four races drawn, nothing skated yet."""
    competition = competition or make_competition("World Sprint Championships")
    return classification_create(
        competition=competition,
        name="World Sprint Championships, women",
        gender="women",
        kind=SPRINT,
        races=make_sprint_races(competition),
    )


def race_at(classification: Classification, position: int) -> Race:
    return classification.legs.select_related("race").get(position=position).race


def skate_pair(classification: Classification, position: int, heat: int) -> None:
    """Enter one pair of a distance with the sprinters' times."""
    race = race_at(classification, position)
    times = {bib: times[position - 1] for bib, _name, _nation, times in SPRINTERS}
    enter_heat(race, heat, {start.bib: times[start.bib] for start in race.heats.get(number=heat).starts.all()})


def skate_distance(classification: Classification, position: int) -> None:
    skate_pair(classification, position, 1)
    skate_pair(classification, position, 2)
