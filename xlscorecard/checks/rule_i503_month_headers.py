"""I503: the month headings are the months the sheet expects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model.months import Month
from ..workbook.reading import HeaderProblem
from . import Context, Problem, Severity, rule
from .testing import check, codes, sample_book


def _found(value: object) -> str:
    """What the heading cell holds, in words: a month for a date, quoted text, an empty cell."""
    if isinstance(value, dt.date):
        return f"the month {Month(value.year, value.month).label}"
    if value is None or (isinstance(value, str) and not value.strip()):
        return "an empty cell"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


@rule(
    code="I503",
    severity=Severity.ERROR,
    message=(
        "A month heading has been changed: the figures are read by position, so each "
        "month column must keep its own month."
    ),
    fields=("header",),
)
def month_headers_in_place(context: Context) -> Iterator[Problem]:
    for problem in context.book.header_problems:
        yield Problem(
            "", None,
            found=_found(problem.found),
            expected=f"the month {problem.expected.label} (a date)",
            cell=problem.cell,
        )  # fmt: skip


def test_month_headings_as_built_pass():
    assert check(sample_book(), "I503") == []


def test_a_heading_typed_as_text_fails():
    book = sample_book()
    book.header_problems.append(HeaderProblem("Dataset!R5", Month(2020, 8), "August"))
    findings = check(book, "I503")
    assert codes(findings) == ["I503"]
    assert (findings[0].cell, findings[0].found, findings[0].expected) == (
        "Dataset!R5",
        '"August"',
        "the month Aug-20 (a date)",
    )


def test_each_wrong_heading_is_a_finding():
    book = sample_book()
    book.header_problems += [
        HeaderProblem("Dataset!Q5", Month(2020, 7), dt.datetime(2020, 6, 1)),
        HeaderProblem("Dataset!R5", Month(2020, 8), None),
    ]
    findings = check(book, "I503")
    assert [f.found for f in findings] == ["the month Jun-20", "an empty cell"]
