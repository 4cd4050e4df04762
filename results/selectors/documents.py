"""What every published document shares: the feed's API version, how times of day are written, and a published
snapshot as stored (its version and exact text)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

API_VERSION = 1


@dataclass(frozen=True)
class PublishedSnapshot:
    version: int
    payload: str


def timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def document_text(document: dict[str, Any]) -> str:
    """A document as the feed sends it: compact JSON, UTF-8 as is."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
