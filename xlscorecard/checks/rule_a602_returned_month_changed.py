"""A602: a figure for a month already returned has been changed."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.rows import RETURN_SAVED, AuditRow
from . import Context, Problem, Severity, rule
from .rule_a601_correction import corrections, found, show


@rule(
    code="A602",
    severity=Severity.QUERY,
    message=(
        "A figure for a month already returned has been changed: confirm the correction "
        "and give the reason."
    ),
    fields=("value",),
)
def returned_months_unchanged(context: Context) -> Iterator[Problem]:
    book = context.book
    returned = book.returned_months
    for entry, old in corrections(book):
        if entry.month not in returned:
            continue
        unit = book.dataset.indicator(entry.ref).unit
        yield Problem(
            entry.ref, entry.month, found=found(book, entry, old),
            expected=(
                f"the figure returned for {entry.month.label} ({show(old, unit)}), "
                "or a reason for the correction"
            ),
        )  # fmt: skip


def _returned(book, month: str):
    book.audit.append(AuditRow("2020-08-10 09:00:00", "someone", RETURN_SAVED, "", month).to_row())
    return book


def test_a_change_to_a_month_not_returned_is_not_queried(check, sample_book, type_into):
    book = _returned(type_into(sample_book(), "M1", "2020-07", 1500), "2020-06")
    assert check(book, "A602") == []


def test_a_change_to_a_returned_month_is_queried(check, codes, sample_book, type_into):
    book = _returned(type_into(sample_book(), "M1", "2020-07", 1500), "2020-07")
    findings = check(book, "A602")
    assert codes(findings) == ["A602"] and findings[0].found == "1,493 -> 1,500"
    assert findings[0].expected.startswith("the figure returned for Jul-20 (1,493)")
    assert check(book, "A601") == []  # asked once, as a query, not also reported as info


def test_a_change_to_the_report_month_after_its_return_is_queried(
    check, codes, sample_book, type_into
):
    book = _returned(type_into(sample_book(), "M1", "2020-08", 1400), "2020-08")
    findings = check(book, "A602")
    assert codes(findings) == ["A602"] and findings[0].month == book.month
    assert findings[0].found == "1,343 -> 1,400"
    assert check(_returned(sample_book(), "2020-08"), "A602") == []
