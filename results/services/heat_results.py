"""A heat's results: entered, corrected or cleared, all or nothing. Every change to a skater's result is kept
(who, when, old and new value, why), then the race is re-ranked and pushed once."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from results import policy
from results.models import Heat, Race, ResultChange, Start, Status
from results.rules import formats, plausibility, ranking
from results.rules.wording import result_text
from results.services.publishing import (
    CORRECTION,
    RESULTS,
    AfterPublished,
    Published,
    change_of,
    publishing,
    race_publish,
)
from results.services.race_status import race_status_follow_results

logger = logging.getLogger(__name__)

ERROR_TIME_REQUIRED = "A finisher needs a time. Enter it, or choose DNF, DQ, DNS or WDR."
ERROR_TIME_NOT_ALLOWED = "{status} means no finish time: clear the time, or choose OK."
ERROR_STATUS_REQUIRED = "Choose a result: OK with a time, or DNF, DQ, DNS or WDR."
ERROR_INFRACTION_NOT_ALLOWED = "An infraction code goes with DQ (or a warning on a finisher), not with {status}."
ERROR_INFRACTION_UNKNOWN = "Unknown infraction code “{code}”; use one of {codes}."
ERROR_NOT_IN_HEAT = "{skater} does not skate in heat {heat}."
ERROR_MISSING_SKATER = "{skater} skates in heat {heat} and needs a result too."
ERROR_DATABASE = (
    "Pair {heat} could not be saved: the database refused it ({error}). Nothing of the pair was saved and "
    "spectators saw nothing. Save again; if it fails again, tell the chief of timing."
)
ERROR_HEAT_CHANGED = (
    "Pair {heat} was saved by {who} at {at} while you were entering it: {saved}. Nothing of yours was saved: "
    "check your entry against theirs, then save again."
)

TIME_REFUSED = {Status.DNF, Status.DNS, Status.WDR}
# Who gave a start's result (Start.result_source): an official's value is never overwritten by the timing system.
MANUAL, TIMING = "manual", "timing"
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


class HeatChangedMeanwhile(HeatResultsInvalid):
    """Someone else saved the heat after this entry was opened; ``revision`` is the heat's revision now."""

    def __init__(self, message: str, revision: int) -> None:
        self.revision = revision
        super().__init__({}, [message])


# Reports of one pair reach the server a few tens of milliseconds apart: an earlier start within this is jitter.
START_JITTER = timedelta(seconds=1)


def heat_started(heat: Heat, *, at: datetime, elapsed_ms: int) -> None:
    """The pair started ``elapsed_ms`` before ``at`` (a passage or a time just received): its start is the
    earliest such moment (a later report only adds its delay), moved only for a second or more, so network jitter
    does not change the expected starts of the pairs to come at every passage. Sets ``heat.started_at``; the caller
    saves."""
    start = at - timedelta(milliseconds=elapsed_ms)
    if heat.started_at is None or start < heat.started_at - START_JITTER:
        heat.started_at = start


def _entry_errors(entry: StartResult, *, distance: int, time_required: bool = True) -> dict[str, list[str]]:
    """``time_required``: a finisher needs a time (not in a mass start, where times only break ties). A time no
    skater can have over ``distance`` is refused (a merely unusual one is saved, with a warning on the screen)."""
    errors: dict[str, list[str]] = {}
    if entry.status not in ranking.STATUSES:
        errors["status"] = [ERROR_STATUS_REQUIRED]
        return errors
    if entry.status == Status.OK and entry.time_ms is None and time_required:
        errors["time"] = [ERROR_TIME_REQUIRED]
    if entry.time_ms is not None:
        shown = result_text(Status.OK, entry.time_ms, "")
        if impossible := plausibility.impossible_time(distance=distance, time_ms=entry.time_ms, shown=shown):
            errors["time"] = [impossible]
    if entry.status in TIME_REFUSED and entry.time_ms is not None:
        errors["time"] = [ERROR_TIME_NOT_ALLOWED.format(status=entry.status)]
    if entry.infraction:
        if entry.infraction not in ranking.INFRACTIONS:
            codes = ", ".join(ranking.INFRACTIONS)
            errors["infraction"] = [ERROR_INFRACTION_UNKNOWN.format(code=entry.infraction, codes=codes)]
        elif entry.status not in INFRACTION_ALLOWED:
            errors["infraction"] = [ERROR_INFRACTION_NOT_ALLOWED.format(status=entry.status)]
    return errors


