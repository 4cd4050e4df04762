"""What the officials' admin pages share: the columns that show a start's result and a pair's skaters, and the
base class of every model admin that writes through a service."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict, TypeVar, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.html import format_html, format_html_join

from results.admin.forms import ServiceForm, ServiceFormSet
from results.admin.race_day.views import enter_results_url
from results.models import (
    Heat,
    Race,
    Start,
    Status,
)
from results.rules.times import time_input_text

_M = TypeVar("_M", bound=Model)


# What the admin's querysets annotate on each row, for the columns that show it.
class HeatTotal(TypedDict):
    heat_total: int


class RaceTotal(TypedDict):
    race_total: int


class StartTotal(TypedDict):
    start_total: int


def result_text(start: Start) -> str:
    """A start's result for officials: ``1:12.315`` (the thousandth too), ``DQ T04``, or a dash before it is skated."""
    if not start.has_result:
        return "—"
    finished = start.status == Status.OK and start.time_ms is not None
    text = time_input_text(start.time_ms) if finished else start.status
    return f"{text} {start.infraction}" if start.infraction else text


def heat_skaters(heat: Heat) -> str:
    """``11 Anna ALPHA (NED) 38.12, 12 Bea BRAVO (USA) —`` (expects ``starts__skater`` prefetched)."""
    return format_html_join(
        ", ", "{} {} ({}) {}", ((s.bib, s.skater.name, s.skater.nation, result_text(s)) for s in heat.starts.all())
    )


def heat_entered(heat: Heat) -> bool:
    starts = list(heat.starts.all())
    return bool(starts) and all(start.has_result for start in starts)


def enter_results_link(race: Race) -> str:
    return format_html('<a class="enter-results-link" href="{}">Enter results</a>', enter_results_url(race.pk))


class ServiceAdmin(admin.ModelAdmin[_M]):
    """A model admin whose every write goes through a service (``results.services``): Django's own saves and deletes
    never run.

    Subclasses implement ``service_save`` (the object with its inlines, once the form and every inline are valid)
    and ``service_delete``. Where the model is something a race's standings are computed from, its form is a
    ``ServiceForm``: once its fields are valid, ``change_refusal`` says whether this user may make this change now,
    and the refusal shows on the form (on its reason field when only the reason is missing), the official's input
    kept. A refusal the service still makes on saving (the race changed meanwhile) rolls everything back and comes
    back as a message on the page.
    """

    def change_refusal(self, request: HttpRequest, form: ServiceForm[_M]) -> str | None:
        return None

    def service_save(self, request: HttpRequest, form: forms.ModelForm[_M], formsets: Sequence[Any]) -> None:
        raise NotImplementedError

    def service_delete(self, request: HttpRequest, obj: _M) -> None:
        raise NotImplementedError

    def get_form(self, request: HttpRequest, obj: _M | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if issubclass(form, ServiceForm):
            form.refusal_of = lambda bound: self.change_refusal(request, bound)
        return form

    def get_formset_kwargs(self, request: HttpRequest, obj: _M, inline: Any, prefix: str) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.formset, ServiceFormSet):
            kwargs.update(user=user_of(request), reason=reason_of(request))
        return kwargs

    def save_model(self, request: HttpRequest, obj: _M, form: Any, change: bool) -> None:
        """Nothing here: the service saves the object together with its inlines (``save_related``)."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        self.service_save(request, form, formsets)
        for formset in formsets:
            if not hasattr(formset, "new_objects"):
                # What the admin's log says was added, changed or deleted in the inlines; saves nothing.
                formset.save(commit=False)

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        self.service_delete(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_M]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.service_delete(request, obj)

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> Any:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            return self._refused(request, error)

    # A deletion a service refuses (a result to keep, a reason missing) raises ValidationError from delete_model or
    # delete_queryset: nothing is deleted (the admin's log entry included), and the official reads why.
    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            return self._refused(request, error)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except ValidationError as error:
            return self._refused(request, error)

    def _refused(self, request: HttpRequest, error: ValidationError) -> HttpResponseRedirect:
        self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


def user_of(request: HttpRequest) -> User:
    """The official making the change: the admin lets in only active staff users, never the anonymous user."""
    return cast(User, request.user)


def reason_of(request: HttpRequest) -> str:
    """The reason typed with a change or a deletion (the forms and confirmation pages call the field ``reason``)."""
    return request.POST.get("reason", "").strip()


class HeatColumns(BaseModelAdmin[Heat]):
    """The "Skaters" and "Entered" columns of a heat, for the heat list and the race's list of heats."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Heat]:
        return super().get_queryset(request).prefetch_related("starts__skater")

    @admin.display(description="Skaters")
    def skaters(self, heat: Heat) -> str:
        return heat_skaters(heat)

    @admin.display(description="Entered", boolean=True)
    def entered(self, heat: Heat) -> bool:
        return heat_entered(heat)
