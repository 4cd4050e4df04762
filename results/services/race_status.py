"""A race's status: START_LIST -> LIVE -> UNOFFICIAL follow the results; OFFICIAL and PROTESTED ("under review")
are the referee's. Every change is recorded and pushed like a result."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from results import policy, selectors
from results.models import Passage, Race, RaceStatusChange, Start, Status
from results.services import bests, records
from results.services.publishing import STATUS, change_of, publishing, race_publish

State = Race.State

ERROR_TRANSITION = "A race that is {old} cannot become {new}."
ERROR_PENDING = "{race} cannot be made official: pair {heats} still has no result."
ERROR_REASON = "Give a reason to {action} {race}; it is kept in the race's history."


@dataclass(frozen=True)
class Transition:
    action: str
    reason_required: bool


# What a referee may do, from which status.
REFEREE_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (State.UNOFFICIAL, State.OFFICIAL): Transition("confirm", reason_required=False),
    (State.PROTESTED, State.OFFICIAL): Transition("confirm", reason_required=False),
    (State.UNOFFICIAL, State.PROTESTED): Transition("put under review", reason_required=True),
    (State.OFFICIAL, State.PROTESTED): Transition("put under review", reason_required=True),
    (State.PROTESTED, State.UNOFFICIAL): Transition("end the review of", reason_required=False),
    (State.OFFICIAL, State.UNOFFICIAL): Transition("reopen", reason_required=True),
}


def race_status_choices(race: Race) -> list[tuple[str, Transition]]:
    """The statuses a referee can move ``race`` to now, with what that is called."""
    return [(new, transition) for (old, new), transition in REFEREE_TRANSITIONS.items() if old == race.status]


def race_status_set(*, race: Race, status: str, by: policy.User | None, reason: str = "") -> Race:
    """A referee confirms (OFFICIAL), protests (PROTESTED) or reopens (UNOFFICIAL) a race.

    The race is ranked once: records and bests set in it are read off the same standings its board shows."""
    with publishing():
        race = Race.objects.select_for_update().select_related("competition__venue").get(pk=race.pk)
        transition = REFEREE_TRANSITIONS.get((race.status, status))
        if transition is None:
            old, new = race.get_status_display(), State(status).label if status in State.values else status
            raise ValidationError(ERROR_TRANSITION.format(old=old.lower(), new=str(new).lower()))
        if not policy.may(by, policy.REFEREE):
            raise ValidationError(policy.ERROR_NOT_REFEREE)
        if transition.reason_required and not reason.strip():
            raise ValidationError(ERROR_REASON.format(action=transition.action, race=race))
        pending = sorted(
            set(Start.objects.filter(heat__race=race, status=Status.PENDING).values_list("heat__number", flat=True))
        )
        if status == State.OFFICIAL and pending:
            raise ValidationError(ERROR_PENDING.format(race=race, heats=", ".join(map(str, pending))))
        was_official = race.status == State.OFFICIAL
        _status_change(race, status, by=by, reason=reason)
        standings = selectors.race_standings(race)
        # Records and bests set in the race stand for later races once it is official, and no longer once it is not.
        if status == State.OFFICIAL:
            records.records_set_by_race(race=race, standings=standings)
            bests.bests_set_by_race(race=race, standings=standings)
        elif was_official:
            records.records_withdraw(race=race)
            bests.bests_withdraw(race=race)
        race_publish(race=race, change=change_of(STATUS), standings=standings)
    return race


def race_status_follow_results(race: Race, *, by: policy.User | None) -> None:
    """START_LIST with no result (and nobody timed at a passage yet), LIVE while a pair is still to come,
    UNOFFICIAL once every pair is in. An official race or one under review keeps its status: only a referee
    changes it."""
    if race.status in policy.REFEREE_ONLY:
        return
    starts = Start.objects.filter(heat__race=race)
    on_ice = Passage.objects.filter(start__heat__race=race).exists()
    # A mass start is live from its first sprint.
    sprinted = race.sprint_placings.exists()
    if not starts.exclude(status=Status.PENDING).exists() and not on_ice and not sprinted:
        status = State.START_LIST
    elif starts.filter(status=Status.PENDING).exists():
        status = State.LIVE
    else:
        status = State.UNOFFICIAL
    if status != race.status:
        _status_change(race, status, by=by, reason="")


def _status_change(race: Race, status: str, *, by: policy.User | None, reason: str) -> None:
    RaceStatusChange.objects.create(
        race=race,
        old_status=race.status,
        new_status=status,
        reason=reason.strip(),
        by=policy.recorded_as(by),
    )
    race.status = status
    race.save(update_fields=["status"])
