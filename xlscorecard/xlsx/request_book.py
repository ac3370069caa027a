"""A commentary request as a workbook (openpyxl): one small workbook per reporter, made from
its :class:`~xlscorecard.jobs.requests.RequestPlan`, and a returned one read back.

A request is macro-free and protected except the cells its reporter writes in (shaded, as
the dataset's input cells), uses the dataset's named styles, number formats, arrows and SPC
colours, prints one page wide and wraps its texts to read on a phone. Its hidden ``About``
sheet (and its custom document properties) say which workbook, month and reporter it is for,
what it showed (each row's figures and words) and their SHA-256, so that collecting it can
refuse a request of another workbook or month and tell what was changed outside the shaded
cells.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from ..calc.figures import polarity_marker
from ..errors import ScorecardError
from ..jobs import requests as job
from ..model import Dataset, Polarity
from ..model.text import text_problem
from ..workbook.image import InputRule
from ..workbook.row_results import same_result
from .cells import set_value
from .reader import read_workbook
from .styles import NAMED_STYLES, ArrowFormat, spc_rules, style_name
from .writer import add_input_validation, protect

TITLE_ROW, SUBTITLE_ROW, NEEDED_ROW, KEY_ROW, HEADER_ROW = 1, 2, 3, 4, 5
FIRST_ROW = HEADER_ROW + 1
QUERY_COLUMNS = ["Check", "Ref.", "Reason", "What was found, and what was expected"]
"""The queries' table, under the indicators': the reason is written in the same column as the
commentary (the third), so that everything to write is in one column."""
REASON_COLUMN = QUERY_COLUMNS.index("Reason") + 1
LINE_HEIGHT = 12.0
EXCEL_LOCK = "~$"
"""How Excel names the file that marks a workbook open (``~$Mary Hardy Aug-20.xlsx``), which a
shell's ``requests/*.xlsx`` takes in with the requests."""
PROPERTY = "xlscorecard request"
PROPERTY_DIGEST = "xlscorecard request digest"


def request_workbook(plan: job.RequestPlan, dataset: Dataset) -> Workbook:
    """The request as an openpyxl workbook: the Request sheet and the hidden About sheet."""
    book = Workbook()
    for style in NAMED_STYLES.values():
        book.add_named_style(style)
    sheet = book.active
    sheet.title = job.SHEET
    _write_request(sheet, plan, dataset)
    about = book.create_sheet(job.ABOUT)
    _write_about(about, plan)
    about.sheet_state = "hidden"
    for each in (sheet, about):
        protect(each, dataset)
    book.security = WorkbookProtection(lockStructure=True)
    properties = book.properties
    properties.title = f"{plan.title} {plan.month.label}: commentary request to {plan.reporter}"
    properties.subject = f"{plan.council}: {plan.month.label} commentary from {plan.reporter}"
    properties.creator = properties.lastModifiedBy = plan.made_by or "xlscorecard"
    properties.keywords = f"commentary request; {plan.month.iso}; {plan.reporter}"
    properties.created = properties.modified = _datetime(plan.made_at)
    identity = " | ".join([plan.workbook, plan.month.iso, plan.reporter])
    book.custom_doc_props.append(StringProperty(name=PROPERTY, value=identity))
    book.custom_doc_props.append(StringProperty(name=PROPERTY_DIGEST, value=plan.digest))
    book.active = 0
    return book


def _datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None, microsecond=0)
    except ValueError:
        return dt.datetime(2020, 1, 1)


