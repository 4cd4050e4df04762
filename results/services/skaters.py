"""Skaters: found or added as files and entries name them, so a skater is the same person in every race; their
name and nation corrected (kept in the history of every race with results they skate in)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q

from results import policy
from results.files.bests import ERROR_LINE
from results.files.skater_matching import FileSkater
from results.models import Race, Skater, Start
from results.services.edits import (
    Edit,
    EditRefused,
    edits_refusal,
    field_edits,
    races_edited,
)
from results.services.publishing import publishing


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


# --- a skater's name, nation, team -------------------------------------------------------------------------------

ERROR_SKATER_SKATES = "{skater} is in the draw of {races}: take them out of those races first."
STANDINGS_FIELDS = {"name": "name", "nation": "nation", "is_team": "a team"}


def _skater_races(skater: Skater) -> list[Race]:
    """The races the skater skates in, or for (a team's skaters), whose boards name them."""
    if not skater.pk:
        return []
    found = Race.objects.filter(Q(heats__starts__skater=skater) | Q(heats__starts__members=skater))
    return list(found.distinct().order_by("pk"))


def _skater_edits(skater: Skater, races: list[Race]) -> dict[int, list[Edit]]:
    before = Skater.objects.filter(pk=skater.pk).first() if skater.pk else None
    if before is None:
        return {}
    edits: dict[int, list[Edit]] = {}
    starts = Start.objects.filter(Q(skater=skater) | Q(members=skater), heat__race__in=races).select_related("heat")
    for start in starts.distinct():
        race_id, heat = start.heat.race_id, start.heat.number
        where = f"pair {heat}, bib {start.bib} {before.name}: skater's "
        edits.setdefault(race_id, []).extend(
            field_edits(before, skater, STANDINGS_FIELDS, heat=heat, bib=start.bib, subject_prefix=where)
        )
    return edits


def skater_change_refusal(*, skater: Skater, by: policy.User | None, reason: str = "") -> str | None:
    """Why ``by`` may not save ``skater`` as they are now, or ``None``. Reads only."""
    races = _skater_races(skater)
    edits = _skater_edits(skater, races)
    return edits_refusal(races=[race for race in races if edits.get(race.pk)], by=by, reason=reason)


def skater_save(*, skater: Skater, by: policy.User | None, reason: str = "") -> Skater:
    """Add a skater, or correct their name or nation: every race they skate in is republished, and where it has
    results the change is kept in its history (``results.services.edits``)."""
    with publishing() as publication:
        races = _skater_races(skater)
        races_edited(publication, races=races, edits=_skater_edits(skater, races), by=by, reason=reason)
        skater.full_clean()
        skater.save()
    return skater


def skater_delete(*, skater: Skater, by: policy.User | None) -> None:
    """Delete a skater who skates in no race (one added by mistake)."""
    races = _skater_races(skater)
    if races:
        raise EditRefused(ERROR_SKATER_SKATES.format(skater=skater, races=", ".join(map(str, races))))
    skater.delete()
