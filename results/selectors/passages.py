"""The passage parts of a race's snapshot (docs/feed.md): ``race.passages``, ``on_ice`` and each standings row's
``splits``. One query for the race's passages; the rules are in ``results.rules.passages``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from results.models import Passage, Race, Start, Status
from results.rules import passages


@dataclass(frozen=True)
class RacePassages:
    distances: list[int]
    on_ice: list[dict[str, Any]]


def race_passages(race: Race, starts: list[Start], standings: list[dict[str, Any]]) -> RacePassages:
    """The race's passage points and the heats on the ice; adds ``splits`` to each row of ``standings``.

    ``starts`` are the race's starts with their heat and skater; ``standings`` the rows built from them.
    """
    by_start: dict[int, dict[int, int]] = defaultdict(dict)
    rows = Passage.objects.filter(start__heat__race=race).values_list("start_id", "distance", "time_ms")
    for start_id, distance, time_ms in rows:
        by_start[start_id][distance] = time_ms
    field = [
        passages.Skating(
            bib=start.bib,
            name=start.skater.name,
            nation=start.skater.nation,
            heat=start.heat.number,
            lane=start.lane or None,
            passages=by_start.get(start.pk, {}),
            has_result=start.has_result,
            skater=start.skater_id,
        )
        for start in starts
    ]
    by_key = {skating.key: skating for skating in field}
    finish = {
        (start.heat.number, start.bib): start.time_ms
        for start in starts
        if start.status == Status.OK and start.time_ms is not None
    }
    for row in standings:
        key = (row["heat"], row["bib"])
        skating = by_key.get(key)
        recorded = skating.passages if skating else {}
        row["splits"] = passages.splits(recorded, finish_ms=finish.get(key), distance=race.distance)
    leader = next(((row["heat"], row["bib"]) for row in standings if row.get("rank") == 1), None)
    return RacePassages(
        distances=passages.passage_distances(race.distance), on_ice=passages.on_ice(field, leader=leader)
    )
