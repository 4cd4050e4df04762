"""The officials' notes about skaters for the commentators (docs/commentators.md): one per skater and competition,
written by timing officials and referees (``results.roles``), read only on the commentator's screen. Nothing is
published: a note never reaches a board, the feed or a spectator."""

from __future__ import annotations

from django.utils import timezone

from results import policy
from results.models import Competition, Skater, SkaterNote
from results.services.edits import EditRefused

ERROR_NOT_ALLOWED = "Only timing officials and referees can write notes for the commentators."
ERROR_EMPTY = "Write the note, or delete it."


def skater_note_refusal(*, note: SkaterNote, by: policy.User | None, deleting: bool = False) -> str | None:
    """Why ``by`` may not save (or delete) ``note``, or ``None``. ``None`` as user is the system (the demo)."""
    if by is None:
        return None
    action = "delete" if deleting else "change" if note.pk else "add"
    return None if policy.may(by, f"results.{action}_skaternote") else ERROR_NOT_ALLOWED


def _refuse(refusal: str | None) -> None:
    if refusal:
        raise EditRefused(refusal)


def skater_note_save(*, note: SkaterNote, by: policy.User | None) -> SkaterNote:
    """Add or change a note; it records who wrote it last, and when."""
    _refuse(skater_note_refusal(note=note, by=by))
    note.text = note.text.strip()
    _refuse(None if note.text else ERROR_EMPTY)
    note.updated_by = policy.recorded_as(by)
    note.updated_at = timezone.now()
    note.full_clean()
    note.save()
    return note


def skater_note_write(*, competition: Competition, skater: Skater, text: str, by: policy.User | None) -> SkaterNote:
    """The note about ``skater`` at ``competition`` set to ``text``: a new one, or the one there changed."""
    note = SkaterNote.objects.filter(competition=competition, skater=skater).first()
    note = note or SkaterNote(competition=competition, skater=skater)
    note.text = text
    return skater_note_save(note=note, by=by)


def skater_note_delete(*, note: SkaterNote, by: policy.User | None) -> None:
    _refuse(skater_note_refusal(note=note, by=by, deleting=True))
    note.delete()
