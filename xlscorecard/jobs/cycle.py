"""The monthly cycle as pure functions on a :class:`LiveBook`: validate, import, answer,
comment, roll forward.

No file, Excel, clock or login here: adapters read a book, say who and when, call these, and
write what they return. Every job first keeps what was typed since the last one (comments on
Dataset, reasons on Checks) with who ran it (:func:`keep_typed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..calc import figures as calc
from ..calc.figures import HISTORY_MONTHS
from ..checks import KINDS, Finding, Severity, Stage
from ..checks.answers import ANSWERED_BY_COMMENT, answer_for, answerable
from ..checks.engine import COLUMNS_CODE, rules_by_code, run_rules
from ..errors import DataFileError, Refused, ScorecardError
from ..model import POPULATION, Answer, Comment, Dataset, Month, Unit, Value, answer_key
from ..model.book import Entry, LiveBook, Overwrite
from ..model.rows import AuditRow
from ..model.tables import Table, missing_population
from ..model.text import did_you_mean, meaningful
from ..model.values import cell_value, counted, parse_value, show_typed, show_value
from ..workbook.layout import SHEET, Field
from ..workbook.reading import enter

DERIVED_MISMATCH = "M701"
"""An extract's figure for a calculated indicator that differs from the formula."""
RESTORED = "I501"
"""Overwritten formulas are put back by validate and a refresh, so they do not block one."""
STRUCTURE = {"I502", COLUMNS_CODE}
"""Rows or columns not where they were built: nothing is written by place until they are."""
MISSING = "C401"
UNEXPLAINED = "C402"


@dataclass
class Outcome:
    """What a command did: the state to write, the findings and a one-line summary."""

    dataset: Dataset
    month: Month
    findings: list[Finding]
    audit: list[list[object]] = field(default_factory=list)
    summary: str = ""
    inputs: dict[tuple[str, Month], Value] = field(default_factory=dict)
    cells: dict[str, object] = field(default_factory=dict)
    """Dataset cells to write (A1 address: content): imported figures, formulas put back,
    a comment."""
    restored: list[Overwrite] = field(default_factory=list)

    @property
    def answers(self) -> dict[str, Answer]:
        return self.dataset.answers

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def open_queries(self) -> list[Finding]:
        return [
            f
            for f in self.findings
            if f.severity is Severity.QUERY and answer_for(f, self.answers) is None
        ]


# -- what is left to do ----------------------------------------------------------------------
def _open(findings: list[Finding], answers: dict[str, Answer]) -> tuple[list[str], list[str]]:
    """What is left to do on Dataset (figures, comments) and on Checks (errors, queries)."""
    open_ = [f.kind for f in findings if answer_for(f, answers) is None]
    on: dict[str, list[str]] = {"Dataset": [], "Checks": []}
    for kind in dict.fromkeys(KINDS.values()):
        if kind.todo and (number := open_.count(kind)):
            on[kind.sheet].append(f"{counted(number, kind.noun, kind.plural)} {kind.todo}")
    return on["Dataset"], on["Checks"]


def tally(findings: list[Finding], answers: dict[str, Answer]) -> str:
    """``3 figures to enter, 2 comments to write on Dataset; 1 error to fix, 2 queries to
    answer on Checks (1 query answered).``"""
    on_dataset, on_checks = _open(findings, answers)
    parts = []
    if on_dataset:
        parts.append(", ".join(on_dataset) + " on Dataset")
    if on_checks:
        parts.append(", ".join(on_checks) + " on Checks")
    text = "; ".join(parts) if parts else "No errors or open queries"
    answered = sum(answer_for(f, answers) is not None for f in findings)
    if answered:
        text += f" ({counted(answered, 'query', 'queries')} answered)"
    return text + "."


def counts(findings: list[Finding], answers: dict[str, Answer]) -> str:
    """``3 comments to write, 5 queries to answer``: what is left, wherever it is."""
    on_dataset, on_checks = _open(findings, answers)
    return ", ".join([*on_dataset, *on_checks])


