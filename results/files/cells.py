"""Cells of the CSV files this system writes and reads, safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or a carriage return)
as a formula: a skater named ``=HYPERLINK(...)`` in an export would be a link an official clicks. Such a cell is
written with an apostrophe in front, which spreadsheets show as text; reading it back takes the apostrophe off, so
an export read again (``replay``, an import) gives exactly what was written. Leading apostrophes of the value itself
are kept: one more is added, and one taken off.
"""

from __future__ import annotations

import re

# A value that spreadsheets would run: after any apostrophes of its own, one of these characters.
_RUNNABLE = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def cell_written(value: str) -> str:
    """``=1+1`` -> ``'=1+1``; anything a spreadsheet shows as it is stays as it is."""
    return f"'{value}" if _RUNNABLE.match(value) else value


def cell_read(value: str) -> str:
    """The value ``cell_written`` wrote: ``'=1+1`` -> ``=1+1``; ``'t Hart`` stays ``'t Hart``."""
    return value[1:] if _NEUTRALISED.match(value) else value
