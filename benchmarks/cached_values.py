"""What storing each formula's cached value adds to ``build`` and ``refresh``.

Run it from the repository root: ``python -m benchmarks.cached_values``. For the bundled sample
and a generated catalogue ten times larger (550 indicators, in a temporary folder) it times
``build_file`` and ``refresh_file`` (best of five) as they are, and with the cached values left
out (the save is openpyxl's plain ``save``, as before), and prints the difference.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.catalogue import generate_catalogue
from tests.support.paths import SAMPLE

REPEATS = 5


def best(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(name: str, data_dir: Path, folder: Path) -> list[tuple[str, float, float]]:
    from xlscorecard.files import cached
    from xlscorecard.files.workbook_file import build_file, refresh_file
    from xlscorecard.model.months import Month

    built = folder / f"{name}.xlsx"
    scratch = folder / f"{name}-refreshed.xlsx"

    def build() -> None:
        build_file(data_dir, Month(2020, 8), built)

    def refresh() -> None:
        shutil.copy(built, scratch)
        refresh_file(scratch, backup=False, user="benchmark", when="2020-09-30 17:00:00")

    results = []
    for job, run in (("build", build), ("refresh", refresh)):
        with_values = best(run)
        original = cached.write_workbook
        cached.write_workbook = lambda workbook, target: workbook.save(target)
        _patch(cached.write_workbook)
        try:
            without = best(run)
        finally:
            cached.write_workbook = original
            _patch(original)
        results.append((job, with_values, without))
    build()
    return results


def _patch(function) -> None:
    """The writers import ``write_workbook`` by name: point them all at ``function``."""
    from xlscorecard.files import return_file, safe_write, template, workbook_file

    for module in (safe_write, workbook_file, return_file, template):
        module.write_workbook = function


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="xlscorecard-bench-") as name:
        folder = Path(name)
        large = generate_catalogue(SAMPLE, folder / "x10", 10)
        print(f"{'workbook':<22}{'job':<9}{'with values':>13}{'without':>10}{'added':>10}")
        for label, data in (("sample (55)", SAMPLE), ("10x catalogue (550)", large)):
            for job, with_values, without in measure(label.split()[0], data, folder):
                added = with_values - without
                print(
                    f"{label:<22}{job:<9}{with_values * 1000:>11.0f}ms{without * 1000:>8.0f}ms"
                    f"{added * 1000:>8.0f}ms ({added / without:+.0%})"
                )


if __name__ == "__main__":
    main()
