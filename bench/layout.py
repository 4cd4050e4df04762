"""The shape of the house, measured (docs/architecture.md): how many modules sit at the top of ``results/`` and in
each folder, on how many import levels the app's parts stand, and which import circles there are.

    .venv/bin/python bench/layout.py

Levels are counted at the granularity a reader sees first: each top-level module or folder of ``results/`` is one
part; a part's level is one more than the highest level of the parts it imports. Circles are counted between
modules. The import graph is grimp's (the library under import-linter, which checks the contracts in make test).
"""

from __future__ import annotations

import sys
from collections import Counter
from functools import cache
from pathlib import Path

import grimp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
PACKAGE = "results"


def part(module: str) -> str:
    """``results.services.lineup`` -> ``results.services``."""
    return ".".join(module.split(".")[:2])


def main() -> None:
    graph = grimp.build_graph(PACKAGE, cache_dir=None)
    modules = {module for module in graph.modules if ".migrations" not in module}
    files = [module for module in modules if not graph.find_children(module)]  # a package's __init__ aside
    folders = Counter(module.rsplit(".", 1)[0] for module in files)
    top_level = folders[PACKAGE]
    imports = {
        (part(a), part(b))
        for a in modules
        for b in graph.find_modules_directly_imported_by(a)
        if b in modules and part(a) != part(b)
    }

    @cache
    def level(name: str, seen: frozenset[str] = frozenset()) -> int:
        below = [b for a, b in imports if a == name and b not in seen]
        return 1 + max((level(b, seen | {name}) for b in below), default=0)

    parts = {part(module) for module in modules if module != PACKAGE}
    circles = [
        (a, b)
        for a in modules
        for b in graph.find_modules_directly_imported_by(a)
        if b in modules and a < b and graph.chain_exists(importer=b, imported=a)
    ]
    print(f"modules at the top of results/: {top_level}")
    fullest, count = folders.most_common(1)[0]
    print(f"modules in the fullest folder: {count} ({fullest.replace('.', '/')}/)")
    print(f"parts (top-level modules and folders): {len(parts)}, on {max(level(p) for p in parts)} import levels")
    print(f"import circles between modules: {len(circles)}" + (f" {circles}" if circles else ""))


if __name__ == "__main__":
    main()
