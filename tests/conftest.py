"""Shared fixtures: real services (PostgreSQL, Redis) with visible skips, and real Daphne processes on the test
database.

Environment:

- ``REQUIRE_SERVICES=1`` (CI): a PostgreSQL or Redis that does not answer fails the tests that need it. Without it
  they skip and say why, so a laptop without Redis still runs everything else.
- ``REDIS_TEST_URL``: the Redis the tests use (default ``redis://127.0.0.1:6379/15``, a database of its own so a
  demo on database 0 does not talk into the tests' race groups).
- ``POSTGRES_TEST_URL``: the PostgreSQL server ``postgres_url`` checks (default: ``DATABASE_URL`` if it is one,
  else ``postgres://postgres@127.0.0.1:5432/test``).
- ``REQUIRE_BROWSER=1``: the same as ``REQUIRE_SERVICES`` for Playwright and Chromium (``tests/browser/conftest.py``).

Server fixtures, for tests of what crosses a process boundary:

- ``daphne_server(env={...})`` starts a real Daphne on a free port, on the test database, with the command line a
  deployment uses (``results.server.daphne.daphne_command``), and returns a ``LiveServer`` (``.url``, ``.ws_url(path)``,
  ``.log()``). Call it several times for several processes. It is stopped before the test database is flushed or
  dropped.
- ``live_server_url``: one such server's base URL.
- ``process_env(extra)``: the environment for any other process (``manage.py replay`` ...) on the test database.

Tests that use them get a transactional database (data must be committed for another process to see it); say so
with ``@pytest.mark.django_db(transaction=True)``.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlencode

import pytest
from hypothesis import settings as hypothesis_settings

from tests.support.paths import REPO

# Every property test (hypothesis): ``make test`` runs a bounded number of examples, the same ones on every run
# (derandomized, nothing remembered between runs), so a failure in CI is a failure on a laptop too.
# ``HYPOTHESIS_PROFILE=long`` tries many more, new ones each run, for a session of bug hunting; ``FUZZ_EXAMPLES=300``
# sets how many.
hypothesis_settings.register_profile("fuzz", max_examples=50, deadline=None, derandomize=True, database=None)
hypothesis_settings.register_profile(
    "long", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")), deadline=None, derandomize=False, database=None
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))

ARTIFACTS = REPO / "artifacts"
DEFAULT_REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
DEFAULT_POSTGRES_TEST_URL = "postgres://postgres@127.0.0.1:5432/test"
SERVER_START_SECONDS = 15.0
SERVER_STOP_SECONDS = 10.0
# Variables a child process must not inherit from whoever ran pytest: each test says what it wants.
CHILD_ENV_DROPPED = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")

phase_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def service_missing(reason: str, *, required_by: str = "REQUIRE_SERVICES") -> None:
    """Skip with ``reason``, or fail when the environment says the service must be there (CI)."""
    if env_flag(required_by):
        pytest.fail(f"{reason} ({required_by}=1)", pytrace=False)
    pytest.skip(reason)


# --- collection and reports ------------------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last, and tests on real services carry the ``services`` marker.

    Playwright's sync API marks its event loop as running in the main thread for as long as the session-scoped
    browser lives (``playwright/_impl/_greenlets.py``); Django's ORM, ``async_to_sync`` and pytest-asyncio all
    refuse to work under a running loop. Running browser tests after every other test keeps that state away
    from them (``tests/browser/conftest.py`` handles the browser tests themselves).
    """
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "browser" in names:
            item.add_marker(pytest.mark.browser)
        if {"redis_url", "postgres_url", "postgres_db"} & set(names):
            item.add_marker(pytest.mark.services)
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so fixtures can tell in teardown whether the test failed."""
    report = yield
    item.stash.setdefault(phase_reports, {})[report.when] = report
    return report


def outcome_failed(request: pytest.FixtureRequest) -> bool:
    reports = request.node.stash.get(phase_reports, {})
    return any(report.failed for report in reports.values())


# --- per-run test database names -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request: pytest.FixtureRequest, django_db_modify_db_settings_parallel_suffix: None
) -> None:
    """Give this run's test database a name of its own (``test-db.sqlite3_pid123``, ``test_test_pid123``).

    Several people run the tests in one work tree at once; with one fixed name, a second run would delete the
    SQLite file (or drop the PostgreSQL database) under the first one's servers. ``--reuse-db`` keeps the fixed
    name, since reusing is its point.
    """
    from django.conf import settings

    if request.config.getvalue("reuse_db"):
        return

    suffix = f"pid{os.getpid()}"
    for db_settings in settings.DATABASES.values():
        test_settings = db_settings.setdefault("TEST", {})
        name = test_settings.get("NAME")
        if not name:
            if db_settings["ENGINE"] == "django.db.backends.sqlite3":
                continue  # in-memory: nothing shared between runs
            name = f"test_{db_settings['NAME']}"
        test_settings["NAME"] = f"{name}_{suffix}"


# --- real services ----------------------------------------------------------------------------------------------


def redis_available(url: str) -> str | None:
    """``None`` if the Redis at ``url`` answers PING, else why not."""
    try:
        import redis
    except ImportError:
        return "the redis package is not installed"
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer: {error}"
    finally:
        client.close()
    return None


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis that answers PING (``REDIS_TEST_URL``); skips, or fails under ``REQUIRE_SERVICES=1``."""
    url = os.environ.get("REDIS_TEST_URL") or DEFAULT_REDIS_TEST_URL
    problem = redis_available(url)
    if problem:
        service_missing(problem)
    return url


