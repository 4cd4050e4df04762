"""What importing a start list would do to a race, line by line, before anything is saved: each line's skater (matched
by external id, else by name and nation, or new), the starts added, changed or removed, and whether the race takes a
start list now. Writes nothing; ``results.services.startlists`` imports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from results.files import skater_matching
from results.files.skater_matching import SkaterMatch
from results.files.startlists import ERROR_LINE, ERROR_SKATER_TWICE, DrawEntry, DrawLine, start_list_parse
from results.models import Race, Start, Status

ERROR_HAS_RESULTS = (
    "{race} is {status}: a start list can only be imported before the first result; enter changes pair by pair."
)

CHANGE_ADDED = "added"
CHANGE_UNCHANGED = "unchanged"
CHANGE_UPDATED = "updated"  # shown as what changes: "heat 2 → 3, lane I → O"
CHANGE_WITHDRAWN = "withdrew before the draw"


def skaters_match(entries: Sequence[DrawEntry]) -> list[SkaterMatch]:
    """Each entry's skater (``results.files.skater_matching``), so that a skater is the same ``Skater`` in every race
    of a competition; a skater skates once in a race."""
    return skater_matching.skaters_match(entries, error_twice=ERROR_SKATER_TWICE)


@dataclass(frozen=True)
class StartListSummary:
    added: int
    updated: int
    removed: int
    unchanged: int
    new_skaters: int
    withdrawn: int = 0

    def __str__(self) -> str:
        skaters = f"{self.new_skaters} new skater{'' if self.new_skaters == 1 else 's'}"
        withdrawn = f", {self.withdrawn} withdrawn before the draw" if self.withdrawn else ""
        return (
            f"{self.added} added, {self.updated} changed, {self.removed} removed, {self.unchanged} unchanged"
            f"{withdrawn} ({skaters})"
        )


def start_change(start: Start | None, entry: DrawEntry) -> str:
    """``added``, ``unchanged``, ``withdrew before the draw``, or what changes for a skater already in the draw:
    ``heat 2 → 3, lane I → O``."""
    if entry.withdrawn:
        return CHANGE_WITHDRAWN
    if start is None:
        return CHANGE_ADDED
    changes = [
        f"{what} {old or '–'} → {new or '–'}"
        for what, old, new in (
            ("heat", start.heat.number, entry.heat),
            ("lane", start.lane, entry.lane),
            ("bib", start.bib, entry.bib),
        )
        if old != new
    ]
    if entry.members and tuple(start.member_names()) != entry.members:
        changes.append("members changed")
    return ", ".join(changes) or CHANGE_UNCHANGED


def import_refusal(race: Race) -> str | None:
    """Why a start list cannot be imported into ``race`` now, or ``None``. A draw is replaced only before the first
    result: afterwards the entry screen's pair-by-pair changes keep every result's history."""
    has_results = Start.objects.filter(heat__race=race).exclude(status=Status.PENDING).exists()
    if race.status != Race.State.START_LIST or has_results:
        return ERROR_HAS_RESULTS.format(race=race, status=race.get_status_display().lower())
    return None


@dataclass(frozen=True)
class PreviewLine:
    line: DrawLine
    match: SkaterMatch | None
    change: str

    @property
    def errors(self) -> list[str]:
        return [*self.line.errors, *([self.match.error] if self.match and self.match.error else [])]


@dataclass(frozen=True)
class StartListPreview:
    """What importing a file into a race would do, line by line, before anything is saved."""

    race: Race
    text: str
    lines: list[PreviewLine]
    file_errors: list[str]
    removed: list[Start]
    summary: StartListSummary

    @property
    def messages(self) -> list[str]:
        by_line = [ERROR_LINE.format(line=p.line.line, message=error) for p in self.lines for error in p.errors]
        return self.file_errors + by_line

    @property
    def entries(self) -> list[DrawEntry]:
        return [p.line.entry for p in self.lines if p.line.entry is not None]

    @property
    def heat_count(self) -> int:
        return len({entry.heat for entry in self.entries if entry.heat is not None})

    @property
    def bad_line_count(self) -> int:
        return sum(1 for p in self.lines if p.errors)


def race_draw(race: Race) -> dict[int, Start]:
    return {start.skater_id: start for start in Start.objects.filter(heat__race=race).select_related("heat", "skater")}


def start_list_preview(*, race: Race, text: str) -> StartListPreview:
    """Read ``text`` and compare it with ``race``'s draw. Writes nothing."""
    parsed = start_list_parse(text, race_format=race.format)
    entries = parsed.entries
    matches = dict(zip([entry.line for entry in entries], skaters_match(entries), strict=True))
    draw = race_draw(race)
    lines: list[PreviewLine] = []
    kept: set[int] = set()
    for line in parsed.lines:
        match = matches.get(line.line)
        start = draw.get(match.skater.pk) if match and match.skater else None
        if start is not None and line.entry is not None and not line.entry.withdrawn:
            kept.add(start.skater_id)
        change = start_change(start, line.entry) if line.entry else ""
        lines.append(PreviewLine(line=line, match=match, change=change))
    removed = sorted((s for s in draw.values() if s.skater_id not in kept), key=lambda s: (s.heat.number, s.lane))
    changes = Counter(p.change for p in lines if p.line.entry)
    summary = StartListSummary(
        added=changes[CHANGE_ADDED],
        updated=sum(
            count
            for change, count in changes.items()
            if change not in (CHANGE_ADDED, CHANGE_UNCHANGED, CHANGE_WITHDRAWN)
        ),
        removed=len(removed),
        unchanged=changes[CHANGE_UNCHANGED],
        new_skaters=sum(1 for match in matches.values() if match.skater is None),
        withdrawn=changes[CHANGE_WITHDRAWN],
    )
    refusal = import_refusal(race)
    file_errors = [refusal] if refusal else []
    return StartListPreview(
        race=race,
        text=text,
        lines=lines,
        file_errors=file_errors + parsed.file_errors,
        removed=removed,
        summary=summary,
    )
