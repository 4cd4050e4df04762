"""``make run``: the demo. Sets up a real World Cup race programme and an official, starts Daphne, and replays the
races live one heat every few seconds, from this process (as a timing system would), over and over.

The terminal keeps the addresses and passwords in view: one short line per pair saved (``results.demo.terminal``);
every process's full log (this one, Daphne, the push worker) goes to ``demo.log``, whose path it prints."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from results import selectors, services
from results.demo import setup
from results.demo.terminal import log_to_file, pair_line
from results.demo.timing import heat_results_replay_with_passages
from results.server.daphne import daphne_command

PAUSE_BETWEEN_RACES = 8.0


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _server_stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM, which Daphne and the push worker always handle (a shell that starts the demo in the background makes
    them ignore SIGINT), then SIGKILL if not stopped within 10 s: the demo never leaves a server holding its port."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _logging_env(log: Path) -> dict[str, str]:
    """The servers log everything to the demo's log file, not to the terminal (LOG_LEVEL still overrides)."""
    return {"LOG_LEVEL": "INFO", **os.environ, "LOG_FILE": str(log)}


def _push_worker_start(log: Path) -> subprocess.Popen[bytes]:
    manage = Path(__file__).resolve().parents[3] / "manage.py"
    command = [sys.executable, str(manage), "push_worker"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, env=_logging_env(log))


class Command(BaseCommand):
    help = "Run the demo: Daphne on 127.0.0.1:8000 and real World Cup races replayed live."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--interval", type=float, default=3.0, help="seconds between heats")
        parser.add_argument("--once", action="store_true", help="replay the programme once, then stop")
        parser.add_argument("--no-server", action="store_true", help="only replay (a server is already running)")
        parser.add_argument(
            "--log", type=Path, default=Path(settings.BASE_DIR) / "demo.log", help="the full log (default: demo.log)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # A plain `kill` stops the demo like Ctrl-C does, taking the server down with it.
        signal.signal(signal.SIGTERM, _interrupt)
        log = options["log"].resolve()
        log_to_file(log)
        passwords = setup.officials_with_new_passwords()
        races = setup.demo_competition()
        base = f"http://{options['host']}:{options['port']}"
        server = None if options["no_server"] else self._server_start(options["host"], options["port"], log)
        # The push worker tells the fans following skaters (docs/feed.md), as in a deployment: its own process.
        push_worker = None if options["no_server"] else _push_worker_start(log)
        self.stdout.write(
            self.style.SUCCESS("\nLive results demo\n")
            + f"  Leaderboard      {base}/races/{races[0].race.pk}/   (re-ranks every {options['interval']:g} s)\n"
            + f"  Competition      {base}/competitions/{races[0].race.competition_id}/\n"
            + f"  Feed (JSON)      {base}/api/races/{races[0].race.pk}/standings\n"
            + f"  Embed, overlays  {base}/races/{races[0].race.pk}/embed/?theme=dark   .../overlays/last-heat/"
            + "   .../scoreboard/\n"
            + f"  World Cup        {base}/series/{races[0].race.competition.series_id}/   (standings, live)\n"
            + f"  Commentator      {base}/competitions/{races[0].race.competition_id}/commentator/\n"
            + f"  Officials        {base}/admin/\n"
            + "".join(
                f"    {role:<15}  user {username:<9} password {passwords[username]}\n"
                for username, role in setup.DEMO_USERS.items()
            )
            + "  Each pair's passages (100 m, 200 m, 600 m) come in while it skates: constructed from the finish\n"
            + "  times, which are the official ones (the result lists give no passages).\n"
            + f"  Full log         {log}   (tail -f it; one line per pair below)\n"
            + "  Stop with Ctrl-C.\n"
        )
        try:
            self._replay_forever(races, options["interval"], options["once"])
        except KeyboardInterrupt:
            self.stdout.write("stopping")
        finally:
            for process in (push_worker, server):
                if process:
                    _server_stop(process)

    def _replay_forever(self, races: list[setup.DemoRace], interval: float, once: bool) -> None:
        while True:
            for entry in races:
                if entry.race.heats.filter(recorded_at__isnull=False).exists():
                    services.race_results_clear(race=entry.race)
                pairs = len({row.heat for row in entry.rows if row.heat})
                self.stdout.write(f"{entry.race.title} (race {entry.race.pk}), {pairs} pairs")
                heat_results_replay_with_passages(
                    race=entry.race, rows=entry.rows, interval=interval, after_heat=self._pair_printer(entry.race.pk)
                )
                time.sleep(PAUSE_BETWEEN_RACES if not once else 0)
            if once:
                return

    def _pair_printer(self, race_id: int) -> Callable[[int], None]:
        """Writes a saved pair's line, as the race's board now shows it."""

        def printed(heat: int) -> None:
            snapshot = selectors.race_snapshot_current(race_id)
            if snapshot is not None:
                self.stdout.write(pair_line(json.loads(snapshot.payload), heat))

        return printed

    def _server_start(self, host: str, port: int, log: Path) -> subprocess.Popen[bytes]:
        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                raise CommandError(f"Port {port} is taken: stop what runs there, or use --port.")
        # No access log; the rest into the demo's log file, so the URLs and passwords printed above stay in view.
        server = subprocess.Popen(daphne_command(bind=host, port=port, verbosity=0), env=_logging_env(log))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex((host, port)) == 0:
                    return server
            if server.poll() is not None:
                raise CommandError("Daphne did not start; see its messages above.")
            time.sleep(0.2)
        server.terminate()
        raise CommandError(f"Daphne did not answer on {host}:{port} within 20 s.")
