"""A workbook holding what openpyxl would drop (a picture, a text box, a chart not ours, VBA, a
validation list someone added, a pivot table, a link to another workbook, a threaded comment)
is refused by every command that writes it, naming what and where and what to do, with nothing
changed: the file byte for byte, no backup, no return. The charts xlscorecard draws itself (on
the Trends sheet) pass. Export, which only reads, works on any of them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.support.offending import CORPUS, chart, spoiled
from tests.support.paths import SAMPLE
from tests.support.returns import fake_pdf, make_ready
from xlscorecard.app import workbook_file
from xlscorecard.app.return_file import save_return_file
from xlscorecard.cli import cli
from xlscorecard.errors import WorkbookError
from xlscorecard.model import Month
from xlscorecard.workbook import schema as sheets
from xlscorecard.xlsx.writer import build_workbook

EXTRACT = SAMPLE / "extracts" / "2020-08.csv"
WRITERS: dict[str, Callable[[Path], object]] = {
    "validate": lambda path: workbook_file.validate_file(path),
    "import": lambda path: workbook_file.import_file(path, EXTRACT),
    "refresh": lambda path: workbook_file.refresh_file(path),
    "save return": lambda path: save_return_file(path, path.parent / "returns", pdf_maker=fake_pdf),
}


@pytest.fixture(scope="module")
def ready(built, tmp_path_factory) -> Path:
    """The Aug-20 workbook with everything that blocks a return done (so that only what it
    holds can stop a save return)."""
    return make_ready(built("2020-08"), tmp_path_factory.mktemp("ready") / "dataset.xlsx")


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("command", list(WRITERS))
@pytest.mark.parametrize("kind", list(CORPUS))
def test_a_workbook_holding_what_would_be_lost_is_refused_with_nothing_changed(
    ready, tmp_path, kind, command
):
    path, what, part = spoiled(ready, tmp_path / "work", kind)
    before = folder_state(path.parent)
    with pytest.raises(WorkbookError) as refused:
        WRITERS[command](path)
    message = str(refused.value)
    assert f"{path} holds what xlscorecard would lose if it saved it: " in message
    assert what in message and part in message
    assert (
        "Nothing was changed. Remove them in Excel, or keep them in a separate workbook" in message
    )
    assert folder_state(path.parent) == before


def test_the_command_line_says_error_and_exits_2(ready, tmp_path):
    path, what, _ = spoiled(ready, tmp_path / "work", "picture")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {path} holds what xlscorecard would lose")
    assert what in result.output


def test_an_xlsm_is_never_saved_as_an_xlsx(ready, tmp_path):
    path, _, _ = spoiled(ready, tmp_path / "work", "VBA")
    macro_book = path.rename(path.with_suffix(".xlsm"))
    before = macro_book.read_bytes()
    for command in WRITERS.values():
        with pytest.raises(WorkbookError, match=r"macro-enabled or binary workbook \(\.xlsm\)"):
            command(macro_book)
    assert macro_book.read_bytes() == before
    assert sorted(p.name for p in macro_book.parent.iterdir()) == ["dataset.xlsm"]


def test_the_charts_xlscorecard_draws_on_the_trends_sheet_pass(ready, tmp_path):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(ready, path)
    workbook_file.validate_file(path, backup=False)
    assert load_workbook(path)[sheets.TRENDS]._charts  # drawn again by the save


def test_a_chart_someone_added_to_the_trends_sheet_is_refused(ready, tmp_path):
    """The Trends sheet's charts are drawn again on every save: one added there would go."""
    path = tmp_path / "dataset.xlsx"
    shutil.copy(ready, path)
    chart(path, sheets.TRENDS)
    before = path.read_bytes()
    with pytest.raises(
        WorkbookError, match=r"the Trends sheet holds the chart at Trends!B2, which"
    ):
        workbook_file.validate_file(path, backup=False)
    assert path.read_bytes() == before


