"""The broadcasters' pages in Chromium: the embed framed by another site stays live, the rest of the site refuses
to be framed, the overlays and the scoreboard follow the race, and the chroma theme keeps away from the key
green. The last test replays a real race and takes the pictures in docs/broadcasters.md (written to
docs/screenshots/ with DOCS_SCREENSHOTS=1, to artifacts/ always)."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.factories import FOUR_PAIRS, enter_heat, make_race, make_record
from tests.support.headers import csp_directives

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FULL_HD = {"width": 1920, "height": 1080}
KEY_GREEN = (0, 177, 64)


# --- another site, on another origin -----------------------------------------------------------------------------


@contextmanager
def other_site(pages: dict[str, str]) -> Iterator[str]:
    """A tiny web site on another port (so another origin) serving ``pages`` (path -> HTML); yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "not here").encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def framing_page(frames: dict[str, str], *, background: str = "#fff", size: str = "width:100%;height:420px") -> str:
    """An HTML page with one iframe per entry (id -> src)."""
    iframes = "".join(
        f'<iframe id="{frame_id}" src="{src}" style="display:block;border:0;{size}"></iframe>'
        for frame_id, src in frames.items()
    )
    return (
        "<!doctype html><html><head><meta charset=utf-8><link rel=icon href='data:,'>"
        "<title>A broadcaster's page</title></head>"
        f'<body style="margin:0;background:{background}">{iframes}</body></html>'
    )


def without_script(browser, url: str, selector: str) -> str:
    """The text of ``selector`` on the page as the server renders it (JavaScript off)."""
    context = browser.new_context(java_script_enabled=False, viewport=FULL_HD)
    try:
        tab = context.new_page()
        tab.goto(url)
        return tab.locator(selector).inner_text()
    finally:
        context.close()


def row_bibs(locator) -> list[str]:
    return locator.evaluate_all("rows => rows.map(r => r.dataset.bib)")


# --- (a) the embed, framed by another site, follows the race -----------------------------------------------------


def test_the_embed_framed_by_another_site_goes_live_and_follows_the_race_without_reload(
    live_server_url, browser, page, page_errors, outside_loop, artifact_path
):
    race = outside_loop(make_race, draw=FOUR_PAIRS)
    outside_loop(enter_heat, race, 1, {11: "38.50", 12: "38.12"})
    embed_url = f"{live_server_url}/races/{race.pk}/embed/?theme=dark"

    with other_site({"/": framing_page({"results": embed_url})}) as site:
        page.goto(site)
        frame = page.frame_locator("#results")
        board = frame.locator("#board")
        expect(board).to_have_attribute("data-connection", "live")
        version = int(board.get_attribute("data-version"))
        embed = next(f for f in page.frames if "/embed/" in f.url)
        embed.evaluate("window.__notReloaded = true")

        outside_loop(enter_heat, race, 2, {21: "37.99", 22: "DQ T07"})
        expect(board).to_have_attribute("data-version", str(version + 1))
        rows = frame.locator("tbody tr.row")
        expect(rows).to_have_count(4)
        assert row_bibs(rows) == ["21", "12", "11", "22"]
        expect(frame.locator('tr.row[data-bib="21"] .f-rank')).to_have_text("1")
        expect(frame.locator('tr.row[data-bib="22"] .f-time')).to_have_text("DQ T07")
        expect(frame.locator('tr.row[data-bib="11"] .f-behind')).to_have_text("+0.51")
        expect(frame.locator(".eb-progress")).to_have_text("Pair 2 of 4")
        assert embed.evaluate("window.__notReloaded") is True
        # The script drew what the server draws for this version, and the frame does not scroll.
        assert frame.locator("table").inner_text() == without_script(browser, embed_url, "table")
        assert embed.evaluate("document.documentElement.scrollHeight <= innerHeight") is True
        page.screenshot(path=artifact_path("framed-embed.png"))
    assert page_errors == []


# --- (b) the rest of the site refuses to be framed ---------------------------------------------------------------


