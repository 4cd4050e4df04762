"""Race day at the officials' table, in Chromium: a timing official enters and corrects pairs with the keyboard
alone while a spectator's board follows every change without reload; two officials on one pair; a referee's
status buttons; the history. The pictures in docs/screenshots/ come from here (artifacts/, then copied)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from results import services
from results.admin.race_day import views as admin_race_day
from results.models import Race, ResultChange
from results.roles import REFEREE, TIMING_OFFICIAL
from results.rules import plausibility
from results.rules.times import TIME_FORMAT_ERROR, TimeFormatError, format_time, parse_time
from tests.support.entry_screen import entry_ready, log_in, time_field
from tests.support.factories import PAIRS_500, PASSWORD, enter, heat_of, make_race, make_user, start_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Women 1000 m, four pairs: PAIRS_500 and a fourth.
DRAW_1000 = [*PAIRS_500, (4, "I", 41, "Gia GOLF", "ITA"), (4, "O", 42, "Hana HOTEL", "POL")]


def make_1000(**kwargs):
    return make_race(title="Women 1000m Division A", distance=1000, draw=DRAW_1000, **kwargs)


def open_board(page, url: str, race: Race):
    page.goto(f"{url}/races/{race.pk}/")
    board = page.locator("#board")
    expect(board).to_have_attribute("data-connection", "live")
    page.evaluate("window.__notReloaded = true")
    return board


def board_version(board) -> int:
    return int(board.get_attribute("data-version"))


def wait_for_version_above(board, version: int) -> int:
    """The board's version once it is past ``version`` (each save publishes once)."""
    board.page.wait_for_function(
        "v => Number(document.querySelector('#board').dataset.version) > v", arg=version, timeout=10_000
    )
    return board_version(board)


def log_in_by_keyboard(admin, url: str, username: str, next_path: str) -> None:
    admin.goto(f"{url}/admin/login/?next={next_path}")
    expect(admin.locator("#id_username")).to_be_focused()  # Django's login page puts the cursor there
    admin.keyboard.type(username)
    admin.keyboard.press("Tab")
    admin.keyboard.type(PASSWORD)
    admin.keyboard.press("Enter")


def preview(admin, bib: int):
    return admin.locator(f'tr.skater-row[data-bib="{bib}"] output.time-preview')


def tab(admin, times: int = 1) -> None:
    for _ in range(times):
        admin.keyboard.press("Tab")


