"""What lies beside a workbook is untrusted input: a command acts only on what this user's
xlscorecard made for this workbook (never through a link), signals only a program it recorded
starting, and turns whatever else it finds into a note or an ``Error:`` naming the file."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.support.paths import SAMPLE
from tests.support.returns import fake_pdf
from xlscorecard.app import return_file
from xlscorecard.app.session import working_on
from xlscorecard.app.workbook_file import build_file
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.errors import DataFileError, ScorecardError, WorkbookError
from xlscorecard.model import Month
from xlscorecard.returns import transaction
from xlscorecard.returns.journal import BUILDING, PLACING, Journal, journal_path
from xlscorecard.returns.register import read_register, register_path
from xlscorecard.store import safe_write
from xlscorecard.store.backups import backup_folder
from xlscorecard.store.lock import lock_path, locked
from xlscorecard.store.notices import listening

STEM = "Children and Families Aug-20"


def next_command(workbook: Path) -> list[str]:
    notes: list[str] = []
    with listening(notes.append), working_on(workbook, "the next command"):
        pass
    return notes


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def sleeper(*argv: str) -> subprocess.Popen:
    """A program of this user's whose command line names ``argv``."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", *argv])


@pytest.fixture(scope="module")
def saved_once(built, tmp_path_factory) -> Path:
    """A folder holding a workbook whose Aug-20 return is saved (forced) and recorded, its
    returns folder, and the workbook as it was before (``before.xlsx``)."""
    folder = tmp_path_factory.mktemp("saved")
    workbook = folder / "dataset.xlsx"
    shutil.copy(built("2020-08"), workbook)
    shutil.copy(workbook, folder / "before.xlsx")
    return_file.save_return_file(workbook, folder / "returns", "a test", False, fake_pdf)
    return folder


@pytest.fixture
def saved(saved_once, tmp_path) -> tuple[Path, Path]:
    """A copy of :func:`saved_once`: the workbook and its returns folder."""
    shutil.copytree(saved_once, tmp_path / "saved", symlinks=True)
    return tmp_path / "saved" / "dataset.xlsx", tmp_path / "saved" / "returns"


# -- temporary files and folders ------------------------------------------------------------
@pytest.mark.parametrize("role", ["file", "return"])
def test_a_link_named_like_our_leftover_is_left_alone_and_nothing_is_stopped(workbook, role):
    target = workbook.parent / "someone's folder"
    target.mkdir(mode=0o755)
    (target / "their file.txt").write_text("theirs")
    link = workbook.with_name(
        f"{safe_write.TEMPORARY}{safe_write.HOST}-{dead_pid()}-abcd1234-{role}-x"
    )
    link.symlink_to(target)
    theirs = sleeper(str(target.resolve()), target.resolve().as_uri())
    try:
        notes = next_command(workbook)
        assert theirs.poll() is None  # not signalled
    finally:
        theirs.kill()
        theirs.wait()
    assert link.is_symlink() and (target / "their file.txt").read_text() == "theirs"
    assert target.stat().st_mode & 0o777 == 0o755  # permissions untouched
    assert any(f"left {link.name} alone" in note and "a link" in note for note in notes), notes


def test_a_program_not_recorded_in_our_leftover_folder_is_not_stopped(workbook):
    folder = workbook.with_name(
        f"{safe_write.TEMPORARY}{safe_write.HOST}-{dead_pid()}-abcd1234-pdf-x.pdf"
    )
    folder.mkdir()
    theirs = sleeper(str(folder.resolve()))  # names the folder, but nothing says we started it
    try:
        notes = next_command(workbook)
        assert theirs.poll() is None
    finally:
        theirs.kill()
        theirs.wait()
    assert not folder.exists()
    assert any(f"removed {folder.name}" in note and "stopped" not in note for note in notes)


