"""Publishing: the one place a board's snapshot is built, versioned, stored and pushed.

A write publishes through its ``Publication``: every service opens one (``publishing()``) or joins the one its
caller opened, and marks the races it changed. When the outermost service's work is done, still inside its
transaction, each marked race is published once (in id order), then each classification counting one of them
once, then each series' World Cup standings counting one of them once (its gender and distance). So a race is
ranked once per change, and republished once per transaction however many steps touched it (a referee's
confirmation sets records and bests, each of which republishes the races measured against them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from results import selectors
from results.live import broadcast
from results.models import Classification, Race, Series, Snapshot
from results.topics import classification_topic, race_topic, series_topic

# What a version changed, for boards that mark it ("change" in docs/feed.md).
RESULTS, CORRECTION, STATUS, START_LIST, EDIT = "results", "correction", "status", "start_list", "edit"
PASSAGE = "passage"  # a timing system's passage (results/services/timing.py)
# When one transaction changes a race in several ways, its one version says the weightiest.
_WEIGHT = {CORRECTION: 5, RESULTS: 4, PASSAGE: 3, STATUS: 2, START_LIST: 1, EDIT: 0}


def change_of(kind: str, *, heat: int | None = None, bibs: Iterable[int] = ()) -> dict[str, Any]:
    return {"kind": kind, "heat": heat, "bibs": sorted(set(bibs))}


def changes_merged(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """One change for two made to a race in one transaction: the weightier kind, with the skaters of both where the
    kinds are the same (the pair when both name the same one)."""
    if first["kind"] != second["kind"]:
        return first if _WEIGHT.get(first["kind"], 0) >= _WEIGHT.get(second["kind"], 0) else second
    merged = {**first, **second, "bibs": sorted({*first["bibs"], *second["bibs"]})}
    merged["heat"] = first["heat"] if first["heat"] == second["heat"] else None
    return merged


@dataclass(frozen=True)
class Published:
    """A board as just published: its version, and the document and text every spectator receives."""

    topic: str
    version: int
    text: str
    document: dict[str, Any]

    @property
    def standings(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.document.get("standings", [])
        return rows


AfterPublished = Callable[[Published], None]


@dataclass
class _RaceMark:
    change: dict[str, Any]
    # The race's standings as ranked by the step that marked it, reused by the snapshot (``None``: rank when
    # publishing). A later mark without them means the race changed since: they are dropped.
    standings: list[dict[str, Any]] | None = None
    then: list[AfterPublished] = field(default_factory=list)


_Checkpoint = tuple[dict[int, _RaceMark], dict[int, list[AfterPublished]], set[tuple[int, str, int]]]


class Publication:
    """The boards one write changes, published once each when it ends."""

    def __init__(self) -> None:
        self._races: dict[int, _RaceMark] = {}
        self._classifications: dict[int, list[AfterPublished]] = {}
        self._series: set[tuple[int, str, int]] = set()
        self.published: dict[str, Published] = {}

    def race(
        self,
        race: Race,
        *,
        change: dict[str, Any] | None = None,
        standings: list[dict[str, Any]] | None = None,
        then: AfterPublished | None = None,
    ) -> None:
        """Publish ``race`` when the write ends. ``standings``: its rows as just ranked (so they are not ranked
        again); ``then``: called with what was published, in the same transaction (history rows keep the version
        that published them)."""
        change = change or change_of(EDIT)
        mark = self._races.get(race.pk)
        if mark is None:
            mark = self._races[race.pk] = _RaceMark(change=change, standings=standings)
        else:
            mark.change = changes_merged(mark.change, change)
            mark.standings = standings
        if then is not None:
            mark.then.append(then)

    def races(self, races: Iterable[Race], *, change: dict[str, Any] | None = None) -> None:
        for race in races:
            self.race(race, change=change)

    def classification(self, classification_id: int) -> None:
        self._classifications.setdefault(classification_id, [])

    def after_classification(self, classification_id: int, then: AfterPublished) -> None:
        """Publish the classification when the write ends, then call ``then`` with what was published."""
        self._classifications.setdefault(classification_id, []).append(then)

    def series_board(self, series_id: int, gender: str, distance: int) -> None:
        """Republish a series' standings for a gender and distance when the write ends (a round moved to or from
        the series, the series renamed)."""
        self._series.add((series_id, gender, distance))

    def race_published(self, race_id: int) -> Published | None:
        """What the write published of a race (once it has ended)."""
        return self.published.get(race_topic(race_id))

    def _checkpoint(self) -> _Checkpoint:
        marks = {race_id: _RaceMark(m.change, m.standings, list(m.then)) for race_id, m in self._races.items()}
        return marks, {pk: list(then) for pk, then in self._classifications.items()}, set(self._series)

    def _restore(self, checkpoint: _Checkpoint) -> None:
        self._races, self._classifications, self._series = checkpoint

    def _end(self) -> None:
        """Races first, in id order, then classifications, in id order, then series standings: every writer locks
        snapshot rows in that order, so two writers never wait on each other in a circle."""
        standings_by_race: dict[int, list[dict[str, Any]]] = {}
        for race_id in sorted(self._races):
            mark = self._races[race_id]
            published = _race_publish(race_id, mark)
            if published is None:
                continue  # deleted meanwhile
            self.published[published.topic] = published
            standings_by_race[race_id] = published.standings
            for then in mark.then:
                then(published)
        counting = selectors.classifications_of_races(standings_by_race)
        existing = Classification.objects.filter(pk__in={*counting, *self._classifications}).order_by("pk")
        for classification_id in existing.values_list("pk", flat=True):
            published = _classification_publish(classification_id, standings_by_race)
            self.published[published.topic] = published
            for then in self._classifications.get(classification_id, []):
                then(published)
        boards = {*selectors.series_boards_of_races(standings_by_race), *self._series}
        existing_series = set(Series.objects.filter(pk__in={board[0] for board in boards}).values_list("pk", flat=True))
        for board in sorted(boards):
            if board[0] in existing_series:
                published = _series_publish(*board, standings_by_race)
                self.published[published.topic] = published


_current: ContextVar[Publication | None] = ContextVar("publication", default=None)


@contextmanager
def publishing() -> Iterator[Publication]:
    """The current write's publication, in a transaction: opened here if none is open (and then ended here, which
    publishes), else joined. A service that fails inside a joined one takes back what it marked, as its
    transaction's savepoint takes back what it wrote."""
    current = _current.get()
    if current is not None:
        checkpoint = current._checkpoint()
        try:
            with transaction.atomic():
                yield current
        except BaseException:
            current._restore(checkpoint)
            raise
        return
    publication = Publication()
    token = _current.set(publication)
    try:
        with transaction.atomic():
            yield publication
            publication._end()
    finally:
        _current.reset(token)


