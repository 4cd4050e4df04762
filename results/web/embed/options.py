"""The query-string options of the broadcasters' pages (docs/broadcasters.md): the embed, the overlays and the
venue scoreboard. Pure: no Django, no I/O, so every rule and message is tested directly.

``options_parse(query, page=EMBED)`` takes the query as a mapping of each name to its values (Django's
``request.GET.lists()``) and returns either the options or the list of everything wrong with them: a broadcaster
fixes a URL once, not once per mistake. Options a page does not take are refused rather than ignored, so a typo
(``row=10``) cannot pass unnoticed on air.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from results.rules.numbers import whole_number
from results.web.embed.labels import DEFAULT_LANGUAGE, LANGUAGES

THEMES: Final = ("light", "dark", "transparent", "chroma")
# The data source's kinds of row (results.selectors.data_source.KINDS, which a test keeps equal).
KINDS: Final = ("standing", "on_ice", "last_pair")
FIELDS: Final = ("rank", "name", "nation", "heat", "lane", "time", "behind", "points", "records")
DEFAULT_FIELDS: Final = ("rank", "name", "nation", "time", "behind", "points", "records")
ROWS_MIN, ROWS_MAX = 1, 50
SCALE_MIN, SCALE_MAX = 0.5, 4.0
HOLD_MIN, HOLD_MAX = 3, 60
DEFAULT_HOLD_SECONDS: Final = 10
# A value echoed in a message is cut here: the message is for fixing a URL, not for repeating it.
VALUE_SHOWN_MAX = 40

ERROR_UNKNOWN_OPTION = 'Unknown option "{name}": this page takes {names}.'
ERROR_REPEATED_OPTION = 'The option "{name}" is given more than once.'
ERROR_THEME = 'theme must be one of {themes} (got "{value}").'
ERROR_ROWS = f'rows must be a whole number from {ROWS_MIN} to {ROWS_MAX} (got "{{value}}").'
ERROR_FIELDS_EMPTY = "fields must name at least one of {fields}."
ERROR_FIELDS_UNKNOWN = 'fields: "{value}" is not a field; choose from {fields}.'
ERROR_FIELDS_REPEATED = 'fields: "{value}" is listed more than once.'
ERROR_SCALE = f'scale must be a number from {SCALE_MIN:g} to {SCALE_MAX:g} (got "{{value}}").'
ERROR_LANG = 'lang must be one of {languages} (got "{value}").'
ERROR_KIND = 'kind must be one of {kinds} (got "{value}").'
ERROR_HOLD = f'hold must be a whole number of seconds from {HOLD_MIN} to {HOLD_MAX} (got "{{value}}").'


@dataclass(frozen=True)
class EmbedOptions:
    theme: str = "light"
    # Only finishers ranked 1..rows (all of a tie at the cut); None: every row.
    rows: int | None = None
    fields: tuple[str, ...] = DEFAULT_FIELDS
    scale: float = 1.0
    lang: str = DEFAULT_LANGUAGE
    hold: int = DEFAULT_HOLD_SECONDS
    # The data source's rows of one kind only (results/selectors/data_source.py); None: every kind.
    kind: str | None = None


@dataclass(frozen=True)
class Page:
    """Which options a kind of page takes, and what it shows without them."""

    options: tuple[str, ...]
    example: str
    defaults: EmbedOptions = field(default_factory=EmbedOptions)


EMBED: Final = Page(options=("theme", "rows", "fields", "scale", "lang"), example="theme=dark&rows=10")
# Overlays go into vision mixers as browser sources: transparent unless asked otherwise.
OVERLAY: Final = Page(
    options=("theme", "scale", "lang"), example="theme=transparent&lang=nl", defaults=EmbedOptions(theme="transparent")
)
SCOREBOARD: Final = Page(
    options=("rows", "scale", "lang", "hold"), example="rows=10&hold=8", defaults=EmbedOptions(theme="dark", rows=8)
)
# The vision mixers' data source (rows.json): not a page, but the same rules for its query string.
DATA_SOURCE: Final = Page(options=("kind", "rows"), example="kind=standing&rows=10")

# What each option accepts, for the page that explains a refused URL.
ALLOWED: Final = {
    "theme": " | ".join(THEMES),
    "rows": f"{ROWS_MIN}-{ROWS_MAX}",
    "fields": f"a comma-separated list, in the order to show, of {', '.join(FIELDS)}",
    "scale": f"{SCALE_MIN:g}-{SCALE_MAX:g}",
    "lang": " | ".join(LANGUAGES),
    "hold": f"{HOLD_MIN}-{HOLD_MAX} (seconds)",
    "kind": " | ".join(KINDS),
}


def _shown(value: str) -> str:
    return value if len(value) <= VALUE_SHOWN_MAX else value[: VALUE_SHOWN_MAX - 1] + "…"


def _whole(value: str, low: int, high: int) -> int | None:
    number = whole_number(value, largest=high)
    return number if number is not None and low <= number else None


def _theme(value: str) -> str:
    theme = value.strip().lower()
    if theme not in THEMES:
        raise ValueError(ERROR_THEME.format(themes=", ".join(THEMES), value=_shown(value)))
    return theme


def _rows(value: str) -> int:
    rows = _whole(value.strip(), ROWS_MIN, ROWS_MAX)
    if rows is None:
        raise ValueError(ERROR_ROWS.format(value=_shown(value)))
    return rows


def _fields(value: str) -> tuple[str, ...]:
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    if not names:
        raise ValueError(ERROR_FIELDS_EMPTY.format(fields=", ".join(FIELDS)))
    for name in names:
        if name not in FIELDS:
            raise ValueError(ERROR_FIELDS_UNKNOWN.format(value=_shown(name), fields=", ".join(FIELDS)))
        if names.count(name) > 1:
            raise ValueError(ERROR_FIELDS_REPEATED.format(value=name))
    return tuple(names)


def _scale(value: str) -> float:
    try:
        scale = float(value.strip())
    except ValueError:
        scale = math.nan
    if not SCALE_MIN <= scale <= SCALE_MAX:  # NaN fails this too
        raise ValueError(ERROR_SCALE.format(value=_shown(value)))
    return scale


def _lang(value: str) -> str:
    lang = value.strip().lower()
    if lang not in LANGUAGES:
        raise ValueError(ERROR_LANG.format(languages=", ".join(LANGUAGES), value=_shown(value)))
    return lang


def _hold(value: str) -> int:
    hold = _whole(value.strip(), HOLD_MIN, HOLD_MAX)
    if hold is None:
        raise ValueError(ERROR_HOLD.format(value=_shown(value)))
    return hold


def _kind(value: str) -> str:
    kind = value.strip().lower()
    if kind not in KINDS:
        raise ValueError(ERROR_KIND.format(kinds=", ".join(KINDS), value=_shown(value)))
    return kind


_PARSERS = {
    "theme": _theme,
    "rows": _rows,
    "fields": _fields,
    "scale": _scale,
    "lang": _lang,
    "hold": _hold,
    "kind": _kind,
}


def options_parse(query: Mapping[str, Sequence[str]], *, page: Page = EMBED) -> EmbedOptions | list[str]:
    """The page's options from the query, or every error in it (in the order of the query)."""
    errors: list[str] = []
    chosen: dict[str, Any] = {}
    for name, values in query.items():
        if name not in page.options:
            errors.append(ERROR_UNKNOWN_OPTION.format(name=_shown(name), names=", ".join(page.options)))
            continue
        if len(values) > 1:
            errors.append(ERROR_REPEATED_OPTION.format(name=name))
            continue
        try:
            chosen[name] = _PARSERS[name](values[0])
        except ValueError as error:
            errors.append(str(error))
    return errors or replace(page.defaults, **chosen)


def allowed_options(page: Page) -> Iterable[tuple[str, str]]:
    """Each option the page takes, with what it accepts."""
    return [(name, ALLOWED[name]) for name in page.options]
