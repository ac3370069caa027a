"""Months in the life of the workbook (four; twelve with ``XLSCORECARD_LONG_TESTS=1``), as a
performance officer lives them, through the command line or through the ribbon's buttons; and
what must hold after every month: nothing given is lost, every return verifies.

Each month: roll on (Refresh month), the month's figures (imported from the council's extract,
or typed), a correction to last month's figure now and then, Validate, a comment for each big
change and a reason for each query (typed in Excel, or with ``comment`` and ``answer``), Save
return (never forced), verify. The figures after Aug-20 come from :mod:`tests.support.months`.
In the twelve months a new reporting year (Apr-21) needs its population: refresh says so, the
person adds it to Settings and refreshes again.
"""

from __future__ import annotations

import csv
import hashlib
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from tests.support.budget import JOURNEY_MONTHS, LONG
from tests.support.harness import press
from tests.support.months import next_month
from tests.support.person import add_setting, read_checks, respond_to_checks, type_figures
from tests.support.returns import fake_pdf
from xlscorecard.app.workbook_file import open_book
from xlscorecard.cli import cli
from xlscorecard.model import Month, Value
from xlscorecard.model.settings import FOLDER_KEY
from xlscorecard.returns import transaction
from xlscorecard.returns.transaction import verify_file
from xlscorecard.workbook.layout import DatasetLayout, Field

START = Month(2020, 8)
MONTHS = JOURNEY_MONTHS
CORRECTED = {3: "M1", 8: "EH2"} if LONG else {2: "EH2", 3: "M1"}
"""In these months (1 = the first after Aug-20) last month's figure of this indicator is
corrected after its return: a query (A602) answered with the reason."""
POPULATION = ("population.2021-22", 50900)


@dataclass
class Kept:
    """Everything a person gave, to be found in the workbook after every month."""

    figures: dict[tuple[str, Month], Value] = field(default_factory=dict)
    comments: dict[tuple[str, Month], tuple[str, str]] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    audit: list[tuple] = field(default_factory=list)
    returns: dict[Path, str] = field(default_factory=dict)
    """Each return, with the SHA-256 of its file once it was verified."""

    def check(self, path: Path) -> None:
        """Nothing lost: every figure in History or the window, every comment in the
        Commentary archive with who typed it, every answer on Answers, every earlier Audit
        row still there, every return intact."""
        _, book = open_book(path)
        values = book.dataset.values
        lost = [
            f"{ref} {month.label}: {value!r} -> {values.get((ref, month))!r}"
            for (ref, month), value in self.figures.items()
            if not _same(values.get((ref, month)), value)
        ]
        assert not lost, "figures lost:\n" + "\n".join(lost[:20])
        kept = book.dataset.commentary
        lost = [
            f"{ref} {month.label}"
            for (ref, month), (text, author) in self.comments.items()
            if (kept.get((ref, month)).text, kept.get((ref, month)).author)  # type: ignore[union-attr]
            != (text, author)
        ] if all(key in kept for key in self.comments) else ["missing: " + ", ".join(
            f"{ref} {month.label}" for ref, month in self.comments if (ref, month) not in kept
        )]  # fmt: skip
        assert not lost, f"comments lost: {lost}"
        answers = book.answers
        lost = [key for key, reason in self.answers.items() if answers.get(key, None) is None
                or answers[key].reason != reason]  # fmt: skip
        assert not lost, f"answers lost: {lost}"
        audit = [tuple(row) for row in book.audit]
        assert audit[: len(self.audit)] == self.audit, "an Audit row was lost or changed"
        self.audit = audit
        for made, digest in self.returns.items():
            if digest:  # verified before: still the same file, byte for byte
                assert hashlib.sha256(made.read_bytes()).hexdigest() == digest, made
            else:
                assert verify_file(made).intact, made
                self.returns[made] = hashlib.sha256(made.read_bytes()).hexdigest()


def _same(found: Value, expected: Value) -> bool:
    if isinstance(expected, float) and isinstance(found, float):
        return math.isclose(found, expected, abs_tol=1e-9)
    return found == expected


def comment(row) -> str:
    return f"{row.ref} moved in {row.month}: the team has looked into it and it is right."


def reason(row) -> str:
    return f"Checked {row.ref} {row.month} with the service: {row.code} is explained."


@dataclass
class Life:
    """One workbook lived month by month."""

    folder: Path
    path: Path
    user: str
    month: Month = START
    layout: DatasetLayout | None = None
    kept: Kept = field(default_factory=Kept)
    timings: list[float] = field(default_factory=list)

    def give_figures(self, month: Month, figures: dict[str, Value]) -> None:
        self.kept.figures.update({(ref, month): value for ref, value in figures.items()})

    def take_comments(self, comments: dict[str, str], month: Month) -> None:
        layout = self.layout
        rows = {layout.cell(ref, Field.COMMENTARY): ref for ref in layout.rows}
        for cell, text in comments.items():
            self.kept.comments[(rows[cell], month)] = (text, self.user)


def start(folder: Path, sample: Path, user: str) -> Life:
    """The Aug-20 workbook built from the sample, with the kept figures and comments."""
    data = folder / "data"
    shutil.copytree(sample, data)
    path = folder / "dataset.xlsx"
    result = CliRunner().invoke(cli, ["build", str(data), "--month", START.iso, "-o", str(path)])
    assert result.exit_code == 0, result.output
    _, book = open_book(path)
    life = Life(folder, path, user, layout=book.layout)
    life.kept.figures.update(book.dataset.values)
    life.kept.comments.update(
        {key: (c.text, c.author) for key, c in book.dataset.commentary.items()}
    )
    return life


