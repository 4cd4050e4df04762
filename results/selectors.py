"""Every read that builds standings. The snapshot built here is the one document the page, the JSON API and the
websocket all serve (docs/feed.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from results import passage_feed, standing_bests
from results.models import Competition, Race, Record, Snapshot, Start
from results.rules import ranking
from results.rules.times import format_time
from results.selectors_formats import document_extend, mass_start_standings
from results.topics import CLASSIFICATION, RACE, parse, race_topic

API_VERSION = 1
ERROR_RACE_NOT_FOUND = "No race with id {race_id}."
NEXT_HEATS_SHOWN = 3


@dataclass(frozen=True)
class PublishedSnapshot:
    version: int
    payload: str


def race_results(
    starts: list[Start], personal_marks: Mapping[int, Mapping[str, int]] | None = None
) -> list[ranking.Result]:
    """The race's entered results; ``personal_marks`` gives each skater's standing PB and SB by skater id."""
    marks = personal_marks or {}
    return [start.as_result(marks.get(start.skater_id)) for start in starts if start.has_result]


def standing_records(race: Race) -> list[Record]:
    """The best record of each kind that can be set in this race, as it stood before the race.

    WR applies everywhere, OR only at the Olympic Games, TR only at the race's venue. A record set in this very
    race (entered once the race is over) does not count against it. National records stand per nation
    (``standing_bests.national_records``), not for the whole field.
    """
    competition = race.competition
    candidates = (
        Record.objects.filter(gender=race.gender, distance=race.distance, set_on__lte=race.day)
        .exclude(kind=Record.Kind.NR)
        .exclude(set_in_race=race)
        .order_by("time_ms", "set_on")
    )
    best: dict[str, Record] = {}
    for record in candidates:
        if record.kind == Record.Kind.OR and not competition.is_olympic_games:
            continue
        if record.kind == Record.Kind.TR and record.venue_id != competition.venue_id:
            continue
        best.setdefault(record.kind, record)
    return [best[kind] for kind in ranking.RECORD_PRECEDENCE if kind in best]


def _skater_entry(start: Start) -> dict[str, Any]:
    return {
        "bib": start.bib,
        "name": start.skater.name,
        "nation": start.skater.nation,
        "lane": start.lane or None,
    }


def _next_heats(starts: list[Start]) -> list[dict[str, Any]]:
    pending_heats = sorted({start.heat.number for start in starts if not start.has_result})
    shown = pending_heats[:NEXT_HEATS_SHOWN]
    return [
        {"heat": number, "skaters": [_skater_entry(s) for s in starts if s.heat.number == number]} for number in shown
    ]


def timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _race_starts(race: Race) -> list[Start]:
    return list(
        Start.objects.filter(heat__race=race).select_related("heat", "skater").order_by("heat__number", "lane", "id")
    )


def _standings(race: Race, starts: list[Start], records: list[Record]) -> list[dict[str, Any]]:
    if race.format == Race.Format.MASS_START:
        return mass_start_standings(race, starts)
    standings = ranking.rank_results(
        race_results(starts, standing_bests.personal_marks(race, (start.skater_id for start in starts))),
        points_table=race.points_table,
        standing_records={record.kind: record.time_ms for record in records},
        national_records=standing_bests.national_records(race),
    )
    final = race.status == Race.State.OFFICIAL
    return [standing.as_row(final=final) for standing in standings]


def race_standings(race: Race) -> list[dict[str, Any]]:
    """The race's standings rows as the feed gives them (docs/feed.md), computed now."""
    return _standings(race, _race_starts(race), standing_records(race))


def race_snapshot_document(
    race: Race, *, version: int, committed_at: datetime, change: dict[str, Any] | None = None
) -> dict[str, Any]:
    competition = race.competition
    starts = _race_starts(race)
    records = standing_records(race)
    heat_numbers = {start.heat.number for start in starts}
    pending = {start.heat.number for start in starts if not start.has_result}
    last_heat = race.heats.filter(recorded_at__isnull=False).order_by("-recorded_at", "-number").first()
    standings = _standings(race, starts, records)
    live = passage_feed.race_passages(race, starts, standings)  # adds each row's splits
    document: dict[str, Any] = {
        "type": "snapshot",
        "api": API_VERSION,
        "race": {
            "id": race.pk,
            "title": race.title,
            "gender": race.gender,
            "distance": race.distance,
            "status": race.status,
            "day": race.day.isoformat(),
            "heats": len(heat_numbers),
            "heats_done": len(heat_numbers - pending),
            "passages": live.distances,
            "competition": {
                "id": competition.pk,
                "name": competition.name,
                "venue": competition.venue.name,
                "city": competition.venue.city,
            },
        },
        "version": version,
        "updated_at": timestamp(committed_at),
        "last_heat": last_heat.number if last_heat else None,
        "change": change,
        "standings": standings,
        "next_heats": _next_heats(starts),
        "on_ice": live.on_ice,
        "standing_records": [
            {
                "kind": record.kind,
                "time": format_time(record.time_ms),
                "holder": record.holder,
                "nation": record.nation,
                "set_on": record.set_on.isoformat(),
            }
            for record in records
        ],
    }
    document_extend(race, starts, document)
    return document


