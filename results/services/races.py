"""Races and their draw: creating a race, its start list, re-skate pairs, taking a skater or a pair out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from results import policy
from results.models import Competition, Heat, Passage, Race, ResultChange, Start, Status
from results.rules import formats, ranking_mass_start
from results.services.heat_results import HeatResultsInvalid, heat_results_clear, history_row
from results.services.mass_start import sprint_placings_clear_all
from results.services.publishing import START_LIST, change_of, race_publish
from results.services.race_status import race_status_follow_results
from results.services.skaters import skater_get_or_create

logger = logging.getLogger(__name__)

ERROR_RESKATE_STATUS = "Re-skates are granted while a race is live, unofficial or under review; {race} is {status}."
ERROR_RESKATE_TWICE = "{skater} already has a re-skate in pair {heat}."


@dataclass(frozen=True)
class StartListEntry:
    """One line of a draw: who skates in which heat and lane."""

    heat: int
    bib: int
    name: str
    nation: str
    lane: str = ""
    # A team pursuit's entrant is a team (``name`` NETHERLANDS, ``nation`` NED) with its skaters' names here, in
    # order; a fourth is the reserve. They skate for the team's nation.
    members: tuple[str, ...] = ()


def race_create(
    *,
    competition: Competition,
    title: str,
    gender: str,
    distance: int,
    day: date | None = None,
    points_table: Sequence[int] = (),
    order: int | None = None,
    race_format: str = Race.Format.INDIVIDUAL,
    sprint_points: Sequence[Sequence[int]] | None = None,
) -> Race:
    """Create a race in the competition's programme (last, unless ``order`` says otherwise) and publish it.

    A mass start gets the current sprint points table unless ``sprint_points`` gives another."""
    if sprint_points is None:
        sprint_points = ranking_mass_start.DEFAULT_SPRINT_POINTS if race_format == Race.Format.MASS_START else ()
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
        format=race_format,
        sprint_points=[list(points) for points in sprint_points],
    )
    race.full_clean()
    with transaction.atomic():
        race.save()
        race_publish(race=race, change=change_of(START_LIST))
    return race


def start_list_create(*, race: Race, entries: Sequence[StartListEntry]) -> list[Start]:
    """Add a draw to a race, all or nothing, and publish the start list."""
    with transaction.atomic():
        race = Race.objects.select_for_update().get(pk=race.pk)
        created: list[Start] = []
        heats: dict[int, Heat] = {heat.number: heat for heat in race.heats.all()}
        for line, entry in enumerate(entries, start=1):
            try:
                skater = skater_get_or_create(name=entry.name, nation=entry.nation, is_team=bool(entry.members))
                heat = heats.get(entry.heat)
                if heat is None:
                    heat = Heat(race=race, number=entry.heat)
                    heat.full_clean()
                    heat.save()
                    heats[entry.heat] = heat
                start = Start(heat=heat, skater=skater, bib=entry.bib, lane=entry.lane)
                start.full_clean()
                start.save()
                if entry.members:
                    team_members_set(start=start, names=entry.members)
            except ValidationError as error:
                raise ValidationError(f"Start list line {line} ({entry.name}): {'; '.join(error.messages)}") from error
            created.append(start)
        race_publish(race=race, change=change_of(START_LIST))
    return created


ERROR_TEAM_SIZE = "{team} needs {low} or {high} skaters (three, and a reserve), not {count}."
ERROR_MEMBER_TWICE = "{skater} already skates for {team} in this race."
ERROR_MEMBER_REPEATED = "{skater} is listed twice in {team}."


def team_members_set(*, start: Start, names: Sequence[str]) -> None:
    """A team's skaters for this race, in the order given (a fourth is the reserve), each for the team's nation.
    Raises ``ValidationError`` for a team too small or too big, or a skater in two teams of the race."""
    team = start.skater
    if not formats.TEAM_MEMBERS_MIN <= len(names) <= formats.TEAM_MEMBERS_MAX:
        low, high = formats.TEAM_MEMBERS_MIN, formats.TEAM_MEMBERS_MAX
        raise ValidationError(ERROR_TEAM_SIZE.format(team=team.name, low=low, high=high, count=len(names)))
    repeated = next((name for index, name in enumerate(names) if name in names[:index]), None)
    if repeated:
        raise ValidationError(ERROR_MEMBER_REPEATED.format(skater=repeated, team=team.name))
    members = [skater_get_or_create(name=name, nation=team.nation) for name in names]
    Through = Start.members.through
    taken = Through.objects.filter(start__heat__race=start.heat.race_id, skater__in=members).exclude(start=start)
    clash = taken.select_related("skater", "start__skater").first()
    if clash:
        raise ValidationError(ERROR_MEMBER_TWICE.format(skater=clash.skater.name, team=clash.start.skater.name))
    Through.objects.filter(start=start).delete()
    # One by one, in order: the feed lists them as given (the many-to-many keeps no order of its own).
    Through.objects.bulk_create(Through(start=start, skater=member) for member in members)


ERROR_RESKATE_MASS_START = "A mass start has no re-skates."


def reskate_add(*, start: Start, lane: str = "", by: policy.User | None = None, reason: str = "") -> Start:
    """A referee grants ``start``'s skater a re-skate: a place in a re-skate pair after the last pair, in an open
    one with room in ``lane`` or a new one. The better valid time of the two counts."""
    with transaction.atomic():
        race = Race.objects.select_for_update().get(pk=start.heat.race_id)
        refusal = policy.results_change_refusal(race=race, user=by, reason=reason)
        if refusal:
            raise ValidationError(refusal)
        if race.format == Race.Format.MASS_START:
            raise ValidationError(ERROR_RESKATE_MASS_START)
        if race.status not in (Race.State.LIVE, Race.State.UNOFFICIAL, Race.State.PROTESTED):
            raise ValidationError(ERROR_RESKATE_STATUS.format(race=race, status=race.get_status_display().lower()))
        already = Start.objects.filter(heat__race=race, heat__is_reskate=True, skater=start.skater_id).first()
        if already:
            raise ValidationError(ERROR_RESKATE_TWICE.format(skater=start.skater, heat=already.heat.number))
        heat = _open_reskate_heat(race, lane) or Heat.objects.create(
            race=race, number=(race.heats.aggregate(last=Max("number"))["last"] or 0) + 1, is_reskate=True
        )
        reskate = Start(heat=heat, skater=start.skater, bib=start.bib, lane=lane)
        reskate.full_clean()
        reskate.save()
        race_status_follow_results(race, by=by)
        race_publish(race=race, change=change_of(START_LIST, heat=heat.number, bibs=[start.bib]))
    logger.info("re-skate for %s in pair %s of %s, granted by %s", start.skater, heat.number, race, by or "system")
    return reskate


def _open_reskate_heat(race: Race, lane: str) -> Heat | None:
    """A re-skate pair nobody has skated yet, with its ``lane`` free."""
    for heat in race.heats.filter(is_reskate=True).prefetch_related("starts").order_by("number"):
        starts = list(heat.starts.all())
        if all(s.status == Status.PENDING for s in starts) and len(starts) < 2 and lane not in {s.lane for s in starts}:
            return heat
    return None


ERROR_HEAT_HAS_RESULTS = (
    "Pair {heat} of {race} has results: clear the pair first (Clear pair on the entry screen; the history keeps "
    "them), then delete it."
)


def heat_remove(*, heat: Heat, by: policy.User | None = None) -> None:
    """Delete a pair nobody has a result in, with its skaters, and publish once. A pair with results is refused:
    clearing it first keeps them in the history."""
    with transaction.atomic():
        race = Race.objects.select_for_update().get(pk=heat.race_id)
        heat = Heat.objects.get(pk=heat.pk)
        if heat.starts.exclude(status=Status.PENDING).exists():
            raise ValidationError(ERROR_HEAT_HAS_RESULTS.format(heat=heat.number, race=race))
        number = heat.number
        heat.delete()
        # The pair taken out may have been the last one still to skate.
        race_status_follow_results(race, by=by)
        race_publish(race=race, change=change_of(START_LIST, heat=number))
    logger.info("pair %s of %s deleted by %s", number, race, by or "system")


def start_remove(*, start: Start, by: policy.User | None = None, reason: str = "") -> None:
    """Take a skater out of the draw. A result they had goes into the history as removed, never silently."""
    with transaction.atomic():
        race = Race.objects.select_for_update().get(pk=start.heat.race_id)
        start = Start.objects.select_related("heat", "skater").get(pk=start.pk)
        history = None
        if start.has_result:
            refusal = policy.results_change_refusal(race=race, user=by, reason=reason)
            if refusal:
                raise HeatResultsInvalid({}, [refusal])
            old = (start.status, start.time_ms, start.infraction)
            history = history_row(start.heat, start, old, (Status.PENDING, None, ""), by=by, reason=reason)
            history.kind, history.start = ResultChange.Kind.REMOVED, None
        start.delete()
        race_status_follow_results(race, by=by)
        snapshot = race_publish(race=race, change=change_of(START_LIST, heat=start.heat.number, bibs=[start.bib]))
        if history:
            history.version = snapshot.version
            history.save()


ERROR_CLEAR_OFFICIAL = "{race} is official: its results cannot be cleared."


def race_results_clear(*, race: Race, by: policy.User | None = None, reason: str = "") -> Race:
    """Take a race back to its start list, pair by pair, each result kept in the history (rehearsals, the demo
    loop); the timing system's passages go too. An official race is refused."""
    if race.status == Race.State.OFFICIAL:
        raise ValidationError(ERROR_CLEAR_OFFICIAL.format(race=race))
    with transaction.atomic():
        passages_removed, _ = Passage.objects.filter(start__heat__race=race).delete()
        sprint_placings_clear_all(race=race, by=by, reason=reason)
        heats = race.heats.filter(starts__status__gt="").distinct().order_by("number")
        for heat in heats:
            heat_results_clear(heat=heat, by=by, reason=reason)
        if passages_removed and not heats:  # skaters were on the ice, none finished: nobody is on the ice now
            race_publish(race=race)
    race.refresh_from_db()
    return race
