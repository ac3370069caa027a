"""The published workbook is accessible: colour is never the only carrier of meaning (arrows,
markers and words carry it too), header cells are real headers, sheets have descriptive names,
and the file and its PDF carry the title and the month in their metadata.

These tests read what the files say. How Excel's accessibility checker and a screen reader
announce them (icon sets, print titles, frozen headers) only Excel itself can show.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlscorecard.calc.figures import polarity_marker
from xlscorecard.model import Polarity
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import HEADER_ROW, SHEET, Field, letter
from xlscorecard.xlsx.styles import style_name
from xlscorecard.xlsx.writer import layout_for

# The published files, with the report month they show. A new one is one line.
PUBLISHED: dict[str, tuple[str, Callable[[pytest.FixtureRequest], Path]]] = {
    "built Aug-20": ("Aug-20", lambda request: request.getfixturevalue("built")("2020-08")),
    "refreshed Sep-20": ("Sep-20", lambda request: request.getfixturevalue("refreshed")),
    "return Aug-20": ("Aug-20", lambda request: request.getfixturevalue("official_return")),
}


@pytest.fixture(scope="module", params=list(PUBLISHED))
def published(request):
    """(report month label, path, openpyxl workbook)."""
    month, make = PUBLISHED[request.param]
    path = make(request)
    return month, path, load_workbook(path)


@pytest.fixture(scope="module")
def layout(sample):
    return layout_for(sample)


def rules_on(sheet, column: int) -> list[tuple[str, object]]:
    """(range, rule) for every conditional format rule whose range covers ``column``."""
    found = []
    for formatting, rules in sheet.conditional_formatting._cf_rules.items():
        for cell_range in formatting.sqref.ranges:
            if cell_range.min_col <= column <= cell_range.max_col:
                found += [(cell_range.coord, rule) for rule in rules]
    return found


CHANGE_COLUMNS = (Field.CHANGE_PREVIOUS, Field.CHANGE_YEAR)


# --- colour is never the only carrier of meaning --------------------------------------------------


def arrow_rules(book, layout, name) -> list:
    """The rules of a % change column that put an arrow beside the figure (a number format)."""
    found = rules_on(book[SHEET], layout.column(name))
    return [rule for _, rule in found if rule.dxf is not None and rule.dxf.numFmt is not None]


def test_the_change_columns_show_an_arrow_beside_the_figure(published, layout):
    """Every change shows an arrow as a character in its own text (``↓ -69%``): sideways by
    the cell's format, up or down by a conditional one, so a reader needs no colour."""
    _, _, book = published
    for name in CHANGE_COLUMNS:
        cell = book[SHEET].cell(layout.row("M1"), layout.column(name))
        assert cell.number_format.startswith('"→ "'), name
        formats = {rule.dxf.numFmt.formatCode for rule in arrow_rules(book, layout, name)}
        assert {code[:3] for code in formats} == {'"↑ ', '"↓ '}, name


def test_every_coloured_change_has_an_arrow_in_the_same_cells(published, layout):
    _, _, book = published
    for name in CHANGE_COLUMNS:
        found = rules_on(book[SHEET], layout.column(name))
        coloured = [rule for _, rule in found if rule.dxf is not None and rule.dxf.fill]
        assert coloured and all(rule.dxf.numFmt is not None for rule in coloured), name


def test_colour_shows_only_where_the_arrow_points_up_or_down(published, layout, sample):
    """Green or red needs a change of at least the threshold: the same test that turns the
    sideways arrow to an up or down one."""
    _, _, book = published
    threshold = sample.settings.arrow_threshold
    for name in CHANGE_COLUMNS:
        for rule in arrow_rules(book, layout, name):
            (formula,) = rule.formula
            limits = {float(x) for x in re.findall(r"[<>]=(-?[\d.]+)", formula)}
            assert limits in ({threshold}, {-threshold}), formula
            assert rule.stopIfTrue, "the first rule that holds applies, in Excel as in Calc"


