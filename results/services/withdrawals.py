"""Skaters who withdrew from a race before the draw (``Withdrawal``): added, changed and taken out by an official.
Their WDR row is part of the race's standings, so each change goes through ``results.services.edits``: the results
policy (only a referee, with a reason, once the race is official or under review), a history row, the board
republished. A start list import replaces them all (``results.services.startlists``)."""

from __future__ import annotations

from results import policy
from results.models import Withdrawal
from results.services.edits import (
    Edit,
    EditRefused,
    edits_allowed,
    edits_publish,
    edits_refusal,
    races_edited,
    races_locked,
)
from results.services.publishing import publishing

SUBJECT = "withdrew before the draw"
NOTHING = "—"


def withdrawal_text(withdrawal: Withdrawal) -> str:
    """``281 Jutta LEERDAM (NED)``"""
    return f"{withdrawal.bib} {withdrawal.skater}"


def withdrawal_edits(before: Withdrawal | None, after: Withdrawal | None) -> dict[int, list[Edit]]:
    """What changes, by race id, when a withdrawal goes from ``before`` to ``after`` (``None``: added, taken out)."""
    if before is not None and after is not None and before.race_id == after.race_id:
        old, new = withdrawal_text(before), withdrawal_text(after)
        return {after.race_id: [Edit(SUBJECT, old, new, bib=after.bib)]} if old != new else {}
    edits: dict[int, list[Edit]] = {}
    if before is not None:
        edits[before.race_id] = [Edit(SUBJECT, withdrawal_text(before), NOTHING, bib=before.bib)]
    if after is not None:
        edits[after.race_id] = [Edit(SUBJECT, NOTHING, withdrawal_text(after), bib=after.bib)]
    return edits


def _saved(pk: int | None) -> Withdrawal | None:
    return Withdrawal.objects.select_related("race", "skater").filter(pk=pk).first() if pk else None


def withdrawal_change_refusal(*, withdrawal: Withdrawal, by: policy.User | None, reason: str = "") -> str | None:
    """Why ``by`` may not save ``withdrawal`` as it is now (new, or changed), or ``None``. Reads only."""
    before = _saved(withdrawal.pk)
    edits = withdrawal_edits(before, withdrawal)
    races = [withdrawal.race, *([before.race] if before is not None else [])]
    return edits_refusal(races=[race for race in races if edits.get(race.pk)], by=by, reason=reason)


def withdrawal_save(*, withdrawal: Withdrawal, by: policy.User | None, reason: str = "") -> Withdrawal:
    """Add or change a withdrawal before the draw. Raises ``EditRefused`` or ``ValidationError`` (nothing saved)."""
    with publishing() as publication:
        before = _saved(withdrawal.pk)
        races = races_locked([withdrawal.race_id, before.race_id if before is not None else None])
        edits = withdrawal_edits(before, withdrawal)
        edits_allowed(races=[race for race in races if edits.get(race.pk)], by=by, reason=reason)
        withdrawal.full_clean()
        withdrawal.save()
        # Once saved: the board shows the new row as a correction of a race that has standings.
        for race in races:
            edits_publish(publication, race=race, edits=edits.get(race.pk, []), by=by, reason=reason)
    return withdrawal


def withdrawal_remove(*, withdrawal: Withdrawal, by: policy.User | None = None, reason: str = "") -> None:
    """Take a withdrawal out: the skater is no longer listed in the race."""
    with publishing() as publication:
        saved = _saved(withdrawal.pk)
        if saved is None:
            raise EditRefused(f"{withdrawal} is no longer listed.")
        # Before it goes: the board shows the row taken out as a correction of a race that has standings.
        races_edited(publication, races=[saved.race], edits=withdrawal_edits(saved, None), by=by, reason=reason)
        saved.delete()
