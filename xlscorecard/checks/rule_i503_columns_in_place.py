"""I503: every column of the Dataset sheet is where it was built, under its own heading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model.book import HeaderProblem
from ..model.months import Month
from . import Context, Problem, Severity, rule


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
    message="A column heading has been changed, or a column deleted, moved or inserted.",
    fields=("header",),
)
def columns_in_place(context: Context) -> Iterator[Problem]:
    for problem in context.book.header_problems:
        if isinstance(problem.expected, Month):
            expected = f"the month {problem.expected.label} (a date)"
        else:
            expected = f'"{problem.expected}"'
        column = problem.column or "a column"
        yield Problem(
            "", None,
            found=_found(problem.found),
            expected=f"{expected}, the heading of {column}",
            heading=problem.cell,
            detail=f"{column[0].upper()}{column[1:]} is not where it was built, or its "
            "heading has been changed: " + _MESSAGE,
        )  # fmt: skip


_MESSAGE = (
    "figures, comments, targets and benchmarks are read and written by their place, so "
    "nothing is written, and no other check runs, until every column is back where it was "
    "built (undo the change in Excel)."
)


def test_month_headings_as_built_pass(check, sample_book):
    assert check(sample_book(), "I503") == []


def test_a_heading_typed_as_text_fails(check, codes, sample_book):
    book = sample_book()
    book.header_problems.append(HeaderProblem("Dataset!R5", Month(2020, 8), "August"))
    findings = check(book, "I503")
    assert codes(findings) == ["I503"]
    assert (findings[0].cell, findings[0].found, findings[0].expected) == (
        "Dataset!R5",
        '"August"',
        "the month Aug-20 (a date), the heading of a column",
    )


def test_a_deleted_commentary_column_is_named(check, sample_book, sample_dataset):
    from ..workbook.contents import BookContents
    from ..workbook.image import book_contents
    from ..workbook.layout import HEADER_ROW, SHEET, Field, letter
    from ..workbook.reading import read_book

    contents = book_contents(sample_dataset(), Month(2020, 8), "test.xlsx")
    grid = [row[:-1] for row in contents.sheets[SHEET]]  # the last column, commentary, deleted
    book = read_book(BookContents("test.xlsx", {**contents.sheets, SHEET: grid}))
    findings = check(book, "I503")
    commentary = letter(sample_book().layout.column(Field.COMMENTARY))
    assert [f.cell for f in findings] == [f"{SHEET}!{commentary}{HEADER_ROW}"]
    assert findings[0].expected == '"Commentary (Aug-20)", the heading of the commentary column'
    assert findings[0].message.startswith("The commentary column is not where it was built")


def test_each_wrong_heading_is_a_finding(check, sample_book):
    book = sample_book()
    book.header_problems += [
        HeaderProblem("Dataset!Q5", Month(2020, 7), dt.datetime(2020, 6, 1)),
        HeaderProblem("Dataset!R5", Month(2020, 8), None),
    ]
    findings = check(book, "I503")
    assert [f.found for f in findings] == ["the month Jun-20", "an empty cell"]
