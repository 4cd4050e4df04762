"""Where the tests find the repository's own files: the official result lists they replay, the docs they check."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "isu-wc-2025-26"
DOCS = REPO / "docs"
