"""Saving a return as one transaction, and finishing one that was interrupted.

A save writes ``.xlscorecard-journal-<workbook>.json`` beside the working workbook before it
makes anything, and says in it what it is about to place (names, SHA-256s, the Audit rows and
History figures it will record) before it reserves their names in the returns register. The
order is: journal, register row ``pending``, the files placed, the workbook's Audit (and
History) saved, register row ``saved``, journal removed. A command killed at any moment leaves
the journal; the next command on the workbook (:func:`recover`, under the workbook's lock) then
either records the return (when every file it named is in place, byte for byte) or takes back
whatever of it was placed, and says which. Every front end (the command line, the ribbon's
button) saves through this one transaction; a front end records in its own way
(:class:`Recorder`).

What lies beside a workbook is not trusted: a journal is only acted on when it is a regular
file of this user's, names this workbook, and its return is in the register as this
workbook's, with the bytes the journal recorded. It takes back only files with those bytes
whose register row is ``pending``, never a return the register says is ``saved``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import ScorecardError
from ..jobs.plan import return_record_plan
from ..model import Month
from ..model.rows import recorded_return
from ..store.lock import locked
from ..store.notices import notify
from ..store.safe_write import (
    HOST,
    PREFIX,
    atomic_write,
    clean_stale,
    not_ours,
    owner_gone,
    read_own,
    remove,
)
from ..workbook.contents import BookContents
from ..workbook.reading import read_book
from ..xlsx.apply import save_plan
from ..xlsx.reader import contents_of, open_workbook
from .register import (
    PENDING,
    SAVED,
    Row,
    change_register,
    forget,
    keep_original,
    read_register,
    register_path,
    sha256_of,
    with_status,
)

BUILDING, PLACING = "building", "placing"
JOURNAL_LIMIT = 64 << 20
"""A journal is never bigger (it holds a month's Audit rows, figures and archives)."""
_SHA = re.compile(r"^[0-9a-f]{64}$")
KINDS = ("xlsx", "pdf", "sig")


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
    """Every Audit row the save records (the return's own row included), written with the
    files' names before any of them is placed."""
    figures: dict[str, object] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)
    kept: dict[str, list[list[object]]] = field(default_factory=dict)
    """The archives (Commentary, Answers) as the return holds them, by sheet."""
    register_row: dict[str, str] = field(default_factory=dict)
    """The register row it reserved, by column."""

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


class Recorder(Protocol):
    """How a front end records a return in its workbook: the command line rewrites the file
    (:class:`FileRecorder`); the ribbon's button writes into the open workbook."""

    def audit(self) -> list[list[object]]:
        """The workbook's Audit rows as they are now."""
        ...

    def record(self, journal: Journal) -> None:
        """Write the journal's Audit rows, History figures and archives into the workbook."""
        ...


class FileRecorder:
    """A return recorded in the workbook's file (openpyxl), saved over it."""

    def __init__(self, workbook: Path, opened: tuple | None = None, backup: bool = True) -> None:
        """``opened``: the workbook as already opened (openpyxl's book, as read, its cells)."""
        self.workbook = Path(workbook)
        self._book = opened
        self.backup = backup

    def audit(self) -> list[list[object]]:
        """The workbook's Audit rows as they are now."""
        return self._live().audit

    def record(self, journal: Journal) -> None:
        """Write the journal's Audit rows, History figures and archives into the workbook."""
        book, live, contents = self._open()
        record_in(book, live, contents, self.workbook, journal, self.backup)

    def _open(self):
        if self._book is None:
            book = open_workbook(self.workbook)
            contents = contents_of(book, self.workbook.name)
            self._book = (book, read_book(contents), contents)
        return self._book

    def _live(self):
        return self._open()[1]


def read_journal(workbook: Path) -> Journal | None:
    """The journal of an interrupted save-return beside ``workbook``; None when there is none,
    or when what is there is not this user's journal of this workbook (said, left alone)."""
    path = journal_path(workbook)
    if not os.path.lexists(path):
        return None
    why = not_ours(path)
    if why is not None:
        notify(f"left {path} alone: {why}, so it is not a record xlscorecard made")
        return None
    try:
        journal = Journal(**json.loads(read_own(path, JOURNAL_LIMIT).decode("utf-8")))
        problem = _problem(journal)
    except (OSError, ValueError, TypeError, RecursionError) as error:
        problem = str(error) or type(error).__name__
    if problem:
        raise ScorecardError(
            f"{path} (the record of an interrupted save-return) cannot be read ({problem}): "
            "check the returns folder by hand, then delete that file"
        )
    if not _same_file(journal.workbook, workbook):
        notify(
            f"left {path} alone: it is the record of a save-return of {journal.workbook}, not of "
            f"{Path(workbook).name} (delete it if it is not needed)"
        )
        return None
    return journal


