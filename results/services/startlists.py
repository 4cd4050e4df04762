"""A start list imported into a race: the draw replaced, all or nothing, before the race's first result."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db.models import Model

from results import policy
from results.files import skater_matching
from results.files.skater_matching import SkaterMatch
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
from results.files.startlists import ERROR_EMPTY, ERROR_LINE, DrawEntry, draw_errors
from results.models import Heat, Race, Skater, Start, Withdrawal
from results.services.lineup import team_members_set
from results.services.publishing import START_LIST, change_of, publishing

logger = logging.getLogger(__name__)

ADD_START = "results.add_start"
ERROR_NOT_ALLOWED = "Only timing officials and referees can import start lists."


def start_list_import(*, race: Race, entries: Sequence[DrawEntry], by: policy.User | None) -> StartListSummary:
    """Replace ``race``'s draw with ``entries``, all or nothing, and publish it once.

    Skaters already in the draw keep their start (its heat, lane and bib are updated); skaters not in ``entries``
    are taken out, and heats left empty go. Entries without a heat withdrew before the draw: they replace the race's
    withdrawals (a skater drawn before loses their start). Allowed only before the race's first result. ``by``
    ``None`` is the system (a command).

    Linear in the draw, and brief on the database: everything is checked in memory and every skater found before
    the write transaction opens; inside it, a handful of bulk writes (a 1,000-line draw holds SQLite's write lock
    for well under a second, docs/performance.md).
    """
    if by is not None and not policy.may(by, ADD_START):
        raise ValidationError(ERROR_NOT_ALLOWED)
    if not entries:
        raise ValidationError(ERROR_EMPTY)
    problems = draw_errors(entries, race_format=race.format)
    if problems:
        raise ValidationError(problems)
    matches = skaters_match(entries)
    skater_matching.match_errors_raise(entries, matches)
    new_skaters = {
        entry.line: _new_skater(entry) for entry, match in zip(entries, matches, strict=True) if not match.skater
    }

    with publishing() as publication:
        race = Race.objects.select_for_update().get(pk=race.pk)
        refusal = import_refusal(race)
        if refusal:
            raise ValidationError(refusal)
        draw = race_draw(race)
        skaters = _skaters_saved(entries, matches, new_skaters)
        kept = {skater.pk for entry, skater in zip(entries, skaters, strict=True) if not entry.withdrawn}
        removed = [start for skater_id, start in draw.items() if skater_id not in kept]
        Start.objects.filter(pk__in=[start.pk for start in removed]).delete()
        withdrawn = _withdrawals_replaced(race, entries, skaters)
        heats = _heats_for(race, {entry.heat for entry in entries if entry.heat is not None})
        changes: Counter[str] = Counter()
        added: list[Start] = []
        moved: list[Start] = []
        saved: list[tuple[DrawEntry, Start]] = []
        for entry, skater in zip(entries, skaters, strict=True):
            if entry.heat is None:
                continue
            old = draw.get(skater.pk)
            change = start_change(old, entry)
            changes[change if change in (CHANGE_ADDED, CHANGE_UNCHANGED) else CHANGE_UPDATED] += 1
            start = old or Start(skater=skater)
            start.heat, start.bib, start.lane = heats[entry.heat], entry.bib, entry.lane
            _fields_checked(entry, start, exclude=["heat", "skater", "members"])
            if old is None:
                added.append(start)
            elif change != CHANGE_UNCHANGED:
                moved.append(start)
            saved.append((entry, start))
        Start.objects.bulk_update(moved, ["heat", "bib", "lane"])
        Start.objects.bulk_create(added)
        race.heats.filter(starts__isnull=True).delete()
        _teams_set(race, saved)
        publication.race(race, change=change_of(START_LIST))

    summary = StartListSummary(
        added=changes[CHANGE_ADDED],
        updated=changes[CHANGE_UPDATED],
        removed=len(removed),
        unchanged=changes[CHANGE_UNCHANGED],
        new_skaters=len(new_skaters),
        withdrawn=withdrawn,
    )
    logger.info("start list of %s imported by %s: %s", race, by or "system", summary)
    return summary


def _withdrawals_replaced(race: Race, entries: Sequence[DrawEntry], skaters: Sequence[Skater]) -> int:
    """The race's withdrawals before the draw, as the file lists them; how many."""
    race.withdrawals.all().delete()
    withdrawals = []
    for entry, skater in zip(entries, skaters, strict=True):
        if entry.withdrawn:
            withdrawal = Withdrawal(race=race, skater=skater, bib=entry.bib)
            _fields_checked(entry, withdrawal, exclude=["race", "skater"])
            withdrawals.append(withdrawal)
    Withdrawal.objects.bulk_create(withdrawals)
    return len(withdrawals)


def _fields_checked(entry: DrawEntry, row: Model, *, exclude: Sequence[str] = ()) -> None:
    """The row's own fields as the model checks them, in memory (its relations are set by this import)."""
    try:
        row.clean_fields(exclude=list(exclude))
    except ValidationError as error:
        raise ValidationError(ERROR_LINE.format(line=entry.line, message="; ".join(error.messages))) from error


def _new_skater(entry: DrawEntry) -> Skater:
    """A skater the system does not know yet, as the line names them (a team if the line lists its skaters)."""
    skater = Skater(name=entry.name, nation=entry.nation, external_id=entry.external_id, is_team=bool(entry.members))
    _fields_checked(entry, skater)
    return skater


def _skaters_saved(
    entries: Sequence[DrawEntry], matches: Sequence[SkaterMatch], new: Mapping[int, Skater]
) -> list[Skater]:
    """Each line's skater: the known ones (given the line's external id where they had none), and the new ones,
    each written with one bulk insert or update."""
    Skater.objects.bulk_create(new.values())
    gaining_ids = []
    skaters = []
    for entry, match in zip(entries, matches, strict=True):
        skater = match.skater or new[entry.line]
        if match.skater is not None and entry.external_id and not skater.external_id:
            skater.external_id = entry.external_id
            gaining_ids.append(skater)
        skaters.append(skater)
    Skater.objects.bulk_update(gaining_ids, ["external_id"])
    return skaters


def _heats_for(race: Race, numbers: set[int]) -> dict[int, Heat]:
    """The race's heats of these numbers: the existing ones (a draw has no re-skates: a pair number the file uses is
    an ordinary pair), and new ones, added with one bulk insert."""
    heats = {heat.number: heat for heat in race.heats.filter(number__in=numbers)}
    reskates = [heat for heat in heats.values() if heat.is_reskate]
    for heat in reskates:
        heat.is_reskate = False
    Heat.objects.bulk_update(reskates, ["is_reskate"])
    missing = [Heat(race=race, number=number) for number in sorted(numbers - set(heats))]
    for heat in missing:
        heat.clean_fields(exclude=["race"])
    heats.update((heat.number, heat) for heat in Heat.objects.bulk_create(missing))
    return heats


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