def test_another_site_cannot_frame_the_public_board_or_the_admin(live_server_url, page, outside_loop, artifact_path):
    race = outside_loop(make_race)
    frames = {
        "embed": f"{live_server_url}/races/{race.pk}/embed/",
        "board": f"{live_server_url}/races/{race.pk}/",
        "admin": f"{live_server_url}/admin/login/",
    }
    headers: dict[str, dict[str, str]] = {}
    page.on("response", lambda response: headers.__setitem__(response.url, response.all_headers()))

    with other_site({"/": framing_page(frames, size="width:100%;height:250px")}) as site:
        page.goto(site)
        # The control: the same site framing the embed works, so the two empty frames below are the refusal.
        expect(page.frame_locator("#embed").locator("#board")).to_have_attribute("data-connection", "live")
        page.wait_for_load_state("load")
        assert page.frame_locator("#board").locator("#board").count() == 0
        assert page.frame_locator("#admin").locator("#id_username").count() == 0
        for name in ("board", "admin"):
            frame = page.frame(url=frames[name]) or next(f for f in page.frames if f.parent_frame and f.name == name)
            assert "Skating Live" not in frame.content() and "Django" not in frame.content()
        page.screenshot(path=artifact_path("refused.png"))

    for name in ("board", "admin"):
        assert headers[frames[name]]["x-frame-options"] == "DENY"
        assert csp_directives(headers[frames[name]]["content-security-policy"])["frame-ancestors"] == "'none'"
    assert csp_directives(headers[frames["embed"]]["content-security-policy"])["frame-ancestors"] == "*"


def test_with_allowed_origins_only_those_sites_may_frame_the_embed(daphne_server, browser, outside_loop):
    race = outside_loop(make_race)
    pages: dict[str, str] = {}
    with other_site(pages) as allowed, other_site(pages) as other:
        server = daphne_server(env={"EMBED_ALLOWED_ORIGINS": allowed})
        pages["/"] = framing_page({"results": f"{server.url}/races/{race.pk}/embed/"})
        context = browser.new_context()
        try:
            tab = context.new_page()
            tab.goto(allowed)
            expect(tab.frame_locator("#results").locator("#board")).to_have_attribute("data-connection", "live")
            tab.goto(other)
            tab.wait_for_load_state("load")
            assert tab.frame_locator("#results").locator("#board").count() == 0
            assert any(frame.url.startswith("chrome-error:") for frame in tab.frames)
        finally:
            context.close()


# --- (c) overlays and the scoreboard follow the race ------------------------------------------------------------


def in_action_safe_area(tab) -> list[str]:
    """Everything drawn on the overlay that reaches outside the 90 % action-safe area (5 % from each edge)."""
    return tab.evaluate(
        """() => {
            const [w, h] = [window.innerWidth, window.innerHeight];
            const outside = [];
            for (const node of document.body.querySelectorAll("*")) {
                const box = node.getBoundingClientRect();
                if (!box.width || !box.height || getComputedStyle(node).visibility === "hidden") continue;
                if (node.closest("[hidden]") || node.matches("script")) continue;
                if (box.left < w * 0.05 - 0.5 || box.right > w * 0.95 + 0.5 || box.top < h * 0.05 - 0.5
                    || box.bottom > h * 0.95 + 0.5) {
                    if (node.id === "board") continue;  // the full-screen canvas itself draws nothing
                    outside.push(`${node.className}: ${Math.round(box.left)},${Math.round(box.top)} `
                        + `${Math.round(box.right)},${Math.round(box.bottom)}`);
                }
            }
            return outside;
        }"""
    )


def animations_finished(tab) -> None:
    tab.evaluate("() => Promise.all(document.getAnimations().map((animation) => animation.finished))")


def page_background(tab) -> list[str]:
    return tab.evaluate(
        "() => [document.documentElement, document.body].map((node) => getComputedStyle(node).backgroundColor)"
    )


