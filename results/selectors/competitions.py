"""A competition as its page and its socket show it: its races in programme order, each summed up from its published
snapshot (status, version, leader)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch, QuerySet

from results.models import Competition, Race
from results.selectors.documents import API_VERSION, document_text
from results.selectors.snapshots import race_snapshot_current


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
        _race_messages[key] = document_text({"type": "race", "race": summary})
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
