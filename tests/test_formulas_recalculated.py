"""The workbook's live formulas, recalculated by LibreOffice, equal the Python calculation."""

from __future__ import annotations

import math

import pytest

from tests.support.paths import OTHER_COUNCIL
from xlscorecard.app.workbook_file import build_file as build
from xlscorecard.calc.figures import report_row
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.model import NOT_APPLICABLE
from xlscorecard.model.months import Month
from xlscorecard.workbook.formulas import NOT_AVAILABLE
from xlscorecard.workbook.layout import SHEET, DatasetLayout, Field

MONTHS = ["2020-04", "2020-08"]


def same(cell_value, python_value) -> bool:
    if python_value is None:
        return cell_value in (None, "", NOT_AVAILABLE, NOT_APPLICABLE)
    if python_value == NOT_APPLICABLE:
        return cell_value == NOT_APPLICABLE
    if not isinstance(cell_value, int | float):
        return False
    return math.isclose(cell_value, python_value, rel_tol=1e-9, abs_tol=1e-12)


def differences(dataset, sheet, month: str) -> list[str]:
    """Every derived cell whose recalculated value differs from the Python figure."""
    sample = dataset
    layout = DatasetLayout.for_catalogue(
        sample.indicators, sample.target_periods, sample.settings.visible_months
    )
    found = []
    for indicator in sample.indicators:
        row = report_row(sample, indicator, Month.parse(month))
        expected = {
            layout.column(Field.CHANGE_PREVIOUS): row.from_previous.value,
            layout.column(Field.CHANGE_YEAR): row.from_last_year.value,
            layout.column(Field.AVERAGE): row.average,
            layout.column(Field.MAXIMUM): row.maximum,
        }
        if indicator.is_derived:
            for offset in range(len(row.figures)):
                expected[layout.month_column(offset)] = row.figures[-1 - offset]
        for column, value in expected.items():
            got = sheet.cell(layout.row(indicator.ref), column).value
            if not same(got, value):
                found.append(f"{indicator.ref} column {column}: sheet {got!r}, python {value!r}")
    return found


@pytest.mark.parametrize("month", MONTHS)
def test_every_derived_cell_equals_the_python_figure(sample, recalculated, month):
    found = differences(sample, recalculated(month)[SHEET], month)
    assert not found, "\n".join(found)


def test_another_councils_workbook_recalculates_to_the_python_figures(recalc, tmp_path):
    dataset = load_data_dir(OTHER_COUNCIL)
    path = tmp_path / "other.xlsx"
    build(OTHER_COUNCIL, Month(2022, 9), path)
    found = differences(dataset, recalc(path)[SHEET], "2022-09")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("month", MONTHS)
def test_recalculation_leaves_no_error_values(recalculated, month):
    book = recalculated(month)
    errors = [
        f"{sheet.title}!{cell.coordinate}={cell.value}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("#")
    ]
    assert not errors
