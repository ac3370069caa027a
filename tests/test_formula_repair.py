"""Validate repairs what it safely can: a formula typed over (or cleared) is put back, what was
typed is kept in Audit, and the month can be returned without --force; through the buttons
too."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from tests.support.harness import press
from tests.support.person import type_cells
from tests.support.returns import fake_pdf, make_ready
from xlscorecard.app import return_file, workbook_file
from xlscorecard.cli import cli
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import HEADER_ROW, SHEET, Field


def cell_of(path: Path, ref: str, field: Field) -> str:
    return workbook_file.open_book(path)[1].layout.cell(ref, field)


def audit(path: Path) -> list[tuple]:
    return list(load_workbook(path)[sheets.AUDIT].iter_rows(min_row=2, values_only=True))


def test_validate_puts_back_a_formula_typed_over_and_audit_keeps_what_was_typed(workbook):
    cell = cell_of(workbook, "M1", Field.AVERAGE)
    formula = load_workbook(workbook)[SHEET][cell].value
    type_cells(workbook, {(SHEET, cell): 1288})
    result = CliRunner().invoke(cli, ["validate", str(workbook), "--by", "Sam Jones"])
    assert result.exit_code == 0, result.output
    assert "I501" not in result.output
    assert f"Put back the formula typed over in Dataset!{cell} (1288)" in result.output
    assert load_workbook(workbook)[SHEET][cell].value == formula
    row = audit(workbook)[0]
    assert row[1:7] == ("Sam Jones", "formula restored", "M1", "2020-08", "1288", "formula")
    assert row[7] == f"Dataset!{cell} (12-month average)"


def test_a_cleared_formula_is_put_back_too(workbook):
    layout = workbook_file.open_book(workbook)[1].layout
    cell = layout.month_cell("M3", 1)  # a derived month: Jul-20
    formula = load_workbook(workbook)[SHEET][cell].value
    type_cells(workbook, {(SHEET, cell): None})
    workbook_file.validate_file(workbook)
    assert load_workbook(workbook)[SHEET][cell].value == formula
    assert audit(workbook)[0][2:6] == ("formula restored", "M3", "2020-07", "an empty cell")


def test_after_validate_the_month_is_returned_without_force(workbook, tmp_path):
    make_ready(workbook, workbook)
    type_cells(workbook, {(SHEET, cell_of(workbook, "LAC16", Field.CHANGE_YEAR)): 0.02})
    workbook_file.validate_file(workbook)
    saved = return_file.save_return_file(workbook, tmp_path / "returns", pdf_maker=fake_pdf)
    assert saved.plan.stamp.reason is None
    assert return_file.verify_file(saved.placed.xlsx).intact


def test_the_return_refusal_says_how_to_put_a_formula_back(workbook, tmp_path):
    make_ready(workbook, workbook)
    type_cells(workbook, {(SHEET, cell_of(workbook, "LAC16", Field.CHANGE_YEAR)): 0.02})
    result = CliRunner().invoke(cli, ["save-return", str(workbook), "--out", str(tmp_path)])
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "I501" in line)
    assert "LAC16" in line and "Aug-20" in line  # it names the month
    assert "Validate (or xlscorecard validate) puts it back" in line


def test_the_validate_button_puts_back_a_formula_typed_over(workbook):
    """The remote engine sends values, not formulas: a formula cell showing a figure its
    formula cannot give has been typed over."""
    cell = cell_of(workbook, "M1", Field.AVERAGE)
    formula = load_workbook(workbook)[SHEET][cell].value
    type_cells(workbook, {(SHEET, cell): 1288})
    pressed = press(workbook, "Validate")
    assert f"Put back the formula typed over in Dataset!{cell} (1288)" in pressed.message
    assert load_workbook(workbook)[SHEET][cell].value == formula
    assert audit(workbook)[0][2:6] == ("formula restored", "M1", "2020-08", "1288")
    assert load_workbook(workbook)[SHEET].protection.sheet  # protected again


def test_the_validate_button_leaves_formulas_alone_when_excel_sends_their_values(workbook):
    """With the values a spreadsheet calculates (what Excel sends), nothing is put back."""
    pressed = press(workbook, "Validate", formula_values=True)
    assert "Put back" not in pressed.message
    dataset = sheets.ORDER.index(SHEET)  # Checks and Trends are written: not the Dataset sheet
    assert [a for a in pressed.actions if a.get("sheet_position") == dataset] == []


def test_nothing_is_put_back_while_a_column_is_out_of_place(workbook):
    cell = cell_of(workbook, "M1", Field.AVERAGE)
    book = load_workbook(workbook)
    book[SHEET][cell] = 1288
    book[SHEET].cell(HEADER_ROW, 1).value = "Reference"  # a heading changed
    book.save(workbook)
    outcome = workbook_file.validate_file(workbook)
    assert "I503" in [f.code for f in outcome.findings]
    assert load_workbook(workbook)[SHEET][cell].value == 1288


def test_a_second_validate_press_that_changes_nothing_writes_nothing(workbook):
    """With what Excel sends (the values of formulas: a link as its text), the Checks sheet
    already holds the findings: only the message is shown."""
    press(workbook, "Validate")
    again = press(workbook, "Validate", formula_values=True)
    assert [action["func"] for action in again.actions] == ["alert"]
