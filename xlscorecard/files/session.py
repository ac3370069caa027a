"""What every command that reads a workbook and then writes does first: take the workbook's
lock, clean its own leftovers beside it, and finish or take back an interrupted save-return."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from .journal import recover
from .lock import locked
from .safe_write import clean_stale


@contextlib.contextmanager
def working_on(path: Path, command: str, user: str | None = None) -> Iterator[None]:
    """Hold ``path``'s lock for ``command``, with what earlier commands left dealt with."""
    path = Path(path)
    with locked(path, command, user):
        clean_stale(path.parent if str(path.parent) else Path("."))
        if path.exists():
            recover(path)
        yield
