"""The same verdict on every install: a return's checksum is taken over a canonical form of what
it shows (read with the standard library), so a return saved where openpyxl uses lxml verifies
where it does not, and the other way round; returns saved in the first form (over XML as
openpyxl spelt it) still verify, either way."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.paths import FIXTURES, ROOT
from tests.support.returns import fake_pdf, make_ready
from xlscorecard.app import return_file

STEM = "Children and Families Aug-20"
FIRST_FORM = FIXTURES / "returns"
CLI = "import sys; from openpyxl.xml import LXML; print('lxml', LXML); from xlscorecard.cli import main; main()"  # noqa: E501
SAVE = (
    "import sys; from pathlib import Path; from openpyxl.xml import LXML; print('lxml', LXML)\n"
    "from xlscorecard.app.return_file import save_return_file\n"
    "save_return_file(Path(sys.argv[1]), Path(sys.argv[2]), force='Saved without lxml.',\n"
    "                 pdf_maker=lambda copy, pdf: pdf.write_bytes(b'%PDF-1.4\\n'))\n"
)


def without_lxml(script: str, *args: str) -> subprocess.CompletedProcess:
    """``script`` run in a Python where openpyxl does not use lxml (it reads the variable when
    imported)."""
    env = {**os.environ, "OPENPYXL_LXML": "False"}
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True,
        timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert done.stdout.startswith("lxml False\n"), done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def saved_here(built, tmp_path_factory) -> Path:
    """The Aug-20 return saved in this process (with lxml, where it is installed)."""
    folder = tmp_path_factory.mktemp("here")
    ready = make_ready(built("2020-08"), folder / "dataset.xlsx")
    return return_file.save_return_file(ready, folder / "returns", pdf_maker=fake_pdf).placed.xlsx


def alone(path: Path, tmp_path: Path, name: str = f"{STEM}.xlsx") -> Path:
    copy = tmp_path / "inbox" / name
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(path, copy)
    copy.chmod(0o644)
    return copy


def test_a_return_saved_here_verifies_without_lxml(saved_here):
    done = without_lxml(CLI, "verify", str(saved_here))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{saved_here} is intact: what each of its 11 sheets shows matches" in done.stdout


def test_a_return_saved_without_lxml_verifies_here(built, tmp_path):
    ready = make_ready(built("2020-08"), tmp_path / "dataset.xlsx")
    done = without_lxml(SAVE, str(ready), str(tmp_path / "returns"))
    assert done.returncode == 0, done.stdout + done.stderr
    check = return_file.verify_file(tmp_path / "returns" / f"{STEM}.xlsx")
    assert check.intact, check.message


def test_the_checksum_does_not_depend_on_how_the_xml_is_spelt(saved_here, tmp_path):
    """Every part re-spelt as another library would (``<x a="1" />``, a declaration): what it
    shows is the same, and so is its checksum."""
    path = alone(saved_here, tmp_path)
    with zipfile.ZipFile(path) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts:
            if info.filename.endswith((".xml", ".rels")):
                text = re.sub(r'"/>', '" />', data.decode("utf-8"))
                if not text.startswith("<?xml"):
                    text = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text
                data = text.encode("utf-8")
            package.writestr(info, data)
    assert parts[0][1] != zipfile.ZipFile(path).read(parts[0][0])
    check = return_file.verify_file(path)
    assert check.intact, check.message


@pytest.mark.parametrize("saved_with", ["with lxml", "without lxml"])
def test_a_return_saved_in_the_first_form_still_verifies_here(saved_with, tmp_path):
    path = alone(FIRST_FORM / f"first form, saved {saved_with}.xlsx", tmp_path)
    check = return_file.verify_file(path)
    assert check.intact, check.message


@pytest.mark.parametrize("saved_with", ["with lxml", "without lxml"])
def test_a_return_saved_in_the_first_form_still_verifies_without_lxml(saved_with, tmp_path):
    path = alone(FIRST_FORM / f"first form, saved {saved_with}.xlsx", tmp_path)
    done = without_lxml(CLI, "verify", str(path))
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_change_to_a_first_form_return_is_caught(tmp_path):
    path = alone(FIRST_FORM / "first form, saved with lxml.xlsx", tmp_path)
    with zipfile.ZipFile(path) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>1343</v>", b"<v>1500</v>", 1)
            package.writestr(info, data)
    check = return_file.verify_file(path)
    assert not check.intact
    assert "Changed: the Dataset sheet (10 other sheets match)." in check.message
