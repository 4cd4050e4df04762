"""Changes to what a race's standings are computed from, other than its results and its status: its settings, its
lineup, its skaters' names, the records and bests it is measured against (docs/officials.md, "The official record").

Every such change goes through one of the services that use this module. Before writing, ``edits_refusal`` says
whether the user may change those races now (the same policy as for results: while a race is official or under
review, only a referee, with a reason). After writing, ``edits_publish`` republishes each race once, marked as a
correction of the skaters concerned, and keeps one history row per change (who, when, what, from what to what,
why) with the version that published it. A race still at its start list has no standings yet: its draw is
republished, and Django's own log keeps who changed it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model

from results import policy
from results.models import Classification, Race, StandingsEdit, Start, Status
from results.services.publishing import (
    CORRECTION,
    EDIT,
    START_LIST,
    AfterPublished,
    Publication,
    Published,
    change_of,
)

State = Race.State
# The longest old or new value a history row keeps (a points table can be long).
TEXT_KEPT = StandingsEdit._meta.get_field("old").max_length or 500
NOTHING = "—"


@dataclass(frozen=True)
class Edit:
    """One change as officials read it: ``subject`` went from ``old`` to ``new``; ``bib`` and ``heat`` name the skater
    and the pair it concerns, if it concerns one (else every skater of the race)."""

    subject: str
    old: str
    new: str
    heat: int | None = None
    bib: int | None = None


class EditRefused(ValidationError):
    """The change was not made: ``message`` says why in one sentence."""

    def __init__(self, message: str) -> None:
        self.message_text = message
        super().__init__(message)


def text_of(value: Any) -> str:
    """A value as the history shows it: a dash for nothing, ``yes``/``no``, lists as written."""
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def field_edits(
    before: Model | None,
    after: Model,
    fields: Mapping[str, str],
    *,
    shown: Callable[[str, Any], str] | None = None,
    heat: int | None = None,
    bib: int | None = None,
    subject_prefix: str = "",
) -> list[Edit]:
    """The fields (``{name: label}``) whose values differ between ``before`` (``None``: a new row) and ``after``,
    shown by ``shown(name, value)`` (default ``text_of``)."""
    show = shown or (lambda _name, value: text_of(value))
    edits = []
    for name, label in fields.items():
        old = getattr(before, name) if before is not None else None
        new = getattr(after, name)
        if old != new:
            edits.append(Edit(f"{subject_prefix}{label}", show(name, old), show(name, new), heat=heat, bib=bib))
    return edits


def has_standings(race: Race) -> bool:
    """A race past its start list: it has results (or passages), and a board that ranks them."""
    return race.status != State.START_LIST


def edits_refusal(*, races: Iterable[Race], by: policy.User | None, reason: str) -> str | None:
    """Why ``by`` may not change what these races' standings are computed from now, or ``None``: the results
    policy (``policy.results_change_refusal``) of every race that has standings."""
    for race in races:
        if has_standings(race):
            refusal = policy.results_change_refusal(race=race, user=by, reason=reason)
            if refusal:
                return refusal
    return None


def edits_allowed(*, races: Iterable[Race], by: policy.User | None, reason: str) -> None:
    """Raise ``EditRefused`` when ``edits_refusal`` has a refusal."""
    refusal = edits_refusal(races=races, by=by, reason=reason)
    if refusal:
        raise EditRefused(refusal)


def races_locked(race_ids: Iterable[int | None]) -> list[Race]:
    """The races, locked in id order (the order every writer locks races in), with what their boards show."""
    ids = sorted({race_id for race_id in race_ids if race_id})
    return list(Race.objects.select_for_update().select_related("competition__venue").filter(pk__in=ids).order_by("pk"))


def edits_publish(
    publication: Publication,
    *,
    race: Race,
    edits: Sequence[Edit],
    by: policy.User | None,
    reason: str,
    standings: list[dict[str, Any]] | None = None,
    kind: str = CORRECTION,
) -> None:
    """Republish ``race`` with what changed. Past its start list: a correction (or another ``kind`` of change, such
    as a re-skate pair added to the draw) of the skaters the edits name, or of every ranked skater for a change
    that concerns them all (an edit without a bib), kept in the history with the version that published it. At its
    start list: the new draw, nothing to keep. ``standings``: the race's rows as just ranked, if they were."""
    if not edits:
        publication.race(race, change=change_of(EDIT))
        return
    if not has_standings(race):
        heats = {edit.heat for edit in edits}
        heat = heats.pop() if len(heats) == 1 else None
        publication.race(race, change=change_of(START_LIST, heat=heat, bibs=[e.bib for e in edits if e.bib]))
        return
    named = [edit.bib for edit in edits if edit.bib is not None]
    every = any(edit.bib is None for edit in edits)
    heats = {edit.heat for edit in edits}
    heat = heats.pop() if len(heats) == 1 else None
    if kind == CORRECTION and not every and not _any_ranked(race, named):
        kind = START_LIST  # only skaters still to skate: the draw changed, no result shown did
    change = change_of(kind, heat=heat, bibs=[*named, *(ranked_bibs(race) if every else ())])
    rows = [_history_row(edit, by=by, reason=reason, race=race) for edit in edits]
    publication.race(race, change=change, standings=standings, then=_keep(rows))


