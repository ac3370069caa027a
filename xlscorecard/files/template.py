"""The styled, empty workbook that ``build`` fills (``workbook_template.xlsx``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..workbook import schema as sheets
from ..workbook.layout import HEADER_ROW, SHEET, TITLE_ROW, letter
from .pages import a3_landscape
from .safe_write import atomic_write
from .styles import NAMED_STYLES, style_name
from .trends import set_up_trends

PACKAGE_TEMPLATE = Path(__file__).with_name("workbook_template.xlsx")
"""The template shipped with the package (the repository root's ``workbook_template.xlsx``)."""

FIXED_TIME = dt.datetime(2020, 1, 1)


def new_template() -> Workbook:
    """Create the template from code: named styles, sheets, headers, print set-up."""
    book = Workbook()
    for style in NAMED_STYLES.values():
        book.add_named_style(style)
    dataset = book.active
    dataset.title = SHEET
    dataset.cell(TITLE_ROW, 1).style = style_name("title")
    set_print_layout(dataset)
    for name in sheets.ORDER[1:]:
        sheet = book.create_sheet(name)
        if name == sheets.TRENDS:
            set_up_trends(sheet)
        else:
            write_table_header(sheet, sheets.COLUMNS[name], sheets.WIDTHS[name])
    book.properties.creator = "xlscorecard"
    book.properties.title = "Children and Families monthly dataset"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    return book


def set_print_layout(sheet: Worksheet) -> None:
    """A3 landscape, one page wide, narrow margins, page numbers in the footer."""
    a3_landscape(sheet)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def write_table_header(sheet: Worksheet, columns: list[str], widths: list[int]) -> None:
    for index, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cell = sheet.cell(1, index, name)
        cell.style = style_name("table header")
        sheet.column_dimensions[letter(index)].width = width
    sheet.freeze_panes = "A2"


def save_template(path: Path) -> None:
    """Write the template to ``path`` (``xlscorecard template`` calls this), safely."""
    atomic_write(Path(path), new_template().save)
