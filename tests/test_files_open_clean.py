"""Every file the project writes opens clean in the spreadsheet programs we can run.

Excel is not here. What stands in for it: openxml-audit checks each part against the Open XML
SDK's schema data (its one known false positive, openpyxl's order of a font's children, is
filtered exactly, by :func:`xlscorecard.lint.audit_file`); :func:`xlscorecard.lint.lint_file`
checks what schema validation cannot see but makes Excel offer to repair a file; LibreOffice
opens each workbook and recalculates it. LibreOffice only reads: what it writes goes to scratch
folders and is never shipped (its re-saved .xlsx is lossy).

Each lint check also has its own failing case here, on a small deliberately broken file, so
that none of them is a check that cannot fail.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule, IconSetRule
from openpyxl.styles import Font
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

from tests.support.paths import OTHER_COUNCIL, ROOT, SAMPLE
from xlscorecard.app.workbook_file import build_file as build
from xlscorecard.lint import audit_file, lint_file
from xlscorecard.model.months import Month
from xlscorecard.xlsx.template import PACKAGE_TEMPLATE

ADDIN = ROOT / "macros" / "xlscorecard.xlam"


@pytest.fixture(scope="session")
def other_council(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("other") / "other-council-2022-09.xlsx"
    build(OTHER_COUNCIL, Month(2022, 9), path)
    return path


@pytest.fixture(scope="session")
def lite_built(tmp_path_factory) -> Path:
    """The Aug-20 sample built carrying xlwings Lite's code (web extension parts)."""
    path = tmp_path_factory.mktemp("lite") / "dataset-lite.xlsx"
    build(SAMPLE, Month(2020, 8), path, lite=True)
    return path


# Every file the project writes, by what a user would call it. A new kind of file is one line.
PRODUCED: dict[str, Callable[[pytest.FixtureRequest], Path]] = {
    "template": lambda request: PACKAGE_TEMPLATE,
    "built Aug-20": lambda request: request.getfixturevalue("built")("2020-08"),
    "built Apr-20": lambda request: request.getfixturevalue("built")("2020-04"),
    "built other council": lambda request: request.getfixturevalue("other_council"),
    "built Aug-20 for xlwings Lite": lambda request: request.getfixturevalue("lite_built"),
    "refreshed Aug-20 to Sep-20": lambda request: request.getfixturevalue("refreshed"),
    "add-in": lambda request: ADDIN,
    "official return Aug-20": lambda request: request.getfixturevalue("official_return"),
    "commentary request Aug-20": lambda request: commentary_request(request),
}
WORKBOOKS = [name for name in PRODUCED if name != "add-in"]


def commentary_request(request) -> Path:
    """The Aug-20 sample's request to Mary Hardy (rows, a needed comment, queries)."""
    from xlscorecard.app.request_file import requests_file

    folder = request.getfixturevalue("tmp_path_factory").getbasetemp() / "commentary-request"
    path = folder / "requests" / "Mary Hardy Aug-20.xlsx"
    if not path.exists():
        folder.mkdir(exist_ok=True)
        shutil.copy(request.getfixturevalue("built")("2020-08"), folder / "dataset.xlsx")
        requests_file(folder / "dataset.xlsx", folder / "requests")
    return path


@pytest.fixture(params=list(PRODUCED))
def produced(request) -> Path:
    return PRODUCED[request.param](request)


@pytest.fixture(params=WORKBOOKS)
def workbook(request) -> Path:
    return PRODUCED[request.param](request)


# --- our files ---------------------------------------------------------------------------------


def test_openxml_audit_finds_no_error(produced):
    assert [str(error) for error in audit_file(produced)] == []


def test_openxml_audit_warns_of_nothing_but_openpyxls_inline_strings(produced):
    """Warnings do not fail openxml-audit; the one it gives is that openpyxl writes strings
    inline, which Excel moves to a shared table when it next saves the file (no repair)."""
    warnings = {error.id for error in audit_file(produced, warnings=True)}
    assert warnings <= {"Excel_InlineStrCells"}


def test_lint_finds_nothing_excel_would_repair(produced):
    assert [str(problem) for problem in lint_file(produced)] == []


ERROR_VALUE = re.compile(r"^(#DIV/0!|#REF!|#NAME\?|#VALUE!|#N/A|#NUM!|#NULL!|Err:\d+)$")


def error_values(book) -> list[str]:
    """Cells whose recalculated value is an error, as Sheet!A1 = value."""
    return [
        f"{sheet.title}!{cell.coordinate} = {cell.value}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and ERROR_VALUE.match(cell.value)
    ]


def test_libreoffice_recalculates_without_error_values(workbook, recalc):
    book = recalc(workbook)
    assert book.sheetnames  # LibreOffice opened it
    assert error_values(book) == []


