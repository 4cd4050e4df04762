"""Publishing a race: the one place a snapshot is built, versioned, stored and pushed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from results import broadcast, selectors
from results.models import Race, RaceSnapshot

# What a version changed, for boards that mark it ("change" in docs/feed.md).
RESULTS, CORRECTION, STATUS, START_LIST, EDIT = "results", "correction", "status", "start_list", "edit"


def change_of(kind: str, *, heat: int | None = None, bibs: Iterable[int] = ()) -> dict[str, Any]:
    return {"kind": kind, "heat": heat, "bibs": sorted(set(bibs))}


def race_publish(*, race: Race, change: dict[str, Any] | None = None) -> RaceSnapshot:
    """Build the race's snapshot once, bump its version, store it, and push that same text on commit.

    The snapshot row is locked before anything is read, so two concurrent writers publish in commit order and
    each version contains every change committed before it.
    """
    with transaction.atomic():
        snapshot, _created = RaceSnapshot.objects.select_for_update().get_or_create(
            race=race, defaults={"version": 0, "committed_at": timezone.now(), "payload": ""}
        )
        race = Race.objects.select_related("competition__venue").get(pk=race.pk)
        snapshot.version += 1
        snapshot.committed_at = timezone.now()
        snapshot.payload = selectors.race_snapshot_text(
            race, version=snapshot.version, committed_at=snapshot.committed_at, change=change or change_of(EDIT)
        )
        snapshot.save()
        broadcast.snapshot_push(race_id=race.pk, version=snapshot.version, text=snapshot.payload)
    return snapshot


def races_publish(*, races: Iterable[Race], change: dict[str, Any] | None = None) -> list[RaceSnapshot]:
    """Republish every race an edit touched (a skater renamed, a record added), in one transaction."""
    with transaction.atomic():
        return [race_publish(race=race, change=change) for race in races]
