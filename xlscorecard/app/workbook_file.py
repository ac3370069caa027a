"""The monthly jobs on a workbook file (openpyxl): open it, call :mod:`xlscorecard.jobs`,
take the plan of what they change (:mod:`xlscorecard.jobs.plan`) and save it safely
(:mod:`xlscorecard.xlsx.apply`): only when something changed, keeping the replaced version in
its backups folder."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from ..calc.figures import with_calculated
from ..calc.spc_report import spc_report, spc_table
from ..checks import Stage
from ..datadir.folder import Written, load_data_dir, read_csv, write_data_dir
from ..errors import Refused, ScorecardError, WorkbookError
from ..jobs.answer import answer_query, type_comment
from ..jobs.extract import import_extract, read_extract
from ..jobs.keep_typed import keep_typed
from ..jobs.outcome import Outcome
from ..jobs.plan import outcome_plan, refresh_plan
from ..jobs.roll_forward import roll_forward
from ..jobs.validate import validate
from ..model import Month
from ..model.book import LiveBook
from ..model.text import did_you_mean
from ..store.backups import backup_folder, backups_kept
from ..store.identity import now, os_user
from ..store.safe_write import atomic_write
from ..workbook.contents import BookContents
from ..workbook.layout import NOTE_ROW, SHEET
from ..workbook.reading import read_book
from ..xlsx.apply import save_plan
from ..xlsx.carry_over import Carried, carry, foreign_validations, refuse_if_held
from ..xlsx.lite_code import this_code, with_lite_code
from ..xlsx.reader import contents_of, open_workbook
from ..xlsx.save import write_workbook
from ..xlsx.writer import build_workbook
from .session import one_at_a_time


def build_file(
    data_dir: Path,
    month: Month,
    out: Path,
    template: Path | None = None,
    force: bool = False,
    lite: bool = False,
) -> int:
    """Build the workbook for report ``month`` from ``data_dir`` into ``out``, which must not
    exist yet (``force`` replaces it, keeping it in its backups folder); with ``lite``, carrying
    xlwings Lite's code for the buttons (:mod:`xlscorecard.xlsx.lite_code`).

    Returns the number of indicators written. Raises a :class:`ScorecardError` subclass.
    """
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ScorecardError(
            f"cannot build {out}: xlscorecard writes Excel Workbooks, whose name ends in .xlsx "
            "(Excel refuses a workbook whose name says another format). Name it ....xlsx"
        )
    if out.exists() and not force:
        raise Refused(
            f"{out} already exists: build never replaces a workbook, which may hold figures, "
            "comments and answers typed since it was built (nothing was changed). Give another "
            f"name with -o, or add --force to replace it (the file now there is then kept in "
            f"'{backup_folder(out)}')."
        )
    dataset = load_data_dir(data_dir)
    if not any(when == month for _, when in dataset.values):
        raise ScorecardError(
            f"{data_dir} has no figures for {month.label} ({month.iso}); "
            f"its months run {dataset.months[0].iso} to {dataset.months[-1].iso}"
            if dataset.months
            else f"{Path(data_dir) / 'values.csv'} has no figures at all (only its header row): "
            "add each indicator's monthly figures to it"
        )
    versions = backups_kept(dataset, str(Path(data_dir) / "council.toml"))
    book = build_workbook(dataset, month, template)
    if lite:
        carry(book, with_lite_code(Carried(), this_code()))
    write = partial(write_workbook, book)
    atomic_write(out, write, backup=force, versions=max(1, versions))
    return len(dataset.indicators)


def open_book(
    path: Path, writing: bool = True, earlier_format: bool = False
) -> tuple[Workbook, LiveBook]:
    """The workbook and what it holds; with ``writing``, refused (nothing written) if saving
    it would lose anything (:mod:`xlscorecard.xlsx.carry_over`); with ``earlier_format``, a
    workbook of an earlier format is read as it was made (to read it, never to write it)."""
    workbook, book, _ = open_for_change(path, writing, earlier_format)
    return workbook, book


def open_for_change(
    path: Path, writing: bool = True, earlier_format: bool = False
) -> tuple[Workbook, LiveBook, BookContents]:
    """The workbook, the book it holds, and its cells as read (to tell whether a command
    changed anything); with ``writing``, refused if saving it would lose anything."""
    workbook = open_workbook(path, writing)
    if writing:
        check_merges(workbook)
    contents = contents_of(workbook, Path(path).name)
    book = read_book(contents, earlier_format=earlier_format)
    if writing:
        refuse_if_held(path, foreign_validations(path, workbook, book))
    return workbook, book, contents


def _who(user: str | None, when: str | None) -> tuple[str, str]:
    return user or os_user(), when or now()


@one_at_a_time("validate")
def validate_file(
    path: Path,
    stage: Stage = Stage.VALIDATE,
    backup: bool = True,
    user: str | None = None,
    when: str | None = None,
) -> Outcome:
    """Check the workbook and write the findings to its Checks sheet; put back formulas
    typed over (Audit keeps what was typed) and keep what was typed with who ran it."""
    return _change(path, backup, lambda book: validate(book, *_who(user, when), stage))


def _change(path: Path, backup: bool, job: Callable[[LiveBook], Outcome]) -> Outcome:
    """Run a job on the book and save its plan (:func:`outcome_plan`): read -> job -> plan ->
    apply."""
    workbook, book, contents = open_for_change(path)
    outcome = job(book)
    save_plan(workbook, outcome_plan(contents, book, outcome), path, backup)
    return outcome


@one_at_a_time("import")
def import_file(
    path: Path,
    extract: Path,
    backup: bool = True,
    user: str | None = None,
    when: str | None = None,
    clear_blanks: bool = False,
    source: str | None = None,
) -> Outcome:
    """Write an extract's figures into the workbook's input cells, then check it. A blank
    value is left out as not supplied, unless ``clear_blanks``. Audit records the import and
    each figure it changed, from ``source`` (default: the extract's name and SHA-256; another
    command passes its own, e.g. "figures from case-level files")."""

    def job(book: LiveBook) -> Outcome:
        rows = read_extract(read_csv(extract), book, clear_blanks=clear_blanks)
        return import_extract(
            book, rows, extract.name, *_who(user, when), source=source or extract_source(extract)
        )

    return _change(path, backup, job)


@one_at_a_time("answer")
def answer_file(
    path: Path,
    code: str,
    ref: str,
    month: Month | None,
    reason: str,
    backup: bool = True,
    user: str | None = None,
    when: str | None = None,
) -> Outcome:
    """Answer a query with a reason, as typing it on the Checks sheet does."""
    who = _who(user, when)
    return _change(path, backup, lambda book: answer_query(book, code, ref, month, reason, *who))


@one_at_a_time("comment")
def comment_file(
    path: Path,
    ref: str,
    text: str,
    backup: bool = True,
    user: str | None = None,
    when: str | None = None,
) -> Outcome:
    """Write the report month's comment on an indicator, as typing it on Dataset does."""
    return _change(path, backup, lambda book: type_comment(book, ref, text, *_who(user, when)))


