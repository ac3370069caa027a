"""A corpus of bad hand entries: each gives its message, and a refresh refuses it leaving the
workbook byte-identical."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from tests.support.paths import SAMPLE
from xlscorecard.app import workbook_file
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.errors import DataFileError, Refused
from xlscorecard.jobs.outcome import RESTORED
from xlscorecard.workbook.layout import HEADER_ROW, SHEET, DatasetLayout, Field, address

DATASET = load_data_dir(SAMPLE)
LAYOUT = DatasetLayout.for_catalogue(DATASET.indicators, DATASET.target_periods, 7)


def month_cell(ref: str, offset: int = 0) -> str:
    return LAYOUT.month_cell(ref, offset)


def delete_row(sheet) -> None:
    sheet.delete_rows(LAYOUT.row("EH5-QL"))


def duplicate_month_heading(sheet) -> None:
    sheet.cell(HEADER_ROW, LAYOUT.month_column(1)).value = sheet.cell(
        HEADER_ROW, LAYOUT.month_column(0)
    ).value


def change_ref(sheet) -> None:
    sheet.cell(LAYOUT.row("LAC2"), 1).value = "LAC2a"


CORPUS = {
    # name: (edit, code, cell, words in the message)
    "text in a count": (
        {month_cell("M1"): "about 1300"}, "E101", month_cell("M1"), '"about 1300"',
    ),
    "a negative count": ({month_cell("LAC2"): -3}, "E102", month_cell("LAC2"), "-3"),
    "4500%": ({month_cell("NI147"): 45}, "E103", month_cell("NI147"), "did you mean 45%?"),
    "a count ten times too big": (
        {month_cell("M1"): 13430}, "P301", month_cell("M1"), "13,430",
    ),
    "a formula overwritten": (
        {LAYOUT.cell("M1", Field.AVERAGE): 1288}, "I501", LAYOUT.cell("M1", Field.AVERAGE), "1288",
    ),
    "a numerator above its denominator": (
        {month_cell("M6-QL (val)"): 300}, "R201", month_cell("M6-QL (val)"), "more than M2",
    ),
    "a deleted row": (delete_row, "I502", address(LAYOUT.row("EH5-QL"), 1), "EH5-QL"),
    "a changed ref": (change_ref, "I502", address(LAYOUT.row("LAC2"), 1), "LAC2a"),
    "a duplicated month heading": (
        duplicate_month_heading, "I503", address(HEADER_ROW, LAYOUT.month_column(1)), "Jul-20",
    ),
    "a blank for the month": ({month_cell("CP9"): None}, "C401", month_cell("CP9"), "blank"),
}  # fmt: skip
BLOCKING = {"E101", "E102", "E103", "R201", "I502", "I503", "C401"}


def enter(path, edit) -> None:
    book = load_workbook(path)
    sheet = book[SHEET]
    if callable(edit):
        edit(sheet)
    else:
        for cell, value in edit.items():
            sheet[cell] = value
    book.save(path)


@pytest.mark.parametrize("name", list(CORPUS))
def test_a_bad_entry_gives_its_message(workbook, name):
    edit, code, cell, words = CORPUS[name]
    enter(workbook, edit)
    if code == RESTORED:  # validate puts the formula back, and says so, instead of listing it
        outcome = workbook_file.validate_file(workbook)
        assert f"Put back the formula typed over in {SHEET}!{cell} ({words})" in outcome.summary
        return
    findings = [f for f in workbook_file.validate_file(workbook).findings if f.code == code]
    assert findings, f"{name}: no {code} finding"
    finding = next((f for f in findings if f.cell == f"{SHEET}!{cell}"), findings[0])
    assert finding.cell == f"{SHEET}!{cell}"
    text = str(finding)
    assert words in text, text
    if finding.ref and finding.month:
        assert finding.indicator and finding.month.label in text


@pytest.mark.parametrize("name", [n for n in CORPUS if CORPUS[n][1] in BLOCKING])
def test_a_refresh_refuses_a_bad_entry_and_changes_nothing(workbook, name):
    enter(workbook, CORPUS[name][0])
    before = workbook.read_bytes()
    with pytest.raises(Refused):
        workbook_file.refresh_file(workbook)
    assert workbook.read_bytes() == before


def test_a_duplicated_month_in_an_extract_is_refused_and_changes_nothing(workbook, tmp_path):
    extract = tmp_path / "x.csv"
    extract.write_text("ref,month,value\nM1,2020-08,1343\nM1,2020-08,1344\n", encoding="utf-8")
    before = workbook.read_bytes()
    with pytest.raises(DataFileError, match="line 3, column 'month': M1 Aug-20 is also on line 2"):
        workbook_file.import_file(workbook, extract)
    assert workbook.read_bytes() == before
