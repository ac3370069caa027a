"""The official return as files: the .xlsx (openpyxl), its PDF (and signature) beside it, the
returns register, the Audit record, and verifying a return.

Everything a return holds is worked out by :mod:`xlscorecard.jobs.official_return`; this module
writes it, as one transaction (:mod:`xlscorecard.files.journal`): the files are made in a
scratch folder beside their final place and checked; their names are reserved in the returns
register (``pending``); they are moved in without ever replacing a file (a second return of a
month is ``... v2.xlsx``) and made read-only; the working workbook's Audit records them; the
register row becomes ``saved``. A failure takes everything back; a kill is finished or taken
back by the next command on the workbook.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
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
    CHECKSUM_PROPERTIES,
    PROPERTY_BOOK,
    PROPERTY_CHECKSUM,
    PROPERTY_SHEET,
    Verification,
    cell_changes,
    check_view,
    digests,
    find_checksum,
)
from ..jobs.official_return import (
    Hashes,
    ReturnPlan,
    plan_return,
    recorded_return,
    return_folder,
    returned_figures,
    saved_row,
    stored,
    versioned,
)
from ..workbook import schema as sheets
from ..workbook.layout import SHEET, span
from ..workbook.reading import LiveBook
from ..workbook.trends import DATA_COLUMN
from .cached import write_workbook
from .identity import now, os_user
from .journal import PLACING, Journal, record_in
from .libreoffice import LibreOfficeMissing, convert, one_sheet
from .looks import book_view
from .notices import notify
from .register import (
    PENDING,
    SAVED,
    Row,
    change_register,
    forget,
    keep_original,
    original_path,
    read_register,
    register_path,
    row_for,
    sha256_of,
    taken,
)
from .safe_write import is_read_only, make_temporary_folder, os_error, remove
from .session import one_at_a_time
from .signing import (
    SIGNATURE_SUFFIX,
    SignatureProblem,
    Signer,
    check_signature,
    load_public_key,
    load_signer,
    sign,
)
from .styles import NAMED_STYLES
from .template import PACKAGE_TEMPLATE
from .trends import write_trends
from .workbook_file import open_book
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
NO_PDF_MAKER = (
    "nothing here can print a PDF (xlwings Lite, for one, cannot): open the return in Excel "
    "and save its Dataset sheet as PDF (File > Export > Create PDF, or in Excel for the web "
    "File > Export > Download as PDF)"
)
TABLE_STYLE = "TableStyleLight1"
UNSET = "0" * 64
"""What a checksum property holds until the checksum is known."""


def libreoffice_pdf(copy: Path, pdf: Path) -> None:
    """The print copy as LibreOffice prints it (A3 landscape, header row repeated); its
    scratch files stay beside the PDF, where a later command cleans them if it is killed."""
    scratch = make_temporary_folder(pdf, "pdf")
    try:
        shutil.move(convert(copy, "pdf", scratch, scratch=scratch), pdf)
    finally:
        remove(scratch)


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
    properties.description = (
        f"Official return for {plan.month.label}: the SHA-256 of what it shows is in the "
        f"Official return block of its {SHEET} sheet"
    )
    custom = [
        ("Return month", plan.month.iso),
        ("Saved at", stamp.saved_at),
        ("Saved by", stamp.saved_by),
        ("Saved with", f"xlscorecard {stamp.version}"),
        (PROPERTY_CHECKSUM, UNSET),
        *((PROPERTY_SHEET.format(name=name), UNSET) for name in book.sheetnames),
        (PROPERTY_BOOK, UNSET),
    ]
    for name, value in custom:
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    return book


def save_checksummed(book: Workbook, plan: ReturnPlan, path: Path) -> str:
    """Save the return at ``path`` with its checksum. It is saved with a unique placeholder
    in the checksum cell and properties; what it shows is hashed; the placeholders in the
    saved package are replaced by the checksums (the in-memory book gets them too)."""
    nonce = secrets.token_hex(12)
    checksum = book[SHEET].cell(*plan.checksum_cell)
    placeholders = {f"unset-{nonce}-cell": ""}
    checksum.value = next(iter(placeholders))
    for index, item in enumerate(book.custom_doc_props.props):
        if item.name.startswith(CHECKSUM_PROPERTIES):
            item.value = f"unset-{nonce}-{index}"
            placeholders[item.value] = item.name
    write_workbook(book, path)
    sums = digests(book_view(book, path), (SHEET, checksum.coordinate))
    values = {PROPERTY_CHECKSUM: sums.total, PROPERTY_BOOK: sums.book}
    values.update({PROPERTY_SHEET.format(name=n): digest for n, digest in sums.sheets.items()})
    final = {token: values.get(name, sums.total) for token, name in placeholders.items()}
    checksum.value = sums.total
    for item in book.custom_doc_props.props:
        item.value = final.get(item.value, item.value)
    _replace_in_package(path, final)
    return sums.total


def _replace_in_package(path: Path, replacements: dict[str, str]) -> None:
    with zipfile.ZipFile(path) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts:
            for old, new in replacements.items():
                if old.encode() in data:
                    data = data.replace(old.encode(), new.encode())
            package.writestr(info, data)


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
    """A return holds no formula (its text was written as text: this is the last guard);
    fractions are stored to Excel's 15 significant digits."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    elif isinstance(cell.value, float):
        cell.value = stored(cell.value)


