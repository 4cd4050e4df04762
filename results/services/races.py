"""Races: created in a competition's programme, their settings changed (as ``results.services.edits`` says once a
race has results), deleted before their first result, and taken back to their start list for a rehearsal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max

from results import policy
from results.models import Competition, Passage, Race, StandingsEdit
from results.rules import ranking_mass_start
from results.services.edits import Edit, EditRefused, edits_allowed, edits_publish, edits_refusal, races_locked
from results.services.heat_results import heat_results_clear
from results.services.mass_start import sprint_placings_clear_all
from results.services.publishing import START_LIST, change_of, publishing, race_publish
from results.services.series import series_boards_mark

ERROR_CLEAR_OFFICIAL = "{race} is official: its results cannot be cleared."
ERROR_DELETE_WITH_RESULTS = (
    "{race} has results (or its history has rows): it cannot be deleted, so that its record is kept. Clear its "
    "results first if it was a rehearsal."
)

# What a race's standings are computed from (``edits``), with the names officials read in its history; its title
# and place in the programme only change what its board is called.
STANDINGS_FIELDS = {
    "competition": "competition",
    "gender": "gender",
    "distance": "distance",
    "day": "day",
    "format": "format",
    "points_table": "points table",
    "sprint_points": "sprint points table",
}


def race_defaults_apply(race: Race) -> None:
    """A mass start without a sprint table gets the current one (2025-26's); it stays editable."""
    if race.format == Race.Format.MASS_START and not race.sprint_points:
        race.sprint_points = [list(points) for points in ranking_mass_start.DEFAULT_SPRINT_POINTS]


def race_create(
    *,
    competition: Competition,
    title: str,
    gender: str,
    distance: int,
    day: date | None = None,
    points_table: Sequence[int] = (),
    order: int | None = None,
    race_format: str = Race.Format.INDIVIDUAL,
    sprint_points: Sequence[Sequence[int]] = (),
    scheduled_start: datetime | None = None,
) -> Race:
    """Create a race in the competition's programme (last, unless ``order`` says otherwise) and publish it. A mass
    start gets the current sprint points table unless ``sprint_points`` gives another."""
    race = Race(
        competition=competition,
        title=title,
        gender=gender,
        distance=distance,
        day=day or competition.starts_on,
        points_table=list(points_table),
        order=order or 0,
        format=race_format,
        sprint_points=[list(points) for points in sprint_points],
        scheduled_start=scheduled_start,
    )
    return race_save(race=race, by=None)


def _shown(name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name in ("points_table", "sprint_points"):
        return json.dumps(value)
    if name == "distance":
        return f"{value} m"
    if name == "format":
        return str(Race.Format(value).label)
    return str(value)


def race_edits(race: Race) -> list[Edit]:
    """What changes in what ``race``'s standings are computed from, against the race as saved (none for a new
    race)."""
    if not race.pk:
        return []
    before = Race.objects.filter(pk=race.pk).first()
    edits = []
    for name, label in STANDINGS_FIELDS.items():
        old, new = getattr(before, name), getattr(race, name)
        if old != new:
            edits.append(Edit(label, _shown(name, old), _shown(name, new)))
    return edits


def race_change_refusal(*, race: Race, by: policy.User | None, reason: str = "") -> str | None:
    """Why ``by`` may not save ``race``'s settings as they are now, or ``None``. Reads only."""
    if not race.pk or not race_edits(race):
        return None
    saved = Race.objects.get(pk=race.pk)
    return edits_refusal(races=[saved], by=by, reason=reason)


def race_save(*, race: Race, by: policy.User | None, reason: str = "") -> Race:
    """Create a race, or change its settings, and publish it. Once the race has results, a change to what its
    standings are computed from is refused or kept as ``results.services.edits`` says. The status is not a
    setting: it follows the results, and a referee changes it (``race_status_set``)."""
    with publishing() as publication:
        race_defaults_apply(race)
        if not race.order:
            race.order = (
                Race.objects.filter(competition=race.competition_id).aggregate(last=Max("order"))["last"] or 0
            ) + 1
        if not race.pk:
            race.status = Race.State.START_LIST
            race.full_clean()
            race.save()
            publication.race(race, change=change_of(START_LIST))
            return race
        saved = races_locked([race.pk])[0]
        edits = race_edits(race)
        if edits:
            edits_allowed(races=[saved], by=by, reason=reason)
        race.status = saved.status
        race.full_clean()
        race.save()
        edits_publish(publication, race=race, edits=edits, by=by, reason=reason)
        # Another distance, gender or competition: the standings it counted for lose it.
        series_boards_mark(publication, races=[saved])
    return race


def race_delete(*, race: Race, by: policy.User | None) -> None:
    """Delete a race that has no result and no history (a race entered by mistake, a rehearsal cleared); the
    classifications it counted for are republished without it."""
    with publishing() as publication:
        race = races_locked([race.pk])[0]
        has_history = StandingsEdit.objects.filter(race=race).exists() or race.result_changes.exists()
        if race.heats.filter(starts__status__gt="").exists() or has_history:
            raise EditRefused(ERROR_DELETE_WITH_RESULTS.format(race=race))
        for classification_id in race.classification_legs.values_list("classification_id", flat=True):
            publication.classification(classification_id)
        series_boards_mark(publication, races=[race])
        race.delete()


def race_results_clear(*, race: Race, by: policy.User | None = None, reason: str = "") -> Race:
    """Take a race back to its start list, pair by pair, each result kept in the history (rehearsals, the demo
    loop); the timing system's passages go too. An official race is refused. Spectators see it in one version."""
    if race.status == Race.State.OFFICIAL:
        raise ValidationError(ERROR_CLEAR_OFFICIAL.format(race=race))
    with publishing():
        passages_removed, _ = Passage.objects.filter(start__heat__race=race).delete()
        sprint_placings_clear_all(race=race, by=by, reason=reason)
        heats = race.heats.filter(starts__status__gt="").distinct().order_by("number")
        for heat in heats:
            heat_results_clear(heat=heat, by=by, reason=reason)
        if passages_removed and not heats:  # skaters were on the ice, none finished: nobody is on the ice now
            race_publish(race=race)
    race.refresh_from_db()
    return race
