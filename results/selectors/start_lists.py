"""A race's start list as it stands (docs/feed.md, "The start list"): every pair still to skate, who is in it, and
when it is expected to start. Read on request by the board's "Start list" (the snapshot carries only the next
pairs, so that every spectator's socket does not carry the whole draw at every change)."""

from __future__ import annotations

from typing import Any

from results.models import Race
from results.selectors.documents import API_VERSION
from results.selectors.races import pair_starts, pairs_to_come, race_starts
from results.selectors.snapshots import race_version


def race_start_list_document(race: Race) -> dict[str, Any]:
    """The pairs still to skate, in start order, as of the race's snapshot of ``version``."""
    starts = race_starts(race)
    return {
        "type": "start_list",
        "api": API_VERSION,
        "race": {"id": race.pk, "title": race.title, "status": race.status},
        "version": race_version(race.pk) or 0,
        "pairs": pairs_to_come(starts, pair_starts(race, starts), None),
    }
