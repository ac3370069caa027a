"""The official return as files: the .xlsx (openpyxl), its PDF (and signature) beside it, the
returns register and the Audit record (its checksum: :mod:`.digest`; verifying it:
:mod:`.verify`).

Everything a return holds is worked out by :mod:`xlscorecard.jobs.official_return`; this module
writes it, as one transaction (:mod:`xlscorecard.returns.journal`): the files are made in a
scratch folder beside their final place and checked; their names are reserved in the returns
register (``pending``); they are moved in without ever replacing a file (a second return of a
month is ``... v2.xlsx``) and made read-only; the working workbook's Audit records them; the
register row becomes ``saved``. A failure takes everything back; a kill is finished or taken
back by the next command on the workbook.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from itertools import count
from pathlib import Path

from ..errors import ScorecardError
from ..jobs.checksum import (
    CHECKSUM_LABEL,
)
from ..jobs.official_return import (
    Hashes,
    ReturnPlan,
    returned_figures,
    saved_row,
    versioned,
)
from ..model.book import LiveBook
from ..store.checkpoints import reached
from ..store.notices import notify
from ..store.safe_write import make_temporary_folder, os_error, remove
from ..workbook.layout import SHEET
from ..xlsx.return_book import build_return
from ..xlsx.save import write_workbook
from .digest import save_checksummed
from .journal import PLACING, Journal, Recorder, set_status
from .libreoffice import LibreOfficeMissing, convert, one_sheet
from .register import (
    PENDING,
    SAVED,
    Row,
    change_register,
    forget,
    keep_original,
    sha256_of,
    taken,
)
from .signing import (
    SIGNATURE_SUFFIX,
    Signer,
    sign,
)
from .verify import verify_file

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
    row: Row | None = None

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
    signer: Signer | None = None
    signed: dict[str, str] = field(default_factory=dict)
    """What the signature states, but the file's name and version (known when placed)."""

    def sign_as(self, name: str, version: int) -> None:
        """(Re)write the signature for the return placed as ``name`` (its version)."""
        if self.signer is None or self.signature is None:
            return
        fields = {**self.signed, "file": f"{name}.xlsx", "version": str(version)}
        fields["pdf"] = f"{name}.pdf" if self.pdf is not None else ""
        self.signature.write_text(sign(self.signer, fields), "utf-8")


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
            key = signer.fingerprint
        hashes = Hashes(sha, pdf.name if pdf else None, pdf_sha, key)
        made = Made(scratch, xlsx, pdf, signature, note, digest, hashes, signer)
        made.signed = _signed(plan, digest, sha, pdf_sha)
        made.sign_as(plan.stem, 1)
        reached("return made")
        return made
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
        made.sign_as(name, version)  # the signature names the file and its version
        if not _reserve(folder, targets, row, made, journal, plan):
            continue
        reached("register pending")
        moved: list[Path] = []
        try:
            for kind, source, _ in present:
                if not _move_new(source, targets[kind], f"linked {kind}"):
                    break
                moved.append(targets[kind])
                reached(f"placed {kind}")
        except BaseException:
            _unreserve(folder, targets["xlsx"].name, moved, made)
            raise
        if len(moved) < len(present):  # someone else's file took a name meanwhile: next one
            _unreserve(folder, targets["xlsx"].name, moved, made)
            continue
        for path in moved:
            with contextlib.suppress(OSError):
                os.chmod(path, stat.S_IMODE(path.lstat().st_mode) & ~0o222)
        reached("made read-only")
        keep_original(folder, targets["xlsx"], made.hashes.sha256)
        reached("original kept")
        return Placed(
            targets["xlsx"], targets["pdf"] if made.pdf else None, made.note, made.digest,
            made.hashes, targets["sig"] if made.signature else None, row,
        )  # fmt: skip
    raise AssertionError("unreachable")


def _row(plan, made: Made, targets: dict[str, Path], workbook: Path | None, folder: Path) -> Row:
    where = ""
    if workbook is not None:
        where = os.path.relpath(os.path.abspath(workbook), os.path.abspath(folder))
    return Row(
        file=targets["xlsx"].name, month=plan.month.iso, status=PENDING,
        sha256=made.hashes.sha256, pdf=targets["pdf"].name if made.pdf else "",
        pdf_sha256=made.hashes.pdf_sha256,
        signature=targets["sig"].name if made.signature else "",
        data_sha256=made.digest, saved_at=plan.stamp.saved_at,
        saved_by=plan.stamp.saved_by, workbook=where,
    )  # fmt: skip


def _reserve(
    folder: Path,
    targets: dict[str, Path],
    row: Row,
    made: Made,
    journal: Journal | None,
    plan: ReturnPlan,
) -> bool:
    reserved = False

    def change(rows: list[Row]) -> list[Row]:
        nonlocal reserved
        if taken(rows, row.file) or any(path.exists() for path in targets.values()):
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
            journal.register_row = asdict(row)
            saved = saved_row(plan.stamp, row.file, made.digest, made.hashes, made.note)
            journal.audit = [*plan.audit, saved]  # what the next command records, if need be
            journal.write()
            reached("journal placing")
        reserved = True
        return [*rows, row]

    change_register(folder, change)
    return reserved


def _unreserve(folder: Path, name: str, moved: list[Path], made: Made) -> None:
    for path in moved:  # back to the scratch folder: they may go under the next name
        os.replace(path, made.scratch / path.name)
    change_register(folder, lambda rows: [r for r in rows if r.file != name])


def _move_new(source: Path, target: Path, step: str = "") -> bool:
    """Move ``source`` to ``target`` only if ``target`` does not exist (in one step where the
    file system allows hard links); False if it does."""
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except (OSError, AttributeError, NotImplementedError):
        # no hard links here (some network drives; Pyodide has no os.link at all): rename,
        # which on Windows refuses to replace a file, and elsewhere is checked just before
        if os.path.lexists(target):
            return False
        try:
            os.rename(source, target)
        except FileExistsError:
            return False
        return True
    reached(step)
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


def save_transaction(
    plan: ReturnPlan,
    book: LiveBook,
    folder: Path,
    pdf_maker: PdfMaker | None,
    signer: Signer | None,
    anchor: Path,
    workbook: Path | None,
    recorder: Recorder,
) -> Placed:
    """The one save-return of every front end, under the lock of ``anchor`` (the workbook's
    file, or where a front end without one keeps the journal): journal, place, record (the
    front end's ``recorder``), confirm; the journal goes once all three are done. A failure
    takes back what was placed; a kill is finished or taken back by the next command."""
    journal = Journal(
        workbook=os.path.abspath(anchor), folder=os.path.abspath(folder), month=plan.month.iso,
        started=plan.stamp.saved_at, figures=returned_figures(book), refs=list(book.dataset.refs),
        kept=plan.kept,
    )  # fmt: skip
    journal.write()
    reached("journal started")
    try:
        placed = write_return(plan, folder, pdf_maker, signer, workbook, journal)
    except BaseException:
        journal.remove()
        raise
    try:
        recorder.record(journal)
        reached("recorded")
    except BaseException:
        placed.remove()
        journal.remove()
        raise
    try:
        placed.confirm()
        reached("register saved")
    except ScorecardError as error:  # saved and recorded: the next command finishes the row
        notify(
            f"the returns register could not be marked ({error}); the next command on "
            f"{anchor.name} will do it"
        )
        return placed
    journal.remove()
    return placed


__all__ = [
    "CHECKSUM_LABEL", "NO_LIBREOFFICE", "Placed", "build_return", "libreoffice_pdf",
    "save_checksummed", "save_transaction", "write_return",
]  # fmt: skip
