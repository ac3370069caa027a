"""The Trends sheet in a workbook file (openpyxl): its data block and one chart per indicator.

:func:`write_trends` is called by every command that saves a workbook (build, import,
validate, refresh, the return, the working workbook after it): it writes the data block and
makes every chart again, so the charts in the file are always the ones this version draws
(openpyxl reads a file's charts back only in part). What the sheet holds is worked out in
:mod:`xlscorecard.workbook.trends`; this module places and draws it.
"""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference, Series
from openpyxl.chart.axis import DateAxis
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, SpreadsheetDrawing, TwoCellAnchor
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.styles import Alignment
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from ..calc.spc_report import IndicatorSpc
from ..model import Dataset, Month, Unit
from ..workbook import schema as sheets
from ..workbook.layout import SHEET as DATASET
from ..workbook.layout import letter, span
from ..workbook.trends import (
    CHART_COLUMNS,
    CHART_WIDTH,
    CHARTS_ACROSS,
    COLOURS,
    DATA_COLUMN,
    DATA_COLUMNS,
    DATA_WIDTHS,
    HEADER_ROW,
    NOTE_ROW,
    ROW_HEIGHT,
    SERIES_NAMES,
    SPECIAL,
    TITLE,
    TITLE_ROW,
    VALUE_COLUMNS,
    TrendChart,
    TrendsLayout,
    charts,
    note,
    trends_rows,
)
from .styles import style_name

A3 = "8"
AXIS_FORMATS = {Unit.COUNT: "#,##0", Unit.PERCENT: "0%", Unit.RATE: "#,##0.0"}
DATA_FORMATS = {Unit.COUNT: "#,##0.0", Unit.PERCENT: "0.0%", Unit.RATE: "#,##0.0"}
"""The data block's figures (means and limits have decimals a count does not)."""
MONTH_FORMAT = "mmm-yy"
ALT_TEXT = "_xlscorecard_alt_text"
"""The attribute of a chart holding its alt text (written as its frame's ``descr``)."""
POINT = 12700
"""EMUs in a point."""


# -- the sheet -----------------------------------------------------------------------------
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
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = "Trends: page &P of &N"
    sheet.oddFooter.center.size = 8
    sheet.oddFooter.center.font = "Arial"
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
    _write_note(sheet, note(layout))
    _write_block(sheet, dataset, layout, trends_rows(dataset, month, layout, report))
    sheet.row_breaks = RowBreak()
    for row in layout.page_breaks:
        sheet.row_breaks.append(Break(id=row))
    sheet.print_area = layout.print_area
    sheet._charts = [draw(sheet, chart) for chart in charts(dataset, month, layout)]
    return sheet


