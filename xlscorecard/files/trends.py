"""The Trends sheet in a workbook file (openpyxl): its data block and one chart per indicator.

:func:`write_trends` is called by every command that saves a workbook (build, import,
validate, refresh, the return, the working workbook after it): it writes the data block and
makes every chart again, so the charts in the file are always the ones this version draws
(openpyxl reads a file's charts back only in part). What the sheet holds is worked out in
:mod:`xlscorecard.workbook.trends`; this module places and draws it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy, deepcopy
from dataclasses import dataclass
from functools import cache

from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart, Reference, Series
from openpyxl.chart.axis import ChartLines, DateAxis, NumericAxis
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
from openpyxl.reader import excel as excel_reader
from openpyxl.styles import Alignment
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import DRAWING_NS, SHEET_DRAWING_NS
from openpyxl.xml.functions import fromstring

from ..calc.spc_report import IndicatorSpc
from ..errors import WorkbookError
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
from .pages import a3_landscape
from .styles import style_name

AXIS_FORMATS = {Unit.COUNT: "#,##0", Unit.PERCENT: "0%", Unit.RATE: "#,##0.0"}
DATA_FORMATS = {Unit.COUNT: "#,##0.0", Unit.PERCENT: "0.0%", Unit.RATE: "#,##0.0"}
"""The data block's figures (means and limits have decimals a count does not)."""
MONTH_FORMAT = "mmm-yy"
ALT_TEXT = "_xlscorecard_alt_text"
"""The attribute of a chart holding its alt text (written as its frame's ``descr``)."""
NAME = "_xlscorecard_name"
"""The attribute of a chart holding the name its frame gets."""
POINT = 12700
DATA_RANGE = range(DATA_COLUMN, DATA_COLUMN + len(DATA_COLUMNS))
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
    if not all(_is_trend_chart(chart) for chart in sheet._charts):
        raise WorkbookError(
            f"the {sheets.TRENDS} sheet holds a chart xlscorecard did not draw; it draws that "
            "sheet's charts again every time it saves the workbook, so the chart would be lost. "
            "Move it to a sheet of its own (nothing was changed)."
        )
    layout = TrendsLayout.for_dataset(dataset)
    _write_note(sheet, note(layout))
    _write_block(sheet, dataset, layout, trends_rows(dataset, month, layout, report))
    sheet.row_breaks = RowBreak()
    for row in layout.page_breaks:
        sheet.row_breaks.append(Break(id=row))
    sheet.print_area = layout.print_area
    sheet._charts = [draw(sheet, chart) for chart in charts(dataset, month, layout)]
    setattr(book, UNDRAWN, False)
    return sheet


def _is_trend_chart(chart: object) -> bool:
    """A chart drawn by xlscorecard: made here, or read back from a file (perhaps saved by
    another openpyxl program, which drops names and alt text) and drawing nothing but ranges
    of the Trends data block."""
    if getattr(chart, ALT_TEXT, None):
        return True
    ranges = [
        str(getattr(getattr(series, part, None), "numRef", None) and getattr(series, part).numRef.f)
        for series in getattr(chart, "series", [])
        for part in ("cat", "val")
    ]
    block = re.compile(
        rf"^'?{re.escape(sheets.TRENDS)}'?!\$({'|'.join(map(letter, DATA_RANGE))})\$\d+:\$\1\$\d+$"
    )
    return bool(ranges) and all(block.match(text) for text in ranges)


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
    cells = sheet._cells
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
            cell.value = value
            style = figures if offset >= first_value else month if offset == month_column else plain
            cell._style = copy(style)
    for old in range(row_index + 1, sheet.max_row + 1):
        for offset in range(len(DATA_COLUMNS)):
            if (old, DATA_COLUMN + offset) in cells:
                cells[(old, DATA_COLUMN + offset)].value = None


def _style_of(sheet: Worksheet, number_format: str) -> StyleArray:
    """The style record of a cell of this sheet with ``number_format`` and nothing else."""
    probe = Cell(sheet)
    probe.number_format = number_format
    return probe._style


