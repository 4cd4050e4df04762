"""Every read that builds a series' World Cup standings for one gender and distance (docs/feed.md, "World Cup
standings"): the snapshot its page, its JSON and its socket serve, the standings after a given round, and each
skater's standing before a race (for the commentators). The points come from each race's published standings, never
ranked again; the rule that adds them up is results/rules/world_cup.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from results.models import Competition, Race, Series, Skater, Snapshot
from results.rules import world_cup
from results.selectors.documents import API_VERSION, PublishedSnapshot, document_text, timestamp
from results.selectors.races import published_standings_of, race_standings
from results.topics import GENDERS, series_topic

ERROR_SERIES_NOT_FOUND = "No series with id {series_id}."
ERROR_SERIES_BOARD_NOT_FOUND = "The series {series_id} has no World Cup race for {gender} over {distance} m."
ERROR_AFTER = "after must be the id of a competition of this series with a {distance} m for {gender}, not “{value}”."
# Counted with their standings as they are, and said to be provisional.
PROVISIONAL = (Race.State.LIVE, Race.State.UNOFFICIAL, Race.State.PROTESTED)

StandingsByRace = Mapping[int, Sequence[Mapping[str, Any]]]


def _race_order(race: Race) -> tuple[Any, ...]:
    return (race.competition.starts_on, race.competition_id, race.day, race.order, race.pk)


def series_races(series_id: int, gender: str, distance: int) -> list[Race]:
    """The races that score points for these standings, in the order they were skated: individual distances of the
    series' competitions with a points table (a mass start, a team pursuit or a race without points does not)."""
    races = Race.objects.filter(
        competition__series_id=series_id, gender=gender, distance=distance, format=Race.Format.INDIVIDUAL
    ).select_related("competition")
    return sorted((race for race in races if race.points_table), key=_race_order)


def series_boards(series_id: int) -> list[tuple[str, int]]:
    """The (gender, distance) standings of a series, women first, by distance."""
    races = Race.objects.filter(competition__series_id=series_id, format=Race.Format.INDIVIDUAL)
    boards = {
        (race.gender, race.distance) for race in races.only("gender", "distance", "points_table") if race.points_table
    }
    return sorted(boards, key=lambda board: (GENDERS.index(board[0]), board[1]))


def series_boards_of_races(race_ids: Iterable[int]) -> list[tuple[int, str, int]]:
    """The series standings these races count for, as (series, gender, distance), in the order their snapshots are
    locked in. A race without a points table is included: its standings may just have stopped counting."""
    found = Race.objects.filter(
        pk__in=list(race_ids), competition__series__isnull=False, format=Race.Format.INDIVIDUAL
    ).values_list("competition__series_id", "gender", "distance")
    return sorted({(series_id, gender, distance) for series_id, gender, distance in found if series_id is not None})


def _races_rows(races: Sequence[Race], fresh: StandingsByRace) -> dict[int, Sequence[Mapping[str, Any]]]:
    """Each race's standings as its board shows them: just ranked in this write, else as published (read in one
    query), else (a race never published, such as one created outside the services) as they are now."""
    known = {**published_standings_of(race.pk for race in races if race.pk not in fresh), **fresh}
    return {race.pk: known[race.pk] if race.pk in known else race_standings(race) for race in races}


def _scores(races: Sequence[Race], fresh: StandingsByRace) -> list[world_cup.Scored]:
    rows_of = _races_rows(races, fresh)
    return [
        world_cup.Scored(skater=row["skater"], round=race.competition_id, points=row["points"])
        for race in races
        for row in rows_of[race.pk]
        if row.get("points")  # a non-finisher has none, unless a referee awarded them by decision
    ]


def _rounds(races: Sequence[Race]) -> list[world_cup.Round]:
    return world_cup.rounds_ordered(
        world_cup.Round(key=race.competition_id, starts_on=race.competition.starts_on) for race in races
    )


def _standings(races: Sequence[Race], fresh: StandingsByRace) -> list[world_cup.Standing]:
    scores = _scores(races, fresh)
    names = dict(Skater.objects.filter(pk__in={s.skater for s in scores}).values_list("pk", "name"))
    return world_cup.standings(scores, _rounds(races), tie_order=lambda skater: (names.get(skater, ""), skater))


def _races_up_to(races: Sequence[Race], after: int | None) -> list[Race]:
    """The races of the rounds up to and including the round ``after`` (a competition id), in date order."""
    if after is None:
        return list(races)
    keys = [r.key for r in _rounds(races)]
    kept = set(keys[: keys.index(after) + 1])
    return [race for race in races if race.competition_id in kept]