def race_snapshot_text(
    race: Race, *, version: int, committed_at: datetime, change: dict[str, Any] | None = None
) -> str:
    document = race_snapshot_document(race, version=version, committed_at=committed_at, change=change)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def snapshot_current(topic: str) -> PublishedSnapshot | None:
    """The last published snapshot of a board, or ``None`` for one that does not exist."""
    row = Snapshot.objects.filter(topic=topic).values_list("version", "payload").first()
    if row:
        return PublishedSnapshot(version=row[0], payload=row[1])
    kind, object_id = parse(topic)
    if kind == RACE:
        race = Race.objects.select_related("competition__venue").filter(pk=object_id).first()
        if race is not None:
            # A race created outside the services has not been published yet: show it as it is, at version 0.
            return PublishedSnapshot(
                version=0, payload=race_snapshot_text(race, version=0, committed_at=timezone.now())
            )
    if kind == CLASSIFICATION:
        # Imported here because results.classification_selectors builds on this module.
        from results.classification_selectors import classification_snapshot_current

        return classification_snapshot_current(object_id)
    return None


def race_snapshot_current(race_id: int) -> PublishedSnapshot | None:
    """The race's last published snapshot, or ``None`` for an unknown race."""
    return snapshot_current(race_topic(race_id))


def race_version(race_id: int) -> int | None:
    """The race's published version (0 before its first publication), or ``None`` for an unknown race."""
    version = Snapshot.objects.filter(topic=race_topic(race_id)).values_list("version", flat=True).first()
    if version is None and Race.objects.filter(pk=race_id).exists():
        return 0
    return version


def topic_versions(topics: list[str]) -> dict[str, int]:
    """Published version per board, for server processes that watch boards changed by other processes."""
    return dict(Snapshot.objects.filter(topic__in=topics).values_list("topic", "version"))


def competitions_with_races() -> QuerySet[Competition]:
    """Competitions, newest first, each with its races in programme order (for the public index)."""
    return Competition.objects.select_related("venue").prefetch_related(
        Prefetch("races", queryset=Race.objects.order_by("order", "id"))
    )


def race_summary(document: dict[str, Any]) -> dict[str, Any]:
    """What a competition's stream says of one race: enough to show a programme and decide what to follow."""
    race = document["race"]
    leader = next((row for row in document["standings"] if row["rank"] == 1), None)
    return {
        "id": race["id"],
        "title": race["title"],
        "gender": race["gender"],
        "distance": race["distance"],
        "day": race["day"],
        "status": race["status"],
        "heats": race["heats"],
        "heats_done": race["heats_done"],
        "last_heat": document["last_heat"],
        "leader": _leader(leader) if leader else None,
        "version": document["version"],
        "updated_at": document["updated_at"],
    }


def _leader(row: dict[str, Any]) -> dict[str, Any]:
    """The leader as a race summary names them; a mass start's by points (their time may not be known)."""
    leader = {"name": row["name"], "nation": row["nation"], "time": row["time"]}
    if "race_points" in row:
        leader["race_points"] = row["race_points"]
    return leader


_race_messages: dict[tuple[int, int], str] = {}
_RACE_MESSAGES_KEPT = 512


def race_message(race_id: int, version: int, snapshot_text: str) -> str:
    """The competition stream's ``race`` message for one snapshot, built once per version in a process however
    many competition sockets it has."""
    key = (race_id, version)
    if key not in _race_messages:
        if len(_race_messages) >= _RACE_MESSAGES_KEPT:
            _race_messages.clear()
        summary = race_summary(json.loads(snapshot_text))
        _race_messages[key] = json.dumps({"type": "race", "race": summary}, ensure_ascii=False, separators=(",", ":"))
    return _race_messages[key]


def competition_race_versions(competition_id: int) -> dict[int, tuple[int, str]]:
    """Each race of the competition in programme order: its published version and snapshot text."""
    races = Race.objects.filter(competition_id=competition_id).order_by("order", "id").values_list("pk", flat=True)
    found = {race_id: race_snapshot_current(race_id) for race_id in races}
    return {race_id: (snapshot.version, snapshot.payload) for race_id, snapshot in found.items() if snapshot}


def competition_document(competition_id: int) -> dict[str, Any] | None:
    """The competition stream's first message: the event and every race's status and version."""
    competition = Competition.objects.select_related("venue").filter(pk=competition_id).first()
    if competition is None:
        return None
    races = competition_race_versions(competition_id)
    return {
        "type": "competition",
        "api": API_VERSION,
        "competition": {
            "id": competition.pk,
            "name": competition.name,
            "venue": competition.venue.name,
            "city": competition.venue.city,
            "starts_on": competition.starts_on.isoformat(),
            "ends_on": competition.ends_on.isoformat(),
        },
        "races": [race_summary(json.loads(payload)) for _version, payload in races.values()],
    }
