"""Where a server's time went: a summary of the collapsed stacks that ``bench/fanout.py --profile DIR`` records
with py-spy (``--format raw``), for the server's main thread (its event loop) only.

    .venv/bin/python bench/profile_summary.py /tmp/profile/ours-daphne-0-1234.txt

Prints the share of the main thread's samples spent in each function, inclusive (with what it calls) and self.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

MAIN_THREAD = "_run_module_as_main"
LINE_NUMBER = re.compile(r":\d+\)$")


def summarize(path: Path) -> tuple[int, Counter[str], Counter[str]]:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [LINE_NUMBER.sub(")", frame) for frame in stack.split(";")]
        if not frames or not frames[0].startswith(MAIN_THREAD):
            continue  # the thread pool's workers, waiting for database work
        samples = int(count)
        total += samples
        for frame in set(frames):
            inclusive[frame] += samples
        own[frames[-1]] += samples
    return total, inclusive, own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    total, inclusive, own = summarize(args.profile)
    print(f"{total} samples of the main thread")
    print("inclusive:")
    for frame, samples in inclusive.most_common(args.top):
        print(f"  {samples / total:6.1%}  {frame}")
    print("self:")
    for frame, samples in own.most_common(args.top // 2):
        print(f"  {samples / total:6.1%}  {frame}")


if __name__ == "__main__":
    main()
