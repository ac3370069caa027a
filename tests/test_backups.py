"""Nothing a user typed is lost to a command: build never replaces a workbook (--force keeps
it first), every command that changes a workbook keeps the version it replaced (the last N, in
a folder beside it, timestamped, never overwritten), and a command that changes nothing writes
nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.paths import SAMPLE
from tests.support.person import add_setting, type_cells
from xlscorecard.app import workbook_file
from xlscorecard.cli import cli
from xlscorecard.errors import DataFileError
from xlscorecard.workbook.layout import SHEET, Field


def versions(path: Path) -> list[Path]:
    from xlscorecard.store.backups import versions

    return versions(path)


def run(*args: object):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def type_a_comment(path: Path, text: str) -> None:
    cell = workbook_file.open_book(path)[1].layout.cell("LAC2", Field.COMMENTARY)
    type_cells(path, {(SHEET, cell): text})


# -- build ---------------------------------------------------------------------------------------
def test_build_refuses_to_replace_a_workbook_and_changes_nothing(workbook):
    type_a_comment(workbook, "Typed in Excel: a month's work.")
    before = workbook.read_bytes()
    result = run("build", SAMPLE, "--month", "2020-08", "-o", workbook)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {workbook} already exists: build never replaces")
    assert "--force" in result.output and "-o" in result.output
    assert workbook.read_bytes() == before
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["dataset.xlsx"]


def test_build_with_force_replaces_it_and_keeps_it_first(workbook):
    type_a_comment(workbook, "Typed in Excel: a month's work.")
    before = workbook.read_bytes()
    result = run("build", SAMPLE, "--month", "2020-08", "-o", workbook, "--force")
    assert result.exit_code == 0, result.output
    assert workbook.read_bytes() != before
    assert [path.read_bytes() for path in versions(workbook)] == [before]


# -- versions --------------------------------------------------------------------------------------
def test_each_change_keeps_the_version_it_replaced_in_a_folder_beside_it(workbook):
    first = workbook.read_bytes()
    workbook_file.validate_file(workbook)
    second = workbook.read_bytes()
    workbook_file.refresh_file(workbook)
    kept = versions(workbook)
    assert [path.parent.name for path in kept] == ["dataset backups"] * 2
    assert [path.read_bytes() for path in kept] == [first, second]
    stamp = dt.datetime.now().strftime("%Y-%m-%d")
    assert all(path.name.startswith(f"dataset {stamp} ") for path in kept)


def test_a_version_is_never_overwritten_even_within_one_second(workbook):
    from xlscorecard.store import backups

    when = dt.datetime(2020, 9, 30, 17, 0, 0)
    first = backups.keep_version(workbook, when)
    workbook.write_bytes(b"changed")
    second = backups.keep_version(workbook, when)
    assert (first.name, second.name) == (
        "dataset 2020-09-30 170000.xlsx",
        "dataset 2020-09-30 170000 (2).xlsx",
    )
    assert first.read_bytes() != second.read_bytes()
    assert versions(workbook) == [first, second]


def test_only_the_last_ten_versions_are_kept_by_default(tmp_path):
    """What every command's save does (here on a small file, twelve times)."""
    from xlscorecard.store.safe_write import atomic_write

    path = tmp_path / "dataset.xlsx"
    for number in range(13):
        atomic_write(path, lambda target, n=number: target.write_text(f"version {n}"), backup=True)
    assert [p.read_text() for p in versions(path)] == [f"version {n}" for n in range(2, 12)]


def test_the_number_of_versions_kept_is_a_setting(workbook):
    add_setting(workbook, "backups", 3)
    for number in range(5):
        workbook_file.comment_file(workbook, "LAC2", f"Comment number {number}.")
    assert len(versions(workbook)) == 3


def test_a_bad_backups_setting_is_an_error_naming_it(workbook):
    add_setting(workbook, "backups", "lots")
    before = workbook.read_bytes()
    with pytest.raises(DataFileError, match="column 'backups': expected how many earlier"):
        workbook_file.comment_file(workbook, "LAC2", "A comment.")
    assert workbook.read_bytes() == before


def test_files_that_are_not_versions_are_never_removed(workbook):
    from xlscorecard.store import backups

    folder = backups.backup_folder(workbook)
    folder.mkdir()
    mine = folder / "dataset - my own copy.xlsx"
    mine.write_bytes(b"keep me")
    add_setting(workbook, "backups", 1)
    for number in range(3):
        workbook_file.comment_file(workbook, "LAC2", f"Comment number {number}.")
    assert mine.read_bytes() == b"keep me"


# -- nothing changed, nothing written ----------------------------------------------------------
def test_validate_that_changes_nothing_writes_nothing(workbook):
    workbook_file.validate_file(workbook)
    before = workbook.read_bytes()
    kept = versions(workbook)
    result = run("validate", workbook)
    assert result.exit_code == 0, result.output
    assert workbook.read_bytes() == before
    assert versions(workbook) == kept


def test_an_import_of_the_figures_already_there_writes_nothing(workbook, tmp_path):
    workbook_file.validate_file(workbook)
    before = workbook.read_bytes()
    extract = tmp_path / "x.csv"
    extract.write_text("ref,month,value\nM1,2020-08,1343\n", encoding="utf-8")
    workbook_file.import_file(workbook, extract)
    assert workbook.read_bytes() == before


def test_no_backup_keeps_no_version(workbook):
    result = run("validate", workbook, "--no-backup")
    assert result.exit_code == 0, result.output
    assert versions(workbook) == []
    assert not (workbook.parent / "dataset backups").exists()
