"""Commentary requests: what goes out to each reporter, and taking what comes back.

Pure: a request is planned from a :class:`LiveBook` (its rows are the Dataset sheet's values
image, :func:`official_return.values_image`, so a request shows exactly what the sheet shows)
and a returned request is handed back as plain data (:class:`Returned`) by the file adapter.
Collecting uses the cycle's own jobs (:func:`~.answer.type_comment`, :func:`~.answer.answer_query`),
so a comment or reason from a request is kept like one typed in the workbook, with the
reporter as who. A comment typed in the workbook since the request went out is never
overwritten: the workbook's stays, the reporter's is kept in Audit as not taken, and the
command says so (the officer decides).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from ..calc.drafts import Draft, DraftSettingsError, drafts
from ..calc.spc_report import spc_report
from ..checks import Finding, Severity
from ..checks.answers import answer_for, answerable
from ..errors import Refused, ScorecardError
from ..model import Indicator, Month, Settings
from ..model.book import LiveBook
from ..model.rows import AuditRow
from ..model.values import counted
from ..workbook.image import Cell, header_text
from ..workbook.layout import DatasetLayout, Field
from ..workbook.row_results import same_result
from ..workbook.style_names import INPUT_STYLE, UNIT_STYLE
from .answer import answer_query, type_comment
from .keep_typed import keep_typed
from .official_return import values_image
from .outcome import Outcome, tally
from .validate import validate

FORMAT = "1"
"""The request format, written to its About sheet."""
SHEET = "Request"
ABOUT = "About"
MARKER = "xlscorecard_request"
"""The About sheet's first key: this workbook is a commentary request."""
COMMENT_CODES = {"C402", "C403"}
"""Queries answered by writing the month's comment: the request's rows say so, not its list
of queries."""
NOT_TAKEN = "request comment not taken"
NOT_TAKEN_REASON = "request reason not taken"
TAKEN = "comment from request"
TAKEN_REASON = "reason from request"
LOCKED = {INPUT_STYLE[unit]: UNIT_STYLE[unit] for unit in UNIT_STYLE}
"""The style of a figure typed on the Dataset sheet as a request shows it: not to type in."""
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
NAME_LENGTH = 60
"""The most characters of a reporter's name a request's file name takes (a file system allows
255 bytes, Windows' paths 260 characters in all)."""


