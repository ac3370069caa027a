"""Replay: the Apr-20 workbook, rolled on month by month with the May..Aug extracts, shows what
the Aug-20 edition prints (recalculated by LibreOffice), row by row."""

from __future__ import annotations

import csv
import shutil

import pytest

from tests.support.editions import Printed, edition, printed_months
from tests.support.paths import SAMPLE
from tests.support.quirks import KNOWN, agrees
from xlscorecard.app import workbook_file
from xlscorecard.app.workbook_file import build_file as build
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.model.months import Month
from xlscorecard.workbook.layout import SHEET, DatasetLayout, Field

AUG = Month(2020, 8)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory, recalc):
    """The Apr-20 workbook built from data that stops at Apr-20, rolled on to Aug-20."""
    folder = tmp_path_factory.mktemp("replay")
    data = folder / "data"
    shutil.copytree(SAMPLE, data)
    values = data / "values.csv"
    with values.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle)]
    kept = [rows[0], *(row for row in rows[1:] if row[1] <= "2020-04")]
    with values.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)
    path = folder / "dataset.xlsx"
    build(data, Month(2020, 4), path)
    for month in ("2020-05", "2020-06", "2020-07", "2020-08"):
        workbook_file.refresh_file(path, extract=SAMPLE / "extracts" / f"{month}.csv")
    return path, recalc(path)[SHEET]


@pytest.fixture(scope="module")
def layout():
    dataset = load_data_dir(SAMPLE)
    return DatasetLayout.for_catalogue(dataset.indicators, dataset.target_periods, 7)


def test_replay_ends_at_aug_20(replayed):
    _, sheet = replayed
    assert sheet["A2"].value == "Aug-20 Monthly dataset"


@pytest.mark.parametrize("ref", list(edition("2020-08")))
def test_replayed_row_shows_the_aug_20_editions_figures(replayed, layout, ref):
    _, sheet = replayed
    printed = edition("2020-08")[ref]
    row = layout.row(ref)
    wrong = []
    for month in printed_months("2020-08"):
        value = sheet.cell(row, layout.month_column(AUG.months_since(month))).value
        expected = Printed(printed[month.iso])
        got = value if isinstance(value, int | float) else None
        ok = value == "-" if expected.text == "-" else agrees(expected, got)
        if not ok:
            wrong.append(f"{month.label}: printed {expected.text}, sheet {value!r}")
    for figure, name in (
        ("pct_prev", Field.CHANGE_PREVIOUS),
        ("pct_yoy", Field.CHANGE_YEAR),
        ("avg12", Field.AVERAGE),
        ("max12", Field.MAXIMUM),
    ):
        if (ref, "2020-08", figure) in KNOWN:
            continue  # a named source quirk: see test_printed_figures
        value = sheet.cell(row, layout.column(name)).value
        expected = Printed(printed[figure])
        got = value if isinstance(value, int | float) else None
        if not agrees(expected, got):
            wrong.append(f"{figure}: printed {expected.text}, sheet {value!r}")
    assert not wrong, f"{ref}: " + "; ".join(wrong)


def test_replay_keeps_every_figure_and_comment_of_the_sample(replayed, tmp_path):
    path, _ = replayed
    workbook_file.export_file(path, tmp_path / "out")
    exported, sample = load_data_dir(tmp_path / "out"), load_data_dir(SAMPLE)
    inputs = {i.ref for i in sample.indicators if not i.is_derived}
    for (ref, month), value in sample.values.items():
        if ref in inputs:
            expected = value if value == "-" else pytest.approx(value)
            assert exported.values[(ref, month)] == expected, (ref, month.iso)
    for key, comment in sample.commentary.items():
        if key[1] <= Month(2020, 4):
            assert exported.commentary[key].text == comment.text


def test_replay_audits_each_roll(replayed):
    from openpyxl import load_workbook

    path, _ = replayed
    audit = list(load_workbook(path)["Audit"].iter_rows(min_row=2, values_only=True))
    assert [row[4] for row in audit if row[2] == "refresh"] == [
        "2020-05", "2020-06", "2020-07", "2020-08",
    ]  # fmt: skip