def test_an_error_value_after_recalculation_would_be_caught(tmp_path, recalc):
    book = Workbook()
    book.active["A1"] = "=1/0"
    book.active["A2"] = "=NOSUCHFUNCTION(1)"
    book.save(tmp_path / "errors.xlsx")
    assert error_values(recalc(tmp_path / "errors.xlsx")) == [
        "Sheet!A1 = #DIV/0!",
        "Sheet!A2 = #NAME?",
    ]


# --- openxml-audit's filter is narrow ---------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A small workbook with one of everything the lint checks: styles, a table, a defined name,
    a formula, merged cells, conditional formats (an icon set, a dxf), a data validation."""
    path = tmp_path_factory.mktemp("small") / "small.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    for row in (["ref", "value"], ["M1", 3], ["M2", 4]):
        sheet.append(row)
    sheet["A1"].font = Font(name="Arial", size=10, bold=True)
    sheet["D1"] = "=SUM(B2:B3)"
    sheet.merge_cells("D3:E3")
    sheet.add_table(Table(displayName="FigureTable", ref="A1:B3"))
    sheet.conditional_formatting.add("B2:B3", IconSetRule("3Arrows", "num", [0, 1, 3]))
    bold = CellIsRule(operator="greaterThan", formula=["3"], font=Font(bold=True))
    sheet.conditional_formatting.add("B2:B3", bold)
    validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    validation.add("B2:B3")
    sheet.add_data_validation(validation)
    book.defined_names["Threshold"] = DefinedName("Threshold", attr_text="Figures!$B$2")
    book.save(path)
    return path


def edited(source: Path, target: Path, part: str, old: str, new: str) -> Path:
    """A copy of ``source`` with the first ``old`` in ``part`` replaced by ``new``."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == part:
                assert old.encode() in data, f"{old!r} not in {part}"
                data = data.replace(old.encode(), new.encode(), 1)
            copy.writestr(info, data)
    return target


STYLES = "xl/styles.xml"
SHEET1 = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"


def test_the_small_workbook_is_clean(small):
    assert lint_file(small) == []
    assert audit_file(small) == []


def test_openxml_audit_reports_openpyxls_font_order_which_the_filter_removes(small):
    from openxml_audit import OpenXmlValidator

    raw = [str(error) for error in OpenXmlValidator().validate(str(small)).errors]
    assert any("fonts[1]/font[2]: Unexpected element 'b' found" in error for error in raw)
    assert audit_file(small) == []


def test_openxml_audit_still_reports_another_schema_error_in_styles(small, tmp_path):
    broken = edited(small, tmp_path / "b.xlsx", STYLES, 'patternType="gray125"', 'patternType="x"')
    assert [error.path for error in audit_file(broken)] == [
        "/styleSheet[1]/fills[1]/fill[2]/patternFill[1]"
    ]


def test_openxml_audit_still_reports_a_bad_value_in_a_font(small, tmp_path):
    broken = edited(small, tmp_path / "b.xlsx", STYLES, '<sz val="10"/>', '<sz val="ten"/>')
    assert [
        "Invalid decimal value: 'ten'" in error.description for error in audit_file(broken)
    ] == [True]


def test_openxml_audit_still_reports_an_unknown_element_in_a_font(small, tmp_path):
    broken = edited(small, tmp_path / "b.xlsx", STYLES, '<sz val="10"/>', '<sz val="10"/><glow/>')
    assert [error.path for error in audit_file(broken)] == ["/styleSheet[1]/fonts[1]/font[2]"]


def test_openxml_audit_still_reports_a_font_property_given_twice(small, tmp_path):
    broken = edited(small, tmp_path / "b.xlsx", STYLES, '<b val="1"/>', '<b val="1"/><b val="1"/>')
    assert [error.path for error in audit_file(broken)] == ["/styleSheet[1]/fonts[1]/font[2]"]


# --- each lint check fails on its own broken file ---------------------------------------------


def lint_after(small: Path, tmp_path: Path, part: str, old: str, new: str) -> list[str]:
    return [
        str(problem) for problem in lint_file(edited(small, tmp_path / "b.xlsx", part, old, new))
    ]


def test_lint_reports_a_table_column_named_unlike_its_header_cell(small, tmp_path):
    found = lint_after(small, tmp_path, "xl/tables/table1.xml", 'name="value"', 'name="Value"')
    assert found == [
        "xl/tables/table1.xml table 'FigureTable' column 'Value': "
        "its header cell Figures!B1 holds 'value'"
    ]


def test_lint_reports_a_header_cell_changed_under_its_table(small, tmp_path):
    found = lint_after(small, tmp_path, SHEET1, "<t>ref</t>", "<t>Ref.</t>")
    assert found == [
        "xl/tables/table1.xml table 'FigureTable' column 'ref': "
        "its header cell Figures!A1 holds 'Ref.'"
    ]


