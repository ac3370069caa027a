"""The month's record: Audit says who changed which figure, from where; History holds what the
Dataset sheet shows after every command; a replaced answer is kept; what someone typed on Audit
stays text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlscorecard.app import workbook_file
from xlscorecard.calc.figures import figure
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.errors import WorkbookError
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET, DatasetLayout

WHEN = "2020-09-02 10:00:00"


def _layout(path: Path) -> DatasetLayout:
    return workbook_file.open_book(path, writing=False)[1].layout


def _type(path: Path, cells: dict[str, object], sheet: str = SHEET) -> None:
    book = load_workbook(path)
    for address, value in cells.items():
        book[sheet][address] = value
    book.save(path)


def _rows(path: Path, sheet: str) -> list[tuple]:
    return list(load_workbook(path)[sheet].iter_rows(min_row=2, values_only=True))


def _history(path: Path) -> dict[tuple[str, str], object]:
    return {(row[0], row[1]): row[2] for row in _rows(path, sheets.HISTORY) if row[0]}


def _extract(path: Path, rows: list[tuple[str, str, object]]) -> Path:
    path.write_text("ref,month,value\n" + "".join(f"{r},{m},{v}\n" for r, m, v in rows))
    return path


def test_an_import_names_its_file_and_sha256_and_each_figure_it_changed(workbook, tmp_path):
    extract = _extract(tmp_path / "2020-08.csv", [("M1", "2020-08", 1400), ("M2", "2020-08", 263)])
    digest = hashlib.sha256(extract.read_bytes()).hexdigest()
    workbook_file.import_file(workbook, extract, user="sam", when=WHEN)
    audit = _rows(workbook, sheets.AUDIT)
    assert audit[0] == (
        WHEN, "sam", "import", None, "2020-08", None, None,
        f"2020-08.csv (SHA-256 {digest}): 2 figures, 1 changed",
    )  # fmt: skip
    assert audit[1] == (
        WHEN, "sam", "figure", "M1", "2020-08", "1,343", "1,400", "imported from 2020-08.csv"
    )  # fmt: skip
    assert len(audit) == 2  # M2 was 263 already: nothing to record


def test_history_holds_what_the_sheet_shows_after_an_import(workbook, tmp_path):
    workbook_file.import_file(workbook, _extract(tmp_path / "x.csv", [("M1", "2020-08", 1400)]))
    assert _history(workbook)[("M1", "2020-08")] == 1400


def test_import_takes_the_source_to_record(workbook, tmp_path):
    extract = _extract(tmp_path / "x.csv", [("M1", "2020-08", 1400)])
    workbook_file.import_file(workbook, extract, source="figures from case-level files")
    assert (
        _rows(workbook, sheets.AUDIT)[0][7] == "figures from case-level files: 1 figure, 1 changed"
    )


def test_a_figure_typed_by_hand_is_recorded_by_the_next_command(workbook):
    layout = _layout(workbook)
    _type(workbook, {layout.month_cell("M1", 0): 1400, layout.month_cell("M2", 1): 500})
    workbook_file.validate_file(workbook, user="jo", when=WHEN)
    audit = _rows(workbook, sheets.AUDIT)
    m2_cell, m1_cell = layout.month_cell("M2", 1), layout.month_cell("M1", 0)
    assert audit == [
        (WHEN, "jo", "correction", "M2", "2020-07", "388", "500", f"typed on Dataset!{m2_cell}"),
        (WHEN, "jo", "figure", "M1", "2020-08", "1,343", "1,400", f"typed on Dataset!{m1_cell}"),
    ]
    assert _history(workbook)[("M1", "2020-08")] == 1400
    workbook_file.validate_file(workbook, user="jo", when="2020-09-03 10:00:00")
    assert len(_rows(workbook, sheets.AUDIT)) == 2  # recorded once


def test_a_correction_to_a_returned_month_stays_queried_after_it_is_recorded(workbook):
    layout = _layout(workbook)
    returned = ["2020-08-10 09:00:00", "x", "return saved", None, "2020-07", None, None, "r.xlsx"]
    book = load_workbook(workbook)
    book[sheets.AUDIT].append(returned)
    book[SHEET][layout.month_cell("M1", 1)] = 1500
    book.save(workbook)
    first = workbook_file.validate_file(workbook, when=WHEN)
    second = workbook_file.validate_file(workbook, when=WHEN)
    for outcome in (first, second):
        assert [(f.code, f.ref, f.found) for f in outcome.findings if f.code == "A602"] == [
            ("A602", "M1", "1,493 -> 1,500")
        ]
    assert _history(workbook)[("M1", "2020-07")] == 1500


def test_derived_indicators_carry_their_calculated_figures_in_history(workbook, sample):
    """M3 printed no Sep-20 and rounded figures; History holds what the sheet calculates."""
    history = _history(workbook)
    for month in sample.months:
        if figure(sample, "M3", month) is not None:
            assert history[("M3", month.iso)] == pytest.approx(figure(sample, "M3", month))
    sources = {row[3] for row in _rows(workbook, sheets.HISTORY) if row[0] == "LAC1-NI"}
    assert sources == {"calculated"}


def test_export_gives_the_series_history_holds(workbook, tmp_path):
    workbook_file.export_file(workbook, tmp_path / "out")
    exported = {(r, m.iso): v for (r, m), v in load_data_dir(tmp_path / "out").values.items()}
    history = _history(workbook)
    assert exported.keys() == history.keys()
    for key, value in history.items():
        assert exported[key] == (value if isinstance(value, str) else pytest.approx(value))


def test_an_answer_replaced_stays_on_answers_marked_and_audit_says_so(workbook):
    workbook_file.answer_file(workbook, "P302", "CP2", None, "First reason.", user="a", when=WHEN)
    workbook_file.answer_file(
        workbook, "P302", "CP2", None, "Second reason.", user="b", when="2020-09-03"
    )
    answers = [row for row in _rows(workbook, sheets.ANSWERS) if row[1] == "CP2"]
    assert [(row[4], row[7]) for row in answers] == [
        ("First reason.", "by b, 2020-09-03"),
        ("Second reason.", None),
    ]
    replaced = [row for row in _rows(workbook, sheets.AUDIT) if row[2] == "answer replaced"]
    assert [row[3:7] for row in replaced] == [("CP2", "2020-08", "First reason.", "Second reason.")]
    outcome = workbook_file.validate_file(workbook)
    assert outcome.answers["P302|CP2|2020-08"].reason == "Second reason."


def test_a_formula_typed_on_audit_is_kept_as_text_when_audit_is_written(workbook):
    _type(workbook, {"A2": "=1+1", "H2": "typed"}, sheets.AUDIT)
    _type(workbook, {_layout(workbook).month_cell("M1", 0): 1400})
    workbook_file.validate_file(workbook)
    cell = load_workbook(workbook)[sheets.AUDIT]["A2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def _delete_history(path: Path, months: set[str]) -> None:
    book = load_workbook(path)
    sheet = book[sheets.HISTORY]
    for row in reversed(range(2, sheet.max_row + 1)):
        if sheet.cell(row, 1).value == "M1" and sheet.cell(row, 2).value in months:
            sheet.delete_rows(row)
    book.save(path)


def test_history_rows_deleted_by_hand_are_refused_with_nothing_changed(workbook):
    _delete_history(workbook, {"2019-04", "2019-05"})
    before = workbook.read_bytes()
    with pytest.raises(WorkbookError) as refused:
        workbook_file.validate_file(workbook)
    message = str(refused.value)
    assert "its History sheet holds" in message and "2 fewer than xlscorecard last wrote" in message
    assert "Put them back" in message and "set history_rows on the Settings sheet to" in message
    assert workbook.read_bytes() == before


def test_a_history_row_deleted_for_a_month_the_sheet_shows_is_put_back(workbook):
    _delete_history(workbook, {"2020-07"})
    workbook_file.validate_file(workbook)
    assert _history(workbook)[("M1", "2020-07")] == 1493


def test_a_figure_that_cannot_be_read_keeps_its_last_figure_in_history(workbook):
    _type(workbook, {_layout(workbook).month_cell("M1", 0): "12a"})
    outcome = workbook_file.validate_file(workbook)
    assert [f.code for f in outcome.errors if f.ref == "M1"] == ["E101"]
    assert _history(workbook)[("M1", "2020-08")] == 1343
    assert [row for row in _rows(workbook, sheets.AUDIT) if row[2] == "figure"] == []


def test_a_formula_typed_as_a_setting_is_written_back_as_text(workbook):
    book = load_workbook(workbook)
    book[sheets.SETTINGS].append(["council_note", "=1+1"])
    book.save(workbook)
    workbook_file.refresh_file(workbook)
    settings = load_workbook(workbook)[sheets.SETTINGS]
    (cell,) = [row[1] for row in settings.iter_rows(min_row=2) if row[0].value == "council_note"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_an_extracts_own_source_for_a_figure_is_recorded_with_it(workbook, tmp_path):
    """``figures`` writes each figure's source (the case-level files and the rule)."""
    extract = tmp_path / "figures.csv"
    extract.write_text(
        'ref,month,value,source\nM1,2020-08,1400,"figures from case-level files: cin.xml, rule x"\n'
    )
    workbook_file.import_file(workbook, extract, when=WHEN)
    (row,) = [row for row in _rows(workbook, sheets.AUDIT) if row[2] == "figure"]
    assert row[7] == "imported from figures.csv (figures from case-level files: cin.xml, rule x)"
