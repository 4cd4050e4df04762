"""Records set in a race become standing records once the race is official (and stop standing if it is
reopened), so later races are measured against them. National records too: one per nation whose skaters set one.
(Personal and season bests follow the same path in ``services.bests``.)"""

from __future__ import annotations

from typing import Any

from results import selectors
from results.models import Race, Record
from results.rules import ranking
from results.services.publishing import races_publish


def records_set_by_race(*, race: Race) -> list[Record]:
    """For each kind of record beaten in ``race``, its best time becomes the standing record from the race day."""
    standings = selectors.race_standings(race)
    created = []
    for kind in (ranking.WR, ranking.OR, ranking.TR):
        best = next((row for row in standings if kind in row["records"]), None)
        if best is None:
            continue
        created.append(
            Record.objects.create(
                kind=kind,
                gender=race.gender,
                distance=race.distance,
                venue=race.competition.venue if kind == ranking.TR else None,
                time_ms=best["time_ms"],
                holder=best["name"],
                nation=best["nation"],
                set_on=race.day,
                set_in_race=race,
            )
        )
    created.extend(_national_records_set(race, standings))
    if created:
        races_measured_against_republish(race)
    return created


def _national_records_set(race: Race, standings: list[dict[str, Any]]) -> list[Record]:
    """Each nation's fastest time flagged NR in the race (standings come fastest first) is its new record."""
    fastest: dict[str, dict[str, Any]] = {}
    for row in standings:
        if ranking.NR in row["records"]:
            fastest.setdefault(row["nation"], row)
    return [
        Record.objects.create(
            kind=ranking.NR,
            gender=race.gender,
            distance=race.distance,
            time_ms=row["time_ms"],
            holder=row["name"],
            nation=nation,
            set_on=race.day,
            set_in_race=race,
        )
        for nation, row in fastest.items()
    ]


def records_withdraw(*, race: Race) -> None:
    deleted, _ = Record.objects.filter(set_in_race=race).delete()
    if deleted:
        races_measured_against_republish(race)


def races_measured_against_republish(race: Race) -> None:
    """Races of the same distance that are still open show the standing records; refresh them."""
    others = (
        Race.objects.filter(gender=race.gender, distance=race.distance, day__gte=race.day)
        .exclude(pk=race.pk)
        .exclude(status=Race.State.OFFICIAL)
    )
    races_publish(races=others)