def test_lint_reports_a_table_with_too_few_columns(small, tmp_path):
    found = lint_after(small, tmp_path, "xl/tables/table1.xml", 'ref="A1:B3"', 'ref="A1:C3"')
    assert "xl/tables/table1.xml table 'FigureTable': 2 tableColumns for 3 columns" in found


def test_lint_reports_a_name_defined_twice_in_one_scope(small, tmp_path):
    name = '<definedName name="Threshold">Figures!$B$2</definedName>'
    found = lint_after(
        small, tmp_path, WORKBOOK, name, name + name.replace("Threshold", "THRESHOLD")
    )
    assert found == [
        "xl/workbook.xml definedName 'THRESHOLD': the name is defined twice in the same scope"
    ]


def test_lint_allows_one_name_in_two_scopes(small, tmp_path):
    name = '<definedName name="Threshold">Figures!$B$2</definedName>'
    scoped = name.replace('name="Threshold"', 'name="Threshold" localSheetId="0"')
    assert lint_after(small, tmp_path, WORKBOOK, name, name + scoped) == []


def test_lint_reports_a_sheet_name_over_31_characters(small, tmp_path):
    long = "Figures for the month, as reported"
    found = lint_after(small, tmp_path, WORKBOOK, 'name="Figures"', f'name="{long}"')
    assert found == [f"xl/workbook.xml sheet '{long}': the name has 34 characters; Excel allows 31"]


def test_lint_reports_a_sheet_name_with_a_forbidden_character(small, tmp_path):
    found = lint_after(small, tmp_path, WORKBOOK, 'name="Figures"', 'name="Figures 08/20"')
    assert found == ["xl/workbook.xml sheet 'Figures 08/20': the name contains /"]


def test_lint_reports_a_cell_style_out_of_range(small, tmp_path):
    found = lint_after(small, tmp_path, SHEET1, '<c r="A1" s="1"', '<c r="A1" s="7"')
    assert found == ["xl/worksheets/sheet1.xml Figures!A1: index 7 is out of range: cellXfs has 2"]


def test_lint_reports_a_font_index_out_of_range(small, tmp_path):
    found = lint_after(small, tmp_path, STYLES, 'fontId="1"', 'fontId="9"')
    assert found == ["xl/styles.xml cellXfs/xf[1]: index 9 is out of range: fonts has 2"]


def test_lint_reports_an_undefined_number_format(small, tmp_path):
    found = lint_after(
        small, tmp_path, STYLES, 'numFmtId="0" fontId="1"', 'numFmtId="170" fontId="1"'
    )
    assert found == ["xl/styles.xml cellXfs/xf[1]: numFmtId 170 is not defined"]


def test_lint_reports_a_conditional_format_dxf_out_of_range(small, tmp_path):
    found = lint_after(small, tmp_path, SHEET1, 'dxfId="0"', 'dxfId="3"')
    assert found == [
        "xl/worksheets/sheet1.xml Figures!B2:B3 conditional format 2: "
        "index 3 is out of range: dxfs has 1"
    ]


def test_lint_reports_an_icon_set_with_too_few_thresholds(small, tmp_path):
    found = lint_after(small, tmp_path, SHEET1, '<cfvo type="num" val="3"/>', "")
    assert found == [
        "xl/worksheets/sheet1.xml Figures iconSet 3Arrows: 2 thresholds (cfvo) for 3 icons"
    ]


def test_lint_reports_an_icon_set_with_too_many_thresholds(small, tmp_path):
    found = lint_after(small, tmp_path, SHEET1, 'iconSet="3Arrows"', 'iconSet="4Arrows"')
    found += lint_after(small, tmp_path, SHEET1, 'iconSet="3Arrows"', 'iconSet="3Arrow"')
    assert found == [
        "xl/worksheets/sheet1.xml Figures iconSet 4Arrows: 3 thresholds (cfvo) for 4 icons",
        "xl/worksheets/sheet1.xml Figures iconSet 3Arrow: '3Arrow' is not an icon set",
    ]


def test_lint_reports_overlapping_merged_cells(small, tmp_path):
    merge = '<mergeCell ref="D3:E3"/>'
    found = lint_after(small, tmp_path, SHEET1, merge, merge + '<mergeCell ref="E2:F3"/>')
    assert found == [
        "xl/worksheets/sheet1.xml Figures!E2:F3 merged cells: overlap the merged cells D3:E3"
    ]


def test_lint_reports_a_cell_formula_with_an_unclosed_bracket(small, tmp_path):
    found = lint_after(small, tmp_path, SHEET1, "<f>SUM(B2:B3)</f>", "<f>SUM(B2:B3</f>")
    assert found == [
        "xl/worksheets/sheet1.xml Figures!D1: the formula 'SUM(B2:B3' does not parse: "
        "1 bracket(s) left open"
    ]


