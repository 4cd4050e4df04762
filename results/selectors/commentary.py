"""The commentator's own document (docs/commentators.md): for one race, every skater still to skate, the pair on
the ice included, with what a commentator says about them: personal and season best, World Cup rank and points
before the race, national record, results earlier in the competition, and the officials' note. Never published,
never pushed: only accredited users read it (results/web/commentator.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from results.models import Competition, Race, SkaterBest, SkaterNote
from results.rules.times import format_time
from results.selectors import bests
from results.selectors.documents import timestamp
from results.selectors.followed import published_rows
from results.selectors.races import pair_starts, pairs_to_come, race_starts, record_entry, standing_records

# Each skater's World Cup standing before the race, by skater id: {"rank": 3, "points": 412}.
WorldCup = Mapping[int, Mapping[str, int]]
DONE = {Race.State.OFFICIAL, Race.State.UNOFFICIAL}
EARLIER_FIELDS = ("rank", "time", "status", "infraction", "behind", "points", "records")


def competition_programme(competition: Competition) -> list[Race]:
    """The competition's races in programme order."""
    return list(competition.races.order_by("order", "id"))


def race_on_now(races: Sequence[Race]) -> Race | None:
    """The race being skated: the live one, else the first not yet skated to the end, else the last."""
    live = next((race for race in races if race.status == Race.State.LIVE), None)
    to_skate = next((race for race in races if race.status not in DONE), None)
    return live or to_skate or (races[-1] if races else None)


def _mark(time_ms: int | None) -> dict[str, Any] | None:
    return None if time_ms is None else {"time": format_time(time_ms), "time_ms": time_ms}


def _earlier(race: Race, skater_ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    """Each skater's results in the competition's other races, in programme order, as their boards show them."""
    others = [other for other in competition_programme(race.competition) if other.pk != race.pk]
    rows = published_rows(others)
    earlier: dict[int, list[dict[str, Any]]] = {pk: [] for pk in skater_ids}
    for other in others:
        for skater_id, row in rows[other.pk].items():
            if skater_id in earlier:
                entry = {field: row.get(field) for field in EARLIER_FIELDS}
                race_entry = {"id": other.pk, "title": other.title, "distance": other.distance}
                earlier[skater_id].append({"race": race_entry, **entry})
    return earlier


def _notes(competition: Competition, skater_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    notes = SkaterNote.objects.filter(competition=competition, skater_id__in=set(skater_ids)).select_related(
        "updated_by"
    )
    return {
        note.skater_id: {
            "text": note.text,
            "updated_at": timestamp(note.updated_at),
            "by": note.updated_by.get_username() if note.updated_by else None,
        }
        for note in notes
    }


def commentary_document(race: Race, *, world_cup: WorldCup | None = None) -> dict[str, Any]:
    """The document for ``race``. ``world_cup``: each skater's World Cup standing before this race by skater id
    (``{"rank", "points"}``); without it, or for a skater it leaves out, ``wc_rank`` and ``wc_points`` are null."""
    starts = race_starts(race)
    pairs = pairs_to_come(starts, pair_starts(race, starts), None)
    skater_ids = {skater["skater"] for pair in pairs for skater in pair["skaters"]}
    marks = bests.personal_marks(race, skater_ids)
    national = bests.national_records(race)
    earlier = _earlier(race, skater_ids)
    notes = _notes(race.competition, skater_ids)
    standing = world_cup or {}
    for pair in pairs:
        for skater in pair["skaters"]:
            pk = skater["skater"]
            own = marks.get(pk, {})
            skater.update(
                pb=_mark(own.get(SkaterBest.Kind.PB)),
                sb=_mark(own.get(SkaterBest.Kind.SB)),
                nr=_mark(national.get(skater["nation"])),
                wc_rank=standing.get(pk, {}).get("rank"),
                wc_points=standing.get(pk, {}).get("points"),
                earlier=earlier[pk],
                note=notes.get(pk),
            )
    competition = race.competition
    return {
        "type": "commentary",
        "race": {
            "id": race.pk,
            "title": race.title,
            "distance": race.distance,
            "status": race.status,
            "competition": {"id": competition.pk, "name": competition.name},
        },
        "records": [record_entry(record) for record in standing_records(race)],
        "pairs": pairs,
    }