def _write_request(sheet: Worksheet, plan: job.RequestPlan, dataset: Dataset) -> None:
    columns = plan.columns
    width = len(columns)
    set_value(sheet.cell(TITLE_ROW, 1), f"{plan.title}: commentary for {plan.month.label}",
              style_name("title"))  # fmt: skip
    set_value(sheet.cell(SUBTITLE_ROW, 1), f"To {plan.reporter}, from {plan.workbook} "
              f"({plan.council})", style_name("subtitle"))  # fmt: skip
    set_value(sheet.cell(NEEDED_ROW, 1), plan.needed_line(), style_name("text"))
    sheet.merge_cells(start_row=NEEDED_ROW, start_column=1, end_row=NEEDED_ROW, end_column=4)
    sheet.row_dimensions[NEEDED_ROW].height = 3 * LINE_HEIGHT + 4
    key = (
        f"↑ / ↓ a change of {dataset.settings.arrow_threshold:.0%} or more, → smaller; "
        "▲ higher is better, ▼ lower is better; green good news, red bad news. "
        "Variation and Assurance: NHS Making Data Count."
    )
    set_value(sheet.cell(KEY_ROW, 1), key, style_name("note"))
    for index, column in enumerate(columns, start=1):
        set_value(sheet.cell(HEADER_ROW, index), column.header, style_name("header"))
        empty = all(row.cells[column.key].value in (None, "") for row in plan.rows)
        narrow = column.key == job.LAST and empty  # no comments last month: no room for them
        sheet.column_dimensions[_letter(index)].width = 12 if narrow else column.width
    sheet.row_dimensions[HEADER_ROW].height = 4 * LINE_HEIGHT
    for number, row in enumerate(plan.rows, start=FIRST_ROW):
        for index, column in enumerate(columns, start=1):
            content = row.cells[column.key]
            cell = sheet.cell(number, index)
            set_value(cell, content.value, style_name(content.style))
            if content.number_format:
                cell.number_format = content.number_format
            if column.key in (job.DRAFT, job.LAST, "name"):
                cell.style = style_name("text")
        sheet.row_dimensions[number].height = _height(row, columns)
    last = FIRST_ROW + len(plan.rows) - 1
    if plan.rows:
        _formats(sheet, plan, dataset, last)
        _prompts(sheet, plan)
    _write_queries(sheet, plan, last + 2)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 2).coordinate
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{_letter(width)}{sheet.max_row}"
    page = sheet.page_setup
    page.orientation, page.paperSize = "landscape", "9"  # A4
    page.fitToWidth, page.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = "Page &P of &N"


def _height(row: job.RequestRow, columns: list[job.Column]) -> float:
    """Enough height for the row's wrapped texts (estimated from the column widths)."""
    lines = 2
    for column in columns:
        value = row.cells[column.key].value
        if isinstance(value, str) and column.key in (job.DRAFT, job.LAST, job.COMMENTARY, "name"):
            lines = max(lines, math.ceil(len(value) / (column.width * 1.45)))
    return min(lines, 30) * LINE_HEIGHT + 4


def _formats(sheet: Worksheet, plan: job.RequestPlan, dataset: Dataset, last: int) -> None:
    """The dataset's arrows and good/bad colours on the % changes, and its SPC colours."""
    keys = [column.key for column in plan.columns]
    arrows = ArrowFormat(dataset.settings.arrow_threshold)
    # no DoT column: a marker that matches neither, so the arrows show unshaded
    marker = f"${_letter(keys.index('dot') + 1)}{FIRST_ROW}" if "dot" in keys else '""'
    for key in ("change_previous", "change_year"):
        if key not in keys:
            continue
        letter = _letter(keys.index(key) + 1)
        block = f"{letter}{FIRST_ROW}:{letter}{last}"
        for rule in arrows.rules(
            f"{letter}{FIRST_ROW}", marker,
            up=polarity_marker(Polarity.UP), down=polarity_marker(Polarity.DOWN),
        ):  # fmt: skip
            sheet.conditional_formatting.add(block, rule)
    for key in ("variation", "assurance"):
        if key in keys:
            letter = _letter(keys.index(key) + 1)
            for rule in spc_rules(f"{letter}{FIRST_ROW}"):
                sheet.conditional_formatting.add(f"{letter}{FIRST_ROW}:{letter}{last}", rule)


def _prompts(sheet: Worksheet, plan: job.RequestPlan) -> None:
    """Excel's input message on each commentary cell: what to write, and why one is needed
    before the return where it is (the dataset's own validation, as :func:`add_input_validation`
    writes it)."""
    where = [column.key for column in plan.columns].index(job.COMMENTARY) + 1
    rules = []
    for number, row in enumerate(plan.rows, start=FIRST_ROW):
        needed = f" Needed before the return: {row.needed}" if row.needed else ""
        rules.append(
            InputRule(
                cell=f"{_letter(where)}{number}",
                formula=None,
                prompt_title=row.ref[:32],
                prompt=f"Your {plan.month.label} commentary on {row.ref}.{needed}"[:255],
                error="",
            )
        )
    add_input_validation(sheet, rules)


