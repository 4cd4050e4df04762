"""Whole numbers typed by people and sent by machines: ASCII digits only (``str.isdigit`` also takes ``²`` and
``٣``, which ``int`` refuses or reads otherwise), and never more than the database's 32-bit columns hold. Every
input surface reads numbers through here: socket query strings, URLs, forms, files."""

from __future__ import annotations

# PostgreSQL's integer: every id, bib, version and time in thousandths is stored in one.
LARGEST_STORED = 2_147_483_647
# An id in a URL: up to nine digits, so that it always fits (URL converters match on this).
ID_PATTERN = "[0-9]{1,9}"
# Far above any real draw, far below what a column holds: a bib has at most five digits, a pair number three.
LARGEST_BIB = 99_999
LARGEST_HEAT = 999


def whole_number(text: str, *, largest: int = LARGEST_STORED) -> int | None:
    """``"12"`` -> 12; ``None`` for anything but ASCII digits, or a number above ``largest``."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(largest)):
        return None
    number = int(text)
    return number if number <= largest else None


class IdConverter:
    """``<id:race_id>`` in a URL: the ids this system hands out, up to nine digits (a longer one is not found)."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
