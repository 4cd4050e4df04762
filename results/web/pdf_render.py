"""A race's printed documents as PDF (docs/officials.md, "Printing the result list"): the result list, the start list
and a competition's results book, rendered from their templates (``templates/results/pdf/``) by WeasyPrint with
Debian's Pango and Noto fonts.

WeasyPrint reads nothing but the app's own static files (``static/results/pdf.css`` and what it names): every other
address in a document is refused, so a skater's name can never make the server fetch anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import slugify

from results.selectors import ResultsBook, ResultSheet, StartListSheet

STATIC = Path(settings.BASE_DIR) / "static"


class StaticOnly(weasyprint.urls.URLFetcher):  # type: ignore[misc]
    """Fetches the app's static files; refuses any other address."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith(STATIC.as_uri() + "/"):
            raise ValueError(f"Not one of the app's static files: {url[:80]}")
        return super().fetch(url, headers)


def pdf_from_html(html: str) -> bytes:
    """The document as PDF; relative addresses are the static folder's."""
    document = weasyprint.HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=StaticOnly())
    pdf: bytes = document.write_pdf()
    return pdf


@dataclass(frozen=True)
class PdfFile:
    content: bytes
    filename: str


def pdf_filename(*words: str) -> str:
    """``isu-world-cup-1-men-1000m-division-b-results.pdf``: ASCII only (``ŻUREK`` -> ``zurek``), safe in a header."""
    return f"{slugify(' '.join(words)) or 'document'}.pdf"


def _pdf_file(template: str, context: dict[str, Any], *words: str) -> PdfFile:
    return PdfFile(content=pdf_from_html(render_to_string(template, context)), filename=pdf_filename(*words))


def result_list_pdf(sheet: ResultSheet) -> PdfFile:
    head = sheet.head
    return _pdf_file("results/pdf/result_list.html", {"sheet": sheet}, head.competition, head.title, "results")


def start_list_pdf(sheet: StartListSheet) -> PdfFile:
    head = sheet.head
    return _pdf_file("results/pdf/start_list.html", {"sheet": sheet}, head.competition, head.title, "start list")


def results_book_pdf(book: ResultsBook) -> PdfFile:
    return _pdf_file("results/pdf/results_book.html", {"book": book}, book.competition.name, "results")
