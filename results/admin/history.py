"""The history of results and race statuses, read-only: the services write every row."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.http import HttpRequest

from results.admin.base import _M
from results.models import (
    RaceStatusChange,
    ResultChange,
    StandingsEdit,
)
from results.selectors import change_text


class ResultChangeColumns(BaseModelAdmin[ResultChange]):
    """The "Old" and "New" columns of a result's change, for the history list and a start's history."""

    @admin.display(description="Old")
    def old(self, change: ResultChange) -> str:
        return change_text(change, old=True)

    @admin.display(description="New")
    def new(self, change: ResultChange) -> str:
        return change_text(change, old=False)


class HistoryAdmin(admin.ModelAdmin[_M]):
    """History is written by the services only: read it here; no row is added, changed or deleted by hand. (So a
    race with history cannot be deleted in the admin either: its rows would go with it.)"""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return False


@admin.register(ResultChange)
class ResultChangeAdmin(ResultChangeColumns, HistoryAdmin[ResultChange]):
    list_display = ["at", "race", "heat_number", "bib", "skater", "kind", "old", "new", "reason", "by", "version"]
    list_filter = ["race", "kind", "by"]
    list_select_related = ["race", "by"]
    search_fields = ["skater", "reason", "=bib"]
    date_hierarchy = "at"


@admin.register(RaceStatusChange)
class RaceStatusChangeAdmin(HistoryAdmin[RaceStatusChange]):
    list_display = ["at", "race", "old_status", "new_status", "reason", "by"]
    list_filter = ["race", "new_status", "by"]
    list_select_related = ["race", "by"]
    search_fields = ["reason", "race__title"]
    date_hierarchy = "at"


@admin.register(StandingsEdit)
class StandingsEditAdmin(HistoryAdmin[StandingsEdit]):
    list_display = ["at", "race", "classification", "subject", "old", "new", "reason", "by", "version"]
    list_filter = ["race", "classification", "by"]
    list_select_related = ["race", "classification", "by"]
    search_fields = ["subject", "old", "new", "reason"]
    date_hierarchy = "at"
