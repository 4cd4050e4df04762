"""The mass start and the team pursuit in Chromium: an official types a sprint's bibs on the entry screen and the
open board shows each sprint's points without reload; the broadcasters' pages show the latest sprint; a team
pursuit's board lists each team's skaters. The pictures in docs/screenshots/ come from here (written there with
DOCS_SCREENSHOTS=1, to artifacts/ always)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from results.roles import TIMING_OFFICIAL
from tests.support.factories import (
    PASSWORD,
    enter_finish,
    enter_heat,
    enter_sprint,
    make_competition,
    make_mass_start,
    make_team_pursuit,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Sprints 2, 3 and the final sprint, then the finish: times typed for everyone, one skater out.
SPRINTS = {2: "101 102 108", 3: "110 103 104", 4: "101 104 102 105 106 107 108"}
FINISH = {
    101: "8:27.05",
    104: "8:27.11",
    102: "8:27.30",
    105: "8:27.52",
    106: "8:27.63",
    107: "8:27.70",
    108: "8:27.95",
    103: "8:28.40",
    110: "8:31.07",
    112: "8:35.40",
    109: "8:35.44",
    111: "DNF",
}


def picture(page, name: str, artifact_path, **options) -> None:
    path = artifact_path(name)
    page.screenshot(path=path, animations="disabled", **options)
    if os.environ.get("DOCS_SCREENSHOTS"):
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / name)


def board_bibs(board) -> list[str]:
    return board.locator("tbody tr.row").evaluate_all("rows => rows.map(r => r.dataset.bib)")


def world_cup(outside_loop):
    return outside_loop(make_competition, "ISU Speed Skating World Cup #3")


def test_a_sprint_typed_on_the_entry_screen_reaches_the_open_board(
    live_server_url, browser, page, page_errors, outside_loop, artifact_path
):
    race = outside_loop(make_mass_start, world_cup(outside_loop))
    outside_loop(make_user, "tina", TIMING_OFFICIAL)
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{live_server_url}/races/{race.pk}/")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    expect(board).to_have_attribute("data-format", "mass_start")
    expect(board.locator("thead .col-sprint")).to_have_count(4)
    expect(board.locator("thead .col-heat")).to_be_hidden()  # no pairs in a mass start
    version = int(board.get_attribute("data-version"))
    page.evaluate("window.__notReloaded = true")

    official = browser.new_context(viewport={"width": 1440, "height": 1100})
    admin = official.new_page()
    admin.goto(f"{live_server_url}/admin/login/?next=/admin/results/race/{race.pk}/enter/")
    admin.fill("#id_username", "tina")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    expect(admin.locator("html")).to_have_attribute("data-entry-ready", "true")
    sprint = admin.locator("#sprint-1 input.sprint-order")
    expect(sprint).to_be_focused()  # the first sprint is next to enter
    sprint.press_sequentially("103 101 106")
    expect(admin.locator("#id_sprint1-order_preview")).to_have_text(
        "1. Mia MANGANELLO (USA) · 2. Marijke GROENEWOUD (NED) · 3. Ayano SATO (JPN)"
    )
    with admin.expect_navigation():
        sprint.press("Enter")
    expect(admin.locator("#entry-messages li.success")).to_contain_text("Sprint 1 saved")
    expect(admin.locator("#sprint-2 input.sprint-order")).to_be_focused()

    expect(board).to_have_attribute("data-version", str(version + 1))
    assert board_bibs(board) == ["103", "101", "106"]
    expect(board.locator('tr.row[data-bib="103"] .col-sprint.is-latest')).to_have_text("3")
    expect(board.locator('tr.row[data-bib="103"] .col-race-points')).to_have_text("3")
    expect(board.locator('tr.row[data-bib="103"] .col-time')).to_have_text("")
    expect(board.locator("[data-ref=progress-text]")).to_have_text("Sprint 1 of 4")
    expect(page.locator("[aria-live=polite]")).to_contain_text("Sprint 1: Mia MANGANELLO 3 points")

    # Sprint 2 as it is typed: each bib named at once (the picture in docs/officials.md).
    wrong = admin.locator("#sprint-2 input.sprint-order")
    wrong.press_sequentially("101 102 108")
    expect(admin.locator("#id_sprint2-order_preview")).to_contain_text("3. Bente KERKHOFF (NED)")
    picture(admin, "officials-mass-start.png", artifact_path)

    # A bib typed wrong: refused with the reason, nothing saved, what was typed kept.
    wrong.fill("")
    wrong.press_sequentially("101 102 999")
    expect(admin.locator("#id_sprint2-order_preview")).to_have_text("✗ 999: not in this race")
    with admin.expect_navigation():
        wrong.press("Enter")
    expect(admin.locator("#sprint-2 .errorlist")).to_have_text("Bib 999 does not skate in Women Mass Start Division A.")
    expect(admin.locator("#sprint-2 input.sprint-order")).to_have_value("101 102 999")

    for number, bibs in SPRINTS.items():
        outside_loop(enter_sprint, race, number, bibs)
    outside_loop(enter_finish, race, FINISH)
    expect(board.locator("[data-ref=progress-text]")).to_have_text("Finished")
    assert board_bibs(board) == ["101", "104", "102", "105", "106", "103", "107", "110", "108", "112", "109", "111"]
    row = board.locator('tr.row[data-bib="101"]')
    expect(row.locator(".col-sprint")).to_have_text(["2", "3", "", "60"])
    expect(row.locator(".col-race-points")).to_have_text("65")
    expect(row.locator(".col-time")).to_have_text("8:27.05")
    # Equal points: the finish time decides (3 points each, 8:27.70 before 8:31.07).
    expect(board.locator('tr.row[data-bib="107"] .col-rank')).to_have_text("7")
    expect(board.locator('tr.row[data-bib="110"] .col-rank')).to_have_text("8")
    expect(board.locator('tr.row[data-bib="111"] .col-time')).to_have_text("DNF")
    assert page.evaluate("window.__notReloaded") is True
    page.wait_for_timeout(600)  # the rows' slide settles
    picture(page, "board-mass-start.png", artifact_path, full_page=True)
    official.close()
    assert page_errors == []


def test_the_broadcasters_pages_show_a_mass_starts_latest_sprint(
    live_server_url, browser, page, page_errors, outside_loop, artifact_path
):
    race = outside_loop(make_mass_start, world_cup(outside_loop))
    outside_loop(enter_sprint, race, 1, "103 101 106")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server_url}/races/{race.pk}/overlays/last-heat/?theme=dark")
    overlay = page.locator("#board")
    expect(overlay).to_have_attribute("data-connection", "live")
    expect(overlay.locator("[data-ref=pair]")).to_have_text("Sprint 1")
    expect(overlay.locator(".lt-row .sprint-gain")).to_have_text(["+3", "+2", "+1"])

    embed = browser.new_page()
    embed.goto(f"{live_server_url}/races/{race.pk}/embed/")
    expect(embed.locator("#board")).to_have_attribute("data-connection", "live")
    # World Cup points come with the finish: no column for them yet.
    expect(embed.locator("thead th")).to_have_text(["Rk", "Skater", "Nation", "Total", "Time", "Rec"])

    for number, bibs in SPRINTS.items():
        outside_loop(enter_sprint, race, number, bibs)
    expect(overlay.locator("[data-ref=pair]")).to_have_text("Final sprint")
    expect(overlay.locator(".lt-row .sprint-gain")).to_have_text(["+60", "+40", "+20", "+10", "+6", "+3"])
    expect(overlay.locator('.lt-row[data-bib="101"] .c-time')).to_have_text("65 Pts")
    expect(embed.locator('tr[data-bib="101"] .f-race_points')).to_have_text("65 Pts")
    picture(page, "overlay-latest-sprint.png", artifact_path)

    page.goto(f"{live_server_url}/races/{race.pk}/overlays/on-ice/")
    expect(page.locator("[data-ref=panel]")).to_be_hidden()  # the whole field is on the ice: no pair to show
    embed.close()
    assert page_errors == []


def test_a_team_pursuit_board_lists_each_teams_skaters(live_server_url, page, page_errors, outside_loop, artifact_path):
    race = outside_loop(make_team_pursuit, world_cup(outside_loop))
    outside_loop(enter_heat, race, 1, {1: "2:58.71", 2: "2:57.34"})
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server_url}/races/{race.pk}/")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    expect(board.locator(".next-skater .members").first).to_have_text("Miho TAKAGI · Ayano SATO · Momoka HORIKAWA")

    outside_loop(enter_heat, race, 2, {3: "2:55.86", 4: "2:56.02"})
    expect(board.locator("[data-ref=progress-text]")).to_have_text("Pair 2 of 2")
    assert board_bibs(board) == ["3", "4", "2", "1"]
    expect(board.locator('tr.row[data-bib="4"] .members')).to_have_text(
        "Joy BEUNE · Marijke GROENEWOUD · Antoinette RIJPMA-DE JONG · Jutta LEERDAM"
    )
    expect(board.locator('tr.row[data-bib="4"] .col-behind')).to_have_text("+0.16")
    page.wait_for_timeout(600)
    picture(page, "board-team-pursuit.png", artifact_path, full_page=True)
    assert page_errors == []
