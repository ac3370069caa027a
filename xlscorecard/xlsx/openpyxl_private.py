"""Every use of openpyxl's private API, each in a small named function, behind a check of the
openpyxl version they were written for.

openpyxl's public API is too slow for the Trends sheet's tens of thousands of cells and its
hundreds of charts, and has no way to give a chart's frame alt text or to leave a drawing
unread; these reach inside it. Nothing else in xlscorecard touches a private name of openpyxl
(tests/test_openpyxl_private.py holds it to that), so a new openpyxl means reading this module
only. Each function first checks the installed version (:func:`check_version`): outside the
versions written for, a command stops with an ``Error:`` naming it, before writing anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import copy, deepcopy
from functools import cache

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, SpreadsheetDrawing, TwoCellAnchor
from openpyxl.reader import excel as excel_reader
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import DRAWING_NS

from ..errors import ScorecardError

WRITTEN_FOR = (3, 1)
"""The openpyxl versions (3.1.x; pyproject.toml pins 3.1.5) whose insides this module knows."""


def check_version() -> None:
    """Raise a :class:`ScorecardError` naming the installed openpyxl when it is not a version
    this module was written for."""
    _check(openpyxl.__version__)


@cache
def _check(version: str) -> None:
    try:
        major_minor = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        major_minor = ()
    if major_minor != WRITTEN_FOR:
        wanted = ".".join(map(str, WRITTEN_FOR))
        raise ScorecardError(
            f"openpyxl {version} is installed, but xlscorecard works with openpyxl {wanted} "
            f"only (it relies on how that version works inside): install it with pip install "
            f'"openpyxl=={wanted}.*" (nothing was changed).'
        )


# -- cells -------------------------------------------------------------------------------------
def cells_of(sheet: Worksheet) -> dict[tuple[int, int], Cell]:
    """The sheet's own store of its cells, by (row, column): only the cells there are (reading
    it makes none, unlike ``iter_rows``), and a cell put in it is in the sheet."""
    check_version()
    return sheet._cells


def style_record(cell: Cell) -> StyleArray:
    """The cell's style record (indexes into the workbook's fonts, fills, formats...)."""
    check_version()
    return cell._style


def give_style_record(cell: Cell, record: StyleArray) -> None:
    """Give the cell a copy of ``record``: its whole style at once, with no look-ups."""
    check_version()
    cell._style = copy(record)


# -- charts and pictures -----------------------------------------------------------------------
def charts_of(sheet: Worksheet) -> list:
    """The charts on the sheet."""
    check_version()
    return sheet._charts


def replace_charts(sheet: Worksheet, charts: list) -> None:
    """Put ``charts`` on the sheet instead of the charts on it."""
    check_version()
    sheet._charts = charts


def pictures_of(sheet: Worksheet) -> list:
    """The pictures on the sheet."""
    check_version()
    return sheet._images


def two_cell_anchor(left: int, top: int, right: int, bottom: int) -> TwoCellAnchor:
    """An anchor over the cells from (``left``, ``top``) to (``right``, ``bottom``), counted
    from 0."""
    check_version()
    return TwoCellAnchor(
        _from=AnchorMarker(col=left, row=top), to=AnchorMarker(col=right, row=bottom)
    )


def anchor_start(chart: object) -> AnchorMarker | None:
    """The cell where the chart's anchor starts (its column and row, from 0), if it has one."""
    check_version()
    return getattr(getattr(chart, "anchor", None), "_from", None)


class LineChartWrittenOnce(LineChart):
    """A line chart that writes its XML from that of the first chart of the same shape
    (series, axis format, first month, legend) written before it, with its own title and ranges
    put in: the rest is the same, and openpyxl's serialisation of each chart afresh is the
    slowest part of a save."""

    # openpyxl's metaclass lists a class's XML parts from its own body: a subclass repeats them
    __attrs__ = LineChart.__attrs__
    __elements__ = LineChart.__elements__
    __nested__ = LineChart.__nested__

    def _write(self):
        check_version()
        key = (
            tuple(series.tx.v for series in self.series),
            self.y_axis.numFmt.formatCode,
            self.x_axis.scaling.min,
            tuple(entry.idx for entry in self.legend.legendEntry),
        )
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
"""The XML of the first chart of each shape written (by :class:`LineChartWrittenOnce`)."""


def name_chart_frames(names: Callable[[object], tuple[str, str] | None]) -> None:
    """From now on (in this process), openpyxl writes each chart's frame with the alt text
    (``descr``) and name that ``names(chart)`` gives, if it gives any. With another openpyxl
    it does nothing: every function here stops a command that would draw or write charts."""
    try:
        check_version()
    except ScorecardError:
        return
    original = SpreadsheetDrawing._chart_frame

    def chart_frame(self: SpreadsheetDrawing, idx: int):
        check_version()
        frame = original(self, idx)
        # openpyxl numbers a drawing's charts first, from 1: idx - 1 is the chart's place
        chart = self.charts[idx - 1] if idx <= len(self.charts) else None
        named = names(chart)
        if named:
            frame.nvGraphicFramePr.cNvPr.descr, frame.nvGraphicFramePr.cNvPr.name = named
        return frame

    SpreadsheetDrawing._chart_frame = chart_frame  # type: ignore[method-assign]


# -- reading -----------------------------------------------------------------------------------
@contextmanager
def drawings_unread(unread: Callable[[bytes], bool]) -> Iterator[list[str]]:
    """While a workbook loads, openpyxl skips each drawing part whose XML ``unread`` says to
    skip; yields the list of the parts skipped, filled as it loads."""
    check_version()
    original = excel_reader.find_images
    skipped: list[str] = []

    def find_images(archive, path):
        if unread(archive.read(path)):
            skipped.append(path)
            return [], []
        return original(archive, path)

    excel_reader.find_images = find_images
    try:
        yield skipped
    finally:
        excel_reader.find_images = original
