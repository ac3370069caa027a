"""Read a live xlscorecard workbook (its cells as plain 2-D arrays) back into the model.

Adapters (openpyxl for files, xlwings for Excel) hand over each sheet's cells; this module turns
them into a :class:`LiveBook`: the dataset with the figures typed in the window, plus everything
the checks need to point at a cell (raw entries, overwritten formulas, moved rows).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
from dataclasses import dataclass, field, fields, replace

from ..calc.figures import HISTORY_MONTHS
from ..errors import DataFileError, WorkbookError
from ..model import Comment, Dataset, Indicator, Month, Value
from ..model.months import check_month
from ..model.tables import Table, assemble
from ..model.text import text_problem
from ..model.values import parse_value
from . import schema as sheets
from .contents import BookContents, Formula, Grid
from .formulas import row_formulas
from .layout import HEADER_ROW, SHEET, DatasetLayout, Field, address

__all__ = ["BookContents", "Entry", "Grid", "LiveBook", "read_book"]


@dataclass(frozen=True)
class Entry:
    """One input cell of the window as found: what was typed and what it means."""

    ref: str
    month: Month
    cell: str
    raw: object
    value: Value
    problem: str | None = None


@dataclass(frozen=True)
class Overwrite:
    """A formula cell that now holds a typed constant."""

    ref: str
    cell: str
    what: str
    typed: object


@dataclass(frozen=True)
class HeaderProblem:
    """A month heading that is not the month its column holds."""

    cell: str
    expected: Month
    found: object


@dataclass(frozen=True)
class RowProblem:
    row: int
    expected: str
    found: object


@dataclass
class LiveBook:
    """The workbook as the model sees it, plus what the checks need."""

    name: str
    dataset: Dataset
    month: Month
    layout: DatasetLayout
    entries: dict[tuple[str, Month], Entry] = field(default_factory=dict)
    history: dict[tuple[str, Month], Value] = field(default_factory=dict)
    commentary_cells: dict[str, str] = field(default_factory=dict)
    overwritten: list[Overwrite] = field(default_factory=list)
    row_problems: list[RowProblem] = field(default_factory=list)
    header_problems: list[HeaderProblem] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    audit: list[list[object]] = field(default_factory=list)
    formulas_known: bool = True

    def copy(self) -> LiveBook:
        """An independent copy, much cheaper than ``copy.deepcopy`` (each check gets one):
        every container is copied, field by field, and their items are immutable."""
        return _copied(self)

    def enter(self, ref: str, month: Month, raw: object, source: str = "entered") -> Entry:
        """Put ``raw`` in an input cell of the window, as typed (or imported): the entry is
        read as the sheet would read it, and the dataset follows."""
        cell = self.entries[(ref, month)].cell
        entry = _entry(self.dataset.indicator(ref), month, cell, raw)
        self.entries[(ref, month)] = entry
        key = (ref, month)
        if entry.problem is not None or entry.value is None:
            self.dataset.values.pop(key, None)
            if entry.problem is None:
                self.dataset.sources.pop(key, None)
        else:
            if self.dataset.values.get(key) != entry.value:
                self.dataset.sources[key] = source
            self.dataset.values[key] = entry.value
        return entry

    @property
    def returned_months(self) -> set[Month]:
        months = set()
        for row in self.audit:
            if len(row) > 4 and row[2] == "return saved" and row[4]:
                months.add(Month.parse(str(row[4])))
        return months

    def cell_of(self, ref: str, month: Month) -> str:
        """``Dataset!L14`` for an indicator's figure in a window month."""
        offset = self.month.months_since(month)
        return f"{SHEET}!{self.layout.month_cell(ref, offset)}"


