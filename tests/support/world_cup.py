"""Builders for World Cup standings: a series, its rounds, races whose points add up, and the official rounds of
data/isu-wc-2025-26 imported as `manage.py import_round` does."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User

from results.demo.rounds import round_import
from results.files.round_index import read_round_index
from results.models import Competition, Race, Series, Venue
from results.roles import REFEREE
from results.services import race_status_set
from results.services.competitions import competition_save
from results.services.series import series_save
from tests.support.factories import enter_heat, make_race, make_user
from tests.support.paths import DATA

INDEX = read_round_index(DATA / "index.csv")
WC1, WC3 = "ISU SPEED SKATING WORLD CUP #1", "ISU SPEED SKATING WORLD CUP #3"


def make_series(name: str = "ISU Speed Skating World Cup 2025-26", season: str = "2025-26") -> Series:
    return series_save(series=Series(name=name, season=season), by=None)


def make_round(series: Series | None, name: str, starts_on: date) -> Competition:
    """A competition of ``series`` on one day (a made-up round between the official ones)."""
    venue, _ = Venue.objects.get_or_create(name="Thialf", defaults={"city": "Heerenveen", "country": "NED"})
    competition = Competition(name=name, venue=venue, series=series, starts_on=starts_on, ends_on=starts_on)
    return competition_save(competition=competition, by=None)


def referee() -> User:
    found = User.objects.filter(username="wc-referee").first()
    return found or make_user("wc-referee", REFEREE)


def import_official_round(series: Series, name: str) -> Competition:
    return round_import(index=INDEX, name=name, series=series, referee=referee())


def make_series_race(series: Series, name: str, starts_on: date, **fields: Any) -> Race:
    """A round of ``series`` on ``starts_on`` with one race (``make_race``'s women's 500 m unless told otherwise)."""
    return make_race(make_round(series, name, starts_on), **fields)


def confirm(race: Race) -> None:
    race_status_set(race=race, status=Race.State.OFFICIAL, by=referee())


def make_season() -> tuple[Series, Race, Race]:
    """Round 1's women's 500 m official (Alpha 60, Bravo 54, Charlie 48, Delta 43, Echo 40, Foxtrot a DNF); round 2's
    still to skate."""
    series = make_series()
    first = make_series_race(series, "World Cup #1", date(2025, 11, 14))
    enter_heat(first, 1, {11: "38.00", 12: "38.10"})
    enter_heat(first, 2, {21: "38.20", 22: "38.30"})
    enter_heat(first, 3, {31: "38.40", 32: "DNF"})
    confirm(first)
    return series, first, make_series_race(series, "World Cup #2", date(2025, 11, 21))
