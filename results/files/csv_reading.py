"""How every CSV file officials upload is opened (a start list, bests, a programme): the header line says the
separator, column names are compared without case and spacing, and a line may end in \\n, \\r\\n or a lone \\r."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any, TextIO, TypeVar

_Row = TypeVar("_Row")
ERROR_LINE = "Line {line}: {message}"


def delimiter_of(header: str) -> str:
    """``;`` or ``,``: csv.Sniffer guesses from the whole sample and is thrown by commas inside names; the header
    line alone is unambiguous, since no column name holds a separator."""
    return ";" if header.count(";") > header.count(",") else ","


def column_name(name: str) -> str:
    """``External ID`` -> ``external_id``."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def csv_opened(text: str) -> tuple[Any, list[str] | None]:
    """A reader positioned after the header (``reader.line_num`` is each line's number in the file), and the
    header's column names; ``None`` for a file with no header."""
    text = text.removeprefix("\ufeff")
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    # newline="": a line ends in \n, \r\n or a lone \r (Excel's "CSV (Macintosh)"), which csv refuses otherwise.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(header_line))
    header = next((cells for cells in reader if any(cell.strip() for cell in cells)), None)
    return reader, None if header is None else [column_name(cell) for cell in header]


class FileInvalid(ValueError):
    """Every problem found in a file, one message per problem, each naming its line where it has one."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


def named_lines_read(
    stream: TextIO,
    *,
    columns: Sequence[str],
    row: Callable[[int, dict[str, str]], _Row],
    invalid: type[FileInvalid],
    error_columns: str,
    clean: Callable[[str], str] = lambda value: value,
    refused: tuple[type[Exception], ...] = (ValueError,),
) -> list[_Row]:
    """Each line of a comma separated file with a header naming ``columns`` (more are ignored), read by ``row(line,
    cells)`` (cells stripped, then ``clean``ed); raises ``invalid`` with ``error_columns`` (``{columns}``,
    ``{missing}``) for a missing column, else with one message per line ``row`` refused, so nothing is half-read."""
    reader = csv.DictReader(stream)
    missing = [column for column in columns if column not in (reader.fieldnames or [])]
    if missing:
        raise invalid([error_columns.format(columns=",".join(columns), missing=", ".join(missing))])
    rows: list[_Row] = []
    errors: list[str] = []
    for line, fields in enumerate(reader, start=2):
        cells = {key: clean((value or "").strip()) for key, value in fields.items() if key}
        try:
            rows.append(row(line, cells))
        except refused as error:
            errors.append(ERROR_LINE.format(line=line, message=error))
    if errors:
        raise invalid(errors)
    return rows
