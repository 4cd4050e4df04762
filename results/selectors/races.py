"""A race's standings and the snapshot its page, JSON and socket all serve (docs/feed.md), built from the
database by the rules in ``results.rules``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from results.models import Race, Record, Snapshot, Start, Withdrawal
from results.rules import ranking, schedule
from results.rules.times import format_time
from results.selectors import bests, passages
from results.selectors.documents import API_VERSION, document_text, timestamp
from results.selectors.formats import document_extend, mass_start_standings
from results.topics import race_topic

ERROR_RACE_NOT_FOUND = "No race with id {race_id}."
NEXT_HEATS_SHOWN = 3


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
    (``bests.national_records``), not for the whole field.
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


def record_entry(record: Record) -> dict[str, Any]:
    """A standing record as the snapshot lists it."""
    return {
        "kind": record.kind,
        "time": format_time(record.time_ms),
        "holder": record.holder,
        "nation": record.nation,
        "set_on": record.set_on.isoformat(),
    }


def _skater_entry(start: Start) -> dict[str, Any]:
    return {
        "bib": start.bib,
        "skater": start.skater_id,
        "name": start.skater.name,
        "nation": start.skater.nation,
        "lane": start.lane or None,
    }


def pair_starts(race: Race, starts: list[Start]) -> dict[int, datetime]:
    """When each pair still without all its results starts: when it started, if it has (a pair on the ice), else
    when it is expected to (``rules.schedule``). Empty without a scheduled start before the first pair."""
    heats = {start.heat.number: start.heat for start in starts}
    started = {number: heat.started_at for number, heat in heats.items() if heat.started_at is not None}
    pending = sorted({start.heat.number for start in starts if not start.has_result})
    expected = schedule.pair_starts_expected(
        scheduled_start=race.scheduled_start,
        started=started,
        to_start=[number for number in pending if number not in started],
        distance=race.distance,
    )
    return {
        number: started.get(number) or expected[number] for number in pending if number in started or number in expected
    }


def pairs_to_come(starts: list[Start], starts_at: dict[int, datetime], most: int | None) -> list[dict[str, Any]]:
    """The pairs still without all their results, in start order (the first ``most``): when each is expected to
    start, and who skates in it."""
    pending_heats = sorted({start.heat.number for start in starts if not start.has_result})
    return [
        {
            "heat": number,
            "eta": timestamp(starts_at[number]) if number in starts_at else None,
            "skaters": [_skater_entry(s) for s in starts if s.heat.number == number],
        }
        for number in pending_heats[:most]
    ]


def race_starts(race: Race) -> list[Start]:
    return list(
        Start.objects.filter(heat__race=race).select_related("heat", "skater").order_by("heat__number", "lane", "id")
    )


def race_withdrawals(race: Race) -> list[Withdrawal]:
    """The skaters who withdrew before the draw, by bib."""
    return list(race.withdrawals.select_related("skater").order_by("bib"))


def _standings(race: Race, starts: list[Start], records: list[Record]) -> list[dict[str, Any]]:
    withdrawals = race_withdrawals(race)
    if race.format == Race.Format.MASS_START:
        rows = mass_start_standings(race, starts)
    else:
        results = race_results(starts, bests.personal_marks(race, (start.skater_id for start in starts)))
        standings = ranking.rank_results(
            [*results, *(withdrawal.as_result() for withdrawal in withdrawals)],
            points_table=race.points_table,
            standing_records={record.kind: record.time_ms for record in records},
            national_records=bests.national_records(race),
        )
        final = race.status == Race.State.OFFICIAL
        rows = [standing.as_row(final=final) for standing in standings]
    # The skater (or team) of each row by id, the same in every race (a re-skated skater keeps their bib).
    skater_of_bib = {start.bib: start.skater_id for start in starts}
    skater_of_bib.update((withdrawal.bib, withdrawal.skater_id) for withdrawal in withdrawals)
    for row in rows:
        row["skater"] = skater_of_bib[row["bib"]]
    return rows


def published_standings_of(race_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Each race's standings as last published (one query for them all), for the races whose rows name their
    skaters (a team pursuit's do not); a race never published is left out."""
    topics = {race_topic(race_id): race_id for race_id in race_ids}
    found: dict[int, list[dict[str, Any]]] = {}
    for topic, payload in Snapshot.objects.filter(topic__in=topics).values_list("topic", "payload"):
        rows: list[dict[str, Any]] = json.loads(payload)["standings"]
        if all("skater" in row for row in rows):
            found[topics[topic]] = rows
    return found


def published_standings(race_id: int) -> list[dict[str, Any]] | None:
    """The race's standings as last published, when its rows name their skaters (a team pursuit's do not)."""
    return published_standings_of([race_id]).get(race_id)


def race_standings(race: Race) -> list[dict[str, Any]]:
    """The race's standings rows as the feed gives them (docs/feed.md), computed now."""
    return _standings(race, race_starts(race), standing_records(race))


def race_snapshot_document(
    race: Race,
    *,
    version: int,
    committed_at: datetime,
    change: dict[str, Any] | None = None,
    standings: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The race's snapshot (docs/feed.md). ``standings``: its rows as just ranked by the write being published
    (``race_standings``), so that they are not ranked twice; they get the rest of what a row carries here."""
    competition = race.competition
    starts = race_starts(race)
    records = standing_records(race)
    heat_numbers = {start.heat.number for start in starts}
    pending = {start.heat.number for start in starts if not start.has_result}
    last_heat = race.heats.filter(recorded_at__isnull=False).order_by("-recorded_at", "-number").first()
    if standings is None:
        standings = _standings(race, starts, records)
    live = passages.race_passages(race, starts, standings)  # adds each row's splits
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
            "scheduled_start": timestamp(race.scheduled_start) if race.scheduled_start else None,
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
        "next_heats": pairs_to_come(starts, pair_starts(race, starts), NEXT_HEATS_SHOWN),
        "on_ice": live.on_ice,
        "what_it_takes": live.what_it_takes,
        "standing_records": [record_entry(record) for record in records],
    }
    document_extend(race, starts, document)
    return document


def race_snapshot_text(
    race: Race, *, version: int, committed_at: datetime, change: dict[str, Any] | None = None
) -> str:
    return document_text(race_snapshot_document(race, version=version, committed_at=committed_at, change=change))
