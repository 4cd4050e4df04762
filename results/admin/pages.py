"""What the admin's own pages of one race share: the entry screen and the history (``results.admin.race_day.views``)
and the start list import (``results.admin.startlists``). They are bound to the race admin for its site,
permissions and object lookup, and lead back to the race with the same breadcrumbs
(``admin/results/race/_breadcrumbs.html``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest
from django.urls import reverse

from results.models import Race


class RacePages:
    """A race admin's extra pages; ``RaceAdmin.get_urls`` mounts each subclass's ``urls()``."""

    def __init__(self, model_admin: admin.ModelAdmin[Race]) -> None:
        self.model_admin = model_admin

    def _race(self, request: HttpRequest, object_id: str) -> Race:
        race = self.model_admin.get_object(request, unquote(object_id))
        if race is None:
            raise Http404
        return race

    def _page_context(self, request: HttpRequest, race: Race, title: str) -> dict[str, Any]:
        """The admin's context for a page of ``race``, with what its breadcrumbs link to (the race's own page only
        for someone who may view it)."""
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.opts,
            "title": title,
            "race": race,
            "change_url": reverse("admin:results_race_change", args=[race.pk]),
            "has_view_permission": self.model_admin.has_view_permission(request, race),
        }
