"""Skaters' personal and season bests: imported from a file before the event (``bests_preview`` says what the
import would do, ``bests_import`` does it), and set in races: a race's new PBs and SBs stand once it is official
and stop standing if it is reopened, like records (``services.records``).

Skaters are matched as in a start list: by external id when the file has one, else by name and nation. A skater
the system does not know yet is added (the start list imported later finds them by the same rule), so a
federation's whole list can be loaded before the draw is known; the preview marks each one "new skater", which is
where a misspelt name shows.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from results import policy, selectors
from results.files import skater_matching
from results.files.bests import ERROR_EMPTY, ERROR_LINE, BestsEntry, BestsLine, bests_parse, season_of
from results.files.skater_matching import SkaterMatch
from results.models import Race, Skater, SkaterBest, Start
from results.rules import ranking
from results.rules.times import format_time, hundredths
from results.services.publishing import races_publish
from results.services.records import races_measured_against_republish

logger = logging.getLogger(__name__)

IMPORT_PERMISSIONS = ("results.add_skaterbest", "results.change_skaterbest")

ERROR_NOT_ALLOWED = "Only users who may add and change skaters' bests can import them."
ERROR_SAME_SKATER = "line {other} is the same skater ({skater}) on the same distance: one line per skater and distance."

CHANGE_ADDED = "added"
CHANGE_UPDATED = "updated"
CHANGE_UNCHANGED = "unchanged"


def may_import(user: policy.User | None) -> bool:
    return user is not None and user.is_active and user.has_perms(IMPORT_PERMISSIONS)


# --- who is who --------------------------------------------------------------------------------------------------


def skaters_match(entries: Sequence[BestsEntry]) -> list[SkaterMatch]:
    """Each entry's skater (``results.files.skater_matching``); one line per skater and distance."""
    return skater_matching.skaters_match(entries, error_twice=ERROR_SAME_SKATER, once_per=lambda entry: entry.distance)


# --- what the import would change --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Best:
    """A best the file gives: PB, or SB of ``season``."""

    kind: str
    time_ms: int
    set_on: date | None
    season: str

    def label(self) -> str:
        return f"SB {self.season}" if self.kind == ranking.SB else "PB"


def _file_bests(entry: BestsEntry) -> list[_Best]:
    bests = []
    if entry.pb_ms is not None:
        bests.append(_Best(ranking.PB, entry.pb_ms, entry.pb_on, ""))
    if entry.sb_ms is not None:
        bests.append(_Best(ranking.SB, entry.sb_ms, entry.sb_on, entry.season))
    return bests


def _shown(time_ms: int, set_on: date | None) -> str:
    return f"{format_time(time_ms)} ({set_on.isoformat()})" if set_on else format_time(time_ms)


def _imported_row(skater: Skater | None, distance: int, best: _Best) -> SkaterBest | None:
    """The best of the same date as an earlier import left it. Bests are kept as they stood from their date, like
    records: a best of a newer date is a row of its own, and bests set in races are never overwritten."""
    if skater is None:
        return None
    rows = SkaterBest.objects.filter(
        skater=skater,
        distance=distance,
        kind=best.kind,
        season=best.season,
        set_on=best.set_on,
        set_in_race__isnull=True,
    )
    return rows.order_by("id").first()


def _faster_on_file(skater: Skater | None, distance: int, best: _Best, row: SkaterBest | None) -> SkaterBest | None:
    """A best of the same kind already kept that is faster than the file's, which the file does not replace."""
    if skater is None:
        return None
    rows = SkaterBest.objects.filter(skater=skater, distance=distance, kind=best.kind, season=best.season)
    rows = rows.exclude(pk=row.pk) if row else rows
    fastest = rows.order_by("time_ms").first()
    return fastest if fastest and hundredths(fastest.time_ms) < hundredths(best.time_ms) else None


