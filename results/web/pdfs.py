"""The printed documents, public as the board is (docs/officials.md, "Printing the result list"): a race's result
list and start list, and a competition's results book, as PDF. Each is made from the published snapshot, so its
ETag is the version it shows: a browser asking again before anything changed gets 304 without a page rendered. A
render takes a few hundred milliseconds a race (docs/performance.md), so each is kept in the cache by the versions
it shows: a crowd asking for the same version costs one render (per server, or once with Redis)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import condition, require_GET

from results import selectors
from results.web import pdf_render as pdf

log = logging.getLogger(__name__)

# Long enough that a room of officials opening the list at once costs one render, short enough to follow the race.
CACHE_CONTROL = "public, max-age=5"
# How long a render is kept: a new version gets a new key anyway; this bounds what a layout change leaves behind.
RENDER_KEPT_SECONDS = 600
ERROR_RACE_NOT_FOUND = "No race with id {race_id}."
ERROR_COMPETITION_NOT_FOUND = "No competition with id {competition_id}."


def _pdf_response(file: pdf.PdfFile | None, error: str) -> HttpResponse:
    """The file, shown in the browser; 404 with ``error`` when there is none."""
    if file is None:
        raise Http404(error)
    response = HttpResponse(file.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file.filename}"'
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _rendered(key: str, render: Callable[[], pdf.PdfFile]) -> pdf.PdfFile:
    """The render kept under ``key``, or a new one (then kept). A cache that cannot answer (Redis down) costs a
    render, never the answer."""
    try:
        kept = cache.get(key)
    except Exception:  # the cache is only a saving
        log.warning("the cache did not answer; rendering %s", key, exc_info=True)
        kept = None
    if isinstance(kept, pdf.PdfFile):
        return kept
    made = render()
    try:
        cache.set(key, made, RENDER_KEPT_SECONDS)
    except Exception:
        log.warning("the cache did not keep %s", key, exc_info=True)
    return made


def _race_etag(kind: str) -> Callable[[HttpRequest, int], str | None]:
    def etag(request: HttpRequest, race_id: int) -> str | None:
        version = selectors.race_version(race_id)
        return None if version is None else f"{kind}-{race_id}-v{version}"

    return etag


@require_GET
@condition(etag_func=_race_etag("result-list"))
def race_result_list(request: HttpRequest, race_id: int) -> HttpResponse:
    sheet = selectors.race_result_sheet(race_id)
    file = (
        _rendered(f"pdf:result-list:{race_id}:{sheet.edition}", lambda: pdf.result_list_pdf(sheet)) if sheet else None
    )
    return _pdf_response(file, ERROR_RACE_NOT_FOUND.format(race_id=race_id))


@require_GET
@condition(etag_func=_race_etag("start-list-pdf"))
def race_start_list(request: HttpRequest, race_id: int) -> HttpResponse:
    sheet = selectors.race_start_list_sheet(race_id)
    file = _rendered(f"pdf:start-list:{race_id}:{sheet.edition}", lambda: pdf.start_list_pdf(sheet)) if sheet else None
    return _pdf_response(file, ERROR_RACE_NOT_FOUND.format(race_id=race_id))


def _book_etag(request: HttpRequest, competition_id: int) -> str | None:
    versions = selectors.competition_versions(competition_id)
    return None if versions is None else f"results-book-{competition_id}-{versions}"


@require_GET
@condition(etag_func=_book_etag)
def competition_results_book(request: HttpRequest, competition_id: int) -> HttpResponse:
    book = selectors.competition_results_book(competition_id)
    error = ERROR_COMPETITION_NOT_FOUND.format(competition_id=competition_id)
    if book is None:
        return _pdf_response(None, error)
    editions = ",".join(f"{sheet.head.race_id}:{sheet.edition}" for sheet in book.sheets)
    key = f"pdf:book:{competition_id}:{hashlib.sha256(editions.encode()).hexdigest()}"
    return _pdf_response(_rendered(key, lambda: pdf.results_book_pdf(book)), error)
