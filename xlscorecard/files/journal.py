"""Saving a return as one transaction, and finishing one that was interrupted.

A save writes ``.xlscorecard-journal-<workbook>.json`` beside the working workbook before it
makes anything, and says in it what it is about to place (names, SHA-256s, the Audit rows and
History figures it will record). The order is: journal, register row ``pending``, the files
placed, the workbook's Audit (and History) saved, register row ``saved``, journal removed. A
command killed at any moment leaves the journal; the next command on the workbook
(:func:`recover`, under the workbook's lock) then either records the return (when every file it
named is in place, byte for byte) or takes back whatever of it was placed, and says which.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import ScorecardError
from ..jobs.official_return import history_with, recorded_return
from ..model import Month
from ..workbook import schema as sheets
from ..workbook.reading import read_book
from .backups import backups_kept
from .notices import notify
from .reader import contents_of, open_workbook
from .register import (
    PENDING,
    SAVED,
    Row,
    change_register,
    forget,
    keep_original,
    sha256_of,
)
from .safe_write import HOST, PREFIX, atomic_write, clean_stale, owner_gone, remove, save_workbook
from .trends import write_trends
from .writer import table_sheet, write_table

BUILDING, PLACING = "building", "placing"


def journal_path(workbook: Path) -> Path:
    workbook = Path(workbook)
    return workbook.with_name(f"{PREFIX}journal-{workbook.name}.json")


@dataclass
class Journal:
    """A save-return in progress, as written beside the workbook."""

    workbook: str
    folder: str
    month: str
    started: str
    pid: int = field(default_factory=os.getpid)
    host: str = HOST
    state: str = BUILDING
    files: dict[str, str] = field(default_factory=dict)
    """Placed name and SHA-256 by kind: ``xlsx``, ``pdf``, ``sig``."""
    sha256: dict[str, str] = field(default_factory=dict)
    audit: list[list[object]] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)
    kept: dict[str, list[list[object]]] = field(default_factory=dict)
    """The archives (Commentary, Answers) as the return holds them, by sheet."""
    register_row: Row = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return journal_path(Path(self.workbook))

    def write(self) -> None:
        text = json.dumps(asdict(self), ensure_ascii=False, default=str)
        atomic_write(self.path, lambda target: target.write_text(text, encoding="utf-8"))

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)

    def placed_paths(self) -> dict[str, Path]:
        return {kind: Path(self.folder) / name for kind, name in self.files.items()}


def read_journal(workbook: Path) -> Journal | None:
    path = journal_path(workbook)
    if not path.exists():
        return None
    try:
        return Journal(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as error:
        raise ScorecardError(
            f"{path} (the record of an interrupted save-return) cannot be read ({error}): "
            "check the returns folder by hand, then delete that file"
        ) from None


def recover(workbook: Path) -> None:
    """Finish or take back a save-return of ``workbook`` that was interrupted; say which."""
    journal = read_journal(workbook)
    if journal is None or not owner_gone(journal.host, journal.pid, journal.path):
        return
    folder = Path(journal.folder)
    clean_stale(folder)
    month = Month.parse(journal.month).label
    if journal.state == BUILDING:
        journal.remove()
        notify(f"an interrupted save-return of {month} had placed nothing; it was cleared away")
        return
    name = journal.files["xlsx"]
    book = open_workbook(workbook)
    live = read_book(contents_of(book, Path(workbook).name))
    recorded = recorded_return(live.audit, name)
    if recorded is not None and recorded.get("sha256") == journal.sha256["xlsx"]:
        _register(journal, SAVED)
        journal.remove()
        notify(
            f"finished the {month} return {name}: it was recorded, and now so is its register row"
        )
        return
    placed = journal.placed_paths()
    if all(
        path.exists() and sha256_of(path) == journal.sha256[kind] for kind, path in placed.items()
    ):
        keep_original(folder, placed["xlsx"], journal.sha256["xlsx"])
        record_in(book, live, Path(workbook), journal)
        _register(journal, SAVED)
        journal.remove()
        notify(
            f"recorded the {month} return {folder / name} in {Path(workbook).name}'s Audit: an "
            "interrupted save-return had placed it but not recorded it"
        )
        return
    take_back(journal)
    journal.remove()
    notify(
        f"took back an interrupted save-return of {month}: it had not placed all its files, so "
        "nothing of it is kept; save the return again"
    )


def take_back(journal: Journal) -> None:
    """Remove what a save placed (only files with its own SHA-256) and its register row."""
    for kind, path in journal.placed_paths().items():
        if path.exists() and sha256_of(path) == journal.sha256.get(kind):
            remove(path)
    if journal.register_row:
        forget(Path(journal.folder), journal.files["xlsx"], journal.sha256["xlsx"])


def _register(journal: Journal, status: str) -> None:
    name = journal.files["xlsx"]

    def update(rows: list[Row]) -> list[Row]:
        for row in rows:
            if row["file"] == name:
                row["status"] = status
                return rows
        return [*rows, {**journal.register_row, "status": status}]

    change_register(Path(journal.folder), update)


def record_in(book, live, workbook: Path, journal: Journal, backup: bool = True) -> None:
    """Write the journal's Audit rows, History figures and archives into the open workbook
    ``book`` (``live``: as read), draw its Trends sheet again and save it over ``workbook``
    (keeping the replaced version in its backups folder)."""
    grid = [list(row) for row in book[sheets.HISTORY].iter_rows(min_row=2, values_only=True)]
    history = history_with(grid, journal.refs, Month.parse(journal.month), journal.figures)
    if history is not None:
        write_table(book[sheets.HISTORY], history, clear=True)
    for name, rows in journal.kept.items():
        write_table(table_sheet(book, name), rows, clear=True)
    write_table(book[sheets.AUDIT], [*live.audit, *journal.audit], clear=True)
    write_trends(book, live.dataset, live.month)  # openpyxl reads charts only in part
    where = f"{Path(workbook).name} {sheets.SETTINGS}"
    versions = backups_kept(live.dataset, where)
    save_workbook(book, workbook, backup=backup, versions=versions)


__all__ = [
    "PENDING", "Journal", "journal_path", "read_journal", "record_in", "recover", "take_back",
]  # fmt: skip
