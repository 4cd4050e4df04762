"""The race as a data source for vision mixers (docs/broadcasters.md, "Data sources"): ``rows.json``, a flat JSON
array of rows of display strings that vMix and H2R Graphics read, refreshed on their own timer. Public like the feed
(CORS, ETag, 304), from the same published snapshot."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import condition

from results import selectors
from results.web.api import public_api
from results.web.embed import options as embed_options
from results.web.embed.options import EmbedOptions

SCHEMA = Path(__file__).resolve().parent / "schema" / "rows-v1.schema.json"


def rows_options(request: HttpRequest) -> EmbedOptions | list[str]:
    return embed_options.options_parse(dict(request.GET.lists()), page=embed_options.DATA_SOURCE)


def _rows_etag(request: HttpRequest, race_id: int) -> str | None:
    """The snapshot's version and the query: another filter is another document. None for a bad query (its 400
    is never cached) or an unknown race."""
    version = selectors.race_version(race_id)
    if version is None or isinstance(rows_options(request), list):
        return None
    query = hashlib.sha256(request.META.get("QUERY_STRING", "").encode()).hexdigest()[:12]
    return f"rows-{race_id}-v{version}-{query}"


@public_api
@condition(etag_func=_rows_etag)
def race_rows(request: HttpRequest, race_id: int) -> HttpResponse:
    """``?kind=standing|on_ice|last_pair`` and ``?rows=N`` (the first N ranks); 400 listing what is wrong with the
    query, 404 for an unknown race."""
    options = rows_options(request)
    if isinstance(options, list):
        allowed = dict(embed_options.allowed_options(embed_options.DATA_SOURCE))
        return JsonResponse({"error": " ".join(options), "errors": options, "allowed": allowed}, status=400)
    snapshot = selectors.race_snapshot_current(race_id)
    if snapshot is None:
        return JsonResponse({"error": selectors.ERROR_RACE_NOT_FOUND.format(race_id=race_id)}, status=404)
    rows = selectors.data_source_rows(json.loads(snapshot.payload), kind=options.kind, top=options.rows)
    return HttpResponse(json.dumps(rows, ensure_ascii=False), content_type="application/json")


@public_api
def rows_schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema of ``rows.json``."""
    return HttpResponse(SCHEMA.read_bytes(), content_type="application/schema+json")