@contextmanager
def _whole_or_nothing(heat: Heat) -> Iterator[None]:
    """A database failure in the middle of a save rolls the whole heat back (the transaction) and pushes nothing
    (the push waits for a commit); the official gets a message to act on rather than a crash."""
    try:
        yield
    except DatabaseError as error:
        logger.exception("saving heat %s of race %s failed", heat.number, heat.race_id)
        message = ERROR_DATABASE.format(heat=heat.number, error=type(error).__name__)
        raise HeatResultsInvalid({}, [message]) from error


def _locked_heat(heat: Heat, *, by: policy.User | None, reason: str, expected_revision: int | None) -> Heat:
    """The heat, locked with its race, once ``by`` may change it and nobody saved it since the form was read."""
    race = Race.objects.select_for_update().get(pk=heat.race_id)
    heat = Heat.objects.select_for_update().select_related("race").get(pk=heat.pk)
    heat.race = race
    refusal = policy.results_change_refusal(race=race, user=by, reason=reason)
    if refusal:
        raise HeatResultsInvalid({}, [refusal])
    if expected_revision is not None and heat.revision != expected_revision:
        raise HeatChangedMeanwhile(_changed_meanwhile(heat), heat.revision)
    return heat


def _changed_meanwhile(heat: Heat) -> str:
    last = ResultChange.objects.filter(start__heat=heat).select_related("by").first()
    who = (last.by.get_username() if last and last.by else "the timing system") if last else "someone"
    at = timezone.localtime(last.at).strftime("%H:%M:%S") if last else "?"
    saved = "; ".join(
        f"{start.skater.name} {result_text(start.status, start.time_ms, start.infraction)}"
        for start in heat.starts.select_related("skater").order_by("lane", "id")
    )
    return ERROR_HEAT_CHANGED.format(heat=heat.number, who=who, at=at, saved=saved)


def heat_results_record(
    *,
    heat: Heat,
    results: Sequence[StartResult],
    by: policy.User | None = None,
    reason: str = "",
    expected_revision: int | None = None,
) -> Published | None:
    """Save one heat's results (new, or a correction), all or nothing, then re-rank and push the race once; what
    was published (``None``: the same results again, which changes and pushes nothing).

    Every skater of the heat needs a result. Saving the same results again changes nothing and pushes nothing.
    ``expected_revision``: the heat's revision the entry was made from; if someone saved the heat since, the save
    is refused with what they saved (``HeatChangedMeanwhile``). ``by`` None is the system (replay, timing system).
    Raises ``HeatResultsInvalid`` (nothing saved) on any error.
    """
    with _whole_or_nothing(heat), publishing() as publication:
        heat = _locked_heat(heat, by=by, reason=reason, expected_revision=expected_revision)
        starts = {start.pk: start for start in heat.starts.select_related("skater")}
        rules = formats.rules_for(heat.race.format)
        by_start: dict[int, dict[str, list[str]]] = {}
        heat_errors: list[str] = []
        for entry in results:
            if entry.start_id not in starts:
                other = Start.objects.filter(pk=entry.start_id).select_related("skater").first()
                heat_errors.append(
                    ERROR_NOT_IN_HEAT.format(skater=other.skater if other else entry.start_id, heat=heat.number)
                )
            elif errors := _entry_errors(entry, distance=heat.race.distance, time_required=rules.finish_time_required):
                by_start[entry.start_id] = errors
        entered = {entry.start_id for entry in results}
        heat_errors.extend(
            ERROR_MISSING_SKATER.format(skater=start.skater, heat=heat.number)
            for start_id, start in starts.items()
            if start_id not in entered
        )
        if by_start or heat_errors:
            raise HeatResultsInvalid(by_start, heat_errors)
        new_values = {e.start_id: (e.status, e.time_ms, e.infraction) for e in results}
        _heat_change(heat, starts.values(), new_values, by=by, reason=reason, source=result_source(by))
    return publication.race_published(heat.race_id)


