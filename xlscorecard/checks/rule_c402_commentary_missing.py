"""C402: a big rise or fall (an up or down arrow) needs a comment."""

from __future__ import annotations

from collections.abc import Iterator

from ..calc.figures import Arrow, Change, report_row
from ..workbook.layout import SHEET, Field
from . import Context, Problem, Severity, Stage, rule


def _movement(change: Change, since: str) -> str | None:
    if change.arrow not in (Arrow.UP, Arrow.DOWN) or change.value is None:
        return None
    word = "rise" if change.arrow is Arrow.UP else "fall"
    return f"a {word} of {abs(change.value):.0%} from {since}"


@rule(
    code="C402",
    severity=Severity.QUERY,
    message="A rise or fall big enough to show an up or down arrow needs a comment.",
    fields=("commentary",),
)
def big_changes_have_commentary(context: Context) -> Iterator[Problem]:
    book = context.book
    for indicator in book.dataset.indicators:
        if indicator.ref not in book.commentary_cells or book.commentary_cells[indicator.ref]:
            continue  # a moved row (I502), or there is a comment
        row = report_row(book.dataset, indicator, book.month)
        movements = [
            text
            for text in (
                _movement(row.from_previous, (book.month - 1).label),
                _movement(row.from_last_year, (book.month - 12).label),
            )
            if text
        ]
        if movements:
            yield Problem(
                indicator.ref, book.month,
                found=f"no comment, with {' and '.join(movements)}",
                expected=f"a comment for {book.month.label} explaining the change",
                field=Field.COMMENTARY,
            )  # fmt: skip


def test_a_big_change_with_a_comment_passes(check, sample_book):
    book = sample_book()  # M1 fell 10% from Jul-20 (a down arrow) and has a comment
    row = report_row(book.dataset, book.dataset.indicator("M1"), book.month)
    assert row.from_previous.arrow is Arrow.DOWN and book.commentary_cells["M1"]
    assert [f for f in check(book, "C402") if f.ref == "M1"] == []


def test_a_small_change_without_a_comment_passes(check, sample_book):
    book = sample_book()
    book.commentary_cells["LAC16"] = ""  # 165 -> 161 is sideways
    assert [f for f in check(book, "C402") if f.ref == "LAC16"] == []


def test_a_big_change_without_a_comment_is_a_comment_to_write_at_every_stage(
    check, codes, sample_book, type_into
):
    book = type_into(sample_book(), "LAC16", "2020-08", 200)
    book.commentary_cells["LAC16"] = ""
    queries = [f for f in check(book, "C402") if f.ref == "LAC16"]
    assert codes(queries) == ["C402"] and queries[0].severity is Severity.QUERY
    assert queries[0].found == (
        "no comment, with a rise of 21% from Jul-20 and a rise of 18% from Aug-19"
    )
    assert queries[0].cell == f"{SHEET}!{book.layout.cell('LAC16', Field.COMMENTARY)}"
    at_return = [f for f in check(book, "C402", Stage.RETURN) if f.ref == "LAC16"]
    assert [f.severity for f in at_return] == [Severity.QUERY]
    assert str(queries[0]).startswith("COMMENT C402 ") and str(at_return[0]) == str(queries[0])
