"""How this project runs Daphne: the one function that builds its command line, and a small supervisor for several
processes on one machine (``manage.py serve``).

Every place that starts Daphne (``serve``, the demo, the tests' servers, the benchmarks) takes its command from
``daphne_command``, so what a deployment runs is what the tests run. docs/deploy.md explains the numbers.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import FrameType

logger = logging.getLogger(__name__)

ASGI_APPLICATION = "skating.asgi:application"
# Daphne (Twisted) listens with a backlog of 50: a stadium's Wi-Fi coming back sends thousands of reconnects within
# a second, and what does not fit in the queue is refused (SYN dropped, a retry a second or more later). The kernel
# caps it at net.core.somaxconn (4096 since Linux 5.4).
LISTEN_BACKLOG = 4096
# Spectators send nothing (MAX_CLIENT_MESSAGE_BYTES in settings closes a socket that does, at 1 KB); Daphne's
# default of 1 MB per message and per frame would let every socket make the server buffer a megabyte first.
WEBSOCKET_MAX_BYTES = 4096
# A ping every 20 s, and a socket whose client does not answer within 30 s more is closed: a phone that left the
# venue stops costing memory within a minute instead of when TCP gives up (15 minutes or more).
PING_INTERVAL_SECONDS = 20
PING_TIMEOUT_SECONDS = 30
# How long a connection may take from Daphne's accept to the end of its websocket handshake. Daphne's own default
# is 5 s, counted from when Daphne took the connection off the listen queue: a crowd opening a board at once
# (5,000 phones within a few seconds) keeps the process busy for longer than that, and the handshakes still
# queued in it were refused (HTTP 403) although their browsers were still waiting (Firefox gives up after 20 s).
# A handshake that waits costs a few KB; a refused one comes back after a backoff, and costs its handshake again.
HANDSHAKE_TIMEOUT_SECONDS = 30
# How long a consumer has to finish after its client went away before Daphne cancels it.
APPLICATION_CLOSE_TIMEOUT_SECONDS = 10

# A worker that keeps dying is restarted after 1, 2, 4 ... at most 30 seconds; one that ran this long is healthy.
RESTART_DELAY_SECONDS = 1.0
RESTART_DELAY_MAX_SECONDS = 30.0
HEALTHY_AFTER_SECONDS = 10.0
STOP_SECONDS = 15.0


def listen_queue_limit(path: str = "/proc/sys/net/core/somaxconn") -> int | None:
    """The kernel's cap on any listen queue (``net.core.somaxconn``), or None where it cannot be read."""
    try:
        with open(path, encoding="ascii") as limit:
            return int(limit.read().strip())
    except (OSError, ValueError):
        return None


def daphne_command(
    *,
    bind: str = "127.0.0.1",
    port: int | None = None,
    fd: int | None = None,
    backlog: int = LISTEN_BACKLOG,
    proxy_headers: bool = False,
    verbosity: int = 1,
    access_log: str | None = None,
    max_message_bytes: int = WEBSOCKET_MAX_BYTES,
    ping_interval: int = PING_INTERVAL_SECONDS,
    ping_timeout: int = PING_TIMEOUT_SECONDS,
    application_close_timeout: int = APPLICATION_CLOSE_TIMEOUT_SECONDS,
    handshake_timeout: int = HANDSHAKE_TIMEOUT_SECONDS,
    python: str = sys.executable,
    application: str = ASGI_APPLICATION,
) -> list[str]:
    """The argv that runs Daphne on ``bind:port`` (listening with ``backlog``), or on the already listening socket
    ``fd`` (its owner chose the backlog when it called ``listen``; ``bind`` and ``backlog`` do not apply).

    ``proxy_headers``: take the client's address and scheme from nginx's X-Forwarded-For/-Proto/-Port; only for a
    Daphne that nothing but the proxy can reach. ``access_log``: a path, or ``-`` for stdout; ``None`` keeps
    Daphne's default (stdout from verbosity 1).
    """
    if (port is None) == (fd is None):
        raise ValueError("give either port or fd")
    command = [python, "-m", "daphne"]
    if fd is not None:
        command += ["--fd", str(fd)]
    else:
        # Twisted's endpoint syntax is the only way to pass a backlog; colons in an IPv6 address are escaped.
        interface = bind.strip("[]").replace(":", r"\:")
        command += ["-e", f"tcp:port={port}:interface={interface}:backlog={backlog}"]
    command += [
        "--websocket-max-message-size",
        str(max_message_bytes),
        "--websocket-max-frame-size",
        str(max_message_bytes),
        "--ping-interval",
        str(ping_interval),
        "--ping-timeout",
        str(ping_timeout),
        "--application-close-timeout",
        str(application_close_timeout),
        # Daphne gives this one value to both its own check and autobahn's opening handshake timeout.
        "--websocket_connect_timeout",
        str(handshake_timeout),
        "-v",
        str(verbosity),
    ]
    if access_log is not None:
        command += ["--access-log", access_log]
    if proxy_headers:
        command.append("--proxy-headers")
    command.append(application)
    return command


