"""E101: text, a formula or a date has been typed where a figure belongs."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

from ..model import Unit
from ..model.values import MAX_FIGURE, parse_number
from ..workbook.contents import Formula
from . import Context, Problem, Severity, rule


def typed_number(raw: object, unit: Unit) -> float | None:
    """The number a person typed (``45``, ``"1,234"``, ``"45%"`` in a percent cell), if any."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number = float(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        scale = 1.0
        if unit is Unit.PERCENT and text.endswith("%"):
            text, scale = text[:-1], 0.01
        try:
            number = parse_number(text) * scale
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _handled_elsewhere(raw: object, unit: Unit) -> bool:
    """E102 (counts typed as numbers), E103 (percentages), E104 (rates) and E105 (figures
    too big) report these."""
    number = typed_number(raw, unit)
    if number is None:
        return False
    if unit is not Unit.PERCENT and number > MAX_FIGURE:
        return True
    return unit is not Unit.COUNT or isinstance(raw, int | float)


@rule(
    code="E101",
    severity=Severity.ERROR,
    message="Text, a formula or a date has been typed where a figure belongs.",
    fields=("value",),
)
def figures_are_numbers(context: Context) -> Iterator[Problem]:
    book = context.book
    for (ref, month), entry in book.entries.items():
        if entry.problem is None:
            continue
        unit = book.dataset.indicator(ref).unit
        raw = entry.raw
        if _handled_elsewhere(raw, unit):
            continue
        expected = "a number, or - if it does not apply"
        if isinstance(raw, dt.datetime | dt.date):
            yield Problem(
                ref, month, found=f"a date ({raw:%d/%m/%Y})", expected=expected,
                detail="A date has been typed where a figure belongs (Excel turns some "
                "entries, like 1-2, into dates): type the figure again as a plain number.",
            )  # fmt: skip
        elif isinstance(raw, Formula):
            yield Problem(
                ref, month, found=f'"{raw}"', expected=expected,
                detail="A formula has been put where a figure is typed: type the figure itself.",
            )  # fmt: skip
        elif isinstance(raw, str) and typed_number(raw, unit) is not None:
            # a count stored as text, like "2.5" or "-5"
            yield Problem(
                ref, month, found=f'"{raw}"', expected=expected,
                detail=f"The figure could not be used: {entry.problem}.",
            )  # fmt: skip
        else:
            found = f'"{raw}"' if isinstance(raw, str) else str(raw)
            yield Problem(ref, month, found=found, expected=expected)


def test_a_number_and_a_dash_pass(check, sample_book, type_into):
    book = type_into(sample_book(), "M1", "2020-08", 1343)
    assert check(type_into(book, "CP2b %", "2020-07", "-"), "E101") == []


def test_text_fails_and_shows_what_was_typed(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "M1", "2020-08", "tbc"), "E101")
    assert codes(findings) == ["E101"]
    assert findings[0].cell == "Dataset!R7" and findings[0].found == '"tbc"'
    assert findings[0].expected == "a number, or - if it does not apply"


def test_a_formula_fails(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "LAC2", "2020-07", "=A1+1"), "E101")
    assert codes(findings) == ["E101"] and "formula" in findings[0].message


def test_text_that_looks_like_a_formula_is_text(check, codes, sample_book):
    from ..workbook.reading import enter

    book = sample_book()
    enter(book, "LAC2", book.month - 1, "=A1+1")  # typed as text ('=A1+1): not a formula
    findings = check(book, "E101")
    assert codes(findings) == ["E101"] and "A formula has been put" not in findings[0].message
    assert findings[0].found == '"=A1+1"'


def test_a_date_fails(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "LAC2", "2020-08", dt.date(2020, 2, 1)), "E101")
    assert codes(findings) == ["E101"] and findings[0].found == "a date (01/02/2020)"


def test_a_percentage_typed_too_big_is_left_to_e103(check, sample_book, type_into):
    assert check(type_into(sample_book(), "M8-QL", "2020-08", 45), "E101") == []
