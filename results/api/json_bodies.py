"""A client's JSON body, read once and refused cleanly: too large, not JSON, nested too deeply."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest


class BodyTooLarge(Exception):
    pass


class BodyNotJson(Exception):
    """``str(error)`` says why, for the client."""


def json_body(request: HttpRequest, *, max_bytes: int | None = None) -> Any:
    """The parsed body; ``BodyTooLarge`` past ``max_bytes`` (or Django's upload limit), ``BodyNotJson``."""
    declared = request.headers.get("Content-Length", "")
    if max_bytes is not None and declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        raise BodyTooLarge
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BodyTooLarge from None
    if max_bytes is not None and len(raw) > max_bytes:
        raise BodyTooLarge
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise BodyNotJson(str(error)) from None
    except RecursionError:
        raise BodyNotJson("nested too deeply") from None
