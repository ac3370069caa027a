"""The Dataset sheet looks like the published edition: texts, formats, arrows, panes, print."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from xlscorecard.calc.figures import with_calculated
from xlscorecard.model import Unit
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import HEADER_ROW, SHEET, DatasetLayout, Field

AUG_HEADERS = [
    "Ref.",
    "Indicator",
    "Owner",
    "Reporter",
    "Outcome (what impact will monitoring these measures have on the experiences of our children)",
]
AFTER_MONTHS = [
    "% change from Jul-20",
    "% change from Aug-19",
    "DoT",
    "Variation",
    "Assurance",
    "12-mnth avg",
    "12-mnth max.",
    "SN",
    "ENG",
    "SE region",
    "Target 17-18",
    "Target 18-19",
    "Target 19-20",
    "Commentary (Aug-20)",
]


@pytest.fixture(scope="module")
def book(built):
    return load_workbook(built("2020-08"))


@pytest.fixture(scope="module")
def layout(sample):
    return DatasetLayout.for_catalogue(sample.indicators, sample.target_periods, 7)


def header(book, layout):
    sheet = book[SHEET]
    return [sheet.cell(HEADER_ROW, c).value for c in range(1, layout.last_column + 1)]


def test_header_row_has_the_texts_the_aug_20_edition_prints(book, layout):
    texts = header(book, layout)
    assert texts[:5] == AUG_HEADERS
    assert texts[-len(AFTER_MONTHS) :] == AFTER_MONTHS


def test_thirteen_month_columns_end_at_the_report_month(book, layout):
    texts = header(book, layout)
    months = [texts[c - 1] for c in layout.month_columns]
    assert months[0] == dt.datetime(2019, 8, 1) and months[-1] == dt.datetime(2020, 8, 1)
    assert len(months) == 13
    assert book[SHEET].cell(HEADER_ROW, layout.month_columns[0]).number_format == "mmm-yy"


def test_title_block_names_the_dataset_and_month(book):
    sheet = book[SHEET]
    assert sheet["A1"].value == "Children and Families"
    assert sheet["A2"].value == "Aug-20 Monthly dataset"


def test_six_oldest_months_are_grouped_and_collapsed(book, layout):
    sheet = book[SHEET]
    from xlscorecard.workbook.layout import letter

    hidden = [letter(c) for c in layout.hidden_month_columns]
    assert len(hidden) == 6
    dims = sheet.column_dimensions[hidden[0]]
    assert dims.hidden and dims.outline_level == 1
    assert (
        dims.min == layout.hidden_month_columns[0] and dims.max == layout.hidden_month_columns[-1]
    )
    visible = sheet.column_dimensions[letter(layout.month_column(6))]
    assert not visible.hidden


def test_rows_follow_the_catalogue_with_section_bands(book, layout, sample):
    sheet = book[SHEET]
    refs = [sheet.cell(layout.row(ref), 1).value for ref in sample.refs]
    assert refs == sample.refs
    assert [sheet.cell(band.row, 1).value for band in layout.bands][:2] == [
        "Front door (MASH) and referrals",
        "Early help and children in need",
    ]


@pytest.mark.parametrize(
    ("ref", "number_format"), [("M1", "#,##0"), ("M3", "0%"), ("M2-NI", "#,##0"), ("NI147", "0%")]
)
def test_month_cells_are_formatted_by_unit(book, layout, ref, number_format):
    assert book[SHEET][layout.month_cell(ref, 0)].number_format == number_format


def test_change_cells_are_percentages_with_formulas(book, layout):
    cell = book[SHEET][layout.cell("M1", Field.CHANGE_PREVIOUS)]
    assert cell.number_format == '"→ "0%;"→ -"0%'  # sideways, unless a rule shows ↑ or ↓
    assert cell.value.startswith("=IF(") and "ROUND(" in cell.value


def test_derived_months_are_live_formulas_and_inputs_are_values(book, layout):
    sheet = book[SHEET]
    assert sheet[layout.month_cell("M3", 0)].value.startswith("=IF(")
    assert sheet[layout.month_cell("M1", 0)].value == 1343


def test_dot_column_shows_the_polarity_marker(book, layout):
    sheet = book[SHEET]
    assert sheet[layout.cell("M8-QL", Field.DOT)].value == "▲"
    assert sheet[layout.cell("EH2", Field.DOT)].value == "▼"
    assert sheet[layout.cell("M1", Field.DOT)].value is None


def test_change_columns_show_up_and_down_arrows_at_the_threshold(book, layout):
    sheet = book[SHEET]
    rules = {str(rng.sqref): list(rng.rules) for rng in sheet.conditional_formatting}
    column = layout.column(Field.CHANGE_PREVIOUS)
    from xlscorecard.workbook.layout import span

    block = span(min(layout.rows.values()), column, layout.last_row, column)
    found = [(r.formula[0], r.dxf.numFmt.formatCode, r.dxf.fill is not None) for r in rules[block]]
    top = layout.cell("M1", Field.CHANGE_PREVIOUS)
    dot = "$" + layout.cell("M1", Field.DOT)
    rise, fall = f"AND(ISNUMBER({top}),{top}>=0.1)", f"AND(ISNUMBER({top}),{top}<=-0.1)"
    up, down = '"↑ "0%;"↑ -"0%', '"↓ "0%;"↓ -"0%'
    assert found == [
        (f'AND({dot}="▲",{rise})', up, True), (f'AND({dot}="▼",{fall})', down, True),
        (f'AND({dot}="▼",{rise})', up, True), (f'AND({dot}="▲",{fall})', down, True),
        (rise, up, False), (fall, down, False),
    ]  # fmt: skip


def test_panes_freeze_headers_and_indicator_columns(book):
    assert book[SHEET].freeze_panes == "C6"


def test_print_setup_is_a3_landscape_one_page_wide_with_repeated_header(book):
    sheet = book[SHEET]
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "8"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_text_columns_wrap(book, layout):
    sheet = book[SHEET]
    for name in (Field.NAME, Field.OUTCOME, Field.COMMENTARY):
        assert sheet[layout.cell("M1", name)].alignment.wrap_text


def test_supporting_sheets_carry_the_workbooks_own_data(book, sample):
    assert book.sheetnames == sheets.ORDER
    history = list(book[sheets.HISTORY].iter_rows(min_row=2, values_only=True))
    # every figure given, and each derived indicator as calculated from its parts
    assert len(history) == len(with_calculated(sample).values)
    assert history[0][:2] == ("M1", min(m for r, m in sample.values if r == "M1").iso)
    settings = dict(book[sheets.SETTINGS].iter_rows(min_row=2, values_only=True))
    assert settings["report_month"] == "2020-08"
    assert settings[sheets.FORMAT_KEY] == sheets.FORMAT_VERSION


def test_percent_benchmarks_are_fractions(book, layout):
    cell = book[SHEET][layout.cell("M6-QL", Field.SN)]
    assert cell.value == pytest.approx(0.25) and cell.number_format == "0%"


def test_units_map_to_number_formats():
    from xlscorecard.xlsx.styles import NUMBER_FORMATS

    assert NUMBER_FORMATS[Unit.PERCENT] == "0%" and NUMBER_FORMATS[Unit.COUNT] == "#,##0"


def validation_for(sheet, cell: str):
    return [dv for dv in sheet.data_validations.dataValidation if cell in dv.sqref]


def test_input_cells_stop_a_wrong_entry_and_name_the_indicator(book, layout):
    sheet = book[SHEET]
    (count,) = validation_for(sheet, layout.month_cell("M1", 0))
    assert count.type == "custom" and count.showErrorMessage and count.errorStyle == "stop"
    assert "INT(" in count.formula1 and '="-"' in count.formula1
    assert count.promptTitle == "M1" and "Number of contacts received" in count.prompt
    (percent,) = validation_for(sheet, layout.month_cell("NI147", 0))
    assert "<=1" in percent.formula1


def test_derived_cells_have_no_input_validation(book, layout):
    assert validation_for(book[SHEET], layout.month_cell("M3", 0)) == []


def test_only_input_cells_are_unlocked_on_a_protected_sheet(book, layout):
    sheet = book[SHEET]
    assert sheet.protection.sheet
    assert not sheet[layout.month_cell("M1", 0)].protection.locked
    assert not sheet[layout.cell("M1", Field.COMMENTARY)].protection.locked
    for locked in (
        layout.month_cell("M1", 1),
        layout.month_cell("M3", 0),
        layout.cell("M1", Field.AVERAGE),
        layout.cell("M1", Field.NAME),
    ):
        assert sheet[locked].protection.locked, locked


def test_input_cells_are_shaded(book, layout):
    sheet = book[SHEET]
    typed = sheet[layout.month_cell("M1", 0)].fill.fgColor.rgb
    assert typed.endswith("FFF2CC")
    assert sheet[layout.month_cell("M1", 1)].fill.fgColor.rgb != typed
