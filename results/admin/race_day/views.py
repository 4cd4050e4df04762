"""Race day in the admin: the per-race results entry screen (pairs, corrections, clearing, the race status,
re-skates) and the race's history.

``RaceAdmin.get_urls`` mounts ``RaceDayViews(self).urls()``. Every write goes through ``results.services``; what
a service refuses comes back next to the field it is about, with what the official typed kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from results import policy, selectors, services
from results.admin.forms import reason_missing
from results.admin.pages import RacePages
from results.admin.race_day import mass_start as sprint_entry
from results.admin.race_day.forms import HeatResultsForm, RaceStatusForm, ReskateForm, ResultRow
from results.models import Heat, Race, Start, Status
from results.rules import plausibility, wording
from results.rules.numbers import whole_number
from results.rules.times import time_input_text

ENTER_RESULTS_PERMISSION = "results.enter_results"
VIEW_HISTORY_PERMISSION = "results.view_resultchange"

MESSAGE_HEAT_SAVED = "Pair {heat} saved: {summary}."
MESSAGE_HEAT_CLEARED = "Pair {heat} cleared: its results are taken off the board and kept in the history."
MESSAGE_CHECK = "Pair {heat}, {skater}: {warning} It is saved as typed; correct the pair if it is wrong."
MESSAGE_STATUS_SET = "{race} is now {status}."
MESSAGE_RESKATE_ADDED = "Re-skate granted: {skater} skates again in pair {heat}{lane}."
MESSAGE_REASON_NEEDED = "{race} is {status}: only a referee changes its results, and every change needs a reason."
ERROR_NO_SUCH_HEAT = "This race has no pair {heat}."
ERROR_NO_SUCH_SPRINT = "This race has no sprint {sprint}."
ERROR_NO_SUCH_START = "This race has no start {start}: open its history from the race's history page."

# What each status means for the people on the entry screen.
STATUS_HELP = {
    Race.State.START_LIST: "No result yet. The race goes live with the first pair saved.",
    Race.State.LIVE: "Pairs are being entered. The race becomes unofficial when every pair is in.",
    Race.State.UNOFFICIAL: "Every pair is in. A referee confirms the results, or puts them under review.",
    Race.State.OFFICIAL: "Confirmed by the referee: medals and records stand. Only a referee corrects, with a reason.",
    Race.State.PROTESTED: "Under review: spectators see “Under review”. Only a referee changes results, with a reason.",
}
# A race in these statuses can get a re-skate pair (services.reskate_add).
RESKATE_STATUSES = {Race.State.LIVE, Race.State.UNOFFICIAL, Race.State.PROTESTED}


def enter_results_url(race_id: int) -> str:
    return reverse("admin:results_race_enter_results", args=[race_id])


def history_url(race_id: int) -> str:
    return reverse("admin:results_race_results_history", args=[race_id])


def results_lock(race: Race, user: policy.User) -> str:
    """Why ``user`` cannot change ``race``'s results at all, or ``""``. A missing reason is not a lock: the form
    asks for it."""
    return policy.results_change_refusal(race=race, user=user, reason="given in the form") or ""


@dataclass(frozen=True)
class SkaterLine:
    """One skater's row on the entry screen: the fields, where the standings place them, their history."""

    row: ResultRow
    standing: Mapping[str, Any] | None
    changes: int

    @property
    def saved(self) -> str:
        """The result as saved now (``1:16.05``, ``DQ T07``, ``no result``), next to what was typed after a conflict."""
        start = self.row.start
        return wording.result_text(start.status, start.time_ms, start.infraction)


@dataclass(frozen=True)
class HeatPanel:
    """One heat as the entry screen shows it."""

    heat: Heat
    form: HeatResultsForm
    is_saved: bool
    is_next: bool
    standings: Mapping[int, Mapping[str, Any]]
    changes: Mapping[int, int]

    @property
    def anchor(self) -> str:
        return f"heat-{self.heat.number}"

    @property
    def noun(self) -> str:
        """What the official saves: a pair, or a mass start's finish (its one heat)."""
        return "finish" if self.heat.race.format == Race.Format.MASS_START else "pair"

    @property
    def title(self) -> str:
        return "Finish" if self.noun == "finish" else f"Pair {self.heat.number}"

    @property
    def has_results(self) -> bool:
        """Something of the pair is saved: it can be corrected (with a reason) or cleared."""
        return any(start.has_result for start in self.form.starts)

    def lines(self) -> list[SkaterLine]:
        return [
            SkaterLine(row, self.standings.get(row.start.bib), self.changes.get(row.start.pk, 0))
            for row in self.form.rows
        ]


