"""The styled, empty workbook that ``build`` fills (``workbook_template.xlsx``)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from ..store.safe_write import atomic_write
from ..workbook import schema as sheets
from ..workbook.layout import HEADER_ROW, SHEET, TITLE_ROW, letter
from .pages import A3, a3_landscape
from .save import write_workbook
from .styles import NAMED_STYLES, style_name
from .trends import set_up_trends

PACKAGE_TEMPLATE = Path(__file__).with_name("workbook_template.xlsx")
"""The template shipped with the package (the repository root's ``workbook_template.xlsx``)."""

FIXED_TIME = dt.datetime(2020, 1, 1)
A4 = "9"


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
            set_table_layout(sheet, name)
    book.properties.creator = "xlscorecard"
    book.properties.title = "Monthly dataset"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    return book


def set_print_layout(sheet: Worksheet) -> None:
    """A3 landscape, one page wide, narrow margins, page numbers in the footer."""
    a3_landscape(sheet)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def set_table_layout(sheet: Worksheet, name: str) -> None:
    """A supporting sheet on screen and on paper: long texts wrap, internal columns are
    hidden, and it prints one page wide (landscape A3, or portrait A4 for a narrow table)
    with its header row on every page."""
    columns = sheets.COLUMNS[name]
    wrapped = sheets.WRAPPED.get(name, set())
    for index, column in enumerate(columns, start=1):
        dimension = sheet.column_dimensions[letter(index)]
        dimension.alignment = Alignment(vertical="top", wrap_text=column in wrapped)
    for column in sheets.HIDDEN.get(name, set()):
        sheet.column_dimensions[letter(columns.index(column) + 1)].hidden = True
    portrait = name in sheets.PORTRAIT
    sheet.page_setup.orientation = "portrait" if portrait else "landscape"
    sheet.page_setup.paperSize = A4 if portrait else A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddHeader.left.text = "&A"
    sheet.oddHeader.left.size = 8
    sheet.oddHeader.left.font = "Arial"
    sheet.oddFooter.center.text = "Page &P of &N"
    sheet.oddFooter.center.size = 8
    sheet.oddFooter.center.font = "Arial"
    sheet.print_title_rows = "1:1"


def write_table_header(sheet: Worksheet, columns: list[str], widths: list[int]) -> None:
    for index, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cell = sheet.cell(1, index, name)
        cell.style = style_name("table header")
        sheet.column_dimensions[letter(index)].width = width
    sheet.freeze_panes = "A2"


def save_template(path: Path) -> None:
    """Write the template to ``path`` (``xlscorecard template`` calls this), safely."""
    atomic_write(Path(path), partial(write_workbook, new_template()))