# -- what was typed since the last command ----------------------------------------------------
def keep_typed(book: LiveBook, user: str, when: str) -> list[list[object]]:
    """Keep what was typed since the last command, with who ran this one: the report month's
    comments (in the Commentary archive) and the reasons given on Checks (on Answers). A
    comment or reason cleared since is recorded in Audit. Returns the Audit rows.

    Comments are left alone while a column is not where it was built (I503): the commentary
    read from its place could be another column's."""
    rows: list[list[object]] = []
    month = book.month
    if not book.header_problems:
        for ref, text in book.typed_comments.items():
            book.dataset.commentary[(ref, month)] = Comment(text, user)
        for ref in sorted(book.cleared_comments):
            old = book.dataset.commentary.pop((ref, month), None)
            if old is not None:
                cell = f"{SHEET}!{book.layout.cell(ref, Field.COMMENTARY)}"
                rows.append(
                    AuditRow(when, user, "comment cleared", ref, month.iso, old.text, "",
                             f"{cell}; written by {old.author or 'someone'}").to_row()
                )  # fmt: skip
        book.typed_comments.clear()
        book.cleared_comments.clear()
    for answer in book.typed_answers.values():
        rows += replace_answer(book.dataset, replace(answer, by=user, at=when))
    for key in sorted(book.withdrawn):
        old = book.dataset.answers.pop(key)
        book.dataset.replaced_answers.append(replace(old, replaced=f"withdrawn by {user}, {when}"))
        rows.append(
            AuditRow(when, user, "answer withdrawn", old.ref, old.month.iso if old.month else "",
                     old.reason, "",
                     f"{old.code}, answered by {old.by or 'someone'} {old.at}".strip()).to_row()
        )  # fmt: skip
    book.typed_answers.clear()
    book.withdrawn.clear()
    return rows


def replace_answer(dataset: Dataset, answer: Answer) -> list[list[object]]:
    """Keep ``answer`` (given by ``answer.by`` at ``answer.at``); an answer it replaces stays
    on the Answers sheet, marked replaced, and Audit says so. Returns the Audit rows."""
    old = dataset.answers.get(answer.key)
    dataset.answers[answer.key] = answer
    if old is None or (old.reason == answer.reason and old.found == answer.found):
        return []
    dataset.replaced_answers.append(replace(old, replaced=f"by {answer.by}, {answer.at}"))
    return [
        AuditRow(answer.at, answer.by, "answer replaced", old.ref,
                 old.month.iso if old.month else "", old.reason, answer.reason,
                 f"{old.code}, answered by {old.by or 'someone'} {old.at} for {old.found}".strip(),
                 ).to_row()
    ]  # fmt: skip


def restore_formulas(book: LiveBook, user: str, when: str) -> list[list[object]]:
    """Put back every formula typed over (the book forgets them) and return the Audit rows
    keeping what was typed. Nothing is put back while a row or column is out of place."""
    if not book.structure_intact:
        return []
    rows = [
        AuditRow(when, user, "formula restored", item.ref, (item.month or book.month).iso,
                 show_typed(item.typed), "formula", f"{SHEET}!{item.cell} ({item.what})").to_row()
        for item in book.overwritten
    ]  # fmt: skip
    book.overwritten = []
    return rows


# -- figures changed --------------------------------------------------------------------------
FIGURE = "figure"
"""The Audit action of a report month's figure entered or changed (not yet returned)."""
CORRECTION = "correction"
"""The Audit action of a figure changed for an earlier month, or for a month returned."""
IMPORT = "import"
"""The Audit action summing up one import: its source, how many figures it held and changed."""
TYPED = "typed on Dataset"
"""The source of a figure typed into the sheet (found by the next command)."""


