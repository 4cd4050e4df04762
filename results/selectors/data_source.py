"""A race's snapshot as a vision mixer's data source (docs/broadcasters.md, "Data sources"): a flat list of rows,
every value a display string, every row with the same keys, so that vMix and H2R Graphics see stable columns.

Read from the published snapshot only: nothing is ranked again here. Standings rows come first, in the snapshot's
order, then the skaters on the ice, then the pair saved last.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

Row = dict[str, str]

STANDING: Final = "standing"
ON_ICE: Final = "on_ice"
LAST_PAIR: Final = "last_pair"
KINDS: Final = (STANDING, ON_ICE, LAST_PAIR)
# Every row has every key, in this order: a column that is empty for a row is "" (never null, never missing).
KEYS: Final = (
    "kind",
    "rank",
    "bib",
    "name",
    "nation",
    "members",
    "time",
    "behind",
    "flags",
    "pair",
    "lane",
    "points",
    "race_points",
    "status",
    "at",
    "split",
    "gap",
    "projected",
)
LANE_ORDER: Final = {"I": 0, "O": 1}
MASS_START: Final = "mass_start"


def text(value: Any) -> str:
    """A value as the mixer shows it: ``None`` is empty, a number its digits."""
    return "" if value is None else str(value)


def blank_row(kind: str) -> Row:
    return {key: "" for key in KEYS} | {"kind": kind}


def result_row(kind: str, row: dict[str, Any]) -> Row:
    """A standings row of the snapshot (a finisher, a non-finisher, a team), as strings."""
    return blank_row(kind) | {
        "rank": text(row["rank"]),
        "bib": text(row["bib"]),
        "name": row["name"],
        "nation": row["nation"],
        "members": " · ".join(row.get("members", [])),
        "time": text(row["time"]),
        "behind": row["behind"],
        "flags": " ".join(row["records"]),
        "pair": text(row["heat"]),
        "lane": text(row["lane"]),
        "points": text(row["points"]),
        "race_points": text(row.get("race_points")),
        "status": text(row["status"]),
    }


def on_ice_row(heat: int, skater: dict[str, Any]) -> Row:
    """A skater on the ice: their latest passage (where, the time there, rank and gap there, the projection)."""
    passage = skater.get("passage") or {}
    projected = passage.get("projected") or {}
    return blank_row(ON_ICE) | {
        "rank": text(passage.get("rank")),
        "bib": text(skater["bib"]),
        "name": skater["name"],
        "nation": skater["nation"],
        "members": " · ".join(skater.get("members", [])),
        "pair": text(heat),
        "lane": text(skater["lane"]),
        "at": f"{passage['distance']} m" if passage else "",
        "split": text(passage.get("time")),
        "gap": text(passage.get("behind")),
        "projected": text(projected.get("time")),
    }


def standings_shown(standings: list[dict[str, Any]], top: int | None) -> list[dict[str, Any]]:
    """Every row, or the finishers ranked 1 to ``top`` (all of a tie at the cut)."""
    if top is None:
        return standings
    return [row for row in standings if row["rank"] is not None and row["rank"] <= top]


def last_pair(document: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The skaters of the pair saved last, inner lane first. A mass start has no pairs: none."""
    heat = document["last_heat"]
    if heat is None or document["race"].get("format") == MASS_START:
        return []
    rows = [row for row in document["standings"] if row["heat"] == heat]
    return sorted(rows, key=lambda row: LANE_ORDER.get(row["lane"], 2))


def data_source_rows(document: dict[str, Any], *, kind: str | None = None, top: int | None = None) -> list[Row]:
    """The snapshot ``document`` as rows: standings (the first ``top`` ranks only, when given), the skaters on the
    ice, the pair saved last; only those of ``kind`` when given."""
    rows: list[Row] = []
    if kind in (None, STANDING):
        rows += [result_row(STANDING, row) for row in standings_shown(document["standings"], top)]
    if kind in (None, ON_ICE) and document["race"].get("format") != MASS_START:
        for heat in document.get("on_ice", []):
            rows += [on_ice_row(heat["heat"], skater) for skater in heat["skaters"]]
    if kind in (None, LAST_PAIR):
        rows += [result_row(LAST_PAIR, row) for row in last_pair(document)]
    return rows
