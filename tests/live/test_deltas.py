"""Patches between two versions of a board (results/live/deltas.py): applied to the base document they give the
new one exactly, whatever changed; rows are followed by their key, so a re-rank sends the changed fields only."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from results.live.deltas import patch_apply, patch_between

values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=3), st.lists(st.integers(0, 3)))
fields = st.dictionaries(st.sampled_from(["rank", "time", "behind", "points", "records", "splits"]), values)


@st.composite
def rows(draw) -> list[dict]:
    bibs = draw(st.lists(st.integers(1, 30), unique=True, max_size=12))
    return [{"bib": bib, **draw(fields)} for bib in bibs]


@st.composite
def documents(draw) -> dict:
    document = draw(st.dictionaries(st.sampled_from(["version", "on_ice", "change", "race", "next_heats"]), values))
    if draw(st.booleans()):
        document["standings"] = draw(st.one_of(rows(), st.lists(st.integers())))
    return document


def canonical(document: dict) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


@given(documents(), documents())
def test_a_patch_applied_to_its_base_gives_the_new_document_exactly(old, new):
    patch = patch_between(old, new)
    assert canonical(patch_apply(old, patch)) == canonical(new)
    json.dumps(patch)  # it goes on the wire as JSON


@given(rows())
def test_a_reranking_sends_only_what_changed_in_each_row(standings):
    old = {"version": 1, "standings": standings}
    moved = [{**row, "rank": index + 2} for index, row in enumerate(standings)]
    new = {"version": 2, "standings": [{"bib": 99, "rank": 1, "time": "34.00"}, *moved]}
    patch = patch_between(old, new)
    assert patch["ops"] == [{"op": "replace", "path": "/version", "value": 2}]
    assert patch["rows"]["add"] == [{"bib": 99, "rank": 1, "time": "34.00"}]
    assert all(set(update) <= {"bib", "rank"} for update in patch["rows"].get("update", []))
    assert patch["rows"]["order"] == [99, *(row["bib"] for row in standings)]
    assert patch_apply(old, patch) == new


def test_an_unchanged_document_is_an_empty_patch():
    document = {"version": 3, "standings": [{"bib": 1, "rank": 1}]}
    assert patch_between(document, document) == {"ops": []}


def test_a_change_deep_inside_is_sent_from_where_it_happened():
    skater = {"bib": 181, "name": "Jordan STOLZ", "nation": "USA", "lane": "I", "passage": None}
    old = {"version": 7, "on_ice": [{"heat": 8, "skaters": [skater, {**skater, "bib": 131}]}]}
    passage = {"distance": 200, "time": "16.38", "time_ms": 16380, "rank": 2, "behind": "+0.17"}
    new = {"version": 8, "on_ice": [{"heat": 8, "skaters": [{**skater, "passage": passage}, {**skater, "bib": 131}]}]}
    assert patch_between(old, new)["ops"] == [
        {"op": "replace", "path": "/version", "value": 8},
        {"op": "replace", "path": "/on_ice/0/skaters/0/passage", "value": passage},
    ]


@given(
    st.recursive(
        values,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text("a~/", max_size=2), inner, max_size=4)
        ),
        max_leaves=20,
    ),
    st.recursive(
        values,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text("a~/", max_size=2), inner, max_size=4)
        ),
        max_leaves=20,
    ),
)
def test_nested_values_of_any_shape_come_back_exactly(old, new):
    before, after = {"on_ice": old}, {"on_ice": new}
    assert canonical(patch_apply(before, patch_between(before, after))) == canonical(after)