def series_document(
    series: Series,
    gender: str,
    distance: int,
    *,
    version: int,
    committed_at: datetime,
    standings_by_race: StandingsByRace | None = None,
    after: int | None = None,
) -> dict[str, Any]:
    """The standings now (``after``: after that round), with a column per round in date order."""
    races = _races_up_to(series_races(series.pk, gender, distance), after)
    rows = _standings(races, standings_by_race or {})
    skaters = Skater.objects.in_bulk([row.skater for row in rows])
    competitions: dict[int, Competition] = {race.competition_id: race.competition for race in races}
    return {
        "type": "series_standings",
        "api": API_VERSION,
        "series": {"id": series.pk, "name": series.name, "season": series.season},
        "gender": gender,
        "distance": distance,
        "after": after,
        "rounds": [
            {
                "competition": round_.key,
                "name": competitions[round_.key].name,
                "starts_on": round_.starts_on.isoformat(),
                "races": [
                    {"id": race.pk, "title": race.title, "day": race.day.isoformat(), "status": race.status}
                    for race in races
                    if race.competition_id == round_.key
                ],
            }
            for round_ in _rounds(races)
        ],
        "provisional": [
            {"race": race.pk, "title": race.title, "status": race.status, "competition": race.competition_id}
            for race in races
            if race.status in PROVISIONAL
        ],
        "version": version,
        "updated_at": timestamp(committed_at),
        "standings": [
            {
                "rank": row.rank,
                "skater": row.skater,
                "name": skaters[row.skater].name,
                "nation": skaters[row.skater].nation,
                "total": row.total,
                "rounds": list(row.by_round),
            }
            for row in rows
        ],
    }


def series_snapshot_document(
    series_id: int,
    gender: str,
    distance: int,
    *,
    version: int,
    committed_at: datetime,
    standings_by_race: StandingsByRace | None = None,
) -> dict[str, Any]:
    series = Series.objects.get(pk=series_id)
    return series_document(
        series, gender, distance, version=version, committed_at=committed_at, standings_by_race=standings_by_race
    )


def series_board_exists(series_id: int, gender: str, distance: int) -> bool:
    return gender in GENDERS and bool(series_races(series_id, gender, distance))


def series_snapshot_current(series_id: int, gender: str, distance: int) -> PublishedSnapshot | None:
    """The last published standings, or ``None`` for a series or distance without World Cup races. Standings not
    published yet (races created outside the services) are shown as they are, at version 0."""
    if not series_board_exists(series_id, gender, distance):
        return None
    topic = series_topic(series_id, gender, distance)
    found = Snapshot.objects.filter(topic=topic).values_list("version", "payload").first()
    if found:
        return PublishedSnapshot(version=found[0], payload=found[1])
    document = series_snapshot_document(series_id, gender, distance, version=0, committed_at=timezone.now())
    return PublishedSnapshot(version=0, payload=document_text(document))


def series_version(series_id: int, gender: str, distance: int) -> int | None:
    """The published version (0 before the first publication), or ``None`` for standings that do not exist."""
    if not series_board_exists(series_id, gender, distance):
        return None
    topic = series_topic(series_id, gender, distance)
    return Snapshot.objects.filter(topic=topic).values_list("version", flat=True).first() or 0


def series_rounds(series_id: int, gender: str, distance: int) -> list[int]:
    """The competitions with a race of these standings, in date order: what ``after`` may name."""
    return [r.key for r in _rounds(series_races(series_id, gender, distance))]


def series_after_document(series: Series, gender: str, distance: int, *, after: int) -> dict[str, Any]:
    """The standings after the round ``after`` (a competition id from ``series_rounds``), at the version and time of
    the standings now."""
    topic = series_topic(series.pk, gender, distance)
    found = Snapshot.objects.filter(topic=topic).values_list("version", "committed_at").first()
    version, committed_at = found if found else (0, timezone.now())
    return series_document(series, gender, distance, version=version, committed_at=committed_at, after=after)


def standing_before(race: Race) -> dict[int, dict[str, int]]:
    """Each skater's World Cup rank and points on the race's gender and distance before it: over the races of its
    series skated before it (this race and any later one left out). Empty for a race of no series, a mass start or a
    team pursuit. ``{skater_id: {"rank": 3, "points": 114}}``."""
    series_id = race.competition.series_id
    if series_id is None or race.format != Race.Format.INDIVIDUAL:
        return {}
    races = series_races(series_id, race.gender, race.distance)
    before = [other for other in races if other.pk != race.pk and _race_order(other) < _race_order(race)]
    return {row.skater: {"rank": row.rank, "points": row.total} for row in _standings(before, {})}
