"""One line per log event, ``key=value`` (logfmt), so journald, ``grep`` and log shippers never split a traceback
from the event it belongs to:

    time=2026-11-24T08:19:22.980Z level=WARNING logger=results.live.audience pid=4711 msg="channel layer unavailable" exc="Traceback (most recent call last):\\n ..."
"""  # noqa: E501

from __future__ import annotations

import json
import logging
import time


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        moment = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        fields = [
            f"time={moment}.{int(record.msecs):03d}Z",
            f"level={record.levelname}",
            f"logger={record.name}",
            f"pid={record.process}",
            f"msg={quoted(record.getMessage())}",
        ]
        if record.exc_info:
            fields.append(f"exc={quoted(self.formatException(record.exc_info))}")
        elif record.exc_text:
            fields.append(f"exc={quoted(record.exc_text)}")
        if record.stack_info:
            fields.append(f"stack={quoted(self.formatStack(record.stack_info))}")
        return " ".join(fields)


def quoted(text: str) -> str:
    """JSON string quoting: newlines become ``\\n``, so an event stays on its line whatever its text holds."""
    return json.dumps(text, ensure_ascii=False)
