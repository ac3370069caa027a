"""Who did it: the person who ran the command (their login, or --by NAME) or pressed the button
(Excel's user name; the login running Python where Excel cannot say), on typed comments,
answers and Audit rows."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.support.harness import press
from tests.support.person import type_cells
from xlscorecard.app import workbook_file
from xlscorecard.cli import cli
from xlscorecard.excel import blocks
from xlscorecard.store.identity import os_user
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET, Field


@pytest.fixture
def workbook(built, tmp_path) -> Path:
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    cell = workbook_file.open_book(path)[1].layout.cell("LAC2", Field.COMMENTARY)
    type_cells(path, {(SHEET, cell): "Fewer new episodes in August."})
    return path


def kept_comment(path: Path, ref: str = "LAC2", month: str = "2020-08") -> tuple:
    rows = load_workbook(path)[sheets.COMMENTARY].iter_rows(min_row=2, values_only=True)
    return next(row for row in rows if row[:2] == (ref, month))


def test_a_comment_typed_in_excel_is_kept_with_who_ran_the_command(workbook):
    """Not the indicator's reporter (Mary Hardy for LAC2), who did not type it."""
    result = CliRunner().invoke(cli, ["validate", str(workbook), "--by", "Sam Jones"])
    assert result.exit_code == 0, result.output
    assert kept_comment(workbook) == ("LAC2", "2020-08", "Fewer new episodes in August.",
                                      "Sam Jones")  # fmt: skip


def test_without_by_it_is_the_login_of_whoever_runs_it(workbook):
    CliRunner().invoke(cli, ["validate", str(workbook)])
    assert kept_comment(workbook)[3] == os_user()


def test_the_comment_keeps_its_author_on_later_commands(workbook):
    CliRunner().invoke(cli, ["validate", str(workbook), "--by", "Sam Jones"])
    CliRunner().invoke(cli, ["refresh", str(workbook), "--by", "Alex Smith"])
    assert kept_comment(workbook)[3] == "Sam Jones"
    audit = list(load_workbook(workbook)[sheets.AUDIT].iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in audit} == {"Alex Smith"}


def test_every_command_that_records_takes_by():
    for name in ("refresh", "import", "comment", "validate", "answer", "save-return", "export"):
        assert "--by" in [opt for p in cli.commands[name].params for opt in p.opts], name


def test_a_comment_typed_then_validate_pressed_is_kept_with_who_pressed_it(workbook):
    """The remote engine cannot say who pressed the button: the login running Python."""
    press(workbook, "Validate")
    assert kept_comment(workbook)[3] == os_user()


def app(engine: str, api: object) -> SimpleNamespace:
    return SimpleNamespace(app=SimpleNamespace(engine=SimpleNamespace(name=engine), api=api))


def test_excels_user_name_is_read_through_com_on_windows():
    assert blocks.user_name(app("excel", SimpleNamespace(UserName="Sam Jones "))) == "Sam Jones"


def test_excels_user_name_is_read_through_applescript_on_a_mac():
    api = SimpleNamespace(user_name=SimpleNamespace(get=lambda: "Sam Jones"))
    assert blocks.user_name(app("excel", api)) == "Sam Jones"


def test_no_user_name_from_excel_falls_back_to_the_login():
    assert blocks.user_name(app("excel", SimpleNamespace(UserName=""))) is None
    assert blocks.user_name(app("remote", None)) is None
