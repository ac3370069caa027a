"""What every formula cell of a workbook shows, from the tested Python calculation (:mod:`calc`).

A file holds, beside each formula, the value it last gave (its cached value). Readers that do not
calculate (Protected View, pandas, python-calamine, phone previews, search indexes) show only
that, and Excel trusts it when the file says it was calculated by its own calculation engine. The
writers store the values :func:`formula_values` gives: a cell is given one only where Python
can vouch for it, i.e. the cell holds exactly the formula xlscorecard writes there and every cell
that formula reads holds what the model read from it (a figure, ``-`` or a blank). Anything else
(a typed-over formula, ``12a`` in an input cell, a formula someone added) is left out, and the
file then asks Excel to recalculate everything when it opens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..calc.figures import HISTORY_MONTHS
from ..errors import ScorecardError
from ..model import NOT_APPLICABLE, POPULATION, Indicator
from ..model.book import Entry, LiveBook
from ..model.values import cell_value
from . import schema as sheets
from .contents import BookContents, Formula
from .formulas import row_formulas
from .layout import POPULATION_ROW, SHEET
from .reading import read_book
from .row_results import formula_results

LINK = re.compile(r'^=HYPERLINK\("#[^"]*","([^"]*)"\)$')
"""A Checks row's link to its cell (:func:`checks.answers.checks_rows`): it shows its second
argument."""


@dataclass
class Shown:
    """Formula results by sheet and (row, column), and the formula cells left without one."""

    values: dict[str, dict[tuple[int, int], object]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    """``Sheet!A1`` of each formula cell Python cannot vouch for."""

    @property
    def complete(self) -> bool:
        return not self.unknown


def formula_values(contents: BookContents) -> Shown:
    """The value of every formula cell of ``contents`` that Python can vouch for."""
    formulas = {
        name: {
            (r, c): value
            for r, row in enumerate(grid, start=1)
            for c, value in enumerate(row, start=1)
            if isinstance(value, Formula)  # text starting with "=" is text
        }
        for name, grid in contents.sheets.items()
    }
    shown = Shown()
    if formulas.get(SHEET):
        shown.values[SHEET] = _dataset_values(contents, formulas[SHEET])
    for name, cells in formulas.items():
        if name == sheets.CHECKS:
            links = {where: LINK.match(text) for where, text in cells.items()}
            shown.values[name] = {where: m.group(1) for where, m in links.items() if m}
        for where in cells:
            if where not in shown.values.get(name, {}):
                shown.unknown.append(f"{name}!{_address(*where)}")
    return shown


def _address(row: int, column: int) -> str:
    from ..model.cells import address

    return address(row, column)


def _dataset_values(contents: BookContents, cells: dict[tuple[int, int], str]) -> dict:
    """The Dataset sheet's formula cells, each from :func:`row_results.formula_results` where its
    row's figures are all what the formulas see (see the module's description); blank is
    ``""``."""
    try:
        book = read_book(contents)
    except ScorecardError:  # not a workbook xlscorecard can read: nothing to vouch for
        return {}
    layout, values = book.layout, {}
    for indicator in vouched(book, contents):
        row = layout.row(indicator.ref)
        shows = formula_results(book.dataset, indicator, book.month, layout)
        for column, formula in row_formulas(layout, indicator).items():
            if cells.get((row, column)) == formula:
                value = shows[column]
                values[(row, column)] = "" if value is None else value
    return values


def vouched(book: LiveBook, contents: BookContents) -> list[Indicator]:
    """The indicators whose row's formulas see exactly what the model read: their own and
    their parts' figures are numbers it accepted, ``-`` or blank; a derived row still holds
    its formulas; a rate's population cells hold the Settings population."""
    dataset, layout = book.dataset, book.layout
    moved = {problem.expected for problem in book.row_problems}
    indicators = {indicator.ref: indicator for indicator in dataset.indicators}
    population_ok = all(
        _same(
            contents.cell(SHEET, POPULATION_ROW, layout.month_column(offset)),
            cell_value(dataset.settings.population(book.month - offset)),
        )
        for offset in range(HISTORY_MONTHS)
    )
    known: dict[str, bool] = {}

    def ok(ref: str) -> bool:
        if ref in known:
            return known[ref]
        known[ref] = False  # a cycle vouches for nothing
        indicator = indicators.get(ref)
        if ref in moved or indicator is None:
            return False
        if indicator.is_derived:
            row, formulas = layout.row(ref), row_formulas(layout, indicator)
            good = all(contents.cell(SHEET, row, c) == formulas[c] for c in layout.month_columns)
            for part in [*indicator.numerator, indicator.denominator or ""]:
                good = good and (population_ok if part == POPULATION else ok(part))
        else:
            good = all(
                _clean(book.entries.get((ref, book.month - offset)))
                for offset in range(HISTORY_MONTHS)
            )
        known[ref] = good
        return good

    return [indicator for indicator in dataset.indicators if ok(indicator.ref)]


def _clean(entry: Entry | None) -> bool:
    """The cell holds what the formulas and the model both read the same way."""
    if entry is None:
        return False
    raw = entry.raw
    if raw is None:
        return True
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int | float):
        return entry.problem is None and entry.value == raw
    return isinstance(raw, str) and raw.strip() == NOT_APPLICABLE


def _same(found: object, expected: object) -> bool:
    if expected is None:
        return found in (None, "")
    return not isinstance(found, bool) and isinstance(found, int | float) and found == expected
