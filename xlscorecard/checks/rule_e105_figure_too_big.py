"""E105: a count or rate bigger than any real figure (a typo, or a code pasted in)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Unit
from ..model.values import MAX_FIGURE
from . import Context, Problem, Severity, rule
from .rule_e101_text_in_figure import typed_number


def too_big(raw: object, unit: Unit) -> float | None:
    """The number typed, when it is a count or rate over :data:`MAX_FIGURE`."""
    number = typed_number(raw, unit)
    if unit is Unit.PERCENT or number is None or number <= MAX_FIGURE:
        return None
    return number


@rule(
    code="E105",
    severity=Severity.ERROR,
    message=f"A figure over {MAX_FIGURE:,} cannot be right: check it.",
    fields=("value",),
)
def figures_not_too_big(context: Context) -> Iterator[Problem]:
    book = context.book
    for (ref, month), entry in book.entries.items():
        if entry.problem is None:
            continue
        number = too_big(entry.raw, book.dataset.indicator(ref).unit)
        if number is not None:
            yield Problem(ref, month, found=f"{number:,.0f}", expected=f"{MAX_FIGURE:,} or less")


def test_a_big_but_real_count_passes(check, sample_book, type_into):
    assert check(type_into(sample_book(), "M1", "2020-08", 9_999_999), "E105") == []


def test_a_count_of_1e20_fails_once(check, codes, sample_book, type_into):
    book = type_into(sample_book(), "M1", "2020-08", 1e20)
    findings = check(book, "E105")
    assert codes(findings) == ["E105"] and findings[0].found == "100,000,000,000,000,000,000"
    assert check(book, "E102") == []  # not also called "not a whole number"


def test_a_huge_count_typed_as_text_fails(check, codes, sample_book, type_into):
    book = type_into(sample_book(), "M1", "2020-07", "12,000,000")
    assert codes(check(book, "E105")) == ["E105"]
    assert check(book, "E101") == []
