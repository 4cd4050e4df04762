"""Who each line of an imported file is (a start list, a bests file): a skater the system knows, by external id when the
line has one, else by name and nation, or a new one (saved by ``results.services.skaters.skater_saved``). Both files
follow the same rule, so the start list imported after a federation's bests finds the skaters those added."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.core.exceptions import ValidationError

from results.files.bests import ERROR_LINE  # "Line {line}: {message}", as in a start list
from results.models import Skater

MATCH_NEW = "new skater"
MATCH_EXTERNAL_ID = "matched by external id"
MATCH_NAME = "matched by name and nation"
MATCH_NAME_ADDS_ID = "matched by name and nation; external id added"

ERROR_UNKNOWN_EXTERNAL_ID = "no skater has external id “{external_id}”: give name and nation to add the skater."
ERROR_EXTERNAL_ID_CONFLICT = (
    "{skater} is already in the system with external id “{known}”, not “{given}”: correct the file or the skater."
)


class FileSkater(Protocol):
    """A line of a file that names a skater (a start list's ``DrawEntry``, a bests file's ``BestsEntry``)."""

    @property
    def line(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def nation(self) -> str: ...
    @property
    def external_id(self) -> str: ...


Entry = TypeVar("Entry", bound=FileSkater)


@dataclass(frozen=True)
class SkaterMatch:
    """Who a line is: a known skater (``skater``) or a new one (``None``), or an ``error`` to correct first."""

    skater: Skater | None
    how: str
    error: str = ""


def skaters_match(
    entries: Sequence[Entry], *, error_twice: str, once_per: Callable[[Entry], Hashable] = lambda entry: None
) -> list[SkaterMatch]:
    """Each entry's skater. Two lines can be one skater, one by external id and the other by name and nation: where
    they also have the same ``once_per`` (by default, anywhere in the file), the later one is an error,
    ``error_twice`` formatted with the ``skater`` and the ``other`` (first) line."""
    external_ids = {entry.external_id for entry in entries if entry.external_id}
    by_external_id = {s.external_id: s for s in Skater.objects.filter(external_id__in=external_ids)}
    names = {entry.name for entry in entries if entry.name}
    by_name = {(s.name, s.nation): s for s in Skater.objects.filter(name__in=names)}
    matches: list[SkaterMatch] = []
    seen: dict[tuple[int, Hashable], int] = {}
    for entry in entries:
        match = _match(entry, by_external_id, by_name)
        if match.skater is not None and not match.error:
            key = (match.skater.pk, once_per(entry))
            if key in seen:
                error = error_twice.format(skater=match.skater, other=seen[key])
                match = SkaterMatch(skater=match.skater, how=match.how, error=error)
            seen.setdefault(key, entry.line)
        matches.append(match)
    return matches


def _match(entry: FileSkater, by_external_id: dict[str, Skater], by_name: dict[tuple[str, str], Skater]) -> SkaterMatch:
    if entry.external_id in by_external_id:
        return SkaterMatch(skater=by_external_id[entry.external_id], how=MATCH_EXTERNAL_ID)
    if not entry.name:
        # Only a bests file may give an external id alone; a start list line always has a name.
        return SkaterMatch(skater=None, how="", error=ERROR_UNKNOWN_EXTERNAL_ID.format(external_id=entry.external_id))
    skater = by_name.get((entry.name, entry.nation))
    if skater is None:
        return SkaterMatch(skater=None, how=MATCH_NEW)
    if not entry.external_id:
        return SkaterMatch(skater=skater, how=MATCH_NAME)
    if not skater.external_id:
        return SkaterMatch(skater=skater, how=MATCH_NAME_ADDS_ID)
    conflict = ERROR_EXTERNAL_ID_CONFLICT.format(skater=skater, known=skater.external_id, given=entry.external_id)
    return SkaterMatch(skater=skater, how=MATCH_NAME, error=conflict)


def match_errors_raise(entries: Sequence[FileSkater], matches: Sequence[SkaterMatch]) -> None:
    """A ``ValidationError`` naming every line whose skater is not clear, if any is not."""
    errors = [ERROR_LINE.format(line=e.line, message=m.error) for e, m in zip(entries, matches, strict=True) if m.error]
    if errors:
        raise ValidationError(errors)
