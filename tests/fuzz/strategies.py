"""What strangers and clumsy officials type, send and upload, as hypothesis strategies shared by the fuzz tests.

Each strategy mixes values that are right, nearly right and wrong: right ones take an example deep into the code
(a service, a save), wrong ones test each refusal on the way.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

from hypothesis import strategies as st

T = TypeVar("T")


def words(text: str) -> list[str]:
    return text.split()


# Text a person can type or paste, and a machine send: any character but lone surrogates (which no UTF-8 request
# can carry).
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])
# Characters that trip readers: NUL, controls, a byte order mark, right-to-left marks, non-ASCII digits,
# superscripts, full-width and mathematical digits, combining marks, emoji, quotes and separators.
ODD_CHARACTERS = st.sampled_from(
    list("\x00\x01\x7f\t\r\n\x0b\x0c\x1c\x85\u2028\ufeff\u202e\u200b\u00a0٣²①１𝟙\u0301😀\U0010ffff\ufffd")
    + list("\"';,|%&=+-@\\/<>{}[]")
)
SHORT_TEXT = st.text(st.one_of(ANY_CHARACTER, ODD_CHARACTERS), max_size=20)
# Numbers as text: whole, negative, huge, with decimals or exponents, padded, in other scripts.
NUMBERISH = st.one_of(
    st.integers(min_value=-(10**3), max_value=10**3).map(str),
    st.integers().map(str),
    st.sampled_from(words("0 00 007 -0 +1 1.0 1e3 1E999 0x10 1_000 NaN inf -inf 2147483647 2147483648 4294967296")),
    st.sampled_from([" 1", "1 ", "9" * 30, "-" + "9" * 30, "٣", "²", "１", "𝟙", "1\x00"]),
)
# Times as officials write them, and as they mistype them.
TIME_TEXT = st.one_of(
    st.sampled_from(
        words(
            "36.09 37.112 1:12.31 1.12,31 1.12.31 72.31 1:12.315 38,50 0.00 0.001 1:75.00 99:59.99 59:59.999 -1.00 "
            "16.3 1: :12.31 1::12 .. 1:12.3456 DNF DQ OK 99999999999.99"
        )
    ),
    st.builds(
        "{}:{:02d}.{:02d}".format,
        st.integers(min_value=0, max_value=200),
        st.integers(min_value=0, max_value=99),
        st.integers(min_value=0, max_value=99),
    ),
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False).map(str),
)
TEXT = st.one_of(SHORT_TEXT, NUMBERISH, TIME_TEXT, st.text(ANY_CHARACTER, min_size=200, max_size=3000))


def mostly(right: st.SearchStrategy[T], *wrong: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """``right`` three times out of four, else one of ``wrong``: most examples get past the first check."""
    if not wrong:
        return right
    return st.integers(min_value=0, max_value=3).flatmap(lambda n: st.one_of(*wrong) if n == 3 else right)


def texts_or(*right: str) -> st.SearchStrategy[str]:
    """The values a field expects (``right``), or any text."""
    return st.one_of(st.sampled_from(right), TEXT) if right else TEXT


# --- JSON ---------------------------------------------------------------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-5, max_value=10_001),
    st.sampled_from([10**30, -(10**30), 2**31, 2**63, 1e308, -0.0, 0.5]),
    st.floats(),  # NaN and infinities too: Python's json writes and reads them
    TEXT,
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(SHORT_TEXT, children, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated(draw: st.DrawFn, right: st.SearchStrategy[dict[str, Any]], value: st.SearchStrategy[Any]) -> dict[str, Any]:
    """A right object with up to three mistakes: a field taken out, a field with any ``value``, a field added."""
    body = dict(draw(right))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        mistake = draw(st.sampled_from(["remove", "replace", "add"]))
        if mistake == "add" or not body:
            body[draw(SHORT_TEXT)] = draw(value)
            continue
        name = draw(st.sampled_from(sorted(body)))
        if mistake == "remove":
            del body[name]
        else:
            body[name] = draw(value)
    return body


def json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- URLs ---------------------------------------------------------------------------------------------------------

PERCENT_GARBAGE = st.sampled_from([b"%", b"%%", b"%z", b"%zz", b"%0", b"%00", b"%e9", b"%ff", b"%c3%28", b"%ED%A0%80"])


def _as_bytes(text: str, encode: bool) -> bytes:
    return quote(text, safe="").encode("ascii") if encode else text.encode("utf-8")


def url_pieces(right: Sequence[str] = ()) -> st.SearchStrategy[bytes]:
    """One key or value of a query string as bytes on the wire: mostly ``right`` (percent-encoded) if given, else
    any text (percent-encoded or raw UTF-8), percent signs that encode nothing, bytes that are not UTF-8, a very
    long value, or a mix."""
    wrong = st.one_of(
        st.builds(_as_bytes, TEXT, st.booleans()),
        PERCENT_GARBAGE,
        st.binary(max_size=12),
        st.integers(min_value=1_000, max_value=20_000).map(lambda n: b"x" * n),
        st.lists(st.one_of(st.builds(_as_bytes, TEXT, st.booleans()), PERCENT_GARBAGE), max_size=4).map(b"".join),
    )
    return mostly(st.sampled_from(right).map(lambda value: _as_bytes(value, True)), wrong) if right else wrong


def query_strings(options: Mapping[str, Sequence[str]]) -> st.SearchStrategy[str]:
    """A raw query string (bytes read as Latin-1, as a server hands it on): a few of the options a page takes, most
    with right values, and unknown keys, a key repeated or without ``=``, stray separators."""
    key = mostly(st.sampled_from(sorted(options)).map(str.encode), url_pieces()) if options else url_pieces()

    @st.composite
    def pairs(draw: st.DrawFn) -> bytes:
        name = draw(key)
        value = draw(url_pieces(options.get(name.decode("latin-1"), ())))
        return draw(mostly(st.just(name + b"=" + value), st.sampled_from([name, name + b"=", b"=" + value, value])))

    separators = mostly(st.just(b"&"), st.sampled_from([b"&&", b";", b"&amp;"]))
    count = mostly(st.integers(min_value=0, max_value=3), st.integers(min_value=4, max_value=12))
    return st.builds(
        lambda parts, separator: separator.join(parts).decode("latin-1"),
        count.flatmap(lambda n: st.lists(pairs(), min_size=n, max_size=n)),
        separators,
    )


def path_segments(ids: Sequence[int]) -> st.SearchStrategy[str]:
    """What may stand where a URL has an id: mostly ``ids`` that exist, else ids that do not (zero, huge, padded),
    any text with its slashes and question marks, percent-encoded or not, percent signs that encode nothing."""
    return mostly(
        st.sampled_from([str(i) for i in ids] or ["1"]),
        NUMBERISH,
        st.sampled_from(["0", "999999999", "1000000000", "2147483648", "0001", "1.0", "-1", "..", ".", ""]),
        SHORT_TEXT.map(lambda text: quote(text, safe="")),
        SHORT_TEXT,
        PERCENT_GARBAGE.map(lambda garbage: garbage.decode("ascii")),
    )


# --- files --------------------------------------------------------------------------------------------------------

ANY_CELL = st.one_of(TEXT, st.text(st.one_of(ANY_CHARACTER, ODD_CHARACTERS), max_size=8))
Line = dict[str, str]


def _spelled(name: str) -> st.SearchStrategy[str]:
    """A column's name as spreadsheets and people write it."""
    return st.sampled_from([name, name.upper(), f" {name.title()} ", name.replace("_", "-"), name.replace("_", " ")])


