"""Notes about skaters for the commentators (docs/commentators.md), in the admin: timing officials and referees
write them, ``results.services.skater_notes`` saves them; commentators read them on their screen only. Reached
from a competition's page (its "Commentators" line). Registered by importing this module from ``results.admin``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from results.admin.base import ServiceAdmin, user_of
from results.models import Competition, SkaterNote
from results.services import skater_notes


@admin.register(SkaterNote)
class SkaterNoteAdmin(ServiceAdmin[SkaterNote]):
    list_display = ["skater", "competition", "short_text", "updated_by", "updated_at"]
    list_filter = ["competition"]
    list_select_related = ["skater", "competition", "updated_by"]
    search_fields = ["skater__name", "skater__nation", "text"]
    autocomplete_fields = ["skater"]
    fields = ["competition", "skater", "text", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]

    @admin.display(description="Note")
    def short_text(self, note: SkaterNote) -> str:
        return Truncator(note.text).chars(80)

    def service_save(self, request: HttpRequest, form: forms.ModelForm[SkaterNote], formsets: Sequence[Any]) -> None:
        skater_notes.skater_note_save(note=form.instance, by=user_of(request))

    def service_delete(self, request: HttpRequest, obj: SkaterNote) -> None:
        skater_notes.skater_note_delete(note=obj, by=user_of(request))


def competition_commentary_links(competition: Competition) -> str:
    """The competition's notes for the commentators (how many, and where to add one) and the commentator's screen."""
    notes = reverse("admin:results_skaternote_changelist")
    add = reverse("admin:results_skaternote_add")
    screen = reverse("results:commentator", args=[competition.pk])
    return format_html(
        '<a href="{}?competition__id__exact={}">Notes about skaters ({})</a> · <a href="{}?competition={}">Add a note'
        '</a> · <a href="{}" target="_blank" rel="noopener">Commentator\'s screen ↗</a>',
        notes,
        competition.pk,
        competition.skater_notes.count(),
        add,
        competition.pk,
        screen,
    )
