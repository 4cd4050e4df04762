"""Push notifications end to end, with real encryption and no mock of the sender: browsers' subscriptions (keys made
by the test) go through the public API to a local push service that checks every VAPID signature and decrypts every
push (tests/support/push_service.py); a real race is replayed heat by heat while ``manage.py push_worker`` runs in
its own process, as in a deployment."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client

from results import services
from results.demo.replay import heat_results_replay, race_create_from_sheet
from results.files.result_csv import read_result_csv
from results.live.vapid import vapid_key_forget
from results.models import PushSubscription, Race, Skater
from results.roles import REFEREE
from tests.support.factories import make_competition, make_user
from tests.support.paths import REPO
from tests.support.push_service import PushClient, PushService

pytestmark = pytest.mark.django_db(transaction=True)

SHEET = REPO / "data" / "isu-wc-2025-26" / "wc1-salt-lake-city-2025-11-14-women-1000-a.csv"
FOLLOWED = "Jutta LEERDAM"  # pair 8 of 10: on deck after pair 6, finished in pair 8, 1st
NOT_FOLLOWED = "Femke KOK"  # her partner in pair 8


@pytest.fixture
def pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def push_service(settings, pem: str) -> Iterator[PushService]:
    with PushService() as service:
        settings.PUSH_SERVICES = [service.origin]
        settings.VAPID_PRIVATE_KEY = pem
        settings.PUSH_SUBSCRIBE_RATE = "1000/m"  # every fan of the test subscribes from 127.0.0.1
        vapid_key_forget()
        yield service
    vapid_key_forget()


@pytest.fixture
def push_workers(process_env, push_service: PushService, pem: str) -> Iterator[Callable[[int], None]]:
    """``start(n)``: n ``manage.py push_worker`` processes on the test database, stopped (and their output checked
    for tracebacks) after the test."""
    env = process_env({"PUSH_SERVICES": push_service.origin, "VAPID_PRIVATE_KEY": pem, "LOG_LEVEL": "INFO"})
    workers: list[subprocess.Popen[str]] = []

    def start(count: int) -> None:
        for _ in range(count):
            workers.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "push_worker", "--poll", "0.1"],
                    cwd=REPO,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )

    yield start
    for worker in workers:
        worker.terminate()
    for worker in workers:
        output, _ = worker.communicate(timeout=20)
        assert "Traceback" not in output, output


def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def subscribed(client: Client, browser: PushClient, skaters: list[int], language: str = "en") -> dict[str, Any]:
    body = {"subscription": browser.subscription_json(), "skaters": skaters}
    response = client.post(
        "/api/push/subscriptions", body, content_type="application/json", headers={"accept-language": language}
    )
    assert response.status_code == 201, response.content
    return response.json()


def replayed_race() -> tuple[Race, list[Any]]:
    competition = make_competition("ISU World Cup Speed Skating 1", venue="Utah Olympic Oval")
    rows = read_result_csv(SHEET.open(encoding="utf-8"))
    race = race_create_from_sheet(
        competition=competition, title="Women 1000m Division A", gender="women", distance=1000, rows=rows
    )
    return race, rows


def test_followers_hear_on_deck_then_finished_then_final_and_nobody_else_is_told(
    push_service: PushService, push_workers: Callable[[int], None]
):
    push_workers(1)
    race, rows = replayed_race()
    followed = Skater.objects.get(name=FOLLOWED)
    other = Skater.objects.get(name=NOT_FOLLOWED)
    client = Client()
    key = client.get("/api/push/key").json()["public_key"]
    fan = push_service.subscribe(application_server_key=key)
    dutch_fan = push_service.subscribe(application_server_key=key)
    left = push_service.subscribe(application_server_key=key)
    subscribed(client, fan, [followed.pk])
    subscribed(client, dutch_fan, [followed.pk], language="nl")
    subscribed(client, left, [followed.pk])
    push_service.unsubscribe(left.token)  # the browser dropped it: its push service answers 410 Gone

    heat_results_replay(race=race, rows=rows, interval=0.4)
    services.race_status_set(race=race, status=Race.State.OFFICIAL, by=make_user("chief", REFEREE))

    kinds = ["on_deck", "finished", "final"]
    delivered = push_service.wait_for(len(kinds), token=fan.token, timeout=20)
    payloads = [delivery.payload_json for delivery in delivered]
    assert [payload["kind"] for payload in payloads] == kinds
    on_deck, finished, final = payloads
    official = next(row for row in rows if row.name == FOLLOWED)
    assert on_deck["title"] == "Jutta LEERDAM skates soon"
    assert on_deck["body"].startswith("Pair 8")
    assert finished["title"] == "Jutta LEERDAM 1:12.35"
    assert finished["body"].startswith("provisional rank ")
    assert final["title"] == "Jutta LEERDAM: final"
    assert final["body"] == f"Rank {official.printed_rank} · gold · 1:12.35 · Women 1000m Division A"
    for payload in payloads:
        assert payload["race"] == race.pk and payload["skater"] == followed.pk
        assert payload["url"] == f"/races/{race.pk}/#skater-{followed.pk}"
    assert other.pk not in {delivery.payload_json["skater"] for delivery in push_service.deliveries()}

    dutch = push_service.wait_for(len(kinds), token=dutch_fan.token, timeout=10)
    assert dutch[0].payload_json["title"] == "Jutta LEERDAM rijdt zo"
    assert eventually(lambda: not PushSubscription.objects.filter(endpoint=left.endpoint).exists())
    assert [attempt.status for attempt in push_service.attempts(left.token)] == [410]
    assert [attempt for attempt in push_service.failures() if attempt.token != left.token] == []


@pytest.mark.usefixtures("postgres_db")
def test_several_workers_on_postgresql_tell_each_fan_each_piece_of_news_once(
    push_service: PushService, push_workers: Callable[[int], None]
):
    """Several workers share the outbox on PostgreSQL: each reads a board once and claims what it sends."""
    push_workers(3)
    race, rows = replayed_race()
    followed = Skater.objects.get(name=FOLLOWED)
    client = Client()
    key = client.get("/api/push/key").json()["public_key"]
    fans = [push_service.subscribe(application_server_key=key) for _ in range(30)]
    for fan in fans:
        subscribed(client, fan, [followed.pk])

    heat_results_replay(race=race, rows=rows, interval=0.2)
    services.race_status_set(race=race, status=Race.State.OFFICIAL, by=make_user("chief", REFEREE))

    push_service.wait_for(3 * len(fans), timeout=30)
    time.sleep(1)  # a second copy of anything would have come by now
    for fan in fans:
        assert [d.payload_json["kind"] for d in push_service.deliveries(fan.token)] == ["on_deck", "finished", "final"]
    assert push_service.failures() == []