def figure_changes(
    book: LiveBook, before: dict[tuple[str, Month], Value], sources: dict[tuple[str, Month], str],
    user: str, when: str, keys: set[tuple[str, Month]] | None = None,
) -> list[list[object]]:  # fmt: skip
    """One Audit row per figure that differs from History as the command found it
    (``before``): old -> new, who and when, and where it came from (``sources``, by figure;
    anything else was typed on the sheet since the last command, which kept History in step).
    ``keys``: only these figures (the others are left for the next command)."""
    dataset = book.dataset
    returned = book.returned_months
    rows: list[list[object]] = []
    changed = {*before, *dataset.values} if keys is None else keys
    order = {ref: index for index, ref in enumerate(dataset.refs)}
    for ref, month in sorted(changed, key=lambda key: (key[1], order.get(key[0], len(order)))):
        if ref not in order or dataset.indicator(ref).is_derived:
            continue
        old, new = before.get((ref, month)), dataset.values.get((ref, month))
        entry = book.entries.get((ref, month))
        if _same_figure(old, new) or (entry is not None and entry.problem is not None):
            continue
        unit = dataset.indicator(ref).unit
        action = CORRECTION if month < book.month or month in returned else FIGURE
        source = sources.get((ref, month))
        if source is None:
            source = f"{TYPED}!{entry.cell}" if entry is not None else TYPED
        rows.append(
            AuditRow(
                when, user, action, ref, month.iso, _shown(old, unit), _shown(new, unit), source
            ).to_row()
        )
    return rows


def as_kept(book: LiveBook) -> Dataset:
    """The book's dataset as History keeps it: a figure that cannot be read where it was
    typed (``12a``, a date; an error to fix) keeps its last figure there until it is fixed."""
    values = dict(book.dataset.values)
    for key, entry in book.entries.items():
        if entry.problem is not None and key in book.history:
            values[key] = book.history[key]
    return replace(book.dataset, values=values)


def _same_figure(a: Value, b: Value) -> bool:
    if calc.is_number(a) and calc.is_number(b):
        return abs(float(a) - float(b)) <= 1e-9  # type: ignore[arg-type]
    return a == b


def _shown(value: Value, unit: Unit) -> str:
    return "" if value is None else show_value(value, unit)


def _restored_note(restored: list[Overwrite]) -> str:
    if not restored:
        return ""
    cells = ", ".join(f"{SHEET}!{item.cell} ({show_typed(item.typed)})" for item in restored)
    what = "the formula" if len(restored) == 1 else f"{len(restored)} formulas"
    return f" Put back {what} typed over in {cells}: Audit keeps what was typed."


# -- validate ---------------------------------------------------------------------------------
def validate(
    book: LiveBook, user: str = "", when: str = "", stage: Stage = Stage.VALIDATE
) -> Outcome:
    """Keep what was typed, put back formulas typed over, and run every check."""
    audit = keep_typed(book, user, when)
    restored = list(book.overwritten) if book.structure_intact else []
    audit += restore_formulas(book, user, when)
    findings = run_rules(book, stage)
    audit += figure_changes(book, book.history, {}, user, when)
    return Outcome(
        book.dataset, book.month, findings, audit=audit, restored=restored,
        cells={item.cell: item.formula for item in restored},
        summary=f"{book.month.label}: {tally(findings, book.answers)}" + _restored_note(restored),
    )  # fmt: skip


# -- answer and comment -----------------------------------------------------------------------
def answer_query(
    book: LiveBook, code: str, ref: str, month: Month | None, reason: str, user: str, when: str
) -> Outcome:
    """Give ``reason`` for the query of check ``code`` on ``ref`` for ``month`` (as typing it
    on Checks does), then check. Refuses when there is no such query to answer."""
    if not meaningful(reason):
        raise Refused(
            "An answer needs a reason (spaces or invisible characters alone are none): give it "
            "in quotes (nothing was changed)."
        )
    code, ref = code.strip().upper(), _as_listed(book, ref)
    _refuse_unknown(book, ref)
    if code not in (known := rules_by_code()):
        raise Refused(
            f"There is no check {code}{did_you_mean(code, known)}: docs/checks.md lists them "
            "(nothing was changed)."
        )
    month = month or book.month
    keep = keep_typed(book, user, when)
    findings = run_rules(book, Stage.VALIDATE)
    key = answer_key(code, ref, month)
    finding = next((f for f in findings if f.key == key), None)
    if finding is None:
        raise Refused(
            f"There is no {code} query on {ref} for {month.label} to answer: xlscorecard "
            "validate lists the findings (nothing was changed)."
        )
    if not answerable(finding):
        how = (
            f"write a comment for {ref} on Dataset (xlscorecard comment)"
            if finding.code in ANSWERED_BY_COMMENT
            else f"fix it at {finding.cell}"
        )
        raise Refused(
            f"{code} on {ref} for {month.label} is not answered with a reason: {how} "
            "(nothing was changed)."
        )
    keep += replace_answer(
        book.dataset, Answer(code, ref, month, finding.found, reason.strip(), user, when)
    )
    keep += figure_changes(book, book.history, {}, user, when)
    return Outcome(
        book.dataset, book.month, findings, audit=keep,
        summary=f"Answered {code} on {ref} for {month.label}. "
        f"{book.month.label}: {tally(findings, book.answers)}",
    )  # fmt: skip


