"""The commentator's screen in Chromium: a commentator logs in, follows the women's 500 m of the demo's Salt Lake
City World Cup while pairs are timed and saved through the services, and the screen redraws the pair on the ice,
the pairs to come and the standings without a reload; ] and [ open the next and previous race. Takes
docs/screenshots/commentator-1366.png and commentator-1920.png (written there with DOCS_SCREENSHOTS=1)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.factories import PASSWORD
from tests.support.pictures import picture_taken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
FULL_HD = {"width": 1920, "height": 1080}
NOTE = "Demo note: won the 500 m here on Saturday in 36.48; chasing Sang-Hwa Lee's 36.36 from 2013."


def setup_competition():
    """The demo's races: the women's 1000 m skated (results earlier in the competition), the women's 500 m up to
    pair 7; a note about Femke Kok; a commentator."""
    from results.demo import setup as demo
    from results.demo.replay import heat_results_replay
    from results.models import Skater
    from results.roles import COMMENTATOR
    from results.services.skater_notes import skater_note_write
    from tests.support.factories import make_user

    entries = demo.demo_competition()
    women_500, women_1000 = entries[0], entries[2]
    heat_results_replay(race=women_1000.race, rows=women_1000.rows)
    heat_results_replay(race=women_500.race, rows=[row for row in women_500.rows if (row.heat or 0) <= 7])
    kok = Skater.objects.get(name="Femke KOK")
    skater_note_write(competition=women_500.race.competition, skater=kok, text=NOTE, by=None)
    make_user("voice", COMMENTATOR)
    return women_500, [entry.race.pk for entry in entries]


def passages(race, rows, heat: int, metres: int) -> None:
    """Pair ``heat`` at ``metres``, as the demo's timing system posts it."""
    from results.demo.timing import constructed_passage_ms
    from results.services.timing import TimingPost, timing_post_record

    for row in rows:
        if row.heat == heat and row.time_ms:
            time_ms = constructed_passage_ms(finish_ms=row.time_ms, distance=race.distance, metres=metres, bib=row.bib)
            timing_post_record(race=race, post=TimingPost(heat=heat, bib=row.bib, distance=metres, time_ms=time_ms))


def results(race, rows, heat: int) -> None:
    from results.demo.replay import heat_results_replay

    heat_results_replay(race=race, rows=[row for row in rows if row.heat == heat])


def log_in(page, url: str) -> None:
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/admin/login/\?next="))
    page.fill("#id_username", "voice")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#commentator")).to_have_attribute("data-connection", "live")


