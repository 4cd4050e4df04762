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


def snapshot_push(*, topic: str, version: int, text: str) -> None:
    """Push a board's new snapshot to its channel group (named by its topic, results/topics.py) on commit."""
    transaction.on_commit(lambda: _send(topic, version, text), robust=True)


def _send(topic: str, version: int, text: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        message = {"type": SNAPSHOT_EVENT, "topic": topic, "version": version, "text": text}
        async_to_sync(layer.group_send)(topic, message)
    except Exception:
        # The change is committed; server processes that watch the database still deliver it (results.live.audience).
        logger.warning(
            "push of %s v%s failed; spectators get it from the database watch", topic, version, exc_info=True
        )
