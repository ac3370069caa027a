"""How long taking and checking a return's checksum takes, in each form.

Run it from the repository root: ``python -m benchmarks.verify``. It builds the sample's Aug-20
workbook, saves its return (a stand-in PDF) and times, five times each, the median of:

- the checksum in form 2 (the canonical view of the package, read with the standard library,
  then hashed), as ``save-return`` and ``verify`` take it now;
- the checksum in the first form (openpyxl loading the return, its view, hashed), as they took
  it before (what ``verify`` still does, in both spellings, for a return saved before);
- ``verify`` of the return alone (no register beside it), and beside its register and working
  workbook (its bytes, PDF and Audit cross-checked);
- ``verify`` of the first-form returns in ``tests/fixtures/returns`` (saved before form 2, with
  and without lxml), alone.

Informative: there is no target, but form 2 should cost no more than the first form did.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.paths import FIXTURES, SAMPLE
from tests.support.returns import fake_pdf, make_ready
from xlscorecard.app.return_file import save_return_file, verify_file
from xlscorecard.app.workbook_file import build_file
from xlscorecard.jobs.checksum import digests, find_checksum
from xlscorecard.model import Month
from xlscorecard.returns.canonical import package_view
from xlscorecard.returns.digest import load_return
from xlscorecard.returns.openpyxl_view import book_view
from xlscorecard.workbook.layout import SHEET

RUNS = 5


def median_seconds(job: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def canonical_checksum(path: Path) -> str:
    view = package_view(path)
    return digests(view, (SHEET, find_checksum(view)[0])).total


def first_form_checksum(path: Path) -> str:
    view = book_view(load_return(path), path)
    return digests(view, (SHEET, find_checksum(view)[0])).total


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        build_file(SAMPLE, Month(2020, 8), folder / "built.xlsx")
        ready = make_ready(folder / "built.xlsx", folder / "dataset.xlsx")
        placed = save_return_file(ready, folder / "returns", pdf_maker=fake_pdf).placed
        alone = folder / "inbox" / placed.xlsx.name
        alone.parent.mkdir()
        shutil.copy(placed.xlsx, alone)
        first = {}
        for saved in ("with", "without"):
            first[saved] = folder / "inbox" / f"first form {saved} lxml.xlsx"
            shutil.copy(FIXTURES / "returns" / f"first form, saved {saved} lxml.xlsx", first[saved])
        figures = {
            "checksum, form 2 (standard library)": median_seconds(
                lambda: canonical_checksum(placed.xlsx)
            ),
            "checksum, first form (openpyxl)": median_seconds(
                lambda: first_form_checksum(placed.xlsx)
            ),
            "verify, the return alone": median_seconds(lambda: verify_file(alone)),
            "verify, beside its register and workbook": median_seconds(
                lambda: verify_file(placed.xlsx)
            ),
            "verify, a first-form return saved with lxml, alone": median_seconds(
                lambda: verify_file(first["with"])
            ),
            "verify, a first-form return saved without lxml, alone": median_seconds(
                lambda: verify_file(first["without"])
            ),
        }
    print(f"The sample's Aug-20 return ({RUNS} runs each, median):")
    for what, seconds in figures.items():
        print(f"  {what}: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
