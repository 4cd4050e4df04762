"""Reference (the floor): a bare ``websockets`` server that holds the sockets in a set and, when told to
(``GET /broadcast?version=N``), stamps the snapshot text and hands it to ``websockets.broadcast()``.

No Django, no database, no channel layer: what one Python process on asyncio can do at best. It sends the same
texts as the server under test did (the race's real snapshots, a JSON list in ``--template``, with the version
and ``updated_at`` filled in at the moment of the broadcast), and a new socket gets the current text first, as a
spectator does.

    python bench/reference_bare.py --port 8001 --template /tmp/snapshot-templates.json

Started by bench/fanout.py; not meant to be run by hand except to try it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

VERSION_MARK = "@@VERSION@@"
UPDATED_AT_MARK = "@@UPDATED_AT@@"


def stamped(templates: list[str], version: int) -> str:
    """Version ``version`` (1, 2, ...; 0 on connect) of the texts the server under test sent, with its version
    and ``updated_at`` (now, as results.selectors.documents.timestamp writes it)."""
    template = templates[max(0, version - 1) % len(templates)]
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return template.replace(VERSION_MARK, str(version)).replace(UPDATED_AT_MARK, now)


async def serve(port: int, templates: list[str], backlog: int) -> None:
    from websockets.asyncio.server import ServerConnection, broadcast
    from websockets.asyncio.server import serve as websockets_serve
    from websockets.http11 import Request, Response

    connections: set[ServerConnection] = set()
    current = [stamped(templates, 0)]

    async def handler(connection: ServerConnection) -> None:
        connections.add(connection)
        try:
            await connection.send(current[0])
            await connection.wait_closed()
        finally:
            connections.discard(connection)

    def process_request(connection: ServerConnection, request: Request) -> Response | None:
        path = urlsplit(request.path)
        if path.path == "/broadcast":
            current[0] = stamped(templates, int(parse_qs(path.query)["version"][0]))
            broadcast(connections, current[0])
            return connection.respond(HTTPStatus.OK, f"{len(connections)}\n")
        if not path.path.startswith("/ws/"):
            return connection.respond(HTTPStatus.NOT_FOUND, "not found\n")
        return None

    # No compression: Daphne (autobahn) does not negotiate it either.
    async with websockets_serve(
        handler, "127.0.0.1", port, backlog=backlog, compression=None, process_request=process_request
    ) as server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--template", type=Path, required=True)
    parser.add_argument("--backlog", type=int, default=4096)
    args = parser.parse_args()
    asyncio.run(serve(args.port, json.loads(args.template.read_text(encoding="utf-8")), args.backlog))


if __name__ == "__main__":
    main()