# -- the columns of a request ------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A column of the request's table: its key, heading, width and the Dataset column whose
    cells it shows (None for the request's own: the commentary to write and the draft)."""

    key: str
    header: str
    width: float
    source: int | None = None


COMMENTARY = "commentary"
DRAFT = "draft"
LAST = "last"
REF = "ref"
WRITABLE = {COMMENTARY}


def columns(layout: DatasetLayout, month: Month, settings: Settings) -> list[Column]:
    """Ref and indicator, then what the reporter writes and reads (this month's commentary,
    the draft, last month's comment: on a phone, the first screen), then the sheet's
    visible months, % changes, DoT, SPC, 12-month figures, benchmarks and targets."""
    heads = header_text(layout, month, settings)
    found = [
        Column(REF, str(heads[layout.column(Field.REF)]), 11, layout.column(Field.REF)),
        Column("name", str(heads[layout.column(Field.NAME)]), 28, layout.column(Field.NAME)),
        Column(COMMENTARY, f"Commentary ({month.label})", 42),
        Column(DRAFT, "Draft from the figures", 42),
        Column(LAST, f"Commentary ({(month - 1).label})", 30),
    ]
    for offset in range(layout.visible_months - 1, -1, -1):
        column = layout.month_column(offset)
        found.append(Column(f"month{offset}", (month - offset).label, 8, column))
    named = [
        (Field.CHANGE_PREVIOUS, 9), (Field.CHANGE_YEAR, 9), (Field.DOT, 5),
        (Field.VARIATION, 12), (Field.ASSURANCE, 10), (Field.AVERAGE, 8), (Field.MAXIMUM, 8),
        (Field.SN, 7), (Field.ENG, 7), (Field.SE, 7),
    ]  # fmt: skip
    for name, width in named:
        if layout.has(name):
            column = layout.column(name)
            found.append(Column(name.value, str(heads[column]), width, column))
    for period in layout.target_periods:
        column = layout.target_column(period)
        found.append(Column(f"target {period}", str(heads[column]), 8, column))
    return found


# -- the plan of the requests -------------------------------------------------------------------
@dataclass(frozen=True)
class RequestRow:
    ref: str
    cells: dict[str, Cell]
    """What each column shows (value and named style), by column key."""
    sent_comment: str
    """The month's comment in the workbook when the request was made (shown to write over)."""
    needed: str = ""
    """Why a comment is needed before the return (an arrow, an SPC concern), or blank."""


@dataclass(frozen=True)
class RequestQuery:
    key: str
    code: str
    ref: str
    month: Month | None
    found: str
    expected: str
    message: str


@dataclass
class RequestPlan:
    """One reporter's request: who, which month of which workbook, the rows and queries."""

    workbook: str
    council: str
    title: str
    month: Month
    reporter: str
    columns: list[Column]
    rows: list[RequestRow]
    queries: list[RequestQuery]
    due: str = ""
    made_at: str = ""
    made_by: str = ""

    name: str = ""
    """The file's name, when two reporters' names make the same one (else from the name)."""

    @property
    def file_name(self) -> str:
        return self.name or request_name(self.reporter, self.month)

    @property
    def shown(self) -> dict[str, list[object]]:
        """What each row shows outside the column written in, by ref (in column order)."""
        return {
            row.ref: [_plain(row.cells[c.key].value) for c in self.columns if c.key not in WRITABLE]
            for row in self.rows
        }

    @property
    def digest(self) -> str:
        """SHA-256 of what identifies the request and every figure and word it shows."""
        return digest_of(self.identity, self.shown, [[q.key, q.found] for q in self.queries])

    @property
    def identity(self) -> dict[str, str]:
        return {
            "workbook": self.workbook, "council": self.council, "title": self.title,
            "month": self.month.iso, "reporter": self.reporter,
        }  # fmt: skip

    def needed_line(self) -> str:
        """What is needed by when, in one line at the top of the request."""
        by = f"By {self.due}" if self.due else "As soon as you can"
        needed = [row.ref for row in self.rows if row.needed]
        what = f"please write the {self.month.label} commentary for your " + counted(
            len(self.rows), "indicator"
        )
        if needed:
            what += f" (needed before the return: {', '.join(needed)})"
        if self.queries:
            what += (
                f" and a reason for each of the {counted(len(self.queries), 'query', 'queries')}"
            )
            what += " below"
        return (
            f"{by}, {what}: write in the shaded cells only. The draft beside each is built "
            "from the figures alone, to start from: copy what is right and add the why. "
            "Save the file and send it back as it is."
        )


def digest_of(identity: dict[str, str], shown: dict, queries: list) -> str:
    text = json.dumps([identity, shown, queries], sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: object) -> object:
    """A value as JSON keeps it (whole floats as ints, as a cell holds them)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def reporter_of(indicator: Indicator) -> str:
    """Who writes an indicator's commentary: its reporter, else its owner."""
    return indicator.reporter.strip() or indicator.owner.strip()


def request_name(reporter: str, month: Month) -> str:
    """``Jacqui Schofield Aug-20.xlsx``: the reporter's name made safe for a file name."""
    safe = UNSAFE.sub(" ", reporter).strip(" .")[:NAME_LENGTH].strip(" .") or "No reporter"
    return f"{safe} {month.label}.xlsx"


def plan_requests(
    book: LiveBook, findings: list[Finding], due: str = "", when: str = "", user: str = ""
) -> list[RequestPlan]:
    """A request per reporter (in catalogue order of their first indicator) with their
    indicators' rows as the Dataset sheet shows them, a draft for each, and their open
    queries. ``findings``: the book's checks (:func:`~.validate.validate`)."""
    dataset, month, layout = book.dataset, book.month, book.layout
    if not book.structure_intact:
        raise Refused(
            f"Cannot make requests from {book.name}: rows or columns of its Dataset sheet are "
            "not where they were built (xlscorecard validate names them). Undo the change "
            "in Excel (nothing was written)."
        )
    image = values_image(dataset, month, layout)
    report = spc_report(dataset, month)
    texts = month_drafts(book, report)
    table = columns(layout, month, dataset.settings)
    open_ = [f for f in findings if answer_for(f, book.answers) is None]
    by_reporter: dict[str, list[Indicator]] = {}
    for indicator in dataset.indicators:
        by_reporter.setdefault(reporter_of(indicator), []).append(indicator)
    plans = []
    for reporter, indicators in by_reporter.items():
        refs = {indicator.ref for indicator in indicators}
        rows = [
            _row(book, image, table, indicator, texts[indicator.ref].text, open_)
            for indicator in indicators
        ]
        queries = [
            RequestQuery(f.key, f.code, f.ref, f.month, f.found, f.expected, f.message)
            for f in open_
            if f.ref in refs and f.severity is Severity.QUERY and answerable(f)
            and f.code not in COMMENT_CODES
        ]  # fmt: skip
        plans.append(
            RequestPlan(
                workbook=book.name, council=dataset.settings.council,
                title=dataset.settings.title, month=month, reporter=reporter or "No reporter",
                columns=table, rows=rows, queries=queries, due=due, made_at=when, made_by=user,
            )
        )  # fmt: skip
    seen: dict[str, int] = {}
    for plan in plans:  # two names a file system cannot tell apart ("A/B", "A B")
        key = plan.file_name.casefold()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            plan.name = plan.file_name.removesuffix(".xlsx") + f" ({seen[key]}).xlsx"
    return plans


def month_drafts(book: LiveBook, report: dict | None = None) -> dict[str, Draft]:
    """The book's drafts for its month; a ``[drafts]`` setting that cannot be used is an
    error naming the Settings sheet."""
    try:
        return drafts(book.dataset, book.month, report)
    except DraftSettingsError as exc:
        raise ScorecardError(
            f"{book.name} Settings: {exc}. Correct the drafts row of its Settings sheet "
            "(nothing was written)."
        ) from None


def _row(book, image, table, indicator: Indicator, draft: str, open_: list[Finding]):
    row = book.layout.row(indicator.ref)
    comment = book.dataset.commentary.get((indicator.ref, book.month))
    last = book.dataset.commentary.get((indicator.ref, book.month - 1))
    sent = book.commentary_cells.get(indicator.ref, comment.text if comment else "") or ""
    cells: dict[str, Cell] = {}
    for column in table:
        if column.source is not None:
            shown = image.cells.get((row, column.source), Cell(None, "text"))
            style = LOCKED.get(shown.style, shown.style)  # a request's figures are read only
            cells[column.key] = Cell(shown.value, style, shown.number_format)
    cells[COMMENTARY] = Cell(sent or None, "input text")
    cells[DRAFT] = Cell(draft, "text")
    cells[LAST] = Cell(last.text if last else None, "text")
    needed = [f.message for f in open_ if f.ref == indicator.ref and f.code in COMMENT_CODES]
    return RequestRow(indicator.ref, cells, sent, " ".join(needed))


# -- what comes back ----------------------------------------------------------------------------
@dataclass
class Returned:
    """A request as it came back (read by the file adapter)."""

    file: str
    identity: dict[str, str]
    digest: str
    comments: dict[str, tuple[str, str]] = field(default_factory=dict)
    """ref -> (the comment sent, the comment in the request now)."""
    reasons: dict[str, tuple[str, str]] = field(default_factory=dict)
    """answer key -> (the reason sent, blank; the reason in the request now)."""
    found: dict[str, str] = field(default_factory=dict)
    """answer key -> what the query found when the request went out."""
    changed: list[str] = field(default_factory=list)
    """Cells changed outside the shaded ones, in words (ignored)."""
    shown: dict[str, list[object]] = field(default_factory=dict)
    """What the request showed, by ref (from its About sheet)."""

    @property
    def reporter(self) -> str:
        return self.identity.get("reporter", "")


def check_identity(returned: Returned, book: LiveBook) -> None:
    """Refuse a request that is not from this workbook and month, naming both."""
    who = returned.identity
    name = f"{returned.file} (the request to {returned.reporter or 'someone'})"
    mine = {"council": book.dataset.settings.council, "title": book.dataset.settings.title}
    if (
        any(who.get(key) != value for key, value in mine.items())
        or who.get("workbook") != book.name
    ):
        raise Refused(
            f"{name} is from {who.get('workbook') or 'another workbook'} "
            f"({who.get('council', '')}, {who.get('title', '')}), not from {book.name} "
            f"({mine['council']}, {mine['title']}): collect it into the workbook it came from "
            f"(if that is {book.name} renamed, give it its name again) (nothing was changed)."
        )
    month = who.get("month", "")
    if month != book.month.iso:
        label = Month.parse(month).label if re.fullmatch(r"\d{4}-\d{2}", month) else month
        earlier = label and month < book.month.iso
        how = (
            f"collect a month's requests before refreshing to the next; for {book.month.label}, "
            "send its own (xlscorecard requests)"
            if earlier
            else f"send {book.month.label}'s requests (xlscorecard requests) and collect those"
        )
        raise Refused(
            f"{name} is for {label or 'no month'}, and {book.name} is at {book.month.label}: "
            f"a request is collected in the month it was made for: {how} (nothing was changed)."
        )


@dataclass
class Collected:
    outcome: Outcome
    lines: list[str]
    """What was taken, not taken and ignored, and what is still missing, per reporter."""
    changed: bool
    problems: int = 0
    """How many comments, reasons or cells were not taken (said in ``lines``)."""


def collect(book: LiveBook, returned: list[Returned], user: str, when: str) -> Collected:
    """Take the comments and reasons of returned requests into the book. Everything typed in
    the workbook since the last command is kept first, as the officer's (``user``)."""
    for each in returned:
        check_identity(each, book)
    if not book.structure_intact:
        raise Refused(
            f"Cannot collect requests into {book.name}: rows or columns of its Dataset sheet "
            "are not where they were built, so cells cannot be found by their place. Undo the "
            "change in Excel (nothing was changed)."
        )
    audit = keep_typed(book, user, when)
    cells: dict[str, object] = {}
    lines: list[str] = []
    taken = reasons = problems = 0
    recorded = {
        (str(r.action), str(r.ref), str(r.month), str(r.new))
        for r in map(AuditRow.from_row, book.audit)
    }
    month_iso = book.month.iso
    current = values_image(book.dataset, book.month, book.layout)
    for each in returned:
        reporter = each.reporter
        for ref, (sent, typed) in each.comments.items():
            typed, sent = typed.strip(), sent.strip()
            if not typed or typed == sent or ref not in book.layout.rows:
                continue
            now = (book.commentary_cells.get(ref) or "").strip()
            if now == typed or (TAKEN, ref, month_iso, typed) in recorded:
                continue  # already collected (and perhaps changed in the workbook since)
            if now == sent:
                outcome = type_comment(book, ref, typed, reporter, when)
                cells.update(outcome.cells)
                audit += outcome.audit
                audit.append(
                    AuditRow(when, reporter, TAKEN, ref, book.month.iso, now, typed,
                             f"from {each.file}; collected by {user}").to_row()
                )  # fmt: skip
                taken += 1
                lines.append(f"{each.file}: took {reporter}'s comment on {ref}.")
                lines += _figures_moved(book, current, each, ref)
                continue
            key = (NOT_TAKEN, ref, book.month.iso, typed)
            note = (
                f"{each.file}: {reporter}'s comment on {ref} was not taken: the comment in "
                f"{book.name} was changed since the request went out, so both are kept (the "
                f"workbook's stays; {reporter}'s is in Audit). To use it instead: xlscorecard "
                f'comment {book.name} "{ref}" "..."'
            )
            lines.append(note)
            problems += 1
            if key not in recorded:
                recorded.add(key)
                audit.append(
                    AuditRow(when, reporter, NOT_TAKEN, ref, book.month.iso, now, typed,
                             f"from {each.file}; the workbook's comment was changed since the "
                             "request went out: decide which to keep").to_row()
                )  # fmt: skip
        for key, (sent, typed) in each.reasons.items():
            typed, sent = typed.strip(), sent.strip()
            if not typed or typed == sent:
                continue
            code, ref, month_text = key.split("|")
            month = Month.parse(month_text) if month_text else None
            answer = book.answers.get(key)
            if answer is not None and answer.reason.strip() == typed:
                continue  # already collected
            if (TAKEN_REASON, ref, month_text, typed) in recorded:
                continue  # collected, and answered otherwise in the workbook since
            answered_since = answer is not None and answer.found == each.found.get(key)
            if answer is not None and answer.reason.strip() != sent and answered_since:
                # the query was open when the request went out (an answer kept from earlier
                # figures does not close it): one answering the same figures came since
                lines.append(
                    f"{each.file}: {reporter}'s reason for {code} on {ref} was not taken: the "
                    f"query was answered in {book.name} since the request went out ('"
                    f"{answer.reason}', by {answer.by or 'someone'}); both are kept ("
                    f"{reporter}'s is in Audit). To use it instead: xlscorecard answer "
                    f'{book.name} {code} "{ref}" "..."'
                )
                problems += 1
                record = (NOT_TAKEN_REASON, ref, month_text, typed)
                if record not in recorded:
                    recorded.add(record)
                    audit.append(
                        AuditRow(when, reporter, NOT_TAKEN_REASON, ref, month_text,
                                 answer.reason, typed,
                                 f"{code} from {each.file}: answered since the request went "
                                 "out").to_row()
                    )  # fmt: skip
                continue
            try:
                outcome = answer_query(book, code, ref, month, typed, reporter, when)
            except ScorecardError as refusal:
                problems += 1
                lines.append(
                    f"{each.file}: {reporter}'s reason for {code} on {ref} was not taken: "
                    f"{str(refusal).replace(' (nothing was changed)', '')}"
                )
                continue
            audit += outcome.audit
            audit.append(
                AuditRow(when, reporter, TAKEN_REASON, ref, month_text, "", typed,
                         f"{code} from {each.file}; collected by {user}").to_row()
            )  # fmt: skip
            reasons += 1
            lines.append(f"{each.file}: took {reporter}'s reason for {code} on {ref}.")
        problems += len(each.changed)
        for change in each.changed:
            lines.append(f"{each.file}: ignored {change}: only the shaded cells are taken.")
    final = validate(book, user, when)
    audit += final.audit
    cells.update(final.cells)
    outcome = Outcome(
        book.dataset, book.month, final.findings, audit=audit, cells=cells,
        restored=final.restored,
    )  # fmt: skip
    lines += missing_lines(book, final.findings, [each.reporter for each in returned])
    if taken or reasons:
        what = [
            counted(taken, "comment") if taken else "",
            counted(reasons, "reason") if reasons else "",
        ]
        summary = (
            f"Collected {' and '.join(part for part in what if part)} from "
            f"{counted(len(returned), 'request')} into {book.name}. "
        )
    elif not _written(returned):
        them = "it" if len(returned) == 1 else "them"
        summary = (
            f"Nothing to collect from {counted(len(returned), 'request')}: nothing has been "
            f"written in {them} yet. "
        )
    else:
        held = "what it holds" if len(returned) == 1 else "what they hold"
        summary = (
            f"Nothing new to collect from {counted(len(returned), 'request')}: {held} is "
            f"already in {book.name}{', or was not taken (said above)' if problems else ''}. "
        )
    outcome.summary = summary + f"{book.month.label}: {tally(final.findings, book.answers)}"
    return Collected(outcome, lines, bool(taken or reasons or audit), problems)


def _written(returned: list[Returned]) -> bool:
    """Whether anything was written in the requests (a comment or reason not as sent)."""
    return any(
        typed.strip() and typed.strip() != sent.strip()
        for each in returned
        for sent, typed in [*each.comments.values(), *each.reasons.values()]
    )


def _figures_moved(book: LiveBook, current, returned: Returned, ref: str) -> list[str]:
    """A note when the row's figures have changed since the request showed them."""
    sent = returned.shown.get(ref)
    if sent is None:
        return []
    table = columns(book.layout, book.month, book.dataset.settings)
    row = book.layout.row(ref)
    now = [
        _plain(current.cells.get((row, c.source), Cell(None, "text")).value)
        for c in table
        if c.key not in WRITABLE and c.source is not None
    ]
    then = [
        value
        for value, c in zip(sent, [c for c in table if c.key not in WRITABLE], strict=False)
        if c.source is not None
    ]
    if len(now) == len(then) and all(same_result(a, b) for a, b in zip(now, then, strict=True)):
        return []
    return [
        f"{returned.file}: note that {ref}'s figures have changed since the request went out: "
        f"check that {returned.reporter}'s comment still fits them."
    ]


def missing_lines(book: LiveBook, findings: list[Finding], reporters: list[str]) -> list[str]:
    """Per reporter (those whose requests came back first), what is still missing: comments
    not written (those needed before the return named) and queries not answered."""
    month = book.month
    open_ = [f for f in findings if answer_for(f, book.answers) is None]
    by_reporter: dict[str, list[Indicator]] = {}
    for indicator in book.dataset.indicators:
        by_reporter.setdefault(reporter_of(indicator) or "No reporter", []).append(indicator)
    order = list(dict.fromkeys([*reporters, *by_reporter]))
    back = {
        str(row.who) for row in map(AuditRow.from_row, book.audit)
        if row.action in (TAKEN, TAKEN_REASON, NOT_TAKEN, NOT_TAKEN_REASON)
        and str(row.month) == month.iso
    }  # fmt: skip
    lines = []
    for reporter in order:
        indicators = by_reporter.get(reporter, [])
        who = (
            reporter
            if reporter in reporters or reporter in back
            else f"{reporter} (no request back yet)"
        )
        refs = {indicator.ref for indicator in indicators}
        unwritten = [i.ref for i in indicators if not (book.commentary_cells.get(i.ref) or "")]
        needed = sorted(
            {f.ref for f in open_ if f.ref in refs and f.code in COMMENT_CODES},
            key=[i.ref for i in indicators].index,
        )
        queries = [
            f for f in open_
            if f.ref in refs and f.severity is Severity.QUERY and answerable(f)
            and f.code not in COMMENT_CODES
        ]  # fmt: skip
        if not unwritten and not queries:
            lines.append(f"{who}: nothing missing for {month.label}.")
            continue
        parts = []
        if unwritten:
            text = f"{counted(len(unwritten), 'comment')} of {len(indicators)} not written"
            if needed:
                text += f", {len(needed)} of them needed before the return ({', '.join(needed)})"
            parts.append(text)
        if queries:
            listed = ", ".join(f"{f.code} on {f.ref}" for f in queries)
            parts.append(f"{counted(len(queries), 'query', 'queries')} to answer ({listed})")
        lines.append(f"{who}: still missing for {month.label}: {'; '.join(parts)}.")
    return lines


__all__ = [
    "ABOUT", "FORMAT", "MARKER", "SHEET", "Collected", "Column", "RequestPlan", "RequestQuery",
    "RequestRow", "Returned", "check_identity", "collect", "columns", "digest_of",
    "month_drafts", "plan_requests", "reporter_of", "request_name",
]  # fmt: skip
