"""A start list imported into a race: the draw replaced, all or nothing, before the race's first result."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

from django.core.exceptions import ValidationError

from results import policy
from results.files import skater_matching
from results.files.startlist_preview import (
    CHANGE_ADDED,
    CHANGE_UNCHANGED,
    CHANGE_UPDATED,
    StartListSummary,
    import_refusal,
    race_draw,
    skaters_match,
    start_change,
)
from results.files.startlists import ERROR_EMPTY, ERROR_LINE, DrawEntry
from results.models import Heat, Race, Start
from results.services.lineup import team_members_set
from results.services.publishing import START_LIST, change_of, publishing, race_publish
from results.services.skaters import skater_saved

logger = logging.getLogger(__name__)

ADD_START = "results.add_start"
ERROR_NOT_ALLOWED = "Only timing officials and referees can import start lists."


def start_list_import(*, race: Race, entries: Sequence[DrawEntry], by: policy.User | None) -> StartListSummary:
    """Replace ``race``'s draw with ``entries``, all or nothing, and publish it once.

    Skaters already in the draw keep their start (its heat, lane and bib are updated); skaters not in ``entries``
    are taken out, and heats left empty go. Allowed only before the race's first result. ``by`` ``None`` is the
    system (a command).
    """
    if by is not None and not policy.may(by, ADD_START):
        raise ValidationError(ERROR_NOT_ALLOWED)
    if not entries:
        raise ValidationError(ERROR_EMPTY)
    with publishing():
        race = Race.objects.select_for_update().get(pk=race.pk)
        refusal = import_refusal(race)
        if refusal:
            raise ValidationError(refusal)
        matches = skaters_match(entries)
        skater_matching.match_errors_raise(entries, matches)

        draw = race_draw(race)
        skaters = [
            skater_saved(entry, match.skater, is_team=bool(entry.members))
            for entry, match in zip(entries, matches, strict=True)
        ]
        kept = {skater.pk for skater in skaters}
        removed = [start for skater_id, start in draw.items() if skater_id not in kept]
        for start in removed:
            start.delete()
        heats = {heat.number: heat for heat in race.heats.all()}
        changes: Counter[str] = Counter()
        saved: list[tuple[DrawEntry, Start]] = []
        for entry, skater in zip(entries, skaters, strict=True):
            old = draw.get(skater.pk)
            change = start_change(old, entry)
            changes[change if change in (CHANGE_ADDED, CHANGE_UNCHANGED) else CHANGE_UPDATED] += 1
            start = old or Start(skater=skater)
            start.heat, start.bib, start.lane = _heat_for(race, heats, entry.heat), entry.bib, entry.lane
            if change != CHANGE_UNCHANGED:
                start.save()
            saved.append((entry, start))
        race.heats.filter(starts__isnull=True).delete()
        # Validated once the whole draw is in place: row by row, two skaters swapping bibs, or a skater moving into
        # a full heat before another leaves it, would collide halfway. Any error rolls the whole import back.
        for entry, start in saved:
            try:
                start.full_clean()
            except ValidationError as error:
                raise ValidationError(ERROR_LINE.format(line=entry.line, message="; ".join(error.messages))) from error
        _teams_set(race, saved)
        race_publish(race=race, change=change_of(START_LIST))

    summary = StartListSummary(
        added=changes[CHANGE_ADDED],
        updated=changes[CHANGE_UPDATED],
        removed=len(removed),
        unchanged=changes[CHANGE_UNCHANGED],
        new_skaters=sum(match.skater is None for match in matches),
    )
    logger.info("start list of %s imported by %s: %s", race, by or "system", summary)
    return summary


def _teams_set(race: Race, saved: Sequence[tuple[DrawEntry, Start]]) -> None:
    """Each team's skaters, set once every team is in place, so that a skater may move from one team to another."""
    if not any(entry.members for entry, _start in saved):
        return
    Start.members.through.objects.filter(start__heat__race=race).delete()
    for entry, start in saved:
        try:
            team_members_set(start=start, names=entry.members)
        except ValidationError as error:
            raise ValidationError(ERROR_LINE.format(line=entry.line, message="; ".join(error.messages))) from error


def _heat_for(race: Race, heats: dict[int, Heat], number: int) -> Heat:
    heat = heats.get(number)
    if heat is None:
        heat = Heat(race=race, number=number)
        heat.full_clean()
        heat.save()
        heats[number] = heat
    elif heat.is_reskate:
        # A draw has no re-skates: a pair number the file uses is an ordinary pair.
        heat.is_reskate = False
        heat.save(update_fields=["is_reskate"])
    return heat
