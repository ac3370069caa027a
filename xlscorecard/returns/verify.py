"""Verifying an official return: its own checksum (:mod:`.digest`), then its bytes and
its PDF's against the returns register beside it and the working workbook's Audit, and, with
the council's public key, its signature, which binds the council, month, version and file name.
"""

from __future__ import annotations

import contextlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from ..errors import WorkbookError
from ..jobs.checksum import find_checksum
from ..jobs.return_changes import Verification, cell_changes, part_changes
from ..model.months import Month
from ..model.rows import recorded_return
from ..workbook import schema as sheets
from ..workbook.layout import SHEET
from .canonical import package_view
from .digest import check_file, is_canonical, load_return, read_return
from .openpyxl_view import book_view
from .register import SAVED, Row, original_path, read_register, register_path, row_for, sha256_of
from .signing import SIGNATURE_SUFFIX, SignatureProblem, check_signature, load_public_key


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
    view = read_return(path)
    result = check_file(path, view)
    if cross_check:
        public = (load_public_key(key), Path(key).name) if key is not None else None
        _cross_check(result, path, view, public, workbook)
    return result


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
    elif row.status != SAVED:
        result.fail(
            f"Its save was not finished ({register} says {row.status}): run any command "
            "on the working workbook to finish or take it back."
        )
    elif row.sha256 != sha:
        result.fail(
            f"Its bytes are not those saved (SHA-256 {sha}, registered {row.sha256} in "
            f"{register}): it was changed after it was saved."
        )
    else:
        result.checked.append(f"its bytes are those registered in {register}")
    if row is not None and row.sha256 != sha:
        _name_changes(result, path, view, original_path(folder, row.sha256))
    signature = _check_signature(path, sha, row, public_key, view)
    _check_pdf(result, path, row, signed=signature.pdf)
    _check_audit(result, path, folder, sha, row, workbook)
    signature.apply(result)


def _name_changes(result: Verification, path: Path, view, original: Path) -> None:
    """Each cell and item changed since the return was saved (the register's copy of it)."""
    if not original.exists():
        result.unchecked.append("which cells changed: the copy of the return as saved is gone")
        return
    try:
        now = book_view(load_return(path), path)
        saved = book_view(load_return(original), original)
    except WorkbookError:
        result.unchecked.append("which cells changed: the return cannot be read cell by cell")
        return
    checksum = find_checksum(now)
    skip = {(SHEET, checksum[0])} if checksum else set()
    result.cells = cell_changes(saved, now, skip)
    if is_canonical(view):
        with contextlib.suppress(WorkbookError):  # the cells are named; the rest is not
            result.cells += part_changes(package_view(original), view)


