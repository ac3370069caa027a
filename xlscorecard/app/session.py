"""What every command that reads a workbook and then writes does first: take the workbook's
lock, clean its own leftovers beside it, and finish or take back an interrupted save-return."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from ..returns.journal import Recorder, recover
from ..store.backups import backup_folder
from ..store.lock import locked
from ..store.safe_write import clean_stale

Job = TypeVar("Job", bound=Callable)


@contextlib.contextmanager
def working_on(
    path: Path,
    command: str,
    user: str | None = None,
    reading: bool = False,
    recorder: Recorder | None = None,
) -> Iterator[None]:
    """Hold ``path``'s lock for ``command``, with what earlier commands left dealt with. A
    command ``reading`` only works without them in a folder nobody may write to (a
    read-only share): no command can change the workbook there, and none can lock it.
    ``recorder``: how an interrupted save-return is recorded, if need be (a front end other
    than the command line; the workbook's file by default)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if reading and folder.is_dir() and not os.access(folder, os.W_OK):
        yield
        return
    with locked(path, command, user):
        clean_stale(folder)
        if backup_folder(path).is_dir():  # a copy staged there by a command killed since
            clean_stale(backup_folder(path))
        if recorder is not None or path.exists():
            recover(path, recorder)
        yield


def one_at_a_time(command: str, reading: bool = False) -> Callable[[Job], Job]:
    """Run a job on a workbook file (its first argument; ``user=`` if given) under
    :func:`working_on`."""

    def wrap(job: Job) -> Job:
        @functools.wraps(job)
        def run(path, *args, **kwargs):
            with working_on(Path(path), command, kwargs.get("user"), reading):
                return job(path, *args, **kwargs)

        return run  # type: ignore[return-value]

    return wrap