def race_publish(
    *,
    race: Race,
    change: dict[str, Any] | None = None,
    standings: list[dict[str, Any]] | None = None,
    then: AfterPublished | None = None,
) -> Publication:
    """Republish a race's standings (docs/feed.md) after any change to it, and the classifications it counts for:
    now, or with the rest of the write it is part of."""
    with publishing() as publication:
        publication.race(race, change=change, standings=standings, then=then)
    return publication


def races_publish(*, races: Iterable[Race], change: dict[str, Any] | None = None) -> Publication:
    """Republish every race an edit touched (a skater renamed, a record added), then each of their
    classifications once."""
    with publishing() as publication:
        publication.races(races, change=change)
    return publication


def classifications_republish(*, classification_ids: Iterable[int]) -> Publication:
    """Republish these classifications (the ones that still exist)."""
    with publishing() as publication:
        for classification_id in classification_ids:
            publication.classification(classification_id)
    return publication


# --- building and storing one board ------------------------------------------------------------------------------


def snapshot_publish(*, topic: str, build: Callable[[int, datetime], dict[str, Any]]) -> Published:
    """Build a board's snapshot once (``build(version, committed_at)`` returns its document), bump its version, store
    its text, and push that same text on commit.

    The snapshot row is locked before ``build`` reads anything, so two concurrent writers publish in commit order
    and each version contains every change committed before it.
    """
    snapshot, _created = Snapshot.objects.select_for_update().get_or_create(
        topic=topic, defaults={"version": 0, "committed_at": timezone.now(), "payload": ""}
    )
    snapshot.version += 1
    snapshot.committed_at = timezone.now()
    document = build(snapshot.version, snapshot.committed_at)
    snapshot.payload = selectors.document_text(document)
    snapshot.save()
    broadcast.snapshot_push(topic=topic, version=snapshot.version, text=snapshot.payload)
    return Published(topic=topic, version=snapshot.version, text=snapshot.payload, document=document)


def _race_publish(race_id: int, mark: _RaceMark) -> Published | None:
    race = Race.objects.select_related("competition__venue").filter(pk=race_id).first()
    if race is None:
        return None

    def build(version: int, committed_at: datetime) -> dict[str, Any]:
        return selectors.race_snapshot_document(
            race, version=version, committed_at=committed_at, change=mark.change, standings=mark.standings
        )

    return snapshot_publish(topic=race_topic(race_id), build=build)


def _classification_publish(classification_id: int, standings_by_race: dict[int, list[dict[str, Any]]]) -> Published:
    def build(version: int, committed_at: datetime) -> dict[str, Any]:
        return selectors.classification_snapshot_document(
            classification_id, version=version, committed_at=committed_at, standings_by_race=standings_by_race
        )

    return snapshot_publish(topic=classification_topic(classification_id), build=build)


def _series_publish(
    series_id: int, gender: str, distance: int, standings_by_race: dict[int, list[dict[str, Any]]]
) -> Published:
    def build(version: int, committed_at: datetime) -> dict[str, Any]:
        return selectors.series_snapshot_document(
            series_id, gender, distance, version=version, committed_at=committed_at, standings_by_race=standings_by_race
        )

    return snapshot_publish(topic=series_topic(series_id, gender, distance), build=build)
