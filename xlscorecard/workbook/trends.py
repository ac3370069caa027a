"""The ``Trends`` sheet: one SPC chart per indicator, over a data block of the figures they draw.

The one place that knows the sheet's cells. Charts sit in a grid from the top left; the data
block they draw from is a table to the right of them (a row per indicator and month, the last
``chart_months`` months to the report month). Its size depends only on the catalogue and that
setting, never on the month, so every chart's ranges stay put: a refresh in Excel, which can
rewrite cells but not charts, rewrites the block and the charts follow. The lines come from
each indicator's analysis of its full history (:mod:`xlscorecard.calc.spc_report`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..calc.spc_report import IndicatorSpc, spc_report, target_for
from ..model import Dataset, Indicator, Month, Polarity, Unit, window
from ..model.cells import column_letter, span

TITLE = "Trends: each indicator as a Making Data Count chart"
NOTE = (
    "Each chart shows the last {months} months to the report month, from the first with a "
    "figure: the figures (grey line), "
    "their mean (solid line) and process limits (dashed), the target (red, where there is "
    "one), and the months that signal a special cause as dots: blue improvement, orange "
    "concern, purple a change where neither way is better. The mean and limits come from "
    "every month in History. The figures are in the table from column {column}."
)
TITLE_ROW, NOTE_ROW = 1, 2
FIRST_CHART_ROW = 4
CHARTS_ACROSS = 3
CHART_COLUMNS = 8
"""Columns each chart spans (the chart columns are :data:`CHART_WIDTH` wide)."""
CHART_WIDTH = 9.0
CHART_ROWS = 18
"""Rows each chart spans, the gap below it included (rows are :data:`ROW_HEIGHT` high)."""
ROW_HEIGHT = 15.0
CHART_ROWS_PER_PAGE = 3
"""Rows of charts on each printed page (A3 landscape): a chart is never split over two."""

HEADER_ROW = 1
DATA_COLUMN = CHARTS_ACROSS * CHART_COLUMNS + 2
"""The data block's first column: one blank column to the right of the charts."""
DATA_COLUMNS = [
    "ref", "month", "figure", "mean", "lower limit", "upper limit", "target",
    "improvement", "concern", "neither",
]  # fmt: skip
DATA_WIDTHS = [14, 9, 10, 10, 10, 10, 10, 12, 10, 10]
SPECIAL = ("improvement", "concern", "neither")
"""The special-cause columns: a month's figure where its variation is that, else blank."""
VALUE_COLUMNS = DATA_COLUMNS[2:]
"""The columns holding figures in the indicator's unit (formatted as its figures are)."""

COLOURS = {
    "figure": "7F7F7F",
    "mean": "404040",
    "lower limit": "7F7F7F",
    "upper limit": "7F7F7F",
    "target": "C00000",
    "improvement": "00B0F0",
    "concern": "E46C0A",
    "neither": "490092",
}
SERIES_NAMES = {
    "figure": "Figure",
    "mean": "Mean",
    "lower limit": "Lower process limit",
    "upper limit": "Upper process limit",
    "target": "Target",
    "improvement": "Improvement",
    "concern": "Concern",
    "neither": "Special cause",
}


@dataclass(frozen=True)
class TrendChart:
    """One indicator's chart: where it sits, what it draws and what it says."""

    ref: str
    title: str
    description: str
    """Its alt text: true after any refresh (it names what is drawn, not this month's news)."""
    unit: Unit
    top: int
    left: int
    bottom: int
    right: int
    """The cells it covers, 1-based (the chart's corners are at the top left of the first and
    the top left of the one after the last)."""
    first_row: int
    last_row: int
    """The data block's rows of its months."""
    series: tuple[str, ...]
    """The data block's columns it draws, in :data:`DATA_COLUMNS` names."""
    since: Month | None = None
    """The first month its axis shows, when its figures start after the block's first month
    (no stretch of empty months at the left)."""
    unmarked: tuple[str, ...] = ()
    """Series it draws that have nothing to draw this month (no special cause of that kind):
    left out of its legend, which lists only what is drawn."""

    def column(self, name: str) -> int:
        """The sheet column of a data block column."""
        return DATA_COLUMN + DATA_COLUMNS.index(name)


