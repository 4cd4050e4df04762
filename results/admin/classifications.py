"""Classifications in the admin (docs/classifications.md): a championship's name, competition, gender and kind, with
its races inline in the order they are skated.

The kind checks the distances: a sprint skates 500, 1000, 500, 1000, and a race of the wrong distance in a place,
of another competition or gender, or a fifth distance is refused with a message that names it. Fewer distances
than the kind has are saved, with a warning (the second day's races of a sprint are often made only once the first
day is drawn). Every save republishes the classification; deleting one withdraws its page, JSON and socket.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from results.admin.base import ServiceAdmin, reason_of, user_of
from results.admin.forms import ServiceForm, ServiceFormSet
from results.models import Classification, ClassificationRace, Race, StandingsEdit
from results.rules import classification as rules
from results.services import classifications as services


def race_label(race: Race) -> str:
    return f"{race.title} ({race.distance} m, {race.day:%a %d %b})"


def legs_of(formset: BaseInlineFormSet[Any, Any, Any]) -> list[tuple[int, Race]]:
    """The distances the inline leaves, as (position, race), in the order they are skated."""
    legs = [
        (form.cleaned_data["position"], form.cleaned_data["race"])
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    return sorted(legs, key=lambda leg: leg[0])


class ClassificationRaceFormSet(ServiceFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors) or not self.instance.competition_id or not self.instance.kind:
            return  # the form's own errors come first; the rest is checked once they are fixed
        legs = legs_of(self)
        errors = services.classification_legs_errors(classification=self.instance, legs=legs)
        if errors:
            raise ValidationError(errors)
        races = [race for _position, race in legs]
        self.refuse(
            services.classification_change_refusal(
                classification=self.instance, races=races, by=self.user, reason=self.reason
            )
        )


class ClassificationRaceInline(admin.TabularInline[ClassificationRace, Classification]):
    model = ClassificationRace
    formset = ClassificationRaceFormSet
    verbose_name = "distance"
    verbose_name_plural = "distances, in the order they are skated"
    fields = ("position", "race", "distance")
    readonly_fields = ("distance",)
    ordering = ("position",)

    def get_extra(self, request: HttpRequest, obj: Classification | None = None, **kwargs: Any) -> int:
        count = obj.legs.count() if obj else 0
        wanted = len(rules.KIND_DISTANCES.get(obj.kind, ())) if obj else 4
        return max(wanted - count, 0 if count else 1)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "race":
            races = Race.objects.select_related("competition").order_by("-competition__starts_on", "order", "id")
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            classification = Classification.objects.filter(pk=unquote(object_id)).first() if object_id else None
            # Editing: the classification's own competition only. Adding: any race, checked on save.
            kwargs["queryset"] = races.filter(competition=classification.competition) if classification else races
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "race":
            field.label_from_instance = race_label  # type: ignore[method-assign,assignment]
        return field

    @admin.display(description="Distance")
    def distance(self, leg: ClassificationRace) -> str:
        return f"{leg.race.distance} m" if leg.race_id else "—"


@admin.register(Classification)
class ClassificationAdmin(ServiceAdmin[Classification]):
    form = ServiceForm[Classification]
    list_display = ["name", "competition", "kind", "gender", "distances", "public_page"]
    list_filter = ["kind", "gender", "competition"]
    list_select_related = ["competition"]
    search_fields = ["name", "competition__name"]
    autocomplete_fields = ["competition"]
    fields = ["competition", "name", "gender", "kind", "public_page", "reason", "history"]
    readonly_fields = ["public_page", "history"]
    inlines = [ClassificationRaceInline]
    delete_confirmation_template = "admin/results/delete_confirmation_with_reason.html"
    delete_selected_confirmation_template = "admin/results/delete_selected_confirmation_with_reason.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Classification]:
        return super().get_queryset(request).prefetch_related("legs__race")

    @admin.display(description="Distances")
    def distances(self, obj: Classification) -> str:
        return ", ".join(f"{leg.race.distance}" for leg in obj.legs.all()) or "—"

    @admin.display(description="Public page")
    def public_page(self, obj: Classification) -> str:
        if not obj.pk:
            return "—"
        url = reverse("results:classification", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.display(description="History")
    def history(self, obj: Classification) -> str:
        """Its distances as they changed once one of them had results, newest first (read-only)."""
        edits = StandingsEdit.objects.filter(classification=obj).select_related("by") if obj.pk else []
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>v{}</td></tr>",
            (
                (
                    f"{edit.at:%Y-%m-%d %H:%M:%S}",
                    edit.by or "system",
                    edit.subject,
                    edit.old,
                    edit.new,
                    edit.reason,
                    edit.version,
                )
                for edit in edits
            ),
        )
        if not rows:
            return "—"
        return format_html(
            '<table class="classification-history"><thead><tr><th>When</th><th>Who</th><th>What</th>'
            "<th>Old → new</th><th>Reason</th><th>Version</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def service_save(
        self, request: HttpRequest, form: forms.ModelForm[Classification], formsets: Sequence[Any]
    ) -> None:
        legs = next(formset for formset in formsets if formset.model is ClassificationRace)
        races = [race for _position, race in legs_of(legs)]
        classification = services.classification_save(
            classification=form.instance, races=races, by=user_of(request), reason=reason_of(request)
        )
        warning = rules.legs_warning(classification.kind, len(races))
        if warning:
            self.message_user(request, warning, messages.WARNING)

    def service_delete(self, request: HttpRequest, obj: Classification) -> None:
        services.classification_delete(classification=obj, by=user_of(request), reason=reason_of(request))
