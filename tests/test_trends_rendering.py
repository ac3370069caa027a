"""LibreOffice renders the built workbook as it is (the whole file, no copy): the Trends sheet
prints a chart per indicator, three by three on A3 landscape pages, with its dots in Making
Data Count's colours; each Variation and Assurance cell is filled with the colour its words
name, in the built workbook and in the official return's PDF alike.

Looked at by eye as well (docs/trends-aug-20.png is its first page)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from xlscorecard.calc.spc_report import spc_report
from xlscorecard.model import Month
from xlscorecard.returns.libreoffice import convert
from xlscorecard.xlsx.styles import MDC_COLOURS

A3_LANDSCAPE = (1190.55, 841.89)
DPI = 100


@dataclass(frozen=True)
class Page:
    number: int
    text: str


@pytest.fixture(scope="module")
def whole_pdf(built, tmp_path_factory) -> Path:
    """Every sheet of the built Aug-20 workbook, printed by LibreOffice from the file itself."""
    return convert(built("2020-08"), "pdf", tmp_path_factory.mktemp("whole"))


def pages(pdf: Path) -> list[Page]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    return [Page(n, page_text(pdf, n)) for n in range(1, count + 1)]


def page_text(pdf: Path, number: int) -> str:
    command = ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def trends_pages(pdf: Path) -> list[Page]:
    return [page for page in pages(pdf) if "Trends: page" in page.text]


def pixels(pdf: Path, number: int, folder: Path) -> tuple[int, int, bytes]:
    """(width, height, RGB bytes) of one page at :data:`DPI` (pdftoppm's raw PPM)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"page{number}"
    command = ["pdftoppm", "-r", str(DPI), "-f", str(number), "-l", str(number), str(pdf), stem]
    subprocess.run(command, capture_output=True, check=True)
    (ppm,) = folder.glob(f"page{number}-*.ppm")
    data = ppm.read_bytes()
    magic, width, height, depth, body = data.split(maxsplit=4)
    assert (magic, depth) == (b"P6", b"255")
    return int(width), int(height), body


def near(pixel: bytes, colour: str, tolerance: int = 12) -> bool:
    target = bytes.fromhex(colour)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True))


def count_near(body: bytes, colour: str) -> int:
    return sum(near(body[k : k + 3], colour) for k in range(0, len(body), 3))


# -- the Trends sheet ---------------------------------------------------------------------------
def test_the_trends_sheet_prints_on_a3_landscape_pages_nine_charts_a_page(whole_pdf, sample):
    found = trends_pages(whole_pdf)
    assert len(found) == -(-len(sample.refs) // 9)
    for page in found:
        command = ["pdfinfo", "-f", str(page.number), "-l", str(page.number), str(whole_pdf)]
        info = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        size = re.search(rf"Page\s+{page.number} size:\s+([\d.]+) x ([\d.]+)", info)
        assert (float(size[1]), float(size[2])) == pytest.approx(A3_LANDSCAPE, abs=1)


def test_every_indicators_chart_is_printed_with_its_title(whole_pdf, sample):
    text = " ".join(" ".join(page.text.split()) for page in trends_pages(whole_pdf))
    for indicator in sample.indicators:
        first_words = " ".join(indicator.name.split()[:2])
        assert f"{indicator.ref} {first_words}" in text, indicator.ref


def test_the_charts_are_drawn_with_lines_and_dots_in_mdc_colours(whole_pdf, tmp_path):
    first = trends_pages(whole_pdf)[0]
    _, _, body = pixels(whole_pdf, first.number, tmp_path)
    # page 1: M3 and M1 (neither way better) have purple dots, M8-QL blue and orange ones
    for kind in ("improvement", "concern", "neither"):
        assert count_near(body, MDC_COLOURS[kind]) > 40, kind
    assert count_near(body, "7F7F7F") > 2000  # the figures' lines and the dashed limits
    assert count_near(body, "404040") > 500  # the means


def test_the_month_axis_names_the_months(whole_pdf):
    text = trends_pages(whole_pdf)[0].text
    assert all(month in text for month in ("Apr-19", "Jan-20", "Jul-20"))
    assert "Sep-18" not in text  # the axes start at the first month with a figure, Apr-19


# -- the Variation and Assurance cells --------------------------------------------------------
WORD_COLOURS = {
    "Improvement": MDC_COLOURS["improvement"],
    "Concern": MDC_COLOURS["concern"],
    "Neither": MDC_COLOURS["neither"],
    "Common": MDC_COLOURS["common"],
    "Fail": MDC_COLOURS["concern"],
}


def coloured_words(pdf: Path, number: int, folder: Path) -> list[tuple[str, bool]]:
    """Each Variation or Assurance word on a page, and whether the cell around it is filled
    with the colour the word names: most of the background of the word's own box (between
    and around its letters) is that colour (above or beside it may be the white gap that
    keeps neighbouring cells apart)."""
    command = ["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(pdf), "-"]
    xml = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    boxes = [
        (word, *map(float, box))
        for *box, word in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', xml
        )
    ]
    headers = {word: (x0, x1) for word, x0, _, x1, _ in boxes if word in ("Variation", "Assurance")}
    left, right = headers["Variation"][0] - 20, headers["Assurance"][1] + 20
    width, _, body = pixels(pdf, number, folder)
    scale = DPI / 72
    found = []
    for word, x0, y0, x1, y1 in boxes:
        if word in WORD_COLOURS and left <= x0 and x1 <= right:
            inside = [
                body[(y * width + x) * 3 : (y * width + x) * 3 + 3]
                for y in range(int(y0 * scale), int(y1 * scale) + 1)
                for x in range(int(x0 * scale), int(x1 * scale) + 1)
            ]
            filled = sum(near(pixel, WORD_COLOURS[word], tolerance=20) for pixel in inside)
            found.append((word, filled >= len(inside) / 2))
    return found


def test_libreoffice_fills_each_variation_cell_with_the_colour_of_its_words(whole_pdf, tmp_path):
    dataset = range(1, trends_pages(whole_pdf)[0].number)  # the sheets print in order
    found = [
        item
        for number in dataset
        for item in coloured_words(whole_pdf, number, tmp_path / str(number))
    ]
    words = {word for word, _ in found}
    assert {"Improvement", "Concern", "Neither", "Common", "Fail"} <= words
    assert all(ok for _, ok in found), [word for word, ok in found if not ok]


def test_the_returns_pdf_fills_them_too(official_return, tmp_path):
    pdf = official_return.with_suffix(".pdf")
    found = [
        item
        for page in pages(pdf)  # the Dataset sheet alone
        for item in coloured_words(pdf, page.number, tmp_path / str(page.number))
    ]
    assert {"Improvement", "Neither", "Common", "Fail"} <= {word for word, _ in found}
    assert all(ok for _, ok in found), [word for word, ok in found if not ok]


def test_the_sample_shows_each_kind_of_signal(sample):
    """What the rendering tests above rely on the sample to show in Aug-20."""
    kinds = {result.variation for result in spc_report(sample, Month(2020, 8)).values()}
    assert {"improvement", "concern", "neither", "common"} <= kinds
