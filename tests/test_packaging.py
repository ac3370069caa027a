"""The wheel a council installs carries everything the package reads at run time: the template,
the add-in and its sources, and the Southampton sample (which the checks' own tests use)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.support.paths import ROOT

SHIPPED = {
    "xlscorecard/xlsx/workbook_template.xlsx": ROOT / "workbook_template.xlsx",
    "xlscorecard/addin/xlscorecard.xlam": ROOT / "macros" / "xlscorecard.xlam",
    "xlscorecard/addin/customUI.xml": ROOT / "macros" / "customUI.xml",
    "xlscorecard/addin/ScorecardRibbon.bas": ROOT / "macros" / "ScorecardRibbon.bas",
    **{
        f"xlscorecard/samples/{path.relative_to(ROOT / 'samples')}": path
        for path in sorted((ROOT / "samples").rglob("*"))
        if path.is_file()
    },
}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """Built from a clean copy of the repository (an in-tree build would reuse ``build/``)."""
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "source"
    junk = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", ".*cache")
    shutil.copytree(ROOT, source, symlinks=True, ignore=junk)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(folder), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (built,) = folder.glob("xlscorecard-*.whl")
    return zipfile.ZipFile(built)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_the_wheel_ships_the_file_as_it_is_in_the_repository(wheel, name):
    assert wheel.read(name) == SHIPPED[name].read_bytes()


def test_the_wheel_ships_no_tests_and_no_benchmarks(wheel):
    tops = {name.split("/")[0] for name in wheel.namelist()}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"xlscorecard"}
