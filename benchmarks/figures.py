"""How long ``xlscorecard figures`` takes on a large council's case-level files.

Run it from the repository root: ``python -m benchmarks.figures``. It generates a cohort of
4,000 invented children over three years (``tools/caselevel_sample.py``, a fixed seed: a CIN
census XML, the 903 episodes and UASC tables, an Annex A workbook), then times the whole
``figures`` job (reading every file, counting the sample's 31 mapped indicators for 24 months,
writing the extract and the trail), best of three; and the same at ten times the cohort, to
show the time grows linearly. The target: under 2 s at 1x; 10x within 10x (plus a margin of
a quarter) of it. ``--csv-annex`` writes Annex A list 1 as CSV instead of a workbook.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from tests.support.paths import ROOT
from tools.caselevel_sample import generate
from xlscorecard.app.figures_file import figures_file
from xlscorecard.model import Month

CHILDREN = 4_000
FIRST, LAST = dt.date(2019, 4, 1), dt.date(2022, 3, 31)
MONTHS = 24
TARGET_SECONDS = 2.0
LINEAR_MARGIN = 1.25
REPEATS = 3


def run(children: int, folder: Path, annex: str) -> tuple[float, float, dict[str, int], int]:
    files = folder / f"files-{children}"
    made = generate(files, children, seed=7, first=FIRST, last=LAST, annex=annex)
    sizes = {"referrals": sum(len(d) for _, _, d in made["cin"]),
             "episodes": len(made["episodes"]), "contacts": len(made["contacts"])}  # fmt: skip
    timings, cpu = [], []
    for attempt in range(REPEATS):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = figures_file(
            ROOT / "samples" / "southampton", Month(2022, 3), MONTHS, files,
            folder / f"extract-{children}.csv", folder / f"trail-{children}-{attempt}",
        )  # fmt: skip
        timings.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return min(timings), min(cpu), sizes, len(result.rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-annex", action="store_true")
    args = parser.parse_args(argv)
    annex = "annex_a.csv" if args.csv_annex else "annex_a.xlsx"
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        results = {}
        for scale in (1, 10):
            best, cpu, sizes, rows = run(CHILDREN * scale, folder, annex)
            results[scale] = cpu
            counts = ", ".join(f"{n:,} {what}" for what, n in sizes.items())
            print(f"{scale}x: {CHILDREN * scale:,} children ({counts}); Annex A as {annex}")
            print(f"  figures, {MONTHS} months, {rows} figures, with the trail: best of "
                  f"{REPEATS} {best:.2f} s elapsed, {cpu:.2f} s of CPU")  # fmt: skip
    ratio = results[10] / results[1]
    fast = results[1] < TARGET_SECONDS
    linear = ratio <= 10 * LINEAR_MARGIN
    print(f"  target 1x < {TARGET_SECONDS:.0f} s of CPU (elapsed time on a busy machine is "
          f"more): {'within' if fast else 'OVER'}")  # fmt: skip
    print(f"  10x / 1x CPU = {ratio:.1f} (linear: at most {10 * LINEAR_MARGIN:.1f}): "
          f"{'within' if linear else 'OVER'}")  # fmt: skip
    return 0 if fast and linear else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
