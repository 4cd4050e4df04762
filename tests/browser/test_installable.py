"""The installable app, in Chromium: the manifest and its icons, the service worker on every page, a push shown as
a notification that names the skater and opens the board at them, and the last standings offline.

Headless Chromium has no connection to a real push service (Google's), so ``pushManager.subscribe()`` cannot
succeed here; the push is delivered to the service worker through the DevTools protocol instead, exactly as the
browser hands a decrypted push to it. The server's side of a push (VAPID, encryption, the push service's answers)
is tested end to end in tests/processes/test_push_end_to_end.py."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.support.factories import enter_heat, make_race
from tests.support.following import PHONE, notifying_page, star
from tests.support.pictures import picture_taken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications();
  return shown.map((n) => ({title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url}));
}"""


def installed(page, url: str) -> str:
    """Opens ``url``, waits until the service worker push.js registers there is active, and loads the page again
    (a service worker controls the pages loaded after it started); its scope."""
    page.goto(url)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    return page.evaluate("navigator.serviceWorker.ready.then((registration) => registration.scope)")


def notifications_shown(page, seconds: float = 10.0) -> list[dict]:
    """The notifications the service worker shows, once there are any (showNotification takes a moment)."""
    for _ in range(int(seconds * 10)):
        shown = page.evaluate(NOTIFICATIONS)
        if shown:
            return shown
        page.wait_for_timeout(100)
    return []


def test_the_manifest_names_the_app_and_every_icon_loads(live_server_url, page):
    page.goto(f"{live_server_url}/")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(f"{live_server_url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Skating Live" and manifest["display"] == "standalone"
    assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}
    for icon in manifest["icons"]:
        answer = page.request.get(f"{live_server_url}{icon['src']}")
        assert answer.status == 200 and answer.headers["content-type"] == "image/png"


def test_a_push_becomes_a_notification_that_opens_the_board_at_the_skater(live_server_url, browser, outside_loop):
    race = outside_loop(make_race)
    context, page = notifying_page(browser, PHONE)
    assert installed(page, f"{live_server_url}/races/{race.pk}/") == f"{live_server_url}/"

    cdp = context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(200)
    registration = next(r for r in registrations if r["scopeURL"] == f"{live_server_url}/")
    payload = {"kind": "finished", "title": "Anna ALPHA 38.12", "body": "provisional rank 1 · Women 500m",
               "url": f"/races/{race.pk}/#skater-7", "race": race.pk, "skater": 7}  # fmt: skip
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server_url, "registrationId": registration["registrationId"], "data": json.dumps(payload)},
    )
    assert notifications_shown(page) == [
        {"title": "Anna ALPHA 38.12", "body": "provisional rank 1 · Women 500m", "tag": f"finished-{race.pk}-7",
         "url": f"/races/{race.pk}/#skater-7"}
    ]  # fmt: skip
    context.close()


def test_offline_the_board_shows_the_last_standings_it_had(live_server_url, browser, outside_loop):
    race = outside_loop(make_race)
    outside_loop(enter_heat, race, 1, {11: "38.12", 12: "38.50"})
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    installed(page, f"{live_server_url}/races/{race.pk}/")
    expect(page.locator("#board")).to_have_attribute("data-connection", "live")

    context.set_offline(True)
    page.reload()
    expect(page.locator("tr.row .name")).to_have_text(["Anna ALPHA", "Bea BRAVO"])
    expect(page.locator("#board [data-ref='connection-label']")).to_have_text("Offline")
    expect(page.locator("#board [data-ref='updated']")).not_to_be_empty()
    context.close()


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)


def test_my_skaters_offers_notifications_and_says_plainly_when_this_browser_refuses(
    live_server_url, browser, outside_loop, artifact_path
):
    race = outside_loop(make_race)
    context, page = notifying_page(browser, PHONE)
    page.goto(f"{live_server_url}/races/{race.pk}/")
    star(page, "Eva ECHO").click()
    page.goto(f"{live_server_url}/competitions/{race.competition_id}/my-skaters/")
    panel = page.locator("[data-push]")
    expect(panel.locator("[data-ref='push-toggle']")).to_have_text("Turn notifications on")
    expect(panel.locator("[data-ref='push-status']")).to_contain_text("with the page closed")
    expect(panel.locator("[data-ref='push-note']")).to_be_hidden()
    picture_taken(page, artifact_path("notifications.png"), "spectators-notifications.png")
    # Playwright's contexts are private windows, where Chromium refuses the Push API: said in words.
    panel.locator("[data-ref='push-toggle']").click()
    expect(panel.locator("[data-ref='push-status']")).to_contain_text("would not turn notifications on")
    expect(panel.locator("[data-ref='push-toggle']")).to_be_enabled()
    context.close()

    iphone = browser.new_context(viewport=PHONE, user_agent=IPHONE)
    page = iphone.new_page()
    page.goto(f"{live_server_url}/competitions/{race.competition_id}/my-skaters/")
    expect(page.locator("[data-push] [data-ref='push-note']")).to_contain_text("Add to Home Screen")
    iphone.close()
