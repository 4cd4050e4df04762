"""The printed documents as the tests read them back: each page's text (pypdf), its lines, and, with
DOCS_SCREENSHOTS=1, page 1 as a picture (poppler's pdftoppm) for docs/screenshots/."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

from tests.support.pictures import DOCS_SCREENSHOTS


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, as a reader copying it out would get it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_lines(content: bytes) -> list[str]:
    """Every line of every page, in order, with spaces collapsed."""
    return [" ".join(line.split()) for page in pdf_pages(content) for line in page.splitlines() if line.strip()]


def pdf_pictured(content: bytes, path: Path, docs_name: str) -> None:
    """With DOCS_SCREENSHOTS=1: page 1 of the document as a PNG at 80 dpi next to ``path`` (the PDF, in artifacts/)
    and as docs/screenshots/``docs_name``. Without it nothing (pdftoppm is not needed to run the tests)."""
    if not os.environ.get("DOCS_SCREENSHOTS"):
        return
    path.write_bytes(content)
    stem = path.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(path), str(stem)],
        check=True,
        timeout=60,
    )
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(stem.with_suffix(".png"), DOCS_SCREENSHOTS / docs_name)
