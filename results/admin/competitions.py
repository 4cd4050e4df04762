"""Venues and competitions in the admin; a competition's page lists its programme (its races, read-only) and
imports it from a file (results/admin/programme_import.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, reverse
from django.utils.html import format_html
from django_stubs_ext import WithAnnotations

from results.admin.base import HeatTotal, RaceTotal, ServiceAdmin, enter_results_link, reason_of, user_of
from results.admin.forms import ServiceForm
from results.admin.programme_import import ProgrammeImportViews
from results.admin.skater_notes import competition_commentary_links
from results.models import Competition, Race, Venue
from results.services import competitions
from results.services.programme import may_import


@admin.register(Venue)
class VenueAdmin(ServiceAdmin[Venue]):
    list_display = ["name", "city", "country"]
    search_fields = ["name", "city"]
    ordering = ["name"]

    def service_save(self, request: HttpRequest, form: forms.ModelForm[Venue], formsets: Sequence[Any]) -> None:
        competitions.venue_save(venue=form.instance, by=user_of(request))

    def service_delete(self, request: HttpRequest, obj: Venue) -> None:
        competitions.venue_delete(venue=obj, by=user_of(request))


class RaceInline(admin.TabularInline[Race, Competition]):
    """The competition's programme, read-only: races are created and changed on their own page."""

    model = Race
    # A tuple fits the types django-stubs gives both attributes; a list would have to be one or the other.
    fields = readonly_fields = ("order", "title", "distance", "day", "status", "heat_count", "links")
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["order", "id"]

    def has_add_permission(self, request: HttpRequest, obj: Competition | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Race]:
        return super().get_queryset(request).annotate(heat_total=Count("heats"))

    @admin.display(description="Pairs")
    def heat_count(self, race: WithAnnotations[Race, HeatTotal]) -> int:
        return race.heat_total

    @admin.display(description="")
    def links(self, race: Race) -> str:
        return format_html(
            '{} · <a href="{}" target="_blank" rel="noopener">Leaderboard</a>',
            enter_results_link(race),
            reverse("results:race_leaderboard", args=[race.pk]),
        )


@admin.register(Competition)
class CompetitionAdmin(ServiceAdmin[Competition]):
    form = ServiceForm[Competition]
    list_display = ["name", "venue", "series", "starts_on", "ends_on", "is_olympic_games", "race_count"]
    list_filter = ["series", "is_olympic_games", "venue"]
    search_fields = ["name", "venue__name", "venue__city"]
    ordering = ["-starts_on", "name"]
    date_hierarchy = "starts_on"
    list_select_related = ["venue", "series"]
    inlines = [RaceInline]
    readonly_fields = ["commentators"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Competition]:
        return super().get_queryset(request).annotate(race_total=Count("races"))

    def get_urls(self) -> list[URLPattern]:
        return ProgrammeImportViews(self).urls() + super().get_urls()

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {**(extra_context or {}), "may_import_programme": may_import(request.user)}
        return super().change_view(request, object_id, form_url, extra_context=context)

    @admin.display(description="Races", ordering="race_total")
    def race_count(self, competition: WithAnnotations[Competition, RaceTotal]) -> int:
        return competition.race_total

    @admin.display(description="Commentators")
    def commentators(self, competition: Competition) -> str:
        return competition_commentary_links(competition) if competition.pk else "—"

    def change_refusal(self, request: HttpRequest, form: ServiceForm[Competition]) -> str | None:
        return competitions.competition_change_refusal(
            competition=form.instance, by=user_of(request), reason=form.reason_given
        )

    def service_save(self, request: HttpRequest, form: forms.ModelForm[Competition], formsets: Sequence[Any]) -> None:
        competitions.competition_save(competition=form.instance, by=user_of(request), reason=reason_of(request))

    def service_delete(self, request: HttpRequest, obj: Competition) -> None:
        competitions.competition_delete(competition=obj, by=user_of(request))