def test_a_program_recorded_in_our_leftover_folder_is_stopped(workbook):
    """As a killed save-return leaves it: LibreOffice recorded in the PDF's scratch folder,
    inside the return's."""
    dead = dead_pid()
    name = f"{safe_write.TEMPORARY}{safe_write.HOST}-{dead}-abcd1234-return-{STEM}"
    folder = workbook.with_name(name)
    inner = folder / f"{safe_write.TEMPORARY}{safe_write.HOST}-{dead}-0badf00d-pdf-{STEM}.pdf"
    inner.mkdir(parents=True)
    ours = sleeper(str(inner.resolve()))
    safe_write.record_started(inner, ours.pid)
    (record,) = inner.glob(f"{safe_write.STARTED}*")
    good = record.read_text()
    record.write_text(json.dumps(json.loads(good) | {"token": "abcd1234"}))  # another folder's
    assert safe_write.stop_started(folder, wait=0) == 0 and ours.poll() is None
    record.write_text(good)  # its own is obeyed
    notes = next_command(workbook)
    assert ours.wait(timeout=10) == -9
    assert any("stopped 1 program" in note for note in notes), notes
    assert not folder.exists()


# -- journals -------------------------------------------------------------------------------
def forged_journal(beside: Path, returns: Path, **changes) -> Path:
    """A journal of a save 'in progress', written from what the register shows."""
    (row,) = read_register(returns)
    journal = Journal(
        workbook=str(beside), folder=str(returns), month="2020-08", started="2020-09-30",
        pid=dead_pid(), state=PLACING, files={"xlsx": row.file, "pdf": row.pdf},
        sha256={"xlsx": row.sha256, "pdf": row.pdf_sha256}, register_row=asdict(row),
    )  # fmt: skip
    for key, value in changes.items():
        setattr(journal, key, value)
    text = json.dumps(journal.__dict__, default=str)
    journal_path(beside).write_text(text, encoding="utf-8")
    return journal_path(beside)


def returns_state(returns: Path) -> dict[str, bytes]:
    return {str(p.relative_to(returns)): p.read_bytes() for p in returns.rglob("*") if p.is_file()}


def test_a_forged_journal_beside_another_workbook_takes_nothing_back(saved):
    workbook, returns = saved
    other = workbook.with_name("other.xlsx")
    shutil.copy(workbook, other)
    before = returns_state(returns)
    journal = forged_journal(other, returns)
    notes = next_command(other)
    assert returns_state(returns) == before
    assert any(f"left {journal} alone" in note for note in notes), notes
    assert return_file.verify_file(returns / f"{STEM}.xlsx").intact


def test_a_journal_naming_another_workbook_is_left_alone(saved):
    workbook, returns = saved
    other = workbook.with_name("other.xlsx")
    shutil.copy(workbook, other)
    journal = forged_journal(other, returns, workbook=str(workbook), state=BUILDING)
    notes = next_command(other)
    assert journal.exists()
    assert any("not of other.xlsx" in note for note in notes), notes


def test_a_journal_cannot_take_back_a_return_the_register_says_is_saved(saved):
    """The journal names this workbook and its return's bytes, as the save wrote it; Audit has
    lost the record (an old copy put back): the saved return stays."""
    workbook, returns = saved
    shutil.copy(workbook.with_name("before.xlsx"), workbook)
    before = returns_state(returns)
    forged_journal(workbook, returns, files={"xlsx": f"{STEM}.xlsx", "pdf": "gone.pdf"})
    notes = next_command(workbook)
    assert returns_state(returns) == before
    assert any("left" in note and "alone" in note for note in notes), notes


def test_a_journal_that_is_a_link_is_left_alone(saved, tmp_path):
    workbook, returns = saved
    elsewhere = tmp_path / "elsewhere.json"
    forged_journal(workbook, returns)
    journal_path(workbook).rename(elsewhere)
    journal_path(workbook).symlink_to(elsewhere)
    before = returns_state(returns)
    notes = next_command(workbook)
    assert returns_state(returns) == before and elsewhere.exists()
    assert any("it is a link" in note for note in notes), notes


# -- locks ----------------------------------------------------------------------------------
@pytest.mark.parametrize("pid", ['"abc"', "null", str(2**70)])
def test_a_lock_whose_process_is_no_number_is_an_error_naming_it(workbook, pid):
    with locked(workbook, "import"):
        text = lock_path(workbook).read_text()
    lock_path(workbook).write_text(json.dumps(json.loads(text) | {"pid": json.loads(pid)}))
    with pytest.raises(WorkbookError, match="is not a lock xlscorecard made") as raised:
        next_command(workbook)
    assert str(lock_path(workbook)) in str(raised.value)
    assert "process" in str(raised.value) and "remove it and try again" in str(raised.value)


