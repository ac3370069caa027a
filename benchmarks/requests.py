"""Commentary requests: sending them and collecting a month's worth back, against typing the
same comments one ``comment`` command at a time.

Run it from the repository root: ``python -m benchmarks.requests``. On the Aug-20 sample it
times ``requests`` (one workbook per reporter), fills in every request (a comment on each of
the 55 indicators, a reason for each query), times ``collect`` of them all in one command, and
times one ``comment`` command (the way without requests takes one per comment). Target: one
collect of the whole month takes at most three ``comment`` commands' time.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.support.commentary import fill_in
from tests.support.paths import SAMPLE

TARGET = 3.0
"""A whole month collected in at most this many single comments' time."""


def timed(run) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main() -> int:
    from openpyxl import load_workbook

    from xlscorecard.app.request_file import collect_file, requests_file
    from xlscorecard.app.workbook_file import build_file, comment_file
    from xlscorecard.model import Month

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        workbook = folder / "dataset.xlsx"
        build_file(SAMPLE, Month(2020, 8), workbook)
        single = folder / "single.xlsx"
        shutil.copy(workbook, single)
        comment_seconds, _ = timed(lambda: comment_file(single, "M1", "One comment.", False))
        send_seconds, sent = timed(lambda: requests_file(workbook, folder / "requests"))
        comments = queries = 0
        for plan, path in sent:
            mine = {row.ref: f"{plan.reporter} on {row.ref}." for row in plan.rows}
            reasons = {query.ref: f"{plan.reporter} checked it." for query in plan.queries}
            fill_in(path, mine, reasons)
            comments, queries = comments + len(mine), queries + len(reasons)
        files = [path for _, path in sent]
        collect_seconds, collected = timed(lambda: collect_file(workbook, files, False, "bench"))
        again_seconds, _ = timed(lambda: collect_file(workbook, files, False, "bench"))
        book = load_workbook(workbook)
        authors = {
            row[3] for row in book["Commentary"].iter_rows(values_only=True) if row[1] == "2020-08"
        }
    ratio = collect_seconds / comment_seconds
    print(f"requests: {len(sent)} workbooks in {send_seconds:.2f} s")
    print(
        f"collect: {comments} comments and {queries} reasons from {len(files)} requests in "
        f"{collect_seconds:.2f} s ({collected.outcome.summary.split('.')[0]}); again "
        f"{again_seconds:.2f} s (nothing new)"
    )
    print(f"one comment command: {comment_seconds:.2f} s; {comments} of them would take about "
          f"{comments * comment_seconds:.0f} s")  # fmt: skip
    print(f"collect / one comment: {ratio:.2f} (target at most {TARGET:g}); "
          f"authors of Aug-20 comments: {len(authors)}")  # fmt: skip
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
