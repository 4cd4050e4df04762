"""The benchmarks' numbers as pictures, for docs/performance.md: draws what bench/fanout.py and bench/arrivals.py wrote
with ``--json``. Pictures only: the numbers are the JSON's and the tables'.

    .venv/bin/python bench/plots.py bytes fanout-delta.json docs/screenshots/bench-bytes-per-change.png
    .venv/bin/python bench/plots.py latency fanout-*.json docs/screenshots/bench-latency-by-audience.png
    .venv/bin/python bench/plots.py arrivals arrivals.json docs/screenshots/bench-arrivals.png

- ``bytes``: a spectator's bytes per passage, result and correction, as whole snapshots and as patches
  (``fanout.py --delta``).
- ``latency``: commit to the last spectator (p50 and p99) by audience size, one line per kind of spectator, from
  several ``fanout.py`` runs (``--clients`` 500, 1000, 2000, ...).
- ``arrivals``: spectators in on their first try, and their time to the first snapshot, by crowd size and server.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

FULL, PATCH = "#0e2b50", "#5cc8f0"


def _read(paths: list[str]) -> list[dict[str, Any]]:
    return [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]


def bytes_per_change(reports: list[dict[str, Any]], out: Path) -> None:
    sizes = reports[0]["wire_bytes"]
    kinds = list(sizes)
    positions = range(len(kinds))
    figure, axes = plt.subplots(figsize=(7, 3.6), dpi=120)
    full = [sizes[kind]["full"] / 1000 for kind in kinds]
    patch = [sizes[kind]["delta"] / 1000 for kind in kinds]
    axes.bar([p - 0.2 for p in positions], full, width=0.4, color=FULL, label="whole snapshot")
    axes.bar([p + 0.2 for p in positions], patch, width=0.4, color=PATCH, label="patch (?delta=1)")
    for position, whole, part in zip(positions, full, patch, strict=True):
        axes.text(position + 0.2, part + 0.2, f"{part / whole:.0%}", ha="center", fontsize=9)
    axes.set_xticks(list(positions), [f"{kind}\n({sizes[kind]['changes']} changes)" for kind in kinds])
    axes.set_ylabel("KB per spectator per change (mean)")
    axes.set_title("Bytes on the wire: a 20-pair 1000 m, passages posted live")
    axes.legend(frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(out)


def latency_by_audience(reports: list[dict[str, Any]], out: Path) -> None:
    lines: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    for report in reports:
        for run in report["runs"]:
            lines[run["name"]].append((report["clients"], run["last_ms"]["p50"], run["last_ms"]["p99"]))
    figure, axes = plt.subplots(figsize=(7, 3.6), dpi=120)
    colours = {"ours": FULL, "ours-delta": PATCH}
    for name, points in sorted(lines.items()):
        points.sort()
        clients = [p[0] for p in points]
        colour = colours.get(name)
        label = {"ours": "whole snapshots", "ours-delta": "patches"}.get(name, name)
        axes.plot(clients, [p[1] for p in points], marker="o", color=colour, label=f"{label}, p50")
        axes.plot(clients, [p[2] for p in points], marker="o", linestyle="--", color=colour, label=f"{label}, p99")
    axes.set_xlabel("spectators on one Daphne process")
    axes.set_ylabel("commit → last spectator (ms)")
    axes.set_title("Latency by audience size")
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(out)


def arrivals(reports: list[dict[str, Any]], out: Path) -> None:
    by_server: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for report in reports:
        for result in report["results"]:
            by_server[result["server"]].append(result)
    figure, (share, seconds) = plt.subplots(1, 2, figsize=(10, 3.8), dpi=120)
    colours = iter([FULL, "#d7141a", "#1f9d55", "#f0a500"])
    for server, results in sorted(by_server.items()):
        colour = next(colours)
        results.sort(key=lambda r: r["clients"])
        clients = [r["clients"] for r in results]
        share.plot(clients, [r["first_try"] / r["clients"] for r in results], marker="o", color=colour, label=server)
        seconds.plot(
            clients, [r["seconds_to_first"]["p50"] for r in results], marker="o", color=colour, label=f"{server} p50"
        )
        seconds.plot(
            clients,
            [r["seconds_to_first"]["max"] for r in results],
            marker="o",
            linestyle="--",
            color=colour,
            label=f"{server} max",
        )
    share.set_ylim(0, 1.05)
    share.set_ylabel("in on the first try")
    share.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    seconds.set_ylabel("seconds to the first snapshot")
    for axes in (share, seconds):
        axes.set_xlabel("spectators arriving within 5 s")
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(frameon=False, fontsize=8)
    share.set_title("First try", fontsize=10)
    seconds.set_title("Time to the board", fontsize=10)
    figure.tight_layout()
    figure.savefig(out)


PLOTS = {"bytes": bytes_per_change, "latency": latency_by_audience, "arrivals": arrivals}


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[1] not in PLOTS:
        sys.exit(__doc__)
    kind, *sources, out = sys.argv[1:]
    PLOTS[kind](_read(sources), Path(out))
    print(f"{out} drawn from {', '.join(sources)}")


if __name__ == "__main__":
    main()
