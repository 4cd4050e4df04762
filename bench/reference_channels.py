"""Reference (stock Channels): the textbook consumer on Daphne with the default in-memory channel layer.

An ``AsyncWebsocketConsumer`` joins the race's group (``groups``), sends the current text on connect, and sends
every ``standings.update`` it receives; ``GET /broadcast?version=N`` stamps the same snapshot text as the
server under test and does a ``group_send`` from inside the server process. Nothing of the project is used, and Daphne
runs with its own defaults but the listen backlog: this is what the channels documentation would have one write.

    BENCH_TEMPLATE=/tmp/snapshot-templates.json python -m daphne -e tcp:port=8002:interface=127.0.0.1:backlog=4096 \\
        bench.reference_channels:application

Started by bench/fanout.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-reference-channels",
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=["channels"],
        USE_TZ=True,
        CHANNEL_LAYERS={"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
    )
    django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path

from bench.reference_bare import stamped

GROUP = "race"
TEMPLATES = json.loads(Path(os.environ["BENCH_TEMPLATE"]).read_text(encoding="utf-8"))
current = [stamped(TEMPLATES, 0)]


class StandingsConsumer(AsyncWebsocketConsumer):
    groups = [GROUP]

    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data=current[0])

    async def standings_update(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])


async def trigger(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """``GET /broadcast?version=N``: one group_send of the stamped text, from inside the server process."""
    status, body = 404, b"not found\n"
    if scope["type"] == "http" and scope["path"] == "/broadcast":
        version = int(parse_qs(scope["query_string"].decode())["version"][0])
        current[0] = stamped(TEMPLATES, version)
        await get_channel_layer().group_send(GROUP, {"type": "standings.update", "text": current[0]})
        status, body = 200, b"ok\n"
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})


application = ProtocolTypeRouter(
    {
        "http": trigger,
        "websocket": URLRouter([path("ws/races/<int:race_id>/", StandingsConsumer.as_asgi())]),
    }
)
