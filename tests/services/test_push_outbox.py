"""The push outbox (results/services/push_notices.py), driven round by round as ``manage.py push_worker`` drives it,
against a local push service that checks and decrypts every push: each board read once, what a busy push service
refused tried again later, what is an hour old dropped, a subscription the browser dropped deleted."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.utils import timezone

from results.live.vapid import vapid_key_forget
from results.live.web_push import push_send
from results.models import PushFollow, PushNotice, PushRetry, PushSubscription
from results.services.push_notices import push_news_read, push_outbox_send
from tests.support.factories import enter_heat, make_race, start_of
from tests.support.push_service import PushClient, PushService

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(settings, tmp_path) -> Iterator[PushService]:
    with PushService() as running:
        settings.PUSH_SERVICES = [running.origin]
        settings.VAPID_PRIVATE_KEY = ""
        settings.VAPID_KEY_FILE = str(tmp_path / "vapid.pem")
        vapid_key_forget()
        yield running
    vapid_key_forget()


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(4) as executor:
        yield executor


def follow(browser: PushClient, skater_id: int) -> PushSubscription:
    keys = browser.subscription_json()["keys"]
    subscription = PushSubscription.objects.create(endpoint=browser.endpoint, p256dh=keys["p256dh"], auth=keys["auth"])
    PushFollow.objects.create(subscription=subscription, skater_id=skater_id)
    return subscription


def test_each_board_is_read_once_and_its_news_sent_once(service, pool):
    race = make_race()
    fan = service.subscribe()
    follow(fan, start_of(race, 11).skater_id)
    enter_heat(race, 1, {11: "38.12", 12: "38.50"})

    assert push_news_read() == 1
    assert push_news_read() == 0  # the same version: nothing new
    assert push_outbox_send(send=push_send, pool=pool).sent == 1
    assert push_outbox_send(send=push_send, pool=pool).sent == 0
    [delivery] = service.deliveries(fan.token)
    assert delivery.payload_json["title"] == "Anna ALPHA 38.12"


def test_a_busy_push_service_is_asked_again_later_and_an_hour_old_notice_is_dropped(service, pool):
    race = make_race()
    fan = service.subscribe()
    follow(fan, start_of(race, 11).skater_id)
    enter_heat(race, 1, {11: "38.12", 12: "38.50"})
    push_news_read()
    service.answer(fan.token, 503, times=1)

    first = push_outbox_send(send=push_send, pool=pool)
    assert (first.sent, first.retried) == (0, 1)
    retry = PushRetry.objects.get()
    assert retry.due_at > timezone.now()
    assert push_outbox_send(send=push_send, pool=pool).sent == 0  # not due yet
    assert push_outbox_send(send=push_send, pool=pool, now=retry.due_at + timedelta(seconds=1)).sent == 1
    assert not PushRetry.objects.exists() and len(service.deliveries(fan.token)) == 1

    enter_heat(race, 1, {11: "38.02", 12: "38.50"})  # corrected: news, but read late
    push_news_read()
    later = timezone.now() + timedelta(hours=2)
    assert push_outbox_send(send=push_send, pool=pool, now=later).sent == 0
    assert PushNotice.objects.filter(done=False).count() == 0


def test_a_subscription_its_push_service_has_dropped_is_deleted(service, pool):
    race = make_race()
    gone = service.subscribe()
    follow(gone, start_of(race, 11).skater_id)
    service.unsubscribe(gone.token)
    enter_heat(race, 1, {11: "38.12", 12: "38.50"})
    push_news_read()
    assert push_outbox_send(send=push_send, pool=pool).gone == 1
    assert not PushSubscription.objects.exists()
