"""A council's extract (ref, month, value): a blank value is not supplied (left out and
reported), ``-`` is not applicable, a figure is cleared only with --clear-blanks; the header
is read whatever its case and spacing; a month the workbook has not reached says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from xlscorecard.app import workbook_file
from xlscorecard.cli import cli
from xlscorecard.errors import DataFileError
from xlscorecard.model import Month
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET

JULY = Month(2020, 7)


def extract(folder: Path, text: str) -> Path:
    path = folder / "extract.csv"
    path.write_text(text, encoding="utf-8")
    return path


def figure(path: Path, ref: str, month: Month):
    return workbook_file.open_book(path)[1].dataset.values.get((ref, month))


def test_a_blank_value_is_not_supplied_and_leaves_the_figure_alone(workbook, tmp_path):
    path = extract(tmp_path, "ref,month,value\nM1,2020-07,\nM2,2020-08,270\n")
    result = CliRunner().invoke(cli, ["import", str(workbook), str(path)])
    assert result.exit_code == 0, result.output
    assert figure(workbook, "M1", JULY) == 1493
    assert "Imported 1 figure into Aug-20. 1 blank value was left out as not supplied " in (
        result.output
    )
    assert "(line 2: M1 Jul-20)" in result.output


def test_a_blank_value_never_reaches_history(workbook, tmp_path):
    workbook_file.import_file(workbook, extract(tmp_path, "ref,month,value\nM1,2020-07,\n"))
    workbook_file.refresh_file(workbook)
    history = load_workbook(workbook)[sheets.HISTORY]
    rows = {(r[0], r[1]): r[2] for r in history.iter_rows(min_row=2, values_only=True)}
    assert rows[("M1", "2020-07")] == 1493


def test_clear_blanks_clears_the_figure(workbook, tmp_path):
    path = extract(tmp_path, "ref,month,value\nM1,2020-07,\n")
    result = CliRunner().invoke(cli, ["import", str(workbook), str(path), "--clear-blanks"])
    assert result.exit_code == 0, result.output
    assert figure(workbook, "M1", JULY) is None
    assert "Imported 1 figure into Jul-20." in result.output


def test_a_dash_is_not_applicable(workbook, tmp_path):
    workbook_file.import_file(workbook, extract(tmp_path, "ref,month,value\nCP2b %,2020-08,-\n"))
    cell = workbook_file.open_book(workbook)[1].layout.month_cell("CP2b %", 0)
    assert load_workbook(workbook)[SHEET][cell].value == "-"
    assert figure(workbook, "CP2b %", Month(2020, 8)) == "-"


def test_the_header_is_read_whatever_its_case_and_spacing(workbook, tmp_path):
    path = extract(tmp_path, "Ref, Month ,VALUE\nM1,2020-08,1350\n")
    outcome = workbook_file.import_file(workbook, path)
    assert outcome.summary.startswith("Imported 1 figure into Aug-20.")
    assert figure(workbook, "M1", Month(2020, 8)) == 1350


def test_a_month_after_the_workbooks_says_to_refresh_first(workbook, tmp_path):
    path = extract(tmp_path, "ref,month,value\nM1,2020-09,1350\n")
    before = workbook.read_bytes()
    with pytest.raises(DataFileError) as caught:
        workbook_file.import_file(workbook, path)
    message = str(caught.value)
    assert "line 2, column 'month': M1 Sep-20 is after the workbook's months" in message
    assert "refresh the workbook first" in message and "--extract" in message
    assert workbook.read_bytes() == before


def test_refresh_with_an_extract_leaves_its_blanks_out_too(workbook, tmp_path):
    path = extract(tmp_path, "ref,month,value\nM1,2020-09,1350\nM2,2020-09,\n")
    outcome = workbook_file.refresh_file(workbook, extract=path)
    assert "1 blank value was left out as not supplied (line 3: M2 Sep-20)" in outcome.summary
    assert figure(workbook, "M1", Month(2020, 9)) == 1350


def test_the_summary_names_the_months_the_figures_went_to(workbook, tmp_path):
    path = extract(tmp_path, "ref,month,value\nM1,2020-07,1500\nM2,2020-08,270\nM4,2020-08,9\n")
    outcome = workbook_file.import_file(workbook, path)
    assert outcome.summary.startswith("Imported 3 figures: 2 into Aug-20, 1 into Jul-20.")


def test_months_as_a_spreadsheet_writes_them_are_read(workbook, tmp_path):
    text = "ref,month,value\nM1,Jul-20,1500\nM2,2020-08-01,270\nM4,August 2020,9\n"
    workbook_file.import_file(workbook, extract(tmp_path, text))
    assert figure(workbook, "M1", JULY) == 1500
    assert figure(workbook, "M2", Month(2020, 8)) == 270
    assert figure(workbook, "M4", Month(2020, 8)) == 9


def test_a_semicolon_separated_extract_is_read(workbook, tmp_path):
    workbook_file.import_file(workbook, extract(tmp_path, "ref;month;value\nM1;2020-08;1,350\n"))
    assert figure(workbook, "M1", Month(2020, 8)) == 1350


def test_an_unknown_ref_names_the_nearest_ones(workbook, tmp_path):
    path = extract(tmp_path, "ref,month,value\nCP4(val),2020-08,17\n")
    result = CliRunner().invoke(cli, ["import", str(workbook), str(path)])
    assert result.exit_code == 2
    assert "unknown indicator ref 'CP4(val)' (did you mean `CP4 (val)`?)" in result.output
