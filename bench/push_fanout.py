"""An official's save while the push worker tells 10,000 fans of one skater: a benchmark, not a test.

A real race (an official result list in data/) has its pairs saved through the real service, as the entry screen
does, then the followed skater's pair is corrected over and over (each save is news: a *correction* for every fan).
Measured in the same run, in alternating blocks so that the machine's noise falls on both alike:

- **reference**: no push worker running;
- **watching**: ``manage.py push_worker`` running in its own process, ``--subscriptions`` browsers following one
  skater of the race, and another pair corrected: the worker reads every change and finds nothing to tell;
- **sending**: the followed skater's pair corrected: every save is news for every fan, their pushes signed and
  encrypted for real and sent to a local push service (another process, which takes each push with 202 without
  decrypting it, as a remote push service would cost us nothing).

Reported: each save's duration (p50, p99, max) in both, and what the worker sent meanwhile.

    .venv/bin/python bench/push_fanout.py
    .venv/bin/python bench/push_fanout.py --database-url postgres://postgres@127.0.0.1:5432/bench

Results and the commands that produced them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.connection
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "bench"), str(REPO)]

from servers import django_env, django_setup, fresh_database, race_prepare, source  # noqa: E402
from stats import spread  # noqa: E402

STEM = "wc1-salt-lake-city-2025-11-14-women-1000-a"
REFERENCE = "reference: no worker"
WATCHING = "worker reading every save, nothing to tell"
SENDING = "worker telling 10,000 fans at every save"
KINDS = (REFERENCE, WATCHING, SENDING)


def sink(connection: multiprocessing.connection.Connection) -> None:
    """The push service, in a process of its own: answers every push 202 and counts them."""
    from tests.support.push_service import PushService

    os.nice(19)  # it stands for the browsers' push services, which are not on our machine
    with PushService() as service:
        service.answer(None, 202)
        client = service.subscribe()
        connection.send((service.origin, client.subscription_json()))
        while (asked := connection.recv()) != "stop":
            connection.send(len(service.attempts()) if asked == "count" else None)


def saves(pair: tuple[Any, list[Any]], count: int, interval: float) -> list[float]:
    """``count`` corrections of ``pair``: its first skater's time moves by a hundredth and back."""
    from results import services

    heat, results = pair
    durations = []
    for number in range(count):
        first = results[0]
        changed = services.StartResult(first.start_id, first.status, first.time_ms + 10 * (number % 2 + 1), "")
        started = time.perf_counter()
        services.heat_results_record(heat=heat, results=[changed, *results[1:]])
        durations.append((time.perf_counter() - started) * 1000)
        time.sleep(interval)
    return durations


def subscribe(count: int, origin: str, browser: dict[str, Any], skater_id: int) -> None:
    from results.models import PushFollow, PushSubscription

    keys = browser["keys"]
    PushSubscription.objects.bulk_create(
        PushSubscription(endpoint=f"{origin}/push/fan-{n}", p256dh=keys["p256dh"], auth=keys["auth"])
        for n in range(count)
    )
    PushFollow.objects.bulk_create(
        PushFollow(subscription=subscription, skater_id=skater_id)
        for subscription in PushSubscription.objects.only("pk")
    )


def worker_start(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "manage.py", "push_worker"], cwd=REPO, env=env, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=60, help="saves per block")
    parser.add_argument("--blocks", type=int, default=2, help="blocks of each kind, alternating")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between saves")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    options = parser.parse_args()

    ours, theirs = multiprocessing.Pipe()
    service = multiprocessing.get_context("spawn").Process(target=sink, args=(theirs,), daemon=True)
    service.start()
    origin, browser = ours.recv()
    key_file = Path(tempfile.mkdtemp(prefix="bench-push-")) / "vapid.pem"
    os.environ.update(PUSH_SERVICES=origin, VAPID_KEY_FILE=str(key_file), DEBUG="0", LOG_LEVEL="WARNING")
    with fresh_database(options.database_url) as database_url:
        django_setup(database_url, None)
        from results.models import PushNotice, Start

        race_id, pairs = race_prepare(STEM)
        for heat, results in pairs[:-1]:  # the last pair to come: the race stays live
            from results import services

            services.heat_results_record(heat=heat, results=results)
        followed, other = pairs[-2], pairs[-3]
        skater_id = Start.objects.get(pk=followed[1][0].start_id).skater_id
        subscribe(options.subscriptions, origin, browser, skater_id)
        env = {**django_env(database_url, None), "PUSH_SERVICES": origin, "VAPID_KEY_FILE": str(key_file)}
        durations: dict[str, list[float]] = {kind: [] for kind in KINDS}
        sent = 0.0
        push_seconds = 0.0
        for _block in range(options.blocks):
            durations[REFERENCE] += saves(followed, options.saves, options.interval)
            worker = worker_start(env)
            durations[WATCHING] += saves(other, options.saves, options.interval)
            ours.send("count")
            before, started = ours.recv(), time.monotonic()
            durations[SENDING] += saves(followed, options.saves, options.interval)
            ours.send("count")
            sent += ours.recv() - before
            push_seconds += time.monotonic() - started
            worker.terminate()
            worker.wait(timeout=30)
            # What the block could not send (a notice a save, 10,000 fans each) is not the next block's work.
            PushNotice.objects.all().delete()
        ours.send("stop")

    print(f"push fan-out bench: {source()}; race {race_id}, {options.subscriptions} subscriptions to one skater")
    print(f"  {options.blocks} x {options.saves} saves of each kind, one every {options.interval:g} s, alternating")
    for kind, measured in durations.items():
        numbers = spread(measured)
        shown = "  ".join(f"{name} {numbers[name]:6.1f} ms" for name in ("p50", "p99", "max"))
        print(f"  {kind:<40} save {shown}")
    print(f"  pushes taken by the push service meanwhile: {sent:.0f} ({sent / push_seconds:.0f}/s)")


if __name__ == "__main__":
    main()
