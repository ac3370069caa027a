"""A workbook opened and saved by LibreOffice Calc (the real program) works with every command:
xlscorecard knows its own data-validation rules however Calc spells them again, and writes
them back as its own. A refusal listing many things lists each kind once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from tests.support.paths import SAMPLE
from tests.support.returns import fake_pdf
from xlscorecard.app import workbook_file
from xlscorecard.app.return_file import save_return_file, verify_file
from xlscorecard.errors import WorkbookError
from xlscorecard.returns.libreoffice import convert
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET

pytestmark = pytest.mark.filterwarnings("ignore:Unable to read chart")  # Calc's: drawn again


@pytest.fixture(scope="module")
def calc_saved(built, tmp_path_factory) -> Path:
    """The Aug-20 sample workbook as LibreOffice Calc saves it again (its prompts re-spelt
    ``type="none"`` with ``formula1`` 0)."""
    return convert(built("2020-08"), "xlsx", tmp_path_factory.mktemp("calc-saved"))


@pytest.fixture
def copy(calc_saved, tmp_path) -> Path:
    path = tmp_path / "dataset.xlsx"
    shutil.copy(calc_saved, path)
    return path


def _prompt_rules(path: Path) -> list[DataValidation]:
    rules = load_workbook(path)[SHEET].data_validations.dataValidation
    return [rule for rule in rules if str(rule.sqref).startswith("AF")]


def test_calc_re_spells_the_commentary_prompts(calc_saved):
    """What the file says is ``type="none"`` with ``<formula1>0</formula1>``, which openpyxl
    reads as no type and a formula of 0: before, each was "a rule someone added"."""
    assert {(rule.type, rule.formula1) for rule in _prompt_rules(calc_saved)} == {(None, "0")}


def test_validate_works_and_writes_the_rules_back_as_its_own(copy):
    workbook_file.validate_file(copy, backup=False)
    rules = _prompt_rules(copy)
    assert len(rules) == 55
    assert {(rule.type, rule.formula1) for rule in rules} == {(None, None)}


def test_comment_answer_and_import_work(copy):
    workbook_file.comment_file(copy, "LAC2", "Fewer new episodes in August.", backup=False)
    workbook_file.answer_file(copy, "P302", "CP2", None, "The summer break.", backup=False)
    outcome = workbook_file.import_file(copy, SAMPLE / "extracts" / "2020-08.csv", backup=False)
    assert not outcome.errors


def test_refresh_works(copy):
    outcome = workbook_file.refresh_file(copy, backup=False)
    assert outcome.month.iso == "2020-09"


def test_save_return_works_and_verifies(copy, tmp_path):
    saved = save_return_file(copy, tmp_path / "returns", force="test", pdf_maker=fake_pdf)
    assert verify_file(saved.placed.xlsx).intact


def test_many_rules_someone_added_are_one_line_with_a_count_and_the_first_cells(copy):
    book = load_workbook(copy)
    for row in range(2, 8):
        rule = DataValidation(type="list", formula1='"Yes,No"')
        rule.add(f"J{row}")
        book[sheets.CHECKS].add_data_validation(rule)
    book.save(copy)
    with pytest.raises(WorkbookError) as refused:
        workbook_file.validate_file(copy, backup=False)
    message = str(refused.value)
    assert "6 times a data-validation rule someone added on sheet Checks (" in message
    assert "): J2, J3, J4 and 3 more. Nothing was changed." in message
    assert "Dataset" not in message  # xlscorecard's own rules are never listed
