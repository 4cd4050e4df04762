"""What importing a bests file would change, line by line, before anything is saved: each line's skater (matched
as in a start list) and each best added, changed or unchanged, with a warning where a faster best is kept already.
Writes nothing; ``results.services.bests`` imports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from results.files import skater_matching
from results.files.bests import ERROR_LINE, BestsEntry, BestsLine, bests_parse
from results.files.skater_matching import SkaterMatch
from results.models import Skater, SkaterBest
from results.rules import ranking
from results.rules.times import format_time, hundredths

ERROR_SAME_SKATER = "line {other} is the same skater ({skater}) on the same distance: one line per skater and distance."

CHANGE_ADDED = "added"
CHANGE_UPDATED = "updated"
CHANGE_UNCHANGED = "unchanged"


# --- who is who --------------------------------------------------------------------------------------------------


def skaters_match(entries: Sequence[BestsEntry]) -> list[SkaterMatch]:
    """Each entry's skater (``results.files.skater_matching``); one line per skater and distance."""
    return skater_matching.skaters_match(entries, error_twice=ERROR_SAME_SKATER, once_per=lambda entry: entry.distance)


# --- what the import would change --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Best:
    """A best the file gives: PB, or SB of ``season``."""

    kind: str
    time_ms: int
    set_on: date | None
    season: str

    def label(self) -> str:
        return f"SB {self.season}" if self.kind == ranking.SB else "PB"


def file_bests(entry: BestsEntry) -> list[Best]:
    bests = []
    if entry.pb_ms is not None:
        bests.append(Best(ranking.PB, entry.pb_ms, entry.pb_on, ""))
    if entry.sb_ms is not None:
        bests.append(Best(ranking.SB, entry.sb_ms, entry.sb_on, entry.season))
    return bests


def shown(time_ms: int, set_on: date | None) -> str:
    return f"{format_time(time_ms)} ({set_on.isoformat()})" if set_on else format_time(time_ms)


def imported_row(skater: Skater | None, distance: int, best: Best) -> SkaterBest | None:
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


def faster_on_file(skater: Skater | None, distance: int, best: Best, row: SkaterBest | None) -> SkaterBest | None:
    """A best of the same kind already kept that is faster than the file's, which the file does not replace."""
    if skater is None:
        return None
    rows = SkaterBest.objects.filter(skater=skater, distance=distance, kind=best.kind, season=best.season)
    rows = rows.exclude(pk=row.pk) if row else rows
    fastest = rows.order_by("time_ms").first()
    return fastest if fastest and hundredths(fastest.time_ms) < hundredths(best.time_ms) else None


def best_change(skater: Skater | None, distance: int, best: Best) -> tuple[str, str, SkaterBest | None]:
    """(added | updated | unchanged, what an official reads, the row to update): ``PB 38.50 → 38.21 (2025-11-16)``;
    with a warning where a faster best is kept already (a date typed wrong, say, is a best of its own)."""
    row = imported_row(skater, distance, best)
    new = shown(best.time_ms, best.set_on)
    if row is None:
        change, text = CHANGE_ADDED, f"{best.label()} {new} added"
    elif row.time_ms == best.time_ms:
        change, text = CHANGE_UNCHANGED, f"{best.label()} {new} unchanged"
    else:
        change, text = CHANGE_UPDATED, f"{best.label()} {format_time(row.time_ms)} → {new}"
    faster = faster_on_file(skater, distance, best, row)
    if faster is not None and change != CHANGE_UNCHANGED:
        text += f" (faster on file: {shown(faster.time_ms, faster.set_on)})"
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
            for best in file_bests(line.entry):
                kind, text_shown, _row = best_change(match.skater, line.entry.distance, best)
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
