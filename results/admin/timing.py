"""Timing-system tokens in the admin (docs/timing-api.md): one or more per competition, created here, shown once,
revoked here. Registered by importing this module from ``results.admin``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from results.admin.base import ServiceAdmin, user_of
from results.models import Race, TimingToken
from results.services.timing_tokens import timing_token_create, timing_token_rename, timing_token_revoke

MESSAGE_REVOKED = "Revoked {count} token(s): the timing system gets 401 with them from now on."


class TimingTokenAdd(forms.ModelForm[TimingToken]):
    class Meta:
        model = TimingToken
        fields = ["competition", "name"]


@admin.register(TimingToken)
class TimingTokenAdmin(ServiceAdmin[TimingToken]):
    list_display = ["name", "competition", "shown_prefix", "created_at", "last_used_at", "state"]
    list_filter = ["competition"]
    list_select_related = ["competition"]
    search_fields = ["name", "prefix", "competition__name"]
    ordering = ["-created_at"]
    actions = ["revoke"]
    readonly_fields = ["competition", "shown_prefix", "created_at", "created_by", "last_used_at", "revoked_at"]

    def get_form(
        self, request: HttpRequest, obj: TimingToken | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = TimingTokenAdd
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: TimingToken | None = None) -> Any:
        if obj is None:
            return ["competition", "name"]
        return ["name", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: TimingToken | None = None) -> Any:
        return self.readonly_fields if obj is not None else []

    @admin.display(description="Token starts with")
    def shown_prefix(self, token: TimingToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description="State")
    def state(self, token: TimingToken) -> str:
        return "revoked" if token.revoked_at else "active"

    def service_save(self, request: HttpRequest, form: forms.ModelForm[TimingToken], formsets: Sequence[Any]) -> None:
        obj = form.instance
        if obj.pk:
            timing_token_rename(token=obj, name=obj.name)
            return
        token, secret = timing_token_create(competition=obj.competition, name=obj.name, by=user_of(request))
        obj.pk = token.pk
        obj.refresh_from_db()
        obj._state.adding = False
        obj.secret = secret  # type: ignore[attr-defined]  # for response_add only; never stored

    def has_delete_permission(self, request: HttpRequest, obj: TimingToken | None = None) -> bool:
        """Tokens are revoked (the action), never deleted: the administrator sees which computer had one, and until
        when."""
        return False

    def response_add(
        self, request: HttpRequest, obj: TimingToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The one page that shows the secret: rendered in answer to the save, never redirected to or stored."""
        races = Race.objects.filter(competition=obj.competition).order_by("order", "id")
        race = races.first()
        path = reverse("results:api_timing_passages", args=[race.pk if race else 0])
        context = {
            **self.admin_site.each_context(request),
            "title": "Timing token created",
            "opts": self.opts,
            "token": obj,
            "secret": getattr(obj, "secret", ""),
            "api_url": request.build_absolute_uri(path),
            "race": race,
            "races": races,
            "list_url": reverse("admin:results_timingtoken_changelist"),
            "add_url": reverse("admin:results_timingtoken_add"),
            "docs_path": "docs/timing-api.md",
        }
        response = TemplateResponse(request, "admin/results/timingtoken/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[TimingToken]) -> None:
        tokens = list(queryset)
        for token in tokens:
            timing_token_revoke(token=token)
        self.message_user(request, MESSAGE_REVOKED.format(count=len(tokens)), messages.SUCCESS)