def type_comment(book: LiveBook, ref: str, text: str, user: str, when: str) -> Outcome:
    """Write the report month's comment on ``ref`` (as typing it on Dataset does), then check."""
    ref = _as_listed(book, ref)
    _refuse_unknown(book, ref)
    _refuse_unless_in_place(book, "write a comment into")
    if text.strip() and not meaningful(text):
        raise Refused(
            f"The comment on {ref} holds only invisible characters, which are no comment: give "
            'its text in quotes, or "" to clear it (nothing was changed).'
        )
    text = text.strip()
    book.commentary_cells[ref] = text
    kept = book.dataset.commentary.get((ref, book.month))
    book.typed_comments.pop(ref, None)
    book.cleared_comments.discard(ref)
    if text and (kept is None or kept.text != text):
        book.typed_comments[ref] = text
    elif not text and kept is not None:
        book.cleared_comments.add(ref)
    outcome = validate(book, user, when)
    outcome.cells[book.layout.cell(ref, Field.COMMENTARY)] = text or None
    outcome.summary = f"Wrote the {book.month.label} comment on {ref}. {outcome.summary}"
    return outcome


def _refuse_unknown(book: LiveBook, ref: str) -> None:
    if ref not in book.layout.rows:
        raise ScorecardError(
            f"{book.name} has no indicator {ref!r}{did_you_mean(ref, book.layout.rows)}: give "
            "a ref from column A of its Dataset sheet (nothing was changed)."
        )


def _as_listed(book: LiveBook, ref: str) -> str:
    """``ref`` as the Dataset sheet spells it, whatever its case or surrounding spaces."""
    ref = ref.strip()
    same = [listed for listed in book.layout.rows if listed.casefold() == ref.casefold()]
    return ref if ref in book.layout.rows or len(same) != 1 else same[0]


def _refuse_unless_in_place(book: LiveBook, doing: str) -> None:
    if not book.structure_intact:
        blocking = [f for f in run_rules(book, Stage.VALIDATE, sorted(STRUCTURE))]
        raise Refused(
            f"Cannot {doing} {book.name}: rows or columns of its Dataset sheet are not where "
            "they were built, so cells cannot be found by their place. Undo the change in "
            "Excel (nothing was changed).",
            blocking,
        )


# -- import -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExtractRow:
    line: int
    ref: str
    month: Month
    value: Value
    source: str = ""
    """The extract's own ``source`` for the figure, if it has that column (``figures`` writes
    "figures from case-level files: ..."): Audit records it with the figure."""


@dataclass
class Extract:
    """An extract's figures, and the blank ones left out as not supplied."""

    rows: list[ExtractRow] = field(default_factory=list)
    blanks: list[ExtractRow] = field(default_factory=list)

    def note(self) -> str:
        """`` 2 blank values were left out as not supplied (line 3: M1 Jul-20; ...).``"""
        if not self.blanks:
            return ""
        listed = "; ".join(f"line {r.line}: {r.ref} {r.month.label}" for r in self.blanks[:5])
        more = f"; and {len(self.blanks) - 5} more" if len(self.blanks) > 5 else ""
        were = "was" if len(self.blanks) == 1 else "were"
        return (
            f" {counted(len(self.blanks), 'blank value')} {were} left out as not supplied "
            f"({listed}{more}): a blank never clears a figure unless --clear-blanks is given."
        )


