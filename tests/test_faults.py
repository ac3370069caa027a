"""kill -9 at random moments: refresh, save-return and export on a catalogue ten times the
sample's, each killed :data:`RUNS` times at seeded random moments. After each kill the files are
the old ones or the new ones, never a mix, and after the next command (which takes the killed
command's lock over, cleans what it left and finishes or takes back an interrupted return)
nothing of xlscorecard's own is left behind.

``XLSCORECARD_FAULT_RUNS`` changes how many kills each command gets (default 30);
``XLSCORECARD_FAULT_SEED`` the seed. The test summary counts what the kills found.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.catalogue import generate_catalogue
from tests.support.faults import TALLY, fake_soffice, leftovers, start
from tests.support.paths import SAMPLE
from xlscorecard.files.notices import listening
from xlscorecard.files.register import read_register, sha256_of
from xlscorecard.files.safe_write import clean_stale
from xlscorecard.files.session import working_on
from xlscorecard.files.workbook_file import build_file, export_file
from xlscorecard.model.months import Month
from xlscorecard.workbook import schema as sheets

RUNS = int(os.environ.get("XLSCORECARD_FAULT_RUNS", "30"))
WORKERS = int(os.environ.get("XLSCORECARD_FAULT_WORKERS", "2"))
SEED = os.environ.get("XLSCORECARD_FAULT_SEED", "xlscorecard-faults-1")
COMMANDS = {
    "refresh": ["refresh", "dataset.xlsx"],
    "save-return": ["save-return", "dataset.xlsx", "--out", "returns", "--force", "Killed."],
    "export": ["export", "dataset.xlsx", "data"],
}


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """The Aug-20 workbook of a catalogue ten times the sample's (550 indicators), and beside
    it an earlier export (of the sample itself), which a new export replaces."""
    folder = tmp_path_factory.mktemp("big")
    catalogue = generate_catalogue(SAMPLE, folder / "catalogue", 10)
    build_file(catalogue, Month(2020, 8), folder / "dataset.xlsx")
    build_file(SAMPLE, Month(2020, 8), folder / "small.xlsx")
    export_file(folder / "small.xlsx", folder / "data")
    (folder / "small.xlsx").unlink()
    shutil.rmtree(catalogue)
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass
class Reference:
    """One run to its end: how long it took and what it left."""

    seconds: float
    workbook: bytes
    export: dict[str, str]


_references: dict[str, Reference] = {}


def reference(name: str, big: Path, tmp_path_factory) -> Reference:
    if name not in _references:
        folder = tmp_path_factory.mktemp(f"reference-{name}")
        shutil.copytree(big, folder, dirs_exist_ok=True)
        began = time.monotonic()
        run = start(*COMMANDS[name], cwd=folder, env=fake_soffice(folder.parent / "bin"))
        assert run.wait(timeout=600) == 0, run.communicate()
        seconds = time.monotonic() - began
        TALLY[f"kill -9 {name}: one uninterrupted run took {seconds:.0f} s"] += 1
        _references[name] = Reference(
            seconds, (folder / "dataset.xlsx").read_bytes(), snapshot(folder / "data")
        )
    return _references[name]


def kill_moments(name: str, seconds: float) -> list[float]:
    """Seeded moments over the run but its first quarter (Python starting and the workbook
    being read: nothing is written but the lock), a little past its end."""
    generator = random.Random(f"{SEED}-{name}")
    return [generator.uniform(seconds * 0.25, seconds * 1.05) for _ in range(RUNS)]


def report_month(path: Path) -> str:
    book = load_workbook(path, read_only=True)
    try:
        rows = book[sheets.SETTINGS].iter_rows(min_row=2, values_only=True)
        return str(dict((row[0], row[1]) for row in rows)["report_month"])
    finally:
        book.close()


def audit_saved(path: Path) -> list[tuple[str, str]]:
    book = load_workbook(path, read_only=True)
    try:
        rows = book[sheets.AUDIT].iter_rows(min_row=2, values_only=True)
        return [(row[6], row[7]) for row in rows if row[2] == "return saved"]
    finally:
        book.close()


def next_command(folder: Path) -> list[str]:
    """What every command on the workbook does first, run as the next command would."""
    notes: list[str] = []
    with listening(notes.append), working_on(folder / "dataset.xlsx", "the next command"):
        clean_stale(folder)  # what the next export does first in the export's folder
    return notes


@dataclass
class Kill:
    """What one kill found: old or new, what the next command said, or what went wrong."""

    outcome: str = ""
    notes: list[str] | None = None
    failure: str = ""


def kill_once(name: str, moment: float, big: Path, folder: Path, ref: Reference) -> Kill:
    council = folder / "council"
    shutil.copytree(big, council)
    old_workbook, old_export = (council / "dataset.xlsx").read_bytes(), snapshot(council / "data")
    run = start(*COMMANDS[name], cwd=council, env=fake_soffice(folder / "bin"))
    time.sleep(moment)
    finished = run.poll() is not None
    run.kill()
    run.wait(timeout=60)
    with _one_at_a_time:  # notices go to one listener at a time
        try:
            notes = next_command(council)
            outcome = check(name, council, old_workbook, old_export, ref)
            left = leftovers(council, council / "returns", council / "data")
            assert left == [], f"left behind: {left}; the next command said {notes}"
        except AssertionError as error:
            return Kill(failure=f"killed at {moment:.2f} s: {error}")
    return Kill(f"{outcome} (had finished)" if finished else outcome, notes)


_one_at_a_time = threading.Lock()


@pytest.fixture(scope="module")
def campaign(big, tmp_path_factory) -> dict[tuple[str, int], Kill]:
    """Every kill of every command, :data:`WORKERS` at a time (the commands are separate
    processes: two at once use both cores)."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:  # timed under the same load
        timed = {name: pool.submit(reference, name, big, tmp_path_factory) for name in COMMANDS}
        refs = {name: future.result() for name, future in timed.items()}
    jobs = [
        (name, index, moment)
        for name in COMMANDS
        for index, moment in enumerate(kill_moments(name, refs[name].seconds))
    ]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {
            (name, index): pool.submit(
                kill_once, name, moment, big, tmp_path_factory.mktemp(f"{name}-{index}"), refs[name]
            )
            for name, index, moment in jobs
        }
        return {key: future.result() for key, future in futures.items()}


