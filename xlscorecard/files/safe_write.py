"""Write a file completely or not at all: a temporary file beside it, then an atomic rename,
keeping the replaced version in its backups folder (:mod:`.backups`)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from ..errors import ScorecardError, WorkbookError
from ..workbook.schema import DEFAULT_BACKUPS
from .backups import keep_version, prune
from .cached import write_workbook
from .charts import check_drawn


def atomic_write(
    path: Path,
    write: Callable[[Path], None],
    backup: bool = False,
    versions: int = DEFAULT_BACKUPS,
) -> None:
    """Call ``write(temporary_path)`` then move the result onto ``path`` in one step.

    If anything fails, ``path`` is untouched and the temporary file is removed. With ``backup``
    the file being replaced is first copied into its backups folder, which then keeps the last
    ``versions`` (none when 0).
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ScorecardError(f"cannot write {path}: folder {directory} does not exist")
    if path.exists() and is_read_only(path):
        raise WorkbookError(f"cannot write {path}: the file is read-only")
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=directory)
    os.close(handle)
    temporary = Path(name)
    copy = None
    try:
        write(temporary)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        with contextlib.suppress(OSError):
            os.chmod(temporary, mode)
        if backup and versions > 0 and path.exists():
            copy = keep_version(path)
        try:
            os.replace(temporary, path)
        except PermissionError:
            raise WorkbookError(
                f"cannot replace {path}: it is open in another program (close it in Excel) "
                "or read-only"
            ) from None
        if copy is not None:
            copy = None  # the replaced version is kept: only older ones may go
            with contextlib.suppress(OSError):
                prune(path, versions)
    except BaseException:
        temporary.unlink(missing_ok=True)
        if copy is not None:
            copy.unlink(missing_ok=True)
        raise


def is_read_only(path: Path) -> bool:
    """Marked read-only (no write permission bit), or not writable by this user."""
    return not (path.stat().st_mode & 0o222) or not os.access(path, os.W_OK)


def save_workbook(
    workbook: Workbook, path: Path, backup: bool = True, versions: int = DEFAULT_BACKUPS
) -> None:
    """Save an openpyxl workbook over ``path`` atomically, keeping the replaced version, with
    its formulas' cached values (:func:`write_workbook`) and its Trends charts drawn again."""
    check_drawn(workbook)
    atomic_write(Path(path), partial(write_workbook, workbook), backup=backup, versions=versions)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
