"""A classification's socket, ``/ws/classifications/<id>/`` (docs/feed.md): a board like a race's, on the
classification's topic. Unknown classifications close with 4404."""

from __future__ import annotations

from results.consumers import BoardConsumer
from results.topics import classification_topic


class ClassificationConsumer(BoardConsumer):
    """A classification's standings: the snapshot on connect, then each new one (after every heat of any of its
    distances), and heartbeats."""

    def topic(self) -> str:
        return classification_topic(self.scope["url_route"]["kwargs"]["classification_id"])
