"""What the printed documents of a race say (docs/officials.md, "Printing the result list"): the result list, read
off the race's published snapshot (the rows, their order, shown times, behind and points exactly as the board shows
them: nothing is ranked again here), with the officials and the referee's confirmation; the start list, from the
draw, with each skater's PB and SB; and a competition's results book, every race's result list in programme order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from results.models import Competition, Race, RaceStatusChange, Snapshot
from results.rules.times import format_time
from results.selectors import bests
from results.selectors.documents import PublishedSnapshot
from results.selectors.races import race_starts, race_withdrawals, record_entry, standing_records
from results.selectors.snapshots import race_snapshot_current, topic_versions
from results.topics import race_topic


@dataclass(frozen=True)
class SheetHead:
    """The block every printed document of a race opens with."""

    race_id: int
    competition: str
    venue: str
    city: str
    day: date
    title: str
    distance: int
    referee: str
    starter: str
    records: list[dict[str, Any]]


@dataclass(frozen=True)
class Confirmation:
    """When the referee confirmed the results (in the event's time zone), and who."""

    at: datetime
    by: str


@dataclass(frozen=True)
class ResultSheet:
    head: SheetHead
    version: int
    # The version and when it was published (``22@2025-11-14T19:02:11.412Z``): what a render is kept by, the same
    # only for the same document even where a database started again reuses ids.
    edition: str
    status: str
    rows: list[dict[str, Any]]
    with_points: bool
    confirmation: Confirmation | None

    @property
    def is_official(self) -> bool:
        return self.status == Race.State.OFFICIAL


@dataclass(frozen=True)
class StartListLine:
    pair: int | None
    lane: str
    bib: int
    name: str
    nation: str
    pb: str
    sb: str


@dataclass(frozen=True)
class StartListSheet:
    head: SheetHead
    version: int
    edition: str
    pairs: list[tuple[int, list[StartListLine]]]
    withdrawn: list[StartListLine]


@dataclass(frozen=True)
class ResultsBook:
    competition: Competition
    sheets: list[ResultSheet]


def _head(race: Race, records: list[dict[str, Any]]) -> SheetHead:
    competition = race.competition
    return SheetHead(
        race_id=race.pk,
        competition=competition.name,
        venue=competition.venue.name,
        city=competition.venue.city,
        day=race.day,
        title=race.title,
        distance=race.distance,
        referee=race.referee,
        starter=race.starter,
        records=records,
    )


def _confirmation(race: Race) -> Confirmation | None:
    change = (
        RaceStatusChange.objects.filter(race=race, new_status=Race.State.OFFICIAL)
        .select_related("by")
        .order_by("-at", "-id")
        .first()
    )
    if change is None:
        return None
    by = (change.by.get_full_name() or change.by.get_username()) if change.by else ""
    return Confirmation(at=timezone.localtime(change.at), by=by)


def _result_sheet(race: Race, snapshot: PublishedSnapshot) -> ResultSheet:
    document = json.loads(snapshot.payload)
    published = document["race"]
    status = published["status"]
    rows = document["standings"]
    # The published title and distance, not the race as saved now: the sheet says what the board says.
    head = replace(_head(race, document["standing_records"]), title=published["title"], distance=published["distance"])
    return ResultSheet(
        head=head,
        version=snapshot.version,
        edition=f"{snapshot.version}@{document['updated_at']}",
        status=status,
        rows=rows,
        with_points=any(row.get("points") is not None for row in rows),
        confirmation=_confirmation(race) if status == Race.State.OFFICIAL else None,
    )


def _race(race_id: int) -> Race | None:
    return Race.objects.select_related("competition__venue").filter(pk=race_id).first()


def race_result_sheet(race_id: int) -> ResultSheet | None:
    """The race's result list as last published, or ``None`` for an unknown race."""
    race = _race(race_id)
    snapshot = race_snapshot_current(race_id) if race else None
    if race is None or snapshot is None:
        return None
    return _result_sheet(race, snapshot)


def _mark(marks: dict[str, int], kind: str) -> str:
    return format_time(marks[kind]) if kind in marks else ""


def race_start_list_sheet(race_id: int) -> StartListSheet | None:
    """Every pair of the draw in start order, each skater with their PB and SB as they stood before the race; the
    skaters who withdrew before the draw last. ``None`` for an unknown race."""
    race = _race(race_id)
    if race is None:
        return None
    starts = race_starts(race)
    withdrawals = race_withdrawals(race)
    marks = bests.personal_marks(race, [s.skater_id for s in starts] + [w.skater_id for w in withdrawals])
    pairs: dict[int, list[StartListLine]] = {}
    for start in starts:
        own = marks.get(start.skater_id, {})
        pairs.setdefault(start.heat.number, []).append(
            StartListLine(
                pair=start.heat.number,
                lane=start.lane,
                bib=start.bib,
                name=start.skater.name,
                nation=start.skater.nation,
                pb=_mark(own, "PB"),
                sb=_mark(own, "SB"),
            )
        )
    withdrawn = [
        StartListLine(pair=None, lane="", bib=w.bib, name=w.skater.name, nation=w.skater.nation, pb="", sb="")
        for w in withdrawals
    ]
    published = Snapshot.objects.filter(topic=race_topic(race_id)).values_list("version", "committed_at").first()
    version, at = published or (0, None)
    return StartListSheet(
        head=_head(race, [record_entry(record) for record in standing_records(race)]),
        version=version,
        edition=f"{version}@{at.isoformat() if at else ''}",
        pairs=sorted(pairs.items()),
        withdrawn=withdrawn,
    )


def competition_races(competition_id: int) -> list[Race]:
    """The competition's races in programme order."""
    races = Race.objects.filter(competition_id=competition_id).select_related("competition__venue")
    return list(races.order_by("order", "id"))


def competition_results_book(competition_id: int) -> ResultsBook | None:
    """Every race's result list in programme order, or ``None`` for an unknown competition."""
    competition = Competition.objects.select_related("venue").filter(pk=competition_id).first()
    if competition is None:
        return None
    sheets = []
    for race in competition_races(competition_id):
        snapshot = race_snapshot_current(race.pk)
        if snapshot is not None:
            sheets.append(_result_sheet(race, snapshot))
    return ResultsBook(competition=competition, sheets=sheets)


def competition_versions(competition_id: int) -> str | None:
    """Each race's published version, in programme order (``12v4,13v0``): what the book's ETag is made of."""
    if not Competition.objects.filter(pk=competition_id).exists():
        return None
    races = competition_races(competition_id)
    versions = topic_versions([race_topic(race.pk) for race in races])
    return ",".join(f"{race.pk}v{versions.get(race_topic(race.pk), 0)}" for race in races)
