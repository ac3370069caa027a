"""What a command or a button press changes in a workbook, worked out once for every front end.

Each job gives one :class:`Plan` through one function: a roll forward :func:`refresh_plan`;
validate, import, answer, comment and collecting requests :func:`outcome_plan`; the SPC
columns a command draws again :func:`spc_writes`; save-return's changes to the working
workbook, from its journal, :func:`return_record_plan`. A plan lists, in the order they are
written, the writes sheet by sheet (cells set, a table's rows replaced, a Settings key set, the
Dataset sheet's whole month image, the Trends data block, the input rules put back), each built
from the job's outcome and what the book holds now (:class:`BookContents`).

"Nothing changed, nothing written" is decided here, once: a plan none of whose writes changes
what the book holds is empty, and neither applier then writes anything (no Excel call; no
save, no backup). Two thin appliers write a plan that is not empty: :mod:`xlscorecard.xlsx.apply`
(openpyxl, a workbook file: every write, styled, as a file is rewritten) and
:mod:`xlscorecard.excel.blocks` (xlwings, Excel and xlwings Lite: one bulk call for each write
that changes something).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from ..calc.spc_report import IndicatorSpc, spc_report
from ..checks.answers import checks_rows
from ..model import Dataset, Month
from ..model.book import LiveBook
from ..model.cells import parse_address
from ..workbook import schema as sheets
from ..workbook.contents import BookContents, Formula, Grid, as_text
from ..workbook.image import (
    InputRule,
    SheetImage,
    data_tables,
    dataset_image,
    history_count,
    input_rules,
    spc_image,
    table_rows,
)
from ..workbook.layout import SHEET, DatasetLayout, Field
from ..workbook.trends import TrendsLayout, trends_rows
from .keep_typed import as_kept
from .official_return import history_with
from .outcome import Outcome

ARCHIVES = (sheets.HISTORY, sheets.COMMENTARY, sheets.ANSWERS)
"""The supporting sheets every command keeps up to date: what was typed (figures, comments,
reasons), so that History holds what the Dataset sheet shows after every command."""


@dataclass(frozen=True)
class Rect:
    """Cells set in one rectangle: top-left corner (1-based) and its rows; ``changed``: whether
    they differ from what the sheet holds."""

    sheet: str
    row: int
    column: int
    values: Grid
    changed: bool = True

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), len(self.values[0]) if self.values else 0


@dataclass(frozen=True)
class MonthImage:
    """The Dataset sheet as the report month shows it, every cell (a roll forward), with the
    rectangle from A1 it fills; a file also takes its styles, row heights and the workbook's
    title from it."""

    image: SheetImage
    bottom: int
    right: int
    changed: bool = True

    def rect(self) -> Rect:
        return Rect(SHEET, 1, 1, self.image.values(1, 1, self.bottom, self.right))


@dataclass(frozen=True)
class SpcCells:
    """Variation and Assurance for the figures as they are now: ``image`` without the rows
    that are not where they belong (I502, which keep what they have), and ``rect`` the same as
    one rectangle over both columns (those rows as the sheet shows them)."""

    image: SheetImage
    rect: Rect

    @property
    def changed(self) -> bool:
        return self.rect.changed


@dataclass(frozen=True)
class Table:
    """A supporting sheet's rows below its header, replacing (and clearing) the old ones;
    ``height`` and ``width``: the rectangle that covers the new rows and the old; ``header``:
    its header's missing columns are named first (a workbook of an earlier xlscorecard),
    ``header_short``: it lacks some."""

    sheet: str
    rows: Grid
    height: int
    width: int
    changed: bool
    header: bool = False
    header_short: bool = False

    def rect(self) -> Rect:
        """The rows as one rectangle from row 2, padded with blanks over any older rows."""
        padded = [*self.rows, *([[]] * (self.height - len(self.rows)))]
        values = [[*row, *([None] * (self.width - len(row)))] for row in padded]
        return Rect(self.sheet, 2, 1, values)

    def header_rect(self) -> Rect:
        return Rect(self.sheet, 1, 1, [list(sheets.COLUMNS[self.sheet])])


@dataclass(frozen=True)
class Trends:
    """The Trends sheet for these figures. ``data``: its data block is written in place (a
    file's Trends sheet is drawn again whole on every save however this is, because openpyxl
    reads charts only in part); never by itself a change."""

    dataset: Dataset
    month: Month
    report: dict[str, IndicatorSpc] | None
    data: bool
    changed: ClassVar[bool] = False

    def rows(self) -> Grid:
        layout = TrendsLayout.for_dataset(self.dataset)
        return trends_rows(self.dataset, self.month, layout, self.report)


@dataclass(frozen=True)
class InputRules:
    """The Dataset sheet's in-cell validation, replaced by xlscorecard's own rules (Excel keeps
    what a workbook has; a file's are written again)."""

    rules: list[InputRule]
    changed: ClassVar[bool] = False


DRAFTS = "Drafts"
"""The working workbook's sheet of drafts (``xlscorecard drafts --write``): a sheet of its own,
not a Dataset column, so that no reader of the Dataset sheet's layout changes; its rows say
their month, and ``drafts --write`` makes them again."""
DRAFT_COLUMNS = ("ref", "indicator", "month", "draft")


@dataclass(frozen=True)
class DraftsSheet:
    """The Drafts sheet made again whole: its header and a row a draft; ``changed`` when that
    differs from what the sheet holds (or there is none)."""

    rows: Grid
    changed: bool

    def rect(self) -> Rect:
        return Rect(DRAFTS, 1, 1, [list(DRAFT_COLUMNS), *self.rows])


Write = Rect | MonthImage | SpcCells | Table | Trends | InputRules | DraftsSheet


@dataclass
class Plan:
    """What a job changes in a workbook, in the order it is written; empty when nothing
    changes. ``dataset`` and ``month``: the state written (its Settings say how many backups
    a file keeps)."""

    dataset: Dataset | None = None
    month: Month | None = None
    writes: list[Write] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.writes


def _settled(dataset: Dataset, month: Month, writes: list[Write]) -> Plan:
    """The plan of these writes; empty when none of them changes what the book holds."""
    if not any(write.changed for write in writes):
        return Plan()
    return Plan(dataset, month, writes)


# -- each job's plan ---------------------------------------------------------------------------
def refresh_plan(contents: BookContents, book: LiveBook, outcome: Outcome) -> Plan:
    """A roll forward: the Dataset sheet for the new month, the Trends sheet, the supporting
    sheets, Checks, and Audit when it has rows."""
    dataset, month = outcome.dataset, outcome.month
    layout = DatasetLayout.for_catalogue(
        dataset.indicators, dataset.target_periods, dataset.settings.visible_months
    )
    report = spc_report(dataset, month)
    image = dataset_image(dataset, month, layout, report)
    writes: list[Write] = [
        MonthImage(image, max(row for row, _ in image.cells), layout.last_column),
        Trends(dataset, month, report, data=sheets.TRENDS in contents.sheets),
        InputRules(input_rules(dataset, layout)),
    ]
    writes += [table(contents, name, rows) for name, rows in table_rows(dataset, month).items()]
    writes.append(table(contents, sheets.CHECKS, _checks(outcome), always=True))
    writes += _audit(contents, book, outcome.audit)
    return _settled(dataset, month, writes)


def outcome_plan(contents: BookContents, book: LiveBook, outcome: Outcome) -> Plan:
    """Validate, import, answer, comment, collecting requests: the Dataset cells they change,
    Checks, the archives of what was typed (and History's count in Settings), Audit, the SPC
    columns and Trends, and the input rules when the sheet is as built."""
    kept = as_kept(book)
    tables = data_tables(kept)
    writes: list[Write] = [*cell_rects(contents, outcome.cells)]
    writes.append(table(contents, sheets.CHECKS, _checks(outcome)))
    writes += [table(contents, name, tables[name], header=True) for name in ARCHIVES]
    writes += setting(contents, sheets.HISTORY_ROWS_KEY, history_count(kept))
    writes += _audit(contents, book, outcome.audit)
    writes += spc_writes(contents, book)
    if book.structure_intact:  # xlscorecard's own rules, however another program spelt them
        writes.append(InputRules(input_rules(outcome.dataset, book.layout)))
    return _settled(outcome.dataset, outcome.month, writes)


def spc_writes(contents: BookContents, book: LiveBook) -> list[Write]:
    """Variation, Assurance and the Trends sheet for the book's figures as they are now (a
    row that is not where it belongs, I502, keeps what it has)."""
    layout = book.layout
    report = spc_report(book.dataset, book.month)
    image = spc_image(book.dataset, book.month, layout, report)
    moved = {problem.row for problem in book.row_problems}
    first, final = layout.column(Field.VARIATION), layout.column(Field.ASSURANCE)
    top = min(layout.rows.values())
    values = image.values(top, first, layout.last_row, final)
    shown = [
        [contents.cell(SHEET, row, column) for column in (first, final)]
        for row in range(top, layout.last_row + 1)
    ]
    for row in moved:
        values[row - top] = shown[row - top]
    image.cells = {key: cell for key, cell in image.cells.items() if key[0] not in moved}
    rect = Rect(SHEET, top, first, values, changed=not same(values, shown))
    return [
        SpcCells(image, rect),
        Trends(book.dataset, book.month, report, data=sheets.TRENDS in contents.sheets),
    ]


def drafts_plan(contents: BookContents, book: LiveBook, rows: Grid) -> Plan:
    """``drafts --write``: the Drafts sheet holding ``rows`` (ref, indicator, month, draft),
    and the SPC columns and Trends sheet that every save draws again."""
    grid = [list(DRAFT_COLUMNS), *rows]
    held = [row for row in contents.sheets.get(DRAFTS, []) if any(v not in (None, "") for v in row)]
    width = max(len(row) for row in [*grid, *held])
    padded = [[*row, *([None] * (width - len(row)))] for row in grid]
    changed = len(held) != len(grid) or not same(padded, _old_rows_of(held, len(grid), width))
    writes: list[Write] = [DraftsSheet(rows, changed), *spc_writes(contents, book)]
    return _settled(book.dataset, book.month, writes)


class RecordedReturn(Protocol):
    """What save-return records in the working workbook (its journal)."""

    month: str
    refs: list[str]
    figures: dict[str, object]
    kept: dict[str, list[list[object]]]
    audit: list[list[object]]


def return_record_plan(contents: BookContents, book: LiveBook, journal: RecordedReturn) -> Plan:
    """Save-return's changes to the working workbook, from its journal: the month's figures in
    History when they are not there yet, the archives as the return holds them, the Audit
    rows (the file's Trends sheet drawn again, as on every save)."""
    writes: list[Write] = []
    rows = contents.sheets.get(sheets.HISTORY, [])[1:]
    history = history_with(rows, journal.refs, Month.parse(journal.month), journal.figures)
    if history is not None:
        writes.append(table(contents, sheets.HISTORY, history, always=True))
    writes += [table(contents, name, rows) for name, rows in journal.kept.items()]
    writes += _audit(contents, book, journal.audit)
    writes.append(Trends(book.dataset, book.month, None, data=False))
    return _settled(book.dataset, book.month, writes)


# -- the writes, each against what the book holds ----------------------------------------------
def _checks(outcome: Outcome) -> Grid:
    return checks_rows(outcome.findings, outcome.answers)


def _audit(contents: BookContents, book: LiveBook, rows: Grid) -> list[Write]:
    """Audit as it was with ``rows`` below, every cell as text or a number (a formula someone
    typed there is kept as the text it was, never run); nothing without rows."""
    if not rows:
        return []
    return [table(contents, sheets.AUDIT, as_text([*book.audit, *rows]), always=True)]


def table(
    contents: BookContents, name: str, rows: Grid, always: bool = False, header: bool = False
) -> Table:
    """A supporting sheet's rows replacing what it holds; changed when they differ from it
    (or the sheet is missing, or ``always``)."""
    old = contents.sheets.get(name, [])[1:]
    width = max([len(sheets.COLUMNS[name]), *(len(row) for row in rows), *map(len, old)])
    height = max(len(rows), len(old), 1)
    short = header and len(_header(contents, name)) < len(sheets.COLUMNS[name])
    planned = Table(name, rows, height, width, True, header, short)
    changed = (
        always
        or short
        or name not in contents.sheets
        or not same(planned.rect().values, _old_rows(contents, name, height, width))
    )
    return Table(name, rows, height, width, changed, header, short)


def setting(contents: BookContents, key: str, value: object) -> list[Write]:
    """The Settings row of ``key`` set to ``value`` (added below the others if it has none);
    nothing when it holds that already."""
    grid = contents.sheets.get(sheets.SETTINGS, [])
    for number, row in enumerate(grid[1:], start=2):
        if row and str(row[0] or "").strip() == key:
            held = len(row) > 1 and row[1] == value
            return [] if held else [Rect(sheets.SETTINGS, number, 2, [[value]])]
    last = max((n for n, row in enumerate(grid, start=1) if row and row[0]), default=1)
    return [Rect(sheets.SETTINGS, last + 1, 1, [[key, value]])]


def cell_rects(contents: BookContents, cells: dict[str, object]) -> list[Rect]:
    """Dataset cells (by A1 address) as few rectangles as they allow: neighbours in a row are
    one."""
    placed = sorted((parse_address(address), value) for address, value in cells.items())
    runs: list[tuple[int, int, list[object]]] = []
    for (row, column), value in placed:
        if runs and runs[-1][0] == row and runs[-1][1] + len(runs[-1][2]) == column:
            runs[-1][2].append(value)
        else:
            runs.append((row, column, [value]))
    rects = []
    for row, column, values in runs:
        shown = [contents.cell(SHEET, row, column + offset) for offset in range(len(values))]
        rects.append(Rect(SHEET, row, column, [values], changed=not same([values], [shown])))
    return rects


def _header(contents: BookContents, name: str) -> list[object]:
    grid = contents.sheets.get(name) or [[]]
    return [value for value in grid[0] if value not in (None, "")]


def _old_rows(contents: BookContents, name: str, height: int, width: int) -> Grid:
    return _old_rows_of(contents.sheets.get(name, [])[1 : 1 + height], height, width)


def _old_rows_of(rows: Grid, height: int, width: int) -> Grid:
    rows = [[*row[:width], *([None] * (width - len(row)))] for row in rows[:height]]
    return rows + [[None] * width for _ in range(height - len(rows))]


_LINK = re.compile(r'^=HYPERLINK\("[^"]*","(?P<shown>[^"]*)"\)$')


def same(new: Grid, old: Grid) -> bool:
    """Whether writing ``new`` over what the sheet shows (``old``) would change nothing: a
    blank is None, a date its midnight, a link the text it shows (Excel sends a formula's
    value)."""

    def norm(value: object) -> object:
        if value == "":
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return dt.datetime(value.year, value.month, value.day)
        if isinstance(value, Formula) and (link := _LINK.match(value)):
            return link.group("shown")
        return value

    return all(
        norm(a) == norm(b) for new_row, old_row in zip(new, old, strict=True)
        for a, b in zip(new_row, old_row, strict=True)
    )  # fmt: skip


__all__ = [
    "ARCHIVES", "DRAFTS", "DRAFT_COLUMNS", "DraftsSheet", "InputRules", "MonthImage", "Plan",
    "RecordedReturn", "Rect", "SpcCells", "Table", "Trends", "Write", "cell_rects",
    "drafts_plan", "outcome_plan", "refresh_plan", "return_record_plan", "same", "setting",
    "spc_writes", "table",
]  # fmt: skip
