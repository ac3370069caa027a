"""LibreOffice renders the Dataset sheet as the published edition is printed: A3 landscape,
one page wide, the header row repeated on every page."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from xlscorecard.layout import SHEET
from xlscorecard.libreoffice import sheet_pdf

A3_LANDSCAPE = (1190.55, 841.89)  # points


@pytest.fixture(scope="module")
def pdf(built, tmp_path_factory):
    if shutil.which("pdfinfo") is None:
        pytest.fail("poppler-utils is required: apt-get install poppler-utils")
    return sheet_pdf(built("2020-08"), SHEET, tmp_path_factory.mktemp("pdf"))


def pdf_info(path) -> dict[str, str]:
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in output.stdout.splitlines() if ":" in line)


def page_text(path, page: int) -> str:
    command = ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_pages_are_a3_landscape(pdf):
    width, _, height = pdf_info(pdf)["Page size"].split()[:3]
    assert (float(width), float(height)) == pytest.approx(A3_LANDSCAPE, abs=1)


def test_the_dataset_fills_a_few_pages_one_page_wide(pdf):
    pages = int(pdf_info(pdf)["Pages"])
    assert 2 <= pages <= 6
    # one page wide: the last column (commentary) is on the first page
    assert "Commentary (Aug-20)" in page_text(pdf, 1)


def test_the_header_row_repeats_on_every_page(pdf):
    pages = int(pdf_info(pdf)["Pages"])
    for page in range(1, pages + 1):
        text = page_text(pdf, page)
        assert all(word in text for word in ("Ref.", "Indicator", "DoT", "% change")), page


def test_the_title_and_last_indicator_are_printed(pdf):
    pages = int(pdf_info(pdf)["Pages"])
    assert "Aug-20 Monthly dataset" in page_text(pdf, 1)
    assert "LAC16" in page_text(pdf, pages)
