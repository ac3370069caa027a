"""Every column of the Dataset sheet (commentary, targets, benchmarks, changes...) is checked
before anything is written by its place: a column deleted or moved is an error naming it, and
nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.harness import press
from tests.support.returns import fake_pdf, make_ready
from xlscorecard.app import return_file, workbook_file
from xlscorecard.errors import Refused
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import HEADER_ROW, SHEET, Field, letter


def layout():
    from xlscorecard.checks.testing import sample_book

    return sample_book().layout


def delete_column(path: Path, column: int) -> None:
    """Delete a column of the Dataset sheet, as a person does in Excel."""
    book = load_workbook(path)
    book[SHEET].delete_cols(column)
    book.save(path)


def comments_kept(path: Path) -> int:
    rows = load_workbook(path)[sheets.COMMENTARY].iter_rows(min_row=2, values_only=True)
    return sum(row[1] == "2020-08" for row in rows)


def test_refresh_refuses_when_the_commentary_column_is_deleted(workbook):
    kept = comments_kept(workbook)
    delete_column(workbook, layout().column(Field.COMMENTARY))
    before = workbook.read_bytes()
    with pytest.raises(Refused) as caught:
        workbook_file.refresh_file(workbook)
    message = str(caught.value)
    assert "Cannot move on from Aug-20" in message
    heading = f"{SHEET}!{letter(layout().column(Field.COMMENTARY))}{HEADER_ROW}"
    assert f"I503 {heading}" in message and "the commentary column" in message
    assert '"Commentary (Aug-20)"' in message
    assert workbook.read_bytes() == before
    assert comments_kept(workbook) == kept == 43


def test_a_deleted_target_column_is_named_and_so_is_every_column_it_moved(workbook):
    target = layout().target_column("2019-20")
    delete_column(workbook, target)
    outcome = workbook_file.validate_file(workbook)
    named = [f.expected for f in outcome.findings if f.code == "I503"]
    assert named[0] == '"Target 19-20", the heading of the target column for 2019-20'
    assert named[-1] == '"Commentary (Aug-20)", the heading of the commentary column'


def test_swapped_benchmark_columns_are_named(workbook):
    book = load_workbook(workbook)
    sheet = book[SHEET]
    sn, eng = layout().column(Field.SN), layout().column(Field.ENG)
    for row in range(HEADER_ROW, sheet.max_row + 1):
        a, b = sheet.cell(row, sn), sheet.cell(row, eng)
        a.value, b.value = b.value, a.value
    book.save(workbook)
    outcome = workbook_file.validate_file(workbook)
    found = {f.cell: f.expected for f in outcome.findings if f.code == "I503"}
    assert found == {
        f"{SHEET}!{sheet.cell(HEADER_ROW, sn).coordinate}":
            '"SN", the heading of the statistical neighbours benchmark (SN) column',
        f"{SHEET}!{sheet.cell(HEADER_ROW, eng).coordinate}":
            '"ENG", the heading of the England benchmark (ENG) column',
    }  # fmt: skip


def test_validate_lists_it_and_keeps_the_comments_it_cannot_read(workbook):
    kept = comments_kept(workbook)
    delete_column(workbook, layout().column(Field.COMMENTARY))
    outcome = workbook_file.validate_file(workbook)
    assert "I503" in [f.code for f in outcome.errors]
    assert comments_kept(workbook) == kept
    audit = list(load_workbook(workbook)[sheets.AUDIT].iter_rows(min_row=2, values_only=True))
    assert audit == []  # nothing "cleared"


def test_import_refuses_and_changes_nothing(workbook, tmp_path):
    delete_column(workbook, layout().target_column("2019-20"))
    before = workbook.read_bytes()
    extract = tmp_path / "x.csv"
    extract.write_text("ref,month,value\nM1,2020-08,1350\n", encoding="utf-8")
    with pytest.raises(Refused, match=r"Cannot import into dataset\.xlsx: rows or columns"):
        workbook_file.import_file(workbook, extract)
    assert workbook.read_bytes() == before


def test_save_return_refuses_and_writes_nothing(workbook, tmp_path):
    make_ready(workbook, workbook)
    delete_column(workbook, layout().column(Field.COMMENTARY))
    before = workbook.read_bytes()
    with pytest.raises(Refused, match="the commentary column"):
        return_file.save_return_file(workbook, tmp_path / "returns", pdf_maker=fake_pdf)
    assert workbook.read_bytes() == before
    assert not (tmp_path / "returns").exists()


def test_refresh_month_pressed_in_excel_refuses_and_writes_nothing(workbook):
    delete_column(workbook, layout().column(Field.COMMENTARY))
    before = workbook.read_bytes()
    pressed = press(workbook)
    assert pressed.calls == 1 and "the commentary column" in pressed.message
    assert workbook.read_bytes() == before


def test_with_a_column_deleted_only_the_columns_out_of_place_are_reported_first_one_first(
    workbook,
):
    """Every cell right of a deleted column is read from its neighbour: checks on those reads
    (a formula typed over, a comment missing) would bury the one thing to do."""
    deleted = layout().column(Field.CHANGE_YEAR)
    delete_column(workbook, deleted)
    outcome = workbook_file.validate_file(workbook)
    assert {f.code for f in outcome.findings} == {"I503"}
    assert outcome.findings[0].cell == f"{SHEET}!{letter(deleted)}{HEADER_ROW}"
    assert all(": : " not in str(f) and " nothing is written, and no other check runs" in str(f)
               for f in outcome.findings)  # fmt: skip
