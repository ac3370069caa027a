"""The Trends sheet in a workbook file (openpyxl): its data block and one chart per indicator.

:func:`write_trends` is called by every command that saves a workbook (build, import,
validate, refresh, the return, the working workbook after it): it writes the data block and
makes every chart again, so the charts in the file are always the ones this version draws
(openpyxl reads a file's charts back only in part). What the sheet holds is worked out in
:mod:`xlscorecard.workbook.trends`; this module places it, :mod:`.charts` draws each chart.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from ..calc.spc_report import IndicatorSpc, spc_report
from ..errors import WorkbookError
from ..model import Dataset, Month, Unit
from ..workbook import schema as sheets
from ..workbook.layout import SHEET as DATASET
from ..workbook.layout import letter, span
from ..workbook.trends import (
    CHART_COLUMNS,
    CHART_WIDTH,
    CHARTS_ACROSS,
    DATA_COLUMN,
    DATA_COLUMNS,
    DATA_WIDTHS,
    HEADER_ROW,
    NOTE_ROW,
    ROW_HEIGHT,
    TITLE,
    TITLE_ROW,
    VALUE_COLUMNS,
    TrendsLayout,
    charts,
    note,
    trends_rows,
)
from .cells import set_value
from .charts import MONTH_FORMAT, charts_not_ours, draw, drawn
from .openpyxl_private import (
    cells_of,
    charts_of,
    give_style_record,
    replace_charts,
    style_record,
)
from .pages import a3_landscape
from .styles import style_name

DATA_FORMATS = {Unit.COUNT: "#,##0.0", Unit.PERCENT: "0.0%", Unit.RATE: "#,##0.0"}
"""The data block's figures (means and limits have decimals a count does not)."""


def trends_sheet(book: Workbook) -> Worksheet:
    """The book's Trends sheet, added after Dataset (as in the template) if it has none."""
    if sheets.TRENDS in book.sheetnames:
        return book[sheets.TRENDS]
    index = book.sheetnames.index(DATASET) + 1 if DATASET in book.sheetnames else 0
    sheet = book.create_sheet(sheets.TRENDS, index)
    set_up_trends(sheet)
    return sheet


def set_up_trends(sheet: Worksheet) -> None:
    """What the template's Trends sheet holds: title, the data block's header, widths, print
    set-up (A3 landscape, one page wide)."""
    sheet.cell(TITLE_ROW, 1, TITLE).style = style_name("subtitle")
    for index, (name, width) in enumerate(zip(DATA_COLUMNS, DATA_WIDTHS, strict=True)):
        cell = sheet.cell(HEADER_ROW, DATA_COLUMN + index, name)
        cell.style = style_name("table header")
        sheet.column_dimensions[letter(DATA_COLUMN + index)].width = width
    for column in range(1, CHARTS_ACROSS * CHART_COLUMNS + 1):
        sheet.column_dimensions[letter(column)].width = CHART_WIDTH
    sheet.sheet_format.defaultRowHeight = ROW_HEIGHT
    sheet.sheet_format.customHeight = True
    a3_landscape(sheet, footer="Trends: page &P of &N", margin=0.4)
    sheet.sheet_view.zoomScale = 90


def write_trends(
    book: Workbook,
    dataset: Dataset,
    month: Month,
    report: dict[str, IndicatorSpc] | None = None,
) -> Worksheet:
    """The Trends sheet for report ``month``: note, data block, print pages, and every chart
    made again. ``report``: the indicators' SPC, if it has been worked out already."""
    sheet = trends_sheet(book)
    layout = TrendsLayout.for_dataset(dataset)
    report = report if report is not None else spc_report(dataset, month)
    new = [draw(sheet, chart) for chart in charts(dataset, month, layout, report)]
    others = charts_not_ours(charts_of(sheet), new)
    if others:
        listed = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        one = len(others) == 1
        raise WorkbookError(
            f"the {sheets.TRENDS} sheet holds {listed}, which xlscorecard did not draw (a "
            "copy of one of its charts, or a chart someone added); it draws that sheet's charts "
            f"again every time it saves the workbook, so {'it' if one else 'they'} would be "
            f"lost. Move {'it' if one else 'them'} to a sheet of its own, or delete a copy you "
            "do not need (nothing was changed)."
        )
    _write_note(sheet, note(layout))
    _write_block(sheet, dataset, layout, trends_rows(dataset, month, layout, report))
    sheet.row_breaks = RowBreak()
    for row in layout.page_breaks:
        sheet.row_breaks.append(Break(id=row))
    sheet.print_area = layout.print_area
    replace_charts(sheet, new)
    drawn(book)
    return sheet


def _write_note(sheet: Worksheet, text: str) -> None:
    """The note under the title, wrapped across the width of the charts."""
    cell = sheet.cell(NOTE_ROW, 1)
    set_value(cell, text)
    cell.style = style_name("note")
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    area = span(NOTE_ROW, 1, NOTE_ROW, CHARTS_ACROSS * CHART_COLUMNS)
    if area not in {str(merged) for merged in sheet.merged_cells.ranges}:
        sheet.merge_cells(area)
    sheet.row_dimensions[NOTE_ROW].height = 2 * ROW_HEIGHT


def _write_block(
    sheet: Worksheet, dataset: Dataset, layout: TrendsLayout, rows: list[list[object]]
) -> None:
    """The rows below the header, formatted by each indicator's unit; older rows below
    them (a catalogue that shrank) cleared.

    A block is tens of thousands of cells, so each cell gets its value and a ready-made
    style record directly (openpyxl's ``cell.number_format = ...`` looks the format up for
    every cell), and a blank is no cell at all unless there was one. (A figure written in
    later by Excel, into a month that was blank, is shown unformatted until the next save:
    the charts format their own axes.)"""
    units = {indicator.ref: indicator.unit for indicator in dataset.indicators}
    formats = {
        unit: _style_of(sheet, number_format) for unit, number_format in DATA_FORMATS.items()
    }
    month = _style_of(sheet, MONTH_FORMAT)
    plain = _style_of(sheet, "General")
    first_value = DATA_COLUMNS.index(VALUE_COLUMNS[0])
    month_column = DATA_COLUMNS.index("month")
    cells = cells_of(sheet)
    row_index = HEADER_ROW
    for row_index, row in enumerate(rows, start=HEADER_ROW + 1):
        figures = formats[units[row[0]]]
        for offset, value in enumerate(row):
            column = DATA_COLUMN + offset
            cell = cells.get((row_index, column))
            if cell is None:
                if value is None:
                    continue  # no cell at all: a blank costs nothing to save
                cell = cells[(row_index, column)] = Cell(sheet, row=row_index, column=column)
            style = figures if offset >= first_value else month if offset == month_column else plain
            give_style_record(cell, style)
            set_value(cell, value)  # a ref from a data file stays text, however it starts
    for old in range(row_index + 1, sheet.max_row + 1):
        for offset in range(len(DATA_COLUMNS)):
            if (old, DATA_COLUMN + offset) in cells:
                cells[(old, DATA_COLUMN + offset)].value = None


def _style_of(sheet: Worksheet, number_format: str) -> StyleArray:
    """The style record of a cell of this sheet with ``number_format`` and nothing else."""
    probe = Cell(sheet)
    probe.number_format = number_format
    return style_record(probe)


__all__ = ["set_up_trends", "trends_sheet", "write_trends"]
