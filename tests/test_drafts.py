"""A first draft of each indicator's commentary, from its figures only: it names the figure and
the change the sheet shows, and never contradicts the arrow."""

from __future__ import annotations

import copy
import csv
import re
import shutil

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from xlscorecard.calc.drafts import DraftSettingsError, draft, drafts, shown, shown_change
from xlscorecard.calc.figures import Arrow, Sense, report_row
from xlscorecard.cli import cli
from xlscorecard.model import Month, Unit
from xlscorecard.returns.libreoffice import convert
from xlscorecard.workbook.layout import SHEET
from xlscorecard.xlsx.styles import NUMBER_FORMATS

AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
"""LibreOffice's CSV export with each cell's text as the sheet shows it (number formats)."""


def with_later_months(sample, count: int = 12):
    """The sample and a year of later months (tests/support/months.py), and its months from
    the second on."""
    from tests.support.months import next_month

    dataset = copy.copy(sample)
    dataset.values = dict(sample.values)
    dataset.settings = copy.deepcopy(sample.settings)
    last = sample.months[-1]
    for step in range(1, count + 1):
        month = last + step
        dataset.settings.populations.setdefault(
            month.financial_year(), dataset.settings.population(last)
        )
        for ref, value in next_month(dataset, month).items():
            dataset.values[(ref, month)] = value
    return dataset, dataset.months[1:]


def names(text: str, figure: str) -> bool:
    """Whether ``text`` says ``figure`` as a whole (``6%``, not the end of ``16%``)."""
    return re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d])", text) is not None


def first_sentence(text: str) -> str:
    return text.split(". ")[0]


def test_every_draft_names_the_figure_and_the_change_the_sheet_shows(sample, built, tmp_path):
    """Against the Dataset sheet as LibreOffice shows it (its number formats applied)."""
    sheet = convert(built("2020-08"), AS_SHOWN, tmp_path)
    rows = list(csv.reader(sheet.open(encoding="utf-8")))
    header = next(row for row in rows if row and row[0] == "Ref.")
    figure = header.index("08/01/2020") if "08/01/2020" in header else header.index("Aug-20")
    change = header.index("% change from Jul-20")
    found = drafts(sample, Month(2020, 8))
    checked = 0
    for row in rows:
        if not row or row[0] not in found:
            continue
        text = found[row[0]].text
        if row[figure] not in ("", "-"):
            assert f" {row[figure]}" in first_sentence(text), (row[0], row[figure], text)
            checked += 1
        if row[change].endswith("%"):  # "→ -4%": the arrow is the sheet's number format's
            assert f" {row[change].lstrip('→↑↓ -')}" in first_sentence(text), (row[0], text)
    assert checked == len(sample.indicators)


def test_drafts_round_as_the_sheets_number_formats_show():
    """The drafts' whole numbers and whole percentages are the sheet's formats."""
    assert NUMBER_FORMATS[Unit.COUNT] == NUMBER_FORMATS[Unit.RATE] == "#,##0"
    assert NUMBER_FORMATS[Unit.PERCENT] == "0%"
    assert NUMBER_FORMATS["change"] == '"→ "0%;"→ -"0%'  # whole percentages, an arrow before
    assert (shown(1234.5, Unit.COUNT), shown(0.125, Unit.PERCENT)) == ("1,235", "13%")
    assert shown_change(-0.245) == "25%"


def assert_agrees_with_the_arrow(dataset, indicator, month) -> None:
    row = report_row(dataset, indicator, month)
    made = draft(dataset, indicator, month)
    text, change = made.text, row.from_previous
    assert made.arrow is change.arrow
    assert (" rose " in text) is (change.arrow is Arrow.UP), text
    assert (" fell " in text) is (change.arrow is Arrow.DOWN), text
    assert ("which is good here" in text) is (change.sense is Sense.GOOD), text
    assert ("not good here" in text) is (change.sense is Sense.BAD), text
    if change.value is not None and row.current is not None:
        assert names(first_sentence(text), shown_change(change.value)), text
    year = row.from_last_year
    assert (" higher than in " in text) is (year.arrow is Arrow.UP), text
    assert (" lower than in " in text) is (year.arrow is Arrow.DOWN), text
    if isinstance(row.current, float | int):
        assert names(first_sentence(text), shown(row.current, indicator.unit)), text


