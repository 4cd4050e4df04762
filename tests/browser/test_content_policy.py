"""The Content-Security-Policy, in Chromium: every kind of page works under it (nothing it needs is refused, the
sockets connect), and a script slipped into a page anyway does not run (skating/settings.py,
CONTENT_SECURITY_POLICY)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.classification_factories import make_sprint
from tests.support.factories import PASSWORD, make_live_race
from tests.support.headers import csp_directives

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every refusal the policy makes on a page, as "directive blocked-url".
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`);
});
"""


def public_pages(race, classification) -> list[str]:
    return [
        "/",
        f"/competitions/{race.competition_id}/",
        f"/races/{race.pk}/",
        f"/classifications/{classification.pk}/",
        f"/races/{race.pk}/embed/?theme=dark",
        f"/races/{race.pk}/overlays/last-heat/",
        f"/races/{race.pk}/overlays/top3/",
        f"/races/{race.pk}/overlays/on-ice/",
        f"/races/{race.pk}/scoreboard/",
    ]


def officials_pages(race) -> list[str]:
    return [
        "/admin/",
        reverse("admin:results_race_changelist"),
        reverse("admin:results_race_change", args=[race.pk]),
        reverse("admin:results_race_enter_results", args=[race.pk]),
        reverse("admin:results_race_results_history", args=[race.pk]),
        reverse("admin:results_race_import_start_list", args=[race.pk]),
        reverse("admin:results_skater_changelist"),
        reverse("admin:results_timingtoken_add"),
    ]


def make_chief():
    """An administrator: every page of the admin."""
    return User.objects.create_superuser("chief", password=PASSWORD)


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_every_page_works_under_the_policy(live_server_url, browser, page, page_errors, outside_loop):
    race = outside_loop(make_live_race)
    classification = outside_loop(make_sprint)
    outside_loop(make_chief)
    page.add_init_script(WATCH_VIOLATIONS)
    refused: dict[str, list[str]] = {}

    for path in public_pages(race, classification):
        answer = page.goto(f"{live_server_url}{path}")
        assert answer is not None
        policy = csp_directives(answer.headers["content-security-policy"])
        assert (policy["default-src"], policy["script-src"]) == ("'none'", "'self'"), path
        if path == f"/races/{race.pk}/":
            expect(page.locator("#board")).to_have_attribute("data-connection", "live")  # the socket: connect-src
        page.wait_for_load_state("load")
        refused[path] = violations(page)

    page.goto(f"{live_server_url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("#user-tools")).to_contain_text("chief")
    for path in officials_pages(race):
        answer = page.goto(f"{live_server_url}{path}")
        assert answer is not None and answer.status == 200, path
        page.wait_for_load_state("load")
        refused[path] = violations(page)
    # The page that shows a new timing token's secret once.
    page.select_option("#id_competition", str(race.competition_id))
    page.fill("#id_name", "Finish line")
    page.locator("input[name=_save]").click()
    expect(page.get_by_test_id("timing-secret")).to_be_visible()
    refused["the new timing token"] = violations(page)

    assert {path: seen for path, seen in refused.items() if seen} == {}
    assert page_errors == []


def test_a_script_slipped_into_a_page_does_not_run(live_server_url, page, outside_loop):
    race = outside_loop(make_live_race)
    page.add_init_script(WATCH_VIOLATIONS)
    page.goto(f"{live_server_url}/races/{race.pk}/")
    expect(page.locator("#board")).to_have_attribute("data-connection", "live")

    page.evaluate("""() => {
        document.body.insertAdjacentHTML("beforeend", '<img src="/nothing-here" onerror="window.ran = \\'onerror\\'">');
        const script = document.createElement("script");
        script.textContent = "window.ran = 'inline'";
        document.body.append(script);
        const link = document.createElement("a");
        link.href = "javascript:window.ran = 'link'";
        document.body.append(link);
        link.click();
    }""")
    page.wait_for_function("window.__violations.length >= 3")

    assert page.evaluate("window.ran") is None
    assert {line.split(" ")[0] for line in violations(page)} >= {"script-src-attr", "script-src-elem"}
