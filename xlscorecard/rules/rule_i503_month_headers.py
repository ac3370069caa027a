"""I503: the month headings are the months the sheet expects."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..layout import SHEET
from ..months import Month
from . import Context, Problem, Severity, rule
from .testing import check, codes, sample_book

_PROBLEM = re.compile(
    r"^(?P<cell>\S+!\S+) should be the month (?P<month>\S+), found (?P<found>.*)$"
)
_DATE = re.compile(r"^datetime\.(?:date|datetime)\((?P<year>\d+), (?P<month>\d+)\b")


def _found(text: str) -> str:
    """What ``repr`` showed, in words: a month for a date, quoted text, an empty cell."""
    date = _DATE.match(text)
    if date:
        return f"the month {Month(int(date['year']), int(date['month'])).label}"
    if text == "None":
        return "an empty cell"
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return f'"{text[1:-1]}"'
    return text


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
    for text in context.book.header_problems:
        match = _PROBLEM.match(text)
        if match is None:  # a form this rule does not know: pass it on whole
            yield Problem("", None, found=text, expected="the month headings as built",
                          cell=f"{SHEET}!A1")  # fmt: skip
            continue
        yield Problem(
            "", None,
            found=_found(match["found"]),
            expected=f"the month {match['month']} (a date)",
            cell=match["cell"],
        )  # fmt: skip


def test_month_headings_as_built_pass():
    assert check(sample_book(), "I503") == []


def test_a_heading_typed_as_text_fails():
    book = sample_book()
    book.header_problems.append("Dataset!R5 should be the month Aug-20, found 'August'")
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
        "Dataset!Q5 should be the month Jul-20, found datetime.datetime(2020, 6, 1, 0, 0)",
        "Dataset!R5 should be the month Aug-20, found None",
    ]
    findings = check(book, "I503")
    assert [f.found for f in findings] == ["the month Jun-20", "an empty cell"]
