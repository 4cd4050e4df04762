"""Classifications (sprint, allround championships): set up over a competition's races, checked against their kind,
published on every change (a race's own publication republishes the classifications it counts for), and deleted
with their snapshot. Once one of its races is official or under review, changing its distances is the referee's,
with a reason kept in its history, as for the races themselves (``results.services.edits``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from results import policy
from results.models import Classification, ClassificationRace, Competition, Race, Snapshot
from results.rules import classification as rules
from results.services.edits import Edit, classification_edits_keep, edits_allowed, edits_refusal, field_edits
from results.services.publishing import publishing
from results.topics import classification_topic

ERROR_OTHER_COMPETITION = "{race} is a race of {competition}, not of {expected}."
ERROR_GENDER = "{race} is a {gender} race; this classification is for {expected}."
ERROR_RACE_TWICE = "{race} is in the classification twice."


def classification_legs_errors(*, classification: Classification, legs: Sequence[tuple[int, Race]]) -> list[str]:
    """Why these ``(position, race)`` cannot be the classification's distances (empty when they can): each race
    of its competition and gender, once, and the distances its kind skates, in order."""
    errors: list[str] = []
    seen: set[int] = set()
    for _position, race in legs:
        if race.competition_id != classification.competition_id:
            errors.append(
                ERROR_OTHER_COMPETITION.format(
                    race=race, competition=race.competition, expected=classification.competition
                )
            )
        if race.gender != classification.gender:
            errors.append(
                ERROR_GENDER.format(
                    race=race,
                    gender=race.get_gender_display().lower(),
                    expected=classification.get_gender_display().lower(),
                )
            )
        if race.pk in seen:
            errors.append(ERROR_RACE_TWICE.format(race=race))
        seen.add(race.pk)
    errors.extend(rules.legs_errors(classification.kind, [(p, race.distance, race.title) for p, race in legs]))
    return errors


STANDINGS_FIELDS = {"gender": "gender", "kind": "kind"}


def classification_create(
    *, competition: Competition, name: str, gender: str, kind: str, races: Sequence[Race] = ()
) -> Classification:
    """A classification over ``races`` (in the order they are skated), published at once."""
    classification = Classification(competition=competition, name=name, gender=gender, kind=kind)
    return classification_save(classification=classification, races=races, by=None)


def classification_races_set(*, classification: Classification, races: Sequence[Race]) -> Classification:
    """Replace the classification's distances by ``races``, in the order they are skated, and republish."""
    return classification_save(classification=classification, races=races, by=None)


def _legs_text(races: Sequence[Race]) -> str:
    return ", ".join(f"{race.distance} m ({race.title})" for race in races) or "—"


def _classification_edits(classification: Classification, races: Sequence[Race]) -> tuple[list[Race], list[Edit]]:
    """The races the change concerns (its distances before and after) and what changes."""
    if not classification.pk:
        return list(races), []
    before = Classification.objects.get(pk=classification.pk)
    before_races = [leg.race for leg in before.legs.select_related("race").order_by("position")]
    edits = field_edits(before, classification, STANDINGS_FIELDS)
    if [race.pk for race in before_races] != [race.pk for race in races]:
        edits.append(Edit("distances", _legs_text(before_races), _legs_text(races)))
    return [*before_races, *races], edits


def classification_change_refusal(
    *, classification: Classification, races: Sequence[Race], by: policy.User | None, reason: str = ""
) -> str | None:
    """Why ``by`` may not save the classification with these distances now, or ``None``. Reads only."""
    concerned, edits = _classification_edits(classification, races)
    return edits_refusal(races=concerned if edits else [], by=by, reason=reason)


def classification_save(
    *, classification: Classification, races: Sequence[Race], by: policy.User | None, reason: str = ""
) -> Classification:
    """Add or change a classification over ``races`` (in the order they are skated), and publish it."""
    legs = list(enumerate(races, start=1))
    errors = classification_legs_errors(classification=classification, legs=legs)
    if errors:
        raise ValidationError(errors)
    with publishing() as publication:
        concerned, edits = _classification_edits(classification, races)
        edits_allowed(races=concerned if edits else [], by=by, reason=reason)
        classification.full_clean()
        classification.save()
        classification.legs.all().delete()
        ClassificationRace.objects.bulk_create(
            ClassificationRace(classification=classification, race=race, position=position) for position, race in legs
        )
        classification_edits_keep(publication, classification=classification, edits=edits, by=by, reason=reason)
    return classification


def classification_delete(*, classification: Classification, by: policy.User | None = None, reason: str = "") -> None:
    """Delete a classification and its published board: its page, JSON and socket then answer "not found"."""
    with transaction.atomic():
        races = [leg.race for leg in classification.legs.select_related("race")]
        edits_allowed(races=races, by=by, reason=reason)
        Snapshot.objects.filter(topic=classification_topic(classification.pk)).delete()
        classification.delete()
