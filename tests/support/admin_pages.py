"""Reading the officials' admin pages in tests: the entry screen's address, a page's text as officials read it, one
pair's form on the entry screen and the value of one of its fields."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django.urls import reverse

from results.models import Race
from tests.support.factories import heat_of, start_of

# The results policy's refusals on the default test race (factories.make_race) once it is official.
ONLY_A_REFEREE = "Women 500m Division A is official: only a referee can change its results."
GIVE_A_REASON = "Women 500m Division A is official: give a reason for this change"


def enter_url(race: Race) -> str:
    return reverse("admin:results_race_enter_results", args=[race.pk])


def page_text(response) -> str:
    """The page's HTML with its entities unescaped (``“``, not ``&ldquo;``)."""
    return unescape(response.content.decode())


def heat_form_html(response, number: int) -> str:
    """The HTML of one pair's <form> on the entry screen."""
    match = re.search(rf'<form id="heat-{number}".*?</form>', response.content.decode(), re.S)
    assert match, f"no form for pair {number}"
    return unescape(match.group(0))


def input_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def pair(race: Race, number: int, entries: dict[int, str], *, reason: str = "", revision: int | None = None):
    """One pair's POST as the entry screen sends it, by bib: ``{11: "38.12", 12: "DQ T07"}``."""
    heat = heat_of(race, number)
    data = {
        "heat": str(number),
        "revision": str(heat.revision if revision is None else revision),
        "reason": reason,
    }
    for bib, typed in entries.items():
        start = start_of(race, bib).pk
        status, _, infraction = typed.partition(" ")
        if status in ("DNF", "DQ", "DNS", "WDR"):
            data |= {f"time_{start}": "", f"status_{start}": status, f"infraction_{start}": infraction}
        else:
            data |= {f"time_{start}": typed, f"status_{start}": "OK", f"infraction_{start}": ""}
    return data


def standings(client, race: Race) -> dict[str, Any]:
    response = client.get(reverse("results:api_race_standings", args=[race.pk]))
    assert response.status_code == 200
    return response.json()


def change_form_data(response) -> dict[str, Any]:
    """What a browser sends back from an admin add/change page when nothing is touched (forms and inlines)."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict[str, Any] = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data