def _write_note(sheet: Worksheet, text: str) -> None:
    """The note under the title, wrapped across the width of the charts."""
    cell = sheet.cell(NOTE_ROW, 1, text)
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
    them (a catalogue that shrank) cleared."""
    units = {indicator.ref: indicator.unit for indicator in dataset.indicators}
    first_value = DATA_COLUMNS.index(VALUE_COLUMNS[0])
    month_column = DATA_COLUMNS.index("month")
    width = len(DATA_COLUMNS)
    row_index = HEADER_ROW
    for row_index, row in enumerate(rows, start=HEADER_ROW + 1):
        number_format = DATA_FORMATS[units[row[0]]]
        for offset, value in enumerate(row):
            cell = sheet.cell(row_index, DATA_COLUMN + offset)
            cell.value = value  # sheet.cell(..., value=None) would keep an old value
            if offset >= first_value:
                cell.number_format = number_format
            elif offset == month_column:
                cell.number_format = MONTH_FORMAT
    for old in range(row_index + 1, sheet.max_row + 1):
        for offset in range(width):
            sheet.cell(old, DATA_COLUMN + offset).value = None


# -- a chart -------------------------------------------------------------------------------
def draw(sheet: Worksheet, spec: TrendChart) -> LineChart:
    """The openpyxl chart of one :class:`TrendChart`, anchored over its cells."""
    chart = LineChart()
    chart.style = None
    chart.title = _title(spec.title)
    chart.display_blanks = "gap"
    chart.legend.position = "b"
    chart.legend.txPr = _text(8)
    chart.y_axis.number_format = AXIS_FORMATS[spec.unit]
    chart.y_axis.numFmt.sourceLinked = False
    chart.x_axis = DateAxis(
        crossAx=100, axPos="b", numFmt=NumFmt(formatCode=MONTH_FORMAT, sourceLinked=False),
        baseTimeUnit="months", majorUnit=3, majorTimeUnit="months", auto=False,
        majorTickMark="out", lblOffset=100,
    )  # fmt: skip
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = _text(8)
    chart.x_axis.tickLblPos = "low"  # below the plot, even when a lower limit is below 0
    chart.y_axis.majorGridlines.spPr = GraphicalProperties(ln=LineProperties(solidFill="E7E6E6"))
    months = Reference(
        sheet, min_col=spec.column("month"), min_row=spec.first_row, max_row=spec.last_row
    )
    for name in spec.series:
        values = Reference(
            sheet, min_col=spec.column(name), min_row=spec.first_row, max_row=spec.last_row
        )
        series = Series(values, title=SERIES_NAMES[name])
        _style_series(series, name)
        chart.series.append(series)
    chart.set_categories(months)
    chart.anchor = TwoCellAnchor(
        _from=AnchorMarker(col=spec.left - 1, row=spec.top - 1),
        to=AnchorMarker(col=spec.right - 1, row=spec.bottom - 1),
    )
    chart.plot_area.layout = Layout(manualLayout=ManualLayout(x=0.02, y=0.16, w=0.96, h=0.6))
    setattr(chart, ALT_TEXT, spec.description)
    return chart


def _style_series(series: Series, name: str) -> None:
    colour = COLOURS[name]
    series.smooth = False
    if name in SPECIAL:  # a dot on each special-cause month, no line
        series.graphicalProperties = GraphicalProperties(ln=LineProperties(noFill=True))
        series.marker = Marker(symbol="circle", size=7)
        series.marker.graphicalProperties = GraphicalProperties(
            solidFill=colour, ln=LineProperties(solidFill=colour)
        )
        return
    line = LineProperties(solidFill=colour, w=int(1.5 * POINT if name == "figure" else POINT))
    if name in ("lower limit", "upper limit"):
        line.prstDash = "dash"
    elif name == "target":
        line.prstDash = "lgDash"
    series.graphicalProperties = GraphicalProperties(ln=line)
    if name == "figure":
        series.marker = Marker(symbol="circle", size=4)
        series.marker.graphicalProperties = GraphicalProperties(
            solidFill=colour, ln=LineProperties(solidFill=colour)
        )
    else:
        series.marker = Marker(symbol="none")


def _title(text: str) -> Title:
    properties = CharacterProperties(sz=1000, b=True)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=properties), r=[RegularTextRun(rPr=properties, t=text)]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _text(points: int) -> RichText:
    properties = CharacterProperties(sz=points * 100)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=properties), r=[], endParaRPr=properties)
    return RichText(p=[paragraph])


# -- alt text ------------------------------------------------------------------------------
_chart_frame = SpreadsheetDrawing._chart_frame


def _chart_frame_with_alt_text(self: SpreadsheetDrawing, idx: int):
    """openpyxl's chart frame, with the chart's alt text (``descr``) and a name saying whose
    chart it is. openpyxl numbers a drawing's charts first, from 1, so ``idx`` - 1 is the
    chart's place in ``self.charts``."""
    frame = _chart_frame(self, idx)
    chart = self.charts[idx - 1] if idx <= len(self.charts) else None
    description = getattr(chart, ALT_TEXT, None)
    if description:
        frame.nvGraphicFramePr.cNvPr.descr = description
        frame.nvGraphicFramePr.cNvPr.name = f"Trend chart {idx}"
    return frame


SpreadsheetDrawing._chart_frame = _chart_frame_with_alt_text  # type: ignore[method-assign]

__all__ = ["ALT_TEXT", "draw", "set_up_trends", "trends_sheet", "write_trends"]
