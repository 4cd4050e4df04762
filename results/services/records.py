"""Records set in a race become standing records once the race is official (and stop standing if it is
reopened), so later races are measured against them."""

from __future__ import annotations

from results import ranking, selectors
from results.models import Race, Record
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
    if created:
        _republish_races_measured_against(race)
    return created


def records_withdraw(*, race: Race) -> None:
    deleted, _ = Record.objects.filter(set_in_race=race).delete()
    if deleted:
        _republish_races_measured_against(race)


def _republish_races_measured_against(race: Race) -> None:
    """Races of the same distance that are still open show the standing records; refresh them."""
    others = (
        Race.objects.filter(gender=race.gender, distance=race.distance, day__gte=race.day)
        .exclude(pk=race.pk)
        .exclude(status=Race.State.OFFICIAL)
    )
    races_publish(races=others)
