"""Classifications (sprint, allround championships): set up over a competition's races, checked against their kind,
published on every change (``publishing.classification_publish``; a race's own publication republishes the
classifications it counts for), and deleted with their snapshot."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from results.models import Classification, ClassificationRace, Competition, Race, Snapshot
from results.rules import classification as rules
from results.services.publishing import classification_publish
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


def classification_create(
    *, competition: Competition, name: str, gender: str, kind: str, races: Sequence[Race] = ()
) -> Classification:
    """A classification over ``races`` (in the order they are skated), published at once."""
    classification = Classification(competition=competition, name=name, gender=gender, kind=kind)
    classification.full_clean()
    with transaction.atomic():
        classification.save()
        classification_races_set(classification=classification, races=races)
    return classification


def classification_races_set(*, classification: Classification, races: Sequence[Race]) -> Classification:
    """Replace the classification's distances by ``races``, in the order they are skated, and republish."""
    legs = list(enumerate(races, start=1))
    errors = classification_legs_errors(classification=classification, legs=legs)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        classification.legs.all().delete()
        ClassificationRace.objects.bulk_create(
            ClassificationRace(classification=classification, race=race, position=position) for position, race in legs
        )
        classification_publish(classification_id=classification.pk)
    return classification


def classification_delete(*, classification: Classification) -> None:
    """Delete a classification and its published board: its page, JSON and socket then answer "not found"."""
    with transaction.atomic():
        Snapshot.objects.filter(topic=classification_topic(classification.pk)).delete()
        classification.delete()