def test_a_timing_official_enters_and_corrects_pairs_with_the_keyboard_alone(
    live_server_url, browser, page, page_errors, outside_loop, artifact_path
):
    race = outside_loop(make_1000)
    outside_loop(make_user, "tina", TIMING_OFFICIAL)
    board = open_board(page, live_server_url, race)
    version = board_version(board)

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    admin = context.new_page()
    admin_errors: list[str] = []
    admin.on("pageerror", lambda error: admin_errors.append(str(error)))
    log_in_by_keyboard(admin, live_server_url, "tina", f"/admin/results/race/{race.pk}/enter/")
    entry_ready(admin)
    # From here on: keys only.
    keys = admin.keyboard

    # Pair 1. The cursor waits in the first time field of the first pair.
    expect(time_field(admin, 11)).to_be_focused()
    keys.type("1:16.50")
    tab(admin)
    expect(admin.locator(f"#id_status_{outside_loop(start_of, race, 11).pk}")).to_be_focused()
    tab(admin, 2)  # result, infraction, then the next skater's time
    expect(time_field(admin, 12)).to_be_focused()
    keys.type("1.12,31")
    expect(preview(admin, 12)).to_have_text("1:12.31")  # as the server will read it, while typing
    admin.screenshot(path=artifact_path("entry-typing.png"), animations="disabled")
    keys.press("Enter")
    expect(admin.locator("#entry-messages li.success")).to_contain_text("Pair 1 saved")
    entry_ready(admin)
    version = wait_for_version_above(board, version)
    expect(time_field(admin, 21)).to_be_focused()

    # Pair 2: a typo is shown while typing, refused on Enter, fixed in place; the outer skater is disqualified.
    keys.type("1:1x.31")
    expect(preview(admin, 21)).to_have_text("not a time")
    expect(admin.locator(f"#id_time_{outside_loop(start_of, race, 21).pk}_hint")).to_have_text(
        TIME_FORMAT_ERROR.format(text="1:1x.31")
    )
    tab(admin, 3)
    expect(time_field(admin, 22)).to_be_focused()
    tab(admin)
    keys.type("DQ")  # a closed select picks the option typed
    dana = outside_loop(start_of, race, 22).pk
    # A DQ needs its infraction code: a reminder until it is chosen.
    expect(admin.locator(f"#id_time_{dana}_hint")).to_have_text(plausibility.WARNING_DQ_WITHOUT_INFRACTION)
    tab(admin)
    keys.type("T07")
    expect(admin.locator(f"#id_time_{dana}_hint")).to_be_hidden()
    expect(admin.locator(f"#id_status_{dana}")).to_have_value("DQ")
    expect(admin.locator(f"#id_infraction_{dana}")).to_have_value("T07")
    keys.press("Enter")  # Enter on a select saves too
    expect(admin.locator("#heat-2 .heat__state--error")).to_be_visible()
    entry_ready(admin)
    expect(admin.locator("#heat-2 .row-errors")).to_contain_text(TIME_FORMAT_ERROR.format(text="1:1x.31"))
    expect(time_field(admin, 21)).to_be_focused()  # on the field to fix, what was typed still there
    expect(admin.locator(f"#id_status_{dana}")).to_have_value("DQ")
    admin.screenshot(path=artifact_path("entry-error.png"), animations="disabled")
    keys.press("Control+A")
    keys.type("1:14.02")
    keys.press("Enter")
    expect(admin.locator("#entry-messages li.success")).to_contain_text("Pair 2 saved")
    entry_ready(admin)
    version = wait_for_version_above(board, version)
    expect(board.locator('tr.row[data-bib="22"] .col-time')).to_have_text("DQ T07")

    # Pair 3: a fall gives a slow time: a warning as it is typed and after the save, which goes through.
    expect(time_field(admin, 31)).to_be_focused()
    keys.type("1:31.20")
    expect(preview(admin, 31)).to_have_attribute("data-state", "warning")
    warning = plausibility.time_warning(distance=1000, time_ms=91200, time_text="1:31.20")
    expect(admin.locator(f"#id_time_{outside_loop(start_of, race, 31).pk}_hint")).to_have_text(warning)
    admin.screenshot(path=artifact_path("entry-warning.png"), animations="disabled")
    tab(admin, 3)
    keys.type("1:15.00")
    keys.press("Enter")
    expect(admin.locator("#entry-messages li.warning")).to_have_text(
        admin_race_day.MESSAGE_CHECK.format(heat=3, skater="Eva ECHO", warning=warning)
    )
    entry_ready(admin)
    version = wait_for_version_above(board, version)
    expect(time_field(admin, 41)).to_be_focused()

    # A correction of pair 1, from pair 4: Alt+↑ three times, type over the time, Tab to the reason, Enter.
    for _ in range(3):
        keys.press("Alt+ArrowUp")
    expect(time_field(admin, 11)).to_be_focused()
    keys.type("1:15.98")  # the field's text was selected: typing replaces it
    tab(admin, 6)
    expect(admin.locator("#id_reason_heat1")).to_be_focused()
    keys.type("Photo-cell reading checked")
    keys.press("Enter")
    expect(admin.locator("#entry-messages li.success")).to_contain_text("Pair 1 saved")
    entry_ready(admin)
    wait_for_version_above(board, version)
    expect(time_field(admin, 41)).to_be_focused()  # back to the next pair to enter
    expect(board.locator('tr.row[data-bib="11"] .col-time')).to_have_text("1:15.98")
    expect(board.locator('tr.row[data-bib="11"]')).to_have_class(re.compile(r"\bis-corrected\b"))
    expect(admin.locator('tr.skater-row[data-bib="11"] a.row-history')).to_have_text("history (2)")

    assert page.evaluate("window.__notReloaded") is True
    corrected = outside_loop(lambda: ResultChange.objects.filter(kind="corrected").select_related("by").get())
    assert (corrected.bib, corrected.new_time_ms, corrected.reason, corrected.by.username) == (
        11,
        75980,
        "Photo-cell reading checked",
        "tina",
    )
    admin.screenshot(path=artifact_path("entry-after-correction.png"), animations="disabled")
    context.close()
    assert page_errors == [] and admin_errors == []


