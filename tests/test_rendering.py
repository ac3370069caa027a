"""LibreOffice renders the Dataset sheet as the published edition is printed: A3 landscape,
one page wide, the header row repeated on every page; the pages rasterise to PNGs with ink on
them. Both the built workbook and the one refresh rolled on a month are rendered."""

from __future__ import annotations

import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

A3_LANDSCAPE = (1190.55, 841.89)  # points

RENDERED = {
    "built Aug-20": ("Aug-20", lambda request: request.getfixturevalue("built")("2020-08")),
    "refreshed Sep-20": ("Sep-20", lambda request: request.getfixturevalue("refreshed")),
}


@dataclass(frozen=True)
class Rendered:
    month: str  # the report month, as the sheet labels it
    pdf: Path


@pytest.fixture(scope="module", params=list(RENDERED))
def rendered(request, dataset_pdf) -> Rendered:
    month, workbook = RENDERED[request.param]
    return Rendered(month, dataset_pdf(workbook(request)))


def pdf_info(path) -> dict[str, str]:
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {
        key: value.strip()
        for key, value in (line.split(":", 1) for line in output.stdout.splitlines() if ":" in line)
    }


def page_count(path) -> int:
    return int(pdf_info(path)["Pages"])


def page_text(path, page: int) -> str:
    command = ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_pages_are_a3_landscape(rendered):
    width, _, height = pdf_info(rendered.pdf)["Page size"].split()[:3]
    assert (float(width), float(height)) == pytest.approx(A3_LANDSCAPE, abs=1)


def test_the_dataset_fills_a_few_pages_one_page_wide(rendered):
    assert 2 <= page_count(rendered.pdf) <= 6
    # one page wide: the last column (commentary) is on the first page
    assert f"Commentary ({rendered.month})" in page_text(rendered.pdf, 1)


def test_the_header_row_repeats_on_every_page(rendered):
    for page in range(1, page_count(rendered.pdf) + 1):
        text = page_text(rendered.pdf, page)
        assert all(word in text for word in ("Ref.", "Indicator", "DoT", "% change")), page


def test_the_title_and_last_indicator_are_printed(rendered):
    assert f"{rendered.month} Monthly dataset" in page_text(rendered.pdf, 1)
    assert "LAC16" in page_text(rendered.pdf, page_count(rendered.pdf))


# --- PNG -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pngs(rendered, tmp_path_factory) -> list[Path]:
    """Each page of the PDF as a PNG, at 50 dots per inch."""
    folder = tmp_path_factory.mktemp("png")
    command = ["pdftoppm", "-png", "-r", "50", str(rendered.pdf), str(folder / "page")]
    subprocess.run(command, capture_output=True, check=True)
    return sorted(folder.glob("page-*.png"))


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of grey levels) of an 8-bit greyscale or RGB PNG, as pdftoppm
    writes them (no Pillow here: the format is short)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    position, compressed = 8, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (0, 2) and interlace == 0, (depth, colour, interlace)
        elif kind == b"IDAT":
            compressed += body
    size = 3 if colour == 2 else 1
    raw, stride = zlib.decompress(compressed), width * size
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up, corner = previous[x], previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                near = min(
                    (abs(estimate - left), 0, left),
                    (abs(estimate - up), 1, up),
                    (abs(estimate - corner), 2, corner),
                )
                line[x] = (line[x] + near[2]) & 0xFF
        previous = line
        rows.append(bytes(line[size // 2 :: size]))  # grey, or green of RGB
    return width, height, rows


def test_every_page_renders_to_a_png(rendered, pngs):
    assert len(pngs) == page_count(rendered.pdf)


def test_the_pngs_are_a3_landscape(pngs):
    for png in pngs:
        width, height = struct.unpack(">II", png.read_bytes()[16:24])
        assert width / height == pytest.approx(A3_LANDSCAPE[0] / A3_LANDSCAPE[1], rel=0.01), png


def test_the_png_reader_reads_what_pdftoppm_drew(rendered, pngs, tmp_path):
    """The same page as a raw PPM (no compression, no filters) has the same pixels."""
    command = ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", str(rendered.pdf), str(tmp_path / "p")]
    subprocess.run(command, capture_output=True, check=True)
    ppm = next(tmp_path.glob("p-*.ppm")).read_bytes()
    width, height, rows = png_pixels(pngs[0])
    header = f"P6\n{width} {height}\n255\n".encode()
    assert ppm.startswith(header)
    assert b"".join(rows) == ppm[len(header) :][1::3]  # green


def test_the_pngs_have_ink_on_them(pngs):
    """Not blank, not a solid block: between 1% and 50% of the pixels are dark."""
    for png in pngs:
        width, height, rows = png_pixels(png)
        dark = sum(value < 160 for row in rows for value in row)
        assert 0.01 < dark / (width * height) < 0.5, png


def word_heights(path, page: int) -> list[float]:
    """Each printed word's height in points, as poppler measures its box (about its font size
    at print size)."""
    import re

    command = ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path), "-"]
    boxes = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">', boxes)
    return [float(bottom) - float(top) for top, bottom in found]


def test_every_word_prints_at_six_points_or_more(rendered):
    """Printed one A3 page wide, the sheet's 9-point text comes out at 6.5 points: the column
    widths are chosen for it (workbook/layout.py)."""
    heights = word_heights(rendered.pdf, 1)
    assert len(heights) > 1000
    assert min(heights) >= 6.0, sorted(heights)[:5]


def test_the_arrows_are_printed_beside_the_figures(built, dataset_pdf):
    """The built Aug-20 sample (a refreshed month has no changes yet): each % change is
    printed with its arrow as a character before it, a fall with its minus sign."""
    import re

    pdf = dataset_pdf(built("2020-08"))
    text = "".join(page_text(pdf, n) for n in range(1, page_count(pdf) + 1))
    arrowed = re.findall(r"[↑↓→] -?\d+%", text)
    assert len(arrowed) > 60 and {found[0] for found in arrowed} == {"↑", "↓", "→"}
    assert "↓ -69%" in text and "↑ 300%" in text  # LAC2 fell 69% from Jul-20, LAC3 rose 300%
