"""The broadcasters' pages (docs/broadcasters.md): the embed, the TV overlays and the venue scoreboard.

Each is rendered from the race's published snapshot, so it reads with JavaScript off, then kept live by its
script through ``static/results/feed.js``. What a page shows of the snapshot (which rows, which pair) is chosen by
the small functions below, and again by the page's script for each newer snapshot: keep the two in step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from results import selectors
from results.web.embed import formats
from results.web.embed import options as embed_options
from results.web.embed.labels import DEFAULT_LANGUAGE, labels_for
from results.web.embed.options import EmbedOptions, Page
from results.web.framing import embeddable
from results.web.intelligence import duel_table

Row = dict[str, Any]
Labels = dict[str, str]
Build = Callable[[dict[str, Any], EmbedOptions, Labels], dict[str, Any]]
LANE_ORDER = {"I": 0, "O": 1}


def rows_shown(standings: list[Row], rows: int | None) -> list[Row]:
    """Every row, or the finishers ranked 1..rows: a tie at the cut shows everyone in it."""
    if rows is None:
        return standings
    return [row for row in standings if row["rank"] is not None and row["rank"] <= rows]


def last_pair_rows(document: dict[str, Any]) -> list[Row]:
    """The skaters of the pair saved last, in lane order (as they were announced); a mass start's latest sprint."""
    if formats.is_mass_start(document):
        return formats.latest_sprint_rows(document)
    heat = document["last_heat"]
    rows = [row for row in document["standings"] if heat is not None and row["heat"] == heat]
    return sorted(rows, key=lambda row: LANE_ORDER.get(row["lane"], 2))


def fields_shown(fields: tuple[str, ...], standings: list[Row]) -> list[str]:
    """The chosen fields, without points in a race that awards none."""
    with_points = any(row["points"] is not None for row in standings)
    return [name for name in fields if name != "points" or with_points]


def _page(request: HttpRequest, race_id: int, page: Page, template: str, build: Build) -> HttpResponse:
    """The page from the race's snapshot; 400 listing what is allowed for a bad option, 404 for no such race."""
    parsed = embed_options.options_parse(dict(request.GET.lists()), page=page)
    if isinstance(parsed, list):
        refusal = {
            "options": EmbedOptions(),  # plain and readable whatever the page's own defaults
            "labels": labels_for(DEFAULT_LANGUAGE),
            "errors": parsed,
            "allowed": embed_options.allowed_options(page),
            "path": request.path,
            "example": page.example,
        }
        return render(request, "embed/options_error.html", refusal, status=400)
    labels = labels_for(parsed.lang)
    context: dict[str, Any] = {"options": parsed, "labels": labels, "race_id": race_id}
    snapshot = selectors.race_snapshot_current(race_id)
    if snapshot is None:
        return render(request, "embed/not_found.html", context, status=404)
    document = json.loads(snapshot.payload)
    race = document["race"]
    context.update(
        snapshot=document,
        socket_path=f"/ws/races/{race_id}/",
        heartbeat_seconds=settings.HEARTBEAT_SECONDS,
        status_label=labels.get(race["status"], race["status"]),
        progress=formats.progress_text(labels, race),
        last_pair=formats.last_label(labels, document),
        corrected=corrected_bibs(document),
        mass_start=formats.is_mass_start(document),
        **build(document, parsed, labels),
    )
    return render(request, template, context)


def corrected_bibs(document: dict[str, Any]) -> set[int]:
    """Skaters whose result this version corrected: viewers should notice a change they did not expect."""
    change = document["change"] or {}
    return set(change.get("bibs") or ()) if change.get("kind") == "correction" else set()


def _embed(document: dict[str, Any], options: EmbedOptions, labels: Labels) -> dict[str, Any]:
    fields = formats.fields_for(fields_shown(options.fields, document["standings"]), document)
    return {
        "rows": rows_shown(document["standings"], options.rows),
        "columns": [(name, labels[name]) for name in fields],
    }


def _last_heat(document: dict[str, Any], options: EmbedOptions, labels: Labels) -> dict[str, Any]:
    return {"rows": last_pair_rows(document)}


def _top3(document: dict[str, Any], options: EmbedOptions, labels: Labels) -> dict[str, Any]:
    return {"rows": rows_shown(document["standings"], 3)}


def _on_ice(document: dict[str, Any], options: EmbedOptions, labels: Labels) -> dict[str, Any]:
    """The pair on the ice now (the first still to skate) and the one after it. Each skater of the pair on the
    ice carries their latest passage from the snapshot's ``on_ice`` (``None`` before it, or once finished)."""
    if formats.is_mass_start(document):
        return {"on_ice": None, "next": None}  # the whole field is on the ice (results/web/embed/formats.py)
    heats = [{**heat, "label": labels["pair"].format(heat=heat["heat"])} for heat in document["next_heats"][:2]]
    passages = {s["bib"]: s["passage"] for heat in document.get("on_ice", []) for s in heat["skaters"]}
    if heats:
        heats[0]["skaters"] = [{**s, "passage": passages.get(s["bib"])} for s in heats[0]["skaters"]]
    return {"on_ice": heats[0] if heats else None, "next": heats[1] if len(heats) > 1 else None}


def _head_to_head(document: dict[str, Any], options: EmbedOptions, labels: Labels) -> dict[str, Any]:
    """The first pair on the ice side by side (static/embed/overlay-head-to-head.js does the same)."""
    heats = document.get("on_ice", [])
    if not heats or formats.is_mass_start(document):
        return {"duel": None, "duel_pair": ""}
    distance = document["race"]["distance"]
    duel = duel_table(heats[0].get("head_to_head"), distance, finish=labels["finish"])
    return {"duel": duel, "duel_pair": labels["pair"].format(heat=heats[0]["heat"])}


def _scoreboard(document: dict[str, Any], options: EmbedOptions, labels: Labels) -> dict[str, Any]:
    rows = rows_shown(document["standings"], options.rows)
    last_rows = last_pair_rows(document)
    return {
        "rows": rows,
        # Row slots on the screen: the rows asked for, or more when a tie at the cut brings in more.
        "slots": max(options.rows or 0, len(rows)),
        "last_rows": last_rows,
        "last_slots": max(2, len(last_rows)),  # a pair, or a quartet start's four
        **_on_ice(document, options, labels),
    }


@require_GET
@embeddable
def race_embed(request: HttpRequest, race_id: int) -> HttpResponse:
    return _page(request, race_id, embed_options.EMBED, "embed/embed.html", _embed)


@require_GET
@embeddable
def overlay_last_heat(request: HttpRequest, race_id: int) -> HttpResponse:
    return _page(request, race_id, embed_options.OVERLAY, "embed/overlay_last_heat.html", _last_heat)


@require_GET
@embeddable
def overlay_top3(request: HttpRequest, race_id: int) -> HttpResponse:
    return _page(request, race_id, embed_options.OVERLAY, "embed/overlay_top3.html", _top3)


@require_GET
@embeddable
def overlay_on_ice(request: HttpRequest, race_id: int) -> HttpResponse:
    return _page(request, race_id, embed_options.OVERLAY, "embed/overlay_on_ice.html", _on_ice)


@require_GET
@embeddable
def overlay_head_to_head(request: HttpRequest, race_id: int) -> HttpResponse:
    return _page(request, race_id, embed_options.OVERLAY, "embed/overlay_head_to_head.html", _head_to_head)


@require_GET
@embeddable
def race_scoreboard(request: HttpRequest, race_id: int) -> HttpResponse:
    return _page(request, race_id, embed_options.SCOREBOARD, "embed/scoreboard.html", _scoreboard)
