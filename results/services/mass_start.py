"""A mass start's sprints: who crossed the line first, second, ... in each sprint, entered in order of crossing.
Every place that changes is kept in the race's history, then the race is re-ranked and pushed once, as for a
heat's results (the same history rows, status and publishing path).

The finish (each skater's time, DNF or DQ) is the race's one heat, entered with ``heat_results_record``; a mass
start's finisher may have no time (``results.rules.formats``), since times only break ties on points.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils import timezone

from results import policy
from results.models import Race, ResultChange, SprintPlacing, Start, Status
from results.rules import ranking_mass_start
from results.services.heat_results import history_keep, history_row
from results.services.publishing import CORRECTION, RESULTS, change_of, publishing
from results.services.race_status import race_status_follow_results

logger = logging.getLogger(__name__)

ERROR_NOT_MASS_START = "{race} is not a mass start: it has no sprints."
ERROR_SPRINT_BEYOND_TABLE = (
    "{race} has {count} sprints in its sprint points table, so there is no sprint {sprint}. "
    "Add a sprint to the table in the race's settings first."
)
ERROR_BIB_NOT_IN_RACE = "Bib {bib} does not skate in {race}."
ERROR_BIB_TWICE = "Bib {bib} ({skater}) is typed twice in {sprint}: places {first} and {second}."
ERROR_DID_NOT_START = "Bib {bib} ({skater}) is {status}: a skater who did not start cannot be placed in {sprint}."
ERROR_SPRINT_CHANGED = (
    "{sprint} was saved by {who} at {at} while you were entering it: {saved}. Nothing of yours was saved: check "
    "your entry against theirs, then save again."
)
NOT_STARTED = {Status.DNS, Status.WDR}


class SprintInvalid(ValidationError):
    """Nothing of the sprint was saved; ``messages`` says why, each on its own."""


class SprintChangedMeanwhile(SprintInvalid):
    """Someone else saved the sprint after this entry was opened; ``bibs`` is the order saved now."""

    def __init__(self, message: str, bibs: list[int]) -> None:
        self.bibs = bibs
        super().__init__(message)


def sprint_bibs(race: Race, sprint: int) -> list[int]:
    """The bibs placed in ``sprint``, in order of crossing."""
    placings = SprintPlacing.objects.filter(race=race, sprint=sprint).order_by("place")
    return list(placings.values_list("start__bib", flat=True))


def sprint_placings_record(
    *,
    race: Race,
    sprint: int,
    bibs: Sequence[int],
    by: policy.User | None = None,
    reason: str = "",
    expected: Sequence[int] | None = None,
) -> list[SprintPlacing]:
    """Save ``sprint``'s order of crossing (``bibs``, first first), all or nothing: new, corrected, or cleared with
    an empty order. Places beyond the race's table are kept and score nothing.

    ``expected``: the order the entry was made from; if someone saved the sprint since, the save is refused with
    what they saved (``SprintChangedMeanwhile``). Saving the same order again changes nothing and pushes nothing.
    Raises ``SprintInvalid`` (nothing saved) on any error, with every problem found.
    """
    with publishing() as publication:
        race = Race.objects.select_for_update().get(pk=race.pk)
        refusal = policy.results_change_refusal(race=race, user=by, reason=reason)
        if refusal:
            raise SprintInvalid(refusal)
        starts = {
            start.bib: start
            for start in Start.objects.filter(heat__race=race).select_related("heat", "skater").order_by("heat__number")
        }
        errors = sprint_errors(race, sprint, bibs, starts)
        if errors:
            raise SprintInvalid(errors)
        name = ranking_mass_start.sprint_name(sprint, len(race.sprint_points))
        current = list(
            SprintPlacing.objects.filter(race=race, sprint=sprint).select_related("start__skater").order_by("place")
        )
        if expected is not None and [p.start.bib for p in current] != list(expected):
            raise SprintChangedMeanwhile(_changed_meanwhile(race, name, current), [p.start.bib for p in current])
        old = {placing.start_id: placing.place for placing in current}
        new = {starts[bib].pk: place for place, bib in enumerate(bibs, start=1)}
        changed = [start for start in starts.values() if old.get(start.pk) != new.get(start.pk)]
        if not changed:
            return current
        SprintPlacing.objects.filter(race=race, sprint=sprint).delete()
        now = timezone.now()
        placings = SprintPlacing.objects.bulk_create(
            SprintPlacing(race=race, start=starts[bib], sprint=sprint, place=place, recorded_at=now)
            for place, bib in enumerate(bibs, start=1)
        )
        history = [_history_row(start, sprint, old.get(start.pk), new.get(start.pk), by, reason) for start in changed]
        race_status_follow_results(race, by=by)
        kind = RESULTS if all(row.kind == ResultChange.Kind.ENTERED for row in history) else CORRECTION
        heat = changed[0].heat.number
        change = {**change_of(kind, heat=heat, bibs=[start.bib for start in changed]), "sprint": sprint}
        publication.race(race, change=change, then=history_keep(history, log=f"{name} of {race}: {kind}"))
    return placings


def sprint_errors(race: Race, sprint: int, bibs: Sequence[int], starts: dict[int, Start]) -> list[str]:
    """Everything wrong with an order of crossing for ``sprint`` of ``race``: the sprint, and every bib."""
    if race.format != Race.Format.MASS_START:
        return [ERROR_NOT_MASS_START.format(race=race)]
    count = len(race.sprint_points)
    if not 1 <= sprint <= count:
        return [ERROR_SPRINT_BEYOND_TABLE.format(race=race, count=count, sprint=sprint)]
    name = ranking_mass_start.sprint_name(sprint, count)
    errors: list[str] = []
    first_place: dict[int, int] = {}
    for place, bib in enumerate(bibs, start=1):
        start = starts.get(bib)
        if start is None:
            errors.append(ERROR_BIB_NOT_IN_RACE.format(bib=bib, race=race))
            continue
        about = {"bib": bib, "skater": start.skater.name, "sprint": name}
        if bib in first_place:
            errors.append(ERROR_BIB_TWICE.format(**about, first=first_place[bib], second=place))
        elif start.status in NOT_STARTED:
            errors.append(ERROR_DID_NOT_START.format(**about, status=start.status))
        first_place.setdefault(bib, place)
    return errors


def _history_row(
    start: Start, sprint: int, old: int | None, new: int | None, by: policy.User | None, reason: str
) -> ResultChange:
    unchanged = (start.status, start.time_ms, start.infraction)
    row = history_row(start.heat, start, unchanged, unchanged, by=by, reason=reason)
    kinds = ResultChange.Kind
    row.kind = kinds.ENTERED if old is None else kinds.CLEARED if new is None else kinds.CORRECTED
    # The result fields say nothing about a sprint: blank, so the history reads the place (history.change_text).
    row.old_status = row.new_status = row.old_infraction = row.new_infraction = ""
    row.old_time_ms = row.new_time_ms = None
    row.sprint, row.old_place, row.new_place = sprint, old, new
    return row


def _changed_meanwhile(race: Race, name: str, current: list[SprintPlacing]) -> str:
    last = ResultChange.objects.filter(race=race, sprint__isnull=False).select_related("by").first()
    who = (last.by.get_username() if last.by else "the timing system") if last else "someone"
    at = timezone.localtime(last.at).strftime("%H:%M:%S") if last else "?"
    saved = " ".join(str(placing.start.bib) for placing in current) or "no one placed"
    return ERROR_SPRINT_CHANGED.format(sprint=name, who=who, at=at, saved=saved)


def sprint_placings_clear_all(*, race: Race, by: policy.User | None = None, reason: str = "") -> None:
    """Take every sprint of ``race`` back (rehearsals, the demo loop), each place kept in the history."""
    for sprint in SprintPlacing.objects.filter(race=race).values_list("sprint", flat=True).distinct():
        sprint_placings_record(race=race, sprint=sprint, bibs=[], by=by, reason=reason)