@pytest.mark.parametrize("index", range(RUNS), ids=lambda i: f"kill{i + 1:02d}")
@pytest.mark.parametrize("name", list(COMMANDS))
def test_kill_9_leaves_the_old_or_the_new(name, index, campaign):
    kill = campaign[(name, index)]
    assert kill.failure == ""
    TALLY[f"kill -9 {name}: {kill.outcome}"] += 1
    if kill.notes:
        TALLY[f"kill -9 {name}: the next command {_kind(kill.notes)}"] += 1


def check(name: str, folder: Path, old_workbook: bytes, old_export: dict, ref: Reference) -> str:
    workbook = folder / "dataset.xlsx"
    if name == "refresh":
        if workbook.read_bytes() == old_workbook:
            return "old"
        assert zipfile.ZipFile(workbook).testzip() is None
        assert report_month(workbook) == "2020-09"
        return "new"
    if name == "export":
        now = snapshot(folder / "data")
        assert now in (old_export, ref.export), "the data folder is a mix of old and new"
        return "old" if now == old_export else "new"
    returns = folder / "returns"
    placed = sorted(p.name for p in returns.glob("*.xlsx")) if returns.exists() else []
    register = read_register(returns) if returns.exists() else []
    if not placed:
        assert register == [] and audit_saved(workbook) == []
        assert workbook.read_bytes() == old_workbook
        return "nothing placed"
    assert placed == ["Children and Families Aug-20.xlsx"]
    assert (returns / "Children and Families Aug-20.pdf").exists()
    (row,) = register
    sha = sha256_of(returns / placed[0])
    assert (row["status"], row["sha256"]) == ("saved", sha)
    ((file, note),) = audit_saved(workbook)
    assert file == placed[0] and f"file SHA-256 {sha}" in note
    return "placed and recorded"


def _kind(notes: list[str]) -> str:
    """What the next command said it did, in a few words."""
    said = {
        "recorded the": "recorded a placed return", "took back": "took back a return",
        "finished the": "finished a register row", "put back": "put back a moved folder",
        "had placed nothing": "cleared a return that had placed nothing",
    }  # fmt: skip
    for word, meaning in said.items():
        if any(word in note for note in notes):
            return meaning
    return "took over the lock and cleaned up"