def start_finish_record(
    *, start: Start, time_ms: int, by: policy.User | None = None, reason: str = ""
) -> Published | None:
    """One skater's finish, ahead of the rest of the heat (a timing system reports each skater as they cross the
    line, so a heat's results may be partial until the other skater finishes). Kept in the history, the race
    re-ranked and pushed once, as ``heat_results_record`` does; the same time again changes nothing (``None``).
    Raises ``HeatResultsInvalid`` (nothing saved) when ``by`` may not change the race now.
    """
    with _whole_or_nothing(start.heat), publishing() as publication:
        heat = _locked_heat(start.heat, by=by, reason=reason, expected_revision=None)
        start = heat.starts.select_related("skater").get(pk=start.pk)
        if errors := _entry_errors(StartResult(start.pk, Status.OK, time_ms), distance=heat.race.distance):
            raise HeatResultsInvalid({start.pk: errors}, [])
        new_values: dict[int, tuple[str, int | None, str]] = {start.pk: (Status.OK, time_ms, "")}
        _heat_change(heat, [start], new_values, by=by, reason=reason, source=result_source(by))
    return publication.race_published(heat.race_id)


def result_source(by: policy.User | None) -> str:
    """An official's entry is theirs (manual); ``None``, the system (the timing system, a replay), is timing."""
    return MANUAL if policy.recorded_as(by) else TIMING


def heat_results_clear(
    *, heat: Heat, by: policy.User | None = None, reason: str = "", expected_revision: int | None = None
) -> Published | None:
    """Take a heat's results back (a pair entered by mistake): recorded as a correction, never silently."""
    with _whole_or_nothing(heat), publishing() as publication:
        heat = _locked_heat(heat, by=by, reason=reason, expected_revision=expected_revision)
        starts = list(heat.starts.select_related("skater"))
        cleared: dict[int, tuple[str, int | None, str]] = {start.pk: (Status.PENDING, None, "") for start in starts}
        _heat_change(heat, starts, cleared, by=by, reason=reason, source="")
    return publication.race_published(heat.race_id)


def _heat_change(
    heat: Heat,
    starts: Iterable[Start],
    new_values: dict[int, tuple[str, int | None, str]],
    *,
    by: policy.User | None,
    reason: str,
    source: str,
) -> None:
    """Write what differs, keep its history, move the race status, publish once. No difference: nothing.
    ``source`` says who gave the new values (``Start.result_source``); a start without a result has none."""
    history: list[ResultChange] = []
    for start in starts:
        old = (start.status, start.time_ms, start.infraction)
        new = new_values[start.pk]
        if old == new:
            continue
        history.append(history_row(heat, start, old, new, by=by, reason=reason))
        start.status, start.time_ms, start.infraction = new
        start.result_source = source if start.status else ""
        start.save(update_fields=["status", "time_ms", "infraction", "result_source"])
    if not history:
        return
    race = heat.race
    any_result = any(status for status, _time, _infraction in new_values.values())
    now = timezone.now()
    heat.recorded_at = now if any_result else None
    if any_result:
        times = [time_ms for status, time_ms, _infraction in new_values.values() if time_ms is not None]
        heat_started(heat, at=now, elapsed_ms=max(times, default=0))
    else:
        heat.started_at = None  # cleared: what was entered was not this pair's
    heat.revision += 1
    heat.save(update_fields=["recorded_at", "started_at", "revision"])
    race_status_follow_results(race, by=by)
    kind = RESULTS if all(row.kind == ResultChange.Kind.ENTERED for row in history) else CORRECTION
    change = change_of(kind, heat=heat.number, bibs=[row.bib for row in history])
    race_publish(race=race, change=change, then=history_keep(history, log=f"heat {heat.number} of {race}: {kind}"))


def history_keep(rows: Sequence[ResultChange], *, log: str) -> AfterPublished:
    """Keeps ``rows`` once their change is published, with the version that published it."""

    def keep(published: Published) -> None:
        for row in rows:
            row.version = published.version
        ResultChange.objects.bulk_create(rows)
        by = rows[0].by if rows else None
        logger.info("%s by %s, v%s", log, by or "system", published.version)

    return keep


def history_row(
    heat: Heat,
    start: Start,
    old: tuple[str, int | None, str],
    new: tuple[str, int | None, str],
    *,
    by: policy.User | None,
    reason: str,
) -> ResultChange:
    if not old[0]:
        kind = ResultChange.Kind.ENTERED
    elif not new[0]:
        kind = ResultChange.Kind.CLEARED
    else:
        kind = ResultChange.Kind.CORRECTED
    return ResultChange(
        race_id=heat.race_id,
        start=start,
        heat_number=heat.number,
        bib=start.bib,
        skater=str(start.skater),
        kind=kind,
        old_status=old[0],
        old_time_ms=old[1],
        old_infraction=old[2],
        new_status=new[0],
        new_time_ms=new[1],
        new_infraction=new[2],
        reason=reason.strip(),
        by=policy.recorded_as(by),
    )
