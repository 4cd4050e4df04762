"""Pictures the browser tests take: always in artifacts/ (for whoever looks at a run), and into docs/screenshots/
as well with DOCS_SCREENSHOTS=1 (the pictures the docs show are taken by the tests that prove what they show)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.support.paths import DOCS

DOCS_SCREENSHOTS = DOCS / "screenshots"


def picture_taken(
    page, path: Path, docs_name: str | None = None, *, full_page: bool = False, transparent: bool = False
) -> None:
    """A screenshot of ``page`` at ``path``; with DOCS_SCREENSHOTS=1 also as docs/screenshots/``docs_name``.
    ``transparent``: what the page leaves transparent stays so in the picture (a graphic as a keyer takes it)."""
    page.mouse.move(0, 0)
    page.wait_for_timeout(600)  # animations end (rows slide for 400 ms)
    page.screenshot(path=path, full_page=full_page, animations="disabled", omit_background=transparent)
    if docs_name and os.environ.get("DOCS_SCREENSHOTS"):
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / docs_name)
