"""The spectators' sockets (``/ws/races/<id>/``, ``/ws/competitions/<id>/``, ``/ws/classifications/<id>/``;
docs/feed.md) on the real ASGI application under any handshake and any frames: any path under ``/ws/`` and any id,
any query string (``?since=`` right, wrong, huge or garbled), any ``Origin`` (with and without a list of
broadcasters), then any text and binary frames, small and too big.

For every socket: no exception out of the application (Daphne would close with 1011 and log a traceback) and nothing
logged as an error; refused at the handshake, or accepted and then sent only JSON documents and closed, if at all,
with a code the feed documents (4404 not found, 4009 a message too big); once closed, the spectator has left the
process's audience; nothing saved changes.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from results.live.audience import audience
from results.live.consumers import CLOSE_NOT_FOUND, CLOSE_TOO_BIG
from skating.asgi import application
from tests.fuzz.properties import assert_unchanged, fingerprint, no_traceback_logged, tally
from tests.fuzz.strategies import SHORT_TEXT, TEXT, mostly, path_segments, query_strings
from tests.support.classification_factories import make_sprint, skate_pair
from tests.support.published import version

Frame = dict[str, Any]
ORIGINS = st.one_of(
    st.sampled_from([b"http://localhost", b"https://federation.example", b"https://tv.example", b"null", b""]),
    st.sampled_from([b"http://[", b"http://[::1", b"http://localhost:99999", b"http://tv.example:port", b"//:"]),
    st.binary(max_size=30),
    SHORT_TEXT.map(lambda text: text.encode("utf-8")),
)
BROADCASTERS = st.sampled_from([[], ["https://federation.example"], ["federation.example", "http://tv.example:8080"]])
FRAMES = st.lists(
    st.one_of(
        st.fixed_dictionaries({"text_data": TEXT.filter(bool)}),
        st.fixed_dictionaries({"bytes_data": st.binary(min_size=1, max_size=2_000)}),
        st.integers(min_value=1_000, max_value=5_000).map(lambda n: {"text_data": "x" * n}),
    ),
    max_size=4,
)


async def talk(path: str, headers: list[tuple[bytes, bytes]], frames: list[Frame]) -> tuple[bool, list[Any]]:
    """Open the socket, send the frames, hang up; whether it was accepted, and everything the server sent."""
    socket = WebsocketCommunicator(application, path, headers=headers)
    accepted, _ = await socket.connect(timeout=2)
    if accepted:
        for frame in frames:
            await socket.send_to(**frame)
    await socket.disconnect(timeout=2)  # raises whatever the application raised
    sent = []
    while not socket.output_queue.empty():
        sent.append(socket.output_queue.get_nowait())
    return accepted, sent


@pytest.mark.django_db(transaction=True)
def test_any_socket_and_any_frames_get_documents_or_a_documented_close():
    classification = make_sprint()
    skate_pair(classification, 1, 1)
    race = classification.races.order_by("pk")[0]
    ids = [race.pk, classification.pk, classification.competition_id]
    since = ["0", "1", str(version(race)), str(version(race) + 1), "999999999"]
    before = fingerprint()
    loop = asyncio.new_event_loop()

    @st.composite
    def paths(draw: st.DrawFn) -> str:
        kind = draw(st.sampled_from(["races", "competitions", "classifications"]))
        path = draw(mostly(st.just(f"/ws/{kind}/{draw(path_segments(ids))}/"), SHORT_TEXT.map(lambda p: f"/ws/{p}")))
        query = draw(mostly(st.just(""), query_strings({"since": since})))
        return f"{path}?{query}" if query else path

    @given(
        path=paths(),
        origin=mostly(st.sampled_from([None, b"http://localhost"]), ORIGINS),
        broadcasters=BROADCASTERS,
        frames=FRAMES,
    )
    def example_socket(path: str, origin: bytes | None, broadcasters: list[str], frames: list[Frame]) -> None:
        headers = [(b"origin", origin)] if origin is not None else []
        with no_traceback_logged(), override_settings(EMBED_ALLOWED_ORIGINS=broadcasters):
            accepted, sent = loop.run_until_complete(talk(path, headers, frames))
        closes = [message.get("code", 1000) for message in sent if message["type"] == "websocket.close"]
        documents = sum(message["type"] == "websocket.send" for message in sent)
        tally(f"accepted, {documents} documents, closed {closes}" if accepted else "refused")
        for message in sent:
            if message["type"] == "websocket.send":
                assert isinstance(json.loads(message["text"]), dict)
        if accepted:
            largest = settings.MAX_CLIENT_MESSAGE_BYTES
            too_big = any(
                len(frame.get("text_data", "")) + len(frame.get("bytes_data", b"")) > largest for frame in frames
            )
            allowed = {CLOSE_NOT_FOUND} | ({CLOSE_TOO_BIG} if too_big else set())
            assert set(closes) <= allowed, closes
        assert audience.count() == 0, "a closed socket stayed in the audience"
        assert_unchanged(before, "a socket (which only reads)")

    try:
        example_socket()
    finally:
        loop.run_until_complete(asyncio.sleep(0.05))  # the audience's cancelled tasks end
        loop.close()
