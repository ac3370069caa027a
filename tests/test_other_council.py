"""Another council's catalogue (other refs, sections, units, targets) builds with no code change."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from tests.support.paths import OTHER_COUNCIL
from xlscorecard.app.workbook_file import build_file as build
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.model.months import Month
from xlscorecard.workbook.layout import HEADER_ROW, SHEET, DatasetLayout, Field


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    path = tmp_path_factory.mktemp("other") / "other.xlsx"
    build(OTHER_COUNCIL, Month(2022, 9), path)
    dataset = load_data_dir(OTHER_COUNCIL)
    layout = DatasetLayout.for_catalogue(
        dataset.indicators, dataset.target_periods, dataset.settings.visible_months
    )
    return load_workbook(path)[SHEET], layout


def test_title_uses_the_councils_own_names(other):
    sheet, _ = other
    assert sheet["A1"].value == "Children's Social Care"
    assert sheet["A2"].value == "Sep-22 Performance scorecard"


def test_sections_and_refs_come_from_the_catalogue(other):
    sheet, layout = other
    assert [b.title for b in layout.bands] == ["Front door", "Children in need"]
    assert sheet.cell(layout.row("CIN-2"), 1).value == "CIN-2"


def test_its_own_target_period_and_visible_months(other):
    sheet, layout = other
    assert sheet.cell(HEADER_ROW, layout.target_column("2022-23")).value == "Target 22-23"
    assert len(layout.hidden_month_columns) == 13 - 5
    assert sheet.cell(HEADER_ROW, layout.column(Field.COMMENTARY)).value == "Commentary (Sep-22)"