def test_a_commentator_follows_a_race_live_and_moves_through_the_programme(
    live_server_url, browser, page_errors, outside_loop, artifact_path
):
    entry, programme = outside_loop(setup_competition)
    race, rows = entry.race, entry.rows
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.append(f"pageerror: {error}"))
    screen = page.locator("#commentator")
    log_in(page, f"{live_server_url}/competitions/{race.competition_id}/commentator/")
    page.evaluate("window.__notReloaded = true")

    # The race being skated: pair 8 next, Kok and Jackson (pair 10) among the pairs to come, with the note.
    expect(page.locator("[data-ref=title]")).to_have_text(race.title)
    expect(page.locator("[data-ref=ice-title]")).to_have_text("Next on the ice")
    expect(page.locator(".cm-ice-pair")).to_have_attribute("data-heat", "8")
    expect(page.locator('.cm-pair[data-heat="10"]')).to_contain_text(NOTE)
    expect(page.locator('.cm-pair[data-heat="10"]')).to_contain_text("Women 1000m Division A")  # earlier results
    expect(page.locator(".cm-standings tbody tr")).to_have_count(10)
    expect(page.locator("[data-ref=standings-more]")).to_have_text("top 10 of 14")

    # Pair 8 on the ice: its passage, no re-read of the commentary for a passage.
    version = int(screen.get_attribute("data-version"))
    outside_loop(passages, race, rows, 8, 100)
    expect(page.locator("[data-ref=ice-title]")).to_have_text("On the ice")
    expect(page.locator(".cm-ice-pair .cm-passage").first).to_contain_text("100 m")
    expect(screen).not_to_have_attribute("data-commentary-read", re.compile("."))

    # Pair 8's results saved: the standings, the pair on the ice next and those to come redraw, the commentary too.
    outside_loop(results, race, rows, 8)
    expect(screen).to_have_attribute("data-version", str(version + 3))  # two passages, then the results
    expect(screen).to_have_attribute("data-commentary-read", "1")
    expect(page.locator("[data-ref=standings-more]")).to_have_text("top 10 of 16")
    expect(page.locator("[data-ref=ice-title]")).to_have_text("Next on the ice")
    expect(page.locator(".cm-ice-pair")).to_have_attribute("data-heat", "9")
    expect(page.locator(".cm-pair")).to_have_count(1)
    expect(page.locator(".cm-pair")).to_have_attribute("data-heat", "10")
    expect(page.locator(".cm-row.is-new")).to_have_count(1)  # Leerdam, 10th: the only one of pair 8 in the top 10
    assert page.evaluate("window.__notReloaded") is True

    outside_loop(passages, race, rows, 9, 100)
    expect(page.locator("[data-ref=ice-title]")).to_have_text("On the ice")
    picture_taken(page, artifact_path("1366.png"), "commentator-1366.png")
    page.set_viewport_size(FULL_HD)
    picture_taken(page, artifact_path("1920.png"), "commentator-1920.png")
    page.set_viewport_size(LAPTOP)

    # The keyboard: a focus ring on the race list, ] opens the next race, [ comes back.
    page.keyboard.press("Tab")
    expect(page.locator(".cm-race").first).to_be_focused()
    page.keyboard.press("]")
    expect(page).to_have_url(re.compile(rf"\?race={programme[1]}$"))
    expect(page.locator("[data-ref=title]")).to_have_text("Men 500m Division A, race 2")
    expect(page.locator('.cm-race[aria-current="page"]')).to_contain_text("Men 500m")
    expect(screen).to_have_attribute("data-connection", "live")  # the screen's script listens
    page.keyboard.press("[")
    expect(page).to_have_url(re.compile(rf"\?race={programme[0]}$"))
    expect(screen).to_have_attribute("data-connection", "live")
    page.keyboard.press("p")  # the first race has none before it: nothing happens
    expect(page).to_have_url(re.compile(rf"\?race={programme[0]}$"))
    context.close()
    assert page_errors == []


def test_the_feeds_projections_and_head_to_head_are_drawn_as_such(live_server_url, browser, outside_loop):
    """The fields the feed gains for the commentator (projection, gaps, head to head, what it takes): drawn when a
    snapshot has them, labelled as a projection, never as a result."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{live_server_url}/")
    leerdam = {"bib": 12, "skater": 7, "name": "Jutta LEERDAM"}
    feed = {
        "projected": {"time": "1:08.53", "time_ms": 68530, "rank": 2, "reference": {"kind": "leader", **leerdam}},
        "head_to_head": {
            "skaters": [{**leerdam, "armband": "white"}, {"bib": 7, "name": "Femke KOK", "armband": "red"}],
            "points": [
                {
                    "distance": 200,
                    "times": [{"bib": 12, "time": "16.20", "time_ms": 16200}, None],
                    "gap": "0.15",
                    "ahead": 12,
                }
            ],
        },
        "what_it_takes": {
            "lead": {"time": "1:12.31", "time_ms": 72310, "bib": 12, "name": "Jutta LEERDAM"},
            "podium": None,
        },
    }
    drawn = page.evaluate(
        """async (feed) => {
            const ice = await import("/static/results/commentator-ice.js");
            const side = await import("/static/results/commentator-side.js");
            const section = document.createElement("section");
            const list = document.createElement("dl");
            side.takesRender(section, list, feed.what_it_takes);
            return {
                projection: ice.projectionText(feed.projected),
                none: ice.projectionText(null),
                table: ice.headToHeadNode(feed.head_to_head).textContent,
                nothing: ice.headToHeadNode(undefined),
                takes: list.textContent,
                hidden: section.hidden,
            };
        }""",
        feed,
    )
    assert drawn["projection"] == "Projected 1:08.53 (2nd) if they skate the rest as Jutta LEERDAM"
    assert drawn["none"] is None and drawn["nothing"] is None
    assert "Jutta LEERDAM by 0.15" in drawn["table"] and "16.20" in drawn["table"]
    assert drawn["takes"] == "To lead1:12.31 beat Jutta LEERDAMFor the podiumany finish" and drawn["hidden"] is False
    context.close()
