"""The feed's JSON Schema (results/web/schema/feed-v1.schema.json), to validate what the feed sends."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from results.web.api import SCHEMA

VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))


def assert_valid(message: Any) -> None:
    errors = sorted(VALIDATOR.iter_errors(message), key=lambda e: e.path)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
