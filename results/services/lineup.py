"""A race's lineup: who skates in which pair and lane, with which bib (and a team's skaters). Start lists, pairs
and starts added, changed and taken out, re-skate pairs.

A change to the lineup of a race that has results goes through ``results.services.edits``: the results policy
(only a referee, with a reason, once the race is official or under review), one history row per change, and a
correction on the board. A start that has a result keeps its skater and its race: clear the pair first, which
the history keeps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Max

from results import policy
from results.models import Heat, Race, ResultChange, Skater, Start, Status, Withdrawal, heat_lineup_errors
from results.rules import formats
from results.services.edits import Edit, EditRefused, edits_allowed, edits_publish, edits_refusal, races_locked
from results.services.heat_results import HeatResultsInvalid, history_keep, history_row
from results.services.publishing import START_LIST, change_of, publishing
from results.services.race_status import race_status_follow_results
from results.services.skaters import skater_get_or_create

logger = logging.getLogger(__name__)

ERROR_RESULT_KEEPS_SKATER = (
    "{skater} has a result in pair {heat} of {race}: it cannot be given to another skater. Clear the pair on the "
    "entry screen first (the history keeps it), then change the skater."
)
ERROR_RESULT_STAYS_IN_RACE = (
    "{skater} has a result in pair {heat} of {race}: it cannot move to another race. Clear the pair on the entry "
    "screen first (the history keeps it)."
)
ERROR_REMOVE_WITH_RESULT = (
    "{skater} has a result: take the skater out on the start's own page (Delete there), which asks for the reason "
    "kept in the race's history."
)
ERROR_HEAT_HAS_RESULTS = (
    "Pair {heat} of {race} has results: clear the pair first (Clear pair on the entry screen; the history keeps "
    "them), then delete it."
)
ERROR_POINTS_REFEREE = "Only a referee can award points by decision."
ERROR_POINTS_REASON = "Points by decision need a reason: it is kept in the race's history."
ERROR_RESKATE_STATUS = "Re-skates are granted while a race is live, unofficial or under review; {race} is {status}."
ERROR_RESKATE_TWICE = "{skater} already has a re-skate in pair {heat}."
ERROR_RESKATE_MASS_START = "A mass start has no re-skates."
ERROR_TEAM_SIZE = "{team} needs {low} or {high} skaters (three, and a reserve), not {count}."
ERROR_MEMBER_TWICE = "{skater} already skates for {team} in this race."
ERROR_MEMBER_REPEATED = "{skater} is listed twice in {team}."

ADDED, TAKEN_OUT = "added", "taken out"


@dataclass(frozen=True)
class StartListEntry:
    """One line of a draw: who skates in which heat and lane; ``heat`` ``None``: withdrew before the draw."""

    heat: int | None
    bib: int
    name: str
    nation: str
    lane: str = ""
    # A team pursuit's entrant is a team (``name`` NETHERLANDS, ``nation`` NED) with its skaters' names here, in
    # order; a fourth is the reserve. They skate for the team's nation.
    members: tuple[str, ...] = ()


# --- what a change to the lineup is, as the history reads it -----------------------------------------------------


def start_text(start: Start) -> str:
    """``281 Jutta LEERDAM (NED), lane I``"""
    lane = f", lane {start.lane}" if start.lane else ""
    return f"{start.bib} {start.skater}{lane}"


def _who(start: Start) -> str:
    return f"bib {start.bib} {start.skater.name}"


def start_edits(
    before: Start | None, after: Start | None, *, members_before: Sequence[str] = (), members_after: Sequence[str] = ()
) -> dict[int, list[Edit]]:
    """What changes, by race id, when a start goes from ``before`` to ``after`` (``None``: added, or taken out)."""
    edits: dict[int, list[Edit]] = {}

    def add(race_id: int, edit: Edit) -> None:
        edits.setdefault(race_id, []).append(edit)

    if before is not None and (after is None or after.heat.race_id != before.heat.race_id):
        add(
            before.heat.race_id,
            Edit(
                f"pair {before.heat.number}: skater {TAKEN_OUT}",
                start_text(before),
                "—",
                heat=before.heat.number,
                bib=before.bib,
            ),
        )
    if after is None:
        return edits
    heat, race_id = after.heat, after.heat.race_id
    if before is None or before.heat.race_id != race_id:
        add(
            race_id,
            Edit(f"pair {heat.number}: skater {ADDED}", "—", start_text(after), heat=heat.number, bib=after.bib),
        )
        return edits
    where = f"pair {heat.number}, {_who(after)}: "
    changes = [
        ("pair", before.heat.number, heat.number),
        ("skater", str(before.skater), str(after.skater)),
        ("bib", before.bib, after.bib),
        ("lane", before.lane or "—", after.lane or "—"),
        ("skaters of the team", " · ".join(members_before) or "—", " · ".join(members_after) or "—"),
        ("points by decision", _points_text(before.points_awarded), _points_text(after.points_awarded)),
    ]
    for label, old, new in changes:
        if old != new:
            add(race_id, Edit(where + label, str(old), str(new), heat=heat.number, bib=after.bib))
    return edits


def _points_text(points: int | None) -> str:
    return "— (the table's)" if points is None else str(points)


def _points_refusal(start: Start, *, by: policy.User | None, reason: str) -> str | None:
    """Points by decision are the referee's, always with a reason (a jury decision, or an official list's)."""
    before = _saved_start(start.pk)
    if (before.points_awarded if before else None) == start.points_awarded:
        return None
    if not policy.may(by, policy.REFEREE):
        return ERROR_POINTS_REFEREE
    return None if reason.strip() else ERROR_POINTS_REASON


def _result_rules(before: Start, after: Start | None) -> None:
    """A start with a result keeps its skater and its race."""
    if not before.has_result:
        return
    about = {"skater": before.skater, "heat": before.heat.number, "race": before.heat.race}
    if after is not None and after.skater_id != before.skater_id:
        raise EditRefused(ERROR_RESULT_KEEPS_SKATER.format(**about))
    if after is not None and after.heat.race_id != before.heat.race_id:
        raise EditRefused(ERROR_RESULT_STAYS_IN_RACE.format(**about))


def _saved_start(pk: int | None) -> Start | None:
    if not pk:
        return None
    return Start.objects.select_related("heat__race", "skater").filter(pk=pk).first()


def _member_names(skaters: Iterable[Skater] | None, start: Start | None) -> list[str]:
    if skaters is not None:
        return [skater.name for skater in skaters]
    return start.member_names() if start is not None and start.pk else []


# --- one start ---------------------------------------------------------------------------------------------------


def start_change_refusal(
    *, start: Start, members: Sequence[Skater] | None = None, by: policy.User | None, reason: str = ""
) -> str | None:
    """Why ``by`` may not save ``start`` as it is now (new, or changed), or ``None``. Reads only."""
    try:
        edits = _start_change(start, members)
    except EditRefused as refused:
        return refused.message_text
    races = Race.objects.filter(pk__in=[race_id for race_id, race_edits in edits.items() if race_edits])
    return edits_refusal(races=races, by=by, reason=reason) or _points_refusal(start, by=by, reason=reason)


def _start_change(start: Start, members: Sequence[Skater] | None) -> dict[int, list[Edit]]:
    before = _saved_start(start.pk)
    if before is not None:
        _result_rules(before, start)
    return start_edits(
        before,
        start,
        members_before=_member_names(None, before),
        members_after=_member_names(members, start) if members is not None else _member_names(None, before),
    )


def start_save(
    *, start: Start, members: Sequence[Skater] | None = None, by: policy.User | None, reason: str = ""
) -> Start:
    """Add or change one start (its pair, lane, bib, skater, and a team's skaters). Raises ``EditRefused`` or
    ``ValidationError`` (nothing saved)."""
    with publishing() as publication:
        before = _saved_start(start.pk)
        races = races_locked([start.heat.race_id, before.heat.race_id if before else None])
        edits = _start_change(start, members)
        edits_allowed(races=[race for race in races if edits.get(race.pk)], by=by, reason=reason)
        points_refused = _points_refusal(start, by=by, reason=reason)
        if points_refused:
            raise EditRefused(points_refused)
        start.full_clean()
        start.save()
        if members is not None:
            Start.members.through.objects.filter(start=start).delete()
            Start.members.through.objects.bulk_create(Start.members.through(start=start, skater=m) for m in members)
        for race in races:
            race_status_follow_results(race, by=by)
            edits_publish(publication, race=race, edits=edits.get(race.pk, []), by=by, reason=reason)
    return start


def start_remove(*, start: Start, by: policy.User | None = None, reason: str = "") -> None:
    """Take a skater out of the draw. A result they had goes into the history as removed, never silently."""
    with publishing() as publication:
        race = races_locked([start.heat.race_id])[0]
        start = Start.objects.select_related("heat", "skater").get(pk=start.pk)
        if start.has_result:
            refusal = policy.results_change_refusal(race=race, user=by, reason=reason)
            if refusal:
                raise HeatResultsInvalid({}, [refusal])
            old = (start.status, start.time_ms, start.infraction)
            history = history_row(start.heat, start, old, (Status.PENDING, None, ""), by=by, reason=reason)
            history.kind, history.start = ResultChange.Kind.REMOVED, None
            keep = history_keep([history], log=f"{start.skater} taken out of {race}")
            change = change_of(START_LIST, heat=start.heat.number, bibs=[start.bib])
            start.delete()
            race_status_follow_results(race, by=by)
            publication.race(race, change=change, then=keep)
            return
        edits = start_edits(start, None)[race.pk]
        edits_allowed(races=[race], by=by, reason=reason)
        start.delete()
        race_status_follow_results(race, by=by)
        edits_publish(publication, race=race, edits=edits, by=by, reason=reason)


# --- a pair and its skaters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatChange:
    """A pair as a form leaves it: the heat (new, or changed), its starts to add or change, those taken out."""

    heat: Heat
    starts: Sequence[Start]
    removed: Sequence[Start] = ()


def _heat_edits(change: HeatChange) -> dict[int, list[Edit]]:
    heat = change.heat
    before = Heat.objects.filter(pk=heat.pk).first() if heat.pk else None
    removed = {start.pk for start in change.removed}
    edits: dict[int, list[Edit]] = {}
    saved = {}
    if heat.pk:
        saved = {start.pk: start for start in Start.objects.filter(heat=heat).select_related("heat__race", "skater")}
    changed = {start.pk: start for start in change.starts if start.pk}
    for pk, start in saved.items():
        if pk in removed:
            if start.has_result:
                raise EditRefused(ERROR_REMOVE_WITH_RESULT.format(skater=start.skater))
            after = None
        else:
            after = changed.get(pk, start)
            after.heat = heat
            _result_rules(start, after)
        for race_id, race_edits in start_edits(start, after).items():
            edits.setdefault(race_id, []).extend(race_edits)
    for start in change.starts:
        if not start.pk:
            start.heat = heat
            for race_id, race_edits in start_edits(None, start).items():
                edits.setdefault(race_id, []).extend(race_edits)
    if before is not None and before.race_id != heat.race_id and not saved:
        edits.setdefault(before.race_id, [])
    return edits


def heat_change_refusal(*, change: HeatChange, by: policy.User | None, reason: str = "") -> str | None:
    """Why ``by`` may not save the pair as ``change`` leaves it, or ``None``. Reads only."""
    try:
        edits = _heat_edits(change)
    except EditRefused as refused:
        return refused.message_text
    races = Race.objects.filter(pk__in=[race_id for race_id, race_edits in edits.items() if race_edits])
    return edits_refusal(races=races, by=by, reason=reason)


def heat_save(*, change: HeatChange, by: policy.User | None, reason: str = "") -> Heat:
    """Add or change a pair with its skaters, all or nothing, and publish each race it touches once. Raises
    ``EditRefused`` or ``ValidationError`` (nothing saved)."""
    heat = change.heat
    with publishing() as publication:
        before_race = Heat.objects.filter(pk=heat.pk).values_list("race_id", flat=True).first() if heat.pk else None
        races = races_locked([heat.race_id, before_race])
        edits = _heat_edits(change)
        edits_allowed(races=[race for race in races if edits.get(race.pk)], by=by, reason=reason)
        heat.full_clean()
        heat.save()
        for start in change.removed:
            start.delete()
        placed = [*change.starts]
        for start in placed:
            start.heat = heat
        leaving = [start.pk for start in change.removed]
        errors = heat_lineup_errors(placed, heat=heat, leaving=leaving)
        problems = [
            f"{start.skater}: {message}" for start, e in zip(placed, errors, strict=True) for message in e.values()
        ]
        if problems:
            raise ValidationError(problems)
        for start in placed:
            start.save()
        for race in races:
            race_status_follow_results(race, by=by)
            edits_publish(publication, race=race, edits=edits.get(race.pk, []), by=by, reason=reason)
    return heat


def heat_remove(*, heat: Heat, by: policy.User | None = None, reason: str = "") -> None:
    """Delete a pair nobody has a result in, with its skaters, and publish once. A pair with results is refused:
    clearing it first keeps them in the history."""
    with publishing() as publication:
        race = races_locked([heat.race_id])[0]
        heat = Heat.objects.get(pk=heat.pk)
        starts = list(heat.starts.select_related("heat", "skater"))
        if any(start.has_result for start in starts):
            raise EditRefused(ERROR_HEAT_HAS_RESULTS.format(heat=heat.number, race=race))
        edits = [edit for start in starts for edit in start_edits(start, None)[race.pk]]
        edits_allowed(races=[race], by=by, reason=reason)
        number = heat.number
        heat.delete()
        # The pair taken out may have been the last one still to skate.
        race_status_follow_results(race, by=by)
        edits_publish(
            publication, race=race, edits=edits or [Edit(f"pair {number}", "empty pair", "—")], by=by, reason=reason
        )
    logger.info("pair %s of %s deleted by %s", number, race, by or "system")


# --- start lists and re-skates -----------------------------------------------------------------------------------


def start_list_create(*, race: Race, entries: Sequence[StartListEntry]) -> list[Start]:
    """Add a draw to a race, all or nothing, and publish the start list. Entries without a heat withdrew before the
    draw; only the starts are returned."""
    with publishing() as publication:
        race = races_locked([race.pk])[0]
        created: list[Start] = []
        heats: dict[int, Heat] = {heat.number: heat for heat in race.heats.all()}
        for line, entry in enumerate(entries, start=1):
            try:
                skater = skater_get_or_create(name=entry.name, nation=entry.nation, is_team=bool(entry.members))
                if entry.heat is None:
                    withdrawal = Withdrawal(race=race, skater=skater, bib=entry.bib)
                    withdrawal.full_clean()
                    withdrawal.save()
                    continue
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
        publication.race(race, change=change_of(START_LIST))
    return created


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


def reskate_add(*, start: Start, lane: str = "", by: policy.User | None = None, reason: str = "") -> Start:
    """A referee grants ``start``'s skater a re-skate: a place in a re-skate pair after the last pair, in an open
    one with room in ``lane`` or a new one. The better valid time of the two counts; the history keeps it."""
    with publishing() as publication:
        race = races_locked([start.heat.race_id])[0]
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
        edit = Edit(f"pair {heat.number}: re-skate granted", "—", start_text(reskate), heat=heat.number, bib=start.bib)
        edits_publish(publication, race=race, edits=[edit], by=by, reason=reason, kind=START_LIST)
    logger.info("re-skate for %s in pair %s of %s, granted by %s", start.skater, heat.number, race, by or "system")
    return reskate


def _open_reskate_heat(race: Race, lane: str) -> Heat | None:
    """A re-skate pair nobody has skated yet, with its ``lane`` free."""
    for heat in race.heats.filter(is_reskate=True).prefetch_related("starts").order_by("number"):
        starts = list(heat.starts.all())
        if all(s.status == Status.PENDING for s in starts) and len(starts) < 2 and lane not in {s.lane for s in starts}:
            return heat
    return None
