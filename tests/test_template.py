"""workbook_template.xlsx is the styled, empty template, and it is up to date with the code."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.support.paths import ROOT
from xlscorecard.workbook import schema as sheets
from xlscorecard.xlsx.styles import NAMED_STYLES
from xlscorecard.xlsx.template import save_template

CHECKED_IN = ROOT / "workbook_template.xlsx"


def describe(path: Path) -> dict:
    """Everything a person could see in the template, in a comparable form."""
    book = load_workbook(path)
    styles = {
        style.name: (
            repr(style.font),
            repr(style.fill),
            repr(style.border),
            repr(style.alignment),
            style.number_format,
        )
        for style in book._named_styles
    }
    result: dict = {"sheets": book.sheetnames, "styles": styles}
    for sheet in book.worksheets:
        result[sheet.title] = {
            "cells": [
                (cell.coordinate, cell.value, cell.style)
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None or cell.style != "Normal"
            ],
            "widths": {k: v.width for k, v in sheet.column_dimensions.items()},
            "freeze": sheet.freeze_panes,
            "page": repr(sheet.page_setup.__dict__),
            "titles": sheet.print_title_rows,
        }
    return result


def test_checked_in_template_matches_the_code(tmp_path):
    fresh = tmp_path / "template.xlsx"
    save_template(fresh)
    assert describe(CHECKED_IN) == describe(fresh), (
        "workbook_template.xlsx is out of date: run `xlscorecard template`"
    )


def test_template_is_empty_but_styled():
    book = load_workbook(CHECKED_IN)
    assert book.sheetnames == sheets.ORDER
    assert {style.name for style in NAMED_STYLES.values()} <= set(book.named_styles)
    history = book[sheets.HISTORY]
    assert [c.value for c in history[1]] == sheets.COLUMNS[sheets.HISTORY]
    assert history.max_row == 1
