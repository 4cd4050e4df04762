"""``manage.py push_worker``: tell the fans who follow skaters, with the page closed (docs/feed.md, "Push
notifications"). Reads each race's board when it changes, keeps its news in the outbox and sends it to the push
services, over and over. One with SQLite; on PostgreSQL several share the work
(deploy/skating-push.service); ``make run`` starts one with the demo."""

from __future__ import annotations

import logging
import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connections

from results.live.web_push import push_send
from results.services.push_notices import push_news_read, push_outbox_send

logger = logging.getLogger("results.push")


class Command(BaseCommand):
    help = "Send push notifications to the fans following skaters, as races change (runs until stopped)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--poll", type=float, default=0.5, help="seconds between looks at the boards")
        parser.add_argument("--senders", type=int, default=16, help="pushes sent at once")
        parser.add_argument("--nice", type=int, default=10, help="lower priority than the servers by this much")

    def handle(self, *args: Any, **options: Any) -> None:
        # SIGTERM (systemd, the demo) and Ctrl-C end the worker between two rounds, never inside a query: the round
        # under way finishes and the database connection closes cleanly.
        stopping = threading.Event()
        for stop_signal in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stop_signal, lambda _signum, _frame: stopping.set())
        # Background work: on a shared machine the officials' saves and the spectators' sockets come first.
        os.nice(options["nice"])
        self.stdout.write(f"push worker: reading the boards every {options['poll']:g} s")
        with ThreadPoolExecutor(max_workers=options["senders"], thread_name_prefix="push") as pool:
            while not stopping.is_set():
                if not self._round(pool):  # a busy outbox goes on at once; a quiet one is looked at every --poll s
                    stopping.wait(options["poll"])
        connections.close_all()
        self.stdout.write("push worker: stopped")

    def _round(self, pool: ThreadPoolExecutor) -> bool:
        """One look at the boards and one batch of the outbox; whether there was anything to do."""
        close_old_connections()
        try:
            kept = push_news_read()
            done = push_outbox_send(send=push_send, pool=pool)
        except DatabaseError as error:
            # Locked by a long write, or the database restarting: the outbox is still there next round.
            logger.warning("push worker: database unavailable (%s), trying again", type(error).__name__)
            return False
        busy = bool(kept or done.sent or done.gone or done.retried or done.dropped)
        if busy:
            logger.info(
                "push worker: %d notices kept, %d pushes sent, %d subscriptions gone, %d to retry, %d given up",
                kept,
                done.sent,
                done.gone,
                done.retried,
                done.dropped,
            )
        return busy
