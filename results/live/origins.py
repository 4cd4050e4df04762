"""Which web pages may open the public sockets.

Browsers send an ``Origin`` with every websocket handshake. The sockets are public and read-only, so by default
any page may open them: a broadcaster's own page reads the feed with a few lines of JavaScript (docs/feed.md).
When ``EMBED_ALLOWED_ORIGINS`` lists the broadcasters' origins, only those and this site's own hosts
(``ALLOWED_HOSTS``) may. Clients that are not browsers send no ``Origin`` and are always let in: they could send
any ``Origin`` they like anyway.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import ParseResult, urlparse

from channels.security.websocket import OriginValidator, WebsocketDenier
from django.conf import settings


class FeedOriginValidator(OriginValidator):
    """Reads the settings on every handshake, so a deployment's (or a test's) settings apply as they are."""

    def __init__(self, application: Any) -> None:
        super().__init__(application, allowed_origins=[])

    async def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        """An ``Origin`` that is no URL (``http://[``, a port of letters) is refused at the handshake, as a foreign
        one is, instead of Channels raising in the middle of it (a traceback in the server's log)."""
        origins = [value.decode("latin1") for name, value in scope.get("headers", []) if name == b"origin"]
        if not all(origin_parses(origin) for origin in origins):
            return await WebsocketDenier()(scope, receive, send)
        return await super().__call__(scope, receive, send)

    def valid_origin(self, parsed_origin: ParseResult | None) -> bool:
        broadcasters = settings.EMBED_ALLOWED_ORIGINS
        if parsed_origin is None or not broadcasters:
            return True
        patterns = [*settings.ALLOWED_HOSTS, *broadcasters]
        return any(pattern == "*" or self.match_allowed_origin(parsed_origin, pattern) for pattern in patterns)


def origin_parses(origin: str) -> bool:
    """``origin`` reads as a URL, its port included."""
    try:
        _port = urlparse(origin).port  # raises for a port that is no number, or out of range
    except ValueError:
        return False
    return True
