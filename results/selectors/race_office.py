"""The race office: what the admin's first page shows officials on race day (docs/officials.md, "The race office").
Today's competition (or, between competitions, the next one; after the season, the last), every race of it in
programme order with its status and how many pairs are in, the race being skated first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from results.models import Competition, Race, Status


@dataclass(frozen=True)
class OfficeRace:
    race: Race
    pairs: int
    pairs_done: int

    @property
    def is_live(self) -> bool:
        return self.race.status == Race.State.LIVE


@dataclass(frozen=True)
class RaceOffice:
    competition: Competition | None
    when: str  # "today", "next" or "last": how the competition was chosen
    races: list[OfficeRace]

    @property
    def now(self) -> OfficeRace | None:
        """The race to open first: the one being skated, else the first in the programme not yet skated to the
        end (its start list published or not), else none."""
        live = [entry for entry in self.races if entry.is_live]
        if live:
            return live[0]
        waiting = [entry for entry in self.races if entry.race.status == Race.State.START_LIST]
        return waiting[0] if waiting else None


def office_competition(today: date) -> tuple[Competition | None, str]:
    """Today's competition (the one starting last, if two overlap), else the next, else the last one."""
    running = Competition.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on", "pk")
    if running.exists():
        return running.first(), "today"
    upcoming = Competition.objects.filter(starts_on__gt=today).order_by("starts_on", "pk").first()
    if upcoming is not None:
        return upcoming, "next"
    return Competition.objects.order_by("-ends_on", "-pk").first(), "last"


def race_office(today: date) -> RaceOffice:
    competition, when = office_competition(today)
    if competition is None:
        return RaceOffice(None, when, [])
    races = (
        Race.objects.filter(competition=competition)
        .select_related("competition")
        .annotate(
            pairs=Count("heats", distinct=True),
            pairs_pending=Count("heats", filter=Q(heats__starts__status=Status.PENDING), distinct=True),
        )
        .order_by("order", "pk")
    )
    return RaceOffice(
        competition,
        when,
        [OfficeRace(race, race.pairs, race.pairs - race.pairs_pending) for race in races],
    )