def beside(path: Path, name: str, where: str) -> Path:
    """The file ``name`` beside ``path``; an error when ``name`` (from ``where``: a register's
    column, a signature) is not a plain file name."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise WorkbookError(
            f"{where} names {name!r}, which is not the name of a file beside {path.name}: "
            "correct it (it is the file's name alone)"
        )
    return path.with_name(name)


def _check_pdf(result: Verification, path: Path, row: Row | None, signed: bool) -> None:
    if row is None:
        if not signed:  # a signature that holds has checked it
            result.unchecked.append("its PDF: no SHA-256 of it is recorded where it is")
        return
    name, expected = row.pdf, row.pdf_sha256
    if not name:
        return
    pdf = beside(path, name, f"{register_path(path.parent).name}'s pdf column")
    if not pdf.exists():
        result.fail(f"Its PDF {pdf} is missing.")
    elif sha256_of(pdf) != expected:
        result.fail(f"Its PDF {pdf} is not the one saved with it: it was changed or replaced.")
    else:
        result.checked.append(f"its PDF {pdf.name} is the one saved with it")


def _check_audit(result, path: Path, folder: Path, sha: str, row, workbook: Path | None):
    given = workbook is not None
    if workbook is None and row is not None and row.workbook:
        workbook = folder / row.workbook
    if workbook is None:
        result.unchecked.append(
            "the working workbook's Audit: which workbook saved it is not known (give it "
            "with --workbook)"
        )
        return
    if not Path(workbook).exists():
        result.unchecked.append(
            f"the working workbook's Audit: {row.workbook if row else workbook} is not at "
            "hand (give it with --workbook)"
        )
        return
    audit = _audit_rows(Path(workbook), given, register_path(folder).name)
    if audit is None:
        result.fail(f"The working workbook {workbook} has no Audit sheet to check it against.")
        return
    name = row.file if row is not None else path.name
    recorded = recorded_return(audit, name)
    label = row.workbook if row is not None and row.workbook else str(workbook)
    if recorded is None:
        result.fail(f"The working workbook's Audit ({label}) has no record of saving {name}.")
    elif recorded.sha256 != sha:
        result.fail(
            f"Its bytes are not those the working workbook's Audit ({label}) recorded when it "
            "was saved."
        )
    elif row is not None and row.pdf and recorded.pdf_sha256 != row.pdf_sha256:
        result.fail(f"Its PDF is not the one the working workbook's Audit ({label}) recorded.")
    else:
        result.checked.append(
            f"its bytes are those recorded in the working workbook's Audit ({label})"
        )


def _audit_rows(workbook: Path, given: bool, register: str) -> list[list] | None:
    """The Audit sheet's rows of the working workbook, None when it has none; an error naming
    the file (and where it was named) when it is not a readable workbook."""
    named = "given with --workbook" if given else f"named in {register}"
    if workbook.is_dir() or not workbook.is_file() or not zipfile.is_zipfile(workbook):
        raise WorkbookError(
            f"{workbook} ({named}) is not an Excel workbook (.xlsx): give the working "
            "workbook that saved the return with --workbook"
        )
    try:
        book = load_workbook(workbook, read_only=True)
        try:
            if sheets.AUDIT not in book.sheetnames:
                return None
            return [list(r) for r in book[sheets.AUDIT].iter_rows(min_row=2, values_only=True)]
        finally:
            book.close()
    except WorkbookError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookError(
            f"{workbook} ({named}) could not be read as a workbook: {exc}: give the working "
            "workbook that saved the return with --workbook"
        ) from None


@dataclass
class _SignatureCheck:
    """What checking the signature found, applied after the other checks (in that order)."""

    checked: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    pdf: bool = False
    """The signature holds and signs the PDF beside the return."""

    def apply(self, result: Verification) -> None:
        result.checked += self.checked
        result.unchecked += self.unchecked
        for problem in self.problems:
            result.fail(problem)


def _check_signature(path: Path, sha: str, row, public: tuple | None, view) -> _SignatureCheck:
    found = _SignatureCheck()
    name = row.signature if row is not None and row.signature else path.stem + SIGNATURE_SUFFIX
    signature = beside(path, name, f"{register_path(path.parent).name}'s signature column")
    if public is None:
        if signature.exists():
            found.unchecked.append(
                f"its signature {signature.name}: give the council's public key with --key"
            )
        else:
            found.unchecked.append(
                "a signature: it was not signed, so nothing proves who made it (see verify in "
                "docs/cli.md)"
            )
        return found
    if not signature.exists():
        found.problems.append(f"It has no signature ({signature.name} is not beside it).")
        return found
    try:
        fields, _ = check_signature(public[0], _text(signature))
    except SignatureProblem as problem:
        found.problems.append(f"Its signature {signature.name} does not hold: {problem}.")
        return found
    if fields.get("sha256") != sha:
        found.problems.append(
            f"Its bytes are not those its signature {signature.name} signs: it was changed "
            "after it was signed."
        )
        return found
    what = _signed_return(fields)
    signed_file = fields.get("file")
    if signed_file is not None and signed_file != path.name:
        found.problems.append(
            f"Its signature {signature.name} signs {signed_file} ({what}), not {path.name}: the "
            f"return was renamed or copied over another; only {signed_file} is what was signed."
        )
        return found
    month = view.properties.get("custom Return month", "")
    if fields.get("month") and month and fields["month"] != month:
        found.problems.append(
            f"Its signature {signature.name} signs {what}, but the return is for {month}."
        )
        return found
    pdf_name = fields.get("pdf") or (row.pdf if row is not None and row.pdf else "")
    pdf = beside(path, pdf_name, f"{signature.name}") if pdf_name else path.with_suffix(".pdf")
    if fields.get("pdf_sha256") and (not pdf.exists() or sha256_of(pdf) != fields["pdf_sha256"]):
        found.problems.append(f"Its PDF is not the one its signature {signature.name} signs.")
        return found
    found.pdf = bool(fields.get("pdf_sha256"))
    signs = "its bytes and its PDF's" if found.pdf else "its bytes"
    if signed_file is None:
        found.checked.append(
            f"its signature {signature.name} holds for the key in {public[1]} and signs {signs}"
        )
        found.unchecked.append(
            "its file name and version: its signature was made before xlscorecard signed them"
        )
    else:
        found.checked.append(
            f"its signature {signature.name} holds for the key in {public[1]} and signs this "
            f"file, {path.name} ({what}), {signs}"
        )
    return found


def _signed_return(fields: dict[str, str]) -> str:
    """``version 1 of Southampton's Aug-20 return``, from a signature's fields."""
    try:
        label = Month.parse(fields.get("month", "")).label
    except ValueError:
        label = fields.get("month", "")
    council = fields.get("council", "")
    owner = f"{council}'s " if council else "the "
    version = f"version {fields['version']} of " if fields.get("version") else ""
    return f"{version}{owner}{label} return"


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SignatureProblem("the signature file is not UTF-8 text") from None
    except OSError as error:
        raise SignatureProblem(f"the signature file cannot be read: {error.strerror}") from None
