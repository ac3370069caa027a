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
from ..model import Answer, Dataset, Indicator, Month, Value, answer_key
from ..model.months import check_month
from ..model.tables import Table, assemble
from ..model.text import meaningful, text_problem
from ..model.values import parse_value
from . import schema as sheets
from .contents import BookContents, Formula, Grid
from .formulas import row_formulas
from .image import column_names, header_text
from .layout import HEADER_ROW, SHEET, DatasetLayout, Field, address
from .row_results import formula_results, same_result

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
    formula: str = ""
    """The formula that belongs in the cell."""
    month: Month | None = None
    """The month of a month column; None for the % change and 12-month columns."""


@dataclass(frozen=True)
class HeaderProblem:
    """A column heading that is not the one its column was built with (a column deleted,
    moved or inserted, or its heading typed over)."""

    cell: str
    expected: Month | str
    found: object
    column: str = ""
    """The column in words: ``the commentary column``, ``the month column for Aug-20``."""


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
    audit: list[list[object]] = field(default_factory=list)
    formulas_known: bool = True
    typed_comments: dict[str, str] = field(default_factory=dict)
    """The report month's comments typed since they were last kept (ref -> text): kept, with
    who typed them, by :func:`jobs.typed.keep_typed`."""
    cleared_comments: set[str] = field(default_factory=set)
    """Refs whose kept comment for the report month has been cleared from its cell."""
    typed_answers: dict[str, Answer] = field(default_factory=dict)
    """Reasons typed on Checks since they were last kept, by answer key (no who or when yet)."""
    withdrawn: set[str] = field(default_factory=set)
    """Answer keys whose reason has been cleared on Checks."""

    @property
    def answers(self) -> dict[str, Answer]:
        """The answers kept in the workbook (the Answers sheet), by answer key."""
        return self.dataset.answers

    @property
    def structure_intact(self) -> bool:
        """Every indicator row and every column where it was built (I502 and I503 find none):
        only then can cells be written by their place."""
        return not (self.row_problems or self.header_problems)

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
    if grid is None and name in sheets.OPTIONAL:
        grid = [list(sheets.COLUMNS[name])]
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
        if isinstance(value, Formula):
            value = str(value)  # a formula typed there is kept as its text, never run
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


EARLIER_FORMAT = "1"
"""The workbook format before the Variation and Assurance columns: read for export only."""


def is_return(contents: BookContents) -> bool:
    """Whether ``contents`` is an official return (saved by save-return): no workbook format
    in its Settings, and the Official return block's checksum row on its Dataset sheet."""
    if SHEET not in contents.sheets or sheets.SETTINGS not in contents.sheets:
        return False
    found = str(settings_mapping(contents).get(sheets.FORMAT_KEY, "")).strip()
    return not found and any(
        row and row[0] == sheets.RETURN_CHECKSUM_LABEL for row in contents.sheets[SHEET]
    )


def read_return(contents: BookContents) -> tuple[Dataset, Month]:
    """An official return's data (its History holds every month, the report month's too) and
    its month, to read, never to change."""
    data = settings_mapping(contents)
    try:
        month = check_month(Month.parse(str(data.get("report_month", ""))), contents.latest)
    except ValueError as exc:
        raise WorkbookError(f"{contents.name}: Settings report_month: {exc}") from None
    tables = {name: table(contents, sheet) for name, sheet in sheets.TABLE_SHEETS.items()}
    return assemble(data, f"{contents.name} {sheets.SETTINGS}", tables), month