def races_edited(
    publication: Publication,
    *,
    races: Iterable[Race],
    edits: Mapping[int, Sequence[Edit]],
    by: policy.User | None,
    reason: str,
) -> list[Race]:
    """The races a change concerns, locked (``races_locked``), once ``by`` may make their ``edits`` (by race id) now;
    each is republished with its edits (``edits_publish``). Raises ``EditRefused``."""
    locked = races_locked(race.pk for race in races)
    edits_allowed(races=[race for race in locked if edits.get(race.pk)], by=by, reason=reason)
    for race in locked:
        edits_publish(publication, race=race, edits=edits.get(race.pk, ()), by=by, reason=reason)
    return locked


def ranked_bibs(race: Race) -> list[int]:
    """The bibs of the race's skaters who have a result (the rows of its standings)."""
    return list(Start.objects.filter(heat__race=race).exclude(status=Status.PENDING).values_list("bib", flat=True))


def _any_ranked(race: Race, bibs: Sequence[int]) -> bool:
    """Has any of ``bibs`` a row in the race's standings: a result, or a withdrawal before the draw (WDR)?"""
    results = Start.objects.filter(heat__race=race, bib__in=bibs).exclude(status=Status.PENDING)
    return results.exists() or race.withdrawals.filter(bib__in=bibs).exists()


def classification_edits_keep(
    publication: Publication,
    *,
    classification: Classification,
    edits: Sequence[Edit],
    by: policy.User | None,
    reason: str,
) -> None:
    """Republish a classification whose distances changed and keep what changed in its history."""
    publication.classification(classification.pk)
    rows = [_history_row(edit, by=by, reason=reason, classification=classification) for edit in edits]
    if rows:
        publication.after_classification(classification.pk, _keep(rows))


def _history_row(
    edit: Edit,
    *,
    by: policy.User | None,
    reason: str,
    race: Race | None = None,
    classification: Classification | None = None,
) -> StandingsEdit:
    return StandingsEdit(
        race=race,
        classification=classification,
        subject=edit.subject[:200],
        old=edit.old[:TEXT_KEPT],
        new=edit.new[:TEXT_KEPT],
        heat_number=edit.heat,
        bib=edit.bib,
        reason=reason.strip(),
        by=policy.recorded_as(by),
    )


def _keep(rows: Sequence[StandingsEdit]) -> AfterPublished:
    def keep(published: Published) -> None:
        for row in rows:
            row.version = published.version
        StandingsEdit.objects.bulk_create(rows)

    return keep
