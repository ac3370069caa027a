"""Every window of a save-return, aimed: the command kills itself (SIGKILL, as kill -9 does) at
one named step (``XLSCORECARD_TEST_KILL_AT``, :mod:`xlscorecard.store.checkpoints`); the next
command then finishes the return or takes it back, and Audit and the returns register agree."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import traceback
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.faults import leftovers
from tests.support.harness import press
from tests.support.returns import fake_pdf, make_ready
from tests.test_excel_buttons import set_return_folder
from xlscorecard.app import return_file, workbook_file
from xlscorecard.app.session import working_on
from xlscorecard.excel import buttons
from xlscorecard.jobs.official_return import plan_return
from xlscorecard.returns import journal, transaction
from xlscorecard.returns.register import read_register, sha256_of
from xlscorecard.returns.signing import load_signer, make_key_pair
from xlscorecard.store.checkpoints import KILL_VARIABLE, SAVE_RETURN_STEPS, reached
from xlscorecard.store.notices import listening
from xlscorecard.store.safe_write import make_temporary_folder
from xlscorecard.workbook import schema as sheets

pytest.importorskip("cryptography")
if not hasattr(os, "fork"):  # pragma: no cover - Windows
    pytest.skip("these tests kill a forked child process", allow_module_level=True)

REASON = "the region's deadline is today"
NOTHING = SAVE_RETURN_STEPS[: SAVE_RETURN_STEPS.index("register pending")]
TAKEN_BACK = SAVE_RETURN_STEPS[
    SAVE_RETURN_STEPS.index("register pending") : SAVE_RETURN_STEPS.index("linked sig")
]
RECORDED = ("linked sig", "placed sig", "made read-only", "original kept")
FINISHED = ("recorded", "register saved")
assert (*NOTHING, *TAKEN_BACK, *RECORDED, *FINISHED) == SAVE_RETURN_STEPS


WHEN = "2020-09-30 17:00:00"
USER = "a.officer"


@pytest.fixture(scope="module")
def key(tmp_path_factory) -> Path:
    private, _ = make_key_pair(tmp_path_factory.mktemp("key") / "council.key")
    return private


@pytest.fixture(scope="module")
def made(built, key, tmp_path_factory) -> transaction.Made:
    """The return's files, made once (in a scratch folder): each kill reuses them, as the
    save would make them again for the same workbook, user and time."""
    workbook = tmp_path_factory.mktemp("made") / "dataset.xlsx"
    shutil.copy(built("2020-08"), workbook)
    _, book = workbook_file.open_book(workbook)
    plan = plan_return(book, USER, WHEN, REASON)
    return transaction.make_return(plan, workbook.parent, fake_pdf, load_signer(key))


def made_again(made: transaction.Made):
    """``make_return`` as a copy of the files made once."""

    def make(plan, folder, pdf_maker, signer=None) -> transaction.Made:
        folder.mkdir(parents=True, exist_ok=True)
        scratch = make_temporary_folder(folder / plan.stem, "return")
        made_files = [p for p in (made.xlsx, made.pdf, made.signature) if p is not None]
        copy = {p: scratch / p.name for p in made_files}
        for source, target in copy.items():
            shutil.copy(source, target)
        reached("return made")
        return dataclasses.replace(
            made, scratch=scratch, xlsx=copy[made.xlsx], pdf=copy[made.pdf],
            signature=copy.get(made.signature),
        )  # fmt: skip

    return make


def killed_at(step: str, command, made: transaction.Made) -> int:
    """Run ``command`` in a child process that kills itself at ``step``; its exit status."""
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        status = 0
        try:
            os.environ[KILL_VARIABLE] = step
            transaction.make_return = made_again(made)
            command()
        except BaseException:
            traceback.print_exc()
            status = 1
        os._exit(status)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status)


def next_command(workbook: Path) -> list[str]:
    notes: list[str] = []
    with listening(notes.append), working_on(workbook, "the next command"):
        pass
    return notes


def saved_in_audit(workbook: Path) -> list[tuple[str, str]]:
    """What Audit records of returns (the file name saved, or the reason forced)."""
    rows = load_workbook(workbook)[sheets.AUDIT].iter_rows(min_row=2, values_only=True)
    return [
        (row[2], str(row[6] if row[2] == "return saved" else row[7]))
        for row in rows
        if row[2] in ("return saved", "return forced")
    ]


def agree(workbook: Path, returns: Path, anchor: Path | None = None) -> list[str]:
    """Audit and the register agree, every row is saved, and only the files of recorded
    returns are in the returns folder, each verifying; the names of the returns."""
    rows = read_register(returns)
    audit = saved_in_audit(workbook)
    recorded = [name for kind, name in audit if kind == "return saved"]
    assert [row.file for row in rows] == recorded
    assert all(row.status == "saved" for row in rows)
    files = sorted(p.name for p in returns.glob("*") if not p.name.startswith("."))
    expected = sorted(
        name
        for row in rows
        for name in (row.file, row.pdf, row.signature, "returns-register.csv")
        if name
    )
    assert files == sorted(set(expected))
    for row in rows:
        assert sha256_of(returns / row.file) == row.sha256
        assert return_file.verify_file(returns / row.file).intact
    assert not journal.journal_path(anchor or workbook).exists()
    assert leftovers(workbook.parent, returns) == []
    return recorded


@pytest.mark.parametrize("step", SAVE_RETURN_STEPS)
def test_a_save_return_killed_at_each_step_is_finished_or_taken_back(
    step, built, tmp_path, key, made
):
    workbook = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), workbook)
    returns = tmp_path / "returns"
    before = workbook.read_bytes()

    def save():
        return_file.save_return_file(
            workbook, returns, REASON, False, fake_pdf, USER, WHEN, sign_with=key
        )

    assert killed_at(step, save, made) == -signal.SIGKILL
    notes = next_command(workbook)
    recorded = agree(workbook, returns)
    if step in NOTHING:
        assert recorded == [] and workbook.read_bytes() == before
        assert any("had placed nothing" in note for note in notes), notes
    elif step in TAKEN_BACK:
        assert recorded == [] and workbook.read_bytes() == before
        assert any("took back an interrupted save-return" in note for note in notes), notes
    else:
        assert recorded == ["Children and Families Aug-20.xlsx"]
        assert any(REASON in note for kind, note in saved_in_audit(workbook)), "reason lost"
        said = "recorded the Aug-20 return" if step in RECORDED else "finished the Aug-20"
        if step != "register saved":
            assert any(said in note for note in notes), notes


# -- the ribbon's Save return button: the same transaction ---------------------------------
BUTTON_WINDOWS = {
    "placed xlsx": "took back an interrupted save-return",
    "original kept": "recorded the Aug-20 return",
    "register saved": "recorded the Aug-20 return",
}
"""A window of each kind: the code after the lock is the command line's (every window of it
is aimed at above)."""


@pytest.fixture(scope="module")
def ready_made(built, tmp_path_factory) -> tuple[Path, transaction.Made]:
    """A workbook ready for its return (its returns folder in Settings), and its return's
    files, made once."""
    workbook = tmp_path_factory.mktemp("ready") / "dataset.xlsx"
    make_ready(built("2020-08"), workbook)
    set_return_folder(workbook, workbook.parent / "returns")
    _, book = workbook_file.open_book(workbook)
    plan = plan_return(book, USER, WHEN)
    return workbook, transaction.make_return(plan, workbook.parent / "made", fake_pdf)


@pytest.mark.parametrize("step", BUTTON_WINDOWS)
def test_a_save_return_button_killed_is_finished_or_taken_back_by_the_next_press(
    step, ready_made, tmp_path, monkeypatch
):
    source, made = ready_made
    workbook = tmp_path / "dataset.xlsx"
    shutil.copy(source, workbook)
    returns = tmp_path / "returns"
    set_return_folder(workbook, returns)
    monkeypatch.setattr(buttons, "now", lambda: WHEN)
    monkeypatch.setattr(buttons, "os_user", lambda: USER)
    monkeypatch.setattr(buttons, "_pdf_maker", lambda book: fake_pdf)
    assert killed_at(step, lambda: press(workbook, "SaveReturn"), made) == -signal.SIGKILL
    again = press(workbook, "SaveReturn")
    assert BUTTON_WINDOWS[step] in again.message, again.message
    recorded = agree(workbook, returns, anchor=returns / workbook.name)
    if "took back" in BUTTON_WINDOWS[step]:
        assert recorded == ["Children and Families Aug-20.xlsx"]  # the press then saved it
        assert again.message.count("Saved the Aug-20 return") == 1
    else:
        assert recorded == ["Children and Families Aug-20.xlsx"]  # and saved no other
        assert "Saved the Aug-20 return" not in again.message


@pytest.mark.parametrize("step", ["placed xlsx", "placed pdf"])
def test_a_desktop_button_killed_is_finished_or_taken_back_by_the_next_command(
    step, ready_made, tmp_path, monkeypatch
):
    """On the desktop the workbook is a file: the button's journal lies beside it, and the next
    command on the file (Excel closed) records the return in it or takes it back."""
    source, made = ready_made
    workbook = tmp_path / "dataset.xlsx"
    shutil.copy(source, workbook)
    returns = tmp_path / "returns"
    set_return_folder(workbook, returns)
    monkeypatch.setattr(buttons, "now", lambda: WHEN)
    monkeypatch.setattr(buttons, "os_user", lambda: USER)
    monkeypatch.setattr(buttons, "_pdf_maker", lambda book: fake_pdf)
    monkeypatch.setattr(buttons, "_path_of", lambda book: workbook)
    monkeypatch.setattr(buttons, "_folder_of", lambda book: workbook.parent)
    assert killed_at(step, lambda: press(workbook, "SaveReturn"), made) == -signal.SIGKILL
    assert journal.journal_path(workbook).exists()
    notes = next_command(workbook)
    recorded = agree(workbook, returns)
    if step == "placed xlsx":
        assert recorded == [] and any("took back" in note for note in notes), notes
    else:
        assert recorded == ["Children and Families Aug-20.xlsx"]
        assert any("recorded the Aug-20 return" in note for note in notes), notes
        (row,) = read_register(returns)
        assert row.workbook == "../dataset.xlsx"
