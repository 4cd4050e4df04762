"""The production setup as docs/deploy.md describes it: the documented environment passes Django's deployment
checks, the settings refuse a deployment without a secret key, every Daphne runs the one command line, `serve`
keeps its processes running, collectstatic's hashed files are served and cached for good, and deploy/nginx.conf
is a configuration nginx accepts and that carries pages, static files and websockets to two Daphne processes.

nginx and openssl (Debian: ``nginx-light``, ``openssl``) are needed by the nginx tests: they skip and say why when
either is missing, and fail under ``REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import OperationalError
from websockets.sync.client import ClientConnection, connect

from results.management.commands.serve import EXEC_ONE_WORKER
from results.server.daphne import (
    HANDSHAKE_TIMEOUT_SECONDS,
    LISTEN_BACKLOG,
    WEBSOCKET_MAX_BYTES,
    daphne_command,
    listen_queue_limit,
)
from tests.conftest import (
    DEFAULT_POSTGRES_TEST_URL,
    LiveServer,
    outcome_failed,
    postgres_available,
)
from tests.support.factories import enter_heat, make_race
from tests.support.nginx import NGINX_CONF, need_nginx, nginx_conf_for_test, replaced
from tests.support.paths import REPO

ENV_EXAMPLE = REPO / "deploy" / "skating.env.example"

UNIT = REPO / "deploy" / "skating-daphne@.service"
DEPLOY_DOC = REPO / "docs" / "deploy.md"
WAIT_SECONDS = 20.0
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")


# --- the documented environment ------------------------------------------------------------------------------


def documented_environment() -> dict[str, str]:
    """deploy/skating.env.example as systemd reads it: ``KEY=value`` lines, comments and blank lines skipped."""
    env = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def production_env(**overrides: str) -> dict[str, str]:
    """This process's environment without anything the example sets, then the example, with a real secret key.

    Left to the caller: ``DATABASE_URL`` and ``REDIS_URL`` are dropped (a test says which it wants) and
    ``STATIC_ROOT`` points nowhere useful until overridden.
    """
    documented = documented_environment()
    assert documented["SECRET_KEY"] == "", "the example must not ship a key anyone could copy"
    env = {key: value for key, value in os.environ.items() if key not in documented}
    env.update(documented)
    env.pop("DATABASE_URL")
    env.pop("REDIS_URL")
    env.update(SECRET_KEY=secrets.token_urlsafe(50), DJANGO_SETTINGS_MODULE="skating.settings", PYTHONUNBUFFERED="1")
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path: Path):
    postgres = os.environ.get("POSTGRES_TEST_URL") or os.environ.get("DATABASE_URL", "")
    if not postgres.startswith(("postgres://", "postgresql://")):
        postgres = DEFAULT_POSTGRES_TEST_URL
    database_url = postgres if postgres_available(postgres) is None else f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = production_env(DATABASE_URL=database_url, STATIC_ROOT=str(tmp_path / "static"))

    checked = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues (0 silenced)." in checked.stdout


@pytest.mark.parametrize("secret_key", [None, "", "insecure-local-development-key-do-not-deploy"])
def test_a_deployment_without_a_secret_key_of_its_own_refuses_to_start(secret_key: str | None):
    from django.conf import settings

    env = production_env(DATABASE_URL="sqlite:///unused.sqlite3")
    if secret_key is None:
        del env["SECRET_KEY"]
    else:
        env["SECRET_KEY"] = secret_key

    refused = manage("check", env=env)

    assert refused.returncode != 0
    assert f"ImproperlyConfigured: {settings.SECRET_KEY_MISSING}" in refused.stderr


def test_a_server_started_without_debug_set_is_a_deployment_and_refuses_a_short_key():
    """DEBUG forgotten: the settings are a deployment's (no debug pages), so they want a key, and a long one."""
    from django.conf import settings

    env = production_env(DATABASE_URL="sqlite:///unused.sqlite3")
    del env["DEBUG"]
    del env["SECRET_KEY"]
    refused = manage("check", env=env)
    assert refused.returncode != 0 and f"ImproperlyConfigured: {settings.SECRET_KEY_MISSING}" in refused.stderr

    refused = manage("check", env={**env, "SECRET_KEY": "s3cret-but-short"})
    assert refused.returncode != 0
    assert "ImproperlyConfigured: " + settings.SECRET_KEY_TOO_SHORT.format(length=16) in refused.stderr

    started = manage("check", env={**env, "SECRET_KEY": "k" * 50})
    assert started.returncode == 0, started.stderr