def table(contents: BookContents, name: str) -> Table:
    grid = contents.sheets.get(name)
    if grid is None:
        raise WorkbookError(
            f"{contents.name} has no sheet {name!r}: is it an xlscorecard workbook?"
        )
    header = [str(v).strip() if v is not None else "" for v in (grid[0] if grid else [])]
    rows = []
    result = Table(name, rows, header, sheet=True, latest=contents.latest)
    for index, values in enumerate(grid[1:], start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        row = {header[i]: v for i, v in enumerate(values) if i < len(header)}
        for column, value in row.items():
            problem = text_problem(value) if isinstance(value, str) else None
            if problem:
                raise result.error(index, column, problem)
        rows.append((index, row))
    return result


def settings_mapping(contents: BookContents) -> dict[str, object]:
    """The Settings sheet's key/value rows as nested settings (``population.2019-20``)."""
    data: dict[str, object] = {}
    for _, row in table(contents, sheets.SETTINGS).rows:
        key, value = str(row.get("key") or "").strip(), row.get("value")
        if not key:
            continue
        if isinstance(value, str) and value.strip().startswith(("{", "[")):
            with contextlib.suppress(json.JSONDecodeError):
                value = json.loads(value)
        if "." in key:
            group, _, name = key.partition(".")
            data.setdefault(group, {})[name] = value  # type: ignore[index]
        else:
            data[key] = value
    return data


def read_book(contents: BookContents) -> LiveBook:
    """Turn the sheets of an xlscorecard workbook into a :class:`LiveBook`."""
    if SHEET not in contents.sheets:
        raise WorkbookError(
            f"{contents.name} has no sheet 'Dataset': is it an xlscorecard workbook?"
        )
    data = settings_mapping(contents)
    if str(data.get(sheets.FORMAT_KEY, "")).strip() != sheets.FORMAT_VERSION:
        raise WorkbookError(
            f"{contents.name} is not an xlscorecard workbook (its Settings sheet has no "
            f"{sheets.FORMAT_KEY} = {sheets.FORMAT_VERSION})"
        )
    missing = [name for name in sheets.ORDER if name not in contents.sheets]
    if missing:
        raise WorkbookError(
            f"{contents.name} has no sheet {missing[0]!r} (it was deleted or renamed): "
            f"xlscorecard keeps its {_KEEPS.get(missing[0], 'data')} there. Put it back (undo, "
            "or copy it from the previous version or a backup of the workbook) and try again; "
            "nothing was changed."
        )
    for key in ("visible_months", "year_start_month"):
        if isinstance(data.get(key), float) and data[key].is_integer():  # type: ignore[union-attr]
            data[key] = int(data[key])  # type: ignore[arg-type]
    try:
        month = check_month(Month.parse(str(data.get("report_month", ""))), contents.latest)
    except ValueError as exc:
        raise WorkbookError(f"{contents.name}: Settings report_month: {exc}") from None
    where = f"{contents.name} {sheets.SETTINGS}"
    dataset = assemble(
        data, where, {name: table(contents, sheet) for name, sheet in sheets.TABLE_SHEETS.items()}
    )
    settings = dataset.settings
    layout = DatasetLayout.for_catalogue(
        dataset.indicators, dataset.target_periods, settings.visible_months
    )
    book = LiveBook(
        name=contents.name,
        dataset=dataset,
        month=month,
        layout=layout,
        history=dict(dataset.values),
        formulas_known=contents.formulas_known,
    )
    _read_header(book, contents)
    _read_window(book, contents)
    if sheets.CHECKS in contents.sheets:
        for _, row in table(contents, sheets.CHECKS).rows:
            reason = str(row.get("reason") or "").strip()
            if reason and row.get("key"):
                book.answers[str(row["key"])] = reason
    if sheets.AUDIT in contents.sheets:
        book.audit = [list(values) for values in contents.sheets[sheets.AUDIT][1:] if any(values)]
    return book


_KEEPS = {
    sheets.CHECKS: "findings and the reasons given for queries",
    sheets.AUDIT: "record of corrections and returns",
    sheets.HISTORY: "every figure ever entered",
    sheets.COMMENTARY: "archive of commentary",
}


def _read_header(book: LiveBook, contents: BookContents) -> None:
    for offset in range(HISTORY_MONTHS):
        column = book.layout.month_column(offset)
        found = contents.cell(SHEET, HEADER_ROW, column)
        expected = book.month - offset
        if isinstance(found, dt.datetime | dt.date):
            found_month = Month(found.year, found.month)
        else:
            found_month = None
        if found_month != expected:
            cell = f"{SHEET}!{address(HEADER_ROW, column)}"
            book.header_problems.append(HeaderProblem(cell, expected, found))


def _read_window(book: LiveBook, contents: BookContents) -> None:
    layout, dataset = book.layout, book.dataset
    for indicator in dataset.indicators:
        row = layout.row(indicator.ref)
        found = contents.cell(SHEET, row, layout.column(Field.REF))
        if str(found or "").strip() != indicator.ref:
            book.row_problems.append(RowProblem(row, indicator.ref, found))
            continue
        _read_row(book, contents, indicator, row)


def _read_row(book: LiveBook, contents: BookContents, indicator: Indicator, row: int) -> None:
    layout = book.layout
    formulas = row_formulas(layout, indicator)
    for column in formulas:
        content = contents.cell(SHEET, row, column)
        if book.formulas_known and not isinstance(content, Formula):
            what = _describe_column(book, column)
            book.overwritten.append(Overwrite(indicator.ref, address(row, column), what, content))
    if not indicator.is_derived:
        for offset in range(HISTORY_MONTHS):
            month = book.month - offset
            column = layout.month_column(offset)
            book.entries[(indicator.ref, month)] = Entry(
                indicator.ref, month, address(row, column), None, None
            )
            book.enter(indicator.ref, month, contents.cell(SHEET, row, column))
    column = layout.column(Field.COMMENTARY)
    text = contents.cell(SHEET, row, column)
    text = str(text).strip() if text is not None else ""
    problem = text_problem(text)
    if problem:
        where = f"{indicator.ref}'s commentary for {book.month.label}"
        raise DataFileError(SHEET, None, None, f"{where}: {problem}", cell=address(row, column))
    book.commentary_cells[indicator.ref] = text
    key = (indicator.ref, book.month)
    if text:
        old = book.dataset.commentary.get(key)
        author = old.author if old and old.text == text else indicator.reporter
        book.dataset.commentary[key] = Comment(text, author)
    else:
        book.dataset.commentary.pop(key, None)


def _entry(indicator: Indicator, month: Month, cell: str, raw: object) -> Entry:
    if isinstance(raw, Formula):
        return Entry(indicator.ref, month, cell, raw, None, "a formula where a figure is typed")
    if isinstance(raw, dt.datetime | dt.date):
        return Entry(indicator.ref, month, cell, raw, None, f"a date ({raw:%d/%m/%Y})")
    try:
        value = parse_value(raw if not isinstance(raw, str) else raw.strip(), indicator.unit)
    except ValueError as exc:
        return Entry(indicator.ref, month, cell, raw, None, str(exc))
    return Entry(indicator.ref, month, cell, raw, value)


def _describe_column(book: LiveBook, column: int) -> str:
    layout = book.layout
    for name in (Field.CHANGE_PREVIOUS, Field.CHANGE_YEAR, Field.AVERAGE, Field.MAXIMUM):
        if layout.column(name) == column:
            return {
                Field.CHANGE_PREVIOUS: f"% change from {(book.month - 1).label}",
                Field.CHANGE_YEAR: f"% change from {(book.month - 12).label}",
                Field.AVERAGE: "12-month average",
                Field.MAXIMUM: "12-month maximum",
            }[name]
    return layout.month_of_column(column, book.month).label


def _copied(item):
    """``item`` with each container field copied one level down (settings in full)."""
    changes = {}
    for each in fields(item):
        value = getattr(item, each.name)
        if isinstance(value, Dataset):
            value = _copied(value)
        elif each.name == "settings":
            value = copy.deepcopy(value)
        elif isinstance(value, dict | set):
            value = type(value)(value)
        elif isinstance(value, list):
            value = [list(row) if isinstance(row, list) else row for row in value]
        changes[each.name] = value
    return replace(item, **changes)