def read_extract(
    table: Table, book: LiveBook, through: Month | None = None, clear_blanks: bool = False
) -> Extract:
    """Parse an extract (``ref,month,value``) against the book's catalogue and window
    (or, for a refresh, the months up to ``through``). A blank value is not supplied and
    left out, unless ``clear_blanks``; ``-`` is not applicable.

    Unknown refs, months outside the window and bad figures raise a :class:`DataFileError`.
    """
    table.require("ref", "month", "value")
    first = book.month - (HISTORY_MONTHS - 1)
    last = max(book.month, through or book.month)
    extract = Extract()
    seen: dict[tuple[str, Month], int] = {}
    for line, row in table.rows:
        ref = table.text(row, "ref")
        try:
            indicator = book.dataset.indicator(ref)
        except KeyError:
            known = book.dataset.refs
            raise table.error(
                line, "ref", f"unknown indicator ref {ref!r}{did_you_mean(ref, known)}"
            ) from None
        try:
            month = Month.parse(table.text(row, "month"))
        except ValueError as exc:
            raise table.error(line, "month", str(exc)) from None
        if month > last:
            hint = (
                f"the refresh goes to {last.label}"
                if through
                else "refresh the workbook first: xlscorecard refresh WORKBOOK --extract "
                "EXTRACT rolls it on and fills the new month in one step"
            )
            raise table.error(
                line, "month",
                f"{ref} {month.label} is after the workbook's months ({first.label} to "
                f"{last.label}): {hint}",
            )  # fmt: skip
        if month < first:
            raise table.error(
                line, "month",
                f"{ref} {month.label} is before the workbook's months ({first.label} to "
                f"{last.label}): a figure that old is corrected on the History sheet",
            )  # fmt: skip
        if (ref, month) in seen:
            raise table.error(
                line, "month", f"{ref} {month.label} is also on line {seen[ref, month]}"
            )
        seen[(ref, month)] = line
        try:
            value = parse_value(table.text(row, "value"), indicator.unit)
        except ValueError as exc:
            raise table.error(line, "value", f"{ref} {month.label}: {exc}") from None
        item = ExtractRow(line, ref, month, value, table.text(row, "source"))
        if value is None and not clear_blanks:
            extract.blanks.append(item)
        else:
            extract.rows.append(item)
    return extract


def _close(a: Value, b: Value, unit: Unit) -> bool:
    if not (calc.is_number(a) and calc.is_number(b)):
        return a == b
    tolerance = {Unit.PERCENT: 0.005, Unit.RATE: 0.5, Unit.COUNT: 0.5}[unit]
    return abs(a - b) <= tolerance  # type: ignore[operator]