def test_every_variable_the_settings_read_is_documented():
    source = (REPO / "skating" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"""(?:os\.environ\.get|env_flag|env_list)\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))
    documented = set(documented_environment())
    deploy_doc = DEPLOY_DOC.read_text(encoding="utf-8")

    assert read, "the pattern no longer finds how settings.py reads the environment"
    assert read - documented == set(), "add these to deploy/skating.env.example"
    assert documented - read == set(), "deploy/skating.env.example documents what settings.py does not read"
    assert {name for name in read if f"`{name}`" not in deploy_doc} == set(), "explain these in docs/deploy.md"


# --- the Daphne command line ---------------------------------------------------------------------------------


def daphne_arguments(command: list[str]):
    """What Daphne's own command line parser makes of ``command``: an unknown or misspelt option fails here."""
    from daphne.cli import CommandLineInterface

    assert command[:3] == [sys.executable, "-m", "daphne"]
    return CommandLineInterface().parser.parse_args(command[3:])


def test_a_port_gets_a_deep_listen_queue_and_spectator_sized_messages():
    command = daphne_command(bind="127.0.0.1", port=8001, proxy_headers=True)
    arguments = daphne_arguments(command)

    assert arguments.socket_strings == [f"tcp:port=8001:interface=127.0.0.1:backlog={LISTEN_BACKLOG}"]
    assert LISTEN_BACKLOG == 4096
    assert arguments.port is None and arguments.host is None and arguments.file_descriptor is None
    assert arguments.websocket_max_message_size == WEBSOCKET_MAX_BYTES == 4096
    assert arguments.websocket_max_frame_size == 4096
    assert (arguments.ping_interval, arguments.ping_timeout) == (20, 30)
    assert arguments.application_close_timeout == 10
    # A crowd's handshakes wait in the process for longer than Daphne's default of 5 s (docs/deploy.md).
    assert arguments.websocket_connect_timeout == HANDSHAKE_TIMEOUT_SECONDS == 30
    assert arguments.proxy_headers is True
    assert arguments.application == "skating.asgi:application"


def test_the_kernels_cap_on_listen_queues_is_read_where_there_is_one(tmp_path: Path):
    limit = tmp_path / "somaxconn"
    limit.write_text("4096\n")

    assert listen_queue_limit(str(limit)) == 4096
    assert listen_queue_limit(str(tmp_path / "missing")) is None


def test_an_open_socket_is_passed_by_descriptor_without_an_endpoint():
    arguments = daphne_arguments(daphne_command(fd=7, verbosity=0))

    assert arguments.file_descriptor == 7
    assert arguments.socket_strings == []
    assert arguments.proxy_headers is False
    assert arguments.verbosity == 0
    assert arguments.websocket_max_message_size == 4096


def test_an_ipv6_address_is_escaped_for_twisted():
    arguments = daphne_arguments(daphne_command(bind="[::1]", port=8001, backlog=128))

    assert arguments.socket_strings == [r"tcp:port=8001:interface=\:\:1:backlog=128"]


@pytest.mark.parametrize("where", [{}, {"port": 8001, "fd": 7}])
def test_a_command_needs_a_port_or_a_descriptor(where: dict[str, Any]):
    with pytest.raises(ValueError, match="either port or fd"):
        daphne_command(**where)


# --- manage.py serve ------------------------------------------------------------------------------------------


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive ports that are free now."""
    for _ in range(50):
        base = 20000 + secrets.randbelow(30000)
        sockets = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports")


@dataclass(frozen=True)
class Answer:
    """An HTTP answer, read."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes


def answer_of(connection: http.client.HTTPConnection) -> Answer:
    response = connection.getresponse()
    return Answer(status=response.status, headers=response.headers, body=response.read())


def http_get(port: int, path: str, headers: dict[str, str] | None = None) -> Answer | None:
    """The answer of 127.0.0.1:port (read), or None when nothing listens there."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        return answer_of(connection)
    except OSError:
        return None
    finally:
        connection.close()


def wait_for(condition: Callable[[], object], what: str, log: Callable[[], str]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} within {WAIT_SECONDS:.0f} s:\n{log()}", pytrace=False)


def healthy(port: int) -> bool:
    response = http_get(port, "/healthz")
    return response is not None and response.status == 200


def started_pids(log: str, port: int) -> list[int]:
    return [int(pid) for pid in re.findall(rf"started daphne 127\.0\.0\.1:{port} \(pid (\d+)\)", log)]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "(Z)" not in Path(f"/proc/{pid}/stat").read_text()


def listen_backlog(port: int) -> int | None:
    """The listen queue the kernel gives 127.0.0.1:port (``ss`` shows it as Send-Q), or None without ``ss``."""
    if not shutil.which("ss"):
        return None
    out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    return int(out.split()[2])


@pytest.fixture
def serve(process_env, tmp_path: Path) -> Iterator[Callable[..., tuple[subprocess.Popen[bytes], Callable[[], str]]]]:
    """``serve(*args)`` runs ``manage.py serve *args`` on the test database; stopped (and reaped) at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def run(*args: str) -> tuple[subprocess.Popen[bytes], Callable[[], str]]:
        log_path = tmp_path / f"serve-{len(started)}.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "serve", *args],
                cwd=REPO,
                env=process_env(),
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        return process, lambda: log_path.read_text(encoding="utf-8", errors="replace")

    yield run

    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.django_db(transaction=True)
def test_serve_runs_a_daphne_per_port_restarts_one_that_dies_and_stops_them_all(serve):
    port = free_ports(2)
    supervisor, log = serve("--workers", "2", "--port", str(port))
    wait_for(lambda: healthy(port) and healthy(port + 1), "both workers did not answer /healthz", log)
    if (backlog := listen_backlog(port)) is not None:
        assert backlog == LISTEN_BACKLOG
    [first] = started_pids(log(), port)
    [second] = started_pids(log(), port + 1)

    os.kill(first, signal.SIGKILL)
    wait_for(lambda: len(started_pids(log(), port)) == 2 and healthy(port), "the dead worker was not replaced", log)
    replacement = started_pids(log(), port)[1]
    assert replacement != first
    assert started_pids(log(), port + 1) == [second], "the other worker was left alone"

    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=WAIT_SECONDS) == 0
    assert http_get(port, "/healthz") is None and http_get(port + 1, "/healthz") is None
    assert not alive(replacement) and not alive(second)


