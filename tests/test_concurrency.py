"""One command per workbook at a time: pairs of commands at once lose nothing; a busy workbook
is waited for or refused naming who has it; a lock of a killed command is taken over."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.faults import TALLY, cli, environment, fake_soffice, leftovers, start
from tests.support.returns import make_ready
from xlscorecard.returns.register import read_register
from xlscorecard.store.lock import lock_path, locked, read_holder
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET

STEM = "Children and Families Aug-20"


def extract(path: Path, ref: str, value: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["ref", "month", "value"], [ref, "2020-08", value]])
    return path


def figure(path: Path, cell: str) -> object:
    return load_workbook(path)[SHEET][cell].value


def audit_actions(path: Path) -> list[str]:
    rows = load_workbook(path)[sheets.AUDIT].iter_rows(min_row=2, values_only=True)
    return [row[2] for row in rows]


def wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


@pytest.mark.parametrize("attempt", [1, 2])
def test_two_imports_at_once_lose_no_figure(workbook, tmp_path, attempt):
    first = extract(tmp_path / "m1.csv", "M1", 1500)
    second = extract(tmp_path / "m2.csv", "M2", 300)
    runs = [start("import", workbook.name, str(e), cwd=tmp_path) for e in (first, second)]
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    assert (figure(workbook, "R7"), figure(workbook, "R8")) == (1500, 300)  # M1 and M2, Aug-20
    assert leftovers(tmp_path) == []
    TALLY["pairs of commands: two imports"] += 1


def test_a_refresh_during_a_save_return_waits_and_undoes_nothing(workbook, tmp_path):
    env = fake_soffice(tmp_path / "bin")
    saving = start("save-return", workbook.name, "--out", "returns", "--force", "Deadline.",
                   cwd=tmp_path, env=env)  # fmt: skip
    wait_for(lock_path(workbook))
    refreshing = start("refresh", workbook.name, cwd=tmp_path, env=env)
    assert saving.wait(timeout=300) == 0, saving.communicate()
    assert refreshing.wait(timeout=300) == 0, refreshing.communicate()
    actions = audit_actions(workbook)
    assert "return saved" in actions and "refresh" in actions
    settings = dict(load_workbook(workbook)[sheets.SETTINGS].iter_rows(min_row=2, values_only=True))
    assert settings["report_month"] == "2020-09"
    assert [row.status for row in read_register(tmp_path / "returns")] == ["saved"]
    assert leftovers(tmp_path, tmp_path / "returns") == []
    TALLY["pairs of commands: refresh during save-return"] += 1


def test_two_save_returns_at_once_are_both_placed_and_both_recorded(workbook, tmp_path):
    env = fake_soffice(tmp_path / "bin")
    make_ready(workbook, workbook)
    runs = [start("save-return", workbook.name, "--out", "returns", cwd=tmp_path, env=env)
            for _ in range(2)]  # fmt: skip
    assert [run.wait(timeout=300) for run in runs] == [0, 0], [r.communicate() for r in runs]
    saved = [row[6] for row in load_workbook(workbook)[sheets.AUDIT].iter_rows(
        min_row=2, values_only=True) if row[2] == "return saved"]  # fmt: skip
    assert sorted(saved) == [f"{STEM} v2.xlsx", f"{STEM}.xlsx"]
    register = read_register(tmp_path / "returns")
    assert sorted((row.file, row.status) for row in register) == [
        (f"{STEM} v2.xlsx", "saved"), (f"{STEM}.xlsx", "saved"),
    ]  # fmt: skip
    for name in saved:
        verified = cli("verify", f"returns/{name}", cwd=tmp_path)
        assert verified.returncode == 0, verified.stderr
    TALLY["pairs of commands: two save-returns"] += 1


def test_a_busy_workbook_is_refused_naming_the_holder_and_changes_nothing(workbook, tmp_path):
    before = workbook.read_bytes()
    with locked(workbook, "refresh", user="a.officer"):
        result = cli("validate", workbook.name, cwd=tmp_path,
                     env=environment(XLSCORECARD_LOCK_WAIT="0.3"))  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Error: dataset.xlsx is in use by another xlscorecard command: refresh by a.officer on "
    )
    assert f"(process {os.getpid()})" in result.stderr
    assert "Wait for it to finish and try again" in result.stderr
    assert "delete the lock file .xlscorecard-lock-dataset.xlsx and try again" in result.stderr
    assert workbook.read_bytes() == before
    assert not lock_path(workbook).exists()


def test_a_second_command_waits_for_the_first(workbook, tmp_path):
    with locked(workbook, "import"):
        waiting = start("validate", workbook.name, cwd=tmp_path)
        time.sleep(1.5)
        assert waiting.poll() is None  # still waiting
    assert waiting.wait(timeout=300) in (0, 1)
    assert "in use" not in waiting.communicate()[1]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_lock_of_a_killed_command_is_taken_over_and_said_so(workbook, tmp_path):
    with locked(workbook, "import"):
        text = lock_path(workbook).read_text()
        holder = read_holder(lock_path(workbook))
    dead = _dead_pid()
    lock_path(workbook).write_text(text.replace(f'"pid": {holder.pid}', f'"pid": {dead}'))
    result = cli("validate", workbook.name, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "Note: took over the lock of import by " in result.stderr
    assert f"(process {dead})" in result.stderr and "no longer running" in result.stderr
    assert not lock_path(workbook).exists()


def test_a_lock_of_another_computer_is_never_taken_over(workbook, tmp_path):
    with locked(workbook, "import"):
        text = lock_path(workbook).read_text()
        holder = read_holder(lock_path(workbook))
    assert holder is not None
    lock_path(workbook).write_text(text.replace(f'"host": "{holder.host}"', '"host": "elsewhere"'))
    result = cli("validate", workbook.name, cwd=tmp_path,
                 env=environment(XLSCORECARD_LOCK_WAIT="0.3"))  # fmt: skip
    assert result.returncode == 1 and "is in use by another xlscorecard command" in result.stderr
    assert lock_path(workbook).exists()


def test_excels_own_lock_stays_refused(workbook, tmp_path):
    (tmp_path / f"~${workbook.name}").write_text("locked")
    result = cli("refresh", workbook.name, cwd=tmp_path)
    assert result.returncode == 2 and "is open in Excel" in result.stderr
    assert not lock_path(workbook).exists()


@pytest.mark.parametrize("given", ["abc", "nan", ""])
def test_a_lock_wait_that_is_not_a_number_of_seconds_is_said_and_the_default_used(given):
    from xlscorecard.store import lock
    from xlscorecard.store.notices import listening

    notes: list[str] = []
    with pytest.MonkeyPatch.context() as patch, listening(notes.append):
        patch.setenv(lock.WAIT_VARIABLE, given)
        assert lock.wait_seconds() == lock.DEFAULT_WAIT
    assert notes == [
        f"XLSCORECARD_LOCK_WAIT is {given!r}, not a number of seconds: waiting for a busy "
        "workbook the default 20 seconds (set it to a number, or unset it)"
    ]
