"""Races in the admin: the list, the race's page (settings, points tables, the pairs at a glance, the status panel,
the broadcasters' links), and the race's own pages mounted on it (the entry screen and history, the start list
import and the results export)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from django_stubs_ext import WithAnnotations

from results.admin.base import HeatColumns, HeatTotal, ServiceAdmin, enter_results_link, reason_of, user_of
from results.admin.broadcast_links import BroadcastLinksAdmin
from results.admin.forms import REASON_LABEL, RaceAdminForm, ServiceForm
from results.admin.race_day.forms import RaceStatusForm
from results.admin.race_day.views import RaceDayViews, history_url, status_panel_context
from results.admin.startlists import RaceFileViews
from results.admin.withdrawals import WithdrawalInline
from results.models import Heat, Race
from results.services import races as services


class HeatInline(HeatColumns, admin.TabularInline[Heat, Race]):
    """The race's pairs at a glance, with links to change one (skaters are changed on the pair's page)."""

    model = Heat
    verbose_name = "pair"
    verbose_name_plural = "pairs"
    fields = readonly_fields = ("number", "skaters", "entered")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Race | None = None) -> bool:
        return False


@admin.register(Race)
class RaceAdmin(BroadcastLinksAdmin, ServiceAdmin[Race]):
    form = RaceAdminForm
    list_display = ["title", "competition", "order", "distance", "status", "heat_count", "enter_results"]
    list_display_links = ["title"]
    list_filter = ["competition", "status", "format", "gender", "distance"]
    list_select_related = ["competition"]
    search_fields = ["title", "competition__name"]
    ordering = ["-competition__starts_on", "competition", "order", "id"]
    autocomplete_fields = ["competition"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *("competition", "order", "title", "gender", "distance", "day", "scheduled_start"),
                    *("format", "status"),
                ]
            },
        ),
        ("World Cup points", {"fields": ["points_preset", "points_table"]}),
        (
            "Officials",
            {
                "fields": ["referee", "starter"],
                "description": "Printed on the result list with their signature lines (Result list (PDF)).",
            },
        ),
        (
            "Mass start sprints",
            {
                "fields": ["sprint_points"],
                "description": "Points by place for each sprint, the final sprint last. Left empty, a mass start gets "
                "the 2025-26 table: 3/2/1 at laps 4, 8 and 12, 60/40/20/10/6/3 at the finish.",
            },
        ),
        (REASON_LABEL, {"fields": ["reason"]}),
        ("Broadcasters", {"fields": ["broadcast_links"], "classes": ["collapse"]}),
    ]
    # The status follows the results; a referee changes it with the status buttons (reason and history kept).
    readonly_fields = ["status"]
    inlines = [HeatInline, WithdrawalInline]

    class Media:
        js = [forms.Script("admin-results/race-form.js", type="module")]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Race]:
        return super().get_queryset(request).annotate(heat_total=Count("heats"))

    @admin.display(description="Pairs", ordering="heat_total")
    def heat_count(self, race: WithAnnotations[Race, HeatTotal]) -> int:
        return race.heat_total

    @admin.display(description="Results")
    def enter_results(self, race: Race) -> str:
        return enter_results_link(race)

    def change_refusal(self, request: HttpRequest, form: ServiceForm[Race]) -> str | None:
        return services.race_change_refusal(race=form.instance, by=user_of(request), reason=form.reason_given)

    def service_save(self, request: HttpRequest, form: forms.ModelForm[Race], formsets: Sequence[Any]) -> None:
        services.race_save(race=form.instance, by=user_of(request), reason=reason_of(request))

    # A deleted race leaves its classifications: their standings are republished without it.
    def service_delete(self, request: HttpRequest, obj: Race) -> None:
        services.race_delete(race=obj, by=user_of(request))

    def get_urls(self) -> list[URLPattern]:
        # Before the default URLs: their catch-all "<path:object_id>/" would swallow ".../enter/".
        return [*RaceDayViews(self).urls(), *RaceFileViews(self).urls(), *super().get_urls()]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The race's page shows its status, and offers a referee the same status buttons as the entry screen."""
        race = self.get_object(request, unquote(object_id))
        if race is not None:
            panel = status_panel_context(request, race, RaceStatusForm(race=race), next_url=request.get_full_path())
            readable = request.user.has_perm("results.view_resultchange")
            extra_context = {**panel, "history_url": history_url(race.pk) if readable else "", **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)
