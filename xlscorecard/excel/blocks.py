"""An open workbook in Excel, through xlwings: a few bulk reads in, a few bulk writes out.

The only module that touches an ``xw.Book``. It reads each xlscorecard sheet as one 2-D array
(:func:`contents_from_xlwings`), works out every block to write from a :class:`cycle.Outcome`
before anything is written (:func:`refresh_blocks`, :func:`checks_blocks`), and then writes
those blocks (:func:`write_blocks`), one Excel call each. Nothing here calculates: the cycle,
the checks and the sheet image are the same functions the command line uses.

Two Excel rules shape the writes:

- Text is written with a leading apostrophe. Excel parses text written into a cell as if it
  were typed: ``2020-08`` and ``Aug-20`` would become dates, ``1,493`` a number, the Settings
  format ``1`` a number, and ``=HYPERLINK(...)`` in a comment a live formula. The apostrophe
  keeps text as text and is not part of the cell's value; only a :class:`Formula` is written
  as a formula.
- The Dataset sheet is protected (only the month's input cells are unlocked), and writing a
  locked cell there fails with run-time error 1004. xlwings has no protection API, so the
  add-in's VBA unprotects the sheet for the write and protects it again afterwards
  (:data:`UNPROTECT_MACRO`, :data:`PROTECT_MACRO`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..calc.spc_report import IndicatorSpc, spc_report
from ..checks.answers import checks_rows
from ..jobs.cycle import Outcome, as_kept
from ..jobs.official_return import history_with
from ..model import Dataset, Month
from ..model.book import LiveBook
from ..model.cells import parse_address
from ..store.identity import latest_month
from ..workbook import schema as sheets
from ..workbook.contents import BookContents, Formula, Grid, as_text
from ..workbook.image import data_tables, dataset_image, history_count, spc_image, table_rows
from ..workbook.layout import SHEET, DatasetLayout, Field
from ..workbook.trends import DATA_COLUMN, HEADER_ROW, TrendsLayout, trends_rows

if TYPE_CHECKING:  # the library itself never imports xlwings
    import xlwings as xw

    from ..returns.journal import Journal

ADDIN = "xlscorecard.xlam"
"""The add-in's file name: xlwings' RunMain runs ``import <file stem>; <stem>.main()``."""
MACRO_MODULE = "ScorecardRibbon"
UNPROTECT_MACRO = f"'{ADDIN}'!{MACRO_MODULE}.UnprotectSheet"
PROTECT_MACRO = f"'{ADDIN}'!{MACRO_MODULE}.ProtectSheet"
PROTECTED_SHEETS = frozenset({SHEET})
"""Sheets the workbook protects (see :func:`xlsx.writer.protect`); the others are open."""


@dataclass(frozen=True)
class Block:
    """A rectangle of cells to write in one call: top-left corner (1-based) and its rows."""

    sheet: str
    row: int
    column: int
    values: list[list[object]]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), len(self.values[0]) if self.values else 0


# -- reading --------------------------------------------------------------------------------
def contents_from_xlwings(book: xw.Book) -> BookContents:
    """Every xlscorecard sheet of ``book`` as a grid from A1: one read per sheet, plus the
    Dataset sheet's formulas where the engine can give them (Excel on the desktop can; the
    remote engine sends values only, and then ``formulas_known`` is False)."""
    present = [sheet.name for sheet in book.sheets]
    grids: dict[str, Grid] = {}
    formulas_known = True
    for name in sheets.ORDER:
        if name not in present:
            continue
        if name in sheets.WRITTEN_ONLY:  # an empty grid marks it as there
            grids[name] = []
            continue
        sheet = book.sheets[name]
        last = sheet.used_range.last_cell
        cells = sheet.range((1, 1), (last.row, last.column))
        grid = [[_from_excel(value) for value in row] for row in cells.options(ndim=2).value]
        if name == SHEET:
            formulas = _formulas(cells)
            if formulas is None:
                formulas_known = False
            else:
                grid = _with_formulas(grid, formulas)
        grids[name] = grid
    return BookContents(
        name=book.name, sheets=grids, formulas_known=formulas_known, latest=latest_month()
    )


def _formulas(cells: Any) -> list[list[object]] | None:
    """The block's formulas as a 2-D list, or None where the engine cannot read them."""
    try:
        formulas = cells.formula
    except NotImplementedError:
        return None
    if not isinstance(formulas, list | tuple):
        return [[formulas]]
    if formulas and not isinstance(formulas[0], list | tuple):
        return [list(formulas)]
    return [list(row) for row in formulas]