def _datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None, microsecond=0)
    except ValueError:
        return dt.datetime.now().replace(microsecond=0)


# -- the files -----------------------------------------------------------------------------
@dataclass
class Placed:
    """A return's files, in place and read-only, and their register row."""

    xlsx: Path
    pdf: Path | None
    note: str
    """Why there is no PDF, when there is none."""
    digest: str
    hashes: Hashes = field(default_factory=lambda: Hashes(""))
    signature: Path | None = None
    row: Row = field(default_factory=dict)

    @property
    def paths(self) -> list[Path]:
        return [path for path in (self.xlsx, self.pdf, self.signature) if path is not None]

    def remove(self) -> None:
        """Take the files and their register row away again (the Audit record could not be
        written)."""
        for path in self.paths:
            if path.exists():
                remove(path)
        with contextlib.suppress(ScorecardError):
            forget(self.xlsx.parent, self.xlsx.name, self.hashes.sha256)

    def confirm(self) -> None:
        """Mark the register row as saved: the working workbook has recorded the return."""
        set_status(self.xlsx.parent, self.xlsx.name, SAVED)


def set_status(folder: Path, name: str, status: str) -> None:
    def update(rows: list[Row]) -> list[Row]:
        for row in rows:
            if row["file"] == name:
                row["status"] = status
        return rows

    change_register(folder, update)


@dataclass
class Made:
    """A return's files, made and checked in a scratch folder."""

    scratch: Path
    xlsx: Path
    pdf: Path | None
    signature: Path | None
    note: str
    digest: str
    hashes: Hashes


