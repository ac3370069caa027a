"""docs/commentary.md's story as steps: its console blocks, and the table of what each reporter
writes in their request between them (the tests and tools/request_picture.py both use it)."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from tests.support.paths import ROOT

STORY = ROOT / "docs" / "commentary.md"
TABLE_ROW = re.compile(r"^\|(.*)\|\s*$")


def written_in_requests(document: Path = STORY) -> list[dict[str, str]]:
    """The story's table of what the reporters write: request, ref, commentary, reason."""
    rows, header = [], None
    for line in document.read_text(encoding="utf-8").splitlines():
        match = TABLE_ROW.match(line)
        if not match:
            header = None if rows else header
            continue
        cells = [cell.strip().strip("`") for cell in match.group(1).split("|")]
        if header is None:
            if cells[:2] == ["Request", "Ref."]:
                header = cells
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        rows.append(dict(zip(["request", "ref", "commentary", "reason"], cells, strict=True)))
    return rows


def fill_in(path: Path, comments: dict[str, str], reasons: dict[str, str] | None = None) -> None:
    """Type comments (ref -> text) and reasons for queries (ref -> text) into a request where
    its headings say, as its reporter would in Excel."""
    book = load_workbook(path)
    sheet = book["Request"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Ref.")
    where = next(
        c for c in range(1, sheet.max_column + 1)
        if str(sheet.cell(header, c).value).startswith("Commentary (") and c < 4
    )  # fmt: skip
    rows = {sheet.cell(r, 1).value: r for r in range(header + 1, sheet.max_row + 1)}
    for ref, text in comments.items():
        sheet.cell(rows[ref], where).value = text
    if reasons:
        top = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Check")
        reason = next(c for c in range(1, 10) if sheet.cell(top, c).value == "Reason")
        for row in range(top + 1, sheet.max_row + 1):
            if (ref := sheet.cell(row, 2).value) in reasons:
                sheet.cell(row, reason).value = reasons[ref]
    book.save(path)


def write_requests(folder: Path, document: Path = STORY) -> list[Path]:
    """Fill in the requests in ``folder``/requests as the story's table says; the files."""
    by_request: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for row in written_in_requests(document):
        comments, reasons = by_request.setdefault(row["request"], ({}, {}))
        if row["commentary"]:
            comments[row["ref"]] = row["commentary"]
        if row["reason"]:
            reasons[row["ref"]] = row["reason"]
    paths = []
    for name, (comments, reasons) in by_request.items():
        path = folder / "requests" / name
        fill_in(path, comments, reasons)
        paths.append(path)
    return paths
