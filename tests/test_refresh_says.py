"""Refresh says, and records in Audit, when the month it leaves was never returned; what it says
is left to do is what validate says straight after."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.harness import press
from tests.support.returns import fake_pdf, make_ready
from xlscorecard.app import return_file, workbook_file
from xlscorecard.workbook import schema as sheets


def copy_of(built, tmp_path: Path, month: str) -> Path:
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built(month), path)
    return path


def audit(path: Path) -> list[tuple]:
    return list(load_workbook(path)[sheets.AUDIT].iter_rows(min_row=2, values_only=True))


def test_refresh_says_and_records_that_the_month_it_leaves_was_never_returned(built, tmp_path):
    path = copy_of(built, tmp_path, "2020-08")
    outcome = workbook_file.refresh_file(path, user="Sam Jones", when="2020-09-01 09:00:00")
    assert outcome.summary.startswith(
        "Rolled forward to Sep-20. Aug-20 was rolled on without a return (recorded in Audit)."
    )
    assert ("2020-09-01 09:00:00", "Sam Jones", "not returned", None, "2020-08") in [
        row[:5] for row in audit(path)
    ]


def test_refresh_says_nothing_of_a_month_that_was_returned(built, tmp_path):
    path = make_ready(built("2020-08"), tmp_path / "dataset.xlsx")
    return_file.save_return_file(path, tmp_path / "returns", pdf_maker=fake_pdf)
    outcome = workbook_file.refresh_file(path)
    assert "without a return" not in outcome.summary
    assert "not returned" not in [row[2] for row in audit(path)]


def test_refresh_month_pressed_in_excel_says_so_too(built, tmp_path):
    path = copy_of(built, tmp_path, "2020-08")
    assert "Aug-20 was rolled on without a return" in press(path).message


def counts(summary: str) -> str:
    """What is left to do, from a summary: ``3 comments to write on Dataset; ...``."""
    return re.sub(r"^.*?(\w{3}-\d\d): ", "", summary.splitlines()[-1])


@pytest.mark.parametrize("month", ["2020-07", "2020-04"])
def test_what_refresh_says_is_left_is_what_validate_says_straight_after(built, tmp_path, month):
    """Built at Jul-20, the sample already holds Aug-20's figures and comments: refresh fills
    the new month from them, and counts what is left on what it wrote."""
    path = copy_of(built, tmp_path, month)
    refreshed = workbook_file.refresh_file(path)
    validated = workbook_file.validate_file(path)
    assert counts(refreshed.summary) == counts(validated.summary)
    assert [f.key for f in refreshed.findings] == [f.key for f in validated.findings]


def test_refresh_fills_the_new_month_from_history_where_it_holds_it(built, tmp_path):
    """The sample's data runs to Aug-20: a workbook built for Jul-20 finds Aug-20 there."""
    from xlscorecard.workbook.layout import SHEET

    path = copy_of(built, tmp_path, "2020-07")
    workbook_file.refresh_file(path)
    _, book = workbook_file.open_book(path)
    cell = book.layout.month_cell("M1", 0)
    assert load_workbook(path)[SHEET][cell].value == 1343  # Aug-20's figure
