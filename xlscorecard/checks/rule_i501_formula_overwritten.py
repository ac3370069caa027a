"""I501: a calculated cell's formula has been typed over."""

from __future__ import annotations

from collections.abc import Iterator

from ..calc.figures import HISTORY_MONTHS
from ..model.book import LiveBook, Overwrite
from ..model.months import Month
from ..model.values import show_typed
from ..workbook.layout import Field
from . import Context, Problem, Severity, rule


def _month_of(book: LiveBook, what: str) -> Month | None:
    """The window month labelled ``what`` (``Aug-20``), or None for a non-month column."""
    for offset in range(HISTORY_MONTHS):
        if (book.month - offset).label == what:
            return book.month - offset
    return None


@rule(
    code="I501",
    severity=Severity.ERROR,
    message="A calculated cell has been typed over or cleared, so its formula is gone.",
    fields=("formula",),
)
def formulas_intact(context: Context) -> Iterator[Problem]:
    book = context.book
    for item in book.overwritten:
        month = _month_of(book, item.what)
        if month is not None:
            where = f"{item.ref}'s figure for {month.label}"
        else:
            where = f"the {item.what} of {item.ref} for {book.month.label}"
        yield Problem(
            item.ref, month or book.month,
            found=show_typed(item.typed),
            expected="its formula: Validate (or xlscorecard validate) puts it back and keeps "
            "what was typed in Audit",
            field=item.field,
            detail=f"{where[0].upper()}{where[1:]} is calculated, but its formula has been "
            "typed over or cleared.",
        )  # fmt: skip


def test_a_freshly_built_book_has_its_formulas(check, sample_book):
    assert check(sample_book(), "I501") == []


def test_a_typed_over_change_column_fails(check, codes, sample_book):
    book = sample_book()
    book.overwritten.append(
        Overwrite("M1", "S7", "% change from Jul-20", 0.1, field=Field.CHANGE_PREVIOUS)
    )
    findings = check(book, "I501")
    assert codes(findings) == ["I501"]
    assert (findings[0].cell, findings[0].month, findings[0].found) == (
        "Dataset!S7",
        Month(2020, 8),
        "0.1",
    )  # the report month's change: the finding names its month
    assert findings[0].message.startswith("The % change from Jul-20 of M1 for Aug-20 is calculated")
    assert "Validate" in findings[0].expected and "Audit" in findings[0].expected


def test_a_typed_over_derived_month_names_its_month(check, sample_book):
    book = sample_book()
    book.overwritten.append(Overwrite("M3", "Q9", "Jul-20", "26%"))
    findings = check(book, "I501")
    assert findings[0].month == Month(2020, 7) and findings[0].found == '"26%"'
