"""The official return as files: the .xlsx (openpyxl), its PDF beside it, the Audit record.

Everything a return holds is worked out by :mod:`xlscorecard.jobs.official_return`; this module
writes it. Writes are safe: both files are made in a hidden scratch folder beside their final
place, checked, then moved in without ever replacing a file (a second return of a month is ``...
v2.xlsx``), and made read-only. The working workbook's Audit row is written only once both files
are in place; if that fails, they are removed again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import ScorecardError, WorkbookError
from ..jobs.checksum import (
    CHECKSUM_LABEL,
    PROPERTY_CHECKSUM,
    PROPERTY_SHEET,
    Verification,
    check_cells,
    digests,
)
from ..jobs.official_return import (
    ReturnPlan,
    history_with_month,
    plan_return,
    return_folder,
    saved_row,
    stored,
    versioned,
)
from ..workbook import schema as sheets
from ..workbook.layout import SHEET, span
from ..workbook.trends import DATA_COLUMN
from .backups import backups_kept
from .cached import write_workbook
from .identity import now, os_user
from .libreoffice import LibreOfficeMissing, convert, one_sheet
from .reader import contents_of
from .safe_write import is_read_only, save_workbook
from .styles import NAMED_STYLES
from .template import PACKAGE_TEMPLATE
from .trends import write_trends
from .workbook_file import open_book, table_sheet, write_audit
from .writer import apply_image, protect, write_dataset_sheet, write_table

PdfMaker = Callable[[Path, Path], None]
"""Prints the return's print copy (:func:`print_copy`) at the first path as a PDF at the
second: every sheet of it, which is the return's Dataset sheet alone."""
PRINT_COPY = "{stem} (for printing)"
"""The print copy's file name (distinct from the return's: Excel opens one book of a name)."""

NO_LIBREOFFICE = (
    "LibreOffice is not installed here, so no PDF was made: open the return in Excel and "
    "export its Dataset sheet as PDF, or install LibreOffice (on Debian: apt-get install "
    "libreoffice-calc-nogui) to have it made with the return"
)
TABLE_STYLE = "TableStyleLight1"


def libreoffice_pdf(copy: Path, pdf: Path) -> None:
    """The print copy as LibreOffice prints it (A3 landscape, header row repeated)."""
    with tempfile.TemporaryDirectory(prefix="xlscorecard-return-pdf-") as scratch:
        shutil.move(convert(copy, "pdf", Path(scratch)), pdf)


def print_copy(xlsx: Path, target: Path) -> Path:
    """The return's Dataset sheet alone, in a book without its structure lock, with the same
    print set-up and document properties (title and month in the PDF's metadata): what Excel
    and LibreOffice alike print the PDF from."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(one_sheet(xlsx, SHEET), target)
    return target


# -- the workbook --------------------------------------------------------------------------
def build_return(plan: ReturnPlan) -> Workbook:
    """The return as an openpyxl workbook, checksum and properties included."""
    dataset, stamp = plan.dataset, plan.stamp
    book = load_workbook(PACKAGE_TEMPLATE)
    sheet = book[SHEET]
    write_dataset_sheet(sheet, dataset, plan.month, plan.layout)  # formats, arrows, print set-up
    apply_image(sheet, plan.image)  # ... and then the figures, as values
    sheet.data_validations.dataValidation = []
    for (row, column), content in plan.image.cells.items():
        cell = sheet.cell(row, column)
        _as_text(cell)
        if not NAMED_STYLES[content.style].protection.locked:
            cell.protection = Protection(locked=True)  # the input cells keep their shading
    last_row = max(row for row, _ in plan.image.cells)
    sheet.print_area = span(1, 1, last_row, plan.layout.last_column)
    trends = write_trends(book, dataset, plan.month)
    for row in trends.iter_rows(min_row=2, min_col=DATA_COLUMN):
        for cell in row:
            _as_text(cell)
    for name in sheets.SUPPORTING:
        _write_table_sheet(book[name], name, plan.tables.get(name, []))
    password = dataset.settings.extra.get(sheets.PASSWORD_KEY)
    for each in book.worksheets:
        protect(each, dataset)
    book.security = WorkbookProtection(lockStructure=True)
    if password:
        book.security.set_workbook_password(str(password))
    properties = book.properties
    properties.title = plan.title
    properties.subject = plan.subject
    properties.creator = properties.lastModifiedBy = stamp.saved_by
    properties.keywords = f"official return; {plan.month.iso}"
    properties.category = "Official return"
    saved = _datetime(stamp.saved_at)
    properties.created = properties.modified = saved
    book.active = 0
    checksum = sheet.cell(*plan.checksum_cell)
    sums = digests(_cells(book), (SHEET, checksum.coordinate))
    checksum.value = sums.total
    properties.description = f"Official return for {plan.month.label}. SHA-256 {sums.total}"
    custom = [
        ("Return month", plan.month.iso),
        ("Saved at", stamp.saved_at),
        ("Saved by", stamp.saved_by),
        ("Saved with", f"xlscorecard {stamp.version}"),
        (PROPERTY_CHECKSUM, sums.total),
        *((PROPERTY_SHEET.format(name=name), digest) for name, digest in sums.sheets.items()),
    ]
    for name, value in custom:
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    return book


def _write_table_sheet(sheet: Worksheet, name: str, rows: list[list[object]]) -> None:
    """A supporting sheet's rows as a real Excel table under the template's header row,
    every cell locked (the reasons on Checks are shaded as typed in, but a return is final)."""
    write_table(sheet, rows)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            _as_text(cell)
            if not cell.protection.locked:
                cell.protection = Protection(locked=True)
    if name == sheets.CHECKS:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
            where, _, address = str(cell.value or "").partition("!")
            if address:
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{where}'!{address}")
    if rows:
        sheet.auto_filter.ref = None  # the table has its own filter
        width = len(sheets.COLUMNS[name])
        table = Table(displayName=name, ref=span(1, 1, len(rows) + 1, width))
        table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        sheet.add_table(table)


def _as_text(cell) -> None:
    """Text that starts with ``=`` stays text (a return holds no formula); fractions are
    stored to Excel's 15 significant digits."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    elif isinstance(cell.value, float):
        cell.value = stored(cell.value)


