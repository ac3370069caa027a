"""Every formula cell of every file the project writes stores the value it shows (its cached
value), from the tested Python calculation; LibreOffice's recalculation gives the same values;
readers that do not calculate (pandas, python-calamine) read the figures; and the calculation
settings let Excel trust the values, so that an untouched file does not ask to be saved."""

from __future__ import annotations

import math
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from tests.support.paths import OTHER_COUNCIL
from xlscorecard.app.workbook_file import validate_file
from xlscorecard.calc.figures import report_row
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.model import Month
from xlscorecard.workbook.layout import SHEET, DatasetLayout, Field
from xlscorecard.xlsx.save import CALC_ID, write_workbook
from xlscorecard.xlsx.template import PACKAGE_TEMPLATE

PRODUCED = {
    "template": lambda request: PACKAGE_TEMPLATE,
    "built Aug-20": lambda request: request.getfixturevalue("built")("2020-08"),
    "built Apr-20": lambda request: request.getfixturevalue("built")("2020-04"),
    "built other council": lambda request: request.getfixturevalue("other_council_built"),
    "imported Aug-20": lambda request: request.getfixturevalue("imported"),
    "validated Aug-20": lambda request: request.getfixturevalue("validated"),
    "refreshed Sep-20": lambda request: request.getfixturevalue("refreshed"),
    "official return Aug-20": lambda request: request.getfixturevalue("official_return"),
}
WITH_FORMULAS = [name for name in PRODUCED if name not in ("template", "official return Aug-20")]


@pytest.fixture(params=list(PRODUCED))
def produced(request) -> Path:
    return PRODUCED[request.param](request)


@pytest.fixture(params=WITH_FORMULAS)
def working(request) -> Path:
    return PRODUCED[request.param](request)


def formula_cells(path: Path) -> dict[str, list[str]]:
    """{sheet: [A1 of each formula cell]}."""
    book = load_workbook(path)
    return {
        sheet.title: [cell.coordinate for row in sheet.iter_rows() for cell in row
                      if cell.data_type == "f"]
        for sheet in book.worksheets
    }  # fmt: skip


