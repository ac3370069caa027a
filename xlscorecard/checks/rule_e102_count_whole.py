"""E102: a count is a whole number of 0 or more."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Unit
from . import Context, Problem, Severity, rule
from .rule_e105_figure_too_big import too_big


@rule(
    code="E102",
    severity=Severity.ERROR,
    message="A count must be a whole number of 0 or more.",
    fields=("value",),
)
def counts_are_whole_numbers(context: Context) -> Iterator[Problem]:
    book = context.book
    for (ref, month), entry in book.entries.items():
        if book.dataset.indicator(ref).unit is not Unit.COUNT or entry.problem is None:
            continue
        number = entry.raw
        if too_big(number, Unit.COUNT) is not None and float(number).is_integer():
            continue  # E105
        if isinstance(number, int | float) and not isinstance(number, bool):
            yield Problem(ref, month, found=f"{number:g}", expected="a whole number, 0 or more")


def test_a_whole_count_passes(check, sample_book, type_into):
    assert check(type_into(sample_book(), "M1", "2020-08", 1343), "E102") == []


def test_a_negative_count_fails(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "M1", "2020-08", -5), "E102")
    assert codes(findings) == ["E102"]
    assert findings[0].cell == "Dataset!R7" and findings[0].found == "-5"


def test_a_fractional_count_fails(check, codes, sample_book, type_into):
    assert codes(check(type_into(sample_book(), "LAC2", "2020-07", 2.5), "E102")) == ["E102"]
