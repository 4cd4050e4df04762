"""Which web pages may open the public sockets.

Browsers send an ``Origin`` with every websocket handshake. The sockets are public and read-only, so by default
any page may open them: a broadcaster's own page reads the feed with a few lines of JavaScript (docs/feed.md).
When ``EMBED_ALLOWED_ORIGINS`` lists the broadcasters' origins, only those and this site's own hosts
(``ALLOWED_HOSTS``) may. Clients that are not browsers send no ``Origin`` and are always let in: they could send
any ``Origin`` they like anyway.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import ParseResult

from channels.security.websocket import OriginValidator
from django.conf import settings


class FeedOriginValidator(OriginValidator):
    """Reads the settings on every handshake, so a deployment's (or a test's) settings apply as they are."""

    def __init__(self, application: Any) -> None:
        super().__init__(application, allowed_origins=[])

    def valid_origin(self, parsed_origin: ParseResult | None) -> bool:
        broadcasters = settings.EMBED_ALLOWED_ORIGINS
        if parsed_origin is None or not broadcasters:
            return True
        patterns = [*settings.ALLOWED_HOSTS, *broadcasters]
        return any(pattern == "*" or self.match_allowed_origin(parsed_origin, pattern) for pattern in patterns)