@one_at_a_time("refresh")
def refresh_file(
    path: Path,
    target: Month | None = None,
    extract: Path | None = None,
    backup: bool = True,
    user: str | None = None,
    when: str | None = None,
    clear_blanks: bool = False,
) -> Outcome:
    """Roll the workbook forward (to ``target``, one month at a time), keeping everything."""
    workbook, book, contents = open_for_change(path)
    rows = None
    if extract:
        through = target or book.month + 1
        rows = read_extract(read_csv(extract), book, through, clear_blanks)
    source, origin = (extract_source(extract), extract.name) if extract else ("", "")
    outcome = roll_forward(book, *_who(user, when), target, rows, source, origin)
    save_plan(workbook, refresh_plan(contents, book, outcome), path, backup)
    return outcome


def extract_source(extract: Path) -> str:
    """Where an extract's figures come from, for Audit: ``2020-08.csv (SHA-256 ab12...)``."""
    digest = hashlib.sha256(Path(extract).read_bytes()).hexdigest()
    return f"{Path(extract).name} (SHA-256 {digest})"


def spc_file(path: Path, refs: tuple[str, ...] = ()) -> list[str]:
    """The SPC table of the workbook's indicators (or just ``refs``), as lines of text."""
    _, book = open_book(path, writing=False, earlier_format=True)
    report = spc_report(book.dataset, book.month)
    unknown = [ref for ref in refs if ref not in report]
    if unknown:
        known = list(report)
        raise ScorecardError(
            f"{Path(path).name} has no indicator {unknown[0]!r}{did_you_mean(unknown[0], known)}"
            f" (its refs run {known[0]}, "
            f"{known[1]} ... {known[-1]}: `xlscorecard spc {Path(path).name}` lists them all)"
        )
    if refs:
        report = {ref: report[ref] for ref in refs}
    return spc_table(report, book.month)


@one_at_a_time("export", reading=True)
def export_file(
    path: Path, directory: Path, user: str | None = None, when: str | None = None
) -> Written:
    """Write the workbook's data (History with the window's figures, every comment and
    answer) as a data directory."""
    _, book = open_book(path, writing=False, earlier_format=True)  # nothing is written to it
    unreadable = [entry for entry in book.entries.values() if entry.problem]
    if unreadable:
        first = unreadable[0]
        raise Refused(
            f"{len(unreadable)} figure(s) cannot be read, e.g. {SHEET}!{first.cell} "
            f"({first.ref} {first.month.label}): {first.problem}. Fix them (xlscorecard validate "
            "lists them all) before exporting, so that nothing is lost (nothing was written)."
        )
    keep_typed(book, *_who(user, when))
    return write_data_dir(with_calculated(book.dataset), directory)


def check_merges(workbook: Workbook) -> None:
    """Merged cells on the Dataset sheet (other than the benchmark note's) would lose what
    is written into them: an error naming them, before anything is written."""
    if SHEET not in workbook.sheetnames:
        return
    merged = [
        str(block) for block in workbook[SHEET].merged_cells.ranges if block.min_row != NOTE_ROW
    ]
    if merged:
        raise WorkbookError(
            f"{SHEET}!{merged[0]} {'is' if len(merged) == 1 else f'and {len(merged) - 1} more are'}"
            " merged cells: xlscorecard writes each cell of the Dataset sheet on its own. Unmerge "
            "them (Home > Merge & Center) and try again; nothing was changed."
        )
