"""Importing a series' earlier rounds from their official result lists (docs/world-cup.md): one competition per
``competition`` of the index, each race created with its points table and its sheet replayed heat by heat through
the services the officials use (no waiting), then confirmed official by a referee. Its World Cup standings follow."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.contrib.auth.models import User
from django.db import transaction

from results import selectors, services
from results.demo.replay import heat_results_replay, race_create_from_sheet
from results.files.result_csv import SheetRow, read_result_csv
from results.files.round_index import IndexedRace
from results.models import Competition, Race, Series, Start
from results.rules.points_tables import table_of_sheet
from results.services import competitions, lineup

POINTS_AS_PRINTED = "As printed on the official result list ({sheet})."
ERROR_ALREADY = "{competition} is already in the database: a round is imported once."
ERROR_NO_COUNTRY = "The venue “{venue}” does not end in its country, such as (Ned): the index cannot say where it is."
ERROR_UNKNOWN = "The index has no competition “{name}”; it has {names}."


def competition_names(index: Sequence[IndexedRace]) -> list[str]:
    return list(dict.fromkeys(race.competition for race in index))


def _competition_create(races: Sequence[IndexedRace], series: Series) -> Competition:
    first = races[0]
    if Competition.objects.filter(name=first.competition).exists():
        raise ValueError(ERROR_ALREADY.format(competition=first.competition))
    if not first.country:
        raise ValueError(ERROR_NO_COUNTRY.format(venue=first.venue))
    venue = competitions.venue_get_or_create(name=first.venue, city=first.city, country=first.country)
    days = [race.day for race in races]
    competition = Competition(
        name=first.competition, venue=venue, series=series, starts_on=min(days), ends_on=max(days)
    )
    return competitions.competition_save(competition=competition, by=None)


def _race_import(competition: Competition, indexed: IndexedRace, referee: User) -> Race:
    with indexed.sheet.open(encoding="utf-8", newline="") as stream:
        rows = read_result_csv(stream)
    race = race_create_from_sheet(
        competition=competition,
        title=indexed.title,
        gender=indexed.gender,
        distance=indexed.distance,
        rows=rows,
        points_table=table_of_sheet(indexed.division, [row.printed_points for row in rows]),
        day=indexed.day,
    )
    heat_results_replay(race=race, rows=rows)
    _printed_points_award(race, rows, referee, indexed.sheet.name)
    return services.race_status_set(race=race, status=Race.State.OFFICIAL, by=referee)


def _printed_points_award(race: Race, rows: Sequence[SheetRow], referee: User, sheet: str) -> None:
    """Where the official list gives a skater other points than the table would (a fall ranked after the
    finishers and paid: docs/rules.md, "Points and medals"), the list's points stand, awarded by decision."""
    computed = {row["bib"]: row["points"] for row in selectors.race_standings(race)}
    for row in rows:
        if row.printed_points is not None and computed.get(row.bib) != row.printed_points:
            start = Start.objects.select_related("heat__race", "skater").get(heat__race=race, bib=row.bib)
            start.points_awarded = row.printed_points
            lineup.start_save(start=start, by=referee, reason=POINTS_AS_PRINTED.format(sheet=sheet))


def round_import(
    *,
    index: Sequence[IndexedRace],
    name: str,
    series: Series,
    referee: User,
    on_race: Callable[[Race], None] | None = None,
) -> Competition:
    """Import the competition ``name`` of ``index`` into ``series``, whole or not at all. Raises ``ValueError``
    (a round already imported, an unknown name, a venue without its country), ``ResultCsvError`` (a bad sheet),
    ``ValidationError`` (a referee who is none) and ``OSError`` (a sheet missing)."""
    races = [race for race in index if race.competition == name]
    if not races:
        raise ValueError(ERROR_UNKNOWN.format(name=name, names=", ".join(competition_names(index))))
    with transaction.atomic():
        competition = _competition_create(races, series)
        for indexed in races:
            race = _race_import(competition, indexed, referee)
            if on_race is not None:
                on_race(race)
    return competition