def _change(skater: Skater | None, distance: int, best: _Best) -> tuple[str, str, SkaterBest | None]:
    """(added | updated | unchanged, what an official reads, the row to update): ``PB 38.50 → 38.21 (2025-11-16)``;
    with a warning where a faster best is kept already (a date typed wrong, say, is a best of its own)."""
    row = _imported_row(skater, distance, best)
    new = _shown(best.time_ms, best.set_on)
    if row is None:
        change, text = CHANGE_ADDED, f"{best.label()} {new} added"
    elif row.time_ms == best.time_ms:
        change, text = CHANGE_UNCHANGED, f"{best.label()} {new} unchanged"
    else:
        change, text = CHANGE_UPDATED, f"{best.label()} {format_time(row.time_ms)} → {new}"
    faster = _faster_on_file(skater, distance, best, row)
    if faster is not None and change != CHANGE_UNCHANGED:
        text += f" (faster on file: {_shown(faster.time_ms, faster.set_on)})"
    return change, text, row


@dataclass(frozen=True)
class BestsSummary:
    added: int
    updated: int
    unchanged: int
    new_skaters: int

    def __str__(self) -> str:
        skaters = f"{self.new_skaters} new skater{'' if self.new_skaters == 1 else 's'}"
        return f"{self.added} added, {self.updated} changed, {self.unchanged} unchanged ({skaters})"


@dataclass(frozen=True)
class BestsPreviewLine:
    line: BestsLine
    match: SkaterMatch | None
    changes: tuple[str, ...]

    @property
    def errors(self) -> list[str]:
        return [*self.line.errors, *([self.match.error] if self.match and self.match.error else [])]


@dataclass(frozen=True)
class BestsPreview:
    """What importing a file would do, line by line, before anything is saved."""

    text: str
    lines: list[BestsPreviewLine]
    file_errors: list[str]
    summary: BestsSummary

    @property
    def messages(self) -> list[str]:
        by_line = [ERROR_LINE.format(line=p.line.line, message=error) for p in self.lines for error in p.errors]
        return self.file_errors + by_line

    @property
    def entries(self) -> list[BestsEntry]:
        return [p.line.entry for p in self.lines if p.line.entry is not None]

    @property
    def bad_line_count(self) -> int:
        return sum(1 for p in self.lines if p.errors)


def bests_preview(*, text: str) -> BestsPreview:
    """Read ``text`` and compare it with the bests already imported. Writes nothing."""
    parsed = bests_parse(text)
    entries = parsed.entries
    matches = dict(zip([entry.line for entry in entries], skaters_match(entries), strict=True))
    counts: Counter[str] = Counter()
    lines = []
    for line in parsed.lines:
        match = matches.get(line.line)
        changes: list[str] = []
        if line.entry is not None and match is not None and not match.error:
            for best in _file_bests(line.entry):
                kind, text_shown, _row = _change(match.skater, line.entry.distance, best)
                counts[kind] += 1
                changes.append(text_shown)
        lines.append(BestsPreviewLine(line=line, match=match, changes=tuple(changes)))
    new_skaters = {(e.name, e.nation) for e in entries if (m := matches[e.line]).skater is None and not m.error}
    summary = BestsSummary(
        added=counts[CHANGE_ADDED],
        updated=counts[CHANGE_UPDATED],
        unchanged=counts[CHANGE_UNCHANGED],
        new_skaters=len(new_skaters),
    )
    return BestsPreview(text=text, lines=lines, file_errors=parsed.file_errors, summary=summary)


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
    with transaction.atomic():
        matches = skaters_match(entries)
        skater_matching.match_errors_raise(entries, matches)
        skaters: dict[tuple[str, str], Skater] = {}
        touched: set[tuple[int, int]] = set()
        for entry, match in zip(entries, matches, strict=True):
            skater = skater_matching.skater_saved(entry, match.skater or skaters.get((entry.name, entry.nation)))
            skaters[skater.name, skater.nation] = skater
            for best in _file_bests(entry):
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


def _best_store(skater: Skater, entry: BestsEntry, best: _Best) -> str:
    change, _text, row = _change(skater, entry.distance, best)
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


def bests_set_by_race(*, race: Race) -> list[SkaterBest]:
    """Each finisher's time flagged PB or SB in ``race`` becomes their standing best from the race day (the SB in
    the race's season)."""
    standings = selectors.race_standings(race)
    skater_of = dict(Start.objects.filter(heat__race=race).values_list("bib", "skater_id"))
    created = [
        SkaterBest.objects.create(
            skater_id=skater_of[row["bib"]],
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
