"""The product's promise, end to end in Chromium: an official saves a heat in the admin in one page, and the
public leaderboard open in another page re-ranks without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.factories import enter_heat, make_official, make_race

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password"
JUST_SKATED = re.compile(r"\bis-new\b")


def board_order(board):
    return board.locator("tbody tr.row").evaluate_all("rows => rows.map(r => r.dataset.bib)")


def save_heat(admin, heat, results):
    """Type a heat the way an official does: times in the fields, a status where needed, Enter to save."""
    expect(admin.locator("html")).to_have_attribute("data-entry-ready", "true")  # the screen's script is in place
    for bib, typed in results.items():
        row = admin.locator(f'#heat-{heat} tr[data-bib="{bib}"]')
        status, _, infraction = typed.partition(" ")
        if status in ("DNF", "DQ", "DNS", "WDR"):
            row.locator("select.result-status").select_option(status)
            if infraction:
                row.locator("select.result-infraction").select_option(infraction)
        else:
            row.locator("input.result-time").fill(typed)
    with admin.expect_navigation():  # the save answers with the screen again (a message saying what was saved)
        admin.locator(f"#heat-{heat} input.result-time").first.press("Enter")
    expect(admin.locator("#entry-messages li.success")).to_contain_text(f"Pair {heat} saved")


def test_a_heat_saved_in_the_admin_re_ranks_every_open_board(
    live_server_url, browser, page, page_errors, outside_loop, artifact_path
):
    race = outside_loop(make_race)
    outside_loop(make_official, "chief")

    spectator = page
    spectator.goto(f"{live_server_url}/races/{race.pk}/")
    board = spectator.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    first_version = int(board.get_attribute("data-version"))
    spectator.evaluate("window.__notReloaded = true")

    official_context = browser.new_context(viewport={"width": 1440, "height": 900})
    admin = official_context.new_page()
    admin.goto(f"{live_server_url}/admin/login/?next=/admin/results/race/{race.pk}/enter/")
    admin.fill("#id_username", "chief")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    expect(admin.locator("#race-status")).to_be_visible()

    save_heat(admin, 1, {11: "38.50", 12: "38.12"})
    expect(board).to_have_attribute("data-version", str(first_version + 1))
    assert board_order(board) == ["12", "11"]
    expect(board.locator('tr.row[data-bib="11"] .col-behind')).to_have_text("+0.38")

    # Pair 2: a faster time takes the lead, a disqualification goes to the bottom with its rule code.
    save_heat(admin, 2, {21: "1.12,31", 22: "DQ T07"})
    save_heat(admin, 2, {21: "37.99", 22: "DQ T07"})  # a correction: the official mistyped the first time
    expect(board).to_have_attribute("data-version", str(first_version + 3))
    assert board_order(board) == ["21", "12", "11", "22"]
    expect(board.locator('tr.row[data-bib="21"] .col-rank')).to_have_text("1")
    expect(board.locator('tr.row[data-bib="22"] .col-time')).to_have_text("DQ T07")
    expect(board.locator('tr.row[data-bib="21"]')).to_have_class(JUST_SKATED)
    expect(board.locator('tr.row[data-bib="21"] .corrected-tag')).to_have_text("Corrected")
    expect(board.locator(".corrected-tag")).to_have_count(1)
    expect(board.locator('tr.row[data-bib="12"]')).not_to_have_class(JUST_SKATED)
    expect(board).to_contain_text("Pair 2 of 3")
    expect(spectator.locator("[aria-live=polite]")).to_contain_text("Correction, pair 2: Cleo CHARLIE 37.99, 1st.")

    assert spectator.evaluate("window.__notReloaded") is True
    expect(board).to_have_attribute("data-connection", "live")
    spectator.wait_for_timeout(600)  # let the row animation settle for the picture
    spectator.screenshot(path=artifact_path("board.png"), full_page=True)
    admin.screenshot(path=artifact_path("admin.png"), full_page=True)
    official_context.close()
    assert page_errors == []


def add_withdrawal(race, bib: int):
    from results.models import Skater, Withdrawal
    from results.services.withdrawals import withdrawal_save

    skater = Skater.objects.create(name="Olga OMEGA", nation="NOR")
    return withdrawal_save(withdrawal=Withdrawal(race=race, skater=skater, bib=bib), by=None)


def test_a_skater_withdrawn_before_the_draw_appears_last_with_no_pair_on_the_board_and_the_embed(
    live_server_url, browser, page, page_errors, outside_loop
):
    race = outside_loop(make_race)
    outside_loop(enter_heat, race, 1, {11: "38.12", 12: "38.50"})
    page.goto(f"{live_server_url}/races/{race.pk}/")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    embed = browser.new_page()
    embed.goto(f"{live_server_url}/races/{race.pk}/embed/?fields=rank,name,heat,time")
    expect(embed.locator("#board")).to_have_attribute("data-connection", "live")

    outside_loop(add_withdrawal, race, 99)

    row = board.locator('tbody tr.row[data-bib="99"]')
    expect(row.locator(".col-heat")).to_have_text("–")
    expect(row).not_to_have_class(JUST_SKATED)
    assert board_order(board) == ["11", "12", "99"]
    embed_row = embed.locator('tr[data-bib="99"]')
    expect(embed_row.locator(".f-heat")).to_have_text("–")
    expect(embed_row.locator(".f-time")).to_have_text("WDR")
    embed.close()
    assert page_errors == []
