"""How long Refresh month and build take on a file, against the floor openpyxl sets.

Run it from the repository root: ``python -m benchmarks.refresh``. It generates a catalogue ten
times the sample's size (550 indicators), builds its Aug-20 workbook, and times, three times
each in this one run, a bare openpyxl load and save of that workbook (the floor: the least any
tool that keeps every part of a file must do) and ``xlscorecard refresh`` of a copy of it. It
prints the medians and their ratio (the target: at most 1.5), what SPC and the Trends sheet
take of a refresh (working out every indicator's SPC, writing the Trends sheet's table and
drawing its charts, and saving them), the time to build the sample's workbook (the target:
under 1 second), and with ``--profile`` where a refresh spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from tests.support.catalogue import generate_catalogue
from tests.support.paths import SAMPLE
from xlscorecard.app.workbook_file import build_file, open_book, refresh_file
from xlscorecard.calc.spc_report import spc_report
from xlscorecard.model import Month
from xlscorecard.workbook import schema as sheets
from xlscorecard.xlsx.trends import write_trends

MONTH = Month(2020, 8)
RUNS = 3
TARGET_RATIO = 1.5
TARGET_BUILD_SECONDS = 1.0


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def floor(source: Path, scratch: Path) -> float:
    """openpyxl loading the workbook and saving it again, nothing else."""
    return timed(lambda: load_workbook(source).save(scratch / "floor.xlsx"))


def build_sample(scratch: Path) -> float:
    """Seconds to build the sample's workbook (a new file each time: build never replaces)."""
    target = scratch / f"sample-{len(list(scratch.glob('sample-*.xlsx')))}.xlsx"
    return timed(lambda: build_file(SAMPLE, MONTH, target))


def refresh(source: Path, scratch: Path) -> float:
    copy = scratch / "refreshed.xlsx"
    shutil.copy(source, copy)
    return timed(lambda: refresh_file(copy, backup=False))


def spc_parts(source: Path, scratch: Path) -> tuple[float, float, float]:
    """Seconds to work out SPC, to write the Trends sheet (table and charts), and to save it
    (the save with it less the save without it)."""
    workbook, book = open_book(source)
    start = time.perf_counter()
    report = spc_report(book.dataset, book.month)
    spc = time.perf_counter() - start
    trends = timed(lambda: write_trends(workbook, book.dataset, book.month, report))
    with_trends = timed(lambda: workbook.save(scratch / "with.xlsx"))
    workbook.remove(workbook[sheets.TRENDS])
    without = timed(lambda: workbook.save(scratch / "without.xlsx"))
    return spc, trends, with_trends - without


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="print where a refresh spends time")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlscorecard-bench-") as folder:
        scratch = Path(folder)
        large = generate_catalogue(SAMPLE, scratch / "catalogue-x10", 10)
        source = scratch / "x10.xlsx"
        build_file(large, MONTH, source)
        builds = [build_sample(scratch)]
        floors, refreshes, parts = [], [], []
        for _ in range(RUNS):
            floors.append(floor(source, scratch))
            refreshes.append(refresh(source, scratch))
            builds.append(build_sample(scratch))
            parts.append(spc_parts(source, scratch))
        ratio = statistics.median(refreshes) / statistics.median(floors)
        build = statistics.median(builds)
        print(f"Refresh month on a 550-indicator workbook, median of {RUNS} (seconds)\n")
        print(f"  openpyxl load + save (the floor)  {statistics.median(floors):6.2f}")
        print(f"  xlscorecard refresh               {statistics.median(refreshes):6.2f}")
        print(f"  ratio                             {ratio:6.2f}   (target <= {TARGET_RATIO})")
        spc, trends, saving = (statistics.median(part) for part in zip(*parts, strict=True))
        print("\n  of a refresh, SPC and the Trends sheet:")
        print(f"    every indicator's SPC           {spc:6.2f}")
        print(f"    the Trends table and charts     {trends:6.2f}")
        print(f"    saving them                     {saving:6.2f}")
        print(f"\nBuild of the sample (55 indicators) {build:6.2f}   (target < 1)")
        if arguments.profile:
            shutil.copy(source, scratch / "profiled.xlsx")
            profile = cProfile.Profile()
            profile.runcall(refresh_file, scratch / "profiled.xlsx", backup=False)
            print()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    ok = ratio <= TARGET_RATIO and build < TARGET_BUILD_SECONDS
    print("\nmeets the targets" if ok else "\nMISSES a target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