def test_no_draft_contradicts_the_arrow_in_any_month_of_the_sample(sample):
    dataset, months = with_later_months(sample)
    assert len(months) == 28
    for month in months:
        for indicator in dataset.indicators:
            assert_agrees_with_the_arrow(dataset, indicator, month)


@settings(max_examples=80, deadline=None)
@given(
    ref=st.sampled_from(["LAC16", "EH4-QL", "CP8-QL", "M1"]),
    figure=st.one_of(
        st.integers(0, 400).map(float),
        st.sampled_from([145.0, 146.0, 177.0, 178.0, 160.0, 161.0]),  # about the arrows' edges
    ),
)
def test_no_draft_contradicts_the_arrow_whatever_the_figure(sample, ref, figure):
    dataset = copy.copy(sample)
    dataset.values = dict(sample.values)
    indicator = dataset.indicator(ref)
    month = Month(2020, 8)
    if indicator.is_derived:  # a percentage: move its numerator
        ref, figure = indicator.numerator[0], min(figure, 150.0)
    dataset.values[(ref, month)] = figure
    assert_agrees_with_the_arrow(dataset, indicator, month)


def test_a_council_changes_the_words_in_its_drafts_table(sample):
    dataset = copy.copy(sample)
    dataset.settings = copy.deepcopy(sample.settings)
    dataset.settings.drafts = {"fall": "{name} went down by {change} to {figure}"}
    text = draft(dataset, dataset.indicator("M2"), Month(2020, 8)).text
    assert text.startswith("The number of new referrals of Children In Need (CiN) went down by 32%")
    dataset.settings.drafts = {"drop": "..."}
    with pytest.raises(DraftSettingsError, match=r"drafts\.drop is not a draft template"):
        draft(dataset, dataset.indicator("M2"), Month(2020, 8))
    dataset.settings.drafts = {"fall": "{nmae} fell"}
    with pytest.raises(DraftSettingsError, match=r"drafts\.fall = '\{nmae\} fell' cannot be"):
        draft(dataset, dataset.indicator("M2"), Month(2020, 8))


def test_drafts_written_go_on_their_own_sheet_never_into_the_commentary(workbook):
    before = [list(row) for row in load_workbook(workbook)[SHEET].iter_rows(values_only=True)]
    result = CliRunner().invoke(cli, ["drafts", str(workbook), "--write", "--no-backup"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("M1: The number of contacts received")
    book = load_workbook(workbook)
    assert [list(row) for row in book[SHEET].iter_rows(values_only=True)] == before
    rows = list(book["Drafts"].iter_rows(values_only=True))
    assert rows[0] == ("ref", "indicator", "month", "draft") and len(rows) == 56
    assert rows[1][0] == "M1" and rows[1][2] == "Aug-20" and rows[1][3] in result.output


def test_drafts_of_a_workbook_change_nothing_unless_written(workbook, tmp_path):
    copy_ = tmp_path / "copy.xlsx"
    shutil.copy(workbook, copy_)
    result = CliRunner().invoke(cli, ["drafts", str(copy_), "--ref", "LAC2"])
    assert result.exit_code == 0 and result.output.startswith("LAC2: The number of new")
    assert copy_.read_bytes() == workbook.read_bytes()


def test_drafts_written_again_as_they_were_write_nothing(workbook, tmp_path):
    copy_ = tmp_path / "copy.xlsx"
    shutil.copy(workbook, copy_)
    assert CliRunner().invoke(cli, ["drafts", str(copy_), "--write", "--no-backup"]).exit_code == 0
    written = copy_.read_bytes()
    result = CliRunner().invoke(cli, ["drafts", str(copy_), "--write", "--no-backup"])
    assert result.exit_code == 0, result.output
    assert copy_.read_bytes() == written
