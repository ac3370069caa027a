"""Each indicator's Making Data Count XmR chart, as the workbook shows it for a report month.

The glue between the dataset and :func:`xlscorecard.spc.xmr`: an indicator's series is its
full history (every month the dataset holds up to the report month, not just the 13 on the
sheet; a derived indicator's computed figures), its direction of improvement is its polarity,
its target the one for the report month's reporting year (when it is a number), and the
council's ``[spc]`` settings (:class:`~xlscorecard.model.spc_config.SpcConfig`) give the
options, recalculation months and baselines. The words the Variation and Assurance cells
show are here too, so the workbook and the command line say the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Dataset, Indicator, Month, Unit, Value
from ..model.spc_config import SpcConfig
from ..model.values import show_value
from ..spc import XmR, xmr
from .figures import figure, is_number

VARIATION_WORDS = {
    "improvement-high": "● Improvement (high)",
    "improvement-low": "● Improvement (low)",
    "concern-high": "● Concern (high)",
    "concern-low": "● Concern (low)",
    "neither-high": "● Neither (high)",
    "neither-low": "● Neither (low)",
    "common": "○ Common cause",
}
"""The Variation cell's text for each icon: a filled dot for a special cause, a hollow one for
common cause, and the words (never colour alone)."""
ASSURANCE_WORDS = {"pass": "● Pass", "fail": "● Fail", "hit-or-miss": "○ Hit or miss"}
"""The Assurance cell's text: a filled dot when the target is reliably met or missed."""
NO_FIGURE = "No figure yet"
TOO_FEW = "Too few months ({points} of {needed})"


@dataclass(frozen=True)
class IndicatorSpc:
    """One indicator's XmR chart: its months (oldest first, ending at the report month), the
    analysis of their figures, and the target its Assurance comes from."""

    indicator: Indicator
    months: tuple[Month, ...]
    chart: XmR
    target: float | None
    minimum_points: int

    @property
    def ref(self) -> str:
        return self.indicator.ref

    @property
    def latest(self) -> float | None:
        """The report month's figure (None when it has none yet)."""
        return self.chart.points[-1].value if self.chart.points else None

    @property
    def variation(self) -> str | None:
        """The report month's kind of variation: improvement, concern, neither, common, or
        None (no figure, or too few months)."""
        return self.chart.points[-1].variation if self.chart.points else None

    @property
    def variation_icon(self) -> str | None:
        """The Variation icon of the report month (None without a figure for it)."""
        return self.chart.variation_icon if self.latest is not None else None

    @property
    def variation_text(self) -> str:
        """What the Variation cell says."""
        if self.latest is None:
            return NO_FIGURE
        if self.variation_icon is None:
            points = self.chart.segments[-1].points
            return TOO_FEW.format(points=points, needed=self.minimum_points)
        return VARIATION_WORDS[self.variation_icon]

    @property
    def assurance_text(self) -> str | None:
        """What the Assurance cell says: blank without a target or a direction of improvement."""
        if self.chart.assurance_icon is not None:
            return ASSURANCE_WORDS[self.chart.assurance_icon]
        if self.target is None or self.chart.improvement == "none":
            return None
        points = self.chart.segments[-1].points
        return TOO_FEW.format(points=points, needed=self.minimum_points)


def history_months(dataset: Dataset, month: Month) -> list[Month]:
    """Every month from the dataset's first figure to ``month`` (just ``month`` if none)."""
    since = min((when for _, when in dataset.values), default=month)
    if since > month:
        return [month]
    return [since + k for k in range(month.months_since(since) + 1)]


def series(
    dataset: Dataset, indicator: Indicator, month: Month, every: list[Month] | None = None
) -> tuple[list[Month], list[float | None]]:
    """The indicator's months and figures, from its first figure to ``month``: a month
    without a figure (blank, or ``-`` for does not apply) is None, a missing point.
    ``every``: :func:`history_months`, if known."""
    every = every or history_months(dataset, month)
    values = [_number(figure(dataset, indicator.ref, each)) for each in every]
    first = next((k for k, value in enumerate(values) if value is not None), len(values) - 1)
    return every[first:], values[first:]


