"""The push worker's two jobs (``manage.py push_worker``, docs/feed.md "Push notifications"), never in an official's
save: read each race's board when it has changed and keep its news for the followers of its skaters (a
``PushNotice``, the outbox, which survives a restart), then send the outbox to the followers' browsers.

The published snapshots are what is read: they are committed with the results they show, by whichever process
saved them (the admin, a timing system, a command), so the worker sees every change and costs the save nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone

from results import topics
from results.live.push_texts import push_payload
from results.live.web_push import GONE, Browser
from results.models import PushCursor, PushFollow, PushNotice, PushRetry, PushSubscription, PushTold, Race, Snapshot
from results.rules.notices import race_notices, skaters_in, told_forgotten
from results.services.push_subscriptions import push_subscriptions_gone

# Boards changed longer ago than this when the worker first reads them (after a stop) are not news any more.
CATCH_UP = timedelta(minutes=30)
# A notice not sent within this is dropped (the push services keep it no longer either: web_push.TIME_TO_LIVE).
STALE = timedelta(hours=1)
# Followers sent to per notice and round, and notices per round: the outbox row moves on after each batch.
BATCH = 500
NOTICES_PER_ROUND = 4
# A push service that is busy or down is asked again after these delays, then the push is given up.
RETRY_DELAYS = (timedelta(seconds=5), timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))

Send = Callable[[Browser, bytes], int]
Claimed = TypeVar("Claimed", bound=Model)


@dataclass
class Round:
    """What one round of sending did: pushes taken by the push services, subscriptions gone, pushes to try again."""

    sent: int = 0
    gone: int = 0
    retried: int = 0
    dropped: int = 0

    def add(self, other: Round) -> None:
        self.sent += other.sent
        self.gone += other.gone
        self.retried += other.retried
        self.dropped += other.dropped


def push_news_read(*, now: datetime | None = None) -> int:
    """Read every race's board changed since the worker last read it; the notices kept."""
    now = now or timezone.now()
    changed = dict(
        Snapshot.objects.filter(topic__startswith=f"{topics.RACE}.", committed_at__gte=now - CATCH_UP).values_list(
            "topic", "version"
        )
    )
    read = dict(PushCursor.objects.filter(topic__in=changed).values_list("topic", "version"))
    return sum(_race_read(topic) for topic, version in changed.items() if read.get(topic, -1) < version)


def _race_read(topic: str) -> int:
    """The news in ``topic``'s snapshot, once. Worked out from what is read first, then written in a short
    transaction (SQLite's write lock is the officials' too), which checks that nobody read this board meanwhile: a
    second worker finds the cursor moved and leaves it."""
    _, race_id = topics.parse(topic)
    snapshot = Snapshot.objects.filter(topic=topic).first()
    read = PushCursor.objects.filter(topic=topic).values_list("version", flat=True).first()
    if snapshot is None or (read is not None and read >= snapshot.version):
        return 0
    told_rows = PushTold.objects.filter(race_id=race_id)
    told = {(skater, about): said for skater, about, said in told_rows.values_list("skater_id", "about", "said")}
    document = json.loads(snapshot.payload)
    followed = set(PushFollow.objects.filter(skater_id__in=skaters_in(document)).values_list("skater_id", flat=True))
    forgotten = told_forgotten(document, followed, told)
    still_told = {key: said for key, said in told.items() if key not in forgotten}
    exists = Race.objects.filter(pk=race_id).exists()
    notices = race_notices(document, followed, still_told) if followed and exists else []
    with transaction.atomic():
        cursor, new = PushCursor.objects.get_or_create(topic=topic, defaults={"version": snapshot.version})
        if not new:
            cursor = PushCursor.objects.select_for_update().get(topic=topic)
            if cursor.version != read:
                return 0  # another worker read this board meanwhile
            cursor.version = snapshot.version
            cursor.save(update_fields=["version"])
        for skater, about in forgotten:
            told_rows.filter(skater_id=skater, about=about).delete()
        for notice in notices:
            PushTold.objects.update_or_create(
                race_id=race_id, skater_id=notice.skater, about=notice.about, defaults={"said": notice.said}
            )
        PushNotice.objects.bulk_create(
            PushNotice(race_id=race_id, skater_id=notice.skater, kind=notice.kind, facts=notice.facts)
            for notice in notices
        )
    return len(notices)