def test_a_lock_that_is_a_folder_is_an_error_naming_it(workbook):
    lock_path(workbook).mkdir()
    with pytest.raises(WorkbookError, match="is not a lock xlscorecard made \\(it is a folder\\)"):
        next_command(workbook)
    assert lock_path(workbook).is_dir()  # left alone: not ours


def test_a_lock_of_another_computer_is_waited_for_however_old(workbook, monkeypatch):
    with locked(workbook, "import"):
        data = json.loads(lock_path(workbook).read_text())
    lock_path(workbook).write_text(json.dumps(data | {"host": "elsewhere"}))
    old = time.time() - 3 * 24 * 3600
    os.utime(lock_path(workbook), (old, old))
    monkeypatch.setenv("XLSCORECARD_LOCK_WAIT", "0")
    with pytest.raises(ScorecardError, match="is in use by another xlscorecard command"):
        next_command(workbook)
    assert lock_path(workbook).exists()


# -- registers, originals, signatures -------------------------------------------------------
@pytest.mark.parametrize("column", ["pdf", "signature", "file"])
def test_a_register_naming_a_path_is_an_error_naming_it(saved, column):
    _, returns = saved
    text = register_path(returns).read_text()
    header, row = text.splitlines()[:2]
    cells = row.split(",")
    cells[header.split(",").index(column)] = "/"
    register_path(returns).write_text(f"{header}\n{','.join(cells)}\n")
    with pytest.raises(ScorecardError) as raised:
        return_file.verify_file(returns / f"{STEM}.xlsx")
    assert f"{register_path(returns)}, line 2, column '{column}'" in str(raised.value)
    assert "'/' is not the name of a file in the returns folder" in str(raised.value)


@pytest.mark.parametrize("named", ["notes.txt", "a folder", "/dev/zero"])
def test_a_register_naming_a_workbook_that_is_not_one_is_an_error_naming_it(saved, named):
    workbook, returns = saved
    (workbook.parent / "notes.txt").write_text("not a workbook")
    (workbook.parent / "a folder").mkdir()
    text = register_path(returns).read_text().replace("../dataset.xlsx", f"../{named}")
    if named.startswith("/"):
        text = text.replace(f"../{named}", named)
    register_path(returns).write_text(text)
    with pytest.raises(WorkbookError, match="is not an Excel workbook") as raised:
        return_file.verify_file(returns / f"{STEM}.xlsx")
    assert Path(named).name in str(raised.value)


def test_a_corrupted_kept_original_is_said_not_a_traceback(saved):
    _, returns = saved
    (original,) = (returns / ".xlscorecard-originals").iterdir()
    original.chmod(0o600)
    original.write_bytes(b"PK\x03\x04 not a zip any more")
    (returns / f"{STEM}.xlsx").chmod(0o600)
    with open(returns / f"{STEM}.xlsx", "ab") as file:
        file.write(b"\0")  # changed, so verify compares it with the original
    result = return_file.verify_file(returns / f"{STEM}.xlsx")
    assert not result.intact
    assert any("which cells changed" in u and "cannot be read" in u for u in result.unchecked)


def test_a_signature_that_is_not_text_fails_verify(saved, tmp_path):
    pytest.importorskip("cryptography")
    from xlscorecard.returns.signing import make_key_pair

    _, returns = saved
    _, public = make_key_pair(tmp_path / "council.key")
    (returns / f"{STEM}.sig").write_bytes(b"\xff\xfe\x00 not utf-8")
    result = return_file.verify_file(returns / f"{STEM}.xlsx", key=public)
    assert not result.intact
    assert "not UTF-8 text" in result.message