def test_the_overlays_follow_the_race_as_transparent_browser_sources(
    live_server_url, browser, outside_loop, artifact_path
):
    outside_loop(make_record, "WR", "36.36")
    race = outside_loop(make_race, draw=FOUR_PAIRS)
    outside_loop(enter_heat, race, 1, {11: "38.50", 12: "38.12"})
    context = browser.new_context(viewport=FULL_HD)
    errors: list[str] = []
    tabs = {}
    try:
        for name in ("last-heat", "top3", "on-ice"):
            tab = context.new_page()
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.goto(f"{live_server_url}/races/{race.pk}/overlays/{name}/?theme=transparent")
            expect(tab.locator("#board")).to_have_attribute("data-connection", "live")
            assert page_background(tab) == ["rgba(0, 0, 0, 0)", "rgba(0, 0, 0, 0)"]
            tabs[name] = tab
        expect(tabs["last-heat"].locator(".lt-kicker")).to_have_text("Pair 1")
        expect(tabs["on-ice"].locator(".lt-pair")).to_have_text("Pair 2")

        outside_loop(enter_heat, race, 2, {21: "36.09", 22: "DQ T07"})

        last = tabs["last-heat"]
        expect(last.locator("#board")).to_have_attribute("data-last-heat", "2")
        expect(last.locator(".lt-kicker")).to_have_text("Pair 2")
        expect(last.locator(".lt-row")).to_have_count(2)
        expect(last.locator('.lt-row[data-bib="21"]')).to_contain_text("Cleo CHARLIE")
        expect(last.locator('.lt-row[data-bib="21"] .c-time')).to_have_text("36.09")
        expect(last.locator('.lt-row[data-bib="21"] .c-rank')).to_have_text("1")
        expect(last.locator('.lt-row[data-bib="21"] .c-records')).to_have_text("WR")
        expect(last.locator('.lt-row[data-bib="22"] .c-time')).to_have_text("DQ T07")
        expect(last.locator(".lt")).to_have_class(re.compile(r"\bis-entering\b"))  # the new pair wipes in

        for name, tab in tabs.items():
            expect(tab.locator("#board")).to_have_attribute("data-last-heat", "2")
            shown = tab.locator("main").inner_text()
            assert shown == without_script(browser, tab.url, "main"), name

        top3 = tabs["top3"]
        expect(top3.locator(".t3-row")).to_have_count(3)
        assert row_bibs(top3.locator(".t3-row")) == ["21", "12", "11"]
        expect(top3.locator('.t3-row[data-bib="12"] .c-behind')).to_have_text("+2.03")

        on_ice = tabs["on-ice"]
        expect(on_ice.locator(".lt-pair")).to_have_text("Pair 3")
        expect(on_ice.locator(".lt-row.lane-I")).to_contain_text("Eva ECHO")
        expect(on_ice.locator(".lt-row.lane-O")).to_contain_text("Fay FOXTROT")
        expect(on_ice.locator(".lt-next")).to_contain_text("Pair 4")

        for name, tab in tabs.items():
            tab.bring_to_front()
            animations_finished(tab)
            assert in_action_safe_area(tab) == [], name
            tab.screenshot(path=artifact_path(f"{name}.png"), omit_background=True)
    finally:
        context.close()
    assert errors == []


def test_the_scoreboard_shows_each_new_pair_for_a_while_then_the_standings(
    live_server_url, browser, outside_loop, artifact_path
):
    race = outside_loop(make_race, draw=FOUR_PAIRS)
    outside_loop(enter_heat, race, 1, {11: "38.50", 12: "38.12"})
    context = browser.new_context(viewport=FULL_HD)
    try:
        wall = context.new_page()
        wall.goto(f"{live_server_url}/races/{race.pk}/scoreboard/?hold=3&lang=de")
        board = wall.locator("#board")
        expect(board).to_have_attribute("data-connection", "live")
        expect(board).to_have_attribute("data-view", "standings")
        expect(wall.locator(".sb-state")).to_have_text("Live Paar 1 von 4")

        outside_loop(enter_heat, race, 2, {21: "37.99", 22: "38.30"})
        expect(board).to_have_attribute("data-view", "last-pair")
        expect(wall.locator('[data-ref="last-pair"]')).to_have_text("Paar 2")
        expect(wall.locator('[data-ref="last-rows"] .sb-row')).to_have_count(2)
        expect(wall.locator('[data-ref="last-rows"] .sb-row').first).to_contain_text("Cleo CHARLIE")
        expect(wall.locator(".sb-state")).to_have_text("Live Paar 2 von 4")  # always in view
        wall.screenshot(path=artifact_path("last-pair.png"))

        expect(board).to_have_attribute("data-view", "standings", timeout=6000)
        assert row_bibs(wall.locator('[data-ref="rows"] .sb-row')) == ["21", "12", "22", "11"]
        expect(wall.locator(".sb-foot")).to_contain_text("Paar 3")
        assert wall.locator(".sb-foot").inner_text() == without_script(browser, wall.url, ".sb-foot")
        assert wall.locator('[data-ref="rows"]').inner_text() == without_script(browser, wall.url, '[data-ref="rows"]')
        no_scroll = wall.evaluate(
            "() => [document.documentElement.scrollHeight <= innerHeight, document.documentElement.scrollWidth"
            " <= innerWidth]"
        )
        assert no_scroll == [True, True]
        wall.screenshot(path=artifact_path("standings.png"))
    finally:
        context.close()


# --- chroma: nothing near the key colour ---------------------------------------------------------------------------

