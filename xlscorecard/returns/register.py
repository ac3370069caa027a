"""The returns register: ``returns-register.csv`` in the returns folder, one row per return
saved there (its file, month, the SHA-256 of its bytes and of its PDF's, when and by whom, and
which working workbook recorded it), and a read-only copy of each return as it was saved, in
``.xlscorecard-originals``, so that ``verify`` can say which cells were changed.

A row is written as ``pending`` before a return's files are placed and becomes ``saved`` once
the working workbook has recorded it; an interrupted save leaves a pending row that the next
command completes or removes (:mod:`xlscorecard.returns.journal`). Rows are changed under the
register's own lock and written atomically.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import shutil
import stat
from collections.abc import Callable, Mapping
from dataclasses import astuple, dataclass, fields, replace
from pathlib import Path

from ..datadir.folder import read_text
from ..errors import DataFileError
from ..model.tables import csv_table
from ..model.text import neutralise
from ..store.lock import locked
from ..store.safe_write import PREFIX, atomic_write, os_error, remove, temporary_path

REGISTER = "returns-register.csv"
ORIGINALS = f"{PREFIX}originals"
COLUMNS = [
    "file", "month", "status", "sha256", "pdf", "pdf_sha256", "signature", "data_sha256",
    "saved_at", "saved_by", "workbook",
]  # fmt: skip
PENDING, SAVED = "pending", "saved"
_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Row:
    """One row of the register, keyed by its :data:`COLUMNS`: a return's file, its month and
    status, the SHA-256 of its bytes, its PDF's and its data, its signature's file, when and
    by whom it was saved, and the working workbook that recorded it (relative to the folder)."""

    file: str
    month: str = ""
    status: str = PENDING
    sha256: str = ""
    pdf: str = ""
    pdf_sha256: str = ""
    signature: str = ""
    data_sha256: str = ""
    saved_at: str = ""
    saved_by: str = ""
    workbook: str = ""

    def to_row(self) -> list[str]:
        return list(astuple(self))

    @classmethod
    def from_row(cls, values: Mapping[str, object]) -> Row:
        """A row from its cells by column name (a blank or missing cell is blank)."""
        return cls(**{column: str(values.get(column) or "") for column in COLUMNS})


assert [item.name for item in fields(Row)] == COLUMNS


def register_path(folder: Path) -> Path:
    return Path(folder) / REGISTER


def read_register(folder: Path) -> list[Row]:
    """The register's rows (none when there is no register)."""
    path = register_path(folder)
    if not path.exists():
        return []
    table = csv_table(read_text(path), path.name, str(path))
    rows = []
    for line, found in table.rows:
        row = Row.from_row(found)
        for column, problem in _problems(row):
            raise DataFileError(
                str(path), line, column,
                f"{problem}: this is not a row xlscorecard wrote (put back the register as "
                "saved, or remove the row if that return is gone)",
            )  # fmt: skip
        rows.append(row)
    return rows


def _problems(row: Row):
    """The columns of a register row that hold what xlscorecard never writes there."""
    for column in ("file", "pdf", "signature"):
        name = getattr(row, column)
        if (name or column == "file") and not _plain_name(name):
            yield column, f"{name!r} is not the name of a file in the returns folder"
    for column in ("sha256", "pdf_sha256"):
        sha = getattr(row, column)
        if (sha or column == "sha256") and not _SHA.match(sha):
            yield column, f"{sha!r} is not a SHA-256 (64 hexadecimal digits)"
    if row.status not in (PENDING, SAVED):
        yield "status", f"{row.status!r} is neither {PENDING} nor {SAVED}"


def _plain_name(name: str) -> bool:
    return bool(name) and name not in (".", "..") and not set(name) & {"/", "\\", "\0", ":"}


def change_register(folder: Path, change: Callable[[list[Row]], list[Row]]) -> list[Row]:
    """Apply ``change`` to the register's rows under its lock and write them back atomically."""
    path = register_path(folder)
    with locked(path, "update the returns register"):
        before = read_register(folder)
        rows = change(list(before))
        if not rows and not before:
            return rows
        atomic_write(path, lambda target: target.write_text(_csv(rows), encoding="utf-8"))
    return rows


def forget(folder: Path, name: str, sha256: str) -> None:
    """Take a return out of the register (its row and its copy as saved): it was never
    recorded. A register left with no rows goes too."""
    rows = change_register(folder, lambda rows: [row for row in rows if row.file != name])
    original = original_path(folder, sha256)
    if original.exists() and not any(row.sha256 == sha256 for row in rows):
        remove(original)
    with contextlib.suppress(OSError):
        original.parent.rmdir()
    if not rows:
        with locked(register_path(folder), "update the returns register"):
            if not read_register(folder):
                register_path(folder).unlink(missing_ok=True)


def _csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([[neutralise(cell) for cell in row.to_row()] for row in rows])
    return out.getvalue()


def row_for(rows: list[Row], file: str = "", sha256: str = "") -> Row | None:
    """The row of a return, by its file name or else by the SHA-256 of its bytes."""
    for row in rows:
        if file and row.file == file:
            return row
    for row in rows:
        if sha256 and row.sha256 == sha256:
            return row
    return None


def with_status(rows: list[Row], file: str, status: str) -> list[Row]:
    """``rows`` with the row of ``file`` marked ``status``."""
    return [replace(row, status=status) if row.file == file else row for row in rows]


def taken(rows: list[Row], file: str) -> bool:
    return any(row.file == file for row in rows)


def original_path(folder: Path, sha256: str) -> Path:
    """Where the register keeps the copy of a return as saved."""
    return Path(folder) / ORIGINALS / f"{sha256}.xlsx"


def keep_original(folder: Path, xlsx: Path, sha256: str) -> None:
    """A read-only copy of the return as saved (written whole or not at all)."""
    target = original_path(folder, sha256)
    if target.exists():
        return
    try:
        target.parent.mkdir(exist_ok=True)
        temporary = temporary_path(target)
        try:
            shutil.copyfile(xlsx, temporary)
            os.chmod(temporary, stat.S_IREAD)
            os.replace(temporary, target)
        finally:
            if temporary.exists():
                os.chmod(temporary, stat.S_IREAD | stat.S_IWRITE)
                temporary.unlink()
    except OSError as error:
        raise os_error(error, target) from None


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