def test_lint_reports_a_cell_formula_with_a_stray_closing_bracket(small, tmp_path):
    found = lint_after(small, tmp_path, SHEET1, "<f>SUM(B2:B3)</f>", "<f>SUM(B2:B3))</f>")
    assert found == [
        "xl/worksheets/sheet1.xml Figures!D1: the formula 'SUM(B2:B3))' does not parse: "
        "a closing bracket with nothing open"
    ]


def test_lint_reports_a_conditional_format_formula_that_does_not_parse(small, tmp_path):
    found = lint_after(small, tmp_path, SHEET1, "<formula>3</formula>", "<formula>3+</formula>")
    assert found == [
        "xl/worksheets/sheet1.xml Figures!B2:B3 conditional format 2: the formula '3+' "
        "does not parse: it ends with the operator '+'"
    ]


def test_lint_reports_a_defined_name_that_does_not_parse(small, tmp_path):
    found = lint_after(small, tmp_path, WORKBOOK, "Figures!$B$2<", "'Figures!$B$2<")
    assert len(found) == 1 and found[0].startswith("xl/workbook.xml definedName 'Threshold'")


def test_lint_reports_a_ribbon_without_its_relationship(tmp_path):
    found = lint_after(
        ADDIN, tmp_path, "_rels/.rels", "customUI/customUI.xml", "customUI/elsewhere.xml"
    )
    assert found == [
        "_rels/.rels ribbon relationship rId4: points at customUI/elsewhere.xml, "
        "which is not in the package",
        "customUI/customUI.xml customUI: no ribbon relationship in _rels/.rels reaches it",
    ]


def test_lint_reports_a_ribbon_whose_relationship_names_the_other_namespace(tmp_path):
    """xlwings' quickstart add-in pairs a 2006/01 ribbon with the Office 2010 relationship."""
    from xlscorecard.addin.build import stock_addin

    assert [str(p) for p in lint_file(stock_addin())] == [
        "customUI/customUI.xml customUI: its relationship rId4 is of type "
        "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility, which names a "
        "part in the other namespace; http://schemas.microsoft.com/office/2006/01/customui "
        "needs http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
    ]


def test_lint_reports_a_data_validation_beyond_the_sheet(small, tmp_path):
    found = lint_after(small, tmp_path, SHEET1, 'sqref="B2:B3" show', 'sqref="B2:B1048577" show')
    assert found == [
        "xl/worksheets/sheet1.xml Figures!B2:B1048577 data validation: "
        "B2:B1048577 is not a range on the sheet"
    ]


def test_lint_reports_a_data_validation_formula_that_does_not_parse(small, tmp_path):
    found = lint_after(small, tmp_path, SHEET1, "<formula1>0</formula1>", '<formula1>"0</formula1>')
    assert len(found) == 1
    assert found[0].startswith("xl/worksheets/sheet1.xml Figures!B2:B3 data validation formula1")


def test_lint_reports_two_data_validations_on_one_cell(small, tmp_path):
    validation = "</dataValidation>"
    second = '</dataValidation><dataValidation sqref="B3:B4" type="whole"><formula1>1</formula1>'
    found = lint_after(small, tmp_path, SHEET1, validation, second + validation)
    assert found == [
        "xl/worksheets/sheet1.xml Figures!B3:B4 data validation: "
        "overlaps the data validation of B2:B3"
    ]


def test_lint_reports_a_sheet_whose_part_is_missing(small, tmp_path):
    rels = "xl/_rels/workbook.xml.rels"
    found = lint_after(
        small,
        tmp_path,
        rels,
        'Target="/xl/worksheets/sheet1.xml"',
        'Target="/xl/worksheets/sheet9.xml"',
    )
    assert found == ["xl/workbook.xml sheet 'Figures': no part"]


def test_lint_reports_a_package_without_a_workbook(small, tmp_path):
    found = lint_after(
        small, tmp_path, "_rels/.rels", "relationships/officeDocument", "relationships/other"
    )
    assert found[0] == "_rels/.rels relationships: no officeDocument (workbook) part"


def test_lint_reports_two_sheets_whose_names_differ_only_in_case(small, tmp_path):
    book = load_workbook(small)
    book.create_sheet("Notes")
    book.save(tmp_path / "two.xlsx")
    found = lint_after(tmp_path / "two.xlsx", tmp_path, WORKBOOK, 'name="Notes"', 'name="FIGURES"')
    assert found == ["xl/workbook.xml sheet 'FIGURES': another sheet has the same name"]


def test_lint_refuses_a_file_that_is_not_a_workbook(tmp_path):
    from xlscorecard.lint import LintError

    (tmp_path / "notes.xlsx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(LintError, match="not an Excel file"):
        lint_file(tmp_path / "notes.xlsx")
