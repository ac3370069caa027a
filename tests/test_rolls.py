"""Two years of monthly rolls on generated data lose no figure and no comment."""

from __future__ import annotations

import csv
import random
import shutil

from openpyxl import load_workbook

from tests.support.paths import OTHER_COUNCIL
from xlscorecard.app import workbook_file
from xlscorecard.app.workbook_file import build_file as build
from xlscorecard.calc.figures import with_calculated
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.model import Comment
from xlscorecard.model.months import Month
from xlscorecard.workbook.layout import SHEET, DatasetLayout, Field

ROLLS = 24


def test_24_monthly_rolls_keep_every_value_and_comment(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(OTHER_COUNCIL, data)
    # give the council a population for every year the rolls reach
    toml = data / "council.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + '"2023-24" = 122000\n"2024-25" = 122500\n',
        encoding="utf-8",
    )
    dataset = load_data_dir(data)
    layout = DatasetLayout.for_catalogue(dataset.indicators, dataset.target_periods, 5)
    path = tmp_path / "scorecard.xlsx"
    month = Month(2022, 9)
    build(data, month, path)

    expected_values = dict(dataset.values)
    expected_comments = dict(dataset.commentary)
    rng = random.Random(24)
    for _ in range(ROLLS):
        comment = f"Commentary written for {month.label}."
        book = load_workbook(path)
        book[SHEET][layout.cell("CIN-1", Field.COMMENTARY)] = comment
        book.save(path)
        expected_comments[("CIN-1", month)] = Comment(comment, "B. Analyst")  # who ran refresh
        month = month + 1
        figures = {
            "FD-01": rng.randint(900, 1300),
            "FD-02": rng.randint(200, 400),
            "CIN-1": rng.randint(2000, 2400),
            "CIN-3": round(rng.uniform(0.7, 0.95), 3),
        }
        extract = tmp_path / f"{month.iso}.csv"
        with extract.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["ref", "month", "value"])
            writer.writerows([ref, month.iso, value] for ref, value in figures.items())
        workbook_file.refresh_file(path, extract=extract, backup=False, user="B. Analyst")
        expected_values.update({(ref, month): float(v) for ref, v in figures.items()})

    workbook_file.export_file(path, tmp_path / "exported")
    exported = load_data_dir(tmp_path / "exported")
    dataset.values = expected_values  # derived indicators: as calculated from these
    assert exported.values == with_calculated(dataset).values
    assert exported.commentary == expected_comments
    assert max(exported.months) == Month(2024, 9)
