"""A workbook's cells as plain grids: what an adapter (openpyxl, xlwings) hands the model."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Month

Grid = list[list[object]]


class Formula(str):
    """A cell's formula, ``=...``: written as a live formula by every writer. Any other text,
    however it starts (a comment typed as ``=1+1``, a name from a data file), is a plain ``str``
    and is written as text, never evaluated. Readers give ``Formula`` only for cells that hold a
    formula, so archived text starting with ``=`` stays text."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Formula({str.__repr__(self)})"


def as_text(rows: list[list[object]]) -> list[list[object]]:
    """Rows read back from a sheet, with any formula in them (typed by someone) as its text:
    what xlscorecard writes again is never a formula it did not make."""
    return [[str(value) if isinstance(value, Formula) else value for value in row] for row in rows]


@dataclass
class BookContents:
    """Each sheet's cells from A1, row by row; formulas as :class:`Formula` when the adapter
    can see them (``formulas_known``), else their values. ``latest`` is the latest month a
    figure may be for (the adapter knows today's date; None: no upper limit is checked)."""

    name: str
    sheets: dict[str, Grid]
    formulas_known: bool = True
    latest: Month | None = None

    def cell(self, sheet: str, row: int, column: int) -> object:
        grid = self.sheets.get(sheet, [])
        if row - 1 < len(grid) and column - 1 < len(grid[row - 1]):
            return grid[row - 1][column - 1]
        return None