def _add_to_trends(path: Path, make) -> None:
    book = load_workbook(path)
    sheet = book[sheets.TRENDS]
    sheet.add_chart(make(sheet), "A1")
    book.save(path)


def test_a_copy_of_one_of_the_trend_charts_is_refused_by_where_and_title(ready, tmp_path):
    """Finding 4: a copy of one of ours drew the same ranges and was silently dropped."""
    from copy import deepcopy

    path = tmp_path / "dataset.xlsx"
    shutil.copy(ready, path)
    _add_to_trends(path, lambda sheet: deepcopy(sheet._charts[0]))
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as refused:
        workbook_file.validate_file(path, backup=False)
    assert "the Trends sheet holds the chart at Trends!A" in str(refused.value)
    assert "titled 'M1 Number of contacts received" in str(refused.value)
    assert "which xlscorecard did not draw" in str(refused.value)
    assert path.read_bytes() == before


def test_a_chart_someone_drew_from_the_trends_data_is_refused(ready, tmp_path):
    """Their own chart plotting only the Trends data block would be lost as well."""
    from openpyxl.chart import LineChart, Reference

    def own(sheet):
        chart = LineChart()
        chart.title = "Contacts and referrals"
        chart.add_data(Reference(sheet, min_col=28, min_row=2, max_row=60))
        return chart

    path = tmp_path / "dataset.xlsx"
    shutil.copy(ready, path)
    _add_to_trends(path, own)
    with pytest.raises(WorkbookError, match="titled 'Contacts and referrals', which xlscorecard"):
        workbook_file.validate_file(path, backup=False)


def test_the_same_chart_anywhere_else_is_refused(ready, tmp_path):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(ready, path)
    chart(path, sheets.CHECKS)
    with pytest.raises(WorkbookError, match="a chart on sheet Checks"):
        workbook_file.validate_file(path, backup=False)


def test_export_only_reads_and_works_on_any_of_them(ready, tmp_path):
    for kind in CORPUS:
        path, _, _ = spoiled(ready, tmp_path / kind, kind)
        written = workbook_file.export_file(path, tmp_path / kind / "exported")
        assert written


def test_the_projects_own_validation_passes(ready, tmp_path):
    """Each input cell's rule and each commentary prompt are xlscorecard's (the writers replace
    them), so a built workbook is not refused for them."""
    path = tmp_path / "dataset.xlsx"
    shutil.copy(ready, path)
    workbook_file.validate_file(path, backup=False)


def test_a_template_with_a_picture_is_refused_before_building(tmp_path):
    from xlscorecard.datadir.folder import load_data_dir
    from xlscorecard.xlsx.template import PACKAGE_TEMPLATE

    template = tmp_path / "template.xlsx"
    shutil.copy(PACKAGE_TEMPLATE, template)
    CORPUS["picture"](template)
    with pytest.raises(WorkbookError, match="a picture on sheet Dataset"):
        build_workbook(load_data_dir(SAMPLE), Month(2020, 8), template)


def test_build_never_writes_an_xlsm(tmp_path):
    from xlscorecard.errors import ScorecardError

    out = tmp_path / "dataset.xlsm"
    with pytest.raises(ScorecardError, match=r"writes Excel Workbooks, whose name ends in \.xlsx"):
        workbook_file.build_file(SAMPLE, Month(2020, 8), out)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_note_on_a_cell_is_kept_and_passes(ready, tmp_path):
    """Notes (Excel's comments before threaded ones) are what openpyxl does keep."""
    from openpyxl.comments import Comment

    from xlscorecard.workbook.layout import SHEET

    path = tmp_path / "dataset.xlsx"
    shutil.copy(ready, path)
    book = load_workbook(path)
    book[SHEET]["B7"].comment = Comment("Definition changed in April.", "a.officer")
    book.save(path)
    workbook_file.validate_file(path, backup=False)
    assert load_workbook(path)[SHEET]["B7"].comment.text == "Definition changed in April."
