"""Skaters in the admin. A name or nation corrected shows on every board they skate on; once a race has results,
it is kept in that race's history (``results.services.skaters``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django_stubs_ext import WithAnnotations

from results.admin.base import ServiceAdmin, StartTotal, reason_of, user_of
from results.admin.forms import ServiceForm
from results.models import Skater
from results.services import skaters


@admin.register(Skater)
class SkaterAdmin(ServiceAdmin[Skater]):
    form = ServiceForm[Skater]
    list_display = ["name", "nation", "start_count"]
    list_filter = ["nation"]
    search_fields = ["name", "nation"]
    ordering = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Skater]:
        return super().get_queryset(request).annotate(start_total=Count("starts"))

    @admin.display(description="Races", ordering="start_total")
    def start_count(self, skater: WithAnnotations[Skater, StartTotal]) -> int:
        return skater.start_total

    def change_refusal(self, request: HttpRequest, form: ServiceForm[Skater]) -> str | None:
        return skaters.skater_change_refusal(skater=form.instance, by=user_of(request), reason=form.reason_given)

    def service_save(self, request: HttpRequest, form: forms.ModelForm[Skater], formsets: Sequence[Any]) -> None:
        skaters.skater_save(skater=form.instance, by=user_of(request), reason=reason_of(request))

    def service_delete(self, request: HttpRequest, obj: Skater) -> None:
        skaters.skater_delete(skater=obj, by=user_of(request))