@st.composite
def csv_files(
    draw: st.DrawFn,
    columns: Sequence[str],
    lines: st.SearchStrategy[list[Line]],
    optional: Sequence[str] = (),
) -> bytes:
    """A CSV file as uploaded: the header (``columns`` in any order, any case, ``optional`` ones maybe left out) and
    the ``lines`` of a right file (each a value by column), then up to four mistakes in it: a column dropped or a
    stray one added, any cell anywhere, a line cut short or too long. Written with any delimiter (quoted as csv
    does, or not at all), line ending and encoding, with or without a byte order mark. Now and then any bytes."""
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        return draw(st.binary(max_size=300))
    names = [name for name in draw(st.permutations(columns)) if name not in optional or draw(st.booleans())]
    rows = [[line.get(name, "") for name in names] for line in draw(lines)]
    header = [draw(_spelled(name)) for name in names]
    for _ in range(draw(st.one_of(st.just(0), st.integers(min_value=1, max_value=4)))):
        mistake = draw(st.sampled_from(["column dropped", "column added", "cell", "cell", "line cut", "line longer"]))
        if mistake == "column dropped" and header:
            del header[draw(st.integers(min_value=0, max_value=len(header) - 1))]
        elif mistake == "column added":
            header.insert(draw(st.integers(min_value=0, max_value=len(header))), draw(SHORT_TEXT))
        elif rows:
            row = draw(st.sampled_from(rows))
            if mistake == "line cut":
                del row[draw(st.integers(min_value=0, max_value=len(row))) :]
            elif mistake == "line longer":
                row.append(draw(ANY_CELL))
            elif row:
                row[draw(st.integers(min_value=0, max_value=len(row) - 1))] = draw(ANY_CELL)
    delimiter = draw(mostly(st.sampled_from([",", ";"]), st.sampled_from(["\t", "|", " ", ":"])))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator=ending).writerows([header, *rows])
        text = out.getvalue()
    else:
        text = ending.join(delimiter.join(row) for row in [header, *rows])
    bom = draw(st.sampled_from(["", "\ufeff", "\ufeff\ufeff"]))
    encoding = draw(mostly(st.just("utf-8"), st.sampled_from(["utf-16", "latin-1", "cp1252"])))
    return (bom + text).encode(encoding, errors="replace")
