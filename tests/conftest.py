"""Shared fixtures: the Southampton sample, built workbooks, LibreOffice recalculations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.paths import SAMPLE
from xlscorecard.app.workbook_file import build_file as build
from xlscorecard.datadir.folder import load_data_dir
from xlscorecard.model.months import Month
from xlscorecard.returns.libreoffice import convert, find_soffice, sheet_pdf
from xlscorecard.workbook.layout import SHEET


@pytest.fixture(scope="session")
def sample():
    return load_data_dir(SAMPLE)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Build the sample workbook for a report month once per session: built("2020-08")."""
    cache: dict[str, Path] = {}
    folder = tmp_path_factory.mktemp("built")

    def make(month: str) -> Path:
        if month not in cache:
            path = folder / f"dataset-{month}.xlsx"
            build(SAMPLE, Month.parse(month), path)
            cache[month] = path
        return cache[month]

    return make


@pytest.fixture
def workbook(built, tmp_path) -> Path:
    """A fresh copy of the built Aug-20 sample workbook, as ``tmp_path / "dataset.xlsx"``."""
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    return path


@pytest.fixture(scope="session")
def recalc(tmp_path_factory):
    """Open a workbook in LibreOffice, recalculate it and read the values back (cached)."""
    if find_soffice() is None:
        pytest.fail("LibreOffice is required: apt-get install libreoffice-calc-nogui")
    cache: dict[Path, object] = {}

    def read(path: Path):
        if path not in cache:
            folder = tmp_path_factory.mktemp("recalculated")
            cache[path] = load_workbook(convert(path, "xlsx", folder), data_only=True)
        return cache[path]

    return read


@pytest.fixture(scope="session")
def recalculated(built, recalc):
    """The sample workbook for a report month, as LibreOffice recalculates it."""
    return lambda month: recalc(built(month))


@pytest.fixture(scope="session")
def refreshed(built, tmp_path_factory) -> Path:
    """The Aug-20 sample workbook rolled on to Sep-20 by refresh_file (no extract)."""
    from xlscorecard.app.workbook_file import refresh_file

    path = tmp_path_factory.mktemp("refreshed") / "dataset-2020-09.xlsx"
    shutil.copy(built("2020-08"), path)
    refresh_file(path, backup=False)
    return path


@pytest.fixture(scope="session")
def dataset_pdf(tmp_path_factory):
    """The Dataset sheet of a workbook as LibreOffice prints it to PDF (cached)."""
    if shutil.which("pdfinfo") is None:
        pytest.fail("poppler-utils is required: apt-get install poppler-utils")
    cache: dict[Path, Path] = {}

    def render(path: Path) -> Path:
        if path not in cache:
            cache[path] = sheet_pdf(path, SHEET, tmp_path_factory.mktemp("pdf"))
        return cache[path]

    return render


@pytest.fixture(scope="session")
def official_return(built, tmp_path_factory) -> Path:
    """The official return of the Aug-20 sample, saved by save_return_file once the workbook is
    ready (its PDF, from LibreOffice, is beside it with the same name)."""
    from tests.support.returns import make_ready
    from xlscorecard.app.return_file import save_return_file

    folder = tmp_path_factory.mktemp("return")
    ready = make_ready(built("2020-08"), folder / "dataset.xlsx")
    saved = save_return_file(ready, folder / "returns", backup=False)
    return saved.placed.xlsx


@pytest.fixture(scope="session")
def imported(built, tmp_path_factory) -> Path:
    """The Aug-20 sample workbook after import_file typed the Aug-20 extract into it."""
    from tests.support.paths import SAMPLE
    from xlscorecard.app.workbook_file import import_file

    path = tmp_path_factory.mktemp("imported") / "dataset-2020-08.xlsx"
    shutil.copy(built("2020-08"), path)
    import_file(path, SAMPLE / "extracts" / "2020-08.csv", backup=False)
    return path


@pytest.fixture(scope="session")
def validated(built, tmp_path_factory) -> Path:
    """The Aug-20 sample workbook after validate_file wrote its findings to Checks."""
    from xlscorecard.app.workbook_file import validate_file

    path = tmp_path_factory.mktemp("validated") / "dataset-2020-08.xlsx"
    shutil.copy(built("2020-08"), path)
    validate_file(path, backup=False)
    return path


@pytest.fixture(scope="session")
def other_council_built(tmp_path_factory) -> Path:
    """The other council's sample (tests/fixtures/other_council) built for Sep-22."""
    from tests.support.paths import OTHER_COUNCIL

    path = tmp_path_factory.mktemp("other") / "other-council-2022-09.xlsx"
    build(OTHER_COUNCIL, Month(2022, 9), path)
    return path


def pytest_sessionfinish(session):
    """A pytest-xdist worker hands what its corpora saw to the controller."""
    from tests.support.faults import TALLY

    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["tally"] = dict(TALLY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The controller adds up what each worker's corpora saw."""
    from tests.support.faults import TALLY

    TALLY.update(getattr(node, "workeroutput", {}).get("tally", {}))


def pytest_terminal_summary(terminalreporter):
    """What the fault, concurrency, payload and tamper corpora saw (tests/support/faults.py)."""
    from tests.support.faults import TALLY

    if TALLY:
        terminalreporter.section("fault corpus")
        for key, count in sorted(TALLY.items()):
            if count:
                terminalreporter.write_line(f"{count:4d}  {key}")
