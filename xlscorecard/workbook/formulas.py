"""The live Excel formulas of the Dataset sheet, one builder per derived column.

Each mirrors a function in :mod:`xlscorecard.calc.figures`; the LibreOffice tests hold the two
equal. Blank in Python (``None``) is ``""`` in Excel; not applicable is ``"-"``; n/a changes are
``"n/a"``.
"""

from __future__ import annotations

from ..calc.figures import CHANGE_DECIMALS
from ..model import POPULATION, Indicator
from .contents import Formula
from .layout import POPULATION_ROW, DatasetLayout, Field, address

NOT_AVAILABLE = "n/a"


def derived(layout: DatasetLayout, indicator: Indicator, column: int) -> Formula:
    """numerator / denominator for one month column, as :func:`figures.derive`."""
    parts = [address(layout.row(ref), column) for ref in indicator.numerator]
    if indicator.denominator == POPULATION:
        base = address(POPULATION_ROW, column, absolute_row=True)
        scale = "*10000"
    else:
        base = address(layout.row(indicator.denominator or ""), column)
        scale = ""
    cells = [*parts, base]
    blank = ",".join(f'{cell}=""' for cell in cells)
    not_number = ",".join(f"NOT(ISNUMBER({cell}))" for cell in cells)
    numerator = parts[0] if len(parts) == 1 else "(" + "+".join(parts) + ")"
    return Formula(
        f'=IF(OR({blank}),"",IF(OR({not_number}),"-",IF({base}=0,"-",{numerator}/{base}{scale})))'
    )


def change(layout: DatasetLayout, ref: str, base_offset: int) -> Formula:
    """% change of the report month from ``base_offset`` months before, as
    :func:`figures.pct_change`."""
    new = layout.month_cell(ref, 0)
    old = layout.month_cell(ref, base_offset)
    return Formula(
        f'=IF(OR(NOT(ISNUMBER({new})),NOT(ISNUMBER({old}))),"{NOT_AVAILABLE}",'
        f'IF({old}=0,"{NOT_AVAILABLE}",ROUND(({new}-{old})/{old},{CHANGE_DECIMALS})))'
    )


def rolling(layout: DatasetLayout, ref: str, function: str) -> Formula:
    """12-month AVERAGE or MAX over the months ending at the report month; ``-`` if none."""
    first, last = layout.rolling_columns
    row = layout.row(ref)
    block = f"{address(row, first)}:{address(row, last)}"
    return Formula(f'=IF(COUNT({block})=0,"-",{function}({block}))')


def row_formulas(layout: DatasetLayout, indicator: Indicator) -> dict[int, Formula]:
    """Every formula of an indicator's row, by column index."""
    formulas: dict[int, Formula] = {}
    if indicator.is_derived:
        for column in layout.month_columns:
            formulas[column] = derived(layout, indicator, column)
    formulas[layout.column(Field.CHANGE_PREVIOUS)] = change(layout, indicator.ref, 1)
    formulas[layout.column(Field.CHANGE_YEAR)] = change(layout, indicator.ref, 12)
    formulas[layout.column(Field.AVERAGE)] = rolling(layout, indicator.ref, "AVERAGE")
    formulas[layout.column(Field.MAXIMUM)] = rolling(layout, indicator.ref, "MAX")
    return formulas