def _number(value: Value) -> float | None:
    return float(value) if is_number(value) else None  # type: ignore[arg-type]


def target_for(
    dataset: Dataset, indicator: Indicator, month: Month, periods: list[str] | None = None
) -> float | None:
    """The indicator's target for ``month``: that of the month's reporting year or, when the
    dataset has no targets for that year yet, of the latest year before it that it has (the
    last Target column the sheet shows). None when the indicator has no target there, or it
    is not a number (``TBC``). ``periods``: the dataset's target periods, if known."""
    period = month.financial_year(dataset.settings.year_start_month)
    periods = [each for each in periods or dataset.target_periods if each <= period]
    return _number(dataset.targets.get((indicator.ref, periods[-1]))) if periods else None


def indicator_spc(
    dataset: Dataset,
    indicator: Indicator,
    month: Month,
    config: SpcConfig | None = None,
    every: list[Month] | None = None,
    periods: list[str] | None = None,
) -> IndicatorSpc:
    """The XmR chart of one indicator's full history up to report ``month``. ``every`` and
    ``periods``: :func:`history_months` and the dataset's target periods, if known."""
    config = config or dataset.settings.spc
    months, values = series(dataset, indicator, month, every)
    start = months[0]
    recalculate = [
        start_at
        for each in config.recalculate.get(indicator.ref, ())
        if 0 < (start_at := each.months_since(start)) < len(months)
    ]
    target = target_for(dataset, indicator, month, periods)
    chart = xmr(
        values,
        indicator.polarity.value,
        run_length=config.run_length,
        trend_length=config.trend_length,
        minimum_points=config.minimum_points,
        recalculate_at=recalculate,
        baseline=config.baseline.get(indicator.ref),
        target=target,
    )
    return IndicatorSpc(indicator, tuple(months), chart, target, config.minimum_points)


def spc_report(dataset: Dataset, month: Month) -> dict[str, IndicatorSpc]:
    """Every indicator's XmR chart for report ``month``, by ref, in catalogue order."""
    config = dataset.settings.spc
    every, periods = history_months(dataset, month), dataset.target_periods
    return {
        indicator.ref: indicator_spc(dataset, indicator, month, config, every, periods)
        for indicator in dataset.indicators
    }


__all__ = [
    "ASSURANCE_WORDS",
    "NO_FIGURE",
    "TOO_FEW",
    "VARIATION_WORDS",
    "IndicatorSpc",
    "history_months",
    "indicator_spc",
    "series",
    "spc_report",
    "spc_table",
    "target_for",
]


# -- the table on the terminal -----------------------------------------------------------------
TABLE_COLUMNS = ("ref", "latest", "mean", "lower limit", "upper limit", "variation", "assurance")


def _line(value: float | None, unit: Unit) -> str:
    """A mean or limit: one decimal place (a count's mean has them too)."""
    if value is None:
        return ""
    if unit is Unit.PERCENT:
        return f"{value * 100:.1f}%"
    return f"{value:,.1f}"


def spc_table(report: dict[str, IndicatorSpc], month: Month) -> list[str]:
    """The report as lines of text: a title, then a row per indicator under a header."""
    rows = [list(TABLE_COLUMNS)]
    for result in report.values():
        unit, chart = result.indicator.unit, result.chart
        assurance = result.assurance_text or ""
        if result.target is not None:
            assurance = f"{assurance} (target {show_value(result.target, unit)})".strip()
        rows.append(
            [
                result.ref,
                "" if result.latest is None else show_value(result.latest, unit),
                _line(chart.mean, unit), _line(chart.lower, unit), _line(chart.upper, unit),
                result.variation_text, assurance,
            ]
        )  # fmt: skip
    widths = [max(len(row[k]) for row in rows) for k in range(len(TABLE_COLUMNS))]
    right = {1, 2, 3, 4}
    lines = [
        f"SPC of each indicator's figures up to {month.label} (every month in History; "
        "docs/spc.md explains the icons)"
    ]
    for row in rows:
        cells = [
            text.rjust(width) if k in right else text.ljust(width)
            for k, (text, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines
