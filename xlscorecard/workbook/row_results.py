"""What each formula cell of the Dataset sheet shows, worked out by :mod:`calc` (the tested
Python twin of the formulas): for a return, which holds values, and for telling a formula's
result from a figure typed over it when Excel sends values only."""

from __future__ import annotations

import math

from ..calc import figures as calc
from ..calc.figures import HISTORY_MONTHS
from ..model import NOT_APPLICABLE, Dataset, Indicator, Month, Value
from ..model.values import cell_value
from .formulas import NOT_AVAILABLE, row_formulas
from .layout import DatasetLayout, Field


def formula_results(
    dataset: Dataset, indicator: Indicator, month: Month, layout: DatasetLayout
) -> dict[int, object]:
    """What each formula cell of an indicator's row shows, by column: the same blank, ``-``
    and ``n/a`` as the formulas."""
    row = calc.report_row(dataset, indicator, month)
    values: dict[int, object] = {}
    for column in row_formulas(layout, indicator):
        if column == layout.column(Field.CHANGE_PREVIOUS):
            value = _or(row.from_previous.value, NOT_AVAILABLE)
        elif column == layout.column(Field.CHANGE_YEAR):
            value = _or(row.from_last_year.value, NOT_AVAILABLE)
        elif column == layout.column(Field.AVERAGE):
            value = _or(row.average, NOT_APPLICABLE)
        elif column == layout.column(Field.MAXIMUM):
            value = _or(row.maximum, NOT_APPLICABLE)
        else:
            offset = HISTORY_MONTHS - 1 - layout.month_columns.index(column)
            value = cell_value(calc.figure(dataset, indicator.ref, month - offset))
        values[column] = value
    return values


def _or(value: Value, instead: str) -> object:
    return instead if value is None else cell_value(value)


def same_result(shown: object, result: object) -> bool:
    """Whether a cell showing ``shown`` could be the formula giving ``result`` (numbers to
    Excel's precision; a blank is the formula's empty text)."""
    if result in (None, "") or shown in (None, ""):
        return result in (None, "") and shown in (None, "")
    if isinstance(result, int | float) and isinstance(shown, int | float):
        if isinstance(shown, bool):
            return False
        return math.isclose(float(shown), float(result), rel_tol=1e-9, abs_tol=1e-9)
    return str(shown).strip() == str(result).strip()
