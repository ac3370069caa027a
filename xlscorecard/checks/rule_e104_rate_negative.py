"""E104: a rate per 10,000 is 0 or more."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ..model import Unit
from . import Context, Problem, Severity, rule
from .rule_e101_text_in_figure import typed_number


@rule(
    code="E104",
    severity=Severity.ERROR,
    message="A rate cannot be negative.",
    fields=("value",),
)
def rates_not_negative(context: Context) -> Iterator[Problem]:
    book = context.book
    for (ref, month), entry in book.entries.items():
        if book.dataset.indicator(ref).unit is not Unit.RATE or entry.problem is None:
            continue
        number = typed_number(entry.raw, Unit.RATE)
        if number is not None and number < 0:
            typed = entry.raw.strip() if isinstance(entry.raw, str) else f"{entry.raw:g}"
            yield Problem(ref, month, found=typed, expected="a rate of 0 or more, like 52.3")


def _with_a_typed_rate(dataset):
    """The sample's rates are all calculated; make CP1-NI one that is typed."""
    dataset.indicators = [
        replace(item, numerator=(), denominator=None) if item.ref == "CP1-NI" else item
        for item in dataset.indicators
    ]
    return dataset


def test_a_rate_of_0_or_more_passes(check, type_into, book_for, sample_dataset):
    book = book_for(_with_a_typed_rate(sample_dataset()), "2020-08")
    book = type_into(book, "CP1-NI", "2020-08", 0)
    assert check(type_into(book, "CP1-NI", "2020-07", 23.8), "E104") == []


def test_a_negative_rate_fails(check, codes, type_into, book_for, sample_dataset):
    book = book_for(_with_a_typed_rate(sample_dataset()), "2020-08")
    findings = check(type_into(book, "CP1-NI", "2020-08", -15.9), "E104")
    assert codes(findings) == ["E104"] and findings[0].found == "-15.9"


def test_a_negative_rate_typed_as_text_fails(check, codes, type_into, book_for, sample_dataset):
    book = book_for(_with_a_typed_rate(sample_dataset()), "2020-08")
    findings = check(type_into(book, "CP1-NI", "2020-07", " -3 "), "E104")
    assert codes(findings) == ["E104"] and findings[0].found == "-3"