COLOURS_NEAR_KEY = """(key) => {
    // Every colour painted by an element (text, background, borders, shadows) as [r, g, b] with its alpha.
    const colours = [];
    const parse = (text) => [...text.matchAll(/rgba?\\(([^)]+)\\)/g)].map((m) => m[1].split(/[ ,\\/]+/).map(Number));
    for (const node of [document.documentElement, ...document.querySelectorAll("body, body *")]) {
        if (node.closest("[hidden]") || node.matches("script")) continue;
        const style = getComputedStyle(node);
        for (const property of ["color", "backgroundColor", "borderTopColor", "borderBottomColor",
                                "borderLeftColor", "borderRightColor", "boxShadow", "outlineColor"]) {
            for (const [r, g, b, a = 1] of parse(style[property])) {
                if (a === 0) continue;
                const width = property.startsWith("border") ? style[property.replace("Color", "Width")] : "1";
                if (parseFloat(width) === 0) continue;
                if (property === "outlineColor" && style.outlineStyle === "none") continue;
                colours.push({ node: node.tagName + "." + node.className, property, rgb: [r, g, b], a });
            }
        }
    }
    // Near the key: a hue within 40 degrees of it and enough saturation for a keyer to take it, or any
    // translucent colour (it mixes with the green behind it). The page background is the key itself.
    const hue = ([r, g, b]) => {
        const [max, min] = [Math.max(r, g, b), Math.min(r, g, b)];
        if (max === min) return null;
        const d = max - min;
        const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
        return ((h * 60) + 360) % 360;
    };
    const keyHue = hue(key);
    return colours.filter(({ node, property, rgb, a }) => {
        const isKey = rgb.every((v, i) => v === key[i]);
        if (isKey) return !(property === "backgroundColor" && /^(HTML|BODY)\\./.test(node));
        if (a < 1) return true;
        const h = hue(rgb);
        const saturation = (Math.max(...rgb) - Math.min(...rgb)) / Math.max(...rgb, 1);
        return h !== null && Math.abs(h - keyHue) < 40 && saturation > 0.25;
    }).map(({ node, property, rgb, a }) => `${node} ${property} rgb(${rgb}) a=${a}`);
}"""


def test_the_chroma_theme_paints_nothing_near_the_key_green(live_server_url, browser, outside_loop, artifact_path):
    outside_loop(make_record, "WR", "36.36")
    race = outside_loop(make_race, draw=FOUR_PAIRS)
    outside_loop(enter_heat, race, 1, {11: "38.50", 12: "38.12"})
    outside_loop(enter_heat, race, 2, {21: "36.09", 22: "DQ T07"})
    outside_loop(enter_heat, race, 1, {11: "38.40", 12: "38.12"})  # a correction: its tag is drawn too
    context = browser.new_context(viewport=FULL_HD)
    try:
        tab = context.new_page()
        for path in ("embed/?fields=rank,name,nation,heat,lane,time,behind,points,records", *OVERLAY_PATHS):
            tab.goto(f"{live_server_url}/races/{race.pk}/{path}{'&' if '?' in path else '?'}theme=chroma")
            expect(tab.locator("#board")).to_have_attribute("data-connection", "live")
            assert page_background(tab) == ["rgb(0, 177, 64)", "rgb(0, 177, 64)"]
            assert tab.evaluate(COLOURS_NEAR_KEY, list(KEY_GREEN)) == [], path
        tab.screenshot(path=artifact_path("chroma.png"))
    finally:
        context.close()


OVERLAY_PATHS = ("overlays/last-heat/", "overlays/top3/", "overlays/on-ice/")


# --- the pictures in docs/broadcasters.md, from a real race -----------------------------------------------------

# A rink seen from the TV camera, drawn in CSS (stands, boards, ice with lane lines): enough to show what is
# transparent in an overlay.
RINK = "linear-gradient(180deg,#0d141e 0%,#1a2636 22%,#2b3a4d 36%,#9fb3c4 42.5%,#d3e0ea 48%,#e9f0f5 70%,#f6f9fb 100%)"
RINK_SCENE = "".join(
    f'<div style="position:fixed;{style}"></div>'
    for style in (
        # the stands: tiers of seats (flat bands, so the picture stays small as a PNG)
        "left:0;right:0;top:0;height:37%;background:"
        "repeating-linear-gradient(180deg,rgb(255 255 255 / .05) 0 22px,transparent 22px 44px),"
        "linear-gradient(90deg,rgb(120 60 60 / .25),rgb(60 80 120 / .25) 50%,rgb(120 100 60 / .25))",
        "left:0;right:0;top:37%;height:4.5%;opacity:.85;filter:blur(.6px);background:"
        "repeating-linear-gradient(90deg,#1f3f7a 0 260px,#f1f3f6 260px 520px,#b3202a 520px 780px,#243447 780px 1040px)",
        "left:-10%;width:120%;top:58%;border-top:5px solid rgb(40 90 170 / .55);transform:rotate(-2.5deg)",
        "left:-10%;width:120%;top:71%;border-top:4px dashed rgb(200 40 50 / .5);transform:rotate(-3.2deg)",
        "left:-10%;width:120%;top:86%;border-top:6px solid rgb(40 90 170 / .45);transform:rotate(-4deg)",
        "left:0;right:0;top:42%;bottom:0;background:"
        "radial-gradient(ellipse 45% 25% at 60% 30%,rgb(255 255 255 / .7),transparent 70%)",
    )
)
CHECKERBOARD = "repeating-conic-gradient(#c8ccd2 0 25%, #f2f3f5 0 50%) 0 0 / 32px 32px"


