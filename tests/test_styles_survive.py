"""Styles survive a refresh: every cell of the workbook rolled on a month has the style the
same month's workbook is built with (font, fill, border, alignment and its wrap, number format,
protection)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlscorecard.app import workbook_file
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET


def style(cell) -> tuple:
    return (
        repr(cell.font), repr(cell.fill), repr(cell.border), repr(cell.alignment),
        cell.number_format, repr(cell.protection),
    )  # fmt: skip


def styles(path: Path) -> dict[str, dict[str, tuple]]:
    """Each cell's style, by sheet; on the Trends sheet, of the cells holding something (its
    data block leaves a blank month with the format it had: nobody sees it)."""
    book = load_workbook(path)
    return {
        sheet.title: {
            cell.coordinate: style(cell)
            for row in sheet.iter_rows()
            for cell in row
            if sheet.title != sheets.TRENDS or cell.value is not None
        }
        for sheet in book.worksheets
    }


@pytest.fixture(scope="module")
def built_and_refreshed(built, tmp_path_factory) -> tuple[dict, dict]:
    """Aug-20 as built, and Jul-20 as built then refreshed to Aug-20."""
    path = tmp_path_factory.mktemp("styles") / "dataset.xlsx"
    shutil.copy(built("2020-07"), path)
    workbook_file.refresh_file(path, backup=False)
    return styles(built("2020-08")), styles(path)


def test_every_dataset_cell_keeps_its_style_through_a_refresh(built_and_refreshed):
    made, refreshed = built_and_refreshed
    assert set(made[SHEET]) == set(refreshed[SHEET])
    changed = [cell for cell in made[SHEET] if made[SHEET][cell] != refreshed[SHEET][cell]]
    assert not changed, f"{len(changed)} cells changed style, e.g. {changed[:5]}"


def test_the_supporting_sheets_keep_their_styles_through_a_refresh(built_and_refreshed):
    made, refreshed = built_and_refreshed
    for name in made:
        both = set(made[name]) & set(refreshed[name])
        changed = [cell for cell in both if made[name][cell] != refreshed[name][cell]]
        assert not changed, f"{name}: {len(changed)} cells changed style, e.g. {changed[:5]}"
