"""Skaters' personal and season bests: imported from a file before the event (``bests_import``; what it would do is
``results.files.bests_preview``), and set in races: a race's new PBs and SBs stand once it is official
and stop standing if it is reopened, like records (``services.records``).

Skaters are matched as in a start list: by external id when the file has one, else by name and nation. A skater
the system does not know yet is added (the start list imported later finds them by the same rule), so a
federation's whole list can be loaded before the draw is known; the preview marks each one "new skater", which is
where a misspelt name shows.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from results import policy
from results.files import skater_matching
from results.files.bests import ERROR_EMPTY, BestsEntry
from results.files.bests_preview import (
    CHANGE_ADDED,
    CHANGE_UNCHANGED,
    CHANGE_UPDATED,
    Best,
    BestsSummary,
    best_change,
    file_bests,
    skaters_match,
)
from results.models import Race, Skater, SkaterBest, Start
from results.rules import ranking
from results.rules.seasons import season_of
from results.rules.times import format_time
from results.services.edits import Edit, edits_refusal, races_edited
from results.services.publishing import publishing, races_publish
from results.services.records import races_measured_against_republish
from results.services.skaters import skater_saved

logger = logging.getLogger(__name__)

IMPORT_PERMISSIONS = ("results.add_skaterbest", "results.change_skaterbest")

ERROR_NOT_ALLOWED = "Only users who may add and change skaters' bests can import them."


def may_import(user: policy.User | None) -> bool:
    return user is not None and user.is_active and user.has_perms(IMPORT_PERMISSIONS)


# --- the services ------------------------------------------------------------------------------------------------


def bests_import(*, entries: Sequence[BestsEntry], by: policy.User | None) -> BestsSummary:
    """Store the file's bests, all or nothing. A best of the same kind and date imported before is updated, never
    added twice; one of a new date is added (the older one stays, for races before it); a blank one is left as it
    is. Races still open in which the skaters skate those distances are republished, since their
    PB and SB flags may change. ``by`` ``None`` is the system (a command)."""
    if by is not None and not may_import(by):
        raise ValidationError(ERROR_NOT_ALLOWED)
    if not entries:
        raise ValidationError(ERROR_EMPTY)
    counts: Counter[str] = Counter()
    with publishing():
        matches = skaters_match(entries)
        skater_matching.match_errors_raise(entries, matches)
        skaters: dict[tuple[str, str], Skater] = {}
        touched: set[tuple[int, int]] = set()
        for entry, match in zip(entries, matches, strict=True):
            skater = skater_saved(entry, match.skater or skaters.get((entry.name, entry.nation)))
            skaters[skater.name, skater.nation] = skater
            for best in file_bests(entry):
                counts[_best_store(skater, entry, best)] += 1
            touched.add((skater.pk, entry.distance))
        races_publish(races=open_races_of(touched))
    summary = BestsSummary(
        added=counts[CHANGE_ADDED],
        updated=counts[CHANGE_UPDATED],
        unchanged=counts[CHANGE_UNCHANGED],
        new_skaters=len({(e.name, e.nation) for e, m in zip(entries, matches, strict=True) if m.skater is None}),
    )
    logger.info("bests imported by %s: %s", by or "system", summary)
    return summary


def _best_store(skater: Skater, entry: BestsEntry, best: Best) -> str:
    change, _text, row = best_change(skater, entry.distance, best)
    if change == CHANGE_UNCHANGED:
        return change
    row = row or SkaterBest(skater=skater, distance=entry.distance, kind=best.kind, season=best.season)
    row.time_ms, row.set_on = best.time_ms, best.set_on
    row.full_clean()
    row.save()
    return change


def open_races_of(skater_distances: set[tuple[int, int]]) -> list[Race]:
    """Races not yet official in which one of these skaters skates one of these distances."""
    starts = Start.objects.filter(
        skater_id__in={skater_id for skater_id, _ in skater_distances},
        heat__race__distance__in={distance for _, distance in skater_distances},
    ).exclude(heat__race__status=Race.State.OFFICIAL)
    race_ids = {
        race_id
        for skater_id, race_id, distance in starts.values_list("skater_id", "heat__race_id", "heat__race__distance")
        if (skater_id, distance) in skater_distances
    }
    return list(Race.objects.filter(pk__in=race_ids).order_by("pk"))


def bests_set_by_race(*, race: Race, standings: Sequence[Mapping[str, Any]]) -> list[SkaterBest]:
    """Each finisher's time flagged PB or SB in ``race`` (its ``standings`` as its board shows them) becomes their
    standing best from the race day (the SB in the race's season)."""
    created = [
        SkaterBest.objects.create(
            skater_id=row["skater"],
            distance=race.distance,
            kind=kind,
            time_ms=row["time_ms"],
            season=season_of(race.day) if kind == ranking.SB else "",
            set_on=race.day,
            set_in_race=race,
        )
        for row in standings
        for kind in (ranking.PB, ranking.SB)
        if kind in row["records"]
    ]
    if created:
        races_measured_against_republish(race)
    return created


def bests_withdraw(*, race: Race) -> None:
    """A reopened race's bests no longer stand."""
    deleted, _ = SkaterBest.objects.filter(set_in_race=race).delete()
    if deleted:
        races_measured_against_republish(race)


# --- bests kept by hand (the admin) ------------------------------------------------------------------------------


def races_measured_against_best(bests: Iterable[SkaterBest | None]) -> list[Race]:
    """The races a best could stand for: the skater's races on its distance, from the day it was set (any day for
    a best without a date; within its season for a season best)."""
    found: dict[int, Race] = {}
    for best in bests:
        if best is None:
            continue
        races = Race.objects.filter(heats__starts__skater=best.skater_id, distance=best.distance).distinct()
        if best.set_on is not None:
            races = races.filter(day__gte=best.set_on)
        if best.set_in_race_id:
            races = races.exclude(pk=best.set_in_race_id)
        for race in races.select_related("competition__venue"):
            if best.kind == SkaterBest.Kind.SB and season_of(race.day) != best.season:
                continue
            found[race.pk] = race
    return [found[pk] for pk in sorted(found)]


def best_text(best: SkaterBest | None) -> str:
    if best is None:
        return "—"
    season = f" ({best.season})" if best.season else ""
    day = f", {best.set_on.isoformat()}" if best.set_on else ""
    return f"{best.kind}{season} {format_time(best.time_ms)}{day}"


def _same_best(before: SkaterBest, after: SkaterBest) -> bool:
    return (before.skater_id, before.distance, best_text(before)) == (after.skater_id, after.distance, best_text(after))


def _best_change(best: SkaterBest | None, before: SkaterBest | None) -> tuple[list[Race], dict[int, list[Edit]]]:
    races = races_measured_against_best([before, best])
    if best is not None and before is not None and _same_best(before, best):
        return races, {}
    shown = best or before
    assert shown is not None
    edits: dict[int, list[Edit]] = {}
    starts = Start.objects.filter(heat__race__in=races, skater=shown.skater_id).select_related("heat", "skater")
    for start in starts:
        subject = f"pair {start.heat.number}, bib {start.bib} {start.skater.name}: {shown.get_kind_display().lower()}"
        edit = Edit(subject, best_text(before), best_text(best), heat=start.heat.number, bib=start.bib)
        edits.setdefault(start.heat.race_id, []).append(edit)
    return races, edits


def best_change_refusal(
    *, best: SkaterBest | None, before: SkaterBest | None = None, by: policy.User | None, reason: str = ""
) -> str | None:
    """Why ``by`` may not save ``best`` (``None``: delete ``before``) now, or ``None``. Reads only."""
    before = before if best is None else SkaterBest.objects.filter(pk=best.pk).first() if best.pk else None
    races, edits = _best_change(best, before)
    return edits_refusal(races=[race for race in races if edits.get(race.pk)], by=by, reason=reason)


def best_save(*, best: SkaterBest, by: policy.User | None, reason: str = "") -> SkaterBest:
    """Add or correct one best by hand; the races it stands for are republished (their PB and SB flags), and
    where one has results the change is kept in its history (``results.services.edits``)."""
    before = SkaterBest.objects.filter(pk=best.pk).first() if best.pk else None
    with publishing() as publication:
        best.full_clean()
        races, edits = _best_change(best, before)
        races_edited(publication, races=races, edits=edits, by=by, reason=reason)
        best.save()
    return best


def best_delete(*, best: SkaterBest, by: policy.User | None, reason: str = "") -> None:
    with publishing() as publication:
        races, edits = _best_change(None, best)
        races_edited(publication, races=races, edits=edits, by=by, reason=reason)
        best.delete()