# -- a chart -------------------------------------------------------------------------------
def draw(sheet: Worksheet, spec: TrendChart, kind: type[LineChart] | None = None) -> LineChart:
    """The openpyxl chart of one :class:`TrendChart`, anchored over its cells.

    The parts every chart has alike (axes, text sizes, the look of each series) are made once
    and shared by all of them: a workbook of 550 charts is written in a fraction of the time.
    ``kind``: the chart class (:class:`TrendLineChart`; openpyxl's own, to compare with).
    """
    parts = _parts()
    chart = (kind or TrendLineChart)()
    chart.style = None
    chart.title = _title(spec.title)
    chart.display_blanks = "gap"
    chart.legend.position = "b"
    chart.legend.txPr = parts.text
    chart.x_axis = parts.months
    chart.y_axis = parts.figures[spec.unit]
    chart.layout = parts.layout
    for name in spec.series:
        values = Reference(
            sheet, min_col=spec.column(name), min_row=spec.first_row, max_row=spec.last_row
        )
        series = Series(values, title=SERIES_NAMES[name])
        series.smooth = False
        series.graphicalProperties, series.marker = parts.series[name]
        chart.series.append(series)
    chart.set_categories(
        Reference(
            sheet, min_col=spec.column("month"), min_row=spec.first_row, max_row=spec.last_row
        )
    )
    chart.anchor = TwoCellAnchor(
        _from=AnchorMarker(col=spec.left - 1, row=spec.top - 1),
        to=AnchorMarker(col=spec.right - 1, row=spec.bottom - 1),
    )
    setattr(chart, ALT_TEXT, spec.description)
    setattr(chart, NAME, f"{NAME_PREFIX}{spec.ref}")
    return chart


class TrendLineChart(LineChart):
    """A line chart that writes its XML from that of the first chart of the same shape
    (series, unit) written before it, with its own title and ranges put in: the rest is the
    same, and openpyxl's serialisation of each chart afresh is the slowest part of a save."""

    # openpyxl's metaclass lists a class's XML parts from its own body: a subclass repeats them
    __attrs__ = LineChart.__attrs__
    __elements__ = LineChart.__elements__
    __nested__ = LineChart.__nested__

    def _write(self):
        key = (tuple(series.tx.v for series in self.series), self.y_axis.numFmt.formatCode)
        template = _WRITTEN.get(key)
        if template is None:
            tree = super()._write()
            _WRITTEN[key] = deepcopy(tree)
            return tree
        tree = deepcopy(template)
        ranges = [
            str(getattr(series, part).numRef.f) for series in self.series for part in ("cat", "val")
        ]
        formulas = list(tree.iter("f"))  # openpyxl names the chart namespace only at the root
        if len(formulas) != len(ranges):  # not the shape it was taken for: write it afresh
            return super()._write()
        for element, text in zip(formulas, ranges, strict=True):
            element.text = text
        (title,) = tree.iterfind(f"chart/title//{{{DRAWING_NS}}}t")
        title.text = self.title.tx.rich.p[0].r[0].t
        return tree


_WRITTEN: dict[tuple, object] = {}
"""The XML of the first chart of each shape written (by :class:`TrendLineChart`)."""


@dataclass(frozen=True)
class _Parts:
    text: RichText
    months: DateAxis
    figures: dict[Unit, NumericAxis]
    layout: Layout
    series: dict[str, tuple[GraphicalProperties, Marker]]


@cache
def _parts() -> _Parts:
    """What every chart shares (never changed once made)."""
    text = _text(8)
    months = DateAxis(
        axId=10, crossAx=100, axPos="b", numFmt=NumFmt(formatCode=MONTH_FORMAT, sourceLinked=False),
        baseTimeUnit="months", majorUnit=3, majorTimeUnit="months", auto=False,
        majorTickMark="out", lblOffset=100, delete=False, txPr=text,
        tickLblPos="low",  # below the plot, even when a lower limit is below 0
    )  # fmt: skip
    gridlines = ChartLines(spPr=GraphicalProperties(ln=LineProperties(solidFill="E7E6E6")))
    figures = {unit: _figure_axis(form, text, gridlines) for unit, form in AXIS_FORMATS.items()}
    layout = Layout(manualLayout=ManualLayout(x=0.02, y=0.16, w=0.96, h=0.6))
    return _Parts(text, months, figures, layout, {name: _look(name) for name in COLOURS})


def _figure_axis(number_format: str, text: RichText, gridlines: ChartLines) -> NumericAxis:
    return NumericAxis(
        axId=100, crossAx=10, delete=False, txPr=text, majorGridlines=gridlines,
        numFmt=NumFmt(formatCode=number_format, sourceLinked=False),
    )  # fmt: skip


