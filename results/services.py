"""Every write. Each service validates, saves inside a transaction, republishes the race's snapshot and pushes it
to spectators once the transaction commits (``results.broadcast``)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from results import broadcast, ranking, selectors
from results.models import Competition, Heat, Race, RaceSnapshot, Skater, Start, Status

logger = logging.getLogger(__name__)

ERROR_TIME_REQUIRED = "A finisher needs a time. Enter it, or choose DNF, DQ, DNS or WDR."
ERROR_TIME_NOT_ALLOWED = "{status} means no finish time: clear the time, or choose OK."
ERROR_STATUS_REQUIRED = "Choose a result: OK with a time, or DNF, DQ, DNS or WDR."
ERROR_INFRACTION_NOT_ALLOWED = "An infraction code goes with DQ (or a warning on a finisher), not with {status}."
ERROR_INFRACTION_UNKNOWN = "Unknown infraction code “{code}”; use one of {codes}."
ERROR_NOT_IN_HEAT = "{skater} does not skate in heat {heat}."
ERROR_MISSING_SKATER = "{skater} skates in heat {heat} and needs a result too."
ERROR_RACE_OFFICIAL = "{race} is official: its results can no longer be changed here."

TIME_REFUSED = {Status.DNF, Status.DNS, Status.WDR}
INFRACTION_ALLOWED = {Status.OK, Status.DQ}


@dataclass(frozen=True)
class StartResult:
    """An official's entry for one skater of a heat."""

    start_id: int
    status: str
    time_ms: int | None = None
    infraction: str = ""


class HeatResultsInvalid(ValidationError):
    """Nothing of the heat was saved. ``by_start`` maps a start id to {field: [messages]}."""

    def __init__(self, by_start: dict[int, dict[str, list[str]]], heat_errors: list[str]) -> None:
        self.by_start = by_start
        self.heat_errors = heat_errors
        messages = heat_errors + [m for fields in by_start.values() for ms in fields.values() for m in ms]
        super().__init__(messages)


def _start_errors(entry: StartResult) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if entry.status not in ranking.STATUSES:
        errors["status"] = [ERROR_STATUS_REQUIRED]
        return errors
    if entry.status == Status.OK and entry.time_ms is None:
        errors["time"] = [ERROR_TIME_REQUIRED]
    if entry.status in TIME_REFUSED and entry.time_ms is not None:
        errors["time"] = [ERROR_TIME_NOT_ALLOWED.format(status=entry.status)]
    if entry.infraction:
        if entry.infraction not in ranking.INFRACTIONS:
            codes = ", ".join(ranking.INFRACTIONS)
            errors["infraction"] = [ERROR_INFRACTION_UNKNOWN.format(code=entry.infraction, codes=codes)]
        elif entry.status not in INFRACTION_ALLOWED:
            errors["infraction"] = [ERROR_INFRACTION_NOT_ALLOWED.format(status=entry.status)]
    return errors


def heat_results_record(*, heat: Heat, results: Sequence[StartResult], by: AbstractBaseUser | None = None) -> Heat:
    """Save one heat's results, all or nothing, then re-rank and push the race once.

    Every skater of the heat needs a result. Raises ``HeatResultsInvalid`` (nothing saved) on any error.
    """
    with transaction.atomic():
        race = Race.objects.select_for_update().get(pk=heat.race_id)
        heat = Heat.objects.get(pk=heat.pk)
        starts = {start.pk: start for start in heat.starts.select_related("skater")}
        by_start: dict[int, dict[str, list[str]]] = {}
        heat_errors: list[str] = []
        if race.status == Race.State.OFFICIAL:
            heat_errors.append(ERROR_RACE_OFFICIAL.format(race=race))
        for entry in results:
            if entry.start_id not in starts:
                skater = Start.objects.filter(pk=entry.start_id).select_related("skater").first()
                heat_errors.append(
                    ERROR_NOT_IN_HEAT.format(skater=skater.skater if skater else entry.start_id, heat=heat.number)
                )
                continue
            errors = _start_errors(entry)
            if errors:
                by_start[entry.start_id] = errors
        entered = {entry.start_id for entry in results}
        heat_errors.extend(
            ERROR_MISSING_SKATER.format(skater=start.skater, heat=heat.number)
            for start_id, start in starts.items()
            if start_id not in entered
        )
        if by_start or heat_errors:
            raise HeatResultsInvalid(by_start, heat_errors)

        for entry in results:
            start = starts[entry.start_id]
            start.status = entry.status
            start.time_ms = entry.time_ms
            start.infraction = entry.infraction
            start.save(update_fields=["status", "time_ms", "infraction"])
        heat.recorded_at = timezone.now()
        heat.save(update_fields=["recorded_at"])
        _race_status_follow_results(race)
        snapshot = race_publish(race=race)
    logger.info("heat %s of %s saved by %s: v%s", heat.number, race, by or "system", snapshot.version)
    return heat


