"""The older months are a collapsed column group Excel draws outline buttons for, and staff can
show them on the protected sheet (right-click, Unhide: the protection allows formatting
columns). What a reader sees: the XML Excel reads, and LibreOffice's print with the group
collapsed and with it shown."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlscorecard.excel.buttons import HELP
from xlscorecard.model import Month
from xlscorecard.returns.libreoffice import sheet_pdf
from xlscorecard.workbook.layout import SHEET

READERS = {
    "built Aug-20": lambda request: request.getfixturevalue("built")("2020-08"),
    "refreshed Sep-20": lambda request: request.getfixturevalue("refreshed"),
    "built other council": lambda request: request.getfixturevalue("other_council_built"),
}


@pytest.fixture(params=list(READERS))
def workbook(request) -> Path:
    return READERS[request.param](request)


def dataset_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("xl/worksheets/sheet1.xml").decode()


def attributes(xml: str, tag: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'(\w+)="([^"]*)"', m)) for m in re.findall(rf"<{tag}\b([^>]*)>", xml)]


def test_the_sheet_says_it_has_a_column_outline_one_level_deep(workbook):
    (format_,) = attributes(dataset_xml(workbook), "sheetFormatPr")
    assert format_.get("outlineLevelCol") == "1"


def test_the_older_months_are_grouped_hidden_and_collapsed_into_the_next_column(workbook):
    columns = attributes(dataset_xml(workbook), "col")
    grouped = [c for c in columns if c.get("outlineLevel") == "1"]
    assert grouped and all(c.get("hidden") == "1" for c in grouped)
    last = max(int(c["max"]) for c in grouped)
    (summary,) = [c for c in columns if int(c["min"]) <= last + 1 <= int(c["max"])]
    assert summary.get("collapsed") == "1" and summary.get("hidden") is None
    (properties,) = attributes(dataset_xml(workbook), "outlinePr")
    assert properties.get("summaryRight") == "1"


def test_the_protection_lets_staff_unhide_columns_but_not_change_figures(workbook):
    (protection,) = attributes(dataset_xml(workbook), "sheetProtection")
    assert protection["sheet"] == "1"
    assert protection["formatColumns"] == "0"  # 0: not protected, so Unhide is allowed
    assert protection["selectLockedCells"] == "0"  # the columns either side can be selected


def test_the_help_button_says_how_to_show_them():
    assert "right-click a column heading and choose Unhide" in HELP


def printed(path: Path, folder: Path) -> str:
    pdf = sheet_pdf(path, SHEET, folder)
    command = ["pdftotext", "-layout", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_libreoffice_prints_the_group_collapsed_and_shown_when_unhidden(built, tmp_path):
    """Collapsed, the Sep-19 to Jan-20 headings are not printed; shown (what a right-click
    Unhide leaves: the columns' hidden flag and the group's collapsed one cleared), they are."""
    path = built("2020-08")
    older = [(Month(2020, 8) - offset).label for offset in range(7, 12)]
    collapsed = printed(path, tmp_path / "collapsed")
    assert not [label for label in older if label in collapsed]
    book = load_workbook(path)
    dimensions = book[SHEET].column_dimensions.values()
    assert [d for d in dimensions if d.outlineLevel == 1 and d.hidden]
    for dimension in dimensions:  # as Excel saves a group that is shown: none hidden or collapsed
        dimension.hidden = dimension.collapsed = False
    shown_path = tmp_path / "shown.xlsx"
    book.save(shown_path)
    assert [label for label in older if label in printed(shown_path, tmp_path / "shown")] == older
