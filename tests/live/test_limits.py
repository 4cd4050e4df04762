"""What one client may take of the public sockets: a message size, a number of sockets per address."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from results.live.consumers import CLOSE_TOO_BIG
from skating.asgi import application
from tests.support.factories import make_race

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://localhost")]


def socket_from(race_id, address):
    socket = WebsocketCommunicator(application, f"/ws/races/{race_id}/", headers=ORIGIN)
    socket.scope["client"] = (address, 50000)
    return socket


async def test_a_client_that_sends_more_than_a_spectator_could_need_is_closed(settings):
    settings.MAX_CLIENT_MESSAGE_BYTES = 100
    race = await database_sync_to_async(make_race)()
    socket = socket_from(race.pk, "10.0.0.1")
    await socket.connect()
    await socket.receive_from()
    await socket.send_to(text_data="x" * 100)  # small: ignored
    assert await socket.receive_nothing(timeout=0.3)
    await socket.send_to(text_data="x" * 101)
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": CLOSE_TOO_BIG}


async def test_sockets_per_address_are_capped_when_configured(settings):
    settings.MAX_SOCKETS_PER_IP = 2
    race = await database_sync_to_async(make_race)()
    first, second = socket_from(race.pk, "10.0.0.2"), socket_from(race.pk, "10.0.0.2")
    assert (await first.connect())[0] and (await second.connect())[0]
    third = socket_from(race.pk, "10.0.0.2")
    assert not (await third.connect())[0]
    elsewhere = socket_from(race.pk, "10.0.0.3")
    assert (await elsewhere.connect())[0]  # another address is not affected
    await first.disconnect()
    again = socket_from(race.pk, "10.0.0.2")
    assert (await again.connect())[0]  # a closed socket frees its place
    for socket in (second, elsewhere, again):
        await socket.disconnect()