def postgres_available(url: str) -> str | None:
    """``None`` if the PostgreSQL server at ``url`` answers ``SELECT 1``, else why not."""
    try:
        import psycopg
    except ImportError:
        return "the psycopg package is not installed"
    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return f"PostgreSQL at {url} does not answer: {error}".strip()
    return None


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL server that answers (``POSTGRES_TEST_URL``); skips, or fails under ``REQUIRE_SERVICES=1``."""
    url = os.environ.get("POSTGRES_TEST_URL") or ""
    if not url:
        database_url = os.environ.get("DATABASE_URL", "")
        url = database_url if database_url.startswith(("postgres://", "postgresql://")) else DEFAULT_POSTGRES_TEST_URL
    problem = postgres_available(url)
    if problem:
        service_missing(problem)
    return url


@pytest.fixture
def postgres_db(db: None) -> None:
    """For tests of PostgreSQL behaviour (row locks, concurrent writers): skips unless the test database is one.

    Not a failure under ``REQUIRE_SERVICES=1``: the run chose its database with ``DATABASE_URL``.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(f"the test database is {connection.vendor}; run with DATABASE_URL={DEFAULT_POSTGRES_TEST_URL}")


# --- other processes on the test database ----------------------------------------------------------------------


def database_url(settings_dict: Mapping[str, object]) -> str:
    """A ``DATABASE_URL`` (as ``skating/settings.py`` reads it) for the database ``settings_dict`` names."""
    engine = str(settings_dict["ENGINE"])
    name = str(settings_dict["NAME"])
    if engine == "django.db.backends.sqlite3":
        if name == ":memory:" or name.startswith("file:"):
            raise RuntimeError("an in-memory SQLite test database cannot be shared with another process")
        return f"sqlite:///{Path(name).resolve()}"
    if engine == "django.db.backends.postgresql":
        user = quote(str(settings_dict.get("USER") or ""), safe="")
        password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = quote(str(settings_dict.get("HOST") or ""), safe="")
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        options = settings_dict.get("OPTIONS") or {}
        assert isinstance(options, Mapping)
        query = urlencode({key: value for key, value in options.items() if isinstance(value, str | int)})
        return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}" + (f"?{query}" if query else "")
    raise RuntimeError(f"no DATABASE_URL for a test database on {engine}")


@pytest.fixture
def test_database_url(transactional_db: None) -> str:
    """The ``DATABASE_URL`` of the database pytest-django created for this run."""
    from django.db import connection

    return database_url(connection.settings_dict)


@pytest.fixture
def process_env(test_database_url: str) -> Callable[..., dict[str, str]]:
    """``process_env({"REDIS_URL": ...})``: the environment for another process on the test database.

    Nothing the developer exported leaks in: no ``REDIS_URL`` unless given, so a test says which channel layer
    each process has.
    """

    def build(extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in CHILD_ENV_DROPPED}
        env.update(
            DATABASE_URL=test_database_url,
            DJANGO_SETTINGS_MODULE="skating.settings",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra or {})
        return env

    return build


