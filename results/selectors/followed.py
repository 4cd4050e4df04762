"""A spectator's skaters in a competition (docs/feed.md, "Followed skaters"): for each skater they follow, every race
of the competition they are in, their pair and lane, when that pair is expected to start, and their result as the
race's board shows it. Nothing about the spectator: the skaters are named in the request."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from results.models import Competition, Race, Skater, Snapshot, Start, Withdrawal
from results.selectors.documents import API_VERSION, timestamp
from results.selectors.races import pair_starts
from results.topics import race_topic

# A spectator follows a handful of skaters; a longer list is a client's mistake.
MOST_FOLLOWED = 50
RESULT_FIELDS = ("rank", "time", "status", "infraction", "behind", "points", "records", "medal")


def published_rows(races: list[Race]) -> dict[int, dict[int, dict[str, Any]]]:
    """Each race's published standings rows by skater id (what its board shows now)."""
    topics = {race_topic(race.pk): race.pk for race in races}
    rows: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for topic, payload in Snapshot.objects.filter(topic__in=topics).values_list("topic", "payload"):
        for row in json.loads(payload).get("standings", []):
            rows[topics[topic]][row["skater"]] = row
    return rows


def _entry(race: Race, row: dict[str, Any] | None, **where: Any) -> dict[str, Any]:
    return {
        "race": {
            "id": race.pk,
            "title": race.title,
            "distance": race.distance,
            "day": race.day.isoformat(),
            "status": race.status,
        },
        **where,
        "result": {field: row[field] for field in RESULT_FIELDS if field in row} if row else None,
    }


def followed_skaters_document(competition: Competition, skater_ids: list[int]) -> dict[str, Any]:
    """The document for ``skater_ids`` in ``competition``; skaters it does not know are left out."""
    skaters = {skater.pk: skater for skater in Skater.objects.filter(pk__in=skater_ids[:MOST_FOLLOWED])}
    races = list(competition.races.order_by("day", "order", "pk"))
    starts = list(Start.objects.filter(heat__race__in=races, skater_id__in=skaters).select_related("heat", "skater"))
    withdrawals = list(Withdrawal.objects.filter(race__in=races, skater_id__in=skaters))
    in_races = {start.heat.race_id for start in starts if not start.has_result}
    starts_at = {
        race.pk: pair_starts(race, list(Start.objects.filter(heat__race=race).select_related("heat", "skater")))
        for race in races
        if race.pk in in_races
    }
    rows = published_rows(races)
    entries: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for race in races:
        for start in sorted((s for s in starts if s.heat.race_id == race.pk), key=lambda s: s.heat.number):
            at = starts_at.get(race.pk, {}).get(start.heat.number) if not start.has_result else None
            where = {"heat": start.heat.number, "lane": start.lane or None, "bib": start.bib}
            row = rows[race.pk].get(start.skater_id) if start.has_result else None
            entries[start.skater_id].append(_entry(race, row, **where, eta=timestamp(at) if at else None))
        for withdrawal in (w for w in withdrawals if w.race_id == race.pk):
            row = rows[race.pk].get(withdrawal.skater_id)
            entries[withdrawal.skater_id].append(_entry(race, row, heat=None, lane=None, bib=withdrawal.bib, eta=None))
    return {
        "type": "followed",
        "api": API_VERSION,
        "competition": {"id": competition.pk, "name": competition.name},
        "skaters": [
            {"skater": pk, "name": skaters[pk].name, "nation": skaters[pk].nation, "entries": entries.get(pk, [])}
            for pk in skater_ids
            if pk in skaters
        ],
    }
