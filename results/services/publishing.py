"""Publishing: the one place a board's snapshot is built, versioned, stored and pushed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from results import broadcast, selectors
from results.models import Race, Snapshot
from results.topics import race_topic

# What a version changed, for boards that mark it ("change" in docs/feed.md).
RESULTS, CORRECTION, STATUS, START_LIST, EDIT = "results", "correction", "status", "start_list", "edit"


def change_of(kind: str, *, heat: int | None = None, bibs: Iterable[int] = ()) -> dict[str, Any]:
    return {"kind": kind, "heat": heat, "bibs": sorted(set(bibs))}


def snapshot_publish(*, topic: str, build: Callable[[int, datetime], str]) -> Snapshot:
    """Build a board's snapshot once (``build(version, committed_at)`` returns its text), bump its version, store it,
    and push that same text on commit.

    The snapshot row is locked before ``build`` reads anything, so two concurrent writers publish in commit order
    and each version contains every change committed before it.
    """
    with transaction.atomic():
        snapshot, _created = Snapshot.objects.select_for_update().get_or_create(
            topic=topic, defaults={"version": 0, "committed_at": timezone.now(), "payload": ""}
        )
        snapshot.version += 1
        snapshot.committed_at = timezone.now()
        snapshot.payload = build(snapshot.version, snapshot.committed_at)
        snapshot.save()
        broadcast.snapshot_push(topic=topic, version=snapshot.version, text=snapshot.payload)
    return snapshot


def race_publish(*, race: Race, change: dict[str, Any] | None = None) -> Snapshot:
    """Republish a race's standings (docs/feed.md) after any change to it."""

    def build(version: int, committed_at: datetime) -> str:
        fresh = Race.objects.select_related("competition__venue").get(pk=race.pk)
        return selectors.race_snapshot_text(
            fresh, version=version, committed_at=committed_at, change=change or change_of(EDIT)
        )

    return snapshot_publish(topic=race_topic(race.pk), build=build)


def races_publish(*, races: Iterable[Race], change: dict[str, Any] | None = None) -> list[Snapshot]:
    """Republish every race an edit touched (a skater renamed, a record added), in one transaction."""
    with transaction.atomic():
        return [race_publish(race=race, change=change) for race in races]
