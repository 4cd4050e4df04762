"""Skaters as files and entries name them: found, or added, so a skater is the same person in every race."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from results.files.bests import ERROR_LINE
from results.files.skater_matching import FileSkater
from results.models import Skater


def skater_get_or_create(*, name: str, nation: str, is_team: bool = False) -> Skater:
    """Skaters are the same person across races when name and nation match (a team likewise)."""
    skater = Skater.objects.filter(name=name, nation=nation).first()
    if skater:
        return skater
    skater = Skater(name=name, nation=nation, is_team=is_team)
    skater.full_clean()
    skater.save()
    return skater


def skater_saved(entry: FileSkater, skater: Skater | None, *, is_team: bool = False) -> Skater:
    """The matched ``skater`` (given the line's external id if it had none), or a new one as the line names them (a
    team if ``is_team``); saved where it is new or changed, or a ``ValidationError`` naming the line."""
    if skater is None:
        skater = Skater(name=entry.name, nation=entry.nation, external_id=entry.external_id, is_team=is_team)
    elif entry.external_id and not skater.external_id:
        skater.external_id = entry.external_id
    else:
        return skater
    try:
        skater.full_clean()
    except ValidationError as error:
        raise ValidationError(ERROR_LINE.format(line=entry.line, message="; ".join(error.messages))) from error
    skater.save()
    return skater
