"""Press a ribbon button on a workbook FILE the way Excel would, without Excel.

xlwings' remote engine (``xw.Book(json=payload)``) runs an entry point written for Excel
unchanged on Linux: it reads from the payload that Excel's client sends and queues every write
as an action. This module is the missing bridge to a file:

1. :func:`payload` builds what Excel would send from an .xlsx read with openpyxl: every sheet's
   values from A1 to its last used cell, whole numbers as int, dates as ISO text ending in Z,
   blanks as "". Excel sends the computed values of formula cells; by default the payload
   carries None for them ("" on the wire), optionally the values LibreOffice calculates
   (:func:`recalculated_values`). None is the default because xlscorecard must not depend on
   Excel's calculated values (it reads figures, never results: a formula cell's value is only
   ever shown); a test runs the same press with LibreOffice's values and gets the same actions.
2. :func:`press` runs the entry point (``xlscorecard.main()`` or ``xlscorecard.on_button(id)``)
   against that payload with ``xw.Book.caller()`` mocked, and collects ``book.json()["actions"]``.
3. :class:`Excel` applies the actions back to the openpyxl workbook as Excel would, and saves.

Where the remote engine is kinder than Excel, :class:`Excel` is not:

- writing a locked cell of a protected sheet raises :class:`ExcelError` 1004, as Excel does,
  unless the add-in's ``UnprotectSheet`` macro ran first (emulated, with its password check);
- text is parsed as if typed (a subset of Excel's rules: numbers with thousands separators and
  percentages, ISO dates and ``yyyy-mm`` months, ``mmm-yy`` labels, TRUE/FALSE) unless it starts
  with an apostrophe, which is dropped and marks the cell as quote-prefixed;
- writing a non-blank value into the hidden part of a merged area raises 1004;
- a structure change (adding, deleting, hiding, moving, renaming or copying a sheet) in a
  structure-locked book (``lockStructure``) raises 1004;
- a cell never formatted takes its column's format when a value is written into it;
- reads never see earlier writes (the payload is built once, before the entry point runs);
- any action this module does not know fails loudly.

Where the remote engine cannot go at all (opening another file, printing it, running a macro
with the arguments the desktop passes), :class:`DesktopExcel` stands in for Excel on the desktop
behind xlwings' own ``App``, ``Book`` and ``Sheet`` (so xlwings' code runs unchanged, e.g. its
``to_pdf``), with the same refusals: hiding a sheet of a structure-locked book raises 1004.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.protection import hash_password
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.protection import SheetProtection

import xlscorecard
from xlscorecard.excel.blocks import PROTECT_MACRO, UNPROTECT_MACRO
from xlscorecard.returns.libreoffice import convert

CLIENT = "Microsoft Excel"
MAX_CALLS = 12
"""The most Excel calls one press of a button may make, at any size of catalogue."""


class ExcelError(Exception):
    """What Excel would raise (run-time error ``code``) while applying an action."""

    def __init__(self, code: int, message: str, action: dict | None = None):
        self.code = code
        self.action = action
        super().__init__(f"Run-time error '{code}': {message}")


class UnknownAction(AssertionError):
    """An action the harness cannot apply: extend the harness, do not ignore it."""


# -- 1. the payload ----------------------------------------------------------------------------
def payload(
    workbook: Workbook, name: str, computed: dict[str, dict[str, object]] | None = None
) -> dict:
    """The JSON Excel's xlwings client sends for ``workbook`` (``computed``: formula results
    by sheet and coordinate; without it formula cells arrive blank)."""
    sheets = []
    for sheet in workbook.worksheets:
        results = (computed or {}).get(sheet.title, {})
        values = [
            [
                _wire(results.get(cell.coordinate) if _is_formula(cell) else cell.value)
                for cell in row
            ]
            for row in sheet.iter_rows(
                min_row=1, max_row=sheet.max_row, min_col=1, max_col=sheet.max_column
            )
        ]
        sheets.append({"name": sheet.title, "values": values, "pictures": [], "tables": []})
    return {
        "client": CLIENT,
        "version": xw.__version__,
        "book": {
            "name": name,
            "active_sheet_index": workbook.worksheets.index(workbook.active),
            "selection": "A1",
        },
        "names": [],
        "sheets": sheets,
    }


def _is_formula(cell) -> bool:
    """A formula cell (text that starts with ``=`` is text: Excel sends it as it is)."""
    return cell.data_type == "f"


def _wire(value: object) -> object:
    """One cell as Excel's client puts it in the payload."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime | dt.date):
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float | str):
        return value
    raise TypeError(f"no payload form for {value!r}")


