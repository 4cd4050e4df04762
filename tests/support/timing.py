"""Test helpers for the timing API (docs/timing-api.md): a token, and posts as a timing system sends them."""

from __future__ import annotations

import json
from typing import Any

from results.demo.replay import race_create_from_sheet
from results.files.result_csv import read_result_csv
from results.models import Competition, Venue
from results.rules.points_tables import WORLD_CUP_A
from results.rules.times import parse_time
from results.services.timing_tokens import timing_token_create
from tests.support.paths import DATA


def make_timing_token(competition: Competition, name: str = "Finish line") -> str:
    """A timing-system token for ``competition``; returns the secret the timing system sends."""
    _token, secret = timing_token_create(competition=competition, name=name)
    return secret


def passages_path(race_id: int) -> str:
    return f"/api/timing/races/{race_id}/passages"


def timing_post(client: Any, race_id: int, secret: str | None, body: Any) -> Any:
    """POST ``body`` (JSON-encoded unless it is already a string) with ``Authorization: Bearer <secret>``."""
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(passages_path(race_id), data=data, content_type="application/json", headers=headers)


# Passages constructed from the finish times of an official result list (Salt Lake City, men's 1000 m Division A:
# the sheets give finish times only) and each skater's finish: {pair: {bib: [(metres, time), ...]}}.
MEN_1000 = {
    4: {  # Damian ŻUREK 1:06.02 (inner), Marek KANIA 1:07.30 (outer)
        157: [(200, "16.30"), (600, "41.05"), (1000, "1:06.02")],
        151: [(200, "16.52"), (600, "41.60"), (1000, "1:07.30")],
    },
    8: {  # Jordan STOLZ 1:05.66 (inner), Joep WENNEMARS 1:07.012 (outer)
        181: [(200, "16.38"), (600, "40.98"), (1000, "1:05.66")],
        131: [(200, "16.21"), (600, "41.22"), (1000, "1:07.012")],
    },
}


def sheet_race(stem: str, title: str, distance: int, points_table: tuple[int, ...] = WORLD_CUP_A):
    venue = Venue.objects.create(name="Utah Olympic Oval", city="Salt Lake City", country="USA")
    competition = Competition.objects.create(
        name="ISU World Cup #1", venue=venue, starts_on="2025-11-14", ends_on="2025-11-16"
    )
    rows = read_result_csv((DATA / f"{stem}.csv").open(encoding="utf-8"))
    race = race_create_from_sheet(
        competition=competition, title=title, gender="men", distance=distance, rows=rows, points_table=points_table
    )
    return race, rows


def in_time_order(pair: dict[int, list[tuple[int, str]]]) -> list[tuple[int, int, int]]:
    """Each (time_ms, bib, metres) of a pair as the timing system reports it: by the clock."""
    return sorted((parse_time(text), bib, metres) for bib, points in pair.items() for metres, text in points)
