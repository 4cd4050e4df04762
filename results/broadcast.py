"""Group names and pushes: the only way a snapshot leaves the process that saved it.

Convention: only ``results.services`` calls ``snapshot_push``, and always inside the transaction that wrote the
change. The push is deferred to commit (``transaction.on_commit``), so no spectator ever sees a result that was
rolled back, and it is sent as the exact text that was stored, built once for every client.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

SNAPSHOT_EVENT = "standings.update"


def race_group(race_id: int) -> str:
    """Channels group of a race's spectators (names must match ``^[a-zA-Z0-9-_.]+$``, under 100 chars)."""
    return f"race.{race_id}"


def snapshot_push(*, race_id: int, version: int, text: str) -> None:
    transaction.on_commit(lambda: _send(race_id, version, text), robust=True)


def _send(race_id: int, version: int, text: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        message = {"type": SNAPSHOT_EVENT, "race": race_id, "version": version, "text": text}
        async_to_sync(layer.group_send)(race_group(race_id), message)
    except Exception:
        # The result is committed; server processes that watch the database still deliver it (results.audience).
        logger.warning(
            "push of race %s v%s failed; spectators get it from the database watch",
            race_id,
            version,
            exc_info=True,
        )
