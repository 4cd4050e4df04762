"""The public pages' languages (settings.LANGUAGES; docs/spectators.md, "Languages").

- ``LocaleMiddleware``: Django's, which picks the page's language from the switch's cookie, else the browser's
  Accept-Language, else English; here Norwegian as browsers name it (``no``, ``nn``, ``no-NO`` ...) is Bokmål, ``nb``,
  the only Norwegian Django has translations for (its own and ours).
- ``javascript_catalog``: Django's JavaScript catalog (``/jsi18n/``) of the scripts' words in the page's language,
  which browsers may keep an hour and then ask again whether it changed (a 304 unless a deployment brought new
  translations).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.views.decorators.cache import cache_control
from django.views.decorators.http import last_modified
from django.views.decorators.vary import vary_on_cookie
from django.views.i18n import JavaScriptCatalog

# A language range of Accept-Language whose primary tag is a Norwegian other than nb: "no", "nn", "no-NO", "nn-NO".
NORWEGIAN = re.compile(r"(?<![\w-])(?:no|nn)(?=$|[-;,\s])", re.IGNORECASE)
BOKMAL = "nb"
CATALOG_MAX_AGE_SECONDS = 3600


def accept_language_norwegian(header: str) -> str:
    """The header with every Norwegian range as Bokmål, weights kept: ``"nn-NO,nn;q=0.9,en;q=0.5"`` ->
    ``"nb-NO,nb;q=0.9,en;q=0.5"``."""
    return NORWEGIAN.sub(BOKMAL, header)


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        header = request.META.get("HTTP_ACCEPT_LANGUAGE")
        if header:
            request.META["HTTP_ACCEPT_LANGUAGE"] = accept_language_norwegian(header)
        super().process_request(request)


def catalog_changed() -> datetime:
    """When the scripts' translations last changed: the newest compiled catalog (a deployment brings new ones and
    restarts the server), else now."""
    catalogs = [mo for folder in settings.LOCALE_PATHS for mo in Path(folder).glob("*/LC_MESSAGES/djangojs.mo")]
    if not catalogs:
        return datetime.now(tz=UTC)
    return datetime.fromtimestamp(max(mo.stat().st_mtime for mo in catalogs), tz=UTC).replace(microsecond=0)


CATALOG_CHANGED = catalog_changed()


def _catalog_last_modified(request: HttpRequest) -> datetime:
    return CATALOG_CHANGED


def _catalog() -> Callable[..., HttpResponseBase]:
    # The same address in every language: caches keep one copy per Accept-Language (LocaleMiddleware says so) and
    # per cookie (the switch's choice).
    # The public pages' words only: those of LOCALE_PATHS, which Django adds to any package's (results has none of
    # its own), and not the admin's, which every page would otherwise download too.
    view = JavaScriptCatalog.as_view(packages=["results"])
    view = last_modified(_catalog_last_modified)(view)
    view = vary_on_cookie(view)
    return cache_control(max_age=CATALOG_MAX_AGE_SECONDS)(view)


javascript_catalog = _catalog()