def _with_formulas(grid: Grid, formulas: list[list[object]]) -> Grid:
    """Formula cells as :class:`Formula`. Excel gives a text cell's text as its formula too
    (a comment typed as ``'=1+1`` has the formula ``=1+1`` and the value ``=1+1``); a formula
    cell's value is its result, which is never its own text."""
    return [
        [
            Formula(formula)
            if isinstance(formula := _at(formulas, r, c), str)
            and formula.startswith("=")
            and formula != value
            else value
            for c, value in enumerate(row)
        ]
        for r, row in enumerate(grid)
    ]


def _at(grid: list[list[object]], row: int, column: int) -> object:
    return grid[row][column] if row < len(grid) and column < len(grid[row]) else None


def _from_excel(value: object) -> object:
    """Whole numbers as int whatever the engine (COM gives floats, the remote engine ints)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# -- what to write ----------------------------------------------------------------------------
def refresh_blocks(contents: BookContents, book: LiveBook, outcome: Outcome) -> list[Block]:
    """Everything a roll forward writes, as :func:`app.workbook_file.refresh_file` writes it: the
    Dataset sheet, the supporting sheets that changed, Checks, and Audit when it has rows."""
    dataset = outcome.dataset
    layout = DatasetLayout.for_catalogue(
        dataset.indicators, dataset.target_periods, dataset.settings.visible_months
    )
    report = spc_report(dataset, outcome.month)
    image = dataset_image(dataset, outcome.month, layout, report)
    last_row = max(row for row, _ in image.cells)
    blocks = [Block(SHEET, 1, 1, image.values(1, 1, last_row, layout.last_column))]
    blocks += trends_blocks(contents, dataset, outcome.month, report)
    blocks += changed_blocks(contents, table_rows(dataset, outcome.month))
    blocks += checks_blocks(contents, outcome)
    if outcome.audit:
        blocks.append(table_block(contents, sheets.AUDIT, as_text([*book.audit, *outcome.audit])))
    return blocks


def trends_blocks(
    contents: BookContents,
    dataset: Dataset,
    month: Month,
    report: dict[str, IndicatorSpc] | None = None,
) -> list[Block]:
    """The Trends sheet's data block (its charts follow it), in one write; none for a book
    without the sheet (its charts come with the next command that writes the file)."""
    if sheets.TRENDS not in contents.sheets:
        return []
    layout = TrendsLayout.for_dataset(dataset)
    return [
        Block(
            sheets.TRENDS, HEADER_ROW + 1, DATA_COLUMN, trends_rows(dataset, month, layout, report)
        )
    ]


def spc_blocks(contents: BookContents, book: LiveBook, others: bool = True) -> list[Block]:
    """Variation and Assurance for the figures as they are now, where they differ from what
    the sheet shows (one block over both columns; a row that is not where it belongs, I502,
    keeps what it has), and the Trends data block, which follows the same figures, when
    anything is written (``others``: other blocks are): a press that changes nothing writes
    nothing."""
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
    blocks = [] if _same(values, shown) else [Block(SHEET, top, first, values)]
    if blocks or others:
        blocks += trends_blocks(contents, book.dataset, book.month, report)
    return blocks


def journal_blocks(contents: BookContents, book: LiveBook, journal: Journal) -> list[Block]:
    """What saving the return writes to the workbook, as the command line's
    :func:`~xlscorecard.returns.journal.record_in` does, from the same journal: the month's
    figures in History when they are not there yet, what was typed since the last press in the
    archives, and the Audit rows."""
    blocks = []
    month = Month.parse(journal.month)
    rows = contents.sheets.get(sheets.HISTORY, [])[1:]
    history = history_with(rows, journal.refs, month, journal.figures)
    if history is not None:
        blocks.append(table_block(contents, sheets.HISTORY, history))
    blocks += changed_blocks(contents, journal.kept)
    blocks.append(table_block(contents, sheets.AUDIT, as_text([*book.audit, *journal.audit])))
    return blocks


def validate_blocks(contents: BookContents, book: LiveBook, outcome: Outcome) -> list[Block]:
    """What Validate writes, as :func:`app.workbook_file.validate_file` does: formulas put back,
    and when they change Checks and the archives of what was typed, and Audit when it has
    rows (a press that changes nothing writes nothing)."""
    kept = as_kept(book)
    tables = data_tables(kept)
    rows = {
        sheets.CHECKS: checks_rows(outcome.findings, outcome.answers),
        **{name: tables[name] for name in (sheets.HISTORY, sheets.COMMENTARY, sheets.ANSWERS)},
    }
    blocks = cell_blocks(outcome.cells) + changed_blocks(contents, rows)
    blocks += setting_blocks(contents, sheets.HISTORY_ROWS_KEY, history_count(kept))
    if rows[sheets.ANSWERS] and len(_header(contents, sheets.ANSWERS)) < len(
        sheets.COLUMNS[sheets.ANSWERS]
    ):
        blocks.append(Block(sheets.ANSWERS, 1, 1, [list(sheets.COLUMNS[sheets.ANSWERS])]))
    if outcome.audit:
        blocks.append(table_block(contents, sheets.AUDIT, as_text([*book.audit, *outcome.audit])))
    return blocks


def setting_blocks(contents: BookContents, key: str, value: object) -> list[Block]:
    """The Settings row of ``key`` set to ``value`` (added below the others if it has none);
    no block when it holds that already."""
    grid = contents.sheets.get(sheets.SETTINGS, [])
    for number, row in enumerate(grid[1:], start=2):
        if row and str(row[0] or "").strip() == key:
            same = len(row) > 1 and row[1] == value
            return [] if same else [Block(sheets.SETTINGS, number, 2, [[value]])]
    last = max((n for n, row in enumerate(grid, start=1) if row and row[0]), default=1)
    return [Block(sheets.SETTINGS, last + 1, 1, [[key, value]])]


def cell_blocks(cells: dict[str, object]) -> list[Block]:
    """Dataset cells to write, as few blocks as they allow: neighbours in a row are one."""
    placed = sorted((parse_address(address), value) for address, value in cells.items())
    blocks: list[Block] = []
    for (row, column), value in placed:
        last = blocks[-1] if blocks else None
        if last is not None and last.row == row and last.column + len(last.values[0]) == column:
            last.values[0].append(value)
        else:
            blocks.append(Block(SHEET, row, column, [[value]]))
    return blocks


def changed_blocks(contents: BookContents, tables: dict[str, list[list[object]]]) -> list[Block]:
    """A block for each supporting sheet whose rows differ from what it holds."""
    blocks = []
    for name, rows in tables.items():
        block = table_block(contents, name, rows)
        if not _same(block.values, _old_rows(contents, name, *block.shape)):
            blocks.append(block)
    return blocks


def checks_blocks(contents: BookContents, outcome: Outcome) -> list[Block]:
    """The Checks sheet's rows for the outcome's findings (old rows below cleared)."""
    return [table_block(contents, sheets.CHECKS, checks_rows(outcome.findings, outcome.answers))]


def missing_sheets(contents: BookContents) -> list[str]:
    """The supporting sheets a workbook made by an earlier xlscorecard lacks (but the Trends
    sheet: the buttons write around it, and the next command on the file draws it again)."""
    return [
        name
        for name in sheets.ORDER
        if name not in contents.sheets and name not in sheets.WRITTEN_ONLY
    ]


def table_block(contents: BookContents, name: str, rows: list[list[object]]) -> Block:
    """A supporting sheet's rows below its header, padded with blanks over any older rows,
    so one write replaces the whole table (as deleting the old rows would)."""
    old = contents.sheets.get(name, [])[1:]
    width = max([len(sheets.COLUMNS[name]), *(len(row) for row in rows), *map(len, old)])
    height = max(len(rows), len(old), 1)
    values = [
        [*row, *([None] * (width - len(row)))] for row in [*rows, *([[]] * (height - len(rows)))]
    ]
    return Block(name, 2, 1, values)


def _header(contents: BookContents, name: str) -> list[object]:
    grid = contents.sheets.get(name) or [[]]
    return [value for value in grid[0] if value not in (None, "")]


def _old_rows(contents: BookContents, name: str, height: int, width: int) -> list[list[object]]:
    rows = contents.sheets.get(name, [])[1 : 1 + height]
    rows = [[*row[:width], *([None] * (width - len(row)))] for row in rows]
    return rows + [[None] * width for _ in range(height - len(rows))]


_LINK = re.compile(r'^=HYPERLINK\("[^"]*","(?P<shown>[^"]*)"\)$')


def _same(new: list[list[object]], old: list[list[object]]) -> bool:
    """Whether writing ``new`` over what the sheet shows (``old``) would change nothing: a
    link is the same as the text it shows (Excel sends a formula's value)."""

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


def protection_password(book: LiveBook) -> str | None:
    return book.dataset.settings.protection_password or None


# -- writing ----------------------------------------------------------------------------------
def for_excel(value: object) -> object:
    """A cell's content as written through xlwings: a :class:`Formula` as ``=...``, any other
    text as text (however it starts)."""
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str):
        if value == "":
            return None
        return "'" + value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def prepare(blocks: list[Block]) -> list[Block]:
    """The blocks exactly as they will be sent: rectangular, every value converted."""
    prepared = []
    for block in blocks:
        height, width = block.shape
        if height == 0 or width == 0 or any(len(row) != width for row in block.values):
            raise ValueError(f"block for {block.sheet} at row {block.row} is not rectangular")
        values = [[for_excel(value) for value in row] for row in block.values]
        prepared.append(Block(block.sheet, block.row, block.column, values))
    return prepared