def import_extract(
    book: LiveBook,
    extract: Extract,
    origin: str,
    user: str = "",
    when: str = "",
    source: str = "",
) -> Outcome:
    """Put an extract's figures in the input cells; derived ones are compared, never written.

    Audit gets one row for the import (``source``: where its figures come from, e.g. the
    extract's file name and SHA-256, or "figures from case-level files"; default ``origin``)
    and one row per figure it changed, as for every figure typed since the last command."""
    _refuse_unless_in_place(book, "import into")
    audit = keep_typed(book, user, when)
    before = dict(book.history)
    inputs: dict[tuple[str, Month], Value] = {}
    for row in extract.rows:
        if not book.dataset.indicator(row.ref).is_derived:
            inputs[(row.ref, row.month)] = row.value
    apply_inputs(book, inputs)
    findings = run_rules(book, Stage.VALIDATE)
    for row in extract.rows:
        indicator = book.dataset.indicator(row.ref)
        if not indicator.is_derived:
            continue
        formula = calc.figure(book.dataset, row.ref, row.month)
        if not _close(row.value, formula, indicator.unit):
            typed, calculated = (
                show_value(row.value, indicator.unit),
                show_value(formula, indicator.unit),
            )
            findings.append(
                Finding(
                    DERIVED_MISMATCH, Severity.QUERY,
                    book.layout.sheet_cell(row.ref, book.month, row.month), row.ref,
                    indicator.name, row.month, f"{typed} in {origin}",
                    f"{calculated} (what the workbook's formula gives)",
                    "The extract's figure for a calculated indicator differs from the "
                    "workbook's calculation; the formula was kept.",
                )
            )  # fmt: skip
    cells = {book.entries[key].cell: cell_value(value) for key, value in inputs.items()}
    sources = _sources(extract, origin)
    changes = figure_changes(book, before, sources, user, when)
    changed = sum((row.ref, row.month_of) in sources for row in map(AuditRow.from_row, changes))
    if changed:  # an extract that changes no figure is no change: nothing is written
        audit.append(
            AuditRow(when, user, IMPORT, "", book.month.iso, "", "",
                     f"{source or origin}: {counted(len(inputs), 'figure')}, {changed} changed"
                     ).to_row()
        )  # fmt: skip
    audit += changes
    return Outcome(
        book.dataset, book.month, findings, audit=audit, inputs=inputs, cells=cells,
        summary=f"Imported {_into(inputs, book.month)}."
        + extract.note() + f" {book.month.label}: {tally(findings, book.answers)}",
    )  # fmt: skip


def _sources(extract: Extract, origin: str) -> dict[tuple[str, Month], str]:
    """Where each figure of an extract comes from, for Audit: ``imported from 2020-08.csv``,
    with the extract's own source for it when it gives one."""
    return {
        (row.ref, row.month): f"imported from {origin}" + (f" ({row.source})" if row.source else "")
        for row in extract.rows
    }


def _into(inputs: dict[tuple[str, Month], Value], month: Month) -> str:
    """``41 figures into Aug-20``, or ``3 figures: 2 into Aug-20, 1 into Jul-20``: the months
    the figures went to, latest first."""
    months = sorted({when for _, when in inputs} or {month}, reverse=True)
    each = {when: sum(key[1] == when for key in inputs) for when in months}
    if len(months) == 1:
        return f"{counted(len(inputs), 'figure')} into {months[0].label}"
    parts = ", ".join(f"{number} into {when.label}" for when, number in each.items())
    return f"{counted(len(inputs), 'figure')}: {parts}"


def apply_inputs(book: LiveBook, inputs: dict[tuple[str, Month], Value]) -> None:
    """Set figures as if typed into the window (the book's entries and dataset follow)."""
    for (ref, month), value in inputs.items():
        enter(book, ref, month, value, source="imported")


# -- roll forward -------------------------------------------------------------------------
NOT_RETURNED = "not returned"
"""The Audit action of a month rolled on without a saved return."""


