"""Patches between two versions of a board's document, for the sockets that ask for changes instead of whole
snapshots (``?delta=1``, docs/feed.md "Patches"). Pure: no Django, no I/O.

A patch says what to change in the document a client has (version ``base``) to get the next one (``version``):

- ``set``: the top-level fields whose values changed, each given whole (``on_ice``, ``next_heats``, ``change``...);
- ``unset``: top-level fields that are gone;
- ``rows``: the standings by row: ``key`` names the field that identifies a row (``bib`` in a race, ``skater`` in
  a classification or a series' standings), ``update`` the changed fields of rows that stay (with the key),
  ``add`` new rows and ``replace`` rows that lost a field, whole, ``remove`` the keys of rows that are gone, and
  ``order`` every row's key in the new order, whenever the order or the set of rows changed.

``patch_apply`` is the reference for clients (static/results/feed-patch.js does the same); applying the patch to
the base document gives the new document exactly, as the tests check on replayed races.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ROWS = "standings"
ROW_KEYS = ("bib", "skater")  # what identifies a row, in order of preference
PATCH = "patch"

Document = dict[str, Any]


def patch_between(old: Document, new: Document) -> Document:
    """The patch that turns ``old`` into ``new`` (their ``version`` fields included)."""
    changed = {name: value for name, value in new.items() if name != ROWS and old.get(name, _MISSING) != value}
    patch: Document = {"set": changed, "unset": [name for name in old if name not in new]}
    old_rows, new_rows = old.get(ROWS), new.get(ROWS)
    if old_rows == new_rows:
        return patch
    rows = _rows_patch(old_rows, new_rows) if isinstance(old_rows, list) and isinstance(new_rows, list) else None
    if rows is None:  # rows without a key to follow them by: the whole list
        if ROWS in new:
            changed[ROWS] = new_rows
        else:
            patch["unset"].append(ROWS)
    else:
        patch["rows"] = rows
    return patch


class _Missing:
    pass


_MISSING = _Missing()


def row_key(*lists: Sequence[Any]) -> str | None:
    """The first of ``ROW_KEYS`` that every row of every list has, once per list; None if none does."""
    for key in ROW_KEYS:
        if all(_keyed(rows, key) for rows in lists):
            return key
    return None


def _keyed(rows: Sequence[Any], key: str) -> bool:
    if not all(isinstance(row, dict) and isinstance(row.get(key), int) for row in rows):
        return False
    return len({row[key] for row in rows}) == len(rows)


def _rows_patch(old: list[Any], new: list[Any]) -> Document | None:
    key = row_key(old, new)
    if key is None:
        return None
    before = {row[key]: row for row in old}
    after = {row[key]: row for row in new}
    patch: Document = {"key": key}
    update, add, replace = [], [], []
    for row in new:
        was = before.get(row[key])
        if was is None:
            add.append(row)
        elif was != row:
            if set(was) - set(row):
                replace.append(row)
            else:
                update.append({key: row[key], **{f: v for f, v in row.items() if was.get(f, _MISSING) != v}})
    removed = [row[key] for row in old if row[key] not in after]
    for name, items in (("update", update), ("add", add), ("replace", replace), ("remove", removed)):
        if items:
            patch[name] = items
    if [row[key] for row in old] != [row[key] for row in new]:
        patch["order"] = [row[key] for row in new]
    return patch


def patch_apply(document: Document, patch: Document) -> Document:
    """The document ``patch`` turns ``document`` into; ``document`` is left as it was."""
    result = {**document, **patch.get("set", {})}
    for name in patch.get("unset", ()):
        result.pop(name, None)
    rows = patch.get("rows")
    if rows is not None:
        key = rows["key"]
        by_key = {row[key]: row for row in document.get(ROWS, [])}
        for gone in rows.get("remove", ()):
            by_key.pop(gone, None)
        for row in (*rows.get("add", ()), *rows.get("replace", ())):
            by_key[row[key]] = row
        for fields in rows.get("update", ()):
            by_key[fields[key]] = {**by_key[fields[key]], **fields}
        order = rows.get("order") or [row[key] for row in document.get(ROWS, []) if row[key] in by_key]
        result[ROWS] = [by_key[name] for name in order]
    return result
