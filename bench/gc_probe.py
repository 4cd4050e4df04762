"""Run a Python program with every pause of its garbage collector written to a file, for the fan-out benchmark's
``--gc-log`` (is a server's slow broadcast a full collection of its hundreds of thousands of objects?).

    python bench/gc_probe.py LOG -m daphne ARGS...     # a module, as ``python -m``
    python bench/gc_probe.py LOG script.py ARGS...     # a script

Each line of LOG: ``<time.time()> <generation> <pause ms> <objects collected>``.

An experiment, not a configuration of the project: SIGUSR1 makes the program collect once and then ``gc.freeze()``
everything it holds, so later full collections skip the objects of the sockets already open (``fanout.py
--gc-freeze`` sends it once every spectator is connected). It shows how much of a broadcast's time is the
collector's.
"""

from __future__ import annotations

import gc
import runpy
import signal
import sys
import time
from typing import Any


def main() -> None:
    log = open(sys.argv[1], "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (open while the program runs)
    started = [0.0]

    def pause(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            elapsed = (time.perf_counter() - started[0]) * 1000
            log.write(f"{time.time():.4f} {info['generation']} {elapsed:.3f} {info['collected']}\n")

    gc.callbacks.append(pause)

    def freeze(_signum: int, _frame: Any) -> None:
        gc.collect()
        gc.freeze()
        log.write(f"# {time.time():.4f} frozen {gc.get_freeze_count()} objects\n")

    signal.signal(signal.SIGUSR1, freeze)
    if sys.argv[2] == "-m":
        module = sys.argv[3]
        sys.argv = [module, *sys.argv[4:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        sys.argv = sys.argv[2:]
        runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