def test_colour_follows_the_dot_marker_that_is_printed_as_text(published, layout):
    """The good/bad colour is worked out from the row's DoT marker (▲/▼, text on the sheet)
    and the direction of the change (the arrow): a reader without colour has both."""
    _, _, book = published
    dot = letter(layout.column(Field.DOT))
    for name in CHANGE_COLUMNS:
        coloured = [rule for rule in arrow_rules(book, layout, name) if rule.dxf.fill]
        formulas = " ".join(rule.formula[0] for rule in coloured)
        assert all(f"${dot}" in rule.formula[0] for rule in coloured)
        assert '"▲"' in formulas and '"▼"' in formulas


def test_the_dot_column_marks_each_indicators_polarity_in_text(published, layout, sample):
    _, _, book = published
    sheet, column = book[SHEET], layout.column(Field.DOT)
    for indicator in sample.indicators:
        value = sheet.cell(layout.row(indicator.ref), column).value or ""
        assert value == polarity_marker(indicator.polarity), indicator.ref
    polarities = {indicator.polarity for indicator in sample.indicators}
    assert {Polarity.UP, Polarity.DOWN} <= polarities


def test_the_key_says_in_words_what_markers_arrows_and_colours_mean(published):
    _, _, book = published
    texts = [cell.value for row in book[SHEET].iter_rows(max_row=HEADER_ROW) for cell in row]
    key = next(text for text in texts if isinstance(text, str) and text.startswith("Key"))
    for words in ("▲ higher is better", "▼ lower is better", "↑ / ↓", "→", "green", "red"):
        assert words in key


# --- headers and names ----------------------------------------------------------------------------


def test_sheet_names_are_descriptive(published):
    _, _, book = published
    assert book.sheetnames == sheets.ORDER
    for name in book.sheetnames:
        assert not re.fullmatch(r"(?i)sheet\s*\d*", name) and len(name) <= 31, name


def test_the_dataset_header_row_is_a_print_title(published):
    _, _, book = published
    assert book[SHEET].print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_the_dataset_header_cells_are_styled_and_filled_as_headers(published, layout):
    _, _, book = published
    row = book[SHEET][HEADER_ROW][: layout.last_column]
    assert all(cell.value not in (None, "") for cell in row)
    assert {cell.style for cell in row} == {style_name("header")}
    assert all(cell.font.b for cell in row)


def test_the_dataset_header_row_stays_in_view(published):
    _, _, book = published
    assert book[SHEET].freeze_panes.endswith(str(HEADER_ROW + 1))


def test_the_supporting_sheets_freeze_a_styled_header_row(published):
    _, _, book = published
    for name in sheets.SUPPORTING:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        header = [cell.value for cell in sheet[1]]
        assert header == sheets.COLUMNS[name], name
        assert {cell.style for cell in sheet[1]} == {style_name("table header")}, name


def test_every_table_of_the_return_has_one_header_row(official_return):
    """Screen readers announce a table's header row: each supporting sheet of the return that
    holds rows is one Excel table over them, headed by row 1 (the working workbook has none)."""
    book = load_workbook(official_return)
    for name in sheets.SUPPORTING:
        sheet = book[name]
        if sheet.max_row == 1:
            continue
        (table,) = sheet.tables.values()
        assert table.headerRowCount in (None, 1), name
        assert table.ref.startswith("A1:") and table.ref.endswith(str(sheet.max_row)), name


# --- metadata -------------------------------------------------------------------------------------


def test_the_document_title_names_the_month(published):
    month, _, book = published
    assert book.properties.title == f"Children and Families {month} Monthly dataset"
    council, _, subject = book.properties.subject.partition(": ")
    assert council == "Southampton City Council" and month in subject


def test_the_pdf_title_names_the_month(published, dataset_pdf):
    """The PDF published beside the file (a return's), else the Dataset sheet printed."""
    month, path, _ = published
    pdf = path.with_suffix(".pdf") if path.with_suffix(".pdf").exists() else dataset_pdf(path)
    output = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    info = dict(line.split(":", 1) for line in output.splitlines() if ":" in line)
    assert info["Title"].strip() == f"Children and Families {month} Monthly dataset"
    assert month in info["Subject"]
