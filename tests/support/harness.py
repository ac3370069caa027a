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
- reads never see earlier writes (the payload is built once, before the entry point runs);
- any action this module does not know fails loudly.
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
from xlscorecard.files.libreoffice import convert

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


def _locked(cell) -> bool:
    return bool(cell.protection.locked)


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


def run_entry_point(data: dict, button: str | None = None) -> tuple[list[dict], object, float]:
    """Open ``data`` with the remote engine, mock it as the caller, run the unchanged entry
    point (``xlscorecard.main()`` or ``xlscorecard.on_button(button)``); return its actions."""
    book = xw.Book(json=data)
    book.set_mock_caller()
    try:
        start = time.perf_counter()
        returned = xlscorecard.main() if button is None else xlscorecard.on_button(button)
        seconds = time.perf_counter() - start
        actions = copy.deepcopy(book.json()["actions"])
    finally:
        del xw.Book._mock_caller
        book.close()
    return actions, returned, seconds


def press(path: Path, button: str | None = None, *, formula_values: bool = False) -> Pressed:
    """Press a button on the workbook file at ``path`` (None: the stock RunMain button) and
    save what Excel would have made of it (a press that only shows a message leaves the file
    byte for byte as it was). Raises :class:`ExcelError` where Excel would fail; the file is
    then left as it was, although Excel would keep the actions applied before the failure."""
    path = Path(path)
    workbook = load_workbook(path)
    computed = recalculated_values(path) if formula_values else None
    actions, returned, seconds = run_entry_point(payload(workbook, path.name, computed), button)
    excel = Excel(workbook)
    excel.apply(actions)
    if any(action["func"] != "alert" for action in actions):
        workbook.save(path)
    return Pressed(actions, excel.alerts, excel.macros, returned, seconds)
