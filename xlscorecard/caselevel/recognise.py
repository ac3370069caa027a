"""A folder of case-level files read by what each file holds, not its name: an SSDA903 table
by its header row, a CIN census by its XML, an Annex A list 1 by its headers (a workbook's
sheets, or a list saved as CSV). A file it cannot recognise is named in a note and left."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

from ..errors import DataFileError
from ..store.safe_write import TEMPORARY
from .read_903 import read_episodes, read_uasc, table_kind
from .read_annexa import HEADER_ROWS, find_header, read_contacts
from .read_cin import Census, is_cin_census, read_cin
from .read_xlsx import NotAWorkbook, Workbook
from .records import CaseFiles, Contact, Episode, Referral

NEEDED_903 = {"episodes", "uasc"}


def read_folder(folder: Path) -> tuple[CaseFiles, list[str]]:
    """Every case-level file in ``folder`` (not its subfolders) read into one
    :class:`CaseFiles`, and notes on the files left unread. Records in more than one file
    (a collection year's census and the next, stacked monthly Annex A lists) are kept once,
    as the file that knows most has them (:func:`_once`)."""
    if not folder.is_dir():
        raise DataFileError(folder, None, None, "folder not found (--from names the folder of "
                            "case-level files)")  # fmt: skip
    data, notes = CaseFiles(), []
    referrals: list[list[Referral]] = []
    episodes: list[list[Episode]] = []
    contacts: list[list[Contact]] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", TEMPORARY, "~$")) or not path.is_file():
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise DataFileError(path, None, None, f"cannot be read: {exc.strerror}") from None
        note = _read(path, raw, data, referrals, episodes, contacts)
        if note:
            notes.append(f"{path}: {note}; ignored")
    data.referrals = _once(referrals, lambda r: (r.child, r.date), lambda r: r.closed is not None)
    data.episodes = _once(episodes, lambda e: (e.child, e.start), lambda e: e.end is not None)
    data.contacts = _once(contacts, lambda c: (c.child, c.date, c.source), lambda c: True)
    return data, notes


def _once(files, key, finished):
    """The records of several files, a record found in more than one file (by ``key``) taken
    from one of them: a file where it has ended before one where it is open, else the later
    file (files come in name order). Within one file every record is kept."""
    found: dict = {}
    for index, records in enumerate(files):
        for record in records:
            found.setdefault(key(record), {}).setdefault(index, []).append(record)
    kept = []
    for by_file in found.values():
        best = max(by_file, key=lambda i: (any(finished(r) for r in by_file[i]), i))
        kept += by_file[best]
    return kept


def _read(path, raw: bytes, data: CaseFiles, referrals, episodes, contacts) -> str | None:
    """Read one file into ``data``; a note when it is not a file this reads."""
    if raw.startswith(b"PK\x03\x04"):
        return _workbook(path, data, contacts)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old-style Excel file (.xls): save it as .xlsx to have it read"
    text = _text(raw)
    if text is None:
        return "not text, a workbook or XML"
    if text.lstrip().startswith("<") or raw.startswith((b"\xff\xfe<", b"\xfe\xff\x00<")):
        census = Census(path, raw)
        if not is_cin_census(census.root):
            return f"XML that is not a CIN census (its root element is <{census.root.tag}>)"
        referrals.append(read_cin(census))
        data.add_file("cin", path.name)
        return None
    try:
        top = list(itertools.islice(csv.reader(io.StringIO(text)), HEADER_ROWS))
    except csv.Error:
        return "not a CSV file with a header row"
    header = top[0] if top else []
    listed = find_header(top)  # Annex A's header may be below a title, as in a workbook
    kind = table_kind(header)
    if kind == "episodes":
        episodes.append(read_episodes(path, text))
        data.add_file("903", path.name)
    elif kind == "uasc":
        for row in read_uasc(path, text):
            data.uasc[row.child] = row
        data.add_file("uasc", path.name)
    elif kind is not None:
        return f"the 903 {kind} table, which no rule needs"
    elif listed is not None and listed[1] == "list 1":
        reader = csv.reader(io.StringIO(text))
        for _ in range(listed[0] + 1):
            next(reader)
        rows = ((reader.line_num, row) for row in reader)
        contacts.append(read_contacts(path, rows, top[listed[0]], None))
        data.add_file("annexa", path.name)
    elif listed is not None:
        return f"Annex A {listed[1]}, which no rule reads"
    else:
        return "not a table this reads (an SSDA903 table, or Annex A list 1)"
    return None


def _text(raw: bytes) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if b"\x00" in raw[:4096]:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _workbook(path: Path, data: CaseFiles, contacts: list) -> str | None:
    try:
        book = Workbook(path)
    except NotAWorkbook as exc:
        return str(exc)
    try:
        found = []
        for title, part in book.names:
            rows = book.rows(part)
            top, failure = [], None
            try:
                top += itertools.islice(rows, HEADER_ROWS)
            except NotAWorkbook as exc:  # the header may be above the row that fails
                failure = exc
            header = find_header([row for _, row in top])
            if header is None:
                if failure is not None:
                    raise failure
                continue
            index, name = header
            found.append(name)
            if name == "list 1":
                try:
                    if failure is not None:
                        raise failure
                    rest = itertools.chain(top[index + 1 :], rows)
                    contacts.append(read_contacts(path, rest, top[index][1], title))
                except NotAWorkbook as exc:
                    raise DataFileError(path, None, None, f"Annex A list 1: {exc}") from None
                data.add_file("annexa", path.name)
    except NotAWorkbook as exc:
        return str(exc)
    finally:
        book.close()
    if "list 1" in found:
        return None
    if found:
        return "an Annex A workbook with no list 1 (contacts)"
    return "a workbook with no Annex A list in it"