def _problem(journal: Journal) -> str:
    """What makes a journal's content other than what xlscorecard writes; empty when none."""
    text = (journal.workbook, journal.folder, journal.month, journal.started, journal.host)
    if not all(isinstance(value, str) for value in text):
        return "a name that is not text"
    if type(journal.pid) is not int or not 0 < journal.pid < 2**31:
        return f"process {journal.pid!r} is not a process number"
    if journal.state not in (BUILDING, PLACING):
        return f"state {journal.state!r} is not one xlscorecard writes"
    for kinds in (journal.files, journal.sha256):
        if not isinstance(kinds, dict) or not set(kinds) <= set(KINDS):
            return "its files are not those of a return"
    for name in journal.files.values():
        if not isinstance(name, str) or Path(name).name != name or name in ("", ".", ".."):
            return f"{name!r} is not the name of a file in the returns folder"
    if not all(isinstance(sha, str) and _SHA.match(sha) for sha in journal.sha256.values()):
        return "a SHA-256 that is not 64 hexadecimal digits"
    unhashed = journal.files.keys() - journal.sha256.keys()
    if journal.state == PLACING and ("xlsx" not in journal.files or unhashed):
        return "its return has no name or no SHA-256"
    if not isinstance(journal.audit, list) or not all(isinstance(r, list) for r in journal.audit):
        return "its Audit rows are not rows"
    if not isinstance(journal.register_row, dict):
        return "its register row is not a row"
    try:
        Month.parse(journal.month)
    except (ValueError, ScorecardError):
        return f"month {journal.month!r} is not a month"
    return ""


def _same_file(named: str, workbook: Path) -> bool:
    return os.path.realpath(named) == os.path.realpath(os.path.abspath(workbook))


def recover(workbook: Path, recorder: Recorder | None = None) -> None:
    """Finish or take back a save-return of ``workbook`` that was interrupted; say which."""
    journal = read_journal(workbook)
    if journal is None or not owner_gone(journal.host, journal.pid, journal.path):
        return
    recorder = recorder or FileRecorder(workbook)
    folder = Path(journal.folder)
    clean_stale(folder)
    month = Month.parse(journal.month).label
    if journal.state == BUILDING:
        journal.remove()
        notify(f"an interrupted save-return of {month} had placed nothing; it was cleared away")
        return
    name = journal.files["xlsx"]
    with locked(register_path(folder), "finish an interrupted save-return"):
        rows = read_register(folder)  # (a lock its save left is taken over)
    row = next((r for r in rows if r.file == name), None)
    if row is None:  # killed before its name was reserved: nothing of it was placed
        journal.remove()
        notify(f"an interrupted save-return of {month} had placed nothing; it was cleared away")
        return
    if not _belongs(row, journal, workbook):
        notify(
            f"left {journal.path} alone: the returns register in {folder} does not say that "
            f"{name} is the return it records (delete it if it is not needed)"
        )
        return
    recorded = recorded_return(recorder.audit(), name)
    if recorded is not None and recorded.sha256 == journal.sha256["xlsx"]:
        if row.status != SAVED:
            set_status(folder, name, SAVED)
        journal.remove()
        notify(
            f"finished the {month} return {name}: it was recorded, and now so is its register row"
        )
        return
    if _all_placed(journal) and journal.audit:
        keep_original(folder, journal.placed_paths()["xlsx"], journal.sha256["xlsx"])
        recorder.record(journal)
        set_status(folder, name, SAVED)
        journal.remove()
        notify(
            f"recorded the {month} return {folder / name} in {Path(workbook).name}'s Audit: an "
            "interrupted save-return had placed it but not recorded it"
        )
        return
    if row.status != PENDING:
        notify(
            f"left {journal.path} alone: the returns register says {name} is {row.status}, "
            "but its files are not those the record names (run xlscorecard verify on it)"
        )
        return
    take_back(journal, row)
    journal.remove()
    notify(
        f"took back an interrupted save-return of {month}: it had not placed all its files, so "
        "nothing of it is kept; save the return again"
    )


def _belongs(row: Row, journal: Journal, workbook: Path) -> bool:
    """Whether the register's row is the one this journal reserved for this workbook: the
    same bytes, and the workbook it names is this one (a book that is no file here keeps its
    journal in the returns folder, and its row names no workbook)."""
    folder = Path(journal.folder)
    named = row.workbook
    if named:
        this = _same_file(str(folder / named), workbook)
    else:
        this = _same_file(str(folder / Path(workbook).name), workbook)
    return (
        this
        and row.sha256 == journal.sha256["xlsx"]
        and row.workbook == str(journal.register_row.get("workbook", ""))
        and row.pdf_sha256 == journal.sha256.get("pdf", "")
    )


def _all_placed(journal: Journal) -> bool:
    return all(
        not_ours(path) is None and sha256_of(path) == journal.sha256[kind]
        for kind, path in journal.placed_paths().items()
    )


def take_back(journal: Journal, row: Row) -> None:
    """Remove what a save placed (only regular files with the bytes the journal and the
    pending register ``row`` name) and its register row."""
    registered = {"xlsx": row.sha256, "pdf": row.pdf_sha256}
    for kind, path in journal.placed_paths().items():
        sha = journal.sha256.get(kind)
        if kind in registered and registered[kind] != sha:
            continue
        if kind == "sig" and row.signature != path.name:
            continue
        if not_ours(path) is None and sha256_of(path) == sha:
            remove(path)
    forget(Path(journal.folder), journal.files["xlsx"], journal.sha256["xlsx"])


def set_status(folder: Path, name: str, status: str) -> None:
    """Mark a return's register row (found by file name)."""

    change_register(folder, lambda rows: with_status(rows, name, status))


def record_in(
    book, live, contents: BookContents, workbook: Path, journal: Journal, backup: bool = True
) -> None:
    """Save the journal's plan (:func:`return_record_plan`: its Audit rows, History figures
    and archives) into the open workbook ``book`` (``live`` and ``contents``: as read) over
    ``workbook``, keeping the replaced version in its backups folder."""
    save_plan(book, return_record_plan(contents, live, journal), workbook, backup)


__all__ = [
    "PENDING", "FileRecorder", "Journal", "Recorder", "journal_path", "read_journal", "record_in",
    "recover", "set_status", "take_back",
]  # fmt: skip
