"""E103: a percentage is from 0% to 100%."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Unit
from . import Context, Problem, Severity, rule
from .rule_e101_text_in_figure import typed_number


@rule(
    code="E103",
    severity=Severity.ERROR,
    message="A percentage must be from 0% to 100%.",
    fields=("value",),
)
def percentages_in_range(context: Context) -> Iterator[Problem]:
    book = context.book
    for (ref, month), entry in book.entries.items():
        if book.dataset.indicator(ref).unit is not Unit.PERCENT or entry.problem is None:
            continue
        number = typed_number(entry.raw, Unit.PERCENT)
        if number is None or 0 <= number <= 1:
            continue
        typed = entry.raw.strip() if isinstance(entry.raw, str) else f"{entry.raw:g}"
        if number < 0:
            detail = f"Entered as {typed}: a percentage cannot be below 0%."
        elif isinstance(entry.raw, str) and entry.raw.strip().endswith("%"):
            detail = f"Entered as {typed}: a percentage cannot be more than 100%."
        else:
            detail = f"Entered as {typed}: did you mean {typed}%?"
        yield Problem(
            ref, month, found=typed,
            expected="a percentage from 0% to 100%, like 45% or 0.45", detail=detail,
        )  # fmt: skip


def test_a_percentage_and_a_fraction_pass(check, sample_book, type_into):
    book = type_into(sample_book(), "M8-QL", "2020-08", 0.45)
    assert check(type_into(book, "M8-QL", "2020-07", "100%"), "E103") == []


def test_a_whole_number_in_a_percent_cell_asks_if_it_meant_percent(
    check, codes, sample_book, type_into
):
    findings = check(type_into(sample_book(), "M8-QL", "2020-08", 45), "E103")
    assert codes(findings) == ["E103"]
    assert findings[0].message == "Entered as 45: did you mean 45%?"
    assert findings[0].found == "45" and findings[0].cell == "Dataset!R11"


def test_over_100_percent_fails(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "NI147", "2020-06", "150%"), "E103")
    assert codes(findings) == ["E103"] and "more than 100%" in findings[0].message


def test_a_negative_percentage_fails(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "NI147", "2020-08", -0.2), "E103")
    assert codes(findings) == ["E103"] and "below 0%" in findings[0].message