@dataclass
class Worker:
    """One Daphne process the supervisor keeps running."""

    name: str
    command: list[str]
    address: tuple[str, int] | None = None
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    restart_at: float | None = None
    delay: float = RESTART_DELAY_SECONDS

    def start(self, env: Mapping[str, str]) -> None:
        # A process group of its own: Ctrl-C in a terminal reaches the supervisor only, which then stops each
        # worker once (Twisted logs an error when it is asked to stop twice).
        self.process = subprocess.Popen(self.command, env=dict(env), process_group=0)
        self.started = time.monotonic()
        self.restart_at = None
        logger.info("started %s (pid %s)", self.name, self.process.pid)

    def wait_listening(self, *, timeout: float) -> bool:
        """Whether the worker accepts connections on its address within ``timeout`` seconds."""
        if self.address is None:
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.running():
            try:
                socket.create_connection(self.address, timeout=1).close()
                return True
            except OSError:
                time.sleep(0.1)
        return False

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        if self.running():
            assert self.process is not None
            self.process.send_signal(signum)

    def wait_stopped(self) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            logger.warning("%s did not stop within %.0f s; killing it", self.name, STOP_SECONDS)
            self.process.kill()
            self.process.wait()


@dataclass
class Supervisor:
    """Runs the workers (one Daphne each) until SIGTERM or SIGINT, which it forwards to every worker.

    A worker that exits on its own is started again, after a delay that grows while it keeps failing. SIGHUP
    restarts the workers one at a time, to load new code without closing every socket at once: while one
    restarts, nginx sends new sockets to the others, and its spectators reconnect there with ``?since=``.
    """

    workers: list[Worker]
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    poll_seconds: float = 0.2
    stopping: int | None = field(init=False, default=None)
    reload_requested: bool = field(init=False, default=False)

    def run(self) -> int:
        previous = {
            signum: signal.signal(signum, self._on_signal) for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        }
        try:
            for worker in self.workers:
                worker.start(self.env)
            while self.stopping is None:
                if self.reload_requested:
                    self.reload_requested = False
                    self._rolling_restart()
                self._restart_exited()
                time.sleep(self.poll_seconds)
            self._stop(self.stopping)
            return 0
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self._stop(signal.SIGTERM)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if signum == signal.SIGHUP:
            self.reload_requested = True
        else:
            self.stopping = signum

    def _restart_exited(self) -> None:
        now = time.monotonic()
        for worker in self.workers:
            if worker.running() or worker.process is None:
                continue
            if worker.restart_at is None:
                ran = now - worker.started
                if ran >= HEALTHY_AFTER_SECONDS:
                    worker.delay = RESTART_DELAY_SECONDS
                worker.restart_at = now + worker.delay
                logger.warning(
                    "%s exited with %s after %.0f s; starting it again in %.0f s",
                    worker.name,
                    worker.process.returncode,
                    ran,
                    worker.delay,
                )
                worker.delay = min(worker.delay * 2, RESTART_DELAY_MAX_SECONDS)
            elif now >= worker.restart_at:
                worker.start(self.env)

    def _rolling_restart(self) -> None:
        for worker in self.workers:
            if self.stopping is not None:
                return
            logger.info("restarting %s", worker.name)
            worker.signal(signal.SIGTERM)
            worker.wait_stopped()
            worker.start(self.env)
            worker.delay = RESTART_DELAY_SECONDS
            # The next one stops only once this one takes connections again.
            worker.wait_listening(timeout=STOP_SECONDS)

    def _stop(self, signum: int) -> None:
        """All at once: each worker closes its sockets while the others do."""
        for worker in self.workers:
            worker.signal(signum)
        for worker in self.workers:
            worker.wait_stopped()
