"""One indicator's SPC chart, drawn with openpyxl, and what openpyxl needs to handle such charts:
their alt text and names written, and left unread when a workbook loads (every save draws
them again: see :func:`xlscorecard.xlsx.trends.write_trends`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass
from functools import cache

from openpyxl.chart import LineChart, Reference, Series
from openpyxl.chart.axis import ChartLines, DateAxis, NumericAxis, Scaling
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.legend import LegendEntry
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import SHEET_DRAWING_NS
from openpyxl.xml.functions import fromstring

from ..model import Month, Unit
from ..workbook import schema as sheets
from ..workbook.layout import letter
from ..workbook.trends import COLOURS, DATA_COLUMN, DATA_COLUMNS, SERIES_NAMES, SPECIAL, TrendChart
from .openpyxl_private import (
    LineChartWrittenOnce,
    anchor_start,
    drawings_unread,
    name_chart_frames,
    two_cell_anchor,
)

AXIS_FORMATS = {Unit.COUNT: "#,##0", Unit.PERCENT: "0%", Unit.RATE: "#,##0.0"}
MONTH_FORMAT = "mmm-yy"
ALT_TEXT = "_xlscorecard_alt_text"
"""The attribute of a chart holding its alt text (written as its frame's ``descr``)."""
NAME = "_xlscorecard_name"
"""The attribute of a chart holding the name its frame gets."""
POINT = 12700
"""EMUs in a point."""
DATA_RANGE = range(DATA_COLUMN, DATA_COLUMN + len(DATA_COLUMNS))


# -- a chart -------------------------------------------------------------------------------
def draw(sheet: Worksheet, spec: TrendChart, kind: type[LineChart] | None = None) -> LineChart:
    """The openpyxl chart of one :class:`TrendChart`, anchored over its cells.

    The parts every chart has alike (axes, text sizes, the look of each series) are made once
    and shared by all of them: a workbook of 550 charts is written in a fraction of the time.
    ``kind``: the chart class (:class:`LineChartWrittenOnce`; openpyxl's own, to compare with).
    """
    parts = _parts()
    chart = (kind or LineChartWrittenOnce)()
    chart.style = None
    chart.title = _title(spec.title)
    chart.display_blanks = "gap"
    chart.legend.position = "b"
    chart.legend.txPr = parts.text
    chart.x_axis = parts.months if spec.since is None else _months_from(parts.months, spec.since)
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
    chart.legend.legendEntry = [
        LegendEntry(idx=index, delete=True)
        for index, name in enumerate(spec.series)
        if name in spec.unmarked
    ]
    chart.set_categories(
        Reference(
            sheet, min_col=spec.column("month"), min_row=spec.first_row, max_row=spec.last_row
        )
    )
    chart.anchor = two_cell_anchor(spec.left - 1, spec.top - 1, spec.right - 1, spec.bottom - 1)
    setattr(chart, ALT_TEXT, spec.description)
    setattr(chart, NAME, f"{NAME_PREFIX}{spec.ref}")
    return chart


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


EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's date serial numbers (a date axis's bounds are serials)."""


def _months_from(axis: DateAxis, since: Month) -> DateAxis:
    """The shared months axis, starting at ``since`` (a copy: the shared one is left alone)."""
    own = copy(axis)
    own.scaling = Scaling(orientation="minMax", min=(since.first_day - EXCEL_EPOCH).days)
    return own


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


def is_trend_chart(chart: object) -> bool:
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


def _ranges(chart: object) -> frozenset[str]:
    """The ranges a chart draws (categories and values), spelt alike however quoted."""
    return frozenset(
        str(getattr(series, part).numRef.f).replace("'", "")
        for series in getattr(chart, "series", [])
        for part in ("cat", "val")
        if getattr(getattr(series, part, None), "numRef", None) is not None
    )


def charts_not_ours(found: list[object], drawn_now: list[object]) -> list[str]:
    """The charts among ``found`` (read from the Trends sheet) that are not xlscorecard's own,
    described by where they sit and their title: each of ours draws the ranges of one
    indicator's rows, and is matched to the chart drawn now for the same rows; a chart drawing
    anything else, or a second chart of the same rows (a copy of one of ours), is someone's."""
    free = [_ranges(chart) for chart in drawn_now]
    others = []
    for chart in found:
        ranges = _ranges(chart)
        match = next((index for index, ours in enumerate(free) if ranges and ranges <= ours), None)
        if match is None or not is_trend_chart(chart):
            others.append(describe(chart))
        else:
            free[match] = frozenset()
    return others


def describe(chart: object) -> str:
    """``the chart at Trends!K40 titled 'Referrals by team'``."""
    anchor = anchor_start(chart)
    at = (
        f" at {sheets.TRENDS}!{letter(anchor.col + 1)}{anchor.row + 1}"
        if anchor is not None
        else ""
    )
    try:
        runs = chart.title.tx.rich.p[0].r  # type: ignore[attr-defined]
        title = "".join(run.t for run in runs)
    except (AttributeError, IndexError, TypeError):
        title = ""
    return f"the chart{at}" + (f" titled {title!r}" if title else "")


# -- alt text and names -----------------------------------------------------------------------
NAME_PREFIX = "Trend chart "
"""How each chart's name starts (``Trend chart LAC1``), as Excel's Selection pane lists it."""


def _alt_text_and_name(chart: object) -> tuple[str, str] | None:
    """The alt text (``descr``) and name of a chart's frame: a chart of ours says whose it is."""
    description, name = getattr(chart, ALT_TEXT, None), getattr(chart, NAME, None)
    return (description, name) if description and name else None


name_chart_frames(_alt_text_and_name)


# -- reading a workbook ------------------------------------------------------------------------
@contextmanager
def trend_charts_unread() -> Iterator[list[str]]:
    """While a workbook loads, openpyxl skips any drawing that holds nothing but the trend
    charts xlscorecard drew (named :data:`NAME_PREFIX` ..., with alt text): they are drawn
    again before any save, and reading 550 charts takes longer than drawing them. A drawing
    with anything else in it is read as usual (and a chart not of ours on Trends is refused
    by :func:`write_trends`). Yields the list of the drawings skipped, filled as it loads:
    give it to :func:`mark_undrawn` with the book."""
    with drawings_unread(_only_trend_charts) as skipped:
        yield skipped


UNDRAWN = "_xlscorecard_trends_undrawn"
"""Set on a workbook loaded without its trend charts, until :func:`write_trends` draws them."""


def mark_undrawn(book: Workbook, skipped: list[str]) -> None:
    setattr(book, UNDRAWN, bool(skipped))


def drawn(book: Workbook) -> None:
    """Its trend charts have been drawn again: it may be saved."""
    setattr(book, UNDRAWN, False)


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
    names: set[str] = set()
    for anchor in anchors:
        properties = anchor.find(f"{{{SHEET_DRAWING_NS}}}graphicFrame/{{{SHEET_DRAWING_NS}}}"
                                 f"nvGraphicFramePr/{{{SHEET_DRAWING_NS}}}cNvPr")  # fmt: skip
        if properties is None or not properties.get("descr"):
            return False
        name = str(properties.get("name", ""))
        if not name.startswith(NAME_PREFIX) or name in names:
            return False  # a second chart of one name is a copy: read, to be told apart
        names.add(name)
    return bool(anchors)


__all__ = [
    "ALT_TEXT", "MONTH_FORMAT", "NAME_PREFIX", "charts_not_ours", "check_drawn",
    "describe", "draw",
    "drawn", "is_trend_chart", "mark_undrawn", "trend_charts_unread",
]  # fmt: skip