def push_outbox_send(*, send: Send, pool: Executor, now: datetime | None = None) -> Round:
    """Send the outbox's notices to their followers, and the pushes due to be tried again."""
    now = now or timezone.now()
    done = Round()
    waiting = _next_news().order_by("pk").values_list("pk", flat=True)[:NOTICES_PER_ROUND]
    for notice_id in list(waiting):
        with _claiming():
            notice = _claimed(_next_news().filter(pk=notice_id)).first()
            if notice is not None:
                done.add(_notice_batch_send(notice, send, pool, now))
    with _claiming():
        due = list(_claimed(PushRetry.objects.filter(due_at__lte=now)).select_related("notice", "subscription")[:BATCH])
        PushRetry.objects.filter(pk__in=[retry.pk for retry in due]).delete()
        for retry in due:
            done.add(_deliver(retry.notice, [retry.subscription], send, pool, now, attempts=retry.attempts))
    return done


def _next_news() -> QuerySet[PushNotice]:
    """The notices to send now: for each skater and race the oldest not yet sent, so that a fan hears the news in
    the order it happened (on deck before finished), however many workers send."""
    earlier = PushNotice.objects.filter(
        race=OuterRef("race"), skater=OuterRef("skater"), done=False, pk__lt=OuterRef("pk")
    )
    return PushNotice.objects.filter(done=False).exclude(Exists(earlier))


def _shared_outbox() -> bool:
    """PostgreSQL: several workers share the outbox, each claiming what it sends (``SKIP LOCKED``). SQLite has one
    worker, and no transaction stays open while it sends (SQLite's would hold the officials' saves back)."""
    return connection.vendor == "postgresql"


def _claiming() -> AbstractContextManager[object]:
    return transaction.atomic() if _shared_outbox() else nullcontext()


def _claimed(rows: QuerySet[Claimed]) -> QuerySet[Claimed]:
    """``rows`` locked for this worker until its transaction ends; those another worker holds left out."""
    return rows.select_for_update(skip_locked=True, of=("self",)) if _shared_outbox() else rows


def _notice_batch_send(notice: PushNotice, send: Send, pool: Executor, now: datetime) -> Round:
    """The next ``BATCH`` followers of ``notice`` told; the notice marks how far it got."""
    if notice.created_at < now - STALE:
        PushNotice.objects.filter(pk=notice.pk).update(done=True)
        return Round()
    follows = list(
        PushFollow.objects.filter(
            skater_id=notice.skater_id, since__lte=notice.created_at, subscription_id__gt=notice.sent_through
        )
        .order_by("subscription_id")
        .select_related("subscription")[:BATCH]
    )
    sent = _deliver(notice, [follow.subscription for follow in follows], send, pool, now, attempts=0)
    if follows:
        notice.sent_through = follows[-1].subscription_id
    notice.done = len(follows) < BATCH
    notice.save(update_fields=["sent_through", "done"])
    return sent


def _deliver(
    notice: PushNotice,
    subscriptions: list[PushSubscription],
    send: Send,
    pool: Executor,
    now: datetime,
    *,
    attempts: int,
) -> Round:
    payloads: dict[str, bytes] = {}
    for language in {subscription.language for subscription in subscriptions}:
        payload = push_payload(
            kind=notice.kind, race=notice.race_id, skater=notice.skater_id, facts=notice.facts, language=language
        )
        payloads[language] = json.dumps(payload, ensure_ascii=False).encode()

    def one(subscription: PushSubscription) -> int:
        browser = Browser(endpoint=subscription.endpoint, p256dh=subscription.p256dh, auth=subscription.auth)
        return send(browser, payloads[subscription.language])

    statuses = list(pool.map(one, subscriptions))
    gone = [subscription.pk for subscription, status in zip(subscriptions, statuses, strict=True) if status in GONE]
    again = [
        subscription
        for subscription, status in zip(subscriptions, statuses, strict=True)
        if not 200 <= status < 300 and status not in GONE
    ]
    push_subscriptions_gone(ids=gone)
    retried = _retries_kept(notice, again, now, attempts=attempts)
    counts = Counter(200 <= status < 300 for status in statuses)
    return Round(sent=counts[True], gone=len(gone), retried=retried, dropped=len(again) - retried)


def _retries_kept(
    notice: PushNotice, subscriptions: Iterable[PushSubscription], now: datetime, *, attempts: int
) -> int:
    if attempts >= len(RETRY_DELAYS):
        return 0
    retries = [
        PushRetry(notice=notice, subscription=subscription, attempts=attempts + 1, due_at=now + RETRY_DELAYS[attempts])
        for subscription in subscriptions
    ]
    PushRetry.objects.bulk_create(retries, ignore_conflicts=True)
    return len(retries)