def read_book(contents: BookContents, *, earlier_format: bool = False) -> LiveBook:
    """Turn the sheets of an xlscorecard workbook into a :class:`LiveBook`.

    ``earlier_format``: read a workbook of format 1 too (its Dataset sheet has no Variation
    and Assurance columns), for a command that only reads it; others are told how to move on.
    """
    if SHEET not in contents.sheets:
        raise WorkbookError(
            f"{contents.name} has no sheet 'Dataset': is it an xlscorecard workbook?"
        )
    data = settings_mapping(contents)
    found = str(data.get(sheets.FORMAT_KEY, "")).strip()
    if found == EARLIER_FORMAT and not earlier_format:
        raise WorkbookError(
            f"{contents.name} was made by an earlier xlscorecard (workbook format "
            f"{EARLIER_FORMAT}, without the Variation and Assurance columns), so this one will "
            f'not change it. Nothing is lost: `xlscorecard export "{contents.name}" DIR` writes '
            "all its figures and comments to a data directory, and `xlscorecard build DIR "
            "--month YYYY-MM -o NEW.xlsx` makes it again as a workbook of this version."
        )
    if not found and any(
        row and row[0] == sheets.RETURN_CHECKSUM_LABEL for row in contents.sheets[SHEET]
    ):
        raise WorkbookError(
            f"{contents.name} is an official return (saved by xlscorecard save-return), not a "
            "working workbook: run this on the workbook it was saved from (`xlscorecard verify "
            f'"{contents.name}"` checks the return itself)'
        )
    if found not in (sheets.FORMAT_VERSION, EARLIER_FORMAT):
        raise WorkbookError(
            f"{contents.name} is not an xlscorecard workbook (its Settings sheet has no "
            f"{sheets.FORMAT_KEY} = {sheets.FORMAT_VERSION})"
        )
    missing = [
        name
        for name in sheets.ORDER
        if name not in contents.sheets
        and not (name in sheets.OPTIONAL and _before_answers(contents, found))
        and name not in sheets.WRITTEN_ONLY  # drawn again by every command that saves
    ]
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
        dataset.indicators,
        dataset.target_periods,
        settings.visible_months,
        spc_columns=found != EARLIER_FORMAT,
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
    if not book.formulas_known:
        _find_overwrites_by_value(book, contents)
    _check_history_rows(book, data.get(sheets.HISTORY_ROWS_KEY))
    if sheets.CHECKS in contents.sheets:
        _read_answers(book, table(contents, sheets.CHECKS))
    if sheets.AUDIT in contents.sheets:
        book.audit = [list(values) for values in contents.sheets[sheets.AUDIT][1:] if any(values)]
    return book


def _check_history_rows(book: LiveBook, recorded: object) -> None:
    """History holds at least as many figures (History's rows and the sheet's window
    together, calculated ones aside) as xlscorecard last wrote there: fewer means rows were
    deleted by hand, and those months' figures would be lost with the next write. A row
    deleted for a month the sheet shows is put back from the sheet by the next command."""
    if not isinstance(recorded, int | float) or isinstance(recorded, bool):
        return
    derived = {item.ref for item in book.dataset.indicators if item.is_derived}
    held = {key for key in book.history if key[0] not in derived}
    held |= {key for key, entry in book.entries.items() if entry.value is not None}
    if len(held) >= recorded:
        return
    missing = int(recorded) - len(held)
    raise WorkbookError(
        f"{book.name}: its {sheets.HISTORY} sheet holds {len(held):,} figures, {missing:,} "
        f"fewer than xlscorecard last wrote there ({sheets.SETTINGS} {sheets.HISTORY_ROWS_KEY}"
        f" = {int(recorded):,}): rows were deleted by hand, and those months' figures would "
        "be lost. Put them back (undo, or copy the History sheet from the previous version "
        "or a backup of the workbook) and try again; nothing was changed. If they were "
        f"removed on purpose, set {sheets.HISTORY_ROWS_KEY} on the {sheets.SETTINGS} sheet to "
        f"{len(held)}."
    )


def _before_answers(contents: BookContents, found: str) -> bool:
    """A workbook made before the Answers sheet: of the earlier format, or its Checks keys
    still name the cell (``P302|CP2|2020-08|Dataset!R33``), as they did then. Any other
    workbook without it has had it deleted or renamed, and its answers would be lost."""
    if found == EARLIER_FORMAT:
        return True
    grid = contents.sheets.get(sheets.CHECKS) or [[]]
    header = [str(value or "").strip() for value in grid[0]]
    if sheets.KEY not in header:
        return False
    column = header.index(sheets.KEY)
    return any(len(row) > column and str(row[column] or "").count("|") >= 3 for row in grid[1:])


_KEEPS = {
    sheets.ANSWERS: "answers to queries (the reasons given on Checks, with who and when)",
    sheets.CHECKS: "findings and the reasons given for queries",
    sheets.AUDIT: "record of corrections and returns",
    sheets.HISTORY: "every figure ever entered",
    sheets.COMMENTARY: "archive of commentary",
}


