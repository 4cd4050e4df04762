"""The demo's timing system: each pair's passages posted while it skates, then its results entered.

The official result lists give finish times only, so the passage times are CONSTRUCTED from each skater's finish
time: a standing start costs about 60 m at full speed, so the time at ``m`` metres of a ``d`` metre race that
ends in ``T`` is taken as ``T * (m + 60) / (d + 60)`` (1000 m: 200 m at 24.5 % and 600 m at 62 % of the finish time,
as real races go), nudged by a few thousandths per skater so that the ranks at a passage differ from those at
the finish. They go through the same service as a real timing system's posts (``timing_post_record``); the finish
goes in as an official's entry, so the standings are exactly the sheet's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from results.demo.replay import heat_results_replay
from results.files.result_csv import SheetRow, rows_by_heat
from results.models import Race
from results.rules.passages import passage_distances
from results.services.timing import TimingPost, timing_post_record

STANDING_START_METRES = 60


def constructed_passage_ms(*, finish_ms: int, distance: int, metres: int, bib: int) -> int:
    """A plausible time at ``metres`` for a skater who finished ``distance`` in ``finish_ms`` (see the module)."""
    share = (metres + STANDING_START_METRES) / (distance + STANDING_START_METRES)
    nudge = 1 + ((bib * 37) % 11 - 5) / 1000  # -0.5 % to +0.5 %, the same for a bib every time
    return round(finish_ms * share * nudge)


def heat_results_replay_with_passages(
    *,
    race: Race,
    rows: Sequence[SheetRow],
    interval: float,
    sleep: Callable[[float], None] = time.sleep,
    after_heat: Callable[[int], None] | None = None,
) -> None:
    """Each pair in turn over ``interval`` seconds: its passages at even steps, then its results (the skaters with
    a finish time get passages; a fall or a disqualification is simply entered at the end), then ``after_heat``
    with the pair's number."""
    points = passage_distances(race.distance)
    step = interval / (len(points) + 1)
    for number, heat_rows in rows_by_heat(row for row in rows if row.has_result):
        for metres in points:
            sleep(step)
            for row in heat_rows:
                if row.time_ms:
                    time_ms = constructed_passage_ms(
                        finish_ms=row.time_ms, distance=race.distance, metres=metres, bib=row.bib
                    )
                    post = TimingPost(heat=number, bib=row.bib, distance=metres, time_ms=time_ms)
                    timing_post_record(race=race, post=post)
        sleep(step)
        heat_results_replay(race=race, rows=heat_rows, after_heat=after_heat)
