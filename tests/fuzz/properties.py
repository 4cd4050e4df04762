"""What every fuzz test checks of every example, whatever the surface:

- the server never fails: no 5xx, no exception out of a view or a consumer;
- nothing is logged as an error, and no traceback, for what a client sent: a refusal is the client's business;
- a refusal says why in words, where the person who sent it looks;
- a refusal changes nothing saved.

Examples run one after the other on the database a test built once; ``example_rolled_back`` undoes each example's
writes, so every example starts from the same state.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

# Examples run per test and how each ended ("201", "400 invalid_json", "refused"...): ``pytest -v tests/fuzz`` prints
# them at the end (tests/fuzz/conftest.py), to see what the examples reached.
OUTCOMES: defaultdict[str, Counter[str]] = defaultdict(Counter)


def tally(outcome: str) -> None:
    """Count one example of the running test, ended as ``outcome``."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" ", 1)[0]
    OUTCOMES[test][outcome] += 1


# Fields that change on a refused request by design: when a timing token was last used.
VOLATILE_FIELDS = {"TimingToken": {"last_used_at"}}
Fingerprint = dict[str, list[dict[str, Any]]]


def fingerprint() -> Fingerprint:
    """Every row of every table of the results app (starts, heats, snapshots and their versions, the histories,
    skaters, bests, passages...), in id order."""
    state: Fingerprint = {}
    for model in apps.get_app_config("results").get_models():
        skip = VOLATILE_FIELDS.get(model.__name__, set())
        rows = model._default_manager.order_by("pk").values()
        state[model.__name__] = [{k: v for k, v in row.items() if k not in skip} for row in rows]
    return state


def assert_unchanged(before: Fingerprint, what: str) -> None:
    after = fingerprint()
    changed = {name: (rows, after[name]) for name, rows in before.items() if rows != after[name]}
    assert not changed, f"{what} was refused, yet it changed {sorted(changed)}: {changed}"


class _Rollback(Exception):
    pass


@contextmanager
def example_rolled_back() -> Iterator[None]:
    """Run one example in a savepoint that is rolled back at the end, whatever it wrote."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def no_traceback_logged() -> Iterator[None]:
    """Fails if anything logged an error, or a warning with a traceback, while the block ran."""
    handler = _Records()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    bad = [r for r in handler.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, "logged for a client's input: " + "; ".join(
        f"{r.levelname} {r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else r.getMessage() for r in bad
    )


@contextmanager
def checked_example(before: Fingerprint) -> Iterator[list[bool]]:
    """One example: rolled back at the end, no traceback logged. The block appends ``True`` to the list it gets
    when the example was refused; then nothing saved may have changed."""
    refused: list[bool] = []
    with example_rolled_back(), no_traceback_logged():
        yield refused
        if any(refused):
            assert_unchanged(before, "the request")


# --- HTTP answers --------------------------------------------------------------------------------------------------


def assert_no_server_error(response: Any) -> None:
    assert response.status_code < 500, f"{response.status_code}: {response.content[:500]!r}"


def page_text(response: Any) -> str:
    return unescape(response.content.decode("utf-8", errors="replace"))


ERROR_LIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>\s*\S', re.S)
ERROR_MESSAGE = re.compile(r'<ul class="messagelist[^"]*"[^>]*>\s*<li class="error">\s*\S', re.S)
ERROR_NOTE = re.compile(r'<p class="errornote[^"]*"[^>]*>\s*\S', re.S)


def shows_an_error(response: Any) -> bool:
    """The page shows at least one error: next to a field, on top of a form, in an import's list of problems, as an
    error note of the admin page or an error message of the admin."""
    html = response.content.decode("utf-8", errors="replace")
    return any(pattern.search(html) for pattern in (ERROR_LIST, ERROR_MESSAGE, ERROR_NOTE))


def assert_json_refusal(response: Any, codes: dict[str, int] | None = None) -> dict[str, Any]:
    """A JSON refusal with a sentence in it (``message``, or ``error`` where the feed has no codes); with ``codes``,
    a code of those at its documented status."""
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict), body
    if codes is None:
        assert isinstance(body.get("error"), str) and body["error"].strip(), body
        return body
    assert body.get("error") in codes, body
    assert codes[body["error"]] == response.status_code, (response.status_code, body)
    assert isinstance(body.get("message"), str) and body["message"].strip(), body
    return body


# --- CSV imports in the admin (start lists, bests): upload -> preview -> confirm -----------------------------------

HIDDEN_TEXT = re.compile(r'<input type="hidden" name="text" value="([^"]*)"')


def assert_import_answered(
    client: Any, *, upload_url: str, confirm_url: str, data: bytes, text: str | None, before: Fingerprint
) -> str:
    """Upload ``data``, then confirm ``text`` (``None``: what the preview carries, else the file read as UTF-8).

    The upload answers with a preview that lists the file's problems or offers the import, and saves nothing. The
    confirm imports (a redirect) or comes back with its problems listed, having saved nothing. Returns how the
    confirm ended.
    """
    upload = client.post(upload_url, {"file": SimpleUploadedFile("draw.csv", data, content_type="text/csv")})
    assert_no_server_error(upload)
    assert upload.status_code == 200, upload.status_code
    offered = HIDDEN_TEXT.search(upload.content.decode())
    assert shows_an_error(upload) != bool(offered), "a preview lists the file's problems, or offers the import"
    assert_unchanged(before, "an upload (a preview only)")
    if text is None:
        text = unescape(offered.group(1)) if offered else data.decode("utf-8", errors="replace")
    confirm = client.post(confirm_url, {"text": text, "filename": "draw.csv"})
    assert_no_server_error(confirm)
    previewed = "import offered" if offered else "problems listed"
    if confirm.status_code == 302:
        return f"{previewed}, imported"
    assert confirm.status_code == 200, confirm.status_code
    assert shows_an_error(confirm), "a refused import says why"
    assert_unchanged(before, "an import")
    return f"{previewed}, import refused"