def _race_status_follow_results(race: Race) -> None:
    """START_LIST -> LIVE with the first result, -> UNOFFICIAL once every heat is done. OFFICIAL is a referee's."""
    if race.status == Race.State.OFFICIAL:
        return
    any_pending = Start.objects.filter(heat__race=race, status=Status.PENDING).exists()
    status = Race.State.LIVE if any_pending else Race.State.UNOFFICIAL
    if status != race.status:
        race.status = status
        race.save(update_fields=["status"])


def race_publish(*, race: Race) -> RaceSnapshot:
    """Build the race's snapshot once, bump its version, store it, and push that same text on commit.

    The snapshot row is locked before anything is read, so two concurrent writers publish in commit order and
    each version contains every change committed before it.
    """
    with transaction.atomic():
        snapshot, _created = RaceSnapshot.objects.select_for_update().get_or_create(
            race=race, defaults={"version": 0, "committed_at": timezone.now(), "payload": ""}
        )
        race = Race.objects.select_related("competition__venue").get(pk=race.pk)
        snapshot.version += 1
        snapshot.committed_at = timezone.now()
        snapshot.payload = selectors.race_snapshot_text(
            race, version=snapshot.version, committed_at=snapshot.committed_at
        )
        snapshot.save()
        broadcast.snapshot_push(race_id=race.pk, version=snapshot.version, text=snapshot.payload)
    return snapshot


def races_publish(*, races: Iterable[Race]) -> list[RaceSnapshot]:
    """Republish every race an edit touched (a skater renamed, a record added), in one transaction."""
    with transaction.atomic():
        return [race_publish(race=race) for race in races]


@dataclass(frozen=True)
class StartListEntry:
    """One line of a draw: who skates in which heat and lane."""

    heat: int
    bib: int
    name: str
    nation: str
    lane: str = ""


def race_create(
    *,
    competition: Competition,
    title: str,
    gender: str,
    distance: int,
    day: date | None = None,
    points_table: Sequence[int] = (),
    order: int | None = None,
) -> Race:
    """Create a race in the competition's programme (last, unless ``order`` says otherwise) and publish it."""
    if order is None:
        order = (competition.races.aggregate(last=Max("order"))["last"] or 0) + 1
    race = Race(
        competition=competition,
        title=title,
        gender=gender,
        distance=distance,
        day=day or competition.starts_on,
        points_table=list(points_table),
        order=order,
    )
    race.full_clean()
    with transaction.atomic():
        race.save()
        race_publish(race=race)
    return race


def skater_get_or_create(*, name: str, nation: str) -> Skater:
    """Skaters are the same person across races when name and nation match."""
    skater = Skater.objects.filter(name=name, nation=nation).first()
    if skater:
        return skater
    skater = Skater(name=name, nation=nation)
    skater.full_clean()
    skater.save()
    return skater


def start_list_create(*, race: Race, entries: Sequence[StartListEntry]) -> list[Start]:
    """Add a draw to a race that has no results yet, all or nothing, and publish the start list."""
    with transaction.atomic():
        race = Race.objects.select_for_update().get(pk=race.pk)
        created: list[Start] = []
        heats: dict[int, Heat] = {heat.number: heat for heat in race.heats.all()}
        for line, entry in enumerate(entries, start=1):
            try:
                skater = skater_get_or_create(name=entry.name, nation=entry.nation)
                heat = heats.get(entry.heat)
                if heat is None:
                    heat = Heat(race=race, number=entry.heat)
                    heat.full_clean()
                    heat.save()
                    heats[entry.heat] = heat
                start = Start(heat=heat, skater=skater, bib=entry.bib, lane=entry.lane)
                start.full_clean()
                start.save()
            except ValidationError as error:
                raise ValidationError(f"Start list line {line} ({entry.name}): {'; '.join(error.messages)}") from error
            created.append(start)
        race_publish(race=race)
    return created


ERROR_CLEAR_OFFICIAL = "{race} is official: its results cannot be cleared."


def race_results_clear(*, race: Race, by: AbstractBaseUser | None = None) -> Race:
    """Take a race back to its start list: every result removed, status START_LIST, pushed like any change.

    For rehearsals and the demo loop; an official race is refused.
    """
    with transaction.atomic():
        race = Race.objects.select_for_update().get(pk=race.pk)
        if race.status == Race.State.OFFICIAL:
            raise ValidationError(ERROR_CLEAR_OFFICIAL.format(race=race))
        Start.objects.filter(heat__race=race).update(status=Status.PENDING, time_ms=None, infraction="")
        race.heats.update(recorded_at=None)
        race.status = Race.State.START_LIST
        race.save(update_fields=["status"])
        race_publish(race=race)
    logger.info("results of %s cleared by %s", race, by or "system")
    return race