def calc_properties(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        xml = package.read("xl/workbook.xml").decode()
    (element,) = re.findall(r"<calcPr\b[^>]*>", xml)
    return dict(re.findall(r'(\w+)="([^"]*)"', element))


def test_no_formula_cell_is_written_without_its_value(produced):
    """A number, or text (``t="str"``: an empty text is what a blank result stores)."""
    with zipfile.ZipFile(produced) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        cells = [
            (name, cell)
            for name in sheets
            for cell in re.findall(r"<c [^>]*><f>.*?</c>", package.read(name).decode())
        ]
    empty = [
        f"{name}: {cell}"
        for name, cell in cells
        if not re.search(r"<v>[^<]+</v>", cell) and not ('t="str"' in cell and "<v></v>" in cell)
    ]
    assert empty == []


def test_excel_is_told_the_values_are_its_own_calculation(produced):
    """calcId of Excel 2019 and later, and no full recalculation when the file is opened."""
    assert calc_properties(produced) == {"calcId": str(CALC_ID)}


def same(cached: object, calculated: object) -> bool:
    """Equal, numbers to 12 significant digits (LibreOffice sums with compensation, Python
    does not: the last binary digit may differ; Excel shows 15 digits at most)."""
    if isinstance(cached, bool) or isinstance(calculated, bool):
        return cached == calculated
    if isinstance(cached, int | float) and isinstance(calculated, int | float):
        return math.isclose(cached, calculated, rel_tol=1e-12, abs_tol=1e-15)
    return (cached or "") == (calculated or "")


def test_libreoffice_recalculates_every_cached_value(working, recalc):
    cached = load_workbook(working, data_only=True)
    calculated = recalc(working)
    differ = [
        f"{sheet}!{cell}: cached {cached[sheet][cell].value!r}, "
        f"LibreOffice {calculated[sheet][cell].value!r}"
        for sheet, cells in formula_cells(working).items()
        for cell in cells
        if not same(cached[sheet][cell].value, calculated[sheet][cell].value)
    ]
    assert sum(map(len, formula_cells(working).values())) >= 50  # the other council: 50
    assert differ == []


def derived_figures(month: str, data: Path | None = None):
    """{(row, column): figure} of the derived columns, from calc, for the sample's month."""
    from tests.support.paths import SAMPLE

    dataset = load_data_dir(data or SAMPLE)
    layout = DatasetLayout.for_catalogue(
        dataset.indicators, dataset.target_periods, dataset.settings.visible_months
    )
    found = {}
    for indicator in dataset.indicators:
        row = report_row(dataset, indicator, Month.parse(month))
        r = layout.row(indicator.ref)
        for name, value in (
            (Field.CHANGE_PREVIOUS, row.from_previous.value),
            (Field.CHANGE_YEAR, row.from_last_year.value),
            (Field.AVERAGE, row.average),
            (Field.MAXIMUM, row.maximum),
        ):
            if value is not None:
                found[(r, layout.column(name))] = value
        if indicator.is_derived and isinstance(row.current, float):
            found[(r, layout.month_column(0))] = row.current
    return found


def test_pandas_reads_the_working_workbooks_figures_without_calculating(built):
    path = built("2020-08")
    frame = pd.read_excel(path, sheet_name=SHEET, header=None, engine="openpyxl")
    expected = derived_figures("2020-08")
    wrong = [
        f"{where}: pandas {frame.iat[where[0] - 1, where[1] - 1]!r}, python {value!r}"
        for where, value in expected.items()
        if not same(frame.iat[where[0] - 1, where[1] - 1], value)
    ]
    assert len(expected) > 150 and wrong == []


def test_python_calamine_reads_them_too(other_council_built):
    rows = CalamineWorkbook.from_path(str(other_council_built)).get_sheet_by_name(SHEET)
    grid = rows.to_python(skip_empty_area=False)
    expected = derived_figures("2022-09", OTHER_COUNCIL)
    wrong = [
        f"{where}: calamine {grid[where[0] - 1][where[1] - 1]!r}, python {value!r}"
        for where, value in expected.items()
        if not same(grid[where[0] - 1][where[1] - 1], value)
    ]
    assert expected and wrong == []


def test_the_checks_links_show_their_cell(validated):
    cached = load_workbook(validated, data_only=True)["Checks"]
    links = load_workbook(validated)["Checks"]
    shown = [
        (links.cell(row, 3).value, cached.cell(row, 3).value)
        for row in range(2, links.max_row + 1)
        if str(links.cell(row, 3).value).startswith("=HYPERLINK")
    ]
    assert shown and all(value and formula.endswith(f',"{value}")') for formula, value in shown)


# -- what Python cannot vouch for -----------------------------------------------------------------
def test_a_figure_the_formulas_read_differently_leaves_its_row_to_excel(built, tmp_path, recalc):
    """``12a`` typed in M1: the model reads no figure, the formulas read text. M1's % changes,
    average and maximum (and M3, worked out from M1) get no cached value, the rest do, and the
    file asks Excel to recalculate everything when it opens."""
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    dataset = load_data_dir(Path(__file__).parents[1] / "samples" / "southampton")
    layout = DatasetLayout.for_catalogue(dataset.indicators, dataset.target_periods, 7)
    book = load_workbook(path)
    book[SHEET][layout.month_cell("M1", 0)] = "12a"
    book.save(path)
    validate_file(path, backup=False)
    assert calc_properties(path) == {"calcId": str(CALC_ID), "fullCalcOnLoad": "1"}
    cached = load_workbook(path, data_only=True)[SHEET]
    m1, m3 = layout.row("M1"), layout.row("M3")
    average = layout.column(Field.AVERAGE)
    assert cached.cell(m1, average).value is None and cached.cell(m3, average).value is None
    lac1 = layout.row("LAC1")
    assert same(cached.cell(lac1, average).value, recalc(path)[SHEET].cell(lac1, average).value)


def test_a_formula_someone_added_gets_no_value_and_excel_recalculates(tmp_path):
    book = Workbook()
    book.active["A1"] = 2
    book.active["B1"] = "=A1*2"
    path = write_workbook(book, tmp_path / "theirs.xlsx")
    assert calc_properties(path) == {"calcId": str(CALC_ID), "fullCalcOnLoad": "1"}
    assert load_workbook(path, data_only=True).active["B1"].value is None


def test_text_results_are_stored_as_text_and_escaped(tmp_path):
    from xlscorecard.workbook.cached_values import Shown

    book = Workbook()
    book.active.title = "Sheet"
    book.active["A1"] = '=IF(1,"a & <b>","")'
    book.active["A2"] = "=1/4"
    book.save(tmp_path / "plain.xlsx")
    from xlscorecard.xlsx.save import with_cached_values

    data = with_cached_values(
        (tmp_path / "plain.xlsx").read_bytes(),
        Shown(values={"Sheet": {(1, 1): "a & <b>", (2, 1): 0.25}}),
    )
    (tmp_path / "filled.xlsx").write_bytes(data)
    with zipfile.ZipFile(tmp_path / "filled.xlsx") as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert (
        '<c r="A1" t="str"><f>IF(1,"a &amp; &lt;b&gt;","")</f><v>a &amp; &lt;b&gt;</v></c>' in xml
    )
    sheet = load_workbook(tmp_path / "filled.xlsx", data_only=True)["Sheet"]
    assert (sheet["A1"].value, sheet["A2"].value) == ("a & <b>", 0.25)


def test_a_value_for_a_cell_that_is_not_a_formula_is_a_fault(tmp_path):
    from xlscorecard.workbook.cached_values import Shown
    from xlscorecard.xlsx.save import with_cached_values

    book = Workbook()
    book.active.title = "Sheet"
    book.active["A1"] = 5
    book.save(tmp_path / "plain.xlsx")
    with pytest.raises(AssertionError, match="no openpyxl formula cell at A1"):
        with_cached_values(
            (tmp_path / "plain.xlsx").read_bytes(), Shown(values={"Sheet": {(1, 1): 5}})
        )