def _extract(path: Path, rows: list[tuple[str, str, object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ref", " Month ", "VALUE"])  # as an export from another system
        writer.writerows(rows)
    return path


def _correct(life: Life, book, index: int) -> None:
    """Last month's figure of an indicator corrected after its return."""
    ref = CORRECTED.get(index)
    if ref is None:
        return
    month = book.month
    new = float(book.dataset.values[(ref, month - 1)]) + 7
    type_figures(life.path, book.layout, month - 1, month, {ref: new})
    life.give_figures(month - 1, {ref: new})


# -- through the command line -------------------------------------------------------------------
def run(*args: str, ok: tuple[int, ...] = (0,)):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code in ok, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


def cli_month(life: Life, index: int) -> None:
    """One month through the command line."""
    path, by = life.path, ("--by", life.user)
    month = life.month = life.month + 1
    refused = run("refresh", path, *by, ok=(0, 1))
    if refused.exit_code == 1:  # a new reporting year: the population first
        assert "no 0-17 population for 2021-22" in refused.output, refused.output
        add_setting(path, *POPULATION)
        run("refresh", path, *by)
    _, book = open_book(path)
    assert book.month == month
    figures = next_month(book.dataset, month)
    if index % 2:  # the council's extract, with last month's M1 left blank (not supplied)
        rows = [(ref, month.iso, value) for ref, value in figures.items()]
        rows.append(("M1", (month - 1).iso, ""))
        result = run("import", path, _extract(life.folder / f"{month.iso}.csv", rows), *by)
        assert "1 blank value was left out as not supplied" in result.output
    else:
        type_figures(path, book.layout, month, month, figures)
    life.give_figures(month, figures)
    _correct(life, book, index)
    run("validate", path, *by)
    if index % 4 == 0:  # one comment and one answer with the commands instead of in Excel
        rows = [r for r in _checks(path) if r.code == "C402"]
        if rows:
            text = comment(rows[0])
            run("comment", path, rows[0].ref, text, *by)
            life.kept.comments[(rows[0].ref, month)] = (text, life.user)
        queries = [r for r in _checks(path) if r.severity == "query" and r.code != "C402"]
        if queries:
            query = queries[0]
            run("answer", path, query.code, query.ref, reason(query), "--month",
                _iso(query.month), *by)  # fmt: skip
            life.kept.answers[query.key] = reason(query)
    comments, reasons = respond_to_checks(path, comment, reason)
    life.take_comments(comments, month)
    life.kept.answers.update(reasons)
    result = run("save-return", path, *by)
    made = life.folder / result.output.split("return: ")[1].split(" and its PDF")[0]
    run("verify", made)
    life.kept.returns[made] = hashlib.sha256(made.read_bytes()).hexdigest()
    life.kept.check(path)


# -- through the buttons ------------------------------------------------------------------------
def buttons_month(life: Life, index: int) -> None:
    """One month through the ribbon's buttons (Refresh month, Validate, Save return), with
    figures, comments and reasons typed in Excel."""
    path = life.path
    month = life.month = life.month + 1
    pressed = press(path, "RefreshMonth")
    if "no 0-17 population for 2021-22" in pressed.message:
        add_setting(path, *POPULATION)
        pressed = press(path, "RefreshMonth")
    assert pressed.message.startswith(f"Rolled forward to {month.label}."), pressed.message
    _, book = open_book(path)
    figures = next_month(book.dataset, month)
    type_figures(path, book.layout, month, month, figures)
    life.give_figures(month, figures)
    _correct(life, book, index)
    press(path, "Validate")
    comments, reasons = respond_to_checks(path, comment, reason)
    life.take_comments(comments, month)
    life.kept.answers.update(reasons)
    pressed = press(path, "SaveReturn")
    assert pressed.message.startswith(f"Saved the {month.label} return"), pressed.message
    made = life.folder / "returns" / pressed.message.split(":\n\n")[1].split("\n")[0]
    life.kept.returns[made] = ""  # verified by the check below
    life.kept.check(path)


def first_month(life: Life, buttons: bool) -> None:
    """Aug-20 itself, as built: comments for its big changes, reasons for its queries, then
    its return."""
    if buttons:
        add_setting(life.path, FOLDER_KEY, str(life.folder / "returns"))
        press(life.path, "Validate")
    else:
        run("validate", life.path, "--by", life.user)
    comments, reasons = respond_to_checks(life.path, comment, reason)
    life.take_comments(comments, START)
    life.kept.answers.update(reasons)
    if buttons:
        press(life.path, "SaveReturn")
        made = life.folder / "returns" / "Children and Families Aug-20.xlsx"
    else:
        run("save-return", life.path, "--by", life.user)
        made = life.folder / "Children and Families Aug-20.xlsx"
    life.kept.returns[made] = ""
    life.kept.check(life.path)


def _checks(path: Path):
    return read_checks(path)


def _iso(label: str) -> str:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"20{label[4:]}-{names.index(label[:3]) + 1:02d}"


def fast_pdfs(monkeypatch) -> None:
    """Stand-ins for the returns' PDFs (LibreOffice renders returns in their own tests)."""

    def rendered(source: Path, target_format: str, out_dir: Path, scratch: Path | None = None):
        assert target_format == "pdf", target_format
        out_dir.mkdir(parents=True, exist_ok=True)
        fake_pdf(source, out_dir / f"{source.stem}.pdf")
        return out_dir / f"{source.stem}.pdf"

    monkeypatch.setattr(transaction, "convert", rendered)


def journey(life: Life, live: Callable[[Life, int], None], months: int = MONTHS) -> Life:
    """Live ``months`` months, timing each."""
    for index in range(1, months + 1):
        start_time = time.perf_counter()
        live(life, index)
        life.timings.append(time.perf_counter() - start_time)
    return life


__all__ = ["Kept", "Life", "buttons_month", "cli_month", "first_month", "journey", "start"]