def _read_header(book: LiveBook, contents: BookContents) -> None:
    """Every column's heading where it was built: the figures, comments, targets and
    benchmarks are read and written by their place."""
    settings = book.dataset.settings
    names = column_names(book.layout, book.month, settings)
    region = book.layout.column(Field.SE) if book.layout.has(Field.SE) else None
    for column, text in header_text(book.layout, book.month, settings).items():
        found = contents.cell(SHEET, HEADER_ROW, column)
        if isinstance(text, dt.date):
            expected: Month | str = Month(text.year, text.month)
            same = isinstance(found, dt.date) and Month(found.year, found.month) == expected
        else:
            expected = text
            same = _words(found) == _words(text) or (
                column == region and _words(found) == EARLIER_REGION_HEADING
            )
        if not same:
            cell = f"{SHEET}!{address(HEADER_ROW, column)}"
            book.header_problems.append(HeaderProblem(cell, expected, found, names[column]))


EARLIER_REGION_HEADING = "SE region"
"""The region column's heading in every workbook made before it came from the council's
settings (``region_label``): still that column, until the next save writes the council's."""


def _words(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


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
    for column, formula in formulas.items():
        content = contents.cell(SHEET, row, column)
        if book.formulas_known and not isinstance(content, Formula):
            what = _describe_column(book, column)
            book.overwritten.append(
                Overwrite(
                    indicator.ref, address(row, column), what, content, formula,
                    _month_of_column(book, column),
                )
            )  # fmt: skip
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
    text = meaningful(text)  # spaces or invisible characters alone are no comment
    if problem:
        where = f"{indicator.ref}'s commentary for {book.month.label}"
        raise DataFileError(SHEET, None, None, f"{where}: {problem}", cell=address(row, column))
    book.commentary_cells[indicator.ref] = text
    kept = book.dataset.commentary.get((indicator.ref, book.month))
    if text and (kept is None or kept.text != text):
        book.typed_comments[indicator.ref] = text
    elif not text and kept is not None:
        book.cleared_comments.add(indicator.ref)


def _find_overwrites_by_value(book: LiveBook, contents: BookContents) -> None:
    """Where the adapter sees values only (xlwings' remote engine): a formula cell showing
    something its formula cannot give has been typed over. A cell typed over with what the
    formula gives, or cleared, cannot be told apart from the formula here."""
    for indicator in book.dataset.indicators:
        if indicator.ref not in book.layout.rows or any(
            problem.expected == indicator.ref for problem in book.row_problems
        ):
            continue
        row = book.layout.row(indicator.ref)
        formulas = row_formulas(book.layout, indicator)
        shown = {column: contents.cell(SHEET, row, column) for column in formulas}
        if all(value in (None, "") for value in shown.values()):
            continue  # nothing to compare (Excel sent no results)
        results = formula_results(book.dataset, indicator, book.month, book.layout)
        for column, result in results.items():
            if shown[column] in (None, "") or same_result(shown[column], result):
                continue
            book.overwritten.append(
                Overwrite(
                    indicator.ref, address(row, column), _describe_column(book, column),
                    shown[column], formulas[column], _month_of_column(book, column),
                )
            )  # fmt: skip


def _read_answers(book: LiveBook, checks: Table) -> None:
    """Reasons typed on Checks, against the answers kept on the Answers sheet: a new or
    changed reason is typed (kept with who and when by the next command), a cleared one that
    Checks showed as answered is withdrawn."""
    kept = book.dataset.answers
    for _, row in checks.rows:
        parsed = _parse_key(checks.text(row, sheets.KEY))
        if parsed is None:
            continue
        key = answer_key(*parsed)
        reason, found = meaningful(checks.text(row, sheets.REASON)), checks.text(row, "found")
        shown = checks.text(row, sheets.ANSWERED).startswith(sheets.ANSWERED)
        old = kept.get(key)
        if reason:
            if old is not None and old.reason == reason and old.found == found:
                continue
            if shown and old is None:
                continue  # its row was deleted from the Answers sheet: withdrawn there
            book.typed_answers[key] = Answer(*parsed, found=found, reason=reason)
        elif shown and old is not None and old.found == found:
            book.withdrawn.add(key)


def _parse_key(text: str) -> tuple[str, str, Month | None] | None:
    """A Checks key, ``P302|CP2|2020-08`` (earlier versions added the cell: ignored)."""
    parts = text.split("|")
    if len(parts) < 3 or not parts[0]:
        return None
    try:
        month = Month.parse(parts[2]) if parts[2] else None
    except ValueError:
        return None
    return parts[0], parts[1], month


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


def _month_of_column(book: LiveBook, column: int) -> Month | None:
    if column in book.layout.month_columns:
        return book.layout.month_of_column(column, book.month)
    return None


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
        if not each.init:
            continue  # derived state (an index), made again by the copy
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
