"""``manage.py serve``: Daphne for production, one process per core on consecutive ports behind nginx.

    python manage.py serve --workers 4 --port 8001   # 127.0.0.1:8001..8004, each restarted if it dies
    python manage.py serve --port 8001 --exec        # becomes that one Daphne (deploy/skating-daphne@.service)

The command line comes from results/server/daphne.py; docs/deploy.md has the setup around it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from results.server.daphne import LISTEN_BACKLOG, Supervisor, Worker, daphne_command, listen_queue_limit

EXEC_ONE_WORKER = "--exec replaces this process with one Daphne: leave out --workers, or use 1."


class Command(BaseCommand):
    help = "Serve the site with N Daphne processes on consecutive ports (one per core, behind nginx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=1, help="Daphne processes (one per core)")
        parser.add_argument("--port", type=int, default=8001, help="port of the first; the next ones follow")
        parser.add_argument("--bind", default="127.0.0.1", help="keep it local: nginx is the only client")
        parser.add_argument("--backlog", type=int, default=LISTEN_BACKLOG, help="listen queue of each process")
        parser.add_argument(
            "--proxy-headers",
            action=argparse.BooleanOptionalAction,
            default=settings.BEHIND_PROXY,
            help="trust X-Forwarded-For/-Proto from nginx (default: BEHIND_PROXY, on when DEBUG is off)",
        )
        parser.add_argument(
            "--access-log",
            default=os.devnull,
            help="Daphne's access log: a path, or - for stdout (default: none; nginx logs every request)",
        )
        parser.add_argument(
            "--exec", action="store_true", help="become the Daphne process (for a process manager such as systemd)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers: int = options["workers"]
        if workers < 1:
            raise CommandError("--workers must be 1 or more.")
        if options["exec"] and workers != 1:
            raise CommandError(EXEC_ONE_WORKER)
        processes = [
            Worker(
                name=f"daphne {options['bind']}:{port}",
                address=(options["bind"], port),
                command=daphne_command(
                    bind=options["bind"],
                    port=port,
                    backlog=options["backlog"],
                    proxy_headers=options["proxy_headers"],
                    access_log=options["access_log"],
                ),
            )
            for port in range(options["port"], options["port"] + workers)
        ]
        limit = listen_queue_limit()
        if limit is not None and limit < options["backlog"]:
            logging.getLogger("results.server.daphne").warning(
                "net.core.somaxconn is %s: each listen queue holds %s connections, not %s (docs/deploy.md)",
                limit,
                limit,
                options["backlog"],
            )
        if options["exec"]:
            sys.stdout.flush()
            sys.stderr.flush()
            command = processes[0].command
            os.execv(command[0], command)
        logging.getLogger("results.server.daphne").info(
            "serving on %s:%s-%s", options["bind"], options["port"], options["port"] + workers - 1
        )
        sys.exit(Supervisor(processes).run())
