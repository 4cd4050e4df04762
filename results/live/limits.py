"""Limits on the public sockets, so one client cannot take what thousands of spectators share."""

from __future__ import annotations

from collections import Counter
from typing import Any

from channels.security.websocket import WebsocketDenier
from django.conf import settings


class ConnectionsPerAddressLimit:
    """At most ``MAX_SOCKETS_PER_IP`` open sockets per client address in this process (0: no limit). Behind a
    proxy, Daphne's ``--proxy-headers`` makes the address the client's own (docs/deploy.md). A refused
    handshake gets HTTP 403; the client's backoff then spaces out its attempts."""

    def __init__(self, application: Any) -> None:
        self.application = application
        self.open: Counter[str] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        limit = settings.MAX_SOCKETS_PER_IP
        address = (scope.get("client") or ("unknown", 0))[0]
        if limit and self.open[address] >= limit:
            return await WebsocketDenier()(scope, receive, send)  # type: ignore[arg-type]
        self.open[address] += 1
        try:
            return await self.application(scope, receive, send)
        finally:
            self.open[address] -= 1
            if not self.open[address]:
                del self.open[address]
