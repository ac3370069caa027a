"""A workbook of format 1 (from before the Variation and Assurance columns) is not changed by
this version, which says how to move it on; `export` still reads it, cell for cell."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from xlscorecard.app import workbook_file
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.errors import WorkbookError
from xlscorecard.model import Month
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET, Field


@pytest.fixture
def format_1(built, tmp_path, sample):
    """The Aug-20 workbook as the version before made it: no Variation and Assurance columns,
    no Trends sheet, format 1 on Settings; a comment typed this month."""
    path = tmp_path / "old.xlsx"
    shutil.copy(built("2020-08"), path)
    _, live = workbook_file.open_book(path)
    book = load_workbook(path)
    sheet = book[SHEET]
    sheet.delete_cols(live.layout.column(Field.VARIATION), 2)
    del book[sheets.TRENDS]
    for key, value in book[sheets.SETTINGS].iter_rows(min_row=2):
        if key.value == sheets.FORMAT_KEY:
            value.value = "1"
    commentary = live.layout.column(Field.COMMENTARY) - 2
    sheet.cell(live.layout.row("M1"), commentary).value = "Typed before the upgrade."
    book.save(path)
    return path


@pytest.mark.parametrize("command", ["validate", "refresh", "open"])
def test_a_format_1_workbook_is_left_alone_with_the_way_on(format_1, command):
    before = format_1.read_bytes()
    run = {
        "validate": lambda: workbook_file.validate_file(format_1, backup=False),
        "refresh": lambda: workbook_file.refresh_file(format_1, backup=False),
        "open": lambda: workbook_file.open_book(format_1),
    }[command]
    with pytest.raises(WorkbookError) as error:
        run()
    message = str(error.value)
    assert "earlier xlscorecard (workbook format 1" in message
    assert '`xlscorecard export "old.xlsx" DIR`' in message and "xlscorecard build DIR" in message
    assert format_1.read_bytes() == before


def test_export_reads_a_format_1_workbook_by_its_own_columns(format_1, tmp_path):
    workbook_file.export_file(format_1, tmp_path / "data")
    dataset = load_data_dir(tmp_path / "data")
    assert dataset.commentary[("M1", Month(2020, 8))].text == "Typed before the upgrade."
    assert dataset.values[("M1", Month(2020, 8))] == 1343
    workbook_file.build_file(tmp_path / "data", Month(2020, 8), tmp_path / "new.xlsx")
    _, live = workbook_file.open_book(tmp_path / "new.xlsx")
    assert live.commentary_cells["M1"] == "Typed before the upgrade."
