"""Every sheet prints: LibreOffice renders each supporting sheet one page wide, the wide ones
landscape, with its header row on every page, long texts wrapped whole, and the Checks sheet's
internal key column hidden. The benchmark note stays whole after a refresh."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.test_rendering import page_count, page_text, pdf_info
from xlscorecard.app import workbook_file
from xlscorecard.returns.libreoffice import sheet_pdf
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import NOTE_ROW, SHEET, Field


@pytest.fixture(scope="module")
def validated(built, tmp_path_factory) -> Path:
    """The Aug-20 workbook after validate: Checks lists its comments to write and queries."""
    path = tmp_path_factory.mktemp("validated") / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    workbook_file.validate_file(path, backup=False)
    return path


@pytest.fixture(scope="module")
def printed(validated, tmp_path_factory):
    """Each sheet of the validated workbook as LibreOffice prints it (cached)."""
    folder = tmp_path_factory.mktemp("printed")
    cache: dict[str, Path] = {}

    def render(name: str) -> Path:
        if name not in cache:
            cache[name] = sheet_pdf(validated, name, folder / name)
        return cache[name]

    return render


@pytest.mark.parametrize("name", sheets.SUPPORTING)  # Trends: tests/test_trends_rendering.py
def test_each_supporting_sheet_prints_one_page_wide(printed, name):
    pdf = printed(name)
    width, _, height = pdf_info(pdf)["Page size"].split()[:3]
    landscape = float(width) > float(height)
    assert landscape == (name not in sheets.PORTRAIT), pdf_info(pdf)["Page size"]
    first = page_text(pdf, 1)
    shown = [c for c in sheets.COLUMNS[name] if c not in sheets.HIDDEN.get(name, set())]
    assert all(column in first.split() for column in shown), (name, first[:300])


@pytest.mark.parametrize("name", sheets.SUPPORTING)
def test_the_header_row_repeats_on_every_page(printed, name):
    pdf = printed(name)
    first_column = sheets.COLUMNS[name][0]
    for page in range(1, page_count(pdf) + 1):
        assert first_column in page_text(pdf, page).split(), (name, page)


def test_the_supporting_sheets_print_in_a_few_pages(printed):
    """Each page one page wide (Checks once took a page per column): History, every month of
    every indicator, is most of them."""
    pages = {name: page_count(printed(name)) for name in sheets.SUPPORTING}
    assert pages[sheets.CHECKS] == 1
    assert sum(pages.values()) <= 35, pages


def test_checks_hides_its_key_column(printed, validated):
    text = page_text(printed(sheets.CHECKS), 1)
    assert "key" not in text.split() and "P302|CP2|2020-08" not in text
    sheet = load_workbook(validated)[sheets.CHECKS]
    column = sheets.CHECK_COLUMNS.index(sheets.KEY) + 1
    hidden = [d for d in sheet.column_dimensions.values() if d.min <= column <= d.max]
    assert hidden and hidden[0].hidden


def test_the_checks_sheets_texts_are_printed_whole(printed, validated):
    """Every word of what each finding found and expects is on the page: wrapped in its
    column, not cut off at the next one."""
    words = set(page_text(printed(sheets.CHECKS), 1).split())
    sheet = load_workbook(validated)[sheets.CHECKS]
    found = sheets.CHECK_COLUMNS.index("found")
    for row in sheet.iter_rows(min_row=2, values_only=True):
        assert set(str(row[found]).split()) <= words, row[found]
        assert set(str(row[found + 1]).split()) <= words, row[found + 1]


def test_long_texts_wrap_on_screen_too(validated):
    sheet = load_workbook(validated)[sheets.CHECKS]
    for column in sheets.WRAPPED[sheets.CHECKS]:
        cell = sheet.cell(2, sheets.CHECK_COLUMNS.index(column) + 1)
        assert cell.alignment.wrap_text, column


def test_the_benchmark_note_prints_whole_after_a_refresh(refreshed, dataset_pdf):
    """It is cut off when its wrap is lost (as a refresh once did)."""
    note = load_workbook(refreshed)[SHEET]
    layout = workbook_file.open_book(refreshed)[1].layout
    cell = note.cell(NOTE_ROW, layout.column(Field.SN))
    assert cell.alignment.wrap_text
    text = " ".join(page_text(dataset_pdf(refreshed), 1).split())
    assert "Benchmarking (Updated Mar-19" in text and "18-19 data)" in text


def test_pngs_of_every_sheet_have_ink(printed, tmp_path):
    for name in sheets.ORDER[1:]:
        command = ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(printed(name))]
        subprocess.run([*command, str(tmp_path / name)], capture_output=True, check=True)
    assert len(list(tmp_path.glob("*.png"))) == len(sheets.ORDER) - 1
