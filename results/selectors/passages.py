"""The passage parts of a race's snapshot (docs/feed.md): ``race.passages``, ``on_ice`` (with each skater's
projection and the pair head to head), ``what_it_takes`` and each standings row's ``splits``. One query for the
race's passages (and one for the bests of the skaters on the ice); the rules are in ``results.rules.passages`` and
``results.rules.projections``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from results.models import Passage, Race, Start, Status
from results.rules import passages, projections
from results.selectors import bests


@dataclass(frozen=True)
class RacePassages:
    distances: list[int]
    on_ice: list[dict[str, Any]]
    what_it_takes: dict[str, Any] | None


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
    on_ice = passages.on_ice(field, leader=leader)
    if race.format == Race.Format.MASS_START:
        return RacePassages(passages.passage_distances(race.distance), on_ice, what_it_takes=None)
    finishers = [
        projections.Finisher(
            bib=row["bib"],
            skater=row.get("skater"),
            name=row["name"],
            time_ms=row["time_ms"],
            passages=by_key[(row["heat"], row["bib"])].passages if (row["heat"], row["bib"]) in by_key else {},
        )
        for row in standings
        if row.get("rank") and row.get("time_ms") is not None and row.get("status") == Status.OK
    ]
    _project(race, on_ice, field, finishers, finish)
    return RacePassages(
        distances=passages.passage_distances(race.distance),
        on_ice=on_ice,
        what_it_takes=projections.what_it_takes(finishers, points_places=len(race.points_table or ())),
    )


def _project(
    race: Race,
    on_ice: list[dict[str, Any]],
    field: list[passages.Skating],
    finishers: list[projections.Finisher],
    finish: dict[passages.StartKey, int],
) -> None:
    """Adds to each heat on the ice its ``head_to_head``, and to each skater's latest passage what it projects."""
    on_the_ice = [skater for heat in on_ice for skater in heat["skaters"]]
    marks = bests.personal_marks(race, (s["skater"] for s in on_the_ice)) if on_the_ice else {}
    for heat in on_ice:
        pair = [s for s in field if s.heat == heat["heat"]]
        finished = {s.bib: finish[s.key] for s in pair if s.key in finish}
        heat["head_to_head"] = projections.head_to_head(pair, finish=finished, distance=race.distance)
        for skater in heat["skaters"]:
            passage = skater["passage"]
            if passage is not None:
                passage.update(
                    projections.projection(
                        finishers,
                        bib=skater["bib"],
                        distance=passage["distance"],
                        time_ms=passage["time_ms"],
                        marks=marks.get(skater["skater"]),
                    )
                )
