"""Browser fixtures: Playwright's sync API driving Debian's Chromium.

Playwright cannot download its own browser builds here, so it launches ``/usr/bin/chromium`` (``apt-get install
chromium``; override with ``CHROMIUM_PATH``). Without it, or without Playwright, browser tests skip and say why;
``REQUIRE_BROWSER=1`` (CI) makes that a failure.

Playwright's sync API and Django's ORM in one thread: the sync API runs its event loop in a greenlet of the main
thread and, between calls, leaves that loop marked as the thread's running loop (``wait_for_future`` in
``playwright/_impl/_greenlets.py``). Under a running loop Django refuses ORM calls (SynchronousOnlyOperation),
and that includes pytest-django's own flush after a transactional test. So while the browser is open (and only
then) ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set: the ORM is not actually used from a coroutine, the loop only looks
like it runs. ``asgiref``'s ``async_to_sync`` has no such switch, and the services push through it on commit:
write through ``outside_loop(...)``, which runs the call in a fresh thread, so the push is sent as in production.
Browser tests run after all other tests (``tests/conftest.py``), so no other test sees either state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.conftest import outcome_failed, service_missing

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Root in a container needs --no-sandbox; the rest keeps Chromium from calling home or stalling on first run.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

T = TypeVar("T")


def browser_missing(reason: str) -> None:
    service_missing(reason, required_by="REQUIRE_BROWSER")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium (Playwright ``Browser``), one for the whole run."""
    if not CHROMIUM.exists():
        browser_missing(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        browser_missing("Playwright is not installed (pip install -r requirements-dev.txt)")

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        try:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        except Exception as error:
            browser_missing(f"Chromium at {CHROMIUM} did not start: {error}")
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def page_errors() -> list[str]:
    """JavaScript errors and console errors of the ``page``, for tests that assert there are none."""
    return []


@pytest.fixture
def page(
    browser: Any, page_errors: list[str], request: pytest.FixtureRequest, artifact_path: Callable[[str], Path]
) -> Iterator[Any]:
    """A fresh page in a context of its own. A failing test leaves ``artifacts/<test>-failure.png``."""
    artifact_path("failure.png").unlink(missing_ok=True)  # a picture of an earlier run's failure would mislead
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("pageerror", lambda error: page_errors.append(f"pageerror: {error}"))
    page.on(
        "console", lambda message: page_errors.append(f"console: {message.text}") if message.type == "error" else None
    )
    yield page
    if outcome_failed(request):
        try:
            page.screenshot(path=artifact_path("failure.png"), full_page=True, animations="disabled")
        finally:
            print(f"\npage {page.url}; errors: {page_errors or 'none'}")
    context.close()


def _call_in_thread(fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
    from django.db import connections

    try:
        return fn(*args, **kwargs)
    finally:
        connections.close_all()


@pytest.fixture
def outside_loop() -> Callable[..., Any]:
    """``outside_loop(fn, *args, **kwargs)``: run database work where no event loop looks like it runs.

    For every service call in a browser test (they push through ``async_to_sync`` on commit). The thread has
    its own database connection, so use it with ``django_db(transaction=True)``, as browser tests must anyway.
    """

    def call(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(_call_in_thread, fn, args, kwargs).result(timeout=60)

    return call