@pytest.mark.django_db(transaction=True)
def test_serve_exec_becomes_the_daphne_process_a_unit_starts(serve):
    port = free_ports(1)
    process, log = serve("--exec", "--port", str(port))
    wait_for(lambda: healthy(port), "Daphne did not answer /healthz", log)

    cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
    assert b"daphne" in cmdline and f"tcp:port={port}:interface=127.0.0.1:backlog=4096".encode() in cmdline

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=WAIT_SECONDS) == 0


def test_serve_exec_is_for_one_process():
    with pytest.raises(CommandError, match=re.escape(EXEC_ONE_WORKER)):
        call_command("serve", "--exec", "--workers", "2")


# --- health ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_while_the_database_does(client, monkeypatch):
    from results.web import health

    answer = client.get("/healthz")
    assert (answer.status_code, answer.content.decode()) == (200, health.HEALTHY)

    def broken_cursor():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    answer = client.get("/healthz")
    assert (answer.status_code, answer.content.decode()) == (503, health.DATABASE_DOWN)


# --- production: static files and HTTPS -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``collectstatic`` as the deployment runs it (DEBUG=0: hashed and compressed), into ``<site>/static``."""
    static_root = tmp_path_factory.mktemp("site") / "static"
    env = production_env(DATABASE_URL="sqlite:///unused.sqlite3", STATIC_ROOT=str(static_root))
    collected = manage("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    return static_root


@pytest.fixture
def production_server(daphne_server, collected_static: Path) -> Callable[[], LiveServer]:
    """A Daphne process as a deployment runs it behind nginx, on the test database and the collected files."""
    env = production_env(STATIC_ROOT=str(collected_static), ALLOWED_HOSTS="results.example.org,127.0.0.1")
    return lambda: daphne_server(env=env, proxy_headers=True)


def port_of(server: LiveServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def script_src(page: str, name: str) -> str:
    match = re.search(rf'src="(/static/[^"]*{re.escape(name)}[^"]*)"', page)
    assert match, f"no {name} in the page"
    return match.group(1)


@pytest.mark.django_db(transaction=True)
def test_production_serves_hashed_static_files_cached_for_good(production_server):
    race = make_race()
    port = port_of(production_server())
    behind_nginx = {"Host": "results.example.org", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}

    page = http_get(port, f"/races/{race.pk}/", behind_nginx)
    assert page is not None and page.status == 200
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    module = script_src(page.body.decode(), "leaderboard")
    assert HASHED.search(module), module

    script = http_get(port, module, {**behind_nginx, "Accept-Encoding": "gzip"})
    assert script is not None and script.status == 200
    assert "immutable" in script.headers["Cache-Control"] and "max-age=315360000" in script.headers["Cache-Control"]
    assert script.headers["Content-Encoding"] == "gzip"
    # The modules it imports are hashed too, so an old cached copy can never be mixed in.
    imports = re.findall(r'from "([^"]+)"', gzip.decompress(script.body).decode())
    assert imports and all(HASHED.search(name) for name in imports), imports


@pytest.mark.django_db(transaction=True)
def test_production_redirects_plain_http_but_not_the_health_check(production_server):
    race = make_race()
    port = port_of(production_server())

    plain = http_get(port, f"/races/{race.pk}/", {"Host": "results.example.org"})
    assert plain is not None and plain.status == 301
    assert plain.headers["Location"] == f"https://results.example.org/races/{race.pk}/"
    health = http_get(port, "/healthz", {"Host": "results.example.org"})
    assert health is not None and health.status == 200


# --- nginx ----------------------------------------------------------------------------------------------------


def test_nginx_accepts_the_configuration(tmp_path: Path):
    nginx = need_nginx()
    conf = nginx_conf_for_test(tmp_path)

    tested = subprocess.run([nginx, "-t", "-c", str(conf), "-p", f"{tmp_path}/"], capture_output=True, text=True)

    assert tested.returncode == 0, tested.stderr
    assert "test is successful" in tested.stderr


def test_the_configuration_keeps_what_thousands_of_sockets_need():
    conf = NGINX_CONF.read_text(encoding="utf-8")

    def number(directive: str) -> int:
        match = re.search(rf"^\s*{directive}\s+(\d+);", conf, re.MULTILINE)
        assert match, directive
        return int(match.group(1))

    # Two descriptors per proxied socket (the spectator's, Daphne's): the limit must cover the connections.
    assert number("worker_rlimit_nofile") >= 2 * number("worker_connections") >= 2 * 16000
    assert re.search(r"upstream skating_daphne \{[^}]*\bleast_conn;[^}]*\bzone ", conf) or re.search(
        r"upstream skating_daphne \{[^}]*\bzone [^}]*\bleast_conn;", conf
    )
    assert "ip_hash;" not in conf


@pytest.fixture
def nginx_in_front(
    request: pytest.FixtureRequest, tmp_path: Path, collected_static: Path
) -> Iterator[Callable[[list[int]], tuple[int, int]]]:
    """``nginx_in_front([daphne ports])`` runs nginx with deploy/nginx.conf; returns its (http, https) ports. A
    failing test prints nginx's logs."""
    nginx = need_nginx()
    processes: list[subprocess.Popen[bytes]] = []

    def log() -> str:
        return "".join(
            f"----- nginx {path.name} -----\n{path.read_text(errors='replace')}"
            for path in [tmp_path / "nginx.stderr", tmp_path / "error.log", tmp_path / "access.log"]
            if path.exists()
        )

    def start(backends: list[int]) -> tuple[int, int]:
        (tmp_path / "site").symlink_to(collected_static.parent, target_is_directory=True)
        http_port = free_ports(2)
        https_port = http_port + 1
        conf = nginx_conf_for_test(tmp_path, http_port=http_port, https_port=https_port, backends=backends)
        process = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", f"{tmp_path}/", "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "nginx.stderr").open("wb"),
        )
        processes.append(process)
        wait_for(lambda: http_get(http_port, "/") is not None, "nginx did not answer", log)
        return http_port, https_port

    yield start

    for process in processes:
        process.terminate()
        process.wait(timeout=WAIT_SECONDS)
    if processes and outcome_failed(request):
        print(log())


