"""Every read that builds a classification's standings (sprint, allround): the snapshot document its page, its JSON
and its socket all serve (docs/feed.md, "Classifications"). The rules are in results/rules/classification.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from results.models import Classification, ClassificationRace, Race, Snapshot, Start
from results.rules import classification, ranking
from results.selectors.documents import API_VERSION, PublishedSnapshot, document_text, timestamp
from results.selectors.races import published_standings, race_results
from results.topics import classification_topic

ERROR_CLASSIFICATION_NOT_FOUND = "No classification with id {classification_id}."
# Every pair of the distance has skated: whoever has no result by now will not get one.
DISTANCE_OVER = (Race.State.UNOFFICIAL, Race.State.OFFICIAL, Race.State.PROTESTED)


def classification_legs(classification_id: int) -> list[ClassificationRace]:
    return list(
        ClassificationRace.objects.filter(classification_id=classification_id)
        .select_related("race")
        .order_by("position")
    )


StandingsByRace = Mapping[int, Sequence[Mapping[str, Any]]]


def _outcomes(
    race: Race, standings: Sequence[Mapping[str, Any]] | None
) -> tuple[dict[int, classification.Outcome], dict[int, tuple[str, str]]]:
    """Each skater's counted outcome in one race (the better time of a re-skate, as the race board counts it),
    by skater id, and each skater's name and nation. ``standings``: the race's rows as ranked for its own board,
    read rather than ranked again; without them (a race never published) the results are counted here."""
    starts = list(
        Start.objects.filter(heat__race=race).select_related("heat", "skater").order_by("heat__number", "lane", "id")
    )
    outcomes = {start.skater_id: classification.Outcome(classification.PENDING) for start in starts}
    if standings is not None:
        for row in standings:
            outcomes[row["skater"]] = classification.Outcome(row["status"], row["time_ms"])
    else:
        skater_of_bib = {start.bib: start.skater_id for start in starts}
        for result in ranking.counted_results(race_results(starts)):
            outcomes[skater_of_bib[result.bib]] = classification.Outcome(result.status, result.time_ms)
    names = {start.skater_id: (start.skater.name, start.skater.nation) for start in starts}
    return outcomes, names


def classification_standings(
    legs: list[ClassificationRace], standings_by_race: StandingsByRace | None = None
) -> classification.Standings:
    """The standings now, over every skater in the draw of any of the distances. ``standings_by_race``: the rows
    of races just ranked for their boards in the same write; the other races' are read from their boards."""
    fresh = standings_by_race or {}
    by_race = [
        _outcomes(leg.race, fresh[leg.race_id] if leg.race_id in fresh else published_standings(leg.race_id))
        for leg in legs
    ]
    names: dict[int, tuple[str, str]] = {}
    for _outcomes_of_race, names_of_race in by_race:
        names.update(names_of_race)
    competitors = [
        classification.Competitor(
            key=skater_id,
            name=name,
            nation=nation,
            outcomes=tuple(outcomes.get(skater_id) for outcomes, _names in by_race),
        )
        for skater_id, (name, nation) in names.items()
    ]
    return classification.classify(
        competitors,
        distances=[leg.race.distance for leg in legs],
        over=[leg.race.status in DISTANCE_OVER for leg in legs],
    )


def _distance_entry(position: int, outcome: classification.Outcome | None, points: int | None) -> dict[str, Any] | None:
    if outcome is None or outcome.status == classification.PENDING:
        return None
    return {
        "position": position,
        "status": outcome.status,
        "time": classification.shown_time(outcome.time_ms)
        if outcome.time_ms is not None and outcome.finished
        else None,
        "points": classification.format_points(points) if points is not None else None,
    }


def _standing_row(row: classification.Row) -> dict[str, Any]:
    competitor = row.competitor
    return {
        "rank": row.rank,
        "skater": competitor.key,
        "name": competitor.name,
        "nation": competitor.nation,
        "total": classification.format_points(row.total) if row.total is not None else None,
        "total_thousandths": row.total,
        "distances": [
            _distance_entry(position, outcome, points)
            for position, (outcome, points) in enumerate(zip(competitor.outcomes, row.points, strict=True), start=1)
        ],
        "behind": row.behind,
        "complete": row.complete,
        "waiting": row.waiting,
        "out": row.out,
    }


def classification_document(
    classification_row: Classification,
    *,
    version: int,
    committed_at: datetime,
    standings_by_race: StandingsByRace | None = None,
) -> dict[str, Any]:
    competition = classification_row.competition
    legs = classification_legs(classification_row.pk)
    standings = classification_standings(legs, standings_by_race)
    next_leg = legs[standings.next_position - 1] if standings.next_position is not None else None
    return {
        "type": "classification",
        "api": API_VERSION,
        "classification": {
            "id": classification_row.pk,
            "name": classification_row.name,
            "gender": classification_row.gender,
            "kind": classification_row.kind,
            "competition": {
                "id": competition.pk,
                "name": competition.name,
                "venue": competition.venue.name,
                "city": competition.venue.city,
            },
            "distances": [
                {
                    "position": position,
                    "race": leg.race.pk,
                    "distance": leg.race.distance,
                    "title": leg.race.title,
                    "day": leg.race.day.isoformat(),
                    "status": leg.race.status,
                }
                for position, leg in enumerate(legs, start=1)
            ],
        },
        "version": version,
        "updated_at": timestamp(committed_at),
        "standings": [_standing_row(row) for row in standings.rows],
        "next_distance": (
            {"position": standings.next_position, "distance": next_leg.race.distance} if next_leg is not None else None
        ),
    }


def classification_snapshot_document(
    classification_id: int, *, version: int, committed_at: datetime, standings_by_race: StandingsByRace | None = None
) -> dict[str, Any]:
    found = Classification.objects.select_related("competition__venue").get(pk=classification_id)
    return classification_document(
        found, version=version, committed_at=committed_at, standings_by_race=standings_by_race
    )


def classification_snapshot_text(classification_id: int, *, version: int, committed_at: datetime) -> str:
    return document_text(
        classification_snapshot_document(classification_id, version=version, committed_at=committed_at)
    )


def classification_snapshot_current(classification_id: int) -> PublishedSnapshot | None:
    """The last published snapshot, or ``None`` for an unknown classification. One created outside the services
    (no publication yet) is shown as it is, at version 0, as a race is."""
    row = Snapshot.objects.filter(topic=classification_topic(classification_id)).values_list("version", "payload")
    found = row.first()
    if found:
        return PublishedSnapshot(version=found[0], payload=found[1])
    if not Classification.objects.filter(pk=classification_id).exists():
        return None
    return PublishedSnapshot(
        version=0, payload=classification_snapshot_text(classification_id, version=0, committed_at=timezone.now())
    )


def classification_version(classification_id: int) -> int | None:
    """The published version (0 before the first publication), or ``None`` for an unknown classification."""
    topic = classification_topic(classification_id)
    version = Snapshot.objects.filter(topic=topic).values_list("version", flat=True).first()
    if version is None and Classification.objects.filter(pk=classification_id).exists():
        return 0
    return version


def classifications_of_races(race_ids: Iterable[int]) -> list[int]:
    """The classifications these races count for, by id (the order their snapshots are locked in)."""
    found = ClassificationRace.objects.filter(race_id__in=list(race_ids)).values_list("classification_id", flat=True)
    return sorted(set(found))
