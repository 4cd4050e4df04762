"""The published snapshots as stored: the current one of a board, a race's version, the versions a server process
watches."""

from __future__ import annotations

from django.utils import timezone

from results.models import Race, Snapshot
from results.selectors.classifications import classification_snapshot_current
from results.selectors.documents import PublishedSnapshot
from results.selectors.races import race_snapshot_text
from results.selectors.world_cup import series_snapshot_current
from results.topics import CLASSIFICATION, RACE, SERIES, parse, race_topic, series_parse


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
        return classification_snapshot_current(object_id)
    if kind == SERIES:
        return series_snapshot_current(*series_parse(topic))
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
