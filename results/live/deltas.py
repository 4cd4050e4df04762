"""Patches between two versions of a board's document, for the sockets that ask for changes instead of whole
snapshots (``?delta=1``, docs/feed.md "Patches"). Pure: no Django, no I/O.

A patch says what to change in the document a client has (version ``base``) to get the next one (``version``):

- ``ops``: the changes outside the standings as JSON Patch operations (RFC 6902: ``add``, ``replace``, ``remove``
  with a JSON Pointer ``path``), as deep as it saves bytes: a passage replaces one skater's ``passage`` in
  ``/on_ice/0/skaters/1``, not the whole of ``on_ice``;
- ``rows``: the standings by row: ``key`` names the field that identifies a row (``bib`` in a race, ``skater`` in
  a classification or a series' standings), ``update`` the changed fields of rows that stay (with the key),
  ``add`` new rows and ``replace`` rows that lost a field, whole, ``remove`` the keys of rows that are gone, and
  ``order`` every row's key in the new order, whenever the order or the set of rows changed.

``patch_apply`` is the reference for clients (static/results/feed-patch.js does the same); applying the patch to
the base document gives the new document exactly, as the tests check on replayed races.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

ROWS = "standings"
ROW_KEYS = ("bib", "skater")  # what identifies a row, in order of preference
PATCH = "patch"

Document = dict[str, Any]


def patch_between(old: Document, new: Document) -> Document:
    """The patch that turns ``old`` into ``new`` (their ``version`` fields included)."""
    outside = [name for name in (*old, *(n for n in new if n not in old)) if name != ROWS]
    ops = [op for name in outside for op in _field_ops(old, new, name)]
    patch: Document = {"ops": ops}
    old_rows, new_rows = old.get(ROWS), new.get(ROWS)
    if old_rows == new_rows:
        return patch
    rows = _rows_patch(old_rows, new_rows) if isinstance(old_rows, list) and isinstance(new_rows, list) else None
    if rows is None:  # rows without a key to follow them by: the whole list
        ops.extend(_field_ops(old, new, ROWS))
    else:
        patch["rows"] = rows
    return patch


def _field_ops(old: Document, new: Document, name: str) -> list[Document]:
    path = _pointer("", name)
    if name not in new:
        return [{"op": "remove", "path": path}]
    if name not in old:
        return [{"op": "add", "path": path, "value": new[name]}]
    return _ops(path, old[name], new[name])


def _pointer(path: str, name: str | int) -> str:
    """``path`` and one more step, escaped as JSON Pointer (RFC 6901) says."""
    return f"{path}/{str(name).replace('~', '~0').replace('/', '~1')}"


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _ops(path: str, old: Any, new: Any) -> list[Document]:
    """The operations that turn ``old`` at ``path`` into ``new``: the value replaced whole, or, inside an object or
    an array, what changed in it, whichever is shorter on the wire."""
    if old == new:
        return []
    whole = [{"op": "replace", "path": path, "value": new}]
    inside: list[Document] | None = None
    if isinstance(old, dict) and isinstance(new, dict):
        inside = [op for name in (*old, *(n for n in new if n not in old)) for op in _field_ops(old, new, name)]
        inside = [{**op, "path": path + op["path"]} for op in inside]
    elif isinstance(old, list) and isinstance(new, list):
        common = min(len(old), len(new))
        inside = [op for index in range(common) for op in _ops(_pointer(path, index), old[index], new[index])]
        inside += [{"op": "add", "path": _pointer(path, "-"), "value": item} for item in new[common:]]
        inside += [{"op": "remove", "path": _pointer(path, index)} for index in reversed(range(common, len(old)))]
        shifted = _shift_ops(path, old, new)
        if shifted is not None and _size(shifted) < _size(inside):
            inside = shifted
    if inside is not None and _size(inside) < _size(whole):
        return inside
    return whole


def _shift_ops(path: str, old: list[Any], new: list[Any]) -> list[Document] | None:
    """A list that moved on (the pairs to come, after a pair is in): its first items gone, the ones that stay
    changed where they changed, new ones at the end. The shortest such way, or ``None`` for a list of one."""
    ways = []
    for gone in range(1, len(old)):
        kept = min(len(old) - gone, len(new))
        ops = [{"op": "remove", "path": _pointer(path, 0)} for _ in range(gone)]
        ops += [op for index in range(kept) for op in _ops(_pointer(path, index), old[gone + index], new[index])]
        ops += [{"op": "add", "path": _pointer(path, "-"), "value": item} for item in new[kept:]]
        ops += [{"op": "remove", "path": _pointer(path, index)} for index in reversed(range(len(new), len(old) - gone))]
        ways.append(ops)
    return min(ways, key=_size) if ways else None


def patch_message(base: int, old: Document, version: int, new: Document) -> str:
    """The patch as it goes on the wire: ``{"type": "patch", "base", "version", "set", "unset", "rows"}``."""
    message = {"type": PATCH, "base": base, "version": version, **patch_between(old, new)}
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


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
    result: Any = document
    for op in patch.get("ops", ()):
        result = _op_apply(result, op)
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
        result = {**result, ROWS: [by_key[name] for name in order]}
    return dict(result)


def _op_apply(root: Any, op: Document) -> Any:
    """One ``add``, ``replace`` or ``remove``, copying what it changes (the containers on its path)."""
    steps = [step.replace("~1", "/").replace("~0", "~") for step in op["path"].split("/")[1:]]
    copy = list(root) if isinstance(root, list) else dict(root)
    parent: Any = copy
    for step in steps[:-1]:
        index: Any = int(step) if isinstance(parent, list) else step
        child = parent[index]
        parent[index] = list(child) if isinstance(child, list) else dict(child)
        parent = parent[index]
    last = steps[-1]
    if isinstance(parent, list):
        if op["op"] == "add":
            parent.insert(len(parent) if last == "-" else int(last), op["value"])
        elif op["op"] == "replace":
            parent[int(last)] = op["value"]
        else:
            del parent[int(last)]
    elif op["op"] == "remove":
        del parent[last]
    else:
        parent[last] = op["value"]
    return copy