def make_return(
    plan: ReturnPlan, folder: Path, pdf_maker: PdfMaker | None, signer: Signer | None = None
) -> Made:
    """The return, its PDF and signature, in a scratch folder in ``folder``, checked (no
    PDF, and no print copy to make it from, without a ``pdf_maker``)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise os_error(error, folder, "make the folder") from None
    scratch = make_temporary_folder(folder / plan.stem, "return")
    try:
        xlsx = scratch / f"{plan.stem}.xlsx"
        book = build_return(plan)
        digest = save_checksummed(book, plan, xlsx)
        check = verify_file(xlsx, cross_check=False)
        pdf: Path | None = scratch / f"{plan.stem}.pdf"
        note = ""
        if pdf_maker is None:
            pdf, note = None, NO_PDF_MAKER
        else:
            copy = print_copy(xlsx, scratch / "print" / f"{PRINT_COPY.format(stem=plan.stem)}.xlsx")
            try:
                pdf_maker(copy, pdf)  # type: ignore[arg-type]
            except LibreOfficeMissing:
                pdf, note = None, NO_LIBREOFFICE
        pdf_sha = sha256_of(pdf) if pdf is not None else ""
        if not check.intact:  # a fault in xlscorecard: nothing is placed
            raise ScorecardError(f"the return did not verify after writing: {check.message}")
        sha = sha256_of(xlsx)
        signature = None
        key = ""
        if signer is not None:
            signature = scratch / f"{plan.stem}{SIGNATURE_SUFFIX}"
            signature.write_text(sign(signer, _signed(plan, digest, sha, pdf_sha)), "utf-8")
            key = signer.fingerprint
        hashes = Hashes(sha, pdf.name if pdf else None, pdf_sha, key)
        return Made(scratch, xlsx, pdf, signature, note, digest, hashes)
    except OSError as error:  # a full disk, a folder that went away: nothing is placed
        remove(scratch)
        raise os_error(error, folder / f"{plan.stem}.xlsx") from None
    except BaseException:
        remove(scratch)
        raise


def _signed(plan: ReturnPlan, digest: str, sha: str, pdf_sha: str) -> dict[str, str]:
    return {
        "council": plan.dataset.settings.council,
        "title": plan.title,
        "month": plan.month.iso,
        "saved_at": plan.stamp.saved_at,
        "saved_by": plan.stamp.saved_by,
        "data_sha256": digest,
        "sha256": sha,
        "pdf_sha256": pdf_sha,
    }


def place(
    made: Made, plan: ReturnPlan, folder: Path, workbook: Path | None, journal: Journal | None
) -> Placed:
    """Reserve the first free name in the register, then move the files in (never over a
    file) and make them read-only. ``journal`` is written before the register row."""
    kinds = [("xlsx", made.xlsx, ".xlsx"), ("pdf", made.pdf, ".pdf")]
    kinds.append(("sig", made.signature, SIGNATURE_SUFFIX))
    present = [(kind, source, suffix) for kind, source, suffix in kinds if source is not None]
    for version in count(1):
        name = versioned(plan.stem, version)
        targets = {kind: folder / f"{name}{suffix}" for kind, _, suffix in kinds}
        row = _row(plan, made, targets, workbook, folder)
        if not _reserve(folder, targets, row, made, journal):
            continue
        moved: list[Path] = []
        try:
            for kind, source, _ in present:
                if not _move_new(source, targets[kind]):
                    break
                moved.append(targets[kind])
        except BaseException:
            _unreserve(folder, targets["xlsx"].name, moved, made)
            raise
        if len(moved) < len(present):  # someone else's file took a name meanwhile: next one
            _unreserve(folder, targets["xlsx"].name, moved, made)
            continue
        for path in moved:
            with contextlib.suppress(OSError):
                os.chmod(path, stat.S_IMODE(path.stat().st_mode) & ~0o222)
        keep_original(folder, targets["xlsx"], made.hashes.sha256)
        return Placed(
            targets["xlsx"], targets["pdf"] if made.pdf else None, made.note, made.digest,
            made.hashes, targets["sig"] if made.signature else None, row,
        )  # fmt: skip
    raise AssertionError("unreachable")


def _row(plan, made: Made, targets: dict[str, Path], workbook: Path | None, folder: Path) -> Row:
    where = ""
    if workbook is not None:
        where = os.path.relpath(os.path.abspath(workbook), os.path.abspath(folder))
    return {
        "file": targets["xlsx"].name, "month": plan.month.iso, "status": PENDING,
        "sha256": made.hashes.sha256, "pdf": targets["pdf"].name if made.pdf else "",
        "pdf_sha256": made.hashes.pdf_sha256,
        "signature": targets["sig"].name if made.signature else "",
        "data_sha256": made.digest, "saved_at": plan.stamp.saved_at,
        "saved_by": plan.stamp.saved_by, "workbook": where,
    }  # fmt: skip


def _reserve(
    folder: Path, targets: dict[str, Path], row: Row, made: Made, journal: Journal | None
) -> bool:
    reserved = False

    def change(rows: list[Row]) -> list[Row]:
        nonlocal reserved
        if taken(rows, row["file"]) or any(path.exists() for path in targets.values()):
            return rows
        if journal is not None:  # the journal names the files before the register does
            journal.state = PLACING
            journal.files = {
                kind: targets[kind].name
                for kind, source in (
                    ("xlsx", made.xlsx),
                    ("pdf", made.pdf),
                    ("sig", made.signature),
                )
                if source is not None
            }
            journal.sha256 = {
                kind: sha256_of(source)
                for kind, source in (
                    ("xlsx", made.xlsx),
                    ("pdf", made.pdf),
                    ("sig", made.signature),
                )
                if source is not None
            }
            journal.register_row = row
            journal.write()
        reserved = True
        return [*rows, row]

    change_register(folder, change)
    return reserved


def _unreserve(folder: Path, name: str, moved: list[Path], made: Made) -> None:
    for path in moved:  # back to the scratch folder: they may go under the next name
        os.replace(path, made.scratch / path.name)
    change_register(folder, lambda rows: [r for r in rows if r["file"] != name])


def _move_new(source: Path, target: Path) -> bool:
    """Move ``source`` to ``target`` only if ``target`` does not exist (in one step where the
    file system allows hard links); False if it does."""
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except (OSError, AttributeError):  # no hard links here (some network drives; Pyodide
        # has no os.link): rename, which on Windows refuses to replace a file, and elsewhere
        if target.exists():  # is checked just before
            return False
        try:
            os.rename(source, target)
        except FileExistsError:
            return False
        return True
    source.unlink()
    return True


def write_return(
    plan: ReturnPlan,
    folder: Path,
    pdf_maker: PdfMaker | None = libreoffice_pdf,
    signer: Signer | None = None,
    workbook: Path | None = None,
    journal: Journal | None = None,
) -> Placed:
    """Write the return and its PDF into ``folder``, never over an existing file, with a
    ``pending`` row in the register (:meth:`Placed.confirm` once recorded)."""
    folder = Path(folder)
    made = make_return(plan, folder, pdf_maker, signer)
    try:
        return place(made, plan, folder, workbook, journal)
    except OSError as error:
        raise os_error(error, folder / f"{plan.stem}.xlsx") from None
    finally:
        remove(made.scratch)


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
        if placed.signature is not None:
            lines.append(f"Signed: {placed.signature}.")
        if plan.stamp.reason is not None:
            despite = f"despite {plan.stamp.overridden}" if plan.stamp.overridden else "by force"
            lines.append(f"Saved {despite}: the reason is recorded in Audit.")
        lines.append(
            f"{label} is marked as returned in Audit: a later change to its figures is queried."
        )
        return "\n".join(lines)


@one_at_a_time("save-return")
def save_return_file(
    path: Path,
    out_dir: Path | None = None,
    force: str | None = None,
    backup: bool = True,
    pdf_maker: PdfMaker = libreoffice_pdf,
    user: str | None = None,
    when: str | None = None,
    sign_with: Path | None = None,
) -> ReturnSaved:
    """Save the official return of the workbook at ``path`` and record it in its Audit, as
    one transaction (see the module's docstring).

    Refuses (:class:`~xlscorecard.errors.Refused`, nothing written) while anything blocks the
    return, unless ``force`` gives a reason. ``sign_with``: an Ed25519 private key file.
    """
    path = Path(path)
    workbook, book = open_book(path)
    if is_read_only(path):
        raise WorkbookError(f"cannot record the return in {path}: the file is read-only")
    plan = plan_return(book, user or os_user(), when or now(), force)
    folder = Path(out_dir) if out_dir is not None else return_folder(plan.dataset, path.parent)
    signer = load_signer(sign_with) if sign_with is not None else None
    journal = Journal(
        workbook=os.path.abspath(path), folder=os.path.abspath(folder), month=plan.month.iso,
        started=plan.stamp.saved_at, figures=returned_figures(book), refs=list(book.dataset.refs),
        kept=plan.kept,
    )  # fmt: skip
    journal.write()
    try:
        placed = _save(plan, book, workbook, path, folder, pdf_maker, signer, journal, backup)
    except BaseException:
        journal.remove()
        raise
    return ReturnSaved(plan, placed)


def _save(plan, book: LiveBook, workbook, path, folder, pdf_maker, signer, journal, backup):
    """Place, record, confirm; the journal goes once all three are done."""
    placed = write_return(plan, folder, pdf_maker, signer, path, journal)
    try:
        saved = saved_row(plan.stamp, placed.xlsx.name, placed.digest, placed.hashes, placed.note)
        journal.audit = [*plan.audit, saved]
        journal.write()
        record_in(workbook, book, path, journal, backup)
    except BaseException:
        placed.remove()
        raise
    try:
        placed.confirm()
    except ScorecardError as error:  # saved and recorded: the next command finishes the row
        notify(
            f"the returns register could not be marked ({error}); the next command on "
            f"{path.name} will do it"
        )
        return placed
    journal.remove()
    return placed


# -- verify ---------------------------------------------------------------------------------
def verify_file(
    path: Path,
    key: Path | None = None,
    workbook: Path | None = None,
    cross_check: bool = True,
) -> Verification:
    """Recompute a return's checksum from what it shows, and (``cross_check``) compare its
    bytes and its PDF's with the returns register beside it and the working workbook's Audit,
    naming each changed cell where the register keeps the return as saved; with ``key`` (a
    public key file) its signature is checked too."""
    path = Path(path)
    book = _load_return(path)
    view = book_view(book, path)
    result = check_view(str(path), view)
    if cross_check:
        public = (load_public_key(key), Path(key).name) if key is not None else None
        _cross_check(result, path, view, public, workbook)
    return result


def _load_return(path: Path) -> Workbook:
    if not path.exists():
        raise WorkbookError(f"{path} does not exist")
    if not zipfile.is_zipfile(path):
        raise WorkbookError(f"{path} is not an Excel workbook (.xlsx)")
    try:
        book = load_workbook(path)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookError(f"{path} could not be read as a workbook: {exc}") from None
    if sheets.SETTINGS in book.sheetnames:
        keys = [row[0] for row in book[sheets.SETTINGS].iter_rows(min_row=2, values_only=True)]
        if sheets.FORMAT_KEY in keys:
            raise WorkbookError(
                f"{path} is a working workbook, not a return: verify checks an official return "
                f"saved by xlscorecard save-return (it is the return that readers are sent)"
            )
    return book


def _cross_check(result: Verification, path: Path, view, public_key, workbook: Path | None):
    folder = path.parent
    sha = sha256_of(path)
    rows = read_register(folder) if register_path(folder).exists() else None
    row = row_for(rows or [], path.name, sha)
    register = register_path(folder).name
    if rows is None:
        result.unchecked.append(
            f"the file's bytes against a register: there is no {register} beside it"
        )
    elif row is None:
        result.fail(f"It is not in the returns register beside it ({register}).")
    elif row["status"] != SAVED:
        result.fail(
            f"Its save was not finished ({register} says {row['status']}): run any command "
            "on the working workbook to finish or take it back."
        )
    elif row["sha256"] != sha:
        result.fail(
            f"Its bytes are not those saved (SHA-256 {sha}, registered {row['sha256']} in "
            f"{register}): it was changed after it was saved."
        )
    else:
        result.checked.append(f"its bytes are those registered in {register}")
    if row is not None and row["sha256"] != sha:
        original = original_path(folder, row["sha256"])
        if original.exists():
            saved_view = book_view(load_workbook(original), original)
            checksum = find_checksum(view)
            skip = {(SHEET, checksum[0])} if checksum else set()
            result.cells = cell_changes(saved_view, view, skip)
        else:
            result.unchecked.append("which cells changed: the copy of the return as saved is gone")
    _check_pdf(result, path, row)
    _check_audit(result, path, folder, sha, row, workbook)
    _check_signature(result, path, sha, row, public_key)


def _check_pdf(result: Verification, path: Path, row: Row | None) -> None:
    if row is None:
        result.unchecked.append("its PDF: no SHA-256 of it is recorded where it is")
        return
    name, expected = row["pdf"], row["pdf_sha256"]
    if not name:
        return
    pdf = path.with_name(name)
    if not pdf.exists():
        result.fail(f"Its PDF {pdf} is missing.")
    elif sha256_of(pdf) != expected:
        result.fail(f"Its PDF {pdf} is not the one saved with it: it was changed or replaced.")
    else:
        result.checked.append(f"its PDF {pdf.name} is the one saved with it")


def _check_audit(result, path: Path, folder: Path, sha: str, row, workbook: Path | None):
    if workbook is None and row is not None and row["workbook"]:
        workbook = folder / row["workbook"]
    if workbook is None:
        result.unchecked.append(
            "the working workbook's Audit: which workbook saved it is not known (give it "
            "with --workbook)"
        )
        return
    if not Path(workbook).exists():
        result.unchecked.append(
            f"the working workbook's Audit: {row['workbook'] if row else workbook} is not at "
            "hand (give it with --workbook)"
        )
        return
    book = load_workbook(workbook, read_only=True)
    if sheets.AUDIT not in book.sheetnames:
        result.fail(f"The working workbook {workbook} has no Audit sheet to check it against.")
        return
    audit = [list(r) for r in book[sheets.AUDIT].iter_rows(min_row=2, values_only=True)]
    book.close()
    name = row["file"] if row is not None else path.name
    recorded = recorded_return(audit, name)
    label = row["workbook"] if row is not None and row["workbook"] else str(workbook)
    if recorded is None:
        result.fail(f"The working workbook's Audit ({label}) has no record of saving {name}.")
    elif recorded.get("sha256") != sha:
        result.fail(
            f"Its bytes are not those the working workbook's Audit ({label}) recorded when it "
            "was saved."
        )
    elif row is not None and row["pdf"] and recorded.get("pdf_sha256") != row["pdf_sha256"]:
        result.fail(f"Its PDF is not the one the working workbook's Audit ({label}) recorded.")
    else:
        result.checked.append(
            f"its bytes are those recorded in the working workbook's Audit ({label})"
        )


def _check_signature(result, path: Path, sha: str, row, public: tuple | None) -> None:
    name = (
        row["signature"] if row is not None and row["signature"] else path.stem + SIGNATURE_SUFFIX
    )
    signature = path.with_name(name)
    if public is None:
        if signature.exists():
            result.unchecked.append(
                f"its signature {signature.name}: give the council's public key with --key"
            )
        else:
            result.unchecked.append(
                "a signature: it was not signed, so nothing proves who made it (see verify in "
                "docs/cli.md)"
            )
        return
    if not signature.exists():
        result.fail(f"It has no signature ({signature.name} is not beside it).")
        return
    try:
        fields, _ = check_signature(public[0], signature.read_text(encoding="utf-8"))
    except SignatureProblem as problem:
        result.fail(f"Its signature {signature.name} does not hold: {problem}.")
        return
    if fields.get("sha256") != sha:
        result.fail(
            f"Its bytes are not those its signature {signature.name} signs: it was changed "
            "after it was signed."
        )
        return
    pdf = path.with_name(row["pdf"]) if row is not None and row["pdf"] else path.with_suffix(".pdf")
    if fields.get("pdf_sha256") and (not pdf.exists() or sha256_of(pdf) != fields["pdf_sha256"]):
        result.fail(f"Its PDF is not the one its signature {signature.name} signs.")
        return
    result.checked.append(
        f"its signature {signature.name} holds for the key in {public[1]} and signs its bytes "
        "and its PDF's"
    )


__all__ = [
    "CHECKSUM_LABEL", "NO_LIBREOFFICE", "Placed", "ReturnSaved", "build_return",
    "libreoffice_pdf", "save_return_file", "verify_file", "write_return",
]  # fmt: skip
