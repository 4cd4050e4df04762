"""A race's history as officials read it: every result entered, corrected, cleared or removed, every change to what
its standings are computed from (its settings, its lineup, a skater's name, a record or best), and every status
change, merged into one list, newest first. Read-only (the services write the rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count

from results.models import Race, RaceStatusChange, ResultChange, StandingsEdit
from results.rules.wording import result_text, sprint_place_text

STATUS = "status"  # the kind of a status change row, next to ResultChange.Kind's
EDIT = "edit"  # the kind of a StandingsEdit row
SYSTEM = "system"  # who, when no user made the change (a replay, a timing system)


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    by: str
    kind: str  # ResultChange.Kind value, or STATUS
    kind_label: str
    old: str
    new: str
    reason: str
    heat: int | None = None
    bib: int | None = None
    skater: str = ""
    version: int | None = None


def _who(user: AbstractBaseUser | None) -> str:
    return user.get_username() if user is not None else SYSTEM


def change_text(change: ResultChange, *, old: bool) -> str:
    """The result before (``old``) or after the change: ``1:12.31``, ``DQ T07``; for a mass start's sprint, the
    skater's place in it (``sprint 2: 3rd``)."""
    if change.sprint:
        return sprint_place_text(change.sprint, change.old_place if old else change.new_place)
    if old:
        return result_text(change.old_status, change.old_time_ms, change.old_infraction)
    return result_text(change.new_status, change.new_time_ms, change.new_infraction)


def _result_row(change: ResultChange) -> HistoryRow:
    return HistoryRow(
        at=change.at,
        by=_who(change.by),
        kind=change.kind,
        kind_label=change.get_kind_display(),
        old=change_text(change, old=True),
        new=change_text(change, old=False),
        reason=change.reason,
        heat=change.heat_number,
        bib=change.bib,
        skater=change.skater,
        version=change.version,
    )


def _status_row(change: RaceStatusChange) -> HistoryRow:
    return HistoryRow(
        at=change.at,
        by=_who(change.by),
        kind=STATUS,
        kind_label="Status",
        old=change.get_old_status_display(),
        new=change.get_new_status_display(),
        reason=change.reason,
    )


def _edit_row(edit: StandingsEdit) -> HistoryRow:
    return HistoryRow(
        at=edit.at,
        by=_who(edit.by),
        kind=EDIT,
        kind_label="Change",
        old=edit.old,
        new=edit.new,
        reason=edit.reason,
        heat=edit.heat_number,
        skater=edit.subject,
        version=edit.version,
    )


def race_history(race: Race, *, start_id: int | None = None) -> list[HistoryRow]:
    """Every change to ``race``, newest first; with ``start_id``, only that start's result changes."""
    results = ResultChange.objects.filter(race=race).select_related("by")
    if start_id is not None:
        results = results.filter(start_id=start_id)
        statuses = RaceStatusChange.objects.none()
        edits = StandingsEdit.objects.none()
    else:
        statuses = RaceStatusChange.objects.filter(race=race).select_related("by")
        edits = StandingsEdit.objects.filter(race=race).select_related("by")
    # A save writes its result rows before the status change it causes: on equal times, statuses come first
    # (newest first), then results by id, so the list reads back in the order things happened.
    rows = chain(
        ((change.at, 1, change.pk, _result_row(change)) for change in results),
        ((edit.at, 1, edit.pk, _edit_row(edit)) for edit in edits),
        ((change.at, 2, change.pk, _status_row(change)) for change in statuses),
    )
    return [row for *_key, row in sorted(rows, key=lambda item: item[:3], reverse=True)]


def change_counts(race: Race) -> dict[int, int]:
    """How many history rows each start of ``race`` has (starts without any are left out)."""
    counts = ResultChange.objects.filter(race=race, start__isnull=False).values("start").annotate(total=Count("id"))
    return {row["start"]: row["total"] for row in counts}
