"""The officials' side: the Django admin for every model, and the per-race results entry screen.

Every change that can alter what spectators see republishes the races it touches, through
``results.services`` (an explicit call after the save, never a signal). Results themselves are entered only on
the entry screen (``results.admin_race_day``): the plain admin shows them read-only, with their history, and
taking a skater with a result out of a race goes through ``services.start_remove``, so it is kept in the history.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, TypedDict, TypeVar, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, ForeignKey, Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, reverse
from django.utils.html import format_html, format_html_join
from django_stubs_ext import WithAnnotations

import results.admin_bests  # noqa: F401 (registers the skaters' bests and their import)
from results import admin_classifications as _classifications  # noqa: F401 (registers itself)
from results import policy, services
from results.admin_embed import BroadcastLinksAdmin
from results.admin_race_day import RaceDayViews, enter_results_url, history_url, status_panel_context
from results.admin_startlists import RaceFileViews
from results.forms import HeatStartsFormSet, RaceAdminForm, RaceStatusForm, RecordAdminForm, time_input_text
from results.models import (
    Competition,
    Heat,
    Race,
    RaceStatusChange,
    Record,
    ResultChange,
    Skater,
    Start,
    Status,
    Venue,
)
from results.rules import formats
from results.rules.times import format_time
from results.selectors import change_text, classifications_of_races

_M = TypeVar("_M", bound=Model)


# What the admin's querysets annotate on each row, for the columns that show it.
class _HeatTotal(TypedDict):
    heat_total: int


class _RaceTotal(TypedDict):
    race_total: int


class _StartTotal(TypedDict):
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


class RepublishingAdmin(admin.ModelAdmin[_M]):
    """Republishes the races an edit touches once the object and its inlines are saved, or once it is deleted.

    ``races_touched`` names them by id (``None`` stands for no race, as in a new row's ``before``); ``before`` holds
    the values the change form was opened with (its ``initial``), so that a row moved to another race republishes
    the race it left as well.
    """

    def races_touched(self, obj: _M, before: Mapping[str, Any]) -> Collection[int | None]:
        raise NotImplementedError

    def races_to_publish(self, race_ids: Iterable[int | None]) -> QuerySet[Race]:
        return Race.objects.filter(pk__in={race_id for race_id in race_ids if race_id})

    def publish(self, request: HttpRequest, race_ids: Iterable[int | None]) -> None:
        try:
            services.races_publish(races=self.races_to_publish(race_ids))
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)

    def save_related(self, request: HttpRequest, form: forms.ModelForm[_M], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self.publish(request, self.races_touched(form.instance, form.initial if change else {}))

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        race_ids = self.races_touched(obj, {})
        super().delete_model(request, obj)
        self.publish(request, race_ids)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_M]) -> None:
        with transaction.atomic():
            race_ids = {race_id for obj in queryset for race_id in self.races_touched(obj, {})}
            super().delete_queryset(request, queryset)
            self.publish(request, race_ids)

    # A deletion a service refuses (a result to keep, a reason missing) raises ValidationError from delete_model or
    # delete_queryset: nothing is deleted (the admin's log entry included), and the official reads why.
    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


# --- venues and competitions -------------------------------------------------------------------------------------


@admin.register(Venue)
class VenueAdmin(RepublishingAdmin[Venue]):
    list_display = ["name", "city", "country"]
    search_fields = ["name", "city"]
    ordering = ["name"]

    def races_touched(self, obj: Venue, before: Mapping[str, Any]) -> set[int]:
        # Races show their venue's name and city, and track records belong to a venue.
        return set(Race.objects.filter(competition__venue=obj).values_list("pk", flat=True))


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
    def heat_count(self, race: WithAnnotations[Race, _HeatTotal]) -> int:
        return race.heat_total

    @admin.display(description="")
    def links(self, race: Race) -> str:
        return format_html(
            '{} · <a href="{}" target="_blank" rel="noopener">Leaderboard</a>',
            enter_results_link(race),
            reverse("results:race_leaderboard", args=[race.pk]),
        )


@admin.register(Competition)
class CompetitionAdmin(RepublishingAdmin[Competition]):
    list_display = ["name", "venue", "starts_on", "ends_on", "is_olympic_games", "race_count"]
    list_filter = ["is_olympic_games", "venue"]
    search_fields = ["name", "venue__name", "venue__city"]
    ordering = ["-starts_on", "name"]
    date_hierarchy = "starts_on"
    list_select_related = ["venue"]
    inlines = [RaceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Competition]:
        return super().get_queryset(request).annotate(race_total=Count("races"))

    @admin.display(description="Races", ordering="race_total")
    def race_count(self, competition: WithAnnotations[Competition, _RaceTotal]) -> int:
        return competition.race_total

    def races_touched(self, obj: Competition, before: Mapping[str, Any]) -> set[int]:
        # The name and venue appear on every race's board; the Olympic flag decides whether OR can be set.
        return set(obj.races.values_list("pk", flat=True)) if obj.pk else set()


# --- races -------------------------------------------------------------------------------------------------------


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
class RaceAdmin(BroadcastLinksAdmin, RepublishingAdmin[Race]):
    form = RaceAdminForm
    list_display = ["title", "competition", "order", "distance", "status", "heat_count", "enter_results"]
    list_display_links = ["title"]
    list_filter = ["competition", "status", "format", "gender", "distance"]
    list_select_related = ["competition"]
    search_fields = ["title", "competition__name"]
    ordering = ["-competition__starts_on", "competition", "order", "id"]
    autocomplete_fields = ["competition"]
    fieldsets = [
        (None, {"fields": ["competition", "order", "title", "gender", "distance", "day", "format", "status"]}),
        ("World Cup points", {"fields": ["points_preset", "points_table"]}),
        (
            "Mass start sprints",
            {
                "fields": ["sprint_points"],
                "description": "Points by place for each sprint, the final sprint last. Left empty, a mass start gets "
                "the 2025-26 table: 3/2/1 at laps 4, 8 and 12, 60/40/20/10/6/3 at the finish.",
            },
        ),
        ("Broadcasters", {"fields": ["broadcast_links"], "classes": ["collapse"]}),
    ]
    # The status follows the results; a referee changes it with the status buttons (reason and history kept).
    readonly_fields = ["status"]
    inlines = [HeatInline]

    class Media:
        js = [forms.Script("admin-results/race-form.js", type="module")]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Race]:
        return super().get_queryset(request).annotate(heat_total=Count("heats"))

    @admin.display(description="Pairs", ordering="heat_total")
    def heat_count(self, race: WithAnnotations[Race, _HeatTotal]) -> int:
        return race.heat_total

    @admin.display(description="Results")
    def enter_results(self, race: Race) -> str:
        return enter_results_link(race)

    def races_touched(self, obj: Race, before: Mapping[str, Any]) -> set[int]:
        return {obj.pk}

    # A deleted race leaves its classifications: their standings are republished without it.
    def delete_model(self, request: HttpRequest, obj: Race) -> None:
        with transaction.atomic():
            classification_ids = classifications_of_races([obj.pk])
            super().delete_model(request, obj)
            services.classifications_republish(classification_ids=classification_ids)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Race]) -> None:
        with transaction.atomic():
            classification_ids = classifications_of_races(queryset.values_list("pk", flat=True))
            super().delete_queryset(request, queryset)
            services.classifications_republish(classification_ids=classification_ids)

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


# --- skaters, heats, starts --------------------------------------------------------------------------------------


@admin.register(Skater)
class SkaterAdmin(RepublishingAdmin[Skater]):
    list_display = ["name", "nation", "start_count"]
    list_filter = ["nation"]
    search_fields = ["name", "nation"]
    ordering = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Skater]:
        return super().get_queryset(request).annotate(start_total=Count("starts"))

    @admin.display(description="Races", ordering="start_total")
    def start_count(self, skater: WithAnnotations[Skater, _StartTotal]) -> int:
        return skater.start_total

    def races_touched(self, obj: Skater, before: Mapping[str, Any]) -> set[int]:
        return set(Race.objects.filter(heats__starts__skater=obj).values_list("pk", flat=True)) if obj.pk else set()


class StartInline(admin.TabularInline[Start, Heat]):
    model = Start
    verbose_name = "skater in this pair"
    verbose_name_plural = "skaters in this pair"
    formset = HeatStartsFormSet
    fields = ["lane", "bib", "skater", "result"]
    readonly_fields = ["result"]
    autocomplete_fields = ["skater"]

    def get_extra(self, request: HttpRequest, obj: Heat | None = None, **kwargs: Any) -> int:
        return 2 if obj is None else 0

    def get_max_num(self, request: HttpRequest, obj: Heat | None = None, **kwargs: Any) -> int:
        """Four in a pair or quartet start, 24 in a mass start, two teams in a team pursuit
        (results/rules/formats.py)."""
        return formats.rules_for(obj.race.format if obj else formats.INDIVIDUAL).per_heat

    @admin.display(description="Result")
    def result(self, start: Start) -> str:
        return result_text(start) if start.pk else ""


class HeatChoiceField(forms.ModelChoiceField[Heat]):
    def label_from_instance(self, obj: Heat) -> str:
        return f"{obj.race.title} ({obj.race.competition}) · pair {obj.number}"


@admin.register(Heat)
class HeatAdmin(HeatColumns, RepublishingAdmin[Heat]):
    list_display = ["__str__", "race", "skaters", "entered", "recorded_at"]
    list_filter = ["race__competition", "race"]
    list_select_related = ["race"]
    search_fields = ["race__title", "starts__skater__name"]
    ordering = ["race", "number"]
    autocomplete_fields = ["race"]
    fields = ["race", "number", "recorded_at"]
    readonly_fields = ["recorded_at"]
    inlines = [StartInline]

    def races_touched(self, obj: Heat, before: Mapping[str, Any]) -> set[int | None]:
        return {obj.race_id, before.get("race")}

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Skaters taken out of the pair leave through ``services.start_remove``, so the race's status follows (the
        formset refuses one with a result: the start's own page asks for the reason the history keeps)."""
        if formset.model is not Start:
            super().save_formset(request, form, formset, change)
            return
        starts = formset.save(commit=False)  # with commit=False the formset deletes nothing itself
        for start in formset.deleted_objects:
            services.start_remove(start=start, by=cast(User, request.user))
        for start in starts:
            start.save()
        formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Heat) -> None:
        """Through the service: a pair with results is refused (clear it first, which the history keeps)."""
        services.heat_remove(heat=obj, by=cast(User, request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Heat]) -> None:
        with transaction.atomic():
            for heat in queryset:
                services.heat_remove(heat=heat, by=cast(User, request.user))