@dataclass
class LiveServer:
    """A Daphne process serving ``skating.asgi:application``."""

    url: str
    process: subprocess.Popen[bytes]
    log_file: IO[bytes]
    env: dict[str, str] = field(repr=False)

    def ws_url(self, path: str) -> str:
        return "ws" + self.url.removeprefix("http") + path

    def log(self) -> str:
        self.log_file.flush()
        return Path(self.log_file.name).read_text(encoding="utf-8", errors="replace")

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=SERVER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def crash(self) -> None:
        """Kill the process as a crash would (SIGKILL: no close frames, no goodbye); its clients see the link drop."""
        self.process.kill()
        self.process.wait()

    def start_again(self) -> None:
        """Start a new process on the same port and environment, as a supervisor would after a crash."""
        from results.server.daphne import daphne_command

        self.process = subprocess.Popen(
            daphne_command(port=self.port),
            cwd=REPO,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        wait_until_answering(self, SERVER_START_SECONDS)


def listening_socket() -> socket.socket:
    """A socket already listening on a free port, handed to Daphne (``--fd``): no window for another process to
    take the port between choosing it and binding it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def wait_until_answering(server: LiveServer, deadline_seconds: float) -> None:
    """Any HTTP answer will do (this path is a plain 404 that touches neither templates nor the database; a
    production server's redirect to HTTPS is an answer too, so no redirect is followed)."""
    host, port = server.url.removeprefix("http://").split(":")
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"Daphne exited with {server.process.returncode} while starting:\n{server.log()}", pytrace=False
            )
        connection = http.client.HTTPConnection(host, int(port), timeout=2)
        try:
            connection.request("GET", "/__daphne_ready__")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    server.stop()
    pytest.fail(f"Daphne did not answer within {deadline_seconds:.0f} s:\n{server.log()}", pytrace=False)


@pytest.fixture
def daphne_server(
    request: pytest.FixtureRequest, process_env: Callable[..., dict[str, str]]
) -> Iterator[Callable[..., LiveServer]]:
    """``daphne_server(env={"REDIS_URL": ...})`` starts a real Daphne process on the test database
    (``proxy_headers=True``: behind a proxy, as ``manage.py serve`` runs it in production).

    Each call starts one more process. All are stopped at the end of the test, before pytest-django flushes the
    database (this fixture depends on ``transactional_db``, so its teardown runs first): a PostgreSQL database
    cannot be truncated or dropped while a server still holds it. A failing test prints every server's log.
    """
    servers: list[LiveServer] = []

    def start(env: Mapping[str, str] | None = None, *, proxy_headers: bool = False) -> LiveServer:
        from results.server.daphne import daphne_command

        server_env = process_env(env)
        sock = listening_socket()
        port = sock.getsockname()[1]
        log_file = tempfile.NamedTemporaryFile(prefix=f"daphne-{port}-", suffix=".log", delete=False)  # noqa: SIM115
        try:
            process = subprocess.Popen(
                daphne_command(fd=sock.fileno(), proxy_headers=proxy_headers),
                cwd=REPO,
                env=server_env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                pass_fds=[sock.fileno()],
            )
        finally:
            sock.close()  # the child has its own copy
        server = LiveServer(url=f"http://127.0.0.1:{port}", process=process, log_file=log_file, env=server_env)
        servers.append(server)
        wait_until_answering(server, SERVER_START_SECONDS)
        return server

    yield start

    for server in servers:
        server.stop()
    failed = outcome_failed(request)
    for server in servers:
        if failed:
            print(f"\n----- Daphne {server.url} (exit {server.process.returncode}) -----\n{server.log()}")
        server.log_file.close()
        Path(server.log_file.name).unlink(missing_ok=True)


@pytest.fixture
def live_server_url(daphne_server: Callable[..., LiveServer]) -> str:
    """Base URL (``http://127.0.0.1:PORT``) of one Daphne process on the test database, embedded channel layer."""
    return daphne_server().url


# --- artifacts --------------------------------------------------------------------------------------------------


@pytest.fixture
def artifact_path(request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """``artifact_path("board.png")``: a path in ``artifacts/`` (gitignored) named after the test, for humans."""

    def path(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        test_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
        return ARTIFACTS / f"{test_name}-{name}"

    return path