def shot(tab, name: str, artifact_path) -> None:
    path = artifact_path(name)
    animations_finished(tab)
    for frame in tab.frames[1:]:
        frame.evaluate("() => Promise.all(document.getAnimations().map((animation) => animation.finished))")
    tab.screenshot(path=path)
    if os.environ.get("DOCS_SCREENSHOTS"):
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / name)


def backdrop_page(background: str, src: str, extra: str = "") -> str:
    """The graphic at ``src`` full screen over ``background``, as a vision mixer would key it over the picture."""
    return (
        "<!doctype html><html style='height:100%'><head><meta charset=utf-8><link rel=icon href='data:,'>"
        f'<title>Backdrop</title></head><body style="height:100%;margin:0;background:{background}">{extra}'
        f'<iframe id="graphic" src="{src}" style="position:fixed;inset:0;width:100vw;height:100vh;border:0">'
        "</iframe></body></html>"
    )


def test_pictures_of_a_replayed_world_cup_race(live_server_url, browser, outside_loop, artifact_path):
    """The women's 500 m of the Salt Lake City World Cup (race 2), with the demo's records: equal hundredths in
    pair 9 (37.11(2) and 37.11(6)), a world and track record in pair 10 (Femke Kok, 36.09)."""
    from results import services
    from results.demo import setup as demo
    from results.demo.replay import heat_results_replay
    from results.models import Race
    from results.roles import REFEREE
    from tests.support.factories import make_user

    entry = outside_loop(demo.demo_competition)[0]
    race, rows = entry.race, entry.rows
    base = f"{live_server_url}/races/{race.pk}"
    skated = {"last": 0}

    def replay_to(last: int) -> None:
        heat_rows = [row for row in rows if skated["last"] < row.heat <= last]
        outside_loop(heat_results_replay, race=race, rows=heat_rows)
        skated["last"] = last

    pages: dict[str, str] = {}
    context = browser.new_context(viewport=FULL_HD)
    with other_site(pages) as site:
        tab = context.new_page()

        def show(url: str) -> None:
            tab.goto(url)
            expect(tab.locator("#board")).to_have_attribute("data-connection", "live")

        def show_over(background: str, src: str, extra: str = "") -> None:
            name = f"/backdrop-{len(pages)}"
            pages[name] = backdrop_page(background, src, extra)
            tab.goto(site + name)
            expect(tab.frame_locator("#graphic").locator("#board")).to_have_attribute("data-connection", "live")

        try:
            replay_to(8)  # pair 9 on the ice, pair 10 next
            show_over(RINK, f"{base}/overlays/on-ice/", RINK_SCENE)
            shot(tab, "overlay-on-ice.png", artifact_path)

            show(f"{base}/scoreboard/?rows=10&hold=4")
            replay_to(10)  # pair 9 (equal hundredths), then the world record in the last pair
            expect(tab.locator("#board")).to_have_attribute("data-last-heat", "10")
            expect(tab.locator("#board")).to_have_attribute("data-view", "last-pair")
            shot(tab, "scoreboard-last-pair.png", artifact_path)
            expect(tab.locator("#board")).to_have_attribute("data-view", "standings")
            shot(tab, "scoreboard.png", artifact_path)

            for theme in ("light", "dark", "chroma"):
                show(f"{base}/embed/?theme={theme}&rows=12")
                shot(tab, f"embed-{theme}.png", artifact_path)
            show_over(CHECKERBOARD, f"{base}/embed/?theme=transparent&rows=12")
            shot(tab, "embed-transparent.png", artifact_path)
            show_over(RINK, f"{base}/overlays/last-heat/", RINK_SCENE)
            shot(tab, "overlay-last-heat.png", artifact_path)

            referee = outside_loop(make_user, "referee-for-pictures", REFEREE)
            outside_loop(
                services.race_status_set, race=race, status=Race.State.OFFICIAL, by=referee, reason="Confirmed"
            )
            show_over(RINK, f"{base}/overlays/top3/", RINK_SCENE)
            shot(tab, "overlay-top3.png", artifact_path)
        finally:
            context.close()
