"""The [spc] table of council.toml: MDC's defaults without it, read and checked at load with
errors naming the file and key, and kept in the workbook's Settings sheet."""

from __future__ import annotations

import pytest

from tests.support.datadirs import sample_with_spc
from xlscorecard.app.workbook_file import build_file
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.errors import DataFileError
from xlscorecard.model import Month
from xlscorecard.workbook.reading import read_book
from xlscorecard.xlsx.reader import contents_of, open_workbook

SPC_TABLE = """
[spc]
run_length = 7
minimum_points = 15
chart_months = 18

[spc.recalculate]
LAC1 = ["2020-01"]

[spc.baseline]
"LAC11-QL (%)" = 12
"""


def test_without_an_spc_table_the_settings_are_mdcs_defaults(tmp_path):
    config = load_data_dir(sample_with_spc(tmp_path, "")).settings.spc
    assert (config.run_length, config.trend_length, config.minimum_points) == (6, None, 13)
    assert config.chart_months == 24
    assert (config.recalculate, config.baseline) == ({}, {})


def test_the_spc_table_is_read_from_council_toml(tmp_path):
    config = load_data_dir(sample_with_spc(tmp_path, SPC_TABLE)).settings.spc
    assert (config.run_length, config.minimum_points, config.chart_months) == (7, 15, 18)
    assert config.recalculate == {"LAC1": (Month(2020, 1),)}
    assert config.baseline == {"LAC11-QL (%)": 12}


def test_the_spc_settings_are_kept_in_the_workbooks_settings_sheet(tmp_path):
    folder = sample_with_spc(tmp_path, SPC_TABLE)
    build_file(folder, Month(2020, 8), tmp_path / "dataset.xlsx")
    book = read_book(contents_of(open_workbook(tmp_path / "dataset.xlsx"), "dataset.xlsx"))
    assert book.dataset.settings.spc == load_data_dir(folder).settings.spc


@pytest.mark.parametrize(
    ("table", "key", "words"),
    [
        ("[spc]\nrun_length = 1\n", "spc.run_length", "a whole number 2..60, found 1"),
        ('[spc]\nminimum_points = "13"\n', "spc.minimum_points", "found '13'"),
        ("[spc]\nchart_months = 500\n", "spc.chart_months", "2..120"),
        ("[spc]\nrun_lenght = 7\n", "spc.run_lenght", "is not an SPC setting; they are"),
        (
            '[spc.recalculate]\nLAC1 = ["2020-13"]\n',
            "spc.recalculate.LAC1",
            "a month written like 2020-08",
        ),
        ("[spc.recalculate]\nLAC1 = 2020\n", "spc.recalculate.LAC1", "a list of months"),
        ("[spc.baseline]\nLAC1 = 1\n", "spc.baseline.LAC1", "2 or more, found 1"),
        ("[spc.baseline]\nLAC99 = 12\n", "spc.baseline.LAC99", "not an indicator"),
        ('[spc]\nrecalculate = "LAC1"\n', "spc.recalculate", "a table of indicator refs"),
    ],
)
def test_a_bad_spc_setting_is_refused_naming_the_file_and_key(tmp_path, table, key, words):
    folder = sample_with_spc(tmp_path, "\n" + table)
    with pytest.raises(DataFileError) as error:
        load_data_dir(folder)
    message = str(error.value)
    assert message.startswith(f"{folder / 'council.toml'}, column '{key}': "), message
    assert words in message, message