def _write_queries(sheet: Worksheet, plan: job.RequestPlan, start: int) -> None:
    if not plan.queries:
        set_value(sheet.cell(start, 1), "No queries to answer.", style_name("note"))
        return
    set_value(sheet.cell(start, 1), "Queries to answer: give a reason for each",
              style_name("subtitle"))  # fmt: skip
    for index, header in enumerate(QUERY_COLUMNS, start=1):
        set_value(sheet.cell(start + 1, index), header, style_name("header"))
    for number, query in enumerate(plan.queries, start=start + 2):
        month = f"{query.month.label}: " if query.month else ""
        found = f"{month}{query.message} Found {query.found}; expected {query.expected}."
        values = [query.code, query.ref, None, found]
        styles = ["ref", "ref", "answer", "text"]
        for index, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
            set_value(sheet.cell(number, index), value, style_name(style))
        lines = len(found) / (plan.columns[3].width * 1.45)
        sheet.row_dimensions[number].height = max(2, math.ceil(lines)) * LINE_HEIGHT + 4


def _write_about(sheet: Worksheet, plan: job.RequestPlan) -> None:
    """What identifies the request and what it showed: read back by :func:`read_request`."""
    rows: list[list[object]] = [
        ["key", "value", "row", "sent", "shown"],
        [job.MARKER, job.FORMAT],
        *([name, value] for name, value in plan.identity.items()),
        ["digest", plan.digest],
        ["made_at", plan.made_at],
        ["made_by", plan.made_by],
        ["due", plan.due],
        ["columns", json.dumps([column.key for column in plan.columns])],
    ]
    shown = plan.shown
    for number, row in enumerate(plan.rows, start=FIRST_ROW):
        rows.append(["indicator", row.ref, number, row.sent_comment, json.dumps(shown[row.ref])])
    start = FIRST_ROW + len(plan.rows) + 1 + 2
    for number, query in enumerate(plan.queries, start=start):
        rows.append(["query", query.key, number, "", query.found])
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            set_value(sheet.cell(r, c), value)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


# -- back in ------------------------------------------------------------------------------------
def read_request(path: Path) -> job.Returned:
    """What a returned request holds: who and what it is for, the comments and reasons
    written in it, and any cell changed outside the shaded ones (in words)."""
    path = Path(path)
    if not path.is_file():
        raise ScorecardError(f"{path} does not exist (or is a folder): give a request file")
    if not zipfile.is_zipfile(path):
        raise ScorecardError(f"{path} is not an Excel workbook (.xlsx): give a request file")
    book = read_workbook(path)  # a damaged file is an error naming it
    if job.ABOUT not in book.sheetnames or job.SHEET not in book.sheetnames:
        raise ScorecardError(
            f"{path.name} is not a commentary request made by xlscorecard requests (it has no "
            f"{job.ABOUT} sheet): give the request files as they were sent and came back"
        )
    about = _about(book[job.ABOUT], path)
    identity = {k: str(about["keys"].get(k) or "") for k in ("workbook", "council", "title",
                                                              "month", "reporter")}  # fmt: skip
    shown = {ref: values for ref, (_, _, values) in about["rows"].items()}
    digest = job.digest_of(
        identity, shown, [[k, found] for k, (_, found) in about["queries"].items()]
    )
    if digest != about["keys"].get("digest"):
        raise ScorecardError(
            f"{path.name}: its {job.ABOUT} sheet (what the request showed) has been changed, so "
            "what was written in it cannot be told from what was sent. Send the reporter a new "
            "request (xlscorecard requests) and collect that (nothing was changed)."
        )
    returned = job.Returned(path.name, identity, digest, shown=shown)
    sheet = book[job.SHEET]
    keys = _columns_of(about, path)
    last = FIRST_ROW + len(about["rows"])
    placed = {str(sheet.cell(r, 1).value or "").strip(): r for r in range(FIRST_ROW, last)}
    for ref, (number, sent, values) in about["rows"].items():
        if ref not in placed:
            returned.changed.append(f"{job.SHEET}!A{number} (the row of {ref} is not there)")
            continue
        number = placed[ref]  # a table sorted in LibreOffice keeps each row's cells together
        written = sheet.cell(number, keys.index(job.COMMENTARY) + 1)
        typed = _typed(written, returned, f"{ref}'s comment")
        returned.comments[ref] = (sent, typed)
        locked = [k for k in keys if k not in job.WRITABLE]
        for key, value in zip(locked, values, strict=False):
            cell = sheet.cell(number, keys.index(key) + 1)
            found = cell.value
            if found in ("", None) and value in ("", None):
                continue
            if cell.data_type == "f" or not same_result(found, value):
                returned.changed.append(
                    f"{job.SHEET}!{cell.coordinate} ({ref}, {_header(sheet, keys, key)}: "
                    f"{_show(value)} was changed to {_show(found)})"
                )
    for key, (number, found) in about["queries"].items():
        returned.found[key] = found
        cell = sheet.cell(number, REASON_COLUMN)
        code, ref, _ = key.split("|")
        if str(sheet.cell(number, 1).value or "").strip() != code:
            returned.changed.append(
                f"{job.SHEET}!A{number} (the row of query {code} on {ref} has moved)"
            )
            continue
        returned.reasons[key] = ("", _typed(cell, returned, f"the reason for {code} on {ref}"))
        written = str(sheet.cell(number, len(QUERY_COLUMNS)).value or "")
        if str(sheet.cell(number, 2).value or "").strip() != ref or (
            found and f" Found {found}; expected " not in written
        ):
            returned.changed.append(f"{job.SHEET}!D{number} (query {code} on {ref} was changed)")
    returned.changed += _strays(sheet, len(keys), last, about["queries"])
    return returned


