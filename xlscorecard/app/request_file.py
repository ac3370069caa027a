"""The commentary requests' commands on files: one request workbook per reporter written out
(``requests``), the returned ones taken back into the working workbook (``collect``) through
its one write path (its lock, plan, backups and atomic save), and the month's drafts
(``drafts``, ``--write`` puts them on the Drafts sheet the same way). The request workbook
itself is :mod:`xlscorecard.xlsx.request_book`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from ..errors import Refused, ScorecardError
from ..jobs import requests as job
from ..jobs.plan import drafts_plan, outcome_plan
from ..jobs.validate import validate
from ..model import Dataset
from ..store.identity import now, os_user
from ..store.safe_write import atomic_write
from ..xlsx.apply import save_plan
from ..xlsx.request_book import EXCEL_LOCK, read_request, request_workbook
from ..xlsx.save import write_workbook
from .session import one_at_a_time
from .workbook_file import open_book, open_for_change

TITLE_ROW, SUBTITLE_ROW, NEEDED_ROW, KEY_ROW, HEADER_ROW = 1, 2, 3, 4, 5


# -- out --------------------------------------------------------------------------------------
@one_at_a_time("requests", reading=True)
def requests_file(
    path: Path,
    folder: Path,
    due: str = "",
    user: str | None = None,
    when: str | None = None,
    force: bool = False,
) -> list[tuple[job.RequestPlan, Path]]:
    """Write a request per reporter into ``folder`` (made if need be); never over a file
    already there unless ``force``. The workbook itself is not changed."""
    user, when = user or os_user(), when or now()
    _, book = open_book(path, writing=False)
    findings = validate(book, user, when).findings  # in memory: nothing is saved
    plans = job.plan_requests(book, findings, due, when, user)
    return write_requests(plans, book.dataset, Path(folder), force)


def write_requests(
    plans: list[job.RequestPlan], dataset: Dataset, folder: Path, force: bool = False
) -> list[tuple[job.RequestPlan, Path]]:
    """Write each request into ``folder`` (made if need be), each file atomically; refused,
    with nothing written, if any is there already (unless ``force``)."""
    targets = [(plan, folder / plan.file_name) for plan in plans]
    there = [target.name for _, target in targets if target.exists()]
    if there and not force:
        raise Refused(
            f"{folder} already holds {', '.join(there[:3])}"
            f"{f' and {len(there) - 3} more' if len(there) > 3 else ''}: requests never "
            "replace a file (it may be one already filled in). Give another folder with -o, "
            "or add --force to replace them (nothing was written)."
        )
    if folder.exists() and not folder.is_dir():
        raise ScorecardError(f"cannot write requests into {folder}: it is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    for plan, target in targets:
        atomic_write(target, partial(write_workbook, request_workbook(plan, dataset)))
    return targets


@one_at_a_time("collect")
def collect_file(
    path: Path,
    files: list[Path],
    backup: bool = True,
    user: str | None = None,
    when: str | None = None,
) -> job.Collected:
    """Take the comments and reasons of returned requests into the workbook (each with its
    reporter as who), saving it once; a request of another workbook or month refuses them
    all, with nothing changed."""
    locks = [Path(each) for each in files if Path(each).name.startswith(EXCEL_LOCK)]
    files = [Path(each) for each in files if not Path(each).name.startswith(EXCEL_LOCK)]
    if not files:
        raise ScorecardError("give at least one returned request file to collect")
    returned = [read_request(each) for each in files]
    user, when = user or os_user(), when or now()
    workbook, book, contents = open_for_change(path)
    collected = job.collect(book, returned, user, when)
    collected.lines[:0] = [
        f"{lock.name}: left, not a request: Excel's mark that {lock.name[2:]} is open (a "
        "request being written is collected once it is saved and closed)"
        for lock in locks
    ]
    plan = outcome_plan(contents, book, collected.outcome)
    saved = save_plan(workbook, plan, path, backup)
    collected.changed = saved
    if not saved:
        collected.outcome.summary += f" {Path(path).name} was not changed."
    return collected


# -- drafts -------------------------------------------------------------------------------------
@one_at_a_time("drafts")
def drafts_file(
    path: Path,
    refs: tuple[str, ...] = (),
    write: bool = False,
    backup: bool = True,
    user: str | None = None,
) -> dict[str, str]:
    """The month's draft of each indicator (or of ``refs``), by ref; with ``write``, put on
    the workbook's Drafts sheet too (saved as every command saves)."""
    workbook, book, before = open_for_change(path, writing=write)
    found = job.month_drafts(book)
    unknown = [ref for ref in refs if ref not in found]
    if unknown:
        raise ScorecardError(
            f"{Path(path).name} has no indicator {unknown[0]!r}: give a ref from column A of "
            "its Dataset sheet (nothing was changed)"
        )
    texts = {ref: found[ref].text for ref in (refs or found)}
    if write:
        names = {i.ref: i.name for i in book.dataset.indicators}
        rows = [[ref, names[ref], book.month.label, found[ref].text] for ref in found]
        save_plan(workbook, drafts_plan(before, book, rows), path, backup)
    return texts


__all__ = [
    "collect_file",
    "drafts_file",
    "requests_file",
    "write_requests",
]