def roll_forward(
    book: LiveBook,
    user: str,
    when: str,
    target: Month | None = None,
    extract: Extract | None = None,
    source: str = "",
    origin: str = "",
) -> Outcome:
    """Move the book on to ``target`` (default: next month), one month at a time.

    Each step refuses (raising :class:`Refused`, nothing changed) while the current month has
    errors, or when the new month's reporting year has no population for the rates; before
    moving, the window's figures are kept in History and the month's commentary in the
    Commentary archive, formulas typed over are put back, and a month never returned is
    recorded in Audit. Returns the state to write.
    """
    target = target or book.month + 1
    if target == book.month:
        raise Refused(f"The workbook is already at {target.label}: nothing to do.")
    if target < book.month:
        raise Refused(
            f"The workbook is at {book.month.label}; it cannot go back to {target.label}."
        )
    audit = keep_typed(book, user, when)
    before, first = dict(book.history), book
    audit += figure_changes(book, before, {}, user, when)
    unreturned: list[Month] = []
    current = book
    while current.month < target:
        findings = run_rules(current, Stage.REFRESH)
        blocking = [f for f in findings if f.severity is Severity.ERROR and f.code != RESTORED]
        if blocking:
            raise Refused(
                f"Cannot move on from {current.month.label}: fix these errors first "
                "(nothing was changed).",
                blocking,
            )
        _check_population(current, current.month + 1)
        audit += restore_formulas(current, user, when)
        if current.month not in current.returned_months:
            unreturned.append(current.month)
            audit.append(
                AuditRow(when, user, NOT_RETURNED, "", current.month.iso, "", "",
                         f"{current.month.label} was rolled on without a saved return").to_row()
            )  # fmt: skip
        current = _step(current, user, (extract.rows if extract else []))
        audit.append(
            AuditRow(when, user, "refresh", "", current.month.iso, "", "",
                     f"rolled forward to {current.month.label}").to_row()
        )  # fmt: skip
    findings = run_rules(current, Stage.VALIDATE)
    if extract and extract.rows:
        imported = {
            key: text
            for key, text in _sources(extract, origin or "the extract").items()
            if key[1] > book.month
        }
        changes = figure_changes(first, before, imported, user, when, keys=set(imported))
        audit.append(
            AuditRow(when, user, IMPORT, "", current.month.iso, "", "",
                     f"{source or origin or 'the extract'}: {counted(len(imported), 'figure')}, "
                     f"{len(changes)} changed").to_row()
        )  # fmt: skip
        audit += changes
    note = ""
    if unreturned:
        labels = ", ".join(month.label for month in unreturned)
        note = f" {labels} {'was' if len(unreturned) == 1 else 'were'} rolled on without a "
        note += "return (recorded in Audit)."
    return Outcome(
        current.dataset, current.month, findings, audit=audit,
        summary=f"Rolled forward to {current.month.label}.{note}"
        + (extract.note() if extract else "")
        + f" {current.month.label}: {tally(findings, current.answers)}",
    )  # fmt: skip


def _check_population(book: LiveBook, month: Month) -> None:
    settings = book.dataset.settings
    rates = [item.ref for item in book.dataset.indicators if item.denominator == POPULATION]
    year = month.financial_year(settings.year_start_month)
    if rates and year not in settings.populations:
        raise Refused(
            f"Cannot move on to {month.label}: "
            + missing_population(year, rates, f"{month.label} and the rest of {year}")
            + "; then refresh again (nothing was changed)."
        )


def _step(book: LiveBook, user: str, extract: list[ExtractRow]) -> LiveBook:
    """The book one month on: same dataset (History keeps everything), new report month,
    its cells as the refreshed sheet will show them."""
    dataset = book.dataset
    month = book.month + 1
    for ref, text in book.commentary_cells.items():
        if text:
            old = dataset.commentary.get((ref, book.month))
            author = old.author if old and old.text == text else user
            dataset.commentary[(ref, book.month)] = Comment(text, author)
    layout = book.layout
    entries: dict[tuple[str, Month], Entry] = {}
    for indicator in dataset.indicators:
        if indicator.is_derived:
            continue
        for offset in range(HISTORY_MONTHS):
            when_month = month - offset
            value = dataset.values.get((indicator.ref, when_month))
            cell = layout.month_cell(indicator.ref, offset)
            entries[(indicator.ref, when_month)] = Entry(
                indicator.ref, when_month, cell, value, value
            )
    comments = {ref: dataset.commentary.get((ref, month)) for ref in book.commentary_cells}
    moved = LiveBook(
        name=book.name,
        dataset=dataset,
        month=month,
        layout=layout,
        entries=entries,
        history=dict(dataset.values),
        commentary_cells={ref: c.text if c else "" for ref, c in comments.items()},
        audit=book.audit,
        formulas_known=True,
    )
    figures = {(row.ref, row.month): row.value for row in extract if row.month == month}
    derived = [r for r in figures if dataset.indicator(r[0]).is_derived]
    apply_inputs(moved, {key: value for key, value in figures.items() if key not in derived})
    return moved


__all__ = [
    "DataFileError", "Extract", "ExtractRow", "Outcome", "answer_query", "as_kept", "counts",
    "import_extract", "keep_typed", "read_extract", "roll_forward", "tally", "type_comment",
    "validate",
]  # fmt: skip
