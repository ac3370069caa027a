"""The monthly cycle on files: refresh, import, validate, export; nothing lost or half-done."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.support.paths import SAMPLE
from xlscorecard.app import workbook_file
from xlscorecard.calc.figures import figure, with_calculated
from xlscorecard.cli import cli
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.errors import DataFileError, Refused, WorkbookError
from xlscorecard.model.months import Month
from xlscorecard.store.backups import versions
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import HEADER_ROW, SHEET, DatasetLayout, Field
from xlscorecard.xlsx import apply as file_applier


@pytest.fixture(scope="module")
def layout():
    dataset = load_data_dir(SAMPLE)
    return DatasetLayout.for_catalogue(dataset.indicators, dataset.target_periods, 7)


def type_cells(path: Path, values: dict[str, object]) -> None:
    """Type into Dataset cells as a person would, saving as Excel does."""
    book = load_workbook(path)
    for cell, value in values.items():
        book[SHEET][cell] = value
    book.save(path)


def extract(path: Path, rows: list[tuple[str, str, object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "month", "value"])
        writer.writerows(rows)
    return path


# -- refresh ------------------------------------------------------------------------------
def test_refresh_moves_every_label_on_a_month(workbook, layout):
    workbook_file.refresh_file(workbook)
    sheet = load_workbook(workbook)[SHEET]
    assert sheet["A2"].value == "Sep-20 Monthly dataset"
    assert sheet.cell(HEADER_ROW, layout.month_column(0)).value.strftime("%b-%y") == "Sep-20"
    assert sheet.cell(HEADER_ROW, layout.column(Field.CHANGE_PREVIOUS)).value == (
        "% change from Aug-20"
    )
    assert sheet.cell(HEADER_ROW, layout.column(Field.CHANGE_YEAR)).value == "% change from Sep-19"
    assert sheet.cell(HEADER_ROW, layout.column(Field.COMMENTARY)).value == "Commentary (Sep-20)"


def test_refresh_leaves_the_new_month_empty_and_shifts_the_figures(workbook, layout):
    workbook_file.refresh_file(workbook)
    sheet = load_workbook(workbook)[SHEET]
    assert sheet[layout.month_cell("M1", 0)].value is None
    assert sheet[layout.month_cell("M1", 1)].value == 1343
    assert sheet[layout.cell("M1", Field.COMMENTARY)].value is None


def test_refresh_archives_the_months_commentary_with_who_typed_it(workbook, layout):
    """The comment typed in Excel is kept with the person who ran the command that found it,
    not the indicator's reporter (Mary Hardy for LAC1); the comments that were there keep
    their authors."""
    type_cells(workbook, {layout.cell("LAC1", Field.COMMENTARY): "Typed in Excel."})
    workbook_file.refresh_file(workbook, user="a.officer")
    rows = list(load_workbook(workbook)[sheets.COMMENTARY].iter_rows(min_row=2, values_only=True))
    assert ("LAC1", "2020-08", "Typed in Excel.", "a.officer") in rows
    assert next(r for r in rows if r[:2] == ("M1", "2020-08"))[3] == "Jacqui Schofield"


def test_refresh_keeps_every_figure_that_rolls_out_of_view(workbook):
    """Every figure typed or imported is kept; a derived indicator's is the one calculated
    from its parts, as the sheet shows it."""
    sample = load_data_dir(SAMPLE)
    workbook_file.refresh_file(workbook)
    history = {
        (ref, month): value
        for ref, month, value, _ in load_workbook(workbook)[sheets.HISTORY].iter_rows(
            min_row=2, values_only=True
        )
    }
    for (ref, month), value in sample.values.items():
        if sample.indicator(ref).is_derived:
            value = figure(sample, ref, month)
        assert history[(ref, month.iso)] == (value if value == "-" else pytest.approx(value))


def test_refresh_refuses_while_the_month_has_errors_and_changes_nothing(workbook, layout):
    type_cells(workbook, {layout.month_cell("M1", 0): -5})
    before = workbook.read_bytes()
    with pytest.raises(Refused) as caught:
        workbook_file.refresh_file(workbook)
    assert "Cannot move on from Aug-20" in str(caught.value)
    assert "Dataset!R7" in str(caught.value)
    assert workbook.read_bytes() == before


def test_refresh_to_the_current_month_refuses_and_changes_nothing(workbook):
    before = workbook.read_bytes()
    with pytest.raises(Refused, match="already at Aug-20"):
        workbook_file.refresh_file(workbook, Month(2020, 8))
    assert workbook.read_bytes() == before


def test_refresh_twice_to_the_same_month_is_safe(workbook):
    workbook_file.refresh_file(workbook, Month(2020, 9))
    after_first = workbook.read_bytes()
    with pytest.raises(Refused):
        workbook_file.refresh_file(workbook, Month(2020, 9))
    assert workbook.read_bytes() == after_first


def test_a_failure_in_the_middle_of_a_refresh_leaves_the_file_byte_identical(workbook, monkeypatch):
    before = workbook.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(file_applier, "write_table", broken)  # part-way through the plan
    with pytest.raises(OSError, match="disk full"):
        workbook_file.refresh_file(workbook)
    assert workbook.read_bytes() == before
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["dataset.xlsx"]


def test_refresh_keeps_the_previous_version_as_a_backup(workbook):
    before = workbook.read_bytes()
    workbook_file.refresh_file(workbook)
    assert [path.read_bytes() for path in versions(workbook)] == [before]


def test_refresh_restores_an_overwritten_formula_and_audits_the_typed_value(workbook, layout):
    cell = layout.cell("M1", Field.AVERAGE)
    type_cells(workbook, {cell: 1288})
    workbook_file.refresh_file(workbook)
    book = load_workbook(workbook)
    assert str(book[SHEET][cell].value).startswith("=IF(")
    audit = list(book[sheets.AUDIT].iter_rows(min_row=2, values_only=True))
    assert any(row[2] == "formula restored" and row[5] == "1288" for row in audit)


def test_refresh_logs_a_correction_to_an_earlier_month_in_audit(workbook, layout):
    type_cells(workbook, {layout.month_cell("M1", 1): 1500})
    workbook_file.refresh_file(workbook)
    audit = list(load_workbook(workbook)[sheets.AUDIT].iter_rows(min_row=2, values_only=True))
    assert audit[0][2:5] == ("correction", "M1", "2020-07")
    assert (audit[0][5], audit[0][6]) == ("1,493", "1,500")


def test_refresh_fills_the_new_month_from_an_extract(workbook, layout, tmp_path):
    path = extract(tmp_path / "sep.csv", [("M1", "2020-09", 1400), ("M2", "2020-09", 300)])
    workbook_file.refresh_file(workbook, extract=path)
    sheet = load_workbook(workbook)[SHEET]
    assert sheet[layout.month_cell("M1", 0)].value == 1400


# -- import -------------------------------------------------------------------------------
def test_import_types_the_extract_into_the_input_cells(workbook, layout, tmp_path):
    path = extract(tmp_path / "x.csv", [("M1", "2020-08", "1,350"), ("M8-QL", "2020-08", "97%")])
    outcome = workbook_file.import_file(workbook, path)
    sheet = load_workbook(workbook)[SHEET]
    assert sheet[layout.month_cell("M1", 0)].value == 1350
    assert sheet[layout.month_cell("M8-QL", 0)].value == pytest.approx(0.97)
    assert "Imported 2 figures into Aug-20" in outcome.summary


def test_import_refuses_an_unknown_ref_and_changes_nothing(workbook, tmp_path):
    path = extract(tmp_path / "x.csv", [("M1", "2020-08", 1), ("ZZ9", "2020-08", 1)])
    before = workbook.read_bytes()
    with pytest.raises(DataFileError, match="line 3, column 'ref': unknown indicator ref 'ZZ9'"):
        workbook_file.import_file(workbook, path)
    assert workbook.read_bytes() == before


def test_import_refuses_a_month_outside_the_window(workbook, tmp_path):
    path = extract(tmp_path / "x.csv", [("M1", "2019-07", 1)])
    with pytest.raises(DataFileError, match="Jul-19 is before the workbook's months"):
        workbook_file.import_file(workbook, path)


def test_import_compares_a_derived_figure_and_keeps_the_formula(workbook, layout, tmp_path):
    path = extract(tmp_path / "x.csv", [("M3", "2020-08", "31%")])
    outcome = workbook_file.import_file(workbook, path)
    assert [f.code for f in outcome.findings if f.code == "M701"] == ["M701"]
    sheet = load_workbook(workbook)[SHEET]
    assert str(sheet[layout.month_cell("M3", 0)].value).startswith("=IF(")


# -- validate ------------------------------------------------------------------------------
def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_validate_exits_0_without_errors(workbook):
    result = run("validate", str(workbook))
    assert result.exit_code == 0, result.output


def test_validate_exits_1_with_errors_and_names_the_cell(workbook, layout):
    type_cells(workbook, {layout.month_cell("M1", 0): "12a"})
    result = run("validate", str(workbook))
    assert result.exit_code == 1
    assert "Dataset!R7: M1 Number of contacts received" in result.output


def test_validate_exits_2_for_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("hello", encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert "is not an Excel workbook" in result.output


def test_validate_writes_findings_to_checks_and_keeps_answers(workbook, layout):
    type_cells(workbook, {layout.month_cell("M1", 0): 5000})
    workbook_file.validate_file(workbook)
    book = load_workbook(workbook)
    rows = list(book[sheets.CHECKS].iter_rows(min_row=2))
    query = next(r for r in rows if r[0].value == "query")
    query[9].value = "Confirmed with MASH: a data cleanse."
    book.save(workbook)
    outcome = workbook_file.validate_file(workbook)
    assert outcome.answers[query[11].value].reason == "Confirmed with MASH: a data cleanse."
    again = list(load_workbook(workbook)[sheets.CHECKS].iter_rows(min_row=2, values_only=True))
    assert any(r[9] == "Confirmed with MASH: a data cleanse." for r in again)


def test_a_workbook_open_in_excel_is_refused(workbook):
    lock = workbook.with_name(f"~${workbook.name}")
    lock.write_text("locked", encoding="utf-8")
    with pytest.raises(WorkbookError, match="open in Excel"):
        workbook_file.refresh_file(workbook)


def test_a_read_only_workbook_is_refused(workbook):
    workbook.chmod(0o444)
    try:
        with pytest.raises(WorkbookError, match="read-only"):
            workbook_file.refresh_file(workbook)
    finally:
        workbook.chmod(0o644)


def test_a_workbook_that_is_not_an_xlscorecard_workbook_is_refused(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    with pytest.raises(WorkbookError, match="no sheet 'Dataset'"):
        workbook_file.validate_file(path)


# -- export ---------------------------------------------------------------------------------
def test_export_round_trips_the_data_directory(workbook, tmp_path):
    """Every figure comes back; a derived indicator's as the workbook calculates it (the
    series the sheet, History and the charts show), not as a data file may have printed it."""
    workbook_file.export_file(workbook, tmp_path / "out")
    original, exported = load_data_dir(SAMPLE), load_data_dir(tmp_path / "out")
    assert exported.values == with_calculated(original).values
    assert exported.commentary == original.commentary
    assert exported.indicators == original.indicators
    assert exported.benchmarks == original.benchmarks
    assert exported.targets == original.targets
    assert exported.settings == original.settings
