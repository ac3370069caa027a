"""I502: each indicator's ref is still in its own row."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.book import RowProblem
from ..workbook.layout import Field
from . import Context, Problem, Severity, rule


@rule(
    code="I502",
    severity=Severity.ERROR,
    message=(
        "An indicator's row has been changed, moved or deleted: its figures cannot be read "
        "until its ref is back in its own row."
    ),
    fields=("ref",),
)
def rows_in_place(context: Context) -> Iterator[Problem]:
    for item in context.book.row_problems:
        found = str(item.found).strip() if item.found is not None else ""
        yield Problem(
            item.expected, None,
            found=f'"{found}"' if found else "an empty cell",
            expected=item.expected,
            field=Field.REF,
        )  # fmt: skip


def test_rows_in_place_pass(check, sample_book):
    assert check(sample_book(), "I502") == []


def test_a_changed_ref_fails(check, codes, sample_book):
    book = sample_book()
    book.row_problems.append(RowProblem(7, "M1", "M1a"))
    findings = check(book, "I502")
    assert codes(findings) == ["I502"]
    assert (findings[0].cell, findings[0].found, findings[0].expected) == (
        "Dataset!A7",
        '"M1a"',
        "M1",
    )


def test_a_deleted_row_fails(check, sample_book):
    book = sample_book()
    book.row_problems.append(RowProblem(book.layout.last_row, "LAC16", None))
    assert check(book, "I502")[0].found == "an empty cell"
