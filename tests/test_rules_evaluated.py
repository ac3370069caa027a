"""Every validation rule, shading rule and icon set of every workbook the project writes gives the
verdict the tested Python says, as a spreadsheet evaluates it (tests/support/rules_rig.py):

- validation: LibreOffice recalculates each rule's formula against cells holding each entry
  (an error value refuses, as in Excel, whose AND and OR do not stop at the first answer);
- arrows and shading: the % change cells' rules, likewise, for each change and DoT marker:
  the first rule that holds gives the arrow (its number format) and the good or bad news
  shading the Python chooses, for changes at, just inside and just outside the threshold, 0
  and n/a (tests/test_rendering.py sees LibreOffice print the arrows beside the figures).

Excel stores a date as its serial number (1 Aug 2020 is 44044), and a validation formula sees
only that number: a date typed into a count or rate cell is a whole number of 0 or more to it,
so the workbook cannot refuse it as it is typed. Validate reports it (E101); the tests below say
so rather than pretend otherwise.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.support.rules_rig import (
    Case,
    FormulaRule,
    Rules,
    cell_range,
    evaluate,
    excel_icon,
    libreoffice_icons,
    rules_in,
    verdict,
)
from xlscorecard.app.workbook_file import open_book
from xlscorecard.calc.figures import CHANGE_DECIMALS, Arrow, arrow_for, polarity_marker, sense_for
from xlscorecard.calc.spc_report import ASSURANCE_WORDS, NO_FIGURE, TOO_FEW, VARIATION_WORDS
from xlscorecard.checks.testing import check, sample_book, type_into
from xlscorecard.model import Polarity, Unit
from xlscorecard.model.book import LiveBook
from xlscorecard.workbook.image import allowed_entry
from xlscorecard.workbook.layout import Field
from xlscorecard.xlsx.styles import ARROW_FORMATS, MDC_COLOURS, SPC_KINDS

A_DATE = dt.datetime(2020, 8, 1)
ENTRIES: dict[Unit, dict[object, bool]] = {
    Unit.COUNT: {"-": True, 0: True, 12: True, 12.5: False, -1: False, "twelve": False,
                 "12": False, A_DATE: True},
    Unit.PERCENT: {"-": True, 0: True, 0.5: True, 1: True, 1.5: False, -0.1: False,
                   "half": False, A_DATE: False},
    Unit.RATE: {"-": True, 0: True, 52.3: True, -1: False, "high": False, A_DATE: True},
}  # fmt: skip
"""What Excel lets a person type into an input cell, by unit (``"12"``: text, typed as '12).
A date is accepted where its serial number is a figure the unit allows: see the module text."""

PRODUCED = {
    "built Aug-20": lambda request: request.getfixturevalue("built")("2020-08"),
    "built other council": lambda request: request.getfixturevalue("other_council_built"),
    "imported Aug-20": lambda request: request.getfixturevalue("imported"),
    "validated Aug-20": lambda request: request.getfixturevalue("validated"),
    "refreshed Sep-20": lambda request: request.getfixturevalue("refreshed"),
    "official return Aug-20": lambda request: request.getfixturevalue("official_return"),
}
WORKING = [name for name in PRODUCED if not name.startswith("official")]


@pytest.fixture(scope="module", params=list(PRODUCED))
def produced(request) -> tuple[str, Path]:
    return request.param, PRODUCED[request.param](request)


@pytest.fixture(scope="module", params=WORKING)
def working(request) -> Path:
    """The files staff type into (a return holds no figures to type)."""
    return PRODUCED[request.param](request)


def book_of(path: Path) -> LiveBook:
    """The workbook as xlscorecard reads it (a return, which is not a working workbook, is
    read through the sample it was saved from: its layout and settings are the same)."""
    try:
        return open_book(path)[1]
    except Exception:
        return sample_book()


# -- validation ---------------------------------------------------------------------------------
def test_every_input_cell_has_a_validation_rule_judged_by_its_verdicts(working):
    rules, book = rules_in(working), book_of(working)
    inputs = {
        book.layout.month_cell(item.ref, 0): item.unit
        for item in book.dataset.indicators
        if not item.is_derived
    }
    assert sorted(rule.anchor for rule in rules.validations) == sorted(inputs)
    cases = [
        Case(rule, {rule.anchor: entry})
        for rule in rules.validations
        for entry in ENTRIES[inputs[rule.anchor]]
    ]
    results = evaluate(cases)
    wrong = [
        f"{case.rule.sheet}!{case.rule.anchor} ({inputs[case.rule.anchor]}) {entry!r}: "
        f"{'accepted' if verdict(result) else 'refused'} ({result!r})"
        for case, result in zip(cases, results, strict=True)
        for entry in case.cells.values()
        if verdict(result) != ENTRIES[inputs[case.rule.anchor]][entry]
    ]
    assert not wrong, "\n".join(wrong)


def test_the_commentary_cells_prompt_and_accept_any_text(working):
    rules, book = rules_in(working), book_of(working)
    commentary = sorted(
        f"Dataset!{book.layout.cell(item.ref, Field.COMMENTARY)}"
        for item in book.dataset.indicators
    )
    assert sorted(rules.prompts_only) == commentary


def test_the_return_holds_no_validation(official_return):
    rules = rules_in(official_return)
    assert rules.validations == [] and rules.prompts_only == []
    assert len(arrow_rule_ranges(rules)) == 2  # it keeps the arrows and their shading


def test_the_rig_refuses_what_excel_refuses():
    """The rule the workbooks carried before: OR does not stop at ``R7="-"``, INT("-") is an
    error, so the dash its own prompt asks for was refused."""
    old = FormulaRule(
        "validation", "Dataset", "R7", 'OR(R7="-",AND(ISNUMBER(R7),R7>=0,R7=INT(R7)))'
    )
    new = FormulaRule("validation", "Dataset", "R7", allowed_entry("R7", Unit.COUNT))
    results = evaluate([Case(old, {"R7": "-"}), Case(new, {"R7": "-"}), Case(old, {"R7": 12})])
    assert results == ["#VALUE!", True, True]


def test_a_date_typed_into_a_count_cell_is_reported_by_validate():
    book = type_into(sample_book(), "M1", "2020-08", A_DATE)
    findings = check(book, "E101")
    assert [(f.ref, f.code) for f in findings] == [("M1", "E101")]
    assert "a date (01/08/2020)" in findings[0].found


# -- shading --------------------------------------------------------------------------------------
def changes(threshold: float) -> list[object]:
    """% changes at, just inside and just outside +/- the threshold (one rounding step, and
    half of one), 0, large ones and n/a."""
    step = 10.0**-CHANGE_DECIMALS
    near = [threshold + d for d in (-step, -step / 2, 0, step / 2, step)]
    values = sorted({round(v, CHANGE_DECIMALS + 1) for v in near + [-v for v in near]})
    return [-5 * threshold, *values, 0, 5 * threshold, "n/a"]


def meaning(rule: FormulaRule) -> str:
    """ "good" or "bad" news, by the format's fill (xlsx/styles.py SENSE_FORMATS)."""
    fill = str(rule.dxf.fill.bgColor.rgb).upper()
    return {"C6EFCE": "good", "FFC7CE": "bad"}[fill[-6:]]


def at_every_end(rule: FormulaRule, cells: str) -> list[FormulaRule]:
    """The rule as it reads at the first and the last cell of its range."""
    from openpyxl.formula.translate import Translator

    ends = cell_range(cells)
    return [
        FormulaRule(
            rule.kind, rule.sheet, end,
            Translator("=" + rule.formula, origin=rule.anchor).translate_formula(end)[1:],
            rule.dxf,
        )
        for end in (ends[0], ends[-1])
    ]  # fmt: skip


def arrow_rule_ranges(rules: Rules) -> dict[str, list[FormulaRule]]:
    """The % change cells' rules (those that set an arrow), by range, first to apply first."""
    ranges: dict[str, list[FormulaRule]] = {}
    for rule in rules.formats:
        if rule.dxf is not None and rule.dxf.numFmt is not None:
            ranges.setdefault(rule.cells, []).append(rule)
    return {cells: sorted(found, key=lambda r: r.priority) for cells, found in ranges.items()}


def shown(rule: FormulaRule | None) -> tuple[str, str]:
    """The (shading, arrow) a rule gives a number: its fill's news and its format's arrow;
    none holding, the cell's own format (sideways) and no shading."""
    if rule is None:
        return "neutral", "side"
    arrow = {ARROW_FORMATS[name]: name for name in ARROW_FORMATS}[rule.dxf.numFmt.formatCode]
    return (meaning(rule) if rule.dxf.fill is not None else "neutral"), arrow


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def test_the_first_rule_that_holds_shows_the_python_arrow_and_shading(produced):
    _, path = produced
    rules, book = rules_in(path), book_of(path)
    ranges = arrow_rule_ranges(rules)
    assert len(ranges) == 2 and all(len(group) == 6 for group in ranges.values())
    markers = {polarity_marker(p): p for p in Polarity}
    dot = _letter(book.layout.column(Field.DOT))
    threshold = book.dataset.settings.arrow_threshold
    situations, cases = [], []
    for group in ranges.values():
        for end in range(2):  # the rules as they read at the first and the last cell
            placed = [at_every_end(rule, rule.cells)[end] for rule in group]
            row = "".join(ch for ch in placed[0].anchor if ch.isdigit())
            for marker, polarity in markers.items():
                for value in changes(threshold):
                    cells = {placed[0].anchor: value, f"{dot}{row}": marker or None}
                    situations.append((placed, marker, value, polarity))
                    cases += [Case(rule, cells) for rule in placed]
    results = iter(evaluate(cases))
    wrong = []
    for placed, marker, value, polarity in situations:
        holds = [verdict(next(results)) for _ in placed]
        first = next((rule for rule, held in zip(placed, holds, strict=True) if held), None)
        number = value if isinstance(value, float | int) else None
        arrow = arrow_for(number, threshold)
        expected = (sense_for(arrow, polarity).value, expected_arrow(value, threshold))
        got = shown(first)
        if number is None:
            got = (got[0], None if first is None else got[1])
        if got != expected:
            wrong.append(f"{placed[0].anchor} {marker!r} {value!r}: {got} not {expected}")
    assert not wrong, "\n".join(wrong)


# -- arrows -------------------------------------------------------------------------------------
def expected_arrow(value: object, threshold: float) -> str | None:
    number = value if isinstance(value, float | int) else None
    arrow = arrow_for(number, threshold)
    return (
        None if arrow is None else {Arrow.UP: "up", Arrow.DOWN: "down", Arrow.SIDE: "side"}[arrow]
    )


def test_the_icon_reader_sees_libreoffice_ignore_a_strict_threshold():
    """The icon set the workbooks carried before (sideways strictly above -10%, gte 0): Excel
    shows a down arrow at exactly -10%, LibreOffice the sideways one. The rig tells them apart."""
    from tests.support.rules_rig import IconRule

    old = IconRule("Dataset", "N7:N8", "3ArrowsGray",
                   (("num", 0.0, True), ("num", -0.1, False), ("num", 0.1, True)))  # fmt: skip
    assert excel_icon(old, -0.1) == "down"
    assert libreoffice_icons(old, [-0.1, 0.1, "n/a"]) == ["side", "up", None]


def test_c402_queries_exactly_the_changes_that_show_an_arrow():
    """A change from Jul-20 of exactly -10%, or one step inside it, on an indicator without a
    comment: C402 asks for one exactly when the arrow is up or down."""
    for previous, current in ((1_000_000, 900_000), (1_000_000, 900_001), (1_000_000, 1_100_000),
                              (1_000_000, 1_099_999)):  # fmt: skip
        book = type_into(sample_book(), "LAC16", "2020-07", previous)
        book = type_into(book, "LAC16", "2020-08", current)
        book.commentary_cells["LAC16"] = ""
        change = round((current - previous) / previous, CHANGE_DECIMALS)
        shows = arrow_for(change, book.dataset.settings.arrow_threshold) is not Arrow.SIDE
        found = [f.found for f in check(book, "C402") if f.ref == "LAC16"]
        assert any("from Jul-20" in text for text in found) == shows, change


# -- SPC colours --------------------------------------------------------------------------------
def test_each_variation_and_assurance_word_gets_the_colour_of_its_icon_and_no_other(produced):
    """Making Data Count's colours follow the words (blue improvement or pass, orange concern
    or fail, purple neither, grey common cause or hit-or-miss), as a spreadsheet evaluates the
    "text that begins with" rules; a cell with no icon gets none."""
    _, path = produced
    rules = rules_in(path).text_formats
    assert rules, "no colour rules on the Variation and Assurance cells"
    words = {text: MDC_COLOURS[SPC_KINDS[icon]] for icon, text in
             {**VARIATION_WORDS, **ASSURANCE_WORDS}.items()}  # fmt: skip
    words |= {NO_FIGURE: None, TOO_FEW.format(points=12, needed=13): None, "": None}
    cases = [(Case(rule, {rule.anchor: word or None}), word) for word in words for rule in rules]
    results = evaluate([case for case, _ in cases])
    applied: dict[str, set[str]] = {word: set() for word in words}
    for (case, word), result in zip(cases, results, strict=True):
        if verdict(result):
            applied[word].add(case.rule.dxf.fill.bgColor.rgb[-6:])
    assert applied == {word: {colour} if colour else set() for word, colour in words.items()}