# -- backups ----------------------------------------------------------------------------------
def test_a_backups_place_that_is_a_file_stops_the_command_before_any_change(workbook):
    backup_folder(workbook).write_text("not a folder")
    before = workbook.read_bytes()
    with pytest.raises(WorkbookError) as raised:
        safe_write.atomic_write(workbook, lambda target: target.write_bytes(b"new"), backup=True)
    assert f"{backup_folder(workbook)} is not a folder" in str(raised.value)
    assert "set backups to 0" in str(raised.value)
    assert workbook.read_bytes() == before


def test_a_full_backups_place_stops_the_command_before_any_change(workbook, monkeypatch):
    before = workbook.read_bytes()

    def full(source, target, **_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safe_write.shutil, "copy2", full)
    with pytest.raises(WorkbookError) as raised:
        safe_write.atomic_write(workbook, lambda target: target.write_bytes(b"new"), backup=True)
    assert f"cannot keep the earlier version of {workbook.name} in its backups folder" in str(
        raised.value
    )
    assert "the disk is full" in str(raised.value)
    assert workbook.read_bytes() == before
    assert [p.name for p in backup_folder(workbook).iterdir()] == []


# -- key pairs ---------------------------------------------------------------------------------
def test_keygen_on_a_full_disk_leaves_no_half_key_pair(tmp_path, monkeypatch):
    pytest.importorskip("cryptography")
    from xlscorecard.returns import signing

    real = os.fdopen
    opened = []

    def full_on_the_second(handle, *args, **kwargs):
        opened.append(handle)
        file = real(handle, *args, **kwargs)
        if len(opened) == 2:
            file.close()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return file

    monkeypatch.setattr(signing.os, "fdopen", full_on_the_second)
    with pytest.raises(ScorecardError, match="no key was made"):
        signing.make_key_pair(tmp_path / "council.key")
    assert list(tmp_path.iterdir()) == []


# -- settings and data files -------------------------------------------------------------------
@pytest.fixture
def data_dir(tmp_path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "data")
    return tmp_path / "data"


def setting(data_dir: Path, line: str) -> None:
    """Set one top-level key of council.toml (replacing it if it is there)."""
    path = data_dir / "council.toml"
    key = line.split("=")[0].strip()
    lines = [row for row in path.read_text().splitlines() if row.split("=")[0].strip() != key]
    path.write_text("\n".join([lines[0], line, *lines[1:]]) + "\n")


def test_visible_months_true_is_refused_not_taken_as_one(data_dir):
    setting(data_dir, "visible_months = true")
    with pytest.raises(DataFileError) as raised:
        load_data_dir(data_dir)
    said = "council.toml, column 'visible_months': expected a whole number 1..13, found True"
    assert said in str(raised.value)


def test_a_settings_file_nested_thousands_deep_is_an_error_naming_it(data_dir):
    (data_dir / "council.toml").write_text("a = " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(DataFileError, match="nested too deeply") as raised:
        load_data_dir(data_dir)
    assert "council.toml" in str(raised.value)


def test_backups_minus_one_in_council_toml_is_blamed_on_council_toml(data_dir, tmp_path):
    setting(data_dir, "backups = -1")
    with pytest.raises(DataFileError) as raised:
        build_file(data_dir, Month(2020, 8), tmp_path / "dataset.xlsx")
    assert str(raised.value).startswith(f"{data_dir / 'council.toml'}, column 'backups': ")
    assert not (tmp_path / "dataset.xlsx").exists()


def test_a_values_file_with_only_its_header_is_named(data_dir, tmp_path):
    values = data_dir / "values.csv"
    values.write_text(values.read_text().splitlines()[0] + "\n")
    with pytest.raises(ScorecardError) as raised:
        build_file(data_dir, Month(2020, 8), tmp_path / "dataset.xlsx")
    assert str(raised.value).startswith(f"{values} has no figures at all (only its header row)")


# -- where there are no hard links (Pyodide: xlwings Lite) ---------------------------------------
def test_placing_a_file_needs_no_hard_links(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "link")
    source, target = tmp_path / "made.xlsx", tmp_path / "placed.xlsx"
    source.write_bytes(b"return")
    assert transaction._move_new(source, target)
    assert target.read_bytes() == b"return" and not source.exists()
    source.write_bytes(b"another")
    assert not transaction._move_new(source, target)  # never over a file
    assert target.read_bytes() == b"return" and source.exists()