class RaceDayViews(RacePages):
    """The entry screen and the history of a race."""

    def urls(self) -> list[URLPattern]:
        view = self.model_admin.admin_site.admin_view
        return [
            path("<path:object_id>/enter/", view(self.enter_results_view), name="results_race_enter_results"),
            path("<path:object_id>/results-history/", view(self.history_view), name="results_race_results_history"),
        ]

    # --- the entry screen ----------------------------------------------------------------------------------------

    def enter_results_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Results pair by pair: one form per heat, saved all or nothing, then back here on the next heat. The same
        page takes a referee's status change (``form=status``) and a re-skate (``form=reskate``)."""
        if not request.user.has_perm(ENTER_RESULTS_PERMISSION):
            raise PermissionDenied
        race = self._race(request, object_id)
        # admin_view lets in only active staff users, so this is never the anonymous user.
        user = cast(User, request.user)
        starts = Start.objects.select_related("skater").order_by("lane", "id")
        heats = list(race.heats.order_by("number").prefetch_related(Prefetch("starts", queryset=starts)))

        bound: HeatResultsForm | None = None
        sprint_form: sprint_entry.SprintForm | None = None
        status_form = RaceStatusForm(race=race)
        reskate_form = ReskateForm(race=race)
        if request.method == "POST":
            submitted = request.POST.get("form", "heat")
            if submitted == "sprint":
                sprint_form = sprint_entry.bound_sprint_form(request, race)
                if sprint_form is None:
                    raise Http404(ERROR_NO_SUCH_SPRINT.format(sprint=request.POST.get("sprint", "")))
                if anchor := sprint_entry.sprint_save(self.model_admin, request, race, sprint_form, user):
                    self._tie_warnings(request, _standings(race.pk))
                    return HttpResponseRedirect(enter_results_url(race.pk) + anchor)
            elif submitted == "status":
                status_form = RaceStatusForm(request.POST, race=race)
                if done := self._status_set(request, race, status_form, user):
                    return done
            elif submitted == "reskate":
                reskate_form = ReskateForm(request.POST, race=race)
                if done := self._reskate_add(request, race, reskate_form, user):
                    return done
            else:
                heat = next((h for h in heats if str(h.number) == request.POST.get("heat", "")), None)
                if heat is None:
                    raise Http404(ERROR_NO_SUCH_HEAT.format(heat=request.POST.get("heat", "")))
                bound = HeatResultsForm(
                    request.POST, heat=heat, starts=heat.starts.all(), clearing=request.POST.get("action") == "clear"
                )
                if done := self._heat_post(request, race, heat, bound, user):
                    return done
        return self._enter_results_page(request, race, heats, bound, status_form, reskate_form, sprint_form)

    def _heat_post(
        self, request: HttpRequest, race: Race, heat: Heat, form: HeatResultsForm, user: User
    ) -> HttpResponse | None:
        if not form.is_valid():
            return None
        revision, reason = form.saved_with()
        clearing = request.POST.get("action") == "clear"
        try:
            if clearing:
                services.heat_results_clear(heat=heat, by=user, reason=reason, expected_revision=revision)
            else:
                published = services.heat_results_record(
                    heat=heat, results=form.results(), by=user, reason=reason, expected_revision=revision
                )
        except services.HeatResultsInvalid as error:
            form.add_service_errors(error)
            return None
        if clearing:
            self.model_admin.message_user(request, MESSAGE_HEAT_CLEARED.format(heat=heat.number), messages.SUCCESS)
        else:
            # The standings the save published (the same results again published nothing: they are as they were).
            standings = published.standings if published is not None else _standings(race.pk)
            self._heat_saved_messages(request, race, heat, form.results(), standings)
        return HttpResponseRedirect(enter_results_url(race.pk) + _next_heat_anchor(race))

    def _heat_saved_messages(
        self,
        request: HttpRequest,
        race: Race,
        heat: Heat,
        results: Sequence[services.StartResult],
        standings: Sequence[Mapping[str, Any]],
    ) -> None:
        rows = [row for row in standings if row["heat"] == heat.number]
        if race.format == Race.Format.MASS_START:
            summary = sprint_entry.finish_summary(rows)
            message = sprint_entry.MESSAGE_FINISH_SAVED.format(summary=summary)
            self.model_admin.message_user(request, message, messages.SUCCESS)
            self._tie_warnings(request, standings)
            return
        summary = "; ".join(_standing_summary(row) for row in rows)
        self.model_admin.message_user(
            request, MESSAGE_HEAT_SAVED.format(heat=heat.number, summary=summary), messages.SUCCESS
        )
        # Saved anyway: a fall or a world record gives a time no table expects, and a DQ's code may come later. The
        # official checks it.
        skaters = {start.pk: start.skater.name for start in heat.starts.all()}
        for entry in results:
            for warning in _entry_warnings(race, entry):
                message = MESSAGE_CHECK.format(heat=heat.number, skater=skaters[entry.start_id], warning=warning)
                self.model_admin.message_user(request, message, messages.WARNING)

    def _tie_warnings(self, request: HttpRequest, standings: Sequence[Mapping[str, Any]]) -> None:
        """A mass start's finishers tied on points without the finish times that would separate them."""
        for warning in sprint_entry.tie_warnings(standings):
            self.model_admin.message_user(request, warning, messages.WARNING)

    def _status_set(self, request: HttpRequest, race: Race, form: RaceStatusForm, user: User) -> HttpResponse | None:
        if not form.is_valid():
            return None
        try:
            race = services.race_status_set(
                race=race, status=form.cleaned_data["status"], by=user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return None
        status = race.get_status_display().lower()
        self.model_admin.message_user(request, MESSAGE_STATUS_SET.format(race=race, status=status), messages.SUCCESS)
        # The race's change page offers the same buttons and sends the referee back there.
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = enter_results_url(race.pk)
        return HttpResponseRedirect(back)

    def _reskate_add(self, request: HttpRequest, race: Race, form: ReskateForm, user: User) -> HttpResponse | None:
        if not form.is_valid():
            return None
        data = form.cleaned_data
        try:
            reskate = services.reskate_add(start=data["start"], lane=data["lane"], by=user, reason=data["reason"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("reason" if message == reason_missing(race) else None, message)
            return None
        lane = f" ({reskate.get_lane_display().lower()} lane)" if reskate.lane else ""
        message = MESSAGE_RESKATE_ADDED.format(skater=reskate.skater.name, heat=reskate.heat.number, lane=lane)
        self.model_admin.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(enter_results_url(race.pk) + f"#heat-{reskate.heat.number}")

    def _enter_results_page(
        self,
        request: HttpRequest,
        race: Race,
        heats: list[Heat],
        bound: HeatResultsForm | None,
        status_form: RaceStatusForm,
        reskate_form: ReskateForm,
        sprint_form: sprint_entry.SprintForm | None = None,
    ) -> HttpResponse:
        user = cast(User, request.user)
        mass_start = race.format == Race.Format.MASS_START
        sprints = sprint_entry.sprint_panels(race, sprint_form) if mass_start else []
        standings = {row["bib"]: row for row in _standings(race.pk)}
        changes = selectors.change_counts(race)
        panels: list[HeatPanel] = []
        next_found = False
        for heat in heats:
            heat_starts = list(heat.starts.all())
            is_saved = bool(heat_starts) and all(start.has_result for start in heat_starts)
            is_next = not is_saved and bool(heat_starts) and not next_found
            next_found = next_found or is_next
            form = bound if bound is not None and bound.heat.pk == heat.pk else None
            form = form or HeatResultsForm(heat=heat, starts=heat_starts)
            panel = HeatPanel(
                heat=heat, form=form, is_saved=is_saved, is_next=is_next, standings=standings, changes=changes
            )
            panels.append(panel)

        # The cursor goes where the official has to type next: the form that came back with errors, else the
        # first heat still to enter.
        focus: forms.BoundField | None = None
        if status_form.is_bound:
            focus = status_form["reason"]
        elif reskate_form.is_bound:
            focus = next((field for field in reskate_form if field.errors), reskate_form["start"])
        elif sprint_form is not None:
            focus = sprint_form["reason"] if sprint_form["reason"].errors else sprint_form["order"]
        elif bound is None and (next_sprint := next((s for s in sprints if s.is_next), None)):
            focus = next_sprint.form["order"]  # a mass start is entered sprint by sprint, then the finish
        else:
            focus_form = bound if bound is not None else next((p.form for p in panels if p.is_next), None)
            focus = focus_form.first_field_to_fix() if focus_form is not None else None
        if focus is not None:
            focus.field.widget.attrs["autofocus"] = True

        lock = results_lock(race, user)
        status = race.get_status_display().lower()
        plausible = plausibility.plausible_range_ms(race.distance)
        reskates_offered = race.status in RESKATE_STATUSES and not lock and not mass_start
        if reskate_form.is_bound and not reskates_offered:
            # Posted from a page opened before the race changed: the panel is gone, its refusal goes on top.
            for errors in reskate_form.errors.values():
                for message in errors:
                    self.model_admin.message_user(request, str(message), messages.ERROR)
        context = {
            **self._page_context(request, race, f"Enter results: {race.title}"),
            "panels": panels,
            "heats_done": sum(panel.is_saved for panel in panels),
            "results_lock": lock,
            "reason_notice": MESSAGE_REASON_NEEDED.format(race=race, status=status)
            if not lock and policy.reason_required(race)
            else "",
            **status_panel_context(request, race, status_form, next_url=""),
            "reskate_form": reskate_form if reskates_offered else None,
            **sprint_entry.entry_context(race, sprints),
            "plausible_range": plausible,
            "plausible_warning": plausibility.warning_template(race.distance) or "",
            "dq_warning": plausibility.WARNING_DQ_WITHOUT_INFRACTION,
            "leaderboard_url": reverse("results:race_leaderboard", args=[race.pk]),
            "json_url": reverse("results:api_race_standings", args=[race.pk]),
            "enter_url": enter_results_url(race.pk),
            "history_url": history_url(race.pk) if user.has_perm(VIEW_HISTORY_PERMISSION) else "",
        }
        return TemplateResponse(request, "admin/results/race/enter_results.html", context)

    # --- the race's history --------------------------------------------------------------------------------------

    def history_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return require_GET(self._history)(request, object_id)

    def _history(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not request.user.has_perm(VIEW_HISTORY_PERMISSION):
            raise PermissionDenied
        race = self._race(request, object_id)
        start: Start | None = None
        if "start" in request.GET:
            start_id = whole_number(request.GET["start"])
            starts = Start.objects.filter(heat__race=race).select_related("skater", "heat")
            start = starts.filter(pk=start_id).first() if start_id is not None else None
            if start is None:
                raise Http404(ERROR_NO_SUCH_START.format(start=request.GET["start"]))
        rows = selectors.race_history(race, start_id=start.pk if start else None)
        title = f"History: {race.title}" + (f", {start.skater.name}" if start else "")
        context = {
            **self._page_context(request, race, title),
            "start": start,
            "rows": rows,
            "history_url": history_url(race.pk),
            "enter_url": enter_results_url(race.pk) if request.user.has_perm(ENTER_RESULTS_PERMISSION) else "",
        }
        return TemplateResponse(request, "admin/results/race/results_history.html", context)


def status_panel_context(request: HttpRequest, race: Race, form: RaceStatusForm, *, next_url: str) -> dict[str, Any]:
    """What ``admin/results/race/_status_panel.html`` needs, on the entry screen and on the race's page."""
    return {
        "status_form": form,
        "status_help": STATUS_HELP.get(Race.State(race.status), ""),
        "is_referee": policy.may(cast(User, request.user), policy.REFEREE),
        "status_action": enter_results_url(race.pk) + "#race-status-panel",
        "status_next": next_url,
    }


def _next_heat_anchor(race: Race) -> str:
    """``#heat-4``: where the official lands after a save, the first heat still to enter (none: the top)."""
    next_heat = Heat.objects.filter(race=race, starts__status=Status.PENDING).order_by("number").distinct().first()
    return f"#heat-{next_heat.number}" if next_heat else ""


def _standings(race_id: int) -> list[dict[str, Any]]:
    snapshot = selectors.race_snapshot_current(race_id)
    return json.loads(snapshot.payload)["standings"] if snapshot else []


def _entry_warnings(race: Race, entry: services.StartResult) -> list[str]:
    """What the official should check about a saved entry: a time outside the usual range, a DQ without its code."""
    warnings = []
    if entry.status == Status.OK and entry.time_ms is not None:
        text = time_input_text(entry.time_ms)
        warnings.append(plausibility.time_warning(distance=race.distance, time_ms=entry.time_ms, time_text=text))
    warnings.append(plausibility.disqualification_warning(status=entry.status, infraction=entry.infraction))
    return [warning for warning in warnings if warning]


def _standing_summary(row: Mapping[str, Any]) -> str:
    """``Jutta LEERDAM 1:12.31 (rank 1)``, ``Femke KOK DQ T04``, as the official checks it against the clock."""
    result = row["time"] or row["status"]
    if row["infraction"]:
        result = f"{result} {row['infraction']}"
    place = f" (rank {row['rank']})" if row["rank"] else ""
    return f"{row['name']} {result}{place}"
