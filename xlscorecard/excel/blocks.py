"""An open workbook in Excel, through xlwings: a few bulk reads in, a few bulk writes out.

The only module that touches an ``xw.Book``. It reads each xlscorecard sheet as one 2-D array
(:func:`contents_from_xlwings`), turns a job's :class:`~xlscorecard.jobs.plan.Plan` into the
rectangles to write before anything is written (:func:`plan_blocks`), and then writes those
(:func:`write_blocks`), one Excel call each. Nothing here calculates or decides what changed:
the plan is the one the command line's file applier writes.

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
from typing import TYPE_CHECKING, Any

from ..jobs.plan import DraftsSheet, MonthImage, Plan, Rect, SpcCells, Table, Trends
from ..model.book import LiveBook
from ..store.identity import latest_month
from ..workbook import schema as sheets
from ..workbook.contents import BookContents, Formula, Grid
from ..workbook.layout import SHEET
from ..workbook.trends import DATA_COLUMN, HEADER_ROW

if TYPE_CHECKING:  # the library itself never imports xlwings
    import xlwings as xw


ADDIN = "xlscorecard.xlam"
"""The add-in's file name: xlwings' RunMain runs ``import <file stem>; <stem>.main()``."""
MACRO_MODULE = "ScorecardRibbon"
UNPROTECT_MACRO = f"'{ADDIN}'!{MACRO_MODULE}.UnprotectSheet"
PROTECT_MACRO = f"'{ADDIN}'!{MACRO_MODULE}.ProtectSheet"
PROTECTED_SHEETS = frozenset({SHEET})
"""Sheets the workbook protects (see :func:`xlsx.writer.protect`); the others are open."""


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
def plan_blocks(plan: Plan) -> list[Rect]:
    """The rectangles to write for a plan: one for each write that changes what the book holds
    (a table's rows padded over its old ones, and its header when it lacks columns), and the
    Trends data block where it is written; none for an empty plan. The file's styles, input
    rules and charts stay as Excel keeps them."""
    blocks: list[Rect] = []
    for write in plan.writes:
        if isinstance(write, Trends):
            if write.data:
                blocks.append(Rect(sheets.TRENDS, HEADER_ROW + 1, DATA_COLUMN, write.rows()))
        elif not write.changed:
            continue
        elif isinstance(write, MonthImage | SpcCells):
            blocks.append(write.rect() if isinstance(write, MonthImage) else write.rect)
        elif isinstance(write, Table):
            blocks.append(write.rect())
            if write.header_short:
                blocks.append(write.header_rect())
        elif isinstance(write, Rect):
            blocks.append(write)
        elif isinstance(write, DraftsSheet):
            blocks.append(write.rect())
    return blocks


def missing_sheets(contents: BookContents) -> list[str]:
    """The supporting sheets a workbook made by an earlier xlscorecard lacks (but the Trends
    sheet: the buttons write around it, and the next command on the file draws it again)."""
    return [
        name
        for name in sheets.ORDER
        if name not in contents.sheets and name not in sheets.WRITTEN_ONLY
    ]


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


def prepare(blocks: list[Rect]) -> list[Rect]:
    """The blocks exactly as they will be sent: rectangular, every value converted."""
    prepared = []
    for block in blocks:
        height, width = block.shape
        if height == 0 or width == 0 or any(len(row) != width for row in block.values):
            raise ValueError(f"block for {block.sheet} at row {block.row} is not rectangular")
        values = [[for_excel(value) for value in row] for row in block.values]
        prepared.append(Rect(block.sheet, block.row, block.column, values))
    return prepared


def write_blocks(
    book: xw.Book, blocks: list[Rect], password: str | None = None, macros: bool = True
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
