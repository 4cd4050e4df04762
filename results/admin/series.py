"""A season's series in the admin (the World Cup 2025-26): its name and season; its rounds are the competitions
that name it (a competition's page has the field)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django_stubs_ext import WithAnnotations

from results.admin.base import ServiceAdmin, user_of
from results.models import Series
from results.services import series as series_service


class RoundTotal(TypedDict):
    round_total: int


@admin.register(Series)
class SeriesAdmin(ServiceAdmin[Series]):
    list_display = ["name", "season", "round_count", "standings_link"]
    search_fields = ["name", "season"]
    ordering = ["-season", "name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Series]:
        return super().get_queryset(request).annotate(round_total=Count("competitions"))

    @admin.display(description="Rounds", ordering="round_total")
    def round_count(self, series: WithAnnotations[Series, RoundTotal]) -> int:
        return series.round_total

    @admin.display(description="")
    def standings_link(self, series: Series) -> str:
        url = reverse("results:series", args=[series.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">World Cup standings</a>', url)

    def service_save(self, request: HttpRequest, form: forms.ModelForm[Series], formsets: Sequence[Any]) -> None:
        series_service.series_save(series=form.instance, by=user_of(request))

    def service_delete(self, request: HttpRequest, obj: Series) -> None:
        series_service.series_delete(series=obj, by=user_of(request))
