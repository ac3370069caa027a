"""Turning what a person types (``25%``, ``1,234``, ``-``) into model values, by unit."""

from __future__ import annotations

import datetime as dt
import math
import re

from .dataset import NOT_APPLICABLE, Unit, Value

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")

MAX_FIGURE = 10_000_000
"""The largest count or rate accepted: anything bigger is a typo or a pasted code (1e20 would
also lose digits in Excel, which keeps 15)."""

CALCULATED = "calculated"
"""History's source of a derived indicator's figure: worked out from its parts."""

EXPECTED = {
    Unit.COUNT: "a whole number of 0 or more, like 1,234",
    Unit.PERCENT: "a percentage like 45% or a fraction like 0.45",
    Unit.RATE: "a rate of 0 or more, like 52.3",
}


def parse_number(text: str) -> float:
    """Parse a plain number, allowing thousands separators; raise ValueError otherwise."""
    cleaned = text.strip()
    if not cleaned or not _NUMBER.match(cleaned) or cleaned in {"+", "-", "."}:
        raise ValueError(f"not a number: {text!r}")
    return float(cleaned.replace(",", ""))


def parse_value(text: str | float | int | None, unit: Unit) -> Value:
    """Parse one figure for ``unit``: blank is missing, ``-`` is not applicable.

    Raises ValueError whose message says what was expected.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"expected {EXPECTED[unit]}, found {text!r}")
    if isinstance(text, int | float):
        return check_value(float(text), unit)
    cleaned = text.strip()
    if cleaned == "":
        return None
    if cleaned == NOT_APPLICABLE:
        return NOT_APPLICABLE
    if cleaned.endswith("%"):
        if unit is not Unit.PERCENT:
            raise ValueError(f"expected {EXPECTED[unit]}, found a percentage {cleaned!r}")
        try:
            number = parse_number(cleaned[:-1]) / 100
        except ValueError:
            raise ValueError(f"expected {EXPECTED[unit]}, found {cleaned!r}") from None
        if number > 1:
            raise ValueError(f"expected a percentage from 0% to 100%, found {cleaned}")
        return check_value(number, unit)
    try:
        number = parse_number(cleaned)
    except ValueError:
        raise ValueError(f"expected {EXPECTED[unit]}, found {cleaned!r}") from None
    return check_value(number, unit)


def parse_stored(text: str | float | int | None, unit: Unit, source: str) -> Value:
    """A figure as History (or values.csv) holds it, from ``source``: as :func:`parse_value`,
    except that a percentage :data:`CALCULATED` from parts that do not fit (a numerator over
    its denominator) may be over 100%. The checks say so; the file is not refused for it."""
    try:
        return parse_value(text, unit)
    except ValueError:
        if source != CALCULATED or unit is not Unit.PERCENT:
            raise
        return parse_value(text, Unit.RATE)


def check_value(number: float, unit: Unit) -> float:
    """Return ``number`` if it is valid for ``unit``, else raise ValueError saying why."""
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"expected {EXPECTED[unit]}, found {number!r}")
    if number < 0:
        raise ValueError(f"expected {EXPECTED[unit]}, found a negative number {_show(number)}")
    if number > MAX_FIGURE:
        raise ValueError(
            f"expected {EXPECTED[unit]}, found {number:,.0f}, which is over "
            f"{MAX_FIGURE:,}, the most a figure may be: check it"
        )
    if unit is Unit.COUNT and number != int(number):
        raise ValueError(f"expected {EXPECTED[unit]}, found {_show(number)}")
    if unit is Unit.PERCENT and number > 1:
        raise ValueError(
            f"expected {EXPECTED[unit]}, found {_show(number)} (did you mean {_show(number)}%?)"
        )
    return number


def parse_comparator(text: str, unit: Unit) -> Value | str:
    """A benchmark or target: a figure for ``unit``, or a word such as ``Local`` or ``TBC``."""
    cleaned = text.strip()
    if cleaned and cleaned != NOT_APPLICABLE and not re.search(r"\d", cleaned):
        return cleaned
    return parse_value(cleaned, unit)


def _show(number: float) -> str:
    return f"{number:g}"


def show_value(value: Value | str, unit: Unit) -> str:
    """A figure as the sheet shows it, for messages: 45%, 1,234, 52.3; blank; -."""
    if value is None:
        return "blank"
    if isinstance(value, str | bool):
        return str(value)
    number = float(value)
    if unit is Unit.PERCENT:
        return f"{round(number * 100, 1):g}%"
    if unit is Unit.COUNT:
        return f"{number:,.0f}"
    return f"{round(number, 1):,g}"


def cell_value(value: Value | str) -> float | int | str | None:
    """A model value as a cell holds it: whole numbers as int, ``-`` and words as text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def counted(count: int, word: str, words: str | None = None) -> str:
    """``1 figure``, ``2 figures``."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def show_typed(typed: object) -> str:
    """What a cell holds, in words, for messages: ``1288``, ``"abc"``, ``an empty cell``."""
    if typed is None or (isinstance(typed, str) and not typed.strip()):
        return "an empty cell"
    if isinstance(typed, bool):
        return str(typed).upper()
    if isinstance(typed, int | float):
        return f"{typed:g}"
    if isinstance(typed, dt.datetime | dt.date):
        return f"a date ({typed:%d/%m/%Y})"
    return f'"{typed}"'
