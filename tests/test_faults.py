"""kill -9 at random moments: refresh, save-return and export on a catalogue ten times the
sample's, each killed :data:`RUNS` times at seeded random moments. After each kill the files are
the old ones or the new ones, never a mix, and after the next command (which takes the killed
command's lock over, cleans what it left and finishes or takes back an interrupted return)
nothing of xlscorecard's own is left behind.

``XLSCORECARD_FAULT_RUNS`` changes how many kills each command gets (4, or 30 with
``XLSCORECARD_LONG_TESTS=1``: tests/support/budget.py); ``XLSCORECARD_FAULT_SEED`` the seed. The
test summary counts what the kills found. tests/test_transaction.py kills each command at every
step that matters, deterministically; these random kills cover the moments in between.
"""

from __future__ import annotations

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

from tests.support.budget import KILLS
from tests.support.catalogue import generate_catalogue
from tests.support.faults import TALLY, fake_soffice, leftovers, snapshot, start
from tests.support.paths import SAMPLE
from xlscorecard.app.session import working_on
from xlscorecard.app.workbook_file import build_file, export_file
from xlscorecard.model.months import Month
from xlscorecard.returns.register import read_register, sha256_of
from xlscorecard.store.notices import listening
from xlscorecard.store.safe_write import clean_stale
from xlscorecard.workbook import schema as sheets

RUNS = KILLS
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


@dataclass
class Reference:
    """A run to its end: how long it took, when it began to write, and what it left."""

    seconds: float
    writing: float
    workbook: bytes
    export: dict[str, str]


WRITING = {
    "refresh": lambda folder: any(folder.glob(".xlscorecard-tmp-*dataset.xlsx")),
    "export": lambda folder: any(folder.glob(".xlscorecard-tmp-*-new-data")),
    "save-return": lambda folder: (folder / "returns" / "returns-register.csv").exists(),
}
"""When a command starts to write what it exists for: the workbook's temporary file, the new
export folder, the return's row in the register."""


def reference(name: str, big: Path, folder: Path) -> Reference:
    """A run to its end, timed (by polling) as the killed runs will run."""
    shutil.copytree(big, folder, dirs_exist_ok=True)
    began = time.monotonic()
    run = start(*COMMANDS[name], cwd=folder, env=fake_soffice(folder.parent / "bin"))
    writing = None
    while run.poll() is None:
        if writing is None and WRITING[name](folder):
            writing = time.monotonic() - began
        time.sleep(0.02)
    assert run.returncode == 0, run.communicate()
    seconds = time.monotonic() - began
    return Reference(
        seconds, writing or seconds * 0.8, (folder / "dataset.xlsx").read_bytes(),
        snapshot(folder / "data"),
    )  # fmt: skip


def kill_moments(name: str, ref: Reference) -> list[tuple[str, float]]:
    """Seeded moments: half while the command reads and works out what to write (after Python
    has started: nothing is written but the lock), half once it has begun to write, seen as
    it happens, so that however busy the machine is they fall where a kill can leave something
    half done."""
    generator = random.Random(f"{SEED}-{name}")
    moments = []
    for index in range(RUNS):
        if index % 2:
            moments.append(("working", generator.uniform(ref.writing * 0.3, ref.writing)))
        else:
            moments.append(("writing", generator.uniform(0, (ref.seconds - ref.writing) * 1.1)))
    return moments


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


def kill_once(
    name: str, moment: tuple[str, float], big: Path, folder: Path, ref: Reference
) -> Kill:
    council = folder / "council"
    shutil.copytree(big, council)
    old_workbook, old_export = (council / "dataset.xlsx").read_bytes(), snapshot(council / "data")
    run = start(*COMMANDS[name], cwd=council, env=fake_soffice(folder / "bin"))
    phase, seconds = moment
    if phase == "writing":
        while run.poll() is None and not WRITING[name](council):
            time.sleep(0.005)
    time.sleep(seconds)
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
            return Kill(failure=f"killed {seconds:.2f} s into its {phase}: {error}")
    outcome = f"{outcome} (had finished)" if finished else outcome
    return Kill(f"killed while {phase}: {outcome}", notes)


_one_at_a_time = threading.Lock()


@pytest.fixture(scope="module")
def campaign(big, tmp_path_factory) -> dict[tuple[str, int], Kill]:
    """Every kill of every command, :data:`WORKERS` at a time (the commands are separate
    processes: two at once use both cores)."""
    refs = {}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:  # timed under the same load
        for name in COMMANDS:
            runs = [
                pool.submit(reference, name, big, tmp_path_factory.mktemp(f"reference-{name}"))
                for _ in range(WORKERS)
            ]
            timed = [run.result() for run in runs]
            refs[name] = min(timed, key=lambda ref: ref.seconds)
            TALLY[f"kill -9 {name}: an uninterrupted run took {refs[name].seconds:.0f} s"] += 1
    jobs = [
        (name, index, moment)
        for name in COMMANDS
        for index, moment in enumerate(kill_moments(name, refs[name]))
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
    assert (row.status, row.sha256) == ("saved", sha)
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
