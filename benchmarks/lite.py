"""How long a press of each Scorecard button takes in xlwings Lite (Pyodide) against CPython.

Run it from the repository root: ``python -m benchmarks.lite``. It builds the Aug-20 workbook
carrying the Lite code from the bundled sample and from a generated catalogue ten times larger
(in a temporary folder), makes one of each ready to return, and presses every button as xlwings
Lite does (``tests/support/lite_press.py``: the workbook's own ``main.py`` through
``xlwings.server.custom_scripts_call`` on the book the Office.js client sends) in Pyodide under
node (``tests/support/pyodide.py``, one process for every press) and in CPython. Each button is
pressed twice; the faster press counts (the first also pays for imports). It prints seconds per
press and the ratio, and Pyodide's cold start (load Pyodide, install the wheels, first import).
The target: Pyodide at most 2.5 times CPython at both sizes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from tests.support import pyodide
from tests.support.catalogue import generate_catalogue
from tests.support.harness import payload
from tests.support.paths import SAMPLE
from tests.support.returns import make_ready

REPORT_MONTH = "2020-08"
SCRIPTS = ["validate", "refresh_month", "save_return", "show_help"]
TARGET = 2.5
REPEATS = 2


def workbooks(name: str, data_dir: Path, folder: Path) -> tuple[Path, Path]:
    """The Lite workbook for REPORT_MONTH, and a copy ready to return."""
    from xlscorecard.app.lite_file import lite_file
    from xlscorecard.app.workbook_file import build_file
    from xlscorecard.model.months import Month

    plain = folder / f"{name}.xlsx"
    build_file(data_dir, Month.parse(REPORT_MONTH), plain)
    ready = make_ready(plain, folder / f"{name} ready.xlsx")
    for path in (plain, ready):
        lite_file(path, backup=False)
    return plain, ready


def lite_payload(path: Path) -> dict:
    data = payload(load_workbook(path), path.name)
    data["client"] = "Office.js"
    return data


def main() -> int:
    from xlscorecard.xlsx import lite_code
    from xlscorecard.xlsx.carry_over import carried

    with tempfile.TemporaryDirectory(prefix="bench-lite-") as scratch:
        folder = Path(scratch)
        sizes = {"sample": SAMPLE, "10x": generate_catalogue(SAMPLE, folder / "x10", 10)}
        jobs, labels = [], []
        for name, data_dir in sizes.items():
            plain, ready = workbooks(name, data_dir, folder)
            data, ready_data = lite_payload(plain), lite_payload(ready)
            for script in SCRIPTS:
                for _ in range(REPEATS):
                    jobs.append(
                        {
                            "script": script,
                            "payload": ready_data if script == "save_return" else data,
                        }
                    )
                    labels.append((name, script))
        code = lite_code.lite_code(carried(plain))
        in_pyodide = pyodide.run(code.main, jobs, code.requirements)
        in_cpython = pyodide.run_cpython(code.main, jobs)
    best: dict[tuple[str, str], list[float]] = {}
    for label, py, cp in zip(labels, in_pyodide["results"], in_cpython, strict=True):
        for result in (py, cp):
            if "error" in result:
                print(result["error"], file=sys.stderr)
                return 1
        times = best.setdefault(label, [float("inf"), float("inf")])
        times[0] = min(times[0], py["seconds"])
        times[1] = min(times[1], cp["seconds"])
    print(f"Pyodide {pyodide.VERSION} cold start: {in_pyodide['cold_start']:.1f} s")
    print(f"{'size':<8}{'button':<15}{'Pyodide s':>10}{'CPython s':>10}{'ratio':>7}")
    worst = 0.0
    for (size, script), (py, cp) in best.items():
        ratio = py / cp if cp else float("nan")
        if script != "show_help":
            worst = max(worst, ratio)
        print(f"{size:<8}{script:<15}{py:>10.2f}{cp:>10.2f}{ratio:>7.1f}")
    verdict = "within" if worst <= TARGET else "over"
    print(f"Worst ratio (Help aside, a message only): {worst:.1f}: {verdict} the target {TARGET}.")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
