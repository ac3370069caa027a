"""Write a file completely or not at all: a temporary file beside it, then an atomic rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import ScorecardError


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary_path)`` then move the result onto ``path`` in one step.

    If ``write`` raises, ``path`` is untouched and the temporary file is removed.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ScorecardError(f"cannot write {path}: folder {directory} does not exist")
    if path.exists() and not os.access(path, os.W_OK):
        raise ScorecardError(f"cannot write {path}: the file is read-only")
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=directory)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
