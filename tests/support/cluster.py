"""The services of a cluster test's hosts (tests/support/netns.py): PostgreSQL and Redis on the data host, started
from Debian's binaries in a temporary folder; ``manage.py serve`` on the app hosts; nginx on the edge."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.support.netns import Host
from tests.support.paths import REPO

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
POSTGRES_PORT, REDIS_PORT = 5432, 6379  # on the data host's own address: nothing else listens there
DATABASE = "skating"


def why_services_missing() -> str | None:
    """None if PostgreSQL's and Redis's binaries are there, else what to install."""
    if not (POSTGRES_BIN / "initdb").exists():
        return f"no {POSTGRES_BIN}/initdb (Debian: apt-get install postgresql-15)"
    if not Path(REDIS_SERVER).exists():
        return "no redis-server (Debian: apt-get install redis-server)"
    return None


def wait_for_port(address: str, port: int, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((address, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{what} does not answer on {address}:{port} after {seconds:.0f} s")


class DataHost:
    """PostgreSQL (trust authentication, as the user ``postgres``: initdb refuses root) and Redis (nothing kept on
    disk) on ``host``'s address, their files in a temporary folder removed by ``remove``."""

    def __init__(self, host: Host, logs: Path) -> None:
        self.host, self.logs = host, logs
        self.folder = Path(tempfile.mkdtemp(prefix="skating-cluster-data-"))
        self.redis: subprocess.Popen[bytes] | None = None

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@{self.host.address}:{POSTGRES_PORT}/{DATABASE}"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.host.address}:{REDIS_PORT}/0"

    def start_postgres(self) -> None:
        data = self.folder / "postgres"
        data.mkdir()
        shutil.chown(self.folder, "postgres")
        shutil.chown(data, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
        subprocess.run(
            [*as_postgres, str(POSTGRES_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        # Every host of the test network (the root namespace's bridge too: the test runs migrate from there).
        with (data / "pg_hba.conf").open("a", encoding="utf-8") as hba:
            hba.write(f"host all all {self.host.address.rsplit('.', 1)[0]}.0/24 trust\n")
        settings = {
            "listen_addresses": self.host.address,
            "port": str(POSTGRES_PORT),
            "unix_socket_directories": str(data),
            "fsync": "off",  # a test's database: nothing to keep after a power cut
            "max_connections": "200",
        }
        options = [item for key, value in settings.items() for item in ("-c", f"{key}={value}")]
        self._start([*as_postgres, str(POSTGRES_BIN / "postgres"), "-D", str(data), *options], "postgres.log")
        wait_for_port(self.host.address, POSTGRES_PORT, "PostgreSQL")
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(self.database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
                    db.execute(f'CREATE DATABASE "{DATABASE}"')
                return
            except psycopg.OperationalError:  # still starting up
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def start_redis(self) -> None:
        argv = [REDIS_SERVER, "--bind", self.host.address, "--port", str(REDIS_PORT), "--save", "", "--appendonly"]
        argv += ["no", "--dir", str(self.folder), "--protected-mode", "no"]
        self.redis = self._start(argv, "redis.log")
        wait_for_port(self.host.address, REDIS_PORT, "Redis")

    def restart_redis(self) -> float:
        """Kill Redis (SIGKILL: every subscription gone, nothing said) and start it again; returns the seconds it
        was away."""
        assert self.redis is not None
        killed = time.monotonic()
        self.redis.kill()
        self.redis.wait()
        self.start_redis()
        return time.monotonic() - killed

    def _start(self, argv: list[str], log_name: str) -> subprocess.Popen[bytes]:
        return self.host.start(argv, log=(self.logs / log_name).open("ab"), env=dict(os.environ), cwd=self.folder)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def app_env(*, database_url: str, redis_url: str, allowed_host: str) -> dict[str, str]:
    """A deployment's environment (DEBUG off) for the app hosts' processes and the test's own Django commands."""
    import secrets

    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="skating.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        ALLOWED_HOSTS=allowed_host,
        BEHIND_PROXY="1",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def python(*args: str, env: dict[str, str]) -> str:
    """Run this Python with ``args`` from the checkout; its output, or an error that shows it."""
    done = subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def manage(*args: str, env: dict[str, str]) -> str:
    return python("manage.py", *args, env=env)


def make_race(env: dict[str, str]) -> dict[str, Any]:
    """The race, its token and its timing posts (tests/support/cluster_race.py), in the cluster's database."""
    return dict(json.loads(python("-m", "tests.support.cluster_race", env=env).strip().splitlines()[-1]))