def test_two_officials_on_one_pair_then_a_referee_confirms_and_reads_the_history(
    live_server_url, browser, page, page_errors, outside_loop, artifact_path
):
    race = outside_loop(make_1000)
    tina = outside_loop(make_user, "tina", TIMING_OFFICIAL)
    outside_loop(make_user, "otto", TIMING_OFFICIAL)
    outside_loop(make_user, "rafa", REFEREE)
    admin = page
    log_in(admin, live_server_url, "otto", f"/admin/results/race/{race.pk}/enter/")
    entry_ready(admin)
    expect(time_field(admin, 11)).to_be_focused()
    admin.keyboard.type("1:16.50")
    time_field(admin, 12).fill("1:16.10")

    # Tina saves pair 1 from another screen while Otto is still typing it.
    outside_loop(
        services.heat_results_record,
        heat=heat_of(race, 1),
        results=enter(race, 1, {11: "1:16.05", 12: "1:16.10"}),
        by=tina,
        expected_revision=0,
    )
    time_field(admin, 12).press("Enter")
    errors = admin.locator("#heat-1 .heat__errors")
    expect(errors).to_contain_text("Pair 1 was saved by tina at ")
    expect(errors).to_contain_text("Anna ALPHA 1:16.05; Bea BRAVO 1:16.10. Nothing of yours was saved")
    expect(time_field(admin, 11)).to_have_value("1:16.50")  # Otto's entry is still there
    expect(admin.locator("#id_revision_heat1")).to_have_value("1")
    expect(time_field(admin, 11)).to_be_focused()
    admin.screenshot(path=artifact_path("entry-conflict.png"), animations="disabled")
    # Having compared, Otto saves his on purpose.
    time_field(admin, 11).press("Enter")
    expect(admin.locator("#entry-messages li.success")).to_contain_text("Pair 1 saved")
    entry_ready(admin)
    assert outside_loop(lambda: start_of(race, 11).time_ms) == 76500

    for number, results in ((2, {21: "1:14.02", 22: "DQ T07"}), (3, {31: "1:15.00", 32: "1:17.30"})):
        outside_loop(services.heat_results_record, heat=heat_of(race, number), results=enter(race, number, results))
    outside_loop(
        services.heat_results_record, heat=heat_of(race, 4), results=enter(race, 4, {41: "1:13.40", 42: "DNF"})
    )

    # The referee sees the status buttons; a protest without a reason is refused on the reason field.
    admin.context.clear_cookies()
    log_in(admin, live_server_url, "rafa", f"/admin/results/race/{race.pk}/enter/")
    entry_ready(admin)
    panel = admin.locator("#race-status-panel")
    expect(panel.locator(".race-status")).to_have_text("Unofficial")
    expect(panel.locator("button.status-button")).to_have_text(
        ["Confirm results (official)", "Put under review (reason)"]
    )
    admin.screenshot(path=artifact_path("entry-referee.png"), animations="disabled")
    panel.locator("#status-to-protested").click()
    expect(admin.locator("#race-status-panel .status-panel__reason .errorlist")).to_contain_text(
        "Give a reason to put under review"
    )
    expect(admin.locator("#id_race_status_reason")).to_be_focused()
    admin.keyboard.type("Protest by CAN: pair 2 crossing")
    admin.keyboard.press("Enter")  # does not pick a button for the referee
    expect(admin.locator("#id_race_status_reason")).to_have_value("Protest by CAN: pair 2 crossing")
    panel.locator("#status-to-protested").click()
    expect(admin.locator("#entry-messages li.success")).to_have_text("Women 1000m Division A is now under review.")
    entry_ready(admin)
    expect(admin.locator("#reason-notice")).to_be_visible()
    admin.locator("#status-to-official").click()
    expect(admin.locator("#race-status")).to_have_text("Official")

    admin.locator("#history-link").click()
    rows = admin.locator("#history tbody tr")
    expect(rows.first).to_contain_text("Under review → Official")
    expect(admin.locator("#history")).to_contain_text("Protest by CAN: pair 2 crossing")
    expect(admin.locator('#history tr[data-kind="corrected"]')).to_contain_text("1:16.05 → 1:16.50")
    admin.screenshot(path=artifact_path("history.png"), full_page=True, animations="disabled")

    # The race's page shows the status and the same buttons; the status is no longer a field there.
    admin.goto(f"{live_server_url}/admin/results/race/{race.pk}/change/")
    expect(admin.locator("#race-status-panel button.status-button")).to_have_text(
        ["Put under review (reason)", "Reopen (reason)"]
    )
    expect(admin.locator("select#id_status")).to_have_count(0)
    admin.screenshot(path=artifact_path("race-page.png"), animations="disabled")
    assert page_errors == []


# Inputs an official might type, and some nobody should: both readers must agree on each.
TIME_INPUTS = [
    "1:12.31",
    "1.12,31",
    "1.12.31",
    "72.31",
    "1:12.315",
    " 1:12.31 ",
    "72,31",
    "34.129",
    "37,00",
    "13:32.05",
    "812.05",
    "1:59.999",
    "0.001",
    "",
    "abc",
    "1:12",
    "72.3",
    "1:2.31",
    "1:12.3141",
    "1,12,31",
    "-1:12.31",
    "1:12:31",
    "1:60.00",
    "0.00",
    "00:00.000",
    "３８.５０",
]
TIMES_MS = [1, 9, 10, 34129, 35120, 59999, 60000, 72310, 72315, 812050, 3599999]


def test_the_browser_reads_and_prints_times_exactly_as_the_server_does(live_server_url, page):
    page.goto(f"{live_server_url}/admin/login/")
    parsed, printed = page.evaluate(
        """async ([inputs, times]) => {
            const t = await import("/static/admin-results/times.js");
            return [
                inputs.map((text) => t.parseTime(text)),
                times.map((ms) => [t.formatTime(ms), t.formatTime(ms, true), t.formatTyped(ms)]),
            ];
        }""",
        [TIME_INPUTS, TIMES_MS],
    )

    def python_reading(text: str) -> dict[str, object]:
        try:
            return {"ms": parse_time(text)}
        except TimeFormatError as error:
            return {"error": str(error)}

    from results.rules.times import time_input_text

    assert dict(zip(TIME_INPUTS, parsed, strict=True)) == {text: python_reading(text) for text in TIME_INPUTS}
    assert printed == [[format_time(ms), format_time(ms, with_thousandth=True), time_input_text(ms)] for ms in TIMES_MS]
