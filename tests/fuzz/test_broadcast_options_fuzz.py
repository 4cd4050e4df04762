"""The broadcasters' pages (the embed, the three overlays and the venue scoreboard; docs/broadcasters.md) under any
query string someone could type or paste into a vision mixer: each option right or wrong, unknown options, an
option repeated or without a value, any unicode, percent signs that encode nothing, bytes that are not UTF-8, very
long values; for a race under way, a mass start, a team pursuit and a race that does not exist.

For every address: never a server error and nothing logged as an error; the page, or "not found", or a 400 page that
lists what is wrong with the address (each message short, whatever was typed); nothing saved changes. The options'
reading alone is tried on any options as well: the options, within their bounds, or every mistake in words.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results.web.embed.labels import LANGUAGES
from results.web.embed.options import (
    EMBED,
    FIELDS,
    HOLD_MAX,
    HOLD_MIN,
    OVERLAY,
    ROWS_MAX,
    ROWS_MIN,
    SCALE_MAX,
    SCALE_MIN,
    SCOREBOARD,
    THEMES,
    EmbedOptions,
    Page,
    options_parse,
)
from tests.fuzz.properties import assert_no_server_error, checked_example, fingerprint, page_text, tally
from tests.fuzz.strategies import SHORT_TEXT, TEXT, mostly, query_strings
from tests.support.factories import enter_finish, enter_sprint, make_live_race, make_mass_start, make_team_pursuit

PAGES = {
    "embed/": EMBED,
    "overlays/last-heat/": OVERLAY,
    "overlays/top3/": OVERLAY,
    "overlays/on-ice/": OVERLAY,
    "scoreboard/": SCOREBOARD,
}
RIGHT = {
    "theme": [*THEMES, "Dark", " chroma "],
    "rows": ["1", "3", "10", "50"],
    "fields": ["rank,name,time", "time,name,lane", ",".join(FIELDS), " Rank , name "],
    "scale": ["0.5", "1", "1.25", "4", "4.0"],
    "lang": [*LANGUAGES, "NL"],
    "hold": ["3", "8", "60"],
}
# A message quotes at most this much of what was typed: the longest message, with the longest quote, fits.
MESSAGE_MAX = 200


def assert_options_or_mistakes(parsed: EmbedOptions | list[str]) -> None:
    if isinstance(parsed, list):
        assert parsed and all(0 < len(message) <= MESSAGE_MAX for message in parsed), parsed
        return
    assert parsed.theme in THEMES and parsed.lang in LANGUAGES
    assert parsed.rows is None or ROWS_MIN <= parsed.rows <= ROWS_MAX
    assert SCALE_MIN <= parsed.scale <= SCALE_MAX and math.isfinite(parsed.scale)
    assert HOLD_MIN <= parsed.hold <= HOLD_MAX
    assert parsed.fields and set(parsed.fields) <= set(FIELDS) and len(set(parsed.fields)) == len(parsed.fields)


@pytest.mark.django_db
def test_any_query_string_shows_the_page_or_says_what_is_wrong_with_it(client):
    live = make_live_race()
    mass_start = make_mass_start(live.competition)
    enter_sprint(mass_start, 1, "103 101 106")
    team_pursuit = make_team_pursuit(live.competition)
    finished = make_mass_start(live.competition, title="Men Mass Start Division A")
    enter_finish(finished, {101: "8:01.20", 102: "DNF"})
    races = [live.pk, mass_start.pk, team_pursuit.pk, finished.pk]
    before = fingerprint()

    @given(
        race_id=mostly(st.sampled_from(races), st.just(999_999)),
        page=st.sampled_from(sorted(PAGES)),
        query=query_strings(RIGHT),
    )
    def example_page(race_id: int, page: str, query: str) -> None:
        with checked_example(before) as refused:
            refused.append(True)  # a page is only read
            response = client.get(f"/races/{race_id}/{page}?{query}")
            assert_no_server_error(response)
            assert response.status_code in (200, 400, 404), response.status_code
            tally(str(response.status_code))
            if response.status_code == 400:
                assert_options_or_mistakes(response.context["errors"])
                assert all(message in page_text(response) for message in response.context["errors"])

    example_page()


@st.composite
def options(draw: st.DrawFn, page: Page) -> dict[str, list[str]]:
    """A page's options as ``request.GET.lists()`` gives them: mostly the page's own, each mostly right and once."""
    names = draw(st.lists(mostly(st.sampled_from(page.options), SHORT_TEXT), unique=True, max_size=4))
    value = {name: mostly(st.sampled_from(RIGHT.get(name, ["1"])), TEXT) for name in names}
    return {
        name: draw(mostly(st.lists(value[name], min_size=1, max_size=1), st.lists(value[name], min_size=2, max_size=3)))
        for name in names
    }


def test_any_options_are_read_within_their_bounds_or_refused_in_words():
    @given(
        page_and_query=st.sampled_from([EMBED, OVERLAY, SCOREBOARD]).flatmap(
            lambda page: st.tuples(st.just(page), options(page))
        )
    )
    def example_options(page_and_query: tuple[Page, dict[str, list[str]]]) -> None:
        page, query = page_and_query
        parsed = options_parse(query, page=page)
        tally("read" if isinstance(parsed, EmbedOptions) else "refused")
        assert_options_or_mistakes(parsed)

    example_options()
