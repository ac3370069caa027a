"""Make docs/request-aug-20.png: Mary Hardy's Aug-20 commentary request, filled in as
docs/commentary.md's story says, as LibreOffice prints it (PDF, then pdftoppm).

Run from the repository root: ``python -m tools.request_picture``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.commentary import write_requests
from tests.support.paths import ROOT, SAMPLE
from xlscorecard.app.request_file import requests_file
from xlscorecard.app.workbook_file import build_file, refresh_file
from xlscorecard.model import Month
from xlscorecard.returns.libreoffice import convert

PICTURE = ROOT / "docs" / "request-aug-20.png"
WIDTH = 1654
"""Pixels across, as docs/dataset-aug-20.png."""


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        workbook = folder / "dataset.xlsx"
        build_file(SAMPLE, Month(2020, 7), workbook)
        refresh_file(workbook, extract=SAMPLE / "extracts" / "2020-08.csv", backup=False)
        requests_file(workbook, folder / "requests", "Thu 10 Sep 2020", user="Pat Officer")
        write_requests(folder)
        pdf = convert(folder / "requests" / "Mary Hardy Aug-20.xlsx", "pdf", folder / "pdf")
        stem = folder / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-singlefile", "-scale-to-x", str(WIDTH), "-scale-to-y", "-1",
             str(pdf), str(stem)],
            check=True,
        )  # fmt: skip
        shutil.copy(stem.with_suffix(".png"), PICTURE)
    print(f"Wrote {PICTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
