"""Read a workbook file with openpyxl into plain sheet grids (formulas as text)."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from ..errors import WorkbookError
from ..store.identity import latest_month
from ..workbook import schema as sheets
from ..workbook.contents import BookContents, Formula
from .carry_over import (
    WHAT_TO_DO,
    Carried,
    carried,
    carry,
    held,
    refuse_if_held,
    refuse_macro_workbook,
)
from .charts import mark_undrawn, trend_charts_unread


def read_workbook(path: Path, read_only: bool = False) -> Workbook:
    """Any workbook file a person gave, or found beside one (a return, a kept original, the
    working workbook a register names), as openpyxl reads it: whatever is wrong with it (not
    there, a folder, a device, not a workbook, damaged) is a :class:`WorkbookError` naming it."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"{path} does not exist")
    if not path.is_file():
        kind = "a folder" if path.is_dir() else "a device or other special file"
        raise WorkbookError(f"{path} is not an Excel workbook (.xlsx): it is {kind}")
    try:
        if not zipfile.is_zipfile(path):
            raise WorkbookError(f"{path} is not an Excel workbook (.xlsx)")
        return load_workbook(path, read_only=read_only)
    except WorkbookError:
        raise
    except OSError as error:
        raise WorkbookError(f"cannot read {path}: {error.strerror or error}") from None
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookError(f"{path} could not be read as a workbook: {exc}") from None


def open_workbook(path: Path, writing: bool = True) -> Workbook:
    """Load ``path`` for reading and, with ``writing``, rewriting: then refuse a file that
    would lose parts if saved (:mod:`xlscorecard.xlsx.carry_over`), before anything is written."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"{path} does not exist")
    if writing:
        refuse_macro_workbook(path)
    lock = path.with_name(f"~${path.name}")
    if lock.exists():
        raise WorkbookError(
            f"{path} is open in Excel (lock file {lock.name} is present): close it there first"
        )
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise WorkbookError(f"cannot read {path}: {error.strerror}") from None
    if not zipfile.is_zipfile(path):
        raise WorkbookError(f"{path} is not an Excel workbook (.xlsx)")
    kept = Carried()
    if writing:
        try:
            found = held(path)
            kept = carried(path)
        except (KeyError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
            raise WorkbookError(f"{path} could not be read as a workbook: {exc}") from None
        refuse_if_held(path, found)
    with warnings.catch_warnings(record=True) as caught, trend_charts_unread() as unread:
        warnings.simplefilter("always")
        book = read_workbook(path)
    lost = sorted({str(w.message) for w in caught if "not supported" in str(w.message).lower()})
    if lost and writing:
        raise WorkbookError(
            f"{path} holds what xlscorecard would lose if it saved it: "
            + "; ".join(lost)
            + f" (newer Excel features openpyxl does not read). {WHAT_TO_DO}"
        )
    mark_undrawn(book, unread)
    carry(book, kept)  # what openpyxl drops but every save puts back
    return book


def contents_of(book: Workbook, name: str) -> BookContents:
    """Every sheet's cells as a grid: a formula cell as a :class:`Formula`, text as text
    (however it starts)."""
    grids = {
        sheet.title: []
        if sheet.title in sheets.WRITTEN_ONLY  # an empty grid marks it as there
        else [[_content(cell) for cell in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }
    return BookContents(name=name, sheets=grids, formulas_known=True, latest=latest_month())


def _content(cell) -> object:
    value = cell.value
    if cell.data_type == "f" and isinstance(value, str):
        return Formula(value)
    return value
