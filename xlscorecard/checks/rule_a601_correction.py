"""A601: a figure for an earlier month has been corrected."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator

from ..calc.figures import is_number
from ..model import Month, Value
from ..model.book import Entry, LiveBook
from ..model.rows import RETURN_SAVED, AuditRow
from ..model.values import parse_value, show_value
from . import Context, Problem, Severity, rule

show = show_value


CORRECTION = "correction"
"""The Audit action of a figure changed for an earlier or a returned month (jobs.typed)."""


def as_returned(book: LiveBook) -> dict[tuple[str, Month], Value]:
    """Figures of returned months as they were returned, where Audit records a correction to
    them since (each command keeps History in step with the sheet, so History holds the
    corrected figure and Audit the returned one, until the month is returned again)."""
    returned = book.returned_months
    found: dict[tuple[str, Month], Value] = {}
    for row in map(AuditRow.from_row, book.audit):
        month = row.month_of
        if month is None:
            continue
        if row.action == RETURN_SAVED:
            found = {key: value for key, value in found.items() if key[1] != month}
        elif (
            row.action == CORRECTION
            and month in returned
            and str(row.ref or "") in book.layout.rows
        ):
            key = (str(row.ref), month)
            if key not in found:
                unit = book.dataset.indicator(key[0]).unit
                with contextlib.suppress(ValueError):
                    found[key] = parse_value(str(row.old or "") or None, unit)
    return found


def corrections(book: LiveBook) -> Iterator[tuple[Entry, Value]]:
    """Entries for months before the report month whose figure differs from History's, and
    for the report month once it has been returned; a returned month's figure is compared
    with what was returned (:func:`as_returned`), however many commands have run since."""
    returned = book.month in book.returned_months
    baseline = as_returned(book)
    for key, entry in book.entries.items():
        later = entry.month > book.month or (entry.month == book.month and not returned)
        if later or entry.problem is not None:
            continue
        if key in baseline:
            old, unit = baseline[key], book.dataset.indicator(entry.ref).unit
            if show(old, unit) != show(entry.value, unit):
                yield entry, old
            continue
        old = book.history.get(key)
        if not is_number(old):
            continue
        new = entry.value
        if is_number(new) and math.isclose(float(new), float(old), abs_tol=1e-9):  # type: ignore[arg-type]
            continue
        yield entry, old


def found(book: LiveBook, entry: Entry, old: Value) -> str:
    unit = book.dataset.indicator(entry.ref).unit
    return f"{show(old, unit)} -> {show(entry.value, unit)}"


@rule(
    code="A601",
    severity=Severity.INFO,
    message="A figure for an earlier month has been corrected.",
    fields=("value",),
)
def earlier_months_corrected(context: Context) -> Iterator[Problem]:
    book = context.book
    returned = book.returned_months
    for entry, old in corrections(book):
        if entry.month in returned:
            continue  # A602 asks about these
        yield Problem(
            entry.ref, entry.month, found=found(book, entry, old),
            expected=(
                "nothing to do: History keeps the new figure, and Audit the old one"
            ),
        )  # fmt: skip


def test_unchanged_earlier_months_pass(check, sample_book):
    assert check(sample_book(), "A601") == []


def test_a_corrected_count_is_reported(check, codes, sample_book, type_into):
    findings = check(type_into(sample_book(), "M1", "2020-07", 1500), "A601")
    assert codes(findings) == ["A601"] and findings[0].severity is Severity.INFO
    assert findings[0].found == "1,493 -> 1,500" and findings[0].cell == "Dataset!Q7"


def test_a_corrected_percentage_shows_percentages(check, sample_book):
    book = sample_book()
    book.history[("NI147", book.month - 1)] = 0.8
    findings = check(book, "A601")
    assert [f.found for f in findings] == ["80% -> 86%"]


def test_a_cleared_earlier_month_is_reported(check, sample_book, type_into):
    findings = check(type_into(sample_book(), "LAC2", "2020-06", None), "A601")
    assert [f.found for f in findings] == ["10 -> blank"]


def test_a_change_to_the_report_month_is_not_a_correction(check, sample_book, type_into):
    assert check(type_into(sample_book(), "M1", "2020-08", 1400), "A601") == []
