"""The Dataset sheet's Variation and Assurance columns: beside DoT, an icon and words in every
row, coloured in Making Data Count's colours by conditional formats keyed on the words (so a
refresh that writes values alone keeps the colours right), with text that reads on each colour,
and kept in the official return."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from tests.support.harness import press
from xlscorecard.app import workbook_file
from xlscorecard.calc.spc_report import ASSURANCE_WORDS, VARIATION_WORDS, spc_report
from xlscorecard.model import Month
from xlscorecard.workbook.layout import HEADER_ROW, SHEET, Field, address, span
from xlscorecard.xlsx.styles import MDC_COLOURS, MDC_TEXT, SPC_KINDS, spc_key
from xlscorecard.xlsx.writer import layout_for

AUG = Month(2020, 8)
COLUMNS = (Field.VARIATION, Field.ASSURANCE)


@pytest.fixture(scope="module")
def layout(sample):
    return layout_for(sample)


def begins_with_rules(sheet, layout):
    """(range, key text, fill colour, font colour) of each text rule on the two columns."""
    found = []
    for formatting, rules in sheet.conditional_formatting._cf_rules.items():
        for rule in rules:
            if rule.type == "beginsWith":
                fill, font = rule.dxf.fill.bgColor.rgb, rule.dxf.font.color.rgb
                found.append((str(formatting.sqref), rule.text, fill[-6:], font[-6:], rule))
    return found


def colour_of(text: str, rules) -> str | None:
    """The fill a cell holding ``text`` gets: Excel's "begins with" test of each rule, in
    priority order (the first that holds wins)."""
    for _, key, fill, _, rule in sorted(rules, key=lambda found: found[4].priority):
        (formula,) = rule.formula
        assert formula.startswith("LEFT(") and f'LEN("{key}"))="{key}"' in formula
        if text.startswith(key):
            return fill
    return None


def test_variation_and_assurance_are_the_two_columns_after_dot(built, layout):
    sheet = load_workbook(built("2020-08"))[SHEET]
    dot = layout.column(Field.DOT)
    assert [layout.column(name) for name in COLUMNS] == [dot + 1, dot + 2]
    header = [sheet.cell(HEADER_ROW, dot + k).value for k in range(3)]
    assert header == ["DoT", "Variation", "Assurance"]


def test_every_indicators_row_says_its_variation_and_assurance_in_words(built, layout, sample):
    sheet = load_workbook(built("2020-08"))[SHEET]
    report = spc_report(sample, AUG)
    for ref, result in report.items():
        row = layout.row(ref)
        variation = sheet.cell(row, layout.column(Field.VARIATION)).value
        assurance = sheet.cell(row, layout.column(Field.ASSURANCE)).value
        assert variation == result.variation_text and variation, ref
        assert assurance == result.assurance_text, ref
    texts = {sheet.cell(layout.row(ref), layout.column(Field.VARIATION)).value for ref in report}
    assert {"● Improvement (high)", "● Neither (low)", "● Concern (low)", "○ Common cause"} <= texts


def test_each_kind_of_icon_is_coloured_as_mdc_colours_it(built, layout):
    sheet = load_workbook(built("2020-08"))[SHEET]
    rules = begins_with_rules(sheet, layout)
    first, final = (layout.column(name) for name in COLUMNS)
    top = min(layout.rows.values())
    assert {where for where, *_ in rules} == {span(top, first, layout.last_row, final)}
    assert all(address(top, first) in rule.formula[0] for *_, rule in rules)
    words = {**VARIATION_WORDS, **ASSURANCE_WORDS}
    expected = {"improvement": "00B0F0", "concern": "E46C0A", "neither": "490092",
                "common": "A6A6A6"}  # fmt: skip
    for icon, text in words.items():
        assert colour_of(text, rules) == expected[SPC_KINDS[icon]], icon
    assert colour_of("Too few months (11 of 13)", rules) is None
    assert colour_of("No figure yet", rules) is None


def test_the_colour_is_never_alone_each_icon_has_its_own_words():
    words = {**VARIATION_WORDS, **ASSURANCE_WORDS}
    assert len(set(words.values())) == len(words)
    assert len({spc_key(text) for text in words.values()}) == len(MDC_COLOURS) + 3  # + P, F, ?
    for text in words.values():
        assert text[0] in "●○" and text[2:].strip(), text


def luminance(rgb: str) -> float:
    """WCAG 2.1 relative luminance of a colour like ``00B0F0``."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(rgb[k : k + 2]) for k in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_wcag_contrast_is_computed_as_the_standard_defines_it():
    assert contrast("FFFFFF", "000000") == pytest.approx(21)
    assert contrast("777777", "FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("kind", list(MDC_COLOURS))
def test_the_text_on_each_colour_reads_with_a_contrast_of_at_least_4_5(kind):
    assert contrast(MDC_TEXT[kind], MDC_COLOURS[kind]) >= 4.5
    other = "FFFFFF" if MDC_TEXT[kind] == "000000" else "000000"
    assert contrast(MDC_TEXT[kind], MDC_COLOURS[kind]) > contrast(other, MDC_COLOURS[kind])


def test_the_rules_give_the_text_colour_that_reads_on_their_fill(built, layout):
    for _, _, fill, font, _ in begins_with_rules(load_workbook(built("2020-08"))[SHEET], layout):
        assert contrast(font, fill) >= 4.5, fill


def test_the_cells_have_no_colour_of_their_own_only_the_rules(built, layout, sample):
    """A refresh in Excel writes values alone: a colour kept in the cell would go stale."""
    sheet = load_workbook(built("2020-08"))[SHEET]
    for ref in sample.refs:
        for name in COLUMNS:
            cell = sheet.cell(layout.row(ref), layout.column(name))
            assert cell.fill.fill_type is None, (ref, name)


def test_a_refresh_in_excel_writes_the_new_words_and_the_rules_colour_them(built, tmp_path):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    press(path)  # Refresh month, through xlwings: values only
    book = load_workbook(path)
    _, live = workbook_file.open_book(path)
    sheet, layout = book[SHEET], live.layout
    rules = begins_with_rules(sheet, layout)
    for ref, result in spc_report(live.dataset, live.month).items():
        cell = sheet.cell(layout.row(ref), layout.column(Field.VARIATION))
        assert cell.value == result.variation_text == "No figure yet", ref  # Sep-20 is empty
        assert colour_of(cell.value, rules) is None
    typed = tmp_path / "typed.xlsx"
    shutil.copy(path, typed)
    book = load_workbook(typed)
    book[SHEET][layout.month_cell("M8-QL", 0)] = 0.4  # higher is better: far below its limit
    book.save(typed)
    press(typed, "Validate")
    variation = load_workbook(typed)[SHEET][layout.cell("M8-QL", Field.VARIATION)].value
    assert variation == "● Concern (low)" and colour_of(variation, rules) == MDC_COLOURS["concern"]


def test_validate_and_import_on_the_command_line_write_them_too(built, tmp_path, layout):
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    book = load_workbook(path)
    book[SHEET][layout.month_cell("M8-QL", 0)] = 0.4
    book.save(path)
    workbook_file.validate_file(path, backup=False)
    sheet = load_workbook(path)[SHEET]
    assert sheet[layout.cell("M8-QL", Field.VARIATION)].value == "● Concern (low)"
    extract = tmp_path / "extract.csv"
    extract.write_text("ref,month,value\nM8-QL,2020-08,99%\n", "utf-8")
    workbook_file.import_file(path, extract, backup=False)
    sheet = load_workbook(path)[SHEET]
    assert sheet[layout.cell("M8-QL", Field.VARIATION)].value == "● Improvement (high)"


def test_the_return_keeps_the_words_and_their_colours(official_return, layout, sample):
    sheet = load_workbook(official_return)[SHEET]
    rules = begins_with_rules(sheet, layout)
    result = spc_report(sample, AUG)["M8-QL"]
    cell = sheet[layout.cell("M8-QL", Field.VARIATION)]
    assert cell.value == result.variation_text == "● Improvement (high)"
    assert colour_of(cell.value, rules) == MDC_COLOURS["improvement"]
    assert sheet[layout.cell("LAC1", Field.ASSURANCE)].value == "● Fail"
