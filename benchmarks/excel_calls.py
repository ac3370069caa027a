"""How many Excel calls, and how much Python time, one press of "Refresh month" costs.

Run it from the repository root: ``python -m benchmarks.excel_calls``. It builds the Aug-20
workbook from the bundled sample and from a generated catalogue ten times larger (550
indicators, in a temporary folder), presses Refresh month on each through xlwings' remote
engine (``tests/support/harness.py``: the entry point runs unchanged; every action it queues
is one Excel call in production), and prints a table. Before the press it types what a month
brings besides its figures (a comment, a correction to last month), so that History,
Commentary and Audit are written too. The target: at most 12 calls, the same number at ten
times the size.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.catalogue import generate_catalogue
from tests.support.harness import MAX_CALLS, press
from tests.support.paths import SAMPLE

REPORT_MONTH = "2020-08"


@dataclass
class Measure:
    name: str
    indicators: int
    calls: int
    seconds: float
    checks_seconds: float
    actions: list[str]
    message: str


def measure(name: str, data_dir: Path, folder: Path) -> Measure:
    """Build the workbook for REPORT_MONTH and press Refresh month on it once."""
    from xlscorecard.app.workbook_file import build_file as build
    from xlscorecard.jobs import roll_forward as rolling
    from xlscorecard.model.months import Month

    path = folder / f"{name}.xlsx"
    count = build(data_dir, Month.parse(REPORT_MONTH), path)
    type_a_months_edits(path)
    spent = [0.0]
    run_rules = rolling.run_rules

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return run_rules(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    rolling.run_rules = timed
    try:
        pressed = press(path)
    finally:
        rolling.run_rules = run_rules
    sheets = _sheet_names(path)
    return Measure(
        name, count, pressed.calls, pressed.seconds, spent[0],
        [_describe(action, sheets) for action in pressed.actions], pressed.message,
    )  # fmt: skip


def type_a_months_edits(path: Path) -> None:
    """What a month brings besides its figures, so that History, Commentary and Audit change
    too: a comment typed on the first indicator, its previous month's figure corrected."""
    from openpyxl import load_workbook

    from xlscorecard.workbook.layout import SHEET, Field
    from xlscorecard.workbook.reading import read_book
    from xlscorecard.xlsx.reader import contents_of
    from xlscorecard.xlsx.writer import layout_for

    book = load_workbook(path)
    live = read_book(contents_of(book, path.name))
    layout = layout_for(live.dataset)
    first = next(item for item in live.dataset.indicators if not item.is_derived)
    sheet = book[SHEET]
    sheet[layout.cell(first.ref, Field.COMMENTARY)] = "Typed in Excel this month."
    corrected = sheet[layout.month_cell(first.ref, 1)]
    corrected.value = (corrected.value or 0) + 1
    book.save(path)


def _sheet_names(path: Path) -> list[str]:
    from openpyxl import load_workbook

    return load_workbook(path, read_only=True).sheetnames


def _describe(action: dict, sheets: list[str]) -> str:
    if action["func"] == "setValues":
        sheet = sheets[action["sheet_position"]]
        return f"setValues {sheet} {action['row_count']}x{action['column_count']}"
    if action["func"] == "runMacro":
        return f"runMacro {action['args'][0].rsplit('.', 1)[-1]}({action['args'][1]})"
    return action["func"]


def run(folder: Path) -> list[Measure]:
    large = generate_catalogue(SAMPLE, folder / "catalogue-x10", 10)
    return [measure("sample", SAMPLE, folder), measure("catalogue x10", large, folder)]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="xlscorecard-bench-") as scratch:
        results = run(Path(scratch))
    print("One press of Refresh month (remote engine; one action = one Excel call)\n")
    print(f"{'workbook':<15}{'indicators':>11}{'Excel calls':>13}{'Python s':>10}{'checks s':>10}")
    for item in results:
        print(
            f"{item.name:<15}{item.indicators:>11}{item.calls:>13}{item.seconds:>10.2f}"
            f"{item.checks_seconds:>10.2f}"
        )
    for item in results:
        print(f"\n{item.name}: {item.message}")
        for number, action in enumerate(item.actions, start=1):
            print(f"  {number:>2}. {action}")
    calls = {item.calls for item in results}
    ok = max(calls) <= MAX_CALLS and len(calls) == 1
    verdict = "meets" if ok else "MISSES"
    print(f"\n{verdict} the target: at most {MAX_CALLS} calls, the same at ten times the size.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
