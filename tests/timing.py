"""Test helpers for the timing API (docs/timing-api.md): a token, and posts as a timing system sends them."""

from __future__ import annotations

import json
from typing import Any

from results.models import Competition
from results.services.timing_tokens import timing_token_create


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
