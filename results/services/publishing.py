"""Publishing: the one place a board's snapshot is built, versioned, stored and pushed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from results import selectors
from results.live import broadcast
from results.models import Classification, Race, Snapshot
from results.topics import classification_topic, race_topic

# What a version changed, for boards that mark it ("change" in docs/feed.md).
RESULTS, CORRECTION, STATUS, START_LIST, EDIT = "results", "correction", "status", "start_list", "edit"
PASSAGE = "passage"  # a timing system's passage (results/services/timing.py)


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


def race_publish(*, race: Race, change: dict[str, Any] | None = None, with_classifications: bool = True) -> Snapshot:
    """Republish a race's standings (docs/feed.md) after any change to it, and the classifications (sprint,
    allround) it counts for, in the same transaction, so their standings move with every heat."""

    def build(version: int, committed_at: datetime) -> str:
        fresh = Race.objects.select_related("competition__venue").get(pk=race.pk)
        return selectors.race_snapshot_text(
            fresh, version=version, committed_at=committed_at, change=change or change_of(EDIT)
        )

    with transaction.atomic():
        snapshot = snapshot_publish(topic=race_topic(race.pk), build=build)
        if with_classifications:
            classifications_publish(race_ids=[race.pk])
    return snapshot


def races_publish(*, races: Iterable[Race], change: dict[str, Any] | None = None) -> list[Snapshot]:
    """Republish every race an edit touched (a skater renamed, a record added), in one transaction; then each of
    their classifications once. Races first, classifications last: every writer locks snapshots in that order."""
    with transaction.atomic():
        races = list(races)
        snapshots = [race_publish(race=race, change=change, with_classifications=False) for race in races]
        classifications_publish(race_ids=[race.pk for race in races])
        return snapshots


def classification_publish(*, classification_id: int) -> Snapshot:
    """Republish a classification's standings (docs/classifications.md)."""

    def build(version: int, committed_at: datetime) -> str:
        return selectors.classification_snapshot_text(classification_id, version=version, committed_at=committed_at)

    return snapshot_publish(topic=classification_topic(classification_id), build=build)


def classifications_publish(*, race_ids: Iterable[int]) -> list[Snapshot]:
    """Republish every classification these races count for."""
    return classifications_republish(classification_ids=selectors.classifications_of_races(race_ids))


def classifications_republish(*, classification_ids: Iterable[int]) -> list[Snapshot]:
    """Republish these classifications (the ones that still exist), in the order their snapshots are locked in."""
    existing = Classification.objects.filter(pk__in=list(classification_ids)).order_by("pk")
    return [classification_publish(classification_id=pk) for pk in existing.values_list("pk", flat=True)]