class ResultChangeColumns(BaseModelAdmin[ResultChange]):
    """The "Old" and "New" columns of a result's change, for the history list and a start's history."""

    @admin.display(description="Old")
    def old(self, change: ResultChange) -> str:
        return change_text(change, old=True)

    @admin.display(description="New")
    def new(self, change: ResultChange) -> str:
        return change_text(change, old=False)


class ResultChangeInline(ResultChangeColumns, admin.TabularInline[ResultChange, Start]):
    """The start's result as it changed, newest first. Read-only: the services write it."""

    model = ResultChange
    fk_name = "start"
    verbose_name = "change"
    verbose_name_plural = "history of this result"
    fields = readonly_fields = ("at", "by", "kind", "old", "new", "reason", "version")
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Start | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Start)
class StartAdmin(RepublishingAdmin[Start]):
    list_display = ["skater", "bib", "race", "heat_number", "lane", "result"]
    list_filter = ["heat__race__competition", "heat__race", "status"]
    list_select_related = ["skater", "heat__race"]
    search_fields = ["skater__name", "skater__nation", "=bib", "heat__race__title"]
    ordering = ["heat__race", "heat__number", "lane"]
    autocomplete_fields = ["skater", "members"]
    fields = ["heat", "lane", "bib", "skater", "members", "result"]
    readonly_fields = ["result"]
    inlines = [ResultChangeInline]
    # Both ask for the reason that goes into the history with a result taken out.
    delete_confirmation_template = "admin/results/start/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/results/start/delete_selected_confirmation.html"

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        start = self.get_object(request, unquote(object_id))
        if start is not None:
            about = {"object_result": result_text(start), "reason_required": policy.reason_required(start.heat.race)}
            extra_context = {**about, **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: Start) -> None:
        """Through the service: a result the skater had is kept in the history as removed, with the reason."""
        services.start_remove(start=obj, by=cast(User, request.user), reason=request.POST.get("reason", ""))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Start]) -> None:
        with transaction.atomic():
            for start in queryset.select_related("heat"):
                services.start_remove(start=start, by=cast(User, request.user), reason=request.POST.get("reason", ""))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "heat":
            queryset = Heat.objects.select_related("race__competition").order_by("race", "number")
            return HeatChoiceField(queryset=queryset, label="Pair")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Race", ordering="heat__race")
    def race(self, start: Start) -> Race:
        return start.heat.race

    @admin.display(description="Pair", ordering="heat__number")
    def heat_number(self, start: Start) -> int:
        return start.heat.number

    @admin.display(description="Result (entered on the race's entry screen)")
    def result(self, start: Start) -> str:
        return result_text(start) if start.pk else "—"

    def races_touched(self, obj: Start, before: Mapping[str, Any]) -> set[int | None]:
        left_heat = before.get("heat")
        left = Heat.objects.filter(pk=left_heat).values_list("race_id", flat=True).first() if left_heat else None
        return {obj.heat.race_id, left}


