"""The cell layout of the ``Dataset`` sheet: the one place that knows rows and columns.

Everything else asks this module where a thing lives (``layout.cell(ref, field)``) and never
spells a column letter itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..calc.figures import HISTORY_MONTHS, ROLLING_MONTHS
from ..model import Indicator, Month
from ..model.cells import address, column_letter, span

__all__ = ["address", "letter", "span"]

SHEET = "Dataset"

TITLE_ROW = 1
SUBTITLE_ROW = 2
NOTE_ROW = 3
POPULATION_ROW = 4
HEADER_ROW = 5
FIRST_BODY_ROW = 6


class Field(StrEnum):
    """The named columns of the sheet (months and targets are numbered separately)."""

    REF = "ref"
    NAME = "name"
    OWNER = "owner"
    REPORTER = "reporter"
    OUTCOME = "outcome"
    CHANGE_PREVIOUS = "change_previous"
    CHANGE_YEAR = "change_year"
    DOT = "dot"
    VARIATION = "variation"
    ASSURANCE = "assurance"
    AVERAGE = "average"
    MAXIMUM = "maximum"
    SN = "sn"
    ENG = "eng"
    SE = "se"
    COMMENTARY = "commentary"


_LEADING = [Field.REF, Field.NAME, Field.OWNER, Field.REPORTER, Field.OUTCOME]
_AFTER_MONTHS = [
    Field.CHANGE_PREVIOUS,
    Field.CHANGE_YEAR,
    Field.DOT,
    Field.VARIATION,
    Field.ASSURANCE,
    Field.AVERAGE,
    Field.MAXIMUM,
    Field.SN,
    Field.ENG,
    Field.SE,
]

WIDTHS = {
    Field.REF: 9,
    Field.NAME: 30,
    Field.OWNER: 9,
    Field.REPORTER: 10,
    Field.OUTCOME: 26,
    Field.CHANGE_PREVIOUS: 9,
    Field.CHANGE_YEAR: 9,
    Field.DOT: 5,
    Field.VARIATION: 12,
    Field.ASSURANCE: 10,
    Field.AVERAGE: 7,
    Field.MAXIMUM: 7,
    Field.SN: 7,
    Field.ENG: 7,
    Field.SE: 7,
    Field.COMMENTARY: 46,
}
"""Column widths (Excel's characters), narrow enough that the sheet, printed one A3 page wide,
prints its 9-point text at 6.5 points or more (tests/test_rendering.py measures it)."""
MONTH_WIDTH = 7
TARGET_WIDTH = 7


@dataclass(frozen=True)
class Band:
    """A section heading row."""

    title: str
    row: int


@dataclass(frozen=True)
class DatasetLayout:
    """Where every cell of the Dataset sheet is, for one catalogue and set of target periods."""

    refs: tuple[str, ...]
    sections: tuple[str, ...]
    target_periods: tuple[str, ...]
    visible_months: int = 7
    spc_columns: bool = True
    """False for a workbook of format 1, from before the Variation and Assurance columns."""
    rows: dict[str, int] = field(default_factory=dict, compare=False)
    bands: tuple[Band, ...] = field(default=(), compare=False)

    @classmethod
    def for_catalogue(
        cls,
        indicators: list[Indicator],
        target_periods: list[str],
        visible_months: int = 7,
        spc_columns: bool = True,
    ) -> DatasetLayout:
        rows: dict[str, int] = {}
        bands: list[Band] = []
        row = FIRST_BODY_ROW
        section = None
        for indicator in indicators:
            if indicator.section != section:
                section = indicator.section
                bands.append(Band(section, row))
                row += 1
            rows[indicator.ref] = row
            row += 1
        return cls(
            refs=tuple(item.ref for item in indicators),
            sections=tuple(item.section for item in indicators),
            target_periods=tuple(target_periods),
            visible_months=visible_months,
            spc_columns=spc_columns,
            rows=rows,
            bands=tuple(bands),
        )

    # -- columns -------------------------------------------------------------------------
    def has(self, name: Field) -> bool:
        """Whether the sheet has the named field's column (format 1 has no Variation and
        Assurance)."""
        return name in _LEADING or name in self._after_months or name is Field.COMMENTARY

    def column(self, name: Field) -> int:
        """1-based column index of a named field."""
        if name in _LEADING:
            return _LEADING.index(name) + 1
        after = self._after_months
        if name in after:
            return self.first_month_column + HISTORY_MONTHS + after.index(name)
        if name is Field.COMMENTARY:
            return self.first_target_column + len(self.target_periods)
        raise KeyError(name)

    @property
    def _after_months(self) -> list[Field]:
        if self.spc_columns:
            return _AFTER_MONTHS
        return [name for name in _AFTER_MONTHS if name not in (Field.VARIATION, Field.ASSURANCE)]

    @property
    def first_month_column(self) -> int:
        return len(_LEADING) + 1

    def month_column(self, offset: int) -> int:
        """Column of the month ``offset`` months before the report month (0 = report month)."""
        if not 0 <= offset < HISTORY_MONTHS:
            raise ValueError(f"the sheet holds {HISTORY_MONTHS} months; offset {offset} is outside")
        return self.first_month_column + HISTORY_MONTHS - 1 - offset

    @property
    def month_columns(self) -> list[int]:
        """Month columns oldest first."""
        return [self.month_column(offset) for offset in range(HISTORY_MONTHS - 1, -1, -1)]

    @property
    def hidden_month_columns(self) -> list[int]:
        """The older months, grouped and collapsed (shown only for the derived columns)."""
        return self.month_columns[: HISTORY_MONTHS - self.visible_months]

    @property
    def rolling_columns(self) -> tuple[int, int]:
        """First and last column of the 12 months ending at the report month."""
        return self.month_column(ROLLING_MONTHS - 1), self.month_column(0)

    @property
    def first_target_column(self) -> int:
        return self.column(Field.SE) + 1

    def target_column(self, period: str) -> int:
        return self.first_target_column + self.target_periods.index(period)

    @property
    def last_column(self) -> int:
        return self.column(Field.COMMENTARY)

    # -- rows ----------------------------------------------------------------------------
    def row(self, ref: str) -> int:
        return self.rows[ref]

    @property
    def last_row(self) -> int:
        return max(self.rows.values())

    # -- addresses -----------------------------------------------------------------------
    def cell(self, ref: str, name: Field) -> str:
        """A1 address like ``S7`` of an indicator's named field."""
        return address(self.row(ref), self.column(name))

    def month_cell(self, ref: str, offset: int) -> str:
        return address(self.row(ref), self.month_column(offset))

    def month_of_column(self, column: int, report_month: Month) -> Month:
        offset = self.first_month_column + HISTORY_MONTHS - 1 - column
        return report_month - offset

    def sheet_cell(
        self, ref: str, report_month: Month, month: Month | None, name: Field | None = None
    ) -> str | None:
        """``Dataset!L14``: ``ref``'s cell in the column ``name``, else its figure for ``month``
        (the window counted back from ``report_month``); None for a ref with no row here, or
        neither a column nor a month."""
        if ref not in self.rows:
            return None
        if name is not None:
            return f"{SHEET}!{self.cell(ref, name)}"
        if month is None:
            return None
        return f"{SHEET}!{self.month_cell(ref, report_month.months_since(month))}"


def letter(column: int) -> str:
    """The column's letters, ``AB``."""
    return column_letter(column)
