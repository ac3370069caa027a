"""Text as Excel and a file system see it: line breaks in CSV fields, invisible characters,
lengths in UTF-16 code units, titles that name a return's file (issue 18, finding 9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.paths import SAMPLE
from xlscorecard.app import workbook_file
from xlscorecard.datadir.folder import load_data_dir, write_data_dir
from xlscorecard.errors import DataFileError, Refused
from xlscorecard.model import Comment, Month
from xlscorecard.model.text import text_problem
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import SHEET, Field

INVISIBLE = "\u200b\u2060\ufeff \u200d"


def test_a_comment_with_a_lone_carriage_return_survives_export_and_build(tmp_path):
    dataset = load_data_dir(SAMPLE)
    key = ("LAC2", Month(2020, 8))
    dataset.commentary[key] = Comment("line one\rline two\nthree", "sam")
    write_data_dir(dataset, tmp_path / "out")
    assert load_data_dir(tmp_path / "out").commentary[key].text == "line one\rline two\nthree"


def test_invisible_characters_alone_are_not_a_comment(workbook):
    _, book = workbook_file.open_book(workbook, writing=False)
    cell = book.layout.cell("LAC2", Field.COMMENTARY)
    workbook_ = load_workbook(workbook)
    workbook_[SHEET][cell] = INVISIBLE
    workbook_.save(workbook)
    outcome = workbook_file.validate_file(workbook)
    assert [f.cell for f in outcome.findings if f.code == "C402" and f.ref == "LAC2"] == [
        f"{SHEET}!{cell}"
    ]


def test_invisible_characters_alone_are_not_an_answer(workbook):
    before = workbook.read_bytes()
    with pytest.raises(Refused, match="An answer needs a reason"):
        workbook_file.answer_file(workbook, "P302", "CP2", None, INVISIBLE)
    assert workbook.read_bytes() == before


def test_invisible_characters_alone_in_commentary_csv_are_no_comment(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    with (data / "commentary.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"LAC2,2020-08,{INVISIBLE},sam\n")
    assert ("LAC2", Month(2020, 8)) not in load_data_dir(data).commentary


def test_text_length_is_counted_in_utf16_units_as_excel_counts():
    emoji = "\U0001f600" * 16_400  # 16,400 characters, 32,800 UTF-16 code units
    problem = text_problem(emoji)
    assert problem is not None and "32,800 characters long as Excel counts them" in problem
    assert text_problem("\U0001f600" * 16_383) is None  # 32,766 units


def _with_title(tmp_path: Path, line: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    toml = data / "council.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('title = "Children and Families"', line),
        encoding="utf-8",
    )
    return data


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('title = "Children \u202eslx.exe"', "title character 10 is a bidirectional control"),
        ('title = "Children/Families"', "title character 9 ('/') cannot be part of a file name"),
        ('title = ""', "title is empty"),
    ],
)
def test_a_title_that_cannot_name_a_file_is_an_error_naming_the_key(tmp_path, line, says):
    with pytest.raises(DataFileError, match=r"council\.toml") as error:
        load_data_dir(_with_title(tmp_path, line))
    assert says in str(error.value) and "'title'" in str(error.value)


def test_a_title_cleared_on_the_settings_sheet_is_an_error_naming_the_key(workbook):
    book = load_workbook(workbook)
    settings = book[sheets.SETTINGS]
    row = next(r for r in settings.iter_rows(min_row=2) if r[0].value == "title")
    row[1].value = None
    book.save(workbook)
    before = workbook.read_bytes()
    with pytest.raises(DataFileError, match="title is empty"):
        workbook_file.validate_file(workbook)
    assert workbook.read_bytes() == before


def test_a_bidirectional_control_in_the_return_file_name_is_refused_naming_the_key(sample):
    from xlscorecard.errors import ScorecardError
    from xlscorecard.jobs.official_return import file_stem

    settings = sample.settings
    saved = settings.return_file_name
    try:
        settings.return_file_name = "{title} {month}\u202excod.exe"
        with pytest.raises(
            ScorecardError,
            match="Settings return_file_name character 16 is a bidirectional control",
        ):
            file_stem(sample, Month(2020, 8))
    finally:
        settings.return_file_name = saved


def test_a_comment_of_invisible_characters_alone_is_refused(workbook):
    before = workbook.read_bytes()
    with pytest.raises(Refused, match="holds only invisible characters"):
        workbook_file.comment_file(workbook, "LAC2", INVISIBLE)
    assert workbook.read_bytes() == before