def recalculated_values(path: Path) -> dict[str, dict[str, object]]:
    """Every formula cell's result as LibreOffice calculates it, by sheet and coordinate."""
    with tempfile.TemporaryDirectory(prefix="harness-lo-") as folder:
        book = load_workbook(convert(Path(path), "xlsx", Path(folder)), data_only=True)
        return {
            sheet.title: {
                cell.coordinate: cell.value
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None
            }
            for sheet in book.worksheets
        }


# -- 3. Excel, applying actions ----------------------------------------------------------------
@dataclass
class Alert:
    prompt: str
    title: str
    buttons: str
    mode: str


@dataclass
class Excel:
    """Applies remote-engine actions to an openpyxl workbook as Excel would."""

    workbook: Workbook
    alerts: list[Alert] = field(default_factory=list)
    macros: list[tuple[str, ...]] = field(default_factory=list)
    applied: int = 0
    _saved: dict[str, SheetProtection] = field(default_factory=dict)

    def apply(self, actions: list[dict]) -> None:
        for action in actions:
            if action["func"] in STRUCTURE_CHANGES and structure_locked(self.workbook):
                raise ExcelError(1004, STRUCTURE_LOCKED, action)
            handler = getattr(self, f"_{action['func']}", None)
            if handler is None:
                raise UnknownAction(f"the harness cannot apply {action['func']!r}: {action}")
            handler(action)
            self.applied += 1

    # actions
    def _setValues(self, action: dict) -> None:
        sheet = self.workbook.worksheets[action["sheet_position"]]
        values = action["values"]
        top, left = action["start_row"] + 1, action["start_column"] + 1
        if len(values) != action["row_count"] or any(
            len(row) != action["column_count"] for row in values
        ):
            raise ExcelError(1004, "the values do not fit the range", action)
        cells = [
            [sheet.cell(top + r, left + c) for c in range(len(row))] for r, row in enumerate(values)
        ]
        if sheet.protection.sheet:  # Excel refuses the whole write, not part of it
            locked = [cell for row in cells for cell in row if _locked(cell)]
            if locked:
                raise ExcelError(
                    1004,
                    f"The cell or chart you're trying to change ({sheet.title}!"
                    f"{locked[0].coordinate}, and {len(locked) - 1} more) is on a protected "
                    "sheet. To make a change, unprotect the sheet.",
                    action,
                )
        for row, row_values in zip(cells, values, strict=True):
            for cell, value in zip(row, row_values, strict=True):
                if isinstance(cell, MergedCell):
                    if value not in ("", None):
                        raise ExcelError(1004, f"Cannot change part of a merged cell "
                                         f"({sheet.title}!{cell.coordinate}).", action)  # fmt: skip
                    continue
                if not cell.has_style and value not in ("", None):
                    _take_column_format(sheet, cell)
                cell.value, quoted = typed(value)
                if quoted:  # text, even when it starts with "=" (openpyxl would make a formula)
                    cell.data_type = "s"
                cell.quotePrefix = quoted

    def _alert(self, action: dict) -> None:
        prompt, title, buttons, mode, _callback = action["args"]
        self.alerts.append(Alert(prompt, title, buttons, mode))

    def _runMacro(self, action: dict) -> None:
        macro, *args = action["args"]
        self.macros.append((macro, *map(str, args)))
        # xlwings' VBA client calls Application.Run macro, <the workbook>, args...
        if macro == UNPROTECT_MACRO:
            self._unprotect(*args)
        elif macro == PROTECT_MACRO:
            self._protect(*args)
        else:
            raise UnknownAction(f"the harness has no VBA macro {macro!r}")

    def _unprotect(self, name: str, password: str = "") -> None:
        sheet = self.workbook[name]
        protection = sheet.protection
        if (
            protection.sheet
            and protection.password
            and (not password or hash_password(password) != protection.password)
        ):
            raise ExcelError(1004, "The password you supplied is not correct.")
        self._saved[name] = copy.copy(protection)
        protection.sheet = False

    def _protect(self, name: str, password: str = "") -> None:
        # What ProtectSheet's VBA does: ws.Protect Password, DrawingObjects:=False,
        # Contents:=True, Scenarios:=False, AllowFormattingColumns:=True,
        # AllowFormattingRows:=True, AllowFiltering:=True
        protection = SheetProtection(
            sheet=True, objects=False, scenarios=False, formatColumns=False,
            formatRows=False, autoFilter=False, selectLockedCells=False,
            selectUnlockedCells=False,
        )  # fmt: skip
        if password:
            protection.password = password
        self.workbook[name].protection = protection


