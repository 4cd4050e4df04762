"""Skaters in the admin."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django_stubs_ext import WithAnnotations

from results.admin.base import (
    RepublishingAdmin,
    StartTotal,
)
from results.models import (
    Race,
    Skater,
)


@admin.register(Skater)
class SkaterAdmin(RepublishingAdmin[Skater]):
    list_display = ["name", "nation", "start_count"]
    list_filter = ["nation"]
    search_fields = ["name", "nation"]
    ordering = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Skater]:
        return super().get_queryset(request).annotate(start_total=Count("starts"))

    @admin.display(description="Races", ordering="start_total")
    def start_count(self, skater: WithAnnotations[Skater, StartTotal]) -> int:
        return skater.start_total

    def races_touched(self, obj: Skater, before: Mapping[str, Any]) -> set[int]:
        return set(Race.objects.filter(heats__starts__skater=obj).values_list("pk", flat=True)) if obj.pk else set()
