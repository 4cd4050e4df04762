"""Skaters who withdrew before the draw, in the admin: their own list and page (add, change, take out, each through
``results.services.withdrawals`` with the reason the race's state asks for), and the list on the race's page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from results.admin.base import ServiceAdmin, reason_of, user_of
from results.admin.forms import ServiceForm
from results.models import Race, Withdrawal
from results.services import withdrawals as services


class WithdrawalInline(admin.TabularInline[Withdrawal, Race]):
    """The race's withdrawals before the draw at a glance; each is added and changed on its own page."""

    model = Withdrawal
    fields = readonly_fields = ("bib", "skater")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Race | None = None) -> bool:
        return False


@admin.register(Withdrawal)
class WithdrawalAdmin(ServiceAdmin[Withdrawal]):
    form = ServiceForm[Withdrawal]
    list_display = ["skater", "bib", "race"]
    list_filter = ["race__competition", "race"]
    list_select_related = ["skater", "race"]
    search_fields = ["skater__name", "skater__nation", "=bib", "race__title"]
    ordering = ["race", "bib"]
    autocomplete_fields = ["race", "skater"]
    fields = ["race", "bib", "skater", "reason"]
    delete_confirmation_template = "admin/results/delete_confirmation_with_reason.html"
    delete_selected_confirmation_template = "admin/results/delete_selected_confirmation_with_reason.html"

    def change_refusal(self, request: HttpRequest, form: ServiceForm[Withdrawal]) -> str | None:
        return services.withdrawal_change_refusal(
            withdrawal=form.instance, by=user_of(request), reason=form.reason_given
        )

    def service_save(self, request: HttpRequest, form: forms.ModelForm[Withdrawal], formsets: Sequence[Any]) -> None:
        services.withdrawal_save(withdrawal=form.instance, by=user_of(request), reason=reason_of(request))

    def service_delete(self, request: HttpRequest, obj: Withdrawal) -> None:
        services.withdrawal_remove(withdrawal=obj, by=user_of(request), reason=reason_of(request))
