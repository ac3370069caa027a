"""Read a workbook file with openpyxl into plain sheet grids (formulas as text)."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from ..errors import WorkbookError
from ..workbook.contents import BookContents, Formula
from .identity import latest_month


def open_workbook(path: Path) -> Workbook:
    """Load ``path`` for reading and rewriting; refuse files that would lose parts if saved."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"{path} does not exist")
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
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            book = load_workbook(path)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise WorkbookError(f"{path} could not be read as a workbook: {exc}") from None
    lost = sorted({str(w.message) for w in caught if "not supported" in str(w.message).lower()})
    if lost:
        raise WorkbookError(
            f"{path} holds parts that would be lost if xlscorecard saved it: "
            + "; ".join(lost)
            + ". Remove them in Excel (or save a copy without them) and try again."
        )
    return book


def contents_of(book: Workbook, name: str) -> BookContents:
    """Every sheet's cells as a grid: a formula cell as a :class:`Formula`, text as text
    (however it starts)."""
    grids = {
        sheet.title: [[_content(cell) for cell in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }
    return BookContents(name=name, sheets=grids, formulas_known=True, latest=latest_month())


def _content(cell) -> object:
    value = cell.value
    if cell.data_type == "f" and isinstance(value, str):
        return Formula(value)
    return value
