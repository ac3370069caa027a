"""Pure calculations: derived figures, % changes, 12-month average and maximum, arrows.

Every function here mirrors a formula the workbook writes (see
:mod:`xlscorecard.workbook.formulas`), so the Python figure and the recalculated Excel figure
agree; tests hold them to that.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from ..model import NOT_APPLICABLE, POPULATION, Dataset, Indicator, Polarity, Value
from ..model.months import Month, window
from ..model.values import CALCULATED

CHANGE_DECIMALS = 6
"""% changes are rounded to this many decimals (0.0001%) so that a fall of exactly 10% is
exactly -0.1 in Python and in Excel, whatever the floating-point noise."""

ROLLING_MONTHS = 12
HISTORY_MONTHS = ROLLING_MONTHS + 1
"""Months the workbook carries: 12 for the average and maximum, plus the year-ago base."""


class Arrow(StrEnum):
    UP = "up"
    DOWN = "down"
    SIDE = "side"


class Sense(StrEnum):
    GOOD = "good"
    BAD = "bad"
    NEUTRAL = "neutral"


def is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def figure(dataset: Dataset, ref: str, month: Month) -> Value:
    """The figure the dataset shows for ``ref`` in ``month``: stored, or derived if it is."""
    indicator = dataset.indicator(ref)
    if indicator.is_derived:
        return derive(dataset, indicator, month)
    return dataset.values.get((ref, month))


def derive(dataset: Dataset, indicator: Indicator, month: Month) -> Value:
    """numerator / denominator (x 10,000 for a rate on the population).

    Missing parts give ``None``; a part that does not apply, or a zero denominator, gives
    :data:`NOT_APPLICABLE`.
    """
    parts = [figure(dataset, ref, month) for ref in indicator.numerator]
    if indicator.denominator == POPULATION:
        base: Value = dataset.settings.population(month)
        scale = 10_000.0
    else:
        base = figure(dataset, indicator.denominator or "", month)
        scale = 1.0
    everything = [*parts, base]
    if any(part is None for part in everything):
        return None
    if not all(is_number(part) for part in everything) or base == 0:
        return NOT_APPLICABLE
    return sum(parts) / base * scale  # type: ignore[arg-type, operator]


def with_calculated(dataset: Dataset) -> Dataset:
    """``dataset`` with each derived indicator's figure for every month that has figures
    worked out from its parts (source :data:`CALCULATED`), as the Dataset sheet and the
    charts show it, in place of any stored one: History and ``export`` give that series."""
    values = dict(dataset.values)
    sources = dict(dataset.sources)
    derived = [item for item in dataset.indicators if item.is_derived]
    for item in derived:
        for key in [key for key in values if key[0] == item.ref]:
            values.pop(key)
            sources.pop(key, None)
    inputs = replace(dataset, values=values, sources=sources)
    for month in dataset.months:
        for item in derived:
            value = derive(inputs, item, month)
            if is_number(value):
                value = float(f"{value:.15g}")  # as a workbook file holds it, to the digit
            if value is not None:
                values[(item.ref, month)] = value
                sources[(item.ref, month)] = CALCULATED
    return inputs


def pct_change(new: Value, old: Value) -> float | None:
    """Relative change (new - old) / old, rounded to CHANGE_DECIMALS; None where it is n/a."""
    if not (is_number(new) and is_number(old)) or old == 0:
        return None
    return round((new - old) / old, CHANGE_DECIMALS)  # type: ignore[operator]


def arrow_for(change: float | None, threshold: float) -> Arrow | None:
    """Up for a rise of ``threshold`` or more, down for a fall of it or more, else sideways."""
    if change is None:
        return None
    if change >= threshold:
        return Arrow.UP
    if change <= -threshold:
        return Arrow.DOWN
    return Arrow.SIDE


def sense_for(arrow: Arrow | None, polarity: Polarity) -> Sense:
    """Whether a movement is good or bad news, given which way is better for the indicator."""
    if arrow is None or arrow is Arrow.SIDE or polarity is Polarity.NONE:
        return Sense.NEUTRAL
    good = Arrow.UP if polarity is Polarity.UP else Arrow.DOWN
    return Sense.GOOD if arrow is good else Sense.BAD


def rolling_average(values: list[Value]) -> float | None:
    """Average of the numbers among ``values`` (blanks and ``-`` skipped, as Excel's AVERAGE)."""
    numbers = [value for value in values if is_number(value)]
    return sum(numbers) / len(numbers) if numbers else None  # type: ignore[arg-type]


def rolling_max(values: list[Value]) -> float | None:
    numbers = [value for value in values if is_number(value)]
    return max(numbers) if numbers else None  # type: ignore[type-var]


@dataclass(frozen=True)
class Change:
    value: float | None
    arrow: Arrow | None
    sense: Sense


@dataclass(frozen=True)
class ReportRow:
    """What one indicator's row shows for a report month."""

    indicator: Indicator
    months: list[Month]
    figures: list[Value]
    from_previous: Change
    from_last_year: Change
    average: float | None
    maximum: float | None

    @property
    def current(self) -> Value:
        return self.figures[-1]


def report_row(dataset: Dataset, indicator: Indicator, month: Month) -> ReportRow:
    months = window(month, HISTORY_MONTHS)
    figures = [figure(dataset, indicator.ref, each) for each in months]
    threshold = dataset.settings.arrow_threshold

    def change(base: Value) -> Change:
        value = pct_change(figures[-1], base)
        arrow = arrow_for(value, threshold)
        return Change(value, arrow, sense_for(arrow, indicator.polarity))

    last_year = figures[-ROLLING_MONTHS:]
    return ReportRow(
        indicator=indicator,
        months=months,
        figures=figures,
        from_previous=change(figures[-2]),
        from_last_year=change(figures[0]),
        average=rolling_average(last_year),
        maximum=rolling_max(last_year),
    )


def report(dataset: Dataset, month: Month) -> list[ReportRow]:
    """Every indicator's row for the report ``month``, in catalogue order."""
    return [report_row(dataset, indicator, month) for indicator in dataset.indicators]


def polarity_marker(polarity: Polarity) -> str:
    """The DoT column's marker: ▲ higher is better, ▼ lower is better, blank for neither."""
    return {Polarity.UP: "▲", Polarity.DOWN: "▼", Polarity.NONE: ""}[polarity]


__all__ = [
    "CHANGE_DECIMALS",
    "HISTORY_MONTHS",
    "NOT_APPLICABLE",
    "ROLLING_MONTHS",
    "Arrow",
    "Change",
    "ReportRow",
    "Sense",
    "arrow_for",
    "derive",
    "figure",
    "pct_change",
    "polarity_marker",
    "report",
    "report_row",
    "rolling_average",
    "rolling_max",
    "sense_for",
]
