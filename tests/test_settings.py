"""Settings: one typed model, parsed once where council.toml or the Settings sheet is read; a
bad value is an error naming the file or sheet, the key and the value."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.paths import ROOT, SAMPLE
from xlscorecard.app.workbook_file import open_book
from xlscorecard.datadir.folder import load_data_dir, settings_toml
from xlscorecard.errors import DataFileError
from xlscorecard.model.check_config import CheckConfig
from xlscorecard.model.settings import BACKUPS_KEY
from xlscorecard.store.backups import backups_kept
from xlscorecard.workbook import schema as sheets


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SAMPLE, target)
    return target


def set_toml(directory: Path, line: str) -> None:
    """council.toml's line for the key of ``line`` (``key = value``) replaced by ``line``, or
    ``line`` added at its top (before its tables) when it has none."""
    path = directory / "council.toml"
    key = line.partition(" = ")[0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    found = [n for n, text in enumerate(lines) if text.startswith(f"{key} = ")]
    if found:
        lines[found[0]] = line + "\n"
    else:
        lines.insert(0, line + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def set_sheet(path: Path, key: str, value: object) -> None:
    """The Settings sheet's ``key`` row set to ``value`` (added when there is none)."""
    book = load_workbook(path)
    sheet = book[sheets.SETTINGS]
    row = next((row for row in sheet.iter_rows(min_row=2) if row[0].value == key), None)
    if row is None:
        sheet.append([key, value])
    else:
        row[1].value = value
    book.save(path)


@pytest.mark.parametrize(
    ("line", "key", "message"),
    [
        ("visible_months = 20", "visible_months", "expected a whole number 1..13, found 20"),
        ('arrow_threshold = "a lot"', "arrow_threshold", "expected a fraction like 0.10"),
        ("year_start_month = 0", "year_start_month", "expected a month number 1..12, found 0"),
    ],
)
def test_a_bad_value_in_council_toml_is_an_error_naming_the_file_key_and_value(
    data_dir, line, key, message
):
    set_toml(data_dir, line)
    with pytest.raises(DataFileError) as caught:
        load_data_dir(data_dir)
    assert str(caught.value).startswith(f"{data_dir / 'council.toml'}, column '{key}': {message}")


def test_a_bad_value_on_the_settings_sheet_is_an_error_naming_the_sheet_key_and_value(workbook):
    set_sheet(workbook, "visible_months", 20)
    with pytest.raises(DataFileError) as caught:
        open_book(workbook, writing=False)
    assert str(caught.value) == (
        "dataset.xlsx Settings, column 'visible_months': expected a whole number 1..13, found 20"
    )


def test_a_bad_spc_value_on_the_settings_sheet_names_its_dotted_key(workbook):
    set_sheet(workbook, "spc", '{"run_length": 1}')
    with pytest.raises(DataFileError, match=r"column 'spc\.run_length': expected the months in"):
        open_book(workbook, writing=False)


def test_the_checks_and_spc_tables_are_typed_sections_of_the_settings(data_dir):
    path = data_dir / "council.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("run_length = 6", "run_length = 7"), encoding="utf-8")
    settings = load_data_dir(data_dir).settings
    assert isinstance(settings.checks, CheckConfig) and settings.checks.stock_flow
    assert settings.spc.run_length == 7


def test_a_bad_backups_value_stops_only_the_command_that_keeps_versions(data_dir):
    set_toml(data_dir, 'backups = "lots"')
    dataset = load_data_dir(data_dir)
    assert dataset.settings.backups == 10 and BACKUPS_KEY in dataset.settings.refused
    with pytest.raises(DataFileError, match=r"^council\.toml, column 'backups': expected how"):
        backups_kept(dataset, "council.toml")


def test_the_councils_own_keys_are_written_back_as_given(data_dir):
    set_toml(data_dir, 'intranet_page = "https://intranet.example/dataset"')
    written = settings_toml(load_data_dir(data_dir))
    assert 'intranet_page = "https://intranet.example/dataset"\n' in written
    assert "la_code = 852\n" in written


def test_a_setting_is_read_from_its_typed_attribute_never_from_the_keys_as_given():
    """``Settings.as_given`` is what is written back; only the two writers read it."""
    writers = {"model/settings.py", "datadir/folder.py", "workbook/image.py"}
    readers = sorted(
        str(path.relative_to(ROOT / "xlscorecard"))
        for path in (ROOT / "xlscorecard").rglob("*.py")
        if str(path.relative_to(ROOT / "xlscorecard")) not in writers
        and re.search(r"\.as_given\b", path.read_text(encoding="utf-8"))
    )
    assert readers == []
