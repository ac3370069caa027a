"""A command killed at each step that matters, deterministically: a child process runs the
command and kills itself (``os._exit``, as kill -9 would: no clean-up runs) at one step; the next
command then finds the old state or the new one, finishes or takes back what was half done, and
says so. The random kills of tests/test_faults.py cover the moments in between."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.faults import TALLY, leftovers
from tests.support.returns import fake_pdf, make_ready
from xlscorecard.app import return_file, workbook_file
from xlscorecard.app.session import working_on
from xlscorecard.datadir import folder as datadir
from xlscorecard.returns import journal, transaction
from xlscorecard.returns.register import read_register, sha256_of
from xlscorecard.store import safe_write
from xlscorecard.store.notices import listening
from xlscorecard.workbook import schema as sheets

STEM = "Children and Families Aug-20"
KILLED = 137

if not hasattr(os, "fork"):  # pragma: no cover - Windows
    pytest.skip("these tests kill a forked child process", allow_module_level=True)


def killed_at(patch: Callable[[pytest.MonkeyPatch], None], command: Callable[[], object]) -> int:
    """Run ``command`` in a child process that dies where ``patch`` says; its exit status."""
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        status = 0
        try:
            with pytest.MonkeyPatch.context() as monkeypatch:
                patch(monkeypatch)
                command()
        except BaseException:
            status = 1
        os._exit(status)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status)


def die(*_args, **_kwargs):
    os._exit(KILLED)


def next_command(workbook: Path) -> list[str]:
    notes: list[str] = []
    with listening(notes.append), working_on(workbook, "the next command"):
        pass
    return notes


@pytest.fixture
def ready(built, tmp_path) -> Path:
    return make_ready(built("2020-08"), tmp_path / "dataset.xlsx")


def save(ready: Path) -> Callable[[], object]:
    return lambda: return_file.save_return_file(ready, ready.parent / "returns", pdf_maker=fake_pdf)


def saved_in_audit(workbook: Path) -> list[str]:
    rows = load_workbook(workbook)[sheets.AUDIT].iter_rows(min_row=2, values_only=True)
    return [row[6] for row in rows if row[2] == "return saved"]


def returns_of(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*") if p.suffix in (".xlsx", ".pdf"))


def test_killed_before_anything_is_placed_the_next_command_clears_it(ready):
    before = ready.read_bytes()
    assert killed_at(lambda m: m.setattr(transaction, "build_return", die), save(ready)) == KILLED
    assert journal.journal_path(ready).exists()
    notes = next_command(ready)
    assert any("had placed nothing" in note for note in notes), notes
    assert ready.read_bytes() == before and returns_of(ready.parent / "returns") == []
    assert leftovers(ready.parent, ready.parent / "returns") == []
    TALLY["kill at a step: save-return before placing -> cleared"] += 1


def test_killed_between_the_return_and_its_pdf_the_next_command_takes_it_back(ready):
    before = ready.read_bytes()
    move = transaction._move_new

    def die_at_the_pdf(source: Path, target: Path, *step: str) -> bool:
        if target.suffix == ".pdf":
            os._exit(KILLED)
        return move(source, target, *step)

    patch = lambda m: m.setattr(transaction, "_move_new", die_at_the_pdf)  # noqa: E731
    assert killed_at(patch, save(ready)) == KILLED
    assert returns_of(ready.parent / "returns") == [f"{STEM}.xlsx"]  # half placed
    notes = next_command(ready)
    assert any("took back an interrupted save-return of Aug-20" in note for note in notes), notes
    assert returns_of(ready.parent / "returns") == []
    assert read_register(ready.parent / "returns") == []
    assert ready.read_bytes() == before
    assert leftovers(ready.parent, ready.parent / "returns") == []
    TALLY["kill at a step: save-return half placed -> taken back"] += 1


def test_killed_after_placing_before_recording_the_next_command_records_it(ready):
    assert killed_at(lambda m: m.setattr(journal, "record_in", die), save(ready)) == KILLED
    assert saved_in_audit(ready) == []
    assert [r.status for r in read_register(ready.parent / "returns")] == ["pending"]
    notes = next_command(ready)
    assert any("recorded the Aug-20 return" in note for note in notes), notes
    assert saved_in_audit(ready) == [f"{STEM}.xlsx"]
    (row,) = read_register(ready.parent / "returns")
    assert row.status == "saved"
    assert row.sha256 == sha256_of(ready.parent / "returns" / f"{STEM}.xlsx")
    assert return_file.verify_file(ready.parent / "returns" / f"{STEM}.xlsx").intact
    assert leftovers(ready.parent, ready.parent / "returns") == []
    TALLY["kill at a step: save-return placed, not recorded -> recorded"] += 1


def test_killed_after_recording_the_next_command_finishes_the_register(ready):
    assert killed_at(lambda m: m.setattr(transaction.Placed, "confirm", die), save(ready)) == KILLED
    assert saved_in_audit(ready) == [f"{STEM}.xlsx"]
    notes = next_command(ready)
    assert any("finished the Aug-20 return" in note for note in notes), notes
    assert [r.status for r in read_register(ready.parent / "returns")] == ["saved"]
    assert return_file.verify_file(ready.parent / "returns" / f"{STEM}.xlsx").intact
    TALLY["kill at a step: save-return recorded, register pending -> finished"] += 1


def test_a_program_left_running_by_a_killed_save_return_is_stopped_by_the_next(ready, tmp_path):
    """LibreOffice outlives the save-return that started it (kill -9 kills the one process)
    and keeps writing its profile in the scratch folder: the next command stops it, then
    removes the folder for good."""
    pid_file = tmp_path / "libreoffice.pid"

    def still_printing(copy: Path, pdf: Path) -> None:  # pragma: no cover - runs in the child
        profile = (pdf.parent / "xlscorecard-lo-test" / "profile").resolve()
        program = "import time; time.sleep(120)"
        process = subprocess.Popen([sys.executable, "-c", program, profile.as_uri()])
        safe_write.record_started(pdf.parent, process.pid)  # as libreoffice.convert does
        pid_file.write_text(str(process.pid))
        os._exit(KILLED)

    returns = ready.parent / "returns"
    command = lambda: return_file.save_return_file(ready, returns, pdf_maker=still_printing)  # noqa: E731
    assert killed_at(lambda m: None, command) == KILLED
    left = int(pid_file.read_text())
    assert safe_write.process_alive(left)
    notes = next_command(ready)
    assert not safe_write.process_alive(left)
    assert any("stopped 1 program it had left running in it" in note for note in notes), notes
    assert leftovers(ready.parent, returns) == []
    TALLY["kill at a step: save-return while printing -> LibreOffice stopped"] += 1


def test_killed_before_the_atomic_replace_the_workbook_is_the_old_one(ready):
    before = ready.read_bytes()
    refresh = lambda: workbook_file.refresh_file(ready, backup=False)  # noqa: E731
    assert killed_at(lambda m: m.setattr(safe_write.os, "replace", die), refresh) == KILLED
    assert ready.read_bytes() == before
    assert leftovers(ready.parent) != []  # the temporary file and the lock
    notes = next_command(ready)
    assert any("removed .xlscorecard-tmp-" in note for note in notes), notes
    assert leftovers(ready.parent) == []
    TALLY["kill at a step: refresh before the replace -> old"] += 1


def test_an_export_killed_mid_swap_is_put_back_by_the_next(ready, built, tmp_path):
    # The export in place is of another month, so the killed export has something to change
    # whenever it runs (an export that would write the same files writes nothing).
    workbook_file.export_file(built("2020-07"), tmp_path / "data")
    before = {p.name: p.read_bytes() for p in (tmp_path / "data").iterdir()}
    renames = []
    real = os.rename

    def die_on_the_second(source, target):
        renames.append(target)
        if len(renames) == 2:  # the old folder is aside, the new one not yet in
            os._exit(KILLED)
        real(source, target)

    export = lambda: workbook_file.export_file(ready, tmp_path / "data")  # noqa: E731
    patch = lambda m: m.setattr(datadir.os, "rename", die_on_the_second)  # noqa: E731
    assert killed_at(patch, export) == KILLED
    assert not (tmp_path / "data").exists()
    notes: list[str] = []
    with listening(notes.append):
        safe_write.clean_stale(tmp_path)  # what the next export does first there
    assert any("put back" in note for note in notes), notes
    assert {p.name: p.read_bytes() for p in (tmp_path / "data").iterdir()} == before
    shutil.rmtree(tmp_path / "data")
    TALLY["kill at a step: export mid-swap -> old put back"] += 1
