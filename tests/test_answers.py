"""Answers to queries are kept by what they answer (check, ref and month), not by their cell:
on the Answers sheet, across refreshes, into the return and through export and build. An
answer holds while the query finds the figures it answered; when they change the query is open
again, and the answer is kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.support.harness import press
from tests.support.paths import SAMPLE
from tests.support.person import read_checks, respond_to_checks, type_cells
from tests.support.returns import fake_pdf
from xlscorecard.app import return_file, workbook_file
from xlscorecard.cli import cli
from xlscorecard.model import Month
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET

REASON = "LAC1 includes two children placed late on the 31st: confirmed with the LAC team."
R203 = "R203|LAC1|2020-07"


@pytest.fixture
def july(built, tmp_path) -> Path:
    """The Jul-20 workbook with LAC1 Jul-20 typed as 530, which does not follow from Jun-20
    plus new episodes minus ceased ones (R203), and that query answered on Checks."""
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-07"), path)
    _, book = workbook_file.open_book(path)
    type_cells(path, {(SHEET, book.layout.month_cell("LAC1", 0)): 530})
    workbook_file.validate_file(path)
    answer_on_checks(path, R203, REASON)
    return path


def answer_on_checks(path: Path, key: str, reason: str | None) -> None:
    """Type a reason beside the query about this (check, ref and month), as a person does
    on the Checks sheet."""
    row = checks_row(path, key)
    column = sheets.CHECK_COLUMNS.index("reason") + 1
    book = load_workbook(path)
    book[sheets.CHECKS].cell(row.number, column).value = reason
    book.save(path)


def checks_row(path: Path, key: str):
    """The Checks row of the finding of this check on this ref and month (``R203|LAC1|2020-07``),
    found by its columns as a person reads them."""
    code, ref, iso = key.split("|")
    label = Month.parse(iso).label
    rows = read_checks(path)
    return next((r for r in rows if (r.code, r.ref, r.month) == (code, ref, label)), None)


def test_an_answered_query_stays_answered_after_a_refresh_moves_its_cell(july):
    workbook_file.validate_file(july)
    before = checks_row(july, R203)
    outcome = workbook_file.refresh_file(july)
    after = checks_row(july, R203)
    assert (before.cell, after.cell) == ("Dataset!R47", "Dataset!Q47")  # a column to the left
    assert after.reason == REASON
    finding = next(f for f in outcome.findings if f.key == R203)
    assert finding not in outcome.open_queries


def test_the_answer_is_kept_on_the_answers_sheet_with_who_and_when(july):
    workbook_file.validate_file(july, user="Sam Jones", when="2020-08-05 11:00:00")
    rows = list(load_workbook(july)[sheets.ANSWERS].iter_rows(min_row=2, values_only=True))
    assert rows == [
        ("R203", "LAC1", "2020-07", rows[0][3], REASON, "Sam Jones", "2020-08-05 11:00:00", None)
    ]
    assert rows[0][3].startswith("LAC1 530, but LAC1 Jun-20 488")


def test_validate_says_which_queries_are_answered(july):
    result = CliRunner().invoke(cli, ["validate", str(july), "--by", "Sam Jones"])
    line = next(line for line in result.output.splitlines() if " R203 " in line)
    assert line.endswith(f"Answered by Sam Jones: {REASON}")
    assert "(1 query answered)" in result.output.splitlines()[-1]


def test_a_changed_figure_opens_the_query_again_and_keeps_the_answer(july):
    workbook_file.validate_file(july)
    _, book = workbook_file.open_book(july)
    type_cells(july, {(SHEET, book.layout.month_cell("LAC1", 0)): 540})
    outcome = workbook_file.validate_file(july)
    assert [f.key for f in outcome.open_queries if f.code == "R203"] == [R203]
    row = checks_row(july, R203)
    assert row.reason == ""
    note = load_workbook(july)[sheets.CHECKS].cell(row.number, 11).value
    assert note.startswith("open again: the figures have changed since")
    assert outcome.answers[R203].reason == REASON  # kept, for the record


def test_the_answer_goes_into_the_return(july, tmp_path):
    workbook_file.validate_file(july)
    respond_to_checks(july, lambda row: "Explained.", lambda row: "Checked.")
    saved = return_file.save_return_file(july, tmp_path / "returns", pdf_maker=fake_pdf)
    returned = load_workbook(saved.placed.xlsx)
    answers = list(returned[sheets.ANSWERS].iter_rows(min_row=2, values_only=True))
    assert ("R203", "LAC1", "2020-07") in [row[:3] for row in answers]
    checks = {
        row[11]: row[9] for row in returned[sheets.CHECKS].iter_rows(min_row=2, values_only=True)
    }
    assert checks[R203] == REASON


def test_answers_go_through_export_and_build(july, tmp_path):
    workbook_file.validate_file(july)
    workbook_file.export_file(july, tmp_path / "data")
    assert "R203,LAC1,2020-07," in (tmp_path / "data" / "answers.csv").read_text("utf-8")
    rebuilt = tmp_path / "rebuilt.xlsx"
    workbook_file.build_file(tmp_path / "data", july_month(), rebuilt)
    outcome = workbook_file.validate_file(rebuilt)
    assert outcome.answers[R203].reason == REASON
    assert [f for f in outcome.open_queries if (f.code, f.ref) == ("R203", "LAC1")] == []


def july_month():
    return Month(2020, 7)


def test_clearing_a_reason_on_checks_withdraws_the_answer_and_audit_keeps_it(july):
    workbook_file.validate_file(july)
    answer_on_checks(july, R203, None)
    outcome = workbook_file.validate_file(july, user="Sam Jones")
    assert R203 in [f.key for f in outcome.open_queries]
    audit = list(load_workbook(july)[sheets.AUDIT].iter_rows(min_row=2, values_only=True))
    assert [row[2:6] for row in audit] == [
        ("figure", "LAC1", "2020-07", "512"),  # typed by the fixture, recorded by its validate
        ("answer withdrawn", "LAC1", "2020-07", REASON),
    ]


def test_the_answer_command_answers_as_typing_on_checks_does(built, tmp_path):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    result = CliRunner().invoke(
        cli, ["answer", str(path), "P302", "CP2", "Fewer conferences in August.", "--by", "Sam"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Answered P302 on CP2 for Aug-20. Aug-20: ")
    assert checks_row(path, "P302|CP2|2020-08").reason == "Fewer conferences in August."


def test_the_same_answer_given_again_changes_nothing(built, tmp_path):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    answer = ["answer", str(path), "P302", "CP2", "Fewer conferences in August.", "--no-backup"]
    assert CliRunner().invoke(cli, [*answer, "--by", "Sam"]).exit_code == 0
    answered = path.read_bytes()
    result = CliRunner().invoke(cli, [*answer, "--by", "Kim"])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == answered  # Sam's answer stands, as given
    assert checks_row(path, "P302|CP2|2020-08").reason == "Fewer conferences in August."


def test_the_answer_command_takes_the_code_and_ref_in_any_case(built, tmp_path):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    result = CliRunner().invoke(cli, ["answer", str(path), "p302", "cp3-ql (val) ", "Checked."])
    assert result.output.startswith("Answered P302 on CP3-QL (val) for Aug-20."), result.output
    assert checks_row(path, "P302|CP3-QL (val)|2020-08").reason == "Checked."


def test_the_comment_command_takes_the_ref_in_any_case(built, tmp_path):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    result = CliRunner().invoke(cli, ["comment", str(path), "lac2", "Fewer new episodes."])
    assert result.output.startswith("Wrote the Aug-20 comment on LAC2."), result.output


@pytest.mark.parametrize(
    ("code", "ref", "says"),
    [
        ("P302", "M1", "There is no P302 query on M1 for Aug-20 to answer"),
        ("C402", "LAC2", "write a comment for LAC2 on Dataset"),
    ],
)
def test_the_answer_command_refuses_what_a_reason_cannot_answer(built, tmp_path, code, ref, says):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["answer", str(path), code, ref, "Because."])
    assert result.exit_code == 1 and says in result.output
    assert path.read_bytes() == before


def test_an_answer_typed_on_checks_survives_refresh_month_pressed_in_excel(july):
    press(july, "Validate")
    press(july)  # Refresh month
    assert checks_row(july, R203).reason == REASON
    rows = list(load_workbook(july)[sheets.ANSWERS].iter_rows(min_row=2, values_only=True))
    assert rows[0][4] == REASON


def test_a_workbook_from_before_answers_were_kept_keeps_its_typed_reasons(july):
    """An earlier xlscorecard kept answers only on Checks, keyed by cell, and had no Answers
    sheet: validate adds the sheet and keeps the reasons."""
    book = load_workbook(july)
    del book[sheets.ANSWERS]
    checks = book[sheets.CHECKS]
    for row in checks.iter_rows(min_row=2):
        if row[11].value:
            row[11].value = f"{row[11].value}|{str(row[2].value).split(',')[-1][1:-2]}"
    book.save(july)
    outcome = workbook_file.validate_file(july)
    assert outcome.answers[R203].reason == REASON
    assert sheets.ANSWERS in load_workbook(july).sheetnames


def test_a_sample_answers_file_loads(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    (data / "answers.csv").write_text(
        'code,ref,month,found,reason,by,at\nP302,CP2,2020-08,"22, a fall of 69% from 72 in '
        'Jul-20",Fewer conferences.,Sam,2020-09-01 09:00:00\n',
        encoding="utf-8",
    )
    path = tmp_path / "dataset.xlsx"
    workbook_file.build_file(data, july_month() + 1, path)
    outcome = workbook_file.validate_file(path)
    assert [f for f in outcome.open_queries if (f.code, f.ref) == ("P302", "CP2")] == []
    assert [f for f in outcome.findings if (f.code, f.ref) == ("P302", "CP2")]  # answered


@pytest.mark.parametrize(
    ("code", "ref", "status", "says"),
    [
        ("P302", "CP4(val)", 2, "has no indicator 'CP4(val)' (did you mean `CP4 (val)`?)"),
        ("P320", "CP2", 1, "There is no check P320 (did you mean `P302`"),
    ],
)
def test_an_unknown_ref_or_code_names_the_nearest_ones(workbook, code, ref, status, says):
    before = workbook.read_bytes()
    result = CliRunner().invoke(cli, ["answer", str(workbook), code, ref, "Because."])
    assert result.exit_code == status and says in result.output, result.output
    assert workbook.read_bytes() == before
