"""What storing each formula's cached value adds to ``build`` and ``refresh``.

Run it from the repository root: ``python -m benchmarks.cached_values``. For the bundled sample
and a generated catalogue ten times larger (550 indicators, in a temporary folder) it builds the
Aug-20 workbook and refreshes a copy to Sep-20, timing each command (best of seven), and times
the save alone on the same workbook in memory: xlscorecard's save (openpyxl's, then the cached
values and calculation settings: ``xlsx/save.py``) against openpyxl's plain ``save``. The
difference is what the cached values add to every command that writes a workbook.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.catalogue import generate_catalogue
from tests.support.paths import SAMPLE

REPEATS = 7


def best(run: Callable[[], object]) -> float:
    """The fastest of REPEATS runs, in seconds (the machine's other work only adds time)."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(name: str, data_dir: Path, folder: Path) -> list[tuple[str, float, float, float]]:
    """(job, command seconds, xlscorecard's save, openpyxl's plain save) for build and refresh."""
    from openpyxl import load_workbook

    from xlscorecard.app.workbook_file import build_file, refresh_file
    from xlscorecard.model.months import Month
    from xlscorecard.xlsx.save import write_workbook

    built = folder / f"{name}.xlsx"
    refreshed = folder / f"{name}-refreshed.xlsx"
    scratch = folder / f"{name}-scratch.xlsx"

    def build() -> None:
        built.unlink(missing_ok=True)  # build never replaces a workbook
        build_file(data_dir, Month(2020, 8), built)

    def refresh() -> None:
        shutil.copy(built, refreshed)
        refresh_file(refreshed, backup=False, user="benchmark", when="2020-09-30 17:00:00")

    results = []
    for job, run, made in (("build", build, built), ("refresh", refresh, refreshed)):
        command = best(run)
        book = load_workbook(made)
        ours = best(lambda: write_workbook(book, scratch))  # noqa: B023
        plain = best(lambda: book.save(scratch))  # noqa: B023
        results.append((job, command, ours, plain))
    return results


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="xlscorecard-bench-") as name:
        folder = Path(name)
        large = generate_catalogue(SAMPLE, folder / "x10", 10)
        print(f"{'workbook':<22}{'job':<9}{'command':>9}{'save':>8}{'plain':>8}{'added':>18}")
        for label, data in (("sample (55)", SAMPLE), ("10x catalogue (550)", large)):
            for job, command, ours, plain in measure(label.split()[0], data, folder):
                added = ours - plain
                print(
                    f"{label:<22}{job:<9}{command * 1000:>7.0f}ms{ours * 1000:>6.0f}ms"
                    f"{plain * 1000:>6.0f}ms{added * 1000:>8.0f}ms ({added / command:.0%} of"
                    " the command)"
                )


if __name__ == "__main__":
    main()