def _datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None, microsecond=0)
    except ValueError:
        return dt.datetime.now().replace(microsecond=0)


def _cells(book: Workbook):
    for sheet in book.worksheets:
        cells = (cell for row in sheet.iter_rows() for cell in row)
        yield sheet.title, ((cell.coordinate, cell.value) for cell in cells)


# -- the files -----------------------------------------------------------------------------
@dataclass
class Placed:
    """A return's files, in place and read-only."""

    xlsx: Path
    pdf: Path | None
    note: str
    """Why there is no PDF, when there is none."""
    digest: str

    def remove(self) -> None:
        """Take the files away again (the Audit record could not be written)."""
        for path in (self.xlsx, self.pdf):
            if path is not None and path.exists():
                with contextlib.suppress(OSError):
                    os.chmod(path, stat.S_IREAD | stat.S_IWRITE)
                path.unlink(missing_ok=True)


def write_return(plan: ReturnPlan, folder: Path, pdf_maker: PdfMaker = libreoffice_pdf) -> Placed:
    """Write the return and its PDF into ``folder``, never over an existing file."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".xlscorecard-return-", dir=folder))
    except OSError as error:
        raise ScorecardError(f"cannot write the return in {folder}: {error}") from None
    try:
        xlsx = scratch / f"{plan.stem}.xlsx"
        write_workbook(build_return(plan), xlsx)
        check = verify_file(xlsx)
        if not check.intact:  # a fault in xlscorecard: nothing is placed
            raise ScorecardError(f"the return did not verify after writing: {check.message}")
        pdf: Path | None = scratch / f"{plan.stem}.pdf"
        note = ""
        copy = print_copy(xlsx, scratch / "print" / f"{PRINT_COPY.format(stem=plan.stem)}.xlsx")
        try:
            pdf_maker(copy, pdf)  # type: ignore[arg-type]
        except LibreOfficeMissing:
            pdf, note = None, NO_LIBREOFFICE
        return _place(plan.stem, folder, xlsx, pdf, note, check.found)
    except OSError as error:  # a full disk, a folder that went away: nothing is placed
        raise ScorecardError(f"cannot write the return in {folder}: {error}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _place(stem: str, folder: Path, xlsx: Path, pdf: Path | None, note: str, digest: str) -> Placed:
    for version in count(1):
        name = versioned(stem, version)
        target = folder / f"{name}.xlsx"
        target_pdf = folder / f"{name}.pdf" if pdf is not None else None
        if target.exists() or (folder / f"{name}.pdf").exists():
            continue
        if not _move_new(xlsx, target):
            continue
        try:
            placed_pdf = target_pdf is None or _move_new(pdf, target_pdf)  # type: ignore[arg-type]
        except BaseException:
            target.unlink(missing_ok=True)  # never a return without the PDF it was made with
            raise
        if not placed_pdf:  # someone else's PDF took the name meanwhile: try the next one
            os.replace(target, xlsx)
            continue
        for path in (target, target_pdf):
            if path is not None:
                with contextlib.suppress(OSError):
                    os.chmod(path, stat.S_IMODE(path.stat().st_mode) & ~0o222)
        return Placed(target, target_pdf, note, digest)
    raise AssertionError("unreachable")


def _move_new(source: Path, target: Path) -> bool:
    """Move ``source`` to ``target`` only if ``target`` does not exist (in one step where the
    file system allows hard links); False if it does."""
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except OSError:  # no hard links here (some network drives): rename, which on Windows
        if target.exists():  # refuses to replace a file, and elsewhere is checked just before
            return False
        try:
            os.rename(source, target)
        except FileExistsError:
            return False
        return True
    source.unlink()
    return True


# -- the command ---------------------------------------------------------------------------
@dataclass
class ReturnSaved:
    plan: ReturnPlan
    placed: Placed

    @property
    def summary(self) -> str:
        plan, placed = self.plan, self.placed
        label = plan.month.label
        made = f" and its PDF {placed.pdf}" if placed.pdf else ""
        lines = [f"Saved the {label} return: {placed.xlsx}{made}."]
        if placed.pdf is None:
            lines.append(f"{placed.note}.")
        if plan.stamp.reason is not None:
            despite = f"despite {plan.stamp.overridden}" if plan.stamp.overridden else "by force"
            lines.append(f"Saved {despite}: the reason is recorded in Audit.")
        lines.append(
            f"{label} is marked as returned in Audit: a later change to its figures is queried."
        )
        return "\n".join(lines)


def save_return_file(
    path: Path,
    out_dir: Path | None = None,
    force: str | None = None,
    backup: bool = True,
    pdf_maker: PdfMaker = libreoffice_pdf,
    user: str | None = None,
    when: str | None = None,
) -> ReturnSaved:
    """Save the official return of the workbook at ``path`` and record it in its Audit.

    Refuses (:class:`~xlscorecard.errors.Refused`, nothing written) while anything blocks the
    return, unless ``force`` gives a reason.
    """
    path = Path(path)
    workbook, book = open_book(path)
    if is_read_only(path):
        raise WorkbookError(f"cannot record the return in {path}: the file is read-only")
    plan = plan_return(book, user or os_user(), when or now(), force)
    folder = Path(out_dir) if out_dir is not None else return_folder(plan.dataset, path.parent)
    placed = write_return(plan, folder, pdf_maker)
    try:
        pdf = placed.pdf.name if placed.pdf else None
        saved = saved_row(plan.stamp, placed.xlsx.name, placed.digest, pdf, placed.note)
        grid = contents_of(workbook, path.name).sheets[sheets.HISTORY]
        history = history_with_month(grid[1:], book)
        if history is not None:
            write_table(workbook[sheets.HISTORY], history, clear=True)
        for name, rows in plan.kept.items():
            write_table(table_sheet(workbook, name), rows, clear=True)
        write_audit(workbook, book, [*plan.audit, saved])
        write_trends(workbook, book.dataset, book.month)  # openpyxl reads charts only in part
        where = f"{path.name} {sheets.SETTINGS}"
        save_workbook(workbook, path, backup=backup, versions=backups_kept(book.dataset, where))
    except BaseException:
        placed.remove()
        raise
    return ReturnSaved(plan, placed)


# -- verify ---------------------------------------------------------------------------------
def verify_file(path: Path) -> Verification:
    """Recompute a return's checksum from its cells and say whether it is intact."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"{path} does not exist")
    if not zipfile.is_zipfile(path):
        raise WorkbookError(f"{path} is not an Excel workbook (.xlsx)")
    try:
        book = load_workbook(path)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookError(f"{path} could not be read as a workbook: {exc}") from None
    cells = [
        (
            sheet.title,
            [
                (cell.row, cell.column, cell.coordinate, cell.value)
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None
            ],
        )
        for sheet in book.worksheets
    ]
    properties = {prop.name: str(prop.value) for prop in book.custom_doc_props}
    return check_cells(str(path), cells, properties)


__all__ = [
    "CHECKSUM_LABEL", "NO_LIBREOFFICE", "Placed", "ReturnSaved", "build_return",
    "libreoffice_pdf", "save_return_file", "verify_file", "write_return",
]  # fmt: skip