def write_blocks(
    book: xw.Book, blocks: list[Block], password: str | None = None, macros: bool = True
) -> int:
    """Write each block in one call, unprotecting a protected sheet around its blocks (xlwings
    would split a block of more than 100,000 cells into several calls; it is told not to).

    ``macros`` False (xlwings Lite, whose Office.js client runs no VBA and has no protection
    action): no unprotecting; the protected sheet's blocks still go first, so that on a sheet
    someone protected the first write fails and nothing is written.

    ``blocks`` must come from :func:`prepare`. Returns the number of Excel calls made.
    """
    calls = 0
    order = sorted(blocks, key=lambda block: block.sheet not in PROTECTED_SHEETS)
    for name in dict.fromkeys(block.sheet for block in order):
        sheet = book.sheets[name]
        mine = [block for block in order if block.sheet == name]
        guarded = macros and name in PROTECTED_SHEETS
        if guarded:
            run_macro(book, UNPROTECT_MACRO, name, password)
            calls += 1
        try:
            for block in mine:
                height, width = block.shape
                last = (block.row + height - 1, block.column + width - 1)
                cells = sheet.range((block.row, block.column), last)
                cells.options(chunksize=None).value = block.values  # one call, whatever size
                calls += 1
        finally:
            if guarded:
                run_macro(book, PROTECT_MACRO, name, password)
                calls += 1
    return calls