def _take_column_format(sheet, cell) -> None:
    """What Excel does to a cell never formatted that is given a value: it takes the format
    of its column, if the column has one."""
    for dimension in sheet.column_dimensions.values():
        low, high = dimension.min or 0, dimension.max or 0
        if low <= cell.column <= high and dimension.has_style:
            cell._style = copy.copy(dimension._style)
            return


def _locked(cell) -> bool:
    return bool(cell.protection.locked)


STRUCTURE_CHANGES = frozenset(
    {"addSheet", "sheetDelete", "setSheetVisibility", "setSheetPosition", "setSheetName",
     "copySheet"}
)  # fmt: skip
"""Remote-engine actions that change a book's structure, which a structure lock refuses."""
STRUCTURE_LOCKED = "Workbook is protected and cannot be changed."


def structure_locked(workbook: Workbook) -> bool:
    return bool(workbook.security is not None and workbook.security.lockStructure)


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?(E[+-]?\d+)?%?$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z?)?$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_LABEL = re.compile(r"^([A-Za-z]{3})[- ](\d{1,2})$")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def typed(value: object) -> tuple[object, bool]:
    """What a cell holds after Excel is handed ``value``: (content, quote-prefixed)."""
    if value == "" or value is None:
        return None, False
    if not isinstance(value, str):
        return value, False
    if value.startswith("'"):
        return value[1:], True
    if value.startswith("="):
        return value, False
    text = value.strip()
    if text.upper() in {"TRUE", "FALSE"}:
        return text.upper() == "TRUE", False
    if _NUMBER.match(text) and any(ch.isdigit() for ch in text):
        number = float(text.replace(",", "").rstrip("%")) / (100 if text.endswith("%") else 1)
        return (int(number) if number.is_integer() else number), False
    if match := _ISO.match(text):
        parts = [int(part) for part in match.groups() if part is not None]
        return dt.datetime(*parts), False
    if (match := _YEAR_MONTH.match(text)) and 1 <= int(match.group(2)) <= 12:
        return dt.datetime(int(match.group(1)), int(match.group(2)), 1), False
    if (match := _MONTH_LABEL.match(text)) and match.group(1).lower() in _MONTHS:
        month = _MONTHS.index(match.group(1).lower()) + 1
        return dt.datetime(dt.date.today().year, month, int(match.group(2))), False
    return value, False


# -- 2. pressing a button ------------------------------------------------------------------------
@dataclass
class Pressed:
    """What one press did: the actions Excel received, its message boxes, the Python time."""

    actions: list[dict]
    alerts: list[Alert]
    macros: list[tuple[str, ...]]
    returned: object
    seconds: float

    @property
    def calls(self) -> int:
        """Excel calls in production: one per action."""
        return len(self.actions)

    @property
    def message(self) -> str:
        assert len(self.alerts) == 1, f"expected one message box, got {self.alerts}"
        return self.alerts[0].prompt


def run_entry_point(
    data: dict, button: str | None = None, desktop: DesktopExcel | None = None
) -> tuple[list[dict], object, float]:
    """Open ``data`` with the remote engine, mock it as the caller, run the unchanged entry
    point (``xlscorecard.main()`` or ``xlscorecard.on_button(button)``); return its actions.
    With ``desktop``, the return's PDF is printed as on the desktop, by that Excel."""
    from xlscorecard.excel import buttons

    book = xw.Book(json=data)
    book.set_mock_caller()
    chooser = buttons._pdf_maker
    if desktop is not None:
        buttons._pdf_maker = lambda book: buttons.excel_pdf(desktop.app)
    try:
        start = time.perf_counter()
        returned = xlscorecard.main() if button is None else xlscorecard.on_button(button)
        seconds = time.perf_counter() - start
        actions = copy.deepcopy(book.json()["actions"])
    finally:
        buttons._pdf_maker = chooser
        del xw.Book._mock_caller
        book.close()
    return actions, returned, seconds


