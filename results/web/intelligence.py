"""The pair head to head as the server-rendered board and overlay lay it out: the feed's ``head_to_head`` (a list
of points, each with the pair's times) turned into a table's rows, a row per skater and a column per point.
static/results/intelligence-view.js and static/embed/overlay-head-to-head.js lay out the same."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

DUEL_POINTS_SHOWN = 4  # the last points reached: a 10000 m has 25, a phone or a lower third room for a few


def duel_table(
    duel: dict[str, Any] | None, distance: int, *, finish: str | None = None, last: int = DUEL_POINTS_SHOWN
) -> dict[str, Any] | None:
    """``{"heads", "rows", "gaps"}``, or None for a pair without two skaters or before a first passage. ``finish``:
    the finish's column head (default: the page language's); ``last``: how many of the last points reached."""
    if not duel or len(duel["skaters"]) < 2 or not duel["points"]:
        return None
    skaters = duel["skaters"]
    points = duel["points"][-last:]
    armbands = {skater["bib"]: skater["armband"] for skater in skaters}
    finish = finish or gettext("Finish")
    return {
        "heads": [finish if p["distance"] == distance else f"{p['distance']} m" for p in points],
        "rows": [
            {
                "skater": skater,
                "cells": [
                    {"time": (p["times"][index] or {}).get("time", ""), "ahead": p["ahead"] == skater["bib"]}
                    for p in points
                ],
            }
            for index, skater in enumerate(skaters)
        ],
        "gaps": [
            {"armband": armbands[p["ahead"]], "gap": p["gap"]} if p["ahead"] is not None else None for p in points
        ],
    }


def on_ice_laid_out(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot's heats on the ice, each with its ``duel`` table (snapshots before passages: none)."""
    distance = document["race"]["distance"]
    return [{**heat, "duel": duel_table(heat.get("head_to_head"), distance)} for heat in document.get("on_ice", [])]
