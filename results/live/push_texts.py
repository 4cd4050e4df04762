"""What a push notification says (docs/feed.md, "Push notifications"): the payload a followed skater's news becomes,
in the language the fan subscribed in. The words are the open board's (static/results/notices.js), with the same
message ids, so one translation serves both; names, times and record flags are the same in every language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from results.rules.notices import CORRECTION, FINAL, FINISHED, ON_DECK

SEPARATOR = " · "


def _medal(medal: str | None) -> str:
    words = {"gold": gettext("gold"), "silver": gettext("silver"), "bronze": gettext("bronze")}
    return words.get(medal or "", "")


def _clock(eta: str | None) -> str:
    if not eta:
        return ""
    return " ≈ " + timezone.localtime(datetime.fromisoformat(eta.replace("Z", "+00:00"))).strftime("%H:%M")


def _title_and_body(kind: str, facts: dict[str, Any]) -> tuple[str, str]:
    name, race = facts["name"], facts["race_title"]
    if kind == ON_DECK:
        pair = gettext("Pair %(heat)s") % {"heat": facts["heat"]} + _clock(facts.get("eta"))
        return gettext("%(name)s skates soon") % {"name": name}, SEPARATOR.join((pair, race))
    rank = gettext("provisional rank %(rank)s") % {"rank": facts["rank"]} if facts.get("rank") else ""
    detail = [part for part in (rank, *facts.get("records", [])) if part]
    if kind == FINISHED:
        return f"{name} {facts['result']}", SEPARATOR.join((*detail, race))
    if kind == CORRECTION:
        return gettext("%(name)s: corrected") % {"name": name}, SEPARATOR.join((facts["result"], *detail, race))
    if kind == FINAL:
        standing = [gettext("Rank %(rank)s") % {"rank": facts["rank"]}, _medal(facts.get("medal")), facts["result"]]
        return gettext("%(name)s: final") % {"name": name}, SEPARATOR.join((*filter(None, standing), race))
    raise ValueError(f"not a kind of notice: {kind!r}")


def push_payload(*, kind: str, race: int, skater: int, facts: dict[str, Any], language: str) -> dict[str, Any]:
    """The decrypted payload of one push: ``{"kind", "title", "body", "url", "race", "skater"}``; ``url`` opens the
    race's board at the skater's row."""
    with translation.override(language):
        title, body = _title_and_body(kind, facts)
    url = reverse("results:race_leaderboard", kwargs={"race_id": race}) + f"#skater-{skater}"
    return {"kind": kind, "title": title, "body": body, "url": url, "race": race, "skater": skater}