def press(
    path: Path,
    button: str | None = None,
    *,
    formula_values: bool = False,
    desktop: DesktopExcel | None = None,
) -> Pressed:
    """Press a button on the workbook file at ``path`` (None: the stock RunMain button) and
    save what Excel would have made of it (a press that only shows a message leaves the file
    byte for byte as it was). Raises :class:`ExcelError` where Excel would fail; the file is
    then left as it was, although Excel would keep the actions applied before the failure."""
    path = Path(path)
    workbook = load_workbook(path)
    computed = recalculated_values(path) if formula_values else None
    data = payload(workbook, path.name, computed)
    actions, returned, seconds = run_entry_point(data, button, desktop)
    excel = Excel(workbook)
    excel.apply(actions)
    if any(action["func"] != "alert" for action in actions):
        workbook.save(path)
    return Pressed(actions, excel.alerts, excel.macros, returned, seconds)


# -- 4. Excel on the desktop, where the remote engine cannot go ----------------------------------
class DesktopExcel:
    """Excel on Windows or the Mac as xlwings drives it, for what the remote engine cannot do:
    open a file (read with openpyxl), print it (its visible sheets, rendered by LibreOffice, as
    ``ExportAsFixedFormat`` prints them) and run a macro (recorded). ``app`` is a real
    ``xw.App`` over this engine, so xlwings' own code (``Books.open``, ``Book.to_pdf``, ``Sheet.
    to_pdf``, ``App.macro``) runs unchanged; Excel's refusals are Excel's: hiding a sheet of a
    structure-locked book raises 1004."""

    def __init__(self) -> None:
        self.macros: list[tuple[object, ...]] = []
        self.printed: list[tuple[str, list[str]]] = []  # (book, the sheets printed)
        self.app = xw.App(impl=_AppImpl(self))


class _Engine:
    name = "excel"
    type = "desktop"


class _AppImpl:
    engine = _Engine()
    pid = -1

    def __init__(self, excel: DesktopExcel):
        self.excel = excel
        self.books = _BooksImpl(self)

    def run(self, macro: str, args: list) -> None:
        self.excel.macros.append((macro, *args))


class _BooksImpl:
    def __init__(self, app: _AppImpl):
        self.app = app
        self.open_books: dict[str, _BookImpl] = {}

    def __call__(self, name: str) -> _BookImpl:
        return self.open_books[name]  # KeyError: not open, as xlwings' engines say

    def open(self, fullname, *options) -> _BookImpl:
        book = _BookImpl(self, Path(fullname))
        self.open_books[book.name] = book
        return book


class _BookImpl:
    def __init__(self, books: _BooksImpl, path: Path):
        self.books, self.app = books, books.app
        self.fullname, self.name = str(path), path.name
        self.workbook = load_workbook(path)
        self.api = self  # what xlwings hands to a macro for an xw.Book: a COM object, not text

    @property
    def sheets(self) -> _SheetsImpl:
        return _SheetsImpl(self)

    def to_pdf(self, path: str, quality: str = "standard") -> None:
        """Print every visible sheet, as Workbook.ExportAsFixedFormat does."""
        shown = [s.title for s in self.workbook.worksheets if s.sheet_state == "visible"]
        with tempfile.TemporaryDirectory(prefix="harness-print-") as folder:
            printed = load_workbook(self.fullname)
            for other in [name for name in printed.sheetnames if name not in shown]:
                del printed[other]
            source = Path(folder) / Path(self.name).with_suffix(".xlsx").name
            printed.save(source)
            Path(path).write_bytes(convert(source, "pdf", Path(folder) / "pdf").read_bytes())
        self.app.excel.printed.append((self.name, shown))

    def close(self) -> None:
        self.books.open_books.pop(self.name, None)


class _SheetsImpl:
    def __init__(self, book: _BookImpl):
        self.book = book

    def __iter__(self):
        for index in range(len(self.book.workbook.worksheets)):
            yield _SheetImpl(self.book, index + 1)

    def __len__(self) -> int:
        return len(self.book.workbook.worksheets)

    def __call__(self, name_or_index):
        names = self.book.workbook.sheetnames
        index = name_or_index if isinstance(name_or_index, int) else names.index(name_or_index) + 1
        return _SheetImpl(self.book, index)


class _SheetImpl:
    def __init__(self, book: _BookImpl, index: int):
        self.book, self.index = book, index

    @property
    def sheet(self):
        return self.book.workbook.worksheets[self.index - 1]

    @property
    def name(self) -> str:
        return self.sheet.title

    @property
    def visible(self) -> bool:
        return self.sheet.sheet_state == "visible"

    @visible.setter
    def visible(self, value: bool) -> None:
        if structure_locked(self.book.workbook) and bool(value) != self.visible:
            raise ExcelError(1004, "Unable to set the Visible property of the Worksheet class")
        self.sheet.sheet_state = "visible" if value else "hidden"