def run_macro(book: xw.Book, macro: str, sheet_name: str, password: str | None) -> None:
    """Run one of the add-in's VBA Subs ``(book, sheetName, [password])``, whose first
    argument is the workbook or its name.

    On the desktop the book goes by its name (a text, which Windows' ``Application.Run`` and
    the Mac's ``run VB macro`` both pass as it is): an ``xw.Book`` would be handed over as a
    COM object on Windows while RunPython waits, and as an AppleScript reference, which VBA
    cannot use, on the Mac. xlwings' remote client passes the calling Workbook object first
    itself (its ``runMacro``: ``Application.Run macro, wb, args...``).
    """
    args: list[object] = [sheet_name] + ([password] if password else [])
    if book.app.engine.name == "remote":
        book.app.macro(macro)(*args)
    else:
        book.app.macro(macro)(book.name, *args)


def user_name(book: xw.Book) -> str | None:
    """The name Excel knows its user by (File > Options > General > User name): through COM
    on Windows, AppleScript on a Mac; None where Excel does not say (xlwings' remote engine
    has no ``api``)."""
    if book.app.engine.name == "remote":
        return None
    for read in (lambda api: api.UserName, lambda api: api.user_name.get()):
        try:
            name = read(book.app.api)
        except Exception:  # not this platform's object model
            continue
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None


def alert(book: xw.Book, message: str, critical: bool = False) -> None:
    book.app.alert(message, title="xlscorecard", mode="critical" if critical else "info")
