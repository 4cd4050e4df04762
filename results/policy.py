"""Who may change a race's results, and when (the roles in results/roles.py). One place, used by the services
and by the screens that decide what to offer."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser

from results.models import Race

ENTER_RESULTS = "results.enter_results"
REFEREE = "results.referee_race"
# Official and under-review races are the referee's, and every change to them carries a reason.
REFEREE_ONLY = {Race.State.OFFICIAL, Race.State.PROTESTED}

ERROR_NOT_AN_OFFICIAL = "Only timing officials and referees can enter results."
ERROR_REFEREE_ONLY = "{race} is {status}: only a referee can change its results."
REASON_REQUIRED_TAIL = ": give a reason for this change; it is kept in the race's history."
ERROR_REASON_REQUIRED = "{race} is {status}" + REASON_REQUIRED_TAIL
ERROR_SYSTEM_REFUSED = "{race} is {status}: its results can no longer be changed here."
ERROR_NOT_REFEREE = "Only a referee can confirm, protest or reopen a race."

# Who acts: a logged-in official, or (``None``) the system itself, such as a replay or a timing system.
User = AuthUser | AnonymousUser


def recorded_as(user: User | None) -> AuthUser | None:
    """The user to keep in a history row: a real account, or ``None`` for the system."""
    return user if isinstance(user, AuthUser) else None


def may(user: User | None, permission: str) -> bool:
    return user is not None and user.is_active and user.has_perm(permission)


def results_change_refusal(*, race: Race, user: User | None, reason: str = "") -> str | None:
    """Why ``user`` may not change ``race``'s results now, or ``None``. ``None`` as user is the system (a replay,
    a timing system): it may write until the race is official or under review."""
    status = race.get_status_display().lower()
    if user is None:
        return ERROR_SYSTEM_REFUSED.format(race=race, status=status) if race.status in REFEREE_ONLY else None
    if not may(user, ENTER_RESULTS):
        return ERROR_NOT_AN_OFFICIAL
    if race.status in REFEREE_ONLY:
        if not may(user, REFEREE):
            return ERROR_REFEREE_ONLY.format(race=race, status=status)
        if not reason.strip():
            return ERROR_REASON_REQUIRED.format(race=race, status=status)
    return None


def reason_required(race: Race) -> bool:
    return race.status in REFEREE_ONLY


def is_reason_missing(refusal: str) -> bool:
    """Whether a refusal only asks for the reason (the forms show it on their reason field)."""
    return refusal.endswith(REASON_REQUIRED_TAIL)
