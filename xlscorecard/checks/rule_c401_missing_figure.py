"""C401: every typed indicator has a figure (or -) for the report month."""

from __future__ import annotations

from collections.abc import Iterator

from . import Context, Problem, Severity, rule


@rule(
    code="C401",
    severity=Severity.ERROR,
    message="The figure for the report month is missing.",
    fields=("value",),
)
def report_month_complete(context: Context) -> Iterator[Problem]:
    book = context.book
    for (ref, month), entry in book.entries.items():
        if month == book.month and entry.value is None and entry.problem is None:
            yield Problem(
                ref, month, found="a blank cell",
                expected=f"the figure for {month.label}, or - if it does not apply",
            )  # fmt: skip


def test_a_figure_or_a_dash_passes(check, sample_book, type_into):
    book = type_into(sample_book(), "CP2b %", "2020-08", "-")
    assert check(book, "C401") == []


def test_a_blank_in_the_report_month_fails(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "LAC2", "2020-08", None), "C401")
    assert codes(findings) == ["C401"] and findings[0].found == "a blank cell"


def test_a_blank_in_an_earlier_month_is_not_this_check(check, sample_book, type_into):
    assert check(type_into(sample_book(), "LAC2", "2020-07", "  "), "C401") == []
