"""A race's changes as a timing system and the officials make them, one published version each, for the fan-out
benchmark's ``--delta`` mode (bench/fanout.py): each pair's passages (one skater at a time, as the timing system
posts them), then its results, then corrections in a loop. And the bytes each change costs a spectator, as a whole
snapshot and as a patch (results/live/deltas.py, exactly what the server sends).

The official result lists give finish times only: the passages are constructed from each finish, as the demo's
timing system does (results/demo/timing.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from statistics import mean
from typing import Any

PASSAGE, RESULT, CORRECTION = "passage", "result", "correction"


class RaceChanges:
    """Called once per broadcast: makes the next change, returns (the version it published, ms it took)."""

    def __init__(self, race_id: int, pairs: list[tuple[Any, list[Any]]]) -> None:
        from results.models import Race, Start

        self.race_id = race_id
        self.race = Race.objects.get(pk=race_id)
        bibs = dict(Start.objects.filter(heat__race_id=race_id).values_list("pk", "bib"))
        self.steps: list[tuple[str, Callable[[], None]]] = []
        for heat, results in pairs:
            for metres in self._points():
                for result in results:
                    if result.time_ms:
                        self.steps.append((PASSAGE, self._passage(heat.number, bibs[result.start_id], metres, result)))
            self.steps.append((RESULT, self._results(heat, results)))
        self.corrections = [
            self._correction(heat, results) for heat, results in pairs if any(r.time_ms for r in results)
        ]
        self.count = 0
        self.payloads: list[str] = []
        self.kinds: list[str] = []

    def _points(self) -> list[int]:
        from results.rules.passages import passage_distances

        return passage_distances(self.race.distance)

    def _passage(self, heat: int, bib: int, metres: int, result: Any) -> Callable[[], None]:
        from results.demo.timing import constructed_passage_ms
        from results.services.timing import TimingPost, timing_post_record

        time_ms = constructed_passage_ms(finish_ms=result.time_ms, distance=self.race.distance, metres=metres, bib=bib)
        post = TimingPost(heat=heat, bib=bib, distance=metres, time_ms=time_ms)
        return lambda: timing_post_record(race=self.race, post=post)

    @staticmethod
    def _results(heat: Any, results: list[Any]) -> Callable[[], None]:
        from results import services

        return lambda: services.heat_results_record(heat=heat, results=results)

    @staticmethod
    def _correction(heat: Any, results: list[Any]) -> tuple[Callable[[], None], Callable[[], None]]:
        """The pair's first timed skater 0.01 s slower, and back: each a change."""
        from results import services

        timed = next(i for i, r in enumerate(results) if r.time_ms)
        slower = list(results)
        slower[timed] = replace(results[timed], time_ms=results[timed].time_ms + 10)
        return (
            lambda: services.heat_results_record(heat=heat, results=slower),
            lambda: services.heat_results_record(heat=heat, results=results),
        )

    def _next(self) -> tuple[str, Callable[[], None]]:
        n, self.count = self.count, self.count + 1
        if n < len(self.steps):
            return self.steps[n]
        n -= len(self.steps)
        slower, back = self.corrections[(n // 2) % len(self.corrections)]
        return CORRECTION, back if n % 2 else slower

    def __call__(self, _index: int) -> tuple[int, float]:
        from servers import race_payload, race_version

        kind, change = self._next()
        started = time.perf_counter()
        change()
        elapsed = (time.perf_counter() - started) * 1000
        self.payloads.append(race_payload(self.race_id))
        self.kinds.append(kind)
        return race_version(self.race_id), elapsed


def wire_bytes(payloads: list[str], kinds: list[str]) -> dict[str, dict[str, float]]:
    """Per kind of change: the mean bytes a spectator receives for it as a whole snapshot and as a patch from the
    version before (the first version has no patch), and the patch's share of the snapshot."""
    from results.live.deltas import patch_message

    documents = [json.loads(payload) for payload in payloads]
    sizes: dict[str, dict[str, list[int]]] = {}
    for index in range(1, len(documents)):
        before, after = documents[index - 1], documents[index]
        patch = patch_message(before["version"], before, after["version"], after)
        entry = sizes.setdefault(kinds[index], {"full": [], "delta": []})
        entry["full"].append(len(payloads[index].encode()))
        entry["delta"].append(len(patch.encode()))
    return {
        kind: {
            "changes": len(entry["full"]),
            "full": mean(entry["full"]),
            "delta": mean(entry["delta"]),
            "share": mean(d / f for d, f in zip(entry["delta"], entry["full"], strict=True)),
            "share_max": max(d / f for d, f in zip(entry["delta"], entry["full"], strict=True)),
        }
        for kind, entry in sizes.items()
    }
