"""The JSON Schemas of what the public API sends, to validate it: the feed's (results/web/schema/feed-v1.schema.json)
and the vision mixers' data source rows (rows-v1.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from results.web.api import SCHEMA
from results.web.data_source import SCHEMA as ROWS_SCHEMA


def validator(path: Path) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(path.read_text()))


VALIDATOR = validator(SCHEMA)
ROWS_VALIDATOR = validator(ROWS_SCHEMA)


def assert_valid(message: Any, against: jsonschema.Draft202012Validator = VALIDATOR) -> None:
    errors = sorted(against.iter_errors(message), key=lambda e: e.path)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def assert_rows_valid(rows: Any) -> None:
    assert_valid(rows, ROWS_VALIDATOR)