def _look(name: str) -> tuple[GraphicalProperties, Marker]:
    """A series' line and markers: a dot on each special-cause month and no line; dashed
    limits; a long-dashed target; the figures a line with small dots."""
    colour = COLOURS[name]
    dots = GraphicalProperties(solidFill=colour, ln=LineProperties(solidFill=colour))
    if name in SPECIAL:
        return GraphicalProperties(ln=LineProperties(noFill=True)), Marker(
            symbol="circle", size=7, spPr=dots
        )
    line = LineProperties(solidFill=colour, w=int(1.5 * POINT if name == "figure" else POINT))
    if name in ("lower limit", "upper limit"):
        line.prstDash = "dash"
    elif name == "target":
        line.prstDash = "lgDash"
    marker = Marker(symbol="circle", size=4, spPr=dots) if name == "figure" else Marker("none")
    return GraphicalProperties(ln=line), marker


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


# -- alt text and names -----------------------------------------------------------------------
NAME_PREFIX = "Trend chart "
"""How each chart's name starts (``Trend chart LAC1``), as Excel's Selection pane lists it."""
_chart_frame = SpreadsheetDrawing._chart_frame


def _chart_frame_with_alt_text(self: SpreadsheetDrawing, idx: int):
    """openpyxl's chart frame, with the chart's alt text (``descr``) and a name saying whose
    chart it is. openpyxl numbers a drawing's charts first, from 1, so ``idx`` - 1 is the
    chart's place in ``self.charts``."""
    frame = _chart_frame(self, idx)
    chart = self.charts[idx - 1] if idx <= len(self.charts) else None
    description, name = getattr(chart, ALT_TEXT, None), getattr(chart, NAME, None)
    if description and name:
        frame.nvGraphicFramePr.cNvPr.descr = description
        frame.nvGraphicFramePr.cNvPr.name = name
    return frame


SpreadsheetDrawing._chart_frame = _chart_frame_with_alt_text  # type: ignore[method-assign]


# -- reading a workbook ------------------------------------------------------------------------
@contextmanager
def trend_charts_unread() -> Iterator[list[str]]:
    """While a workbook loads, openpyxl skips any drawing that holds nothing but the trend
    charts xlscorecard drew (named :data:`NAME_PREFIX` ..., with alt text): they are drawn
    again before any save, and reading 550 charts takes longer than drawing them. A drawing
    with anything else in it is read as usual (and a chart not of ours on Trends is refused
    by :func:`write_trends`). Yields the list of the drawings skipped, filled as it loads:
    give it to :func:`mark_undrawn` with the book."""
    original = excel_reader.find_images
    skipped: list[str] = []

    def find_images(archive, path):
        if _only_trend_charts(archive.read(path)):
            skipped.append(path)
            return [], []
        return original(archive, path)

    excel_reader.find_images = find_images
    try:
        yield skipped
    finally:
        excel_reader.find_images = original


UNDRAWN = "_xlscorecard_trends_undrawn"
"""Set on a workbook loaded without its trend charts, until :func:`write_trends` draws them."""


def mark_undrawn(book: Workbook, skipped: list[str]) -> None:
    setattr(book, UNDRAWN, bool(skipped))


def check_drawn(book: Workbook) -> None:
    """Before a save: a book loaded without its trend charts has had them drawn again
    (else they would be lost). Raises AssertionError, a fault in xlscorecard, saving nothing."""
    if getattr(book, UNDRAWN, False):
        raise AssertionError(
            "xlscorecard was about to save a workbook without drawing its Trends charts again "
            "(a fault in xlscorecard: every command that saves calls write_trends); nothing "
            "was saved"
        )


def _only_trend_charts(xml: bytes) -> bool:
    try:
        root = fromstring(xml)
    except Exception:  # a damaged part is openpyxl's to report
        return False
    anchors = list(root)
    for anchor in anchors:
        properties = anchor.find(f"{{{SHEET_DRAWING_NS}}}graphicFrame/{{{SHEET_DRAWING_NS}}}"
                                 f"nvGraphicFramePr/{{{SHEET_DRAWING_NS}}}cNvPr")  # fmt: skip
        if properties is None or not properties.get("descr"):
            return False
        if not str(properties.get("name", "")).startswith(NAME_PREFIX):
            return False
    return bool(anchors)


__all__ = [
    "ALT_TEXT", "NAME_PREFIX", "check_drawn", "draw", "mark_undrawn", "set_up_trends",
    "trend_charts_unread", "trends_sheet", "write_trends",
]  # fmt: skip