def _strays(sheet: Worksheet, width: int, last: int, queries: dict) -> list[str]:
    """Anything written where the request put nothing (below or beside its tables, in a
    blank row): never taken, so said rather than silently lost."""
    title = last + 1  # the queries' title, then their header, then the queries
    query_rows = {number for number, _ in queries.values()}
    written = {(row, 1) for row in (TITLE_ROW, SUBTITLE_ROW, NEEDED_ROW, KEY_ROW, title)}
    written |= {(HEADER_ROW, c) for c in range(1, width + 1)}
    written |= {(r, c) for r in range(FIRST_ROW, last) for c in range(1, width + 1)}
    if queries:
        written |= {(title + 1, c) for c in range(1, len(QUERY_COLUMNS) + 1)}
        written |= {(r, c) for r in query_rows for c in range(1, len(QUERY_COLUMNS) + 1)}
    return [
        f"{job.SHEET}!{cell.coordinate} ({_show(cell.value)}, outside the request's cells)"
        for row in sheet.iter_rows()
        for cell in row
        if cell.value not in (None, "") and (cell.row, cell.column) not in written
    ]


def _header(sheet: Worksheet, keys: list[str], key: str) -> str:
    return str(sheet.cell(HEADER_ROW, keys.index(key) + 1).value or key)


def _typed(cell, returned: job.Returned, what: str) -> str:
    """What was written in a shaded cell, as text; a formula or text a cell cannot hold is
    not taken (said)."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        returned.changed.append(f"{job.SHEET}!{cell.coordinate} ({what} is a formula)")
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    problem = text_problem(text)
    if problem:
        returned.changed.append(f"{job.SHEET}!{cell.coordinate} ({what}: {problem})")
        return ""
    return text


def _show(value: object) -> str:
    return "blank" if value in (None, "") else repr(value) if isinstance(value, str) else f"{value}"


def _columns_of(about: dict, path: Path) -> list[str]:
    """The request's column keys, in order, as its About sheet records them."""
    try:
        keys = json.loads(str(about["keys"].get("columns") or ""))
    except ValueError:
        keys = None
    if not isinstance(keys, list) or job.COMMENTARY not in keys:
        raise ScorecardError(f"{path.name}: its {job.ABOUT} sheet does not say its columns")
    return [str(key) for key in keys]


def _about(sheet: Worksheet, path: Path) -> dict:
    keys: dict[str, object] = {}
    rows: dict[str, tuple[int, str, list]] = {}
    queries: dict[str, tuple[int, str]] = {}
    try:
        for values in sheet.iter_rows(min_row=2, values_only=True):
            kind = values[0]
            if kind == "indicator":
                rows[str(values[1])] = (int(values[2]), str(values[3] or ""), json.loads(values[4]))
            elif kind == "query":
                queries[str(values[1])] = (int(values[2]), str(values[4] or ""))
            elif kind:
                keys[str(kind)] = "" if values[1] is None else str(values[1])
    except (TypeError, ValueError, IndexError) as exc:
        raise ScorecardError(f"{path.name}: its {job.ABOUT} sheet cannot be read ({exc})") from None
    if keys.get(job.MARKER) != job.FORMAT:
        raise ScorecardError(
            f"{path.name} is not a commentary request of a format this xlscorecard reads "
            f"({job.MARKER} is {keys.get(job.MARKER)!r}, not {job.FORMAT!r})"
        )
    return {"keys": keys, "rows": rows, "queries": queries}
