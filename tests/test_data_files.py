"""docs/data-files.md documents every file, column and setting, and its minimal example is a
whole council: built from the page alone, it shows its own words and none of the sample's."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import xlscorecard
from tests.support.paths import ROOT
from xlscorecard.cli import cli
from xlscorecard.model.settings import BOOK_KEYS, KNOWN_SETTINGS
from xlscorecard.model.tables import TABLE_COLUMNS
from xlscorecard.workbook.layout import HEADER_ROW, SHEET

PAGE = ROOT / "docs" / "data-files.md"
FILE = re.compile(r"```\w+ file=(\S+)\n(.*?)```", re.S)
SAMPLE_WORDS = ("Southampton", "SE region", "South East", "Children and Families")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The page's example files written to a folder and built, as the page says."""
    folder = tmp_path_factory.mktemp("tiny")
    files = FILE.findall(PAGE.read_text("utf-8"))
    for name, text in files:
        (folder / "tiny" / name).parent.mkdir(exist_ok=True)
        (folder / "tiny" / name).write_text(text, "utf-8")
    command = re.search(r"```bash\n(xlscorecard build tiny .*?)\n```", PAGE.read_text("utf-8"))
    args = [str(folder / a) if a in ("tiny", "tiny.xlsx") else a for a in command.group(1).split()]
    out = folder / "tiny.xlsx"
    result = CliRunner().invoke(cli, args[1:], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder, out, [name for name, _ in files]


def test_the_example_has_every_required_file(tiny):
    _, _, names = tiny
    assert {"council.toml", "indicators.csv", "values.csv"} <= set(names)


def test_the_example_builds_with_its_own_title_and_region(tiny):
    _, out, _ = tiny
    sheet = load_workbook(out)[SHEET]
    assert sheet["A1"].value == "Tiny Borough Council"
    assert sheet["A2"].value == "Sep-20 Monthly dataset"
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    assert "North West region" in headers


def test_no_word_of_the_sample_council_is_in_another_councils_workbook(tiny):
    _, out, _ = tiny
    book = load_workbook(out)
    found = [
        f"{sheet.title}!{cell.coordinate}: {cell.value}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and any(word in cell.value for word in SAMPLE_WORDS)
    ]
    assert found == []
    assert not any(word in (book.properties.title or "") for word in SAMPLE_WORDS)


def test_the_example_figures_are_those_the_page_states(tiny):
    _, out, _ = tiny
    history = xlscorecard.open(out).history().set_index(["ref", "month"])["value"]
    assert history[("R3", "2020-09-01")] == pytest.approx(0.20)
    assert history[("C1", "2020-09-01")] == pytest.approx(75.0)
    assert history[("R1", "2020-09-01")] == 125  # written Sep-20 in values.csv


def test_every_file_column_and_setting_is_documented():
    page = PAGE.read_text("utf-8")
    names = {f"`{column}`" for columns in TABLE_COLUMNS.values() for column in columns}
    names |= {f"`{key}`" for key in KNOWN_SETTINGS - BOOK_KEYS - {"population", "checks", "spc"}}
    names |= {"`[population]`", "`[checks]`", "`[spc]`"}
    names |= {f"`{table}.csv`" for table in TABLE_COLUMNS}
    assert sorted(name for name in names if name not in page) == []


@pytest.mark.parametrize(("heading", "in_place"), [("SE region", True), ("ENG", False)])
def test_a_region_column_headed_as_earlier_versions_did_is_still_in_place(
    tiny, tmp_path, heading, in_place
):
    """Workbooks made before the heading came from council.toml say "SE region": still the
    region's column (the next save writes the council's own), where another heading is not."""
    import shutil

    from xlscorecard.app.workbook_file import open_book

    _, out, _ = tiny
    path = shutil.copy(out, tmp_path / "earlier.xlsx")
    book = load_workbook(path)
    sheet = book[SHEET]
    (cell,) = [c for c in sheet[HEADER_ROW] if c.value == "North West region"]
    cell.value = heading
    book.save(path)
    problems = open_book(path, writing=False)[1].header_problems
    assert (problems == []) is in_place, problems
