"""A workbook's cells as plain grids: what an adapter (openpyxl, xlwings) hands the model."""

from __future__ import annotations

from dataclasses import dataclass

Grid = list[list[object]]


@dataclass
class BookContents:
    """Each sheet's cells from A1, row by row; formulas as ``=...`` text when the adapter
    can see them (``formulas_known``), else their values."""

    name: str
    sheets: dict[str, Grid]
    formulas_known: bool = True

    def cell(self, sheet: str, row: int, column: int) -> object:
        grid = self.sheets.get(sheet, [])
        if row - 1 < len(grid) and column - 1 < len(grid[row - 1]):
            return grid[row - 1][column - 1]
        return None
