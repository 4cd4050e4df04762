"""What the demo writes in the newcomer's terminal (``make run``): one short line per pair saved, from the board
as published, while the full log goes to a file. ``pair 8   Jordan STOLZ 1:05.66 1st · Joep WENNEMARS 1:07.01 7th``"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from results.rules.wording import ordinal
from results.server.log_format import OneLineFormatter


def pair_line(document: dict[str, Any], heat: int) -> str:
    """The pair's skaters as the board now shows them: name, time (or status and code), record flags, provisional
    rank."""
    rows = [row for row in document.get("standings", []) if row.get("heat") == heat]
    skaters = " · ".join(_skater(row) for row in rows)
    return f"  pair {heat:<3} {skaters}"


def _skater(row: dict[str, Any]) -> str:
    shown = row.get("time") or " ".join(part for part in (row.get("status"), row.get("infraction")) if part)
    rank = ordinal(row["rank"]) if row.get("rank") else ""
    records = " ".join(row.get("records") or ())
    return " ".join(part for part in (row["name"], shown, records, rank) if part)


def log_to_file(path: Path) -> None:
    """This process's log goes to ``path`` (emptied first), one line per event, as the servers' does."""
    path.write_text("", encoding="utf-8")
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(OneLineFormatter())
    logging.getLogger().handlers = [handler]