@dataclass(frozen=True)
class TrendsLayout:
    """Where every chart and data row of the Trends sheet is, for a catalogue."""

    refs: tuple[str, ...]
    months: int

    @classmethod
    def for_dataset(cls, dataset: Dataset) -> TrendsLayout:
        months = dataset.settings.spc.chart_months
        return cls(tuple(dataset.refs), months)

    def first_row(self, ref: str) -> int:
        """The data block row of the indicator's oldest month."""
        return HEADER_ROW + 1 + self.refs.index(ref) * self.months

    @property
    def last_data_row(self) -> int:
        return HEADER_ROW + len(self.refs) * self.months

    def corner(self, index: int) -> tuple[int, int]:
        """(row, column) of the top-left cell of the ``index``-th chart (0-based)."""
        across, down = index % CHARTS_ACROSS, index // CHARTS_ACROSS
        return FIRST_CHART_ROW + down * CHART_ROWS, 1 + across * CHART_COLUMNS

    @property
    def last_chart_row(self) -> int:
        rows = -(-len(self.refs) // CHARTS_ACROSS)
        return FIRST_CHART_ROW + rows * CHART_ROWS - 1

    @property
    def page_breaks(self) -> list[int]:
        """Rows after which a printed page ends (every :data:`CHART_ROWS_PER_PAGE` rows of
        charts, but not after the last)."""
        step = CHART_ROWS_PER_PAGE * CHART_ROWS
        return list(range(FIRST_CHART_ROW - 1 + step, self.last_chart_row, step))

    @property
    def print_area(self) -> str:
        return span(1, 1, self.last_chart_row, CHARTS_ACROSS * CHART_COLUMNS)

    @property
    def data_block(self) -> str:
        """The data block's cells below its header, like ``Z2:AI1321``."""
        last = DATA_COLUMN + len(DATA_COLUMNS) - 1
        return span(HEADER_ROW + 1, DATA_COLUMN, self.last_data_row, last)


def note(layout: TrendsLayout) -> str:
    return NOTE.format(months=layout.months, column=column_letter(DATA_COLUMN))


def charts(
    dataset: Dataset,
    month: Month,
    layout: TrendsLayout,
    report: dict[str, IndicatorSpc] | None = None,
) -> list[TrendChart]:
    """Every indicator's chart for report ``month``, in catalogue order (three across).
    ``report``: the indicators' SPC, if it has been worked out already."""
    periods = dataset.target_periods
    report = report if report is not None else spc_report(dataset, month)
    return [
        trend_chart(dataset, month, indicator, layout, index, periods, report[indicator.ref])
        for index, indicator in enumerate(dataset.indicators)
    ]


def first_drawn(spc: IndicatorSpc, months: list[Month]) -> Month | None:
    """The first of ``months`` with a figure (None: none has)."""
    figures = {
        each
        for each, point in zip(spc.months, spc.chart.points, strict=True)
        if point.value is not None
    }
    return next((each for each in months if each in figures), None)


def trend_chart(
    dataset: Dataset,
    month: Month,
    indicator: Indicator,
    layout: TrendsLayout,
    index: int,
    periods: list[str] | None = None,
    spc: IndicatorSpc | None = None,
) -> TrendChart:
    """The ``index``-th chart: its axis from the first month with a figure, a target line
    when a month it shows a figure for has a target, and a legend of what it draws.
    ``spc``: the indicator's SPC, if it has been worked out already."""
    top, left = layout.corner(index)
    first = layout.first_row(indicator.ref)
    last = first + layout.months - 1
    special = ("neither",) if indicator.polarity is Polarity.NONE else ("improvement", "concern")
    spc = spc or spc_report(dataset, month)[indicator.ref]
    months = window(month, layout.months)
    since = first_drawn(spc, months)
    shown = [each for each in months if since is not None and each >= since]
    has_target = any(target_for(dataset, indicator, each, periods) is not None for each in shown)
    kinds = {point.variation for each, point in zip(spc.months, spc.chart.points, strict=True)
             if each in shown and point.value is not None}  # fmt: skip
    unmarked = tuple(kind for kind in special if kind not in kinds)
    series = ("figure", "mean", "upper limit", "lower limit")
    series += ("target",) if has_target else ()
    series += special
    block = span(first, DATA_COLUMN, last, DATA_COLUMN + len(DATA_COLUMNS) - 1)
    marked = (
        "purple dots mark the months that signal a special cause"
        if special == ("neither",)
        else "blue dots mark the months that signal an improvement, orange dots a concern"
    )
    description = (
        f"Line chart of {indicator.ref}, {indicator.name}, over the last {layout.months} "
        f"months to the report month: the monthly figures, their mean and upper and lower "
        f"process limits{', the target' if has_target else ''}; {marked}. The figures are "
        f"in the table at {block} of this sheet."
    )
    return TrendChart(
        ref=indicator.ref,
        title=f"{indicator.ref} {indicator.name}",
        description=description,
        unit=indicator.unit,
        top=top,
        left=left,
        bottom=top + CHART_ROWS - 1,
        right=left + CHART_COLUMNS,
        first_row=first,
        last_row=last,
        series=series,
        since=since if since is not None and since > months[0] else None,
        unmarked=unmarked,
    )


def trends_rows(
    dataset: Dataset,
    month: Month,
    layout: TrendsLayout,
    report: dict[str, IndicatorSpc] | None = None,
) -> list[list[object]]:
    """The data block's rows, below its header: each indicator's last months to ``month``
    (a month as the date of its first day); the target from the first month with a figure."""
    report = report if report is not None else spc_report(dataset, month)
    months = window(month, layout.months)
    periods = dataset.target_periods
    rows: list[list[object]] = []
    since_of = {ref: first_drawn(result, months) for ref, result in report.items()}
    for indicator in dataset.indicators:
        result = report[indicator.ref]
        points = dict(zip(result.months, result.chart.points, strict=True))
        for each in months:
            point = points.get(each)
            value = point.value if point else None
            since = since_of.get(indicator.ref)
            target = target_for(dataset, indicator, each, periods)
            kinds = [value if point and point.variation == kind else None for kind in SPECIAL]
            rows.append(
                [
                    indicator.ref, each.first_day, value,
                    point.mean if point else None,
                    point.lower if point else None,
                    point.upper if point else None,
                    target if since is not None and each >= since else None, *kinds,
                ]
            )  # fmt: skip
    return rows
