"""The admin's first page is the race office (docs/officials.md, "The race office"): the site's name, today's
competition with every race in programme order, its status, the pairs entered and one button to its entry screen,
the race being skated first; Django's lists of models below it for the rest. A commentator finds the link to their
screen there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from results import policy
from results.selectors.race_office import race_office

SITE_NAME = "Skating Live"

admin.site.site_header = f"{SITE_NAME} · race office"
admin.site.site_title = SITE_NAME
admin.site.index_title = "Race office"

_stock_index = admin.site.index


def race_office_index(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """Django's index with the race office on top, for whoever may enter results or open the commentator's
    screen."""
    user = request.user
    context: dict[str, Any] = {
        "may_enter_results": policy.may(user, policy.ENTER_RESULTS),
        "may_commentate": policy.may(user, "results.commentate"),
    }
    if context["may_enter_results"] or context["may_commentate"]:
        context["office"] = race_office(timezone.localdate())
    return _stock_index(request, {**context, **(extra_context or {})})


admin.site.index = race_office_index  # type: ignore[method-assign, assignment]
