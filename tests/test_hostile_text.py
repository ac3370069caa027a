"""Text stays text: formula-injection payloads in every text field, through every command.

What is tested is what a client evaluates: Excel reads a cell as a formula only when the sheet's
XML gives it an ``<f>``; LibreOffice opening and recalculating the file must give back the text
as it was typed; a spreadsheet opening an exported CSV must not run a cell.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.harness import press
from tests.support.hostile import (
    MARKERS,
    PAYLOADS,
    as_read,
    formulas_in_package,
    hostile,
    hostile_data_dir,
)
from tests.support.paths import SAMPLE
from tests.support.returns import fake_pdf
from xlscorecard.app import return_file, workbook_file
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.model.months import Month
from xlscorecard.model.text import CSV_FORMULA_STARTS, neutralise, restore
from xlscorecard.returns.libreoffice import convert
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET, Field


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return hostile_data_dir(SAMPLE, tmp_path_factory.mktemp("hostile") / "data")


@pytest.fixture(scope="module")
def built(data_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile-built") / "dataset.xlsx"
    workbook_file.build_file(data_dir, Month(2020, 8), path)
    workbook_file.validate_file(path, backup=False)  # Checks quotes names and owners
    return path


@pytest.fixture(scope="module")
def refreshed(built, tmp_path_factory) -> Path:
    """Refreshed after a person typed a formula as the month's comment (Excel makes it a
    formula), by a user whose login name is a payload."""
    path = tmp_path_factory.mktemp("hostile-refreshed") / "dataset.xlsx"
    shutil.copy(built, path)
    _, book = workbook_file.open_book(path)
    workbook = load_workbook(path)
    workbook[SHEET][book.layout.cell("M1", Field.COMMENTARY)] = PAYLOADS[0]  # a live formula
    workbook.save(path)
    workbook_file.refresh_file(path, backup=False, user=PAYLOADS[2])
    return path


@pytest.fixture(scope="module")
def returned(built, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-return")
    path = folder / "dataset.xlsx"
    shutil.copy(built, path)
    saved = return_file.save_return_file(
        path, folder / "returns", force=PAYLOADS[1], pdf_maker=fake_pdf, user=PAYLOADS[3]
    )
    return saved.placed.xlsx


def hostile_cells(path: Path) -> dict[tuple[str, str], object]:
    """Every cell holding hostile text or a formula made of it: (sheet, cell) -> cell."""
    book = load_workbook(path)
    return {
        (sheet.title, cell.coordinate): cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if hostile(cell.value)
    }


def assert_text_everywhere(path: Path, sheets_expected: set[str]) -> None:
    cells = hostile_cells(path)
    assert {sheet for sheet, _ in cells} >= sheets_expected
    formulas = [key for key, cell in cells.items() if cell.data_type != "s"]
    assert formulas == []
    from_text = [
        (part, cell, formula)
        for part, found in formulas_in_package(path).items()
        for cell, formula in found
        if any(marker in formula for marker in MARKERS)
    ]
    assert from_text == []


def assert_libreoffice_shows_the_text(path: Path, recalc) -> None:
    """LibreOffice recalculates the file: each hostile cell still shows its text."""
    shown = recalc(path)
    changed = {
        key: (cell.value, shown[key[0]][key[1]].value)
        for key, cell in hostile_cells(path).items()
        if _lines(shown[key[0]][key[1]].value) != _lines(cell.value)
    }
    assert changed == {}


def _lines(value: object) -> object:
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def test_every_payload_in_the_built_workbook_is_text(built):
    assert_text_everywhere(
        built, {SHEET, sheets.INDICATORS, sheets.COMMENTARY, sheets.BENCHMARKS, sheets.SETTINGS,
                sheets.CHECKS},
    )  # fmt: skip


def test_libreoffice_evaluates_no_payload_of_the_built_workbook(built, recalc):
    assert_libreoffice_shows_the_text(built, recalc)


def test_text_is_shown_as_typed(built, data_dir):
    dataset = load_data_dir(data_dir)
    _, book = workbook_file.open_book(built)
    sheet = load_workbook(built)[SHEET]
    for indicator in dataset.indicators:
        for field, text in ((Field.NAME, indicator.name), (Field.OWNER, indicator.owner)):
            assert sheet[book.layout.cell(indicator.ref, field)].value == as_read(text)
    assert sheet["A1"].value == dataset.settings.title


def test_a_formula_typed_as_a_comment_is_archived_as_its_text(refreshed):
    rows = load_workbook(refreshed)[sheets.COMMENTARY].iter_rows(min_row=2)
    archived = [row for row in rows if row[0].value == "M1" and row[1].value == "2020-08"]
    assert [(row[2].value, row[2].data_type) for row in archived] == [(PAYLOADS[0], "s")]


def test_refresh_keeps_every_payload_text_archives_and_audit_included(refreshed):
    assert_text_everywhere(
        refreshed, {SHEET, sheets.INDICATORS, sheets.COMMENTARY, sheets.CHECKS, sheets.AUDIT}
    )
    audit = load_workbook(refreshed)[sheets.AUDIT]
    assert {cell.value for cell in audit["B"][1:]} == {PAYLOADS[2]}


def test_libreoffice_evaluates_no_payload_of_the_refreshed_workbook(refreshed, recalc):
    assert_libreoffice_shows_the_text(refreshed, recalc)


def test_reading_the_workbook_back_keeps_archived_text_as_text(refreshed):
    _, book = workbook_file.open_book(refreshed)
    comment = book.dataset.commentary[("M1", Month(2020, 8))]
    assert comment.text == PAYLOADS[0] and type(comment.text) is str


def test_the_return_holds_every_payload_as_text(returned):
    assert_text_everywhere(returned, {SHEET, sheets.INDICATORS, sheets.COMMENTARY, sheets.AUDIT})
    assert all(found == [] for found in formulas_in_package(returned).values())


def test_libreoffice_evaluates_no_payload_of_the_return(returned, recalc):
    assert_libreoffice_shows_the_text(returned, recalc)


def test_the_return_verifies(returned):
    assert return_file.verify_file(returned).intact


@pytest.fixture(scope="module")
def exported(refreshed, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-export") / "data"
    workbook_file.export_file(refreshed, folder)
    return folder


def test_no_exported_cell_starts_like_a_formula(exported):
    risky = []
    for path in sorted(exported.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.reader(handle), start=1):
                risky += [
                    (path.name, line, cell)
                    for cell in row
                    if cell != "-" and cell.startswith(CSV_FORMULA_STARTS)
                ]
    assert risky == []


def test_the_export_reads_back_as_it_was(exported, refreshed):
    _, book = workbook_file.open_book(refreshed)
    again = load_data_dir(exported)
    assert again.indicators == book.dataset.indicators
    assert again.commentary == book.dataset.commentary
    assert again.benchmarks == book.dataset.benchmarks
    assert again.settings == book.dataset.settings


@pytest.mark.parametrize("name", ["indicators.csv", "commentary.csv", "benchmarks.csv"])
def test_a_spreadsheet_opening_the_exported_csv_runs_nothing(exported, tmp_path, name):
    """LibreOffice opening a CSV runs a cell starting with ``=`` as a formula (it would run
    the raw payloads); the exported files give it none, and every payload stays readable."""
    opened = load_workbook(convert(exported / name, "xlsx", tmp_path))
    cells = [cell for row in opened.active.iter_rows() for cell in row]
    assert [(cell.coordinate, cell.value) for cell in cells if cell.data_type == "f"] == []
    assert any(hostile(cell.value) for cell in cells)


@pytest.mark.parametrize("text", [*PAYLOADS, "'Tis", "''=x", "-", "'", "", "plain"])
def test_neutralised_text_restores_exactly(text):
    assert restore(neutralise(text)) == text
    assert neutralise(text) == "-" or not neutralise(text).startswith(CSV_FORMULA_STARTS)


def test_the_refresh_button_writes_every_payload_as_text(built, tmp_path):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built, path)
    pressed = press(path)
    sent = [
        value
        for action in pressed.actions
        if action["func"] == "setValues"
        for row in action["values"]
        for value in row
        if isinstance(value, str) and value.startswith("=")
    ]
    assert [value for value in sent if hostile(value)] == []
    assert_text_everywhere(path, {SHEET, sheets.INDICATORS, sheets.COMMENTARY, sheets.CHECKS})
