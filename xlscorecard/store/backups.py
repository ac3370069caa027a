"""Earlier versions of a workbook, kept beside it: the last N, timestamped, never overwritten.

``dataset.xlsx`` keeps them in the folder ``dataset backups`` next to it, as
``dataset 2020-09-30 170000.xlsx`` (a second one in the same second gets `` (2)``). Only files
named so are ever removed, oldest first, once there are more than the setting ``backups`` says
(10 unless Settings or council.toml says otherwise; 0 keeps none).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from itertools import count
from pathlib import Path

from ..errors import DataFileError
from ..model import Dataset
from ..model.settings import BACKUPS_KEY

STAMP = "%Y-%m-%d %H%M%S"


def backup_folder(path: Path) -> Path:
    """Where the earlier versions of ``path`` are kept: ``<stem> backups`` beside it."""
    path = Path(path)
    return path.with_name(f"{path.stem} backups")


def _numbered(path: Path) -> list[tuple[tuple[str, int], Path]]:
    """The kept versions of ``path`` with their (timestamp, number), oldest first."""
    folder = backup_folder(path)
    if not folder.is_dir():
        return []
    pattern = re.compile(
        rf"^{re.escape(path.stem)} (\d{{4}}-\d\d-\d\d \d{{6}})(?: \((\d+)\))?"
        rf"{re.escape(path.suffix)}$"
    )
    found = []
    for item in folder.iterdir():
        match = pattern.match(item.name)
        if match and item.is_file() and not item.is_symlink():  # only versions we kept
            found.append(((match.group(1), int(match.group(2) or 1)), item))
    return sorted(found)


def versions(path: Path) -> list[Path]:
    """The kept versions of ``path``, oldest first."""
    return [item for _, item in _numbered(Path(path))]


def keep_version(path: Path, when: dt.datetime | None = None, staged: Path | None = None) -> Path:
    """Copy the file at ``path`` into its backups folder under a new name, numbered after any
    kept in the same second (so the names sort as the versions were made); never over a
    file. ``staged``: a copy of the version made earlier (beside it), moved in instead."""
    path = Path(path)
    folder = backup_folder(path)
    folder.mkdir(exist_ok=True)
    stamp = (when or dt.datetime.now()).strftime(STAMP)
    used = [number for (kept, number), _ in _numbered(path) if kept == stamp]
    for number in count(max(used, default=0) + 1):
        extra = "" if number == 1 else f" ({number})"
        target = folder / f"{path.stem} {stamp}{extra}{path.suffix}"
        if staged is not None:
            if target.exists():
                continue
            os.replace(staged, target)  # one command per workbook at a time: nothing races
            return target
        try:
            with path.open("rb") as source, target.open("xb") as copy:
                shutil.copyfileobj(source, copy)
        except FileExistsError:
            continue
        shutil.copystat(path, target)
        return target
    raise AssertionError("unreachable")


def prune(path: Path, keep: int) -> list[Path]:
    """Remove the oldest kept versions of ``path`` beyond the last ``keep``; return them."""
    kept = versions(path)
    removed = kept[: max(0, len(kept) - keep)]
    for item in removed:
        item.unlink(missing_ok=True)
    return removed


def backups_kept(dataset: Dataset, where: str = "Settings") -> int:
    """How many versions to keep: the ``backups`` setting, 10 unless set; 0 keeps none."""
    problem = dataset.settings.refused.get(BACKUPS_KEY)
    if problem:
        raise DataFileError(where, None, BACKUPS_KEY, problem)
    return dataset.settings.backups
