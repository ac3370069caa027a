"""The Python API (docs/api.md): an analyst's DataFrame says what the sheets say."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from openpyxl import load_workbook

import xlscorecard
from xlscorecard.errors import ScorecardError
from xlscorecard.model import Month
from xlscorecard.workbook.layout import SHEET
from xlscorecard.workbook.reading import read_book

AUG = Month(2020, 8)


@pytest.fixture(scope="module")
def aug(built):
    return xlscorecard.open(built("2020-08"))


def test_history_holds_every_figure_the_dataset_sheet_shows(aug, built):
    """Each indicator's seven visible months, derived ones too (the sheet's cached values)."""
    sheet = load_workbook(built("2020-08"), data_only=True)[SHEET]
    from xlscorecard.xlsx.reader import contents_of, open_workbook

    layout = read_book(contents_of(open_workbook(built("2020-08"), False), "x")).layout
    history = aug.history().set_index(["ref", "month"])
    compared = 0
    for ref in aug.refs:
        for offset in range(7):
            shown = sheet[layout.month_cell(ref, offset)].value
            month = pd.Timestamp((AUG - offset).first_day)
            if shown is None:
                assert (ref, month) not in history.index
                continue
            row = history.loc[(ref, month)]
            if shown == "-":
                assert row["not_applicable"]
            else:
                assert row["value"] == pytest.approx(shown, abs=1e-9), (ref, month)
            compared += 1
    assert compared > 300


def test_derived_figures_are_flagged_and_calculated(aug):
    history = aug.history()
    derived = history[history.derived]
    assert set(derived.source) == {"calculated"}
    m3 = derived.set_index(["ref", "month"]).loc[("M3", pd.Timestamp("2020-08-01")), "value"]
    assert m3 == pytest.approx(263 / 1343)


def test_a_return_gives_the_history_of_the_workbook_it_was_saved_from(official_return, built):
    saved = xlscorecard.open(official_return)
    assert saved.is_return and saved.month == AUG
    working = xlscorecard.open(official_return.parent.parent / "dataset.xlsx").history()
    pd.testing.assert_frame_equal(
        saved.history().drop(columns="source"), working.drop(columns="source")
    )
    assert not saved.checks().empty


def test_an_unknown_ref_names_the_nearest(aug):
    with pytest.raises(ScorecardError, match=r"did you mean `CP4 \(val\)`"):
        aug.spc("CP4(val)")


def test_importing_the_package_loads_neither_pandas_nor_openpyxl():
    code = "import sys, xlscorecard; print('pandas' in sys.modules, 'openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
