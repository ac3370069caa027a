"""The Audit and Checks sheets' rows as typed records keyed by the schema's columns, and what a
saved return's Audit row records, written and read in one place."""

from __future__ import annotations

import re
from dataclasses import fields

from tests.support.paths import ROOT
from xlscorecard.model import Answer, Month
from xlscorecard.model.rows import (
    RETURN_SAVED,
    AuditRow,
    CheckRow,
    SavedReturn,
    recorded_return,
    returned_months,
)
from xlscorecard.model.tables import ANSWER_COLUMNS, answer_row
from xlscorecard.returns.register import COLUMNS, change_register, read_register, with_status
from xlscorecard.returns.register import Row as RegisterRow
from xlscorecard.workbook import schema as sheets

SHA = "a" * 64
NOTE = f"SHA-256 {'1' * 64}; file SHA-256 {'2' * 64}; PDF Aug-20.pdf SHA-256 {'3' * 64}"
"""A saved return's Audit note as xlscorecard has always written it."""


def test_the_rows_fields_are_the_schemas_columns_in_order():
    assert [item.name for item in fields(AuditRow)] == sheets.AUDIT_COLUMNS
    assert [item.name for item in fields(CheckRow)] == sheets.CHECK_COLUMNS


def test_an_answer_is_the_answers_sheets_row_by_its_columns():
    assert [item.name for item in fields(Answer)] == ANSWER_COLUMNS
    answer = Answer("P302", "CP2", Month(2020, 8), "up 60%", "A data cleanse.", "Ann", "09:00")
    row = dict(zip(ANSWER_COLUMNS, answer_row(answer), strict=True))
    assert (row["month"], row["reason"], row["replaced"]) == ("2020-08", "A data cleanse.", "")


def test_an_audit_row_reads_back_the_cells_it_wrote():
    row = AuditRow("2020-09-01 09:00", "Ann", "figure", "M1", "2020-08", "1", "2", "typed")
    assert AuditRow.from_row(row.to_row()) == row
    assert row.to_row()[sheets.AUDIT_COLUMNS.index("note")] == "typed"


def test_a_shorter_row_of_an_earlier_workbook_reads_its_missing_cells_as_blank():
    row = AuditRow.from_row(["2020-09-01 09:00", "Ann", RETURN_SAVED, "", "2020-08"])
    assert (row.month_of, row.new, row.note) == (Month(2020, 8), None, None)


def test_a_month_that_cannot_be_read_is_no_month():
    assert AuditRow.from_row(["", "", "figure", "M1", "Aug 2020?"]).month_of is None


def test_what_a_saved_returns_note_records_is_read_back():
    made = SavedReturn(SHA, "b" * 64, "Aug-20.pdf", "c" * 64)
    assert SavedReturn.read(made.note("no LibreOffice", key="k1")) == made
    bare = SavedReturn(SHA, "b" * 64, "", "")
    assert SavedReturn.read(bare.note("no LibreOffice")) == bare


def test_an_earlier_workbooks_audit_note_reads_as_it_always_did():
    audit = [["2020-09-01 09:00", "Ann", RETURN_SAVED, "", "2020-08", "", "Aug-20.xlsx", NOTE]]
    recorded = recorded_return(audit, "Aug-20.xlsx")
    assert recorded == SavedReturn("1" * 64, "2" * 64, "Aug-20.pdf", "3" * 64)
    assert recorded_return(audit, "Jul-20.xlsx") is None
    assert returned_months(audit) == {Month(2020, 8)}


def test_a_note_xlscorecard_did_not_write_records_nothing():
    audit = [["", "", RETURN_SAVED, "", "2020-08", "", "Aug-20.xlsx", "saved by hand"]]
    assert recorded_return(audit, "Aug-20.xlsx") == SavedReturn()


def test_the_audit_action_of_a_saved_return_is_spelt_in_one_module():
    """Audit rows are made and read through :mod:`xlscorecard.model.rows`."""
    spelt = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "xlscorecard").rglob("*.py")
        if re.search(r"""["']return saved["']""", path.read_text(encoding="utf-8"))
    )
    assert spelt == ["xlscorecard/model/rows.py"]


def test_a_register_row_is_written_and_read_back_by_its_columns(tmp_path):
    row = RegisterRow(
        file="Aug-20.xlsx", month="2020-08", sha256=SHA, pdf="Aug-20.pdf", pdf_sha256=SHA,
        saved_at="2020-09-01 09:00", saved_by="Ann", workbook="../dataset.xlsx",
    )  # fmt: skip
    change_register(tmp_path, lambda rows: [*rows, row])
    assert read_register(tmp_path) == [row]
    change_register(tmp_path, lambda rows: with_status(rows, "Aug-20.xlsx", "saved"))
    assert [item.status for item in read_register(tmp_path)] == ["saved"]
    assert [item.name for item in fields(RegisterRow)] == COLUMNS


def test_a_saved_return_whose_month_was_typed_over_names_no_month():
    audit = [
        AuditRow("2020-08-10 09:00:00", "Sam", RETURN_SAVED, "", "2020-07").to_row(),
        AuditRow("2020-09-10 09:00:00", "Sam", RETURN_SAVED, "", "not a month").to_row(),
    ]
    assert returned_months(audit) == {Month(2020, 7)}