def https_get(port: int, path: str, *, method: str = "GET", body: str | None = None) -> Answer:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    headers = {"Host": "results.example.org"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        return answer_of(connection)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_static_files_and_balances_sockets_over_the_daphne_processes(production_server, nginx_in_front):
    race = make_race()
    servers = [production_server(), production_server()]
    http_port, https_port = nginx_in_front([port_of(server) for server in servers])

    redirect = http_get(http_port, f"/races/{race.pk}/", {"Host": "results.example.org"})
    assert redirect is not None and redirect.status == 301
    assert redirect.headers["Location"] == f"https://results.example.org/races/{race.pk}/"

    page = https_get(https_port, f"/races/{race.pk}/")
    assert page.status == 200 and "Strict-Transport-Security" in page.headers
    module = script_src(page.body.decode(), "leaderboard")
    script = https_get(https_port, module)
    assert script.status == 200
    assert script.headers["Server"] == "nginx", "static files are nginx's to serve, not Daphne's"
    assert "immutable" in script.headers["Cache-Control"]

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    url = f"wss://127.0.0.1:{https_port}/ws/races/{race.pk}/"

    def log_counts(line: str) -> list[int]:
        return [server.log().count(f'"{line} /ws/races/{race.pk}/"') for server in servers]

    def open_socket(stack: contextlib.ExitStack) -> tuple[ClientConnection, int]:
        """A spectator's socket through nginx, and the index of the Daphne process it reached."""
        before = log_counts("WSCONNECT")
        ws = stack.enter_context(connect(url, ssl=context, open_timeout=WAIT_SECONDS))
        snapshot = json.loads(ws.recv(timeout=WAIT_SECONDS))
        assert (snapshot["type"], snapshot["race"]["id"]) == ("snapshot", race.pk)
        after = log_counts("WSCONNECT")
        [reached] = [index for index, count in enumerate(after) if count > before[index]]
        return ws, reached

    with contextlib.ExitStack() as stack:
        _, first = open_socket(stack)
        second_socket, second = open_socket(stack)
        assert second != first, "one address (all of a venue's Wi-Fi) must not stick to one process"

        second_socket.close()
        wait_for(lambda: log_counts("WSDISCONNECT")[second] == 1, "the socket did not close", servers[second].log)
        time.sleep(0.5)  # nginx counts the connection as closed once both of its sides are
        # least_conn: the next socket goes where the fewest are open. Round robin would take turns (to `first`).
        _, third = open_socket(stack)
        assert third == second


@pytest.mark.django_db(transaction=True)
def test_nginx_turns_away_a_flood_of_password_guesses_before_daphne(production_server, nginx_in_front):
    server = production_server()
    _, https_port = nginx_in_front([port_of(server)])

    guesses = [
        https_get(https_port, "/admin/login/", method="POST", body=f"username=referee&password=guess-{n}").status
        for n in range(30)
    ]

    # 1 at once plus a burst of 5 reach Django (which refuses them: no CSRF token); nginx answers the rest itself.
    assert guesses.count(429) >= 30 - 6 - 1, guesses
    assert 1 <= server.log().count('"POST /admin/login/"') <= 7
    assert https_get(https_port, "/admin/login/").status == 200, "opening the login page is never limited"


# --- systemd --------------------------------------------------------------------------------------------------


def test_the_systemd_unit_verifies(tmp_path: Path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    unit = UNIT.read_text(encoding="utf-8")
    unit = replaced(unit, "/srv/skating/app/.venv/bin/python", sys.executable)
    unit = replaced(unit, "WorkingDirectory=/srv/skating/app", f"WorkingDirectory={REPO}")
    unit = replaced(unit, "/etc/skating/skating.env", str(ENV_EXAMPLE))
    instance = tmp_path / "skating-daphne@8001.service"
    instance.write_text(unit, encoding="utf-8")

    verified = subprocess.run([analyze, "verify", "--man=no", str(instance)], capture_output=True, text=True)

    assert verified.returncode == 0 and verified.stderr.strip() == "", verified.stderr
    assert "ExecStart=" + sys.executable + " manage.py serve --exec --port %i" in unit


def test_a_server_process_collects_garbage_at_the_configured_thresholds():
    """Full collections pause every socket of a process: a server sets the thresholds GC_THRESHOLDS gives."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "skating.settings", "GC_THRESHOLDS": "40000,15,90"}
    printed = subprocess.run(
        [sys.executable, "-c", "import gc, skating.asgi; print(gc.get_threshold())"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.strip() == "(40000, 15, 90)"


@pytest.mark.django_db(transaction=True)
def test_nginx_keeps_the_json_feed_a_second_and_renews_it_after_a_change(production_server, nginx_in_front):
    """deploy/nginx.conf's micro-cache: a second of the public JSON from nginx, then renewed from Daphne (revalidated
    with the ETag); the commentators' private JSON is never kept."""
    import json as json_module
    import time

    race = make_race()
    server = production_server()
    _http_port, https_port = nginx_in_front([port_of(server)])
    path = f"/api/races/{race.pk}/standings"

    first, second = https_get(https_port, path), https_get(https_port, path)
    assert first.status == second.status == 200
    assert first.headers["Cache-Control"] == "public, max-age=1, stale-while-revalidate=1"
    assert (first.headers["X-Cache-Status"], second.headers["X-Cache-Status"]) == ("MISS", "HIT")
    assert server.log().count(f'"GET {path}') == 1  # the second came from nginx

    before = json_module.loads(first.body)["version"]
    enter_heat(race, 1, {11: "38.12", 12: "38.50"})
    deadline = time.monotonic() + 5
    while json_module.loads(https_get(https_port, path).body)["version"] == before:
        assert time.monotonic() < deadline, "nginx kept an old version past its second"
        time.sleep(0.2)

    # After a quiet spell, one request gets the latest: nothing older than two seconds (nginx counts whole seconds:
    # three at most) is ever handed out.
    enter_heat(race, 2, {21: "37.90", 22: "38.01"})
    time.sleep(3.2)
    renewed = https_get(https_port, path)
    latest = json_module.loads(renewed.body)["version"]
    direct = http_get(port_of(server), path, {"Host": "results.example.org", "X-Forwarded-Proto": "https"})
    assert direct is not None and latest == json_module.loads(direct.body)["version"], renewed.headers["X-Cache-Status"]

    commentary = "/api/competitions/1/commentary"  # private: asked twice, Daphne answers twice
    assert [https_get(https_port, commentary).headers.get("X-Cache-Status") for _ in range(2)] != ["MISS", "HIT"]
    assert server.log().count(f'"GET {commentary}') == 2
