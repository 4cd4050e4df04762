"""The printed documents, public as the board is (docs/officials.md, "Printing the result list"): a race's result
list and start list, and a competition's results book, as PDF. Each is made from the published snapshot, so its
ETag is the version it shows: a browser asking again before anything changed gets 304 without a page rendered."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import condition, require_GET

from results import selectors
from results.files import pdf

# Long enough that a room of officials opening the list at once costs one render, short enough to follow the race.
CACHE_CONTROL = "public, max-age=5"
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


def _race_etag(kind: str) -> Callable[[HttpRequest, int], str | None]:
    def etag(request: HttpRequest, race_id: int) -> str | None:
        version = selectors.race_version(race_id)
        return None if version is None else f"{kind}-{race_id}-v{version}"

    return etag


@require_GET
@condition(etag_func=_race_etag("result-list"))
def race_result_list(request: HttpRequest, race_id: int) -> HttpResponse:
    sheet = selectors.race_result_sheet(race_id)
    return _pdf_response(pdf.result_list_pdf(sheet) if sheet else None, ERROR_RACE_NOT_FOUND.format(race_id=race_id))


@require_GET
@condition(etag_func=_race_etag("start-list-pdf"))
def race_start_list(request: HttpRequest, race_id: int) -> HttpResponse:
    sheet = selectors.race_start_list_sheet(race_id)
    return _pdf_response(pdf.start_list_pdf(sheet) if sheet else None, ERROR_RACE_NOT_FOUND.format(race_id=race_id))


def _book_etag(request: HttpRequest, competition_id: int) -> str | None:
    versions = selectors.competition_versions(competition_id)
    return None if versions is None else f"results-book-{competition_id}-{versions}"


@require_GET
@condition(etag_func=_book_etag)
def competition_results_book(request: HttpRequest, competition_id: int) -> HttpResponse:
    book = selectors.competition_results_book(competition_id)
    error = ERROR_COMPETITION_NOT_FOUND.format(competition_id=competition_id)
    return _pdf_response(pdf.results_book_pdf(book) if book else None, error)