# --- history ---------------------------------------------------------------------------------------------------


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


# --- records -----------------------------------------------------------------------------------------------------


@admin.register(Record)
class RecordAdmin(RepublishingAdmin[Record]):
    form = RecordAdminForm
    list_display = ["kind", "gender", "distance", "time", "holder", "nation", "set_on", "venue"]
    list_filter = ["kind", "gender", "distance"]
    search_fields = ["holder", "nation"]
    ordering = ["gender", "distance", "kind", "time_ms"]
    list_select_related = ["venue"]
    autocomplete_fields = ["venue", "set_in_race"]

    @admin.display(description="Time", ordering="time_ms")
    def time(self, record: Record) -> str:
        return format_time(record.time_ms)

    def races_touched(self, obj: Record, before: Mapping[str, Any]) -> set[int]:
        # Which records stood decides the flags of races still running; an official race keeps its flags.
        keys = {(obj.gender, obj.distance), (before.get("gender"), before.get("distance"))}
        races = Race.objects.exclude(status=Race.State.OFFICIAL)
        return {
            pk
            for gender, distance in keys
            if gender and distance
            for pk in races.filter(gender=gender, distance=distance).values_list("pk", flat=True)
        }


# Timing-system tokens (results/admin_timing.py) register themselves when imported.
from results import admin_timing  # noqa: E402, F401
