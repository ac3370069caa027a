"""The rows of the Audit and Checks sheets as small typed records, keyed by the schema's
columns (:data:`xlscorecard.workbook.schema.COLUMNS`; tests/test_rows.py holds them to it):
made and read by name, never by position. ``to_row`` gives the cells as the sheet holds them;
``from_row`` reads them back, a row shorter than the schema (an earlier workbook's) read as if
its missing cells were blank.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass, fields

from .months import Month

RETURN_SAVED = "return saved"
"""The Audit action recording a return saved (its file name in ``new``, its SHA-256s in
``note``, :class:`SavedReturn`)."""


def _padded(values, width: int) -> list[object]:
    cells = list(values)[:width]
    return cells + [None] * (width - len(cells))


@dataclass(frozen=True)
class AuditRow:
    """One row of the Audit sheet: who did what, when, to which figure (old -> new), and a
    note. Rows read back may hold any cell value; rows xlscorecard makes hold text."""

    when: object
    who: object
    action: object
    ref: object = ""
    month: object = ""
    old: object = ""
    new: object = ""
    note: object = ""

    def to_row(self) -> list[object]:
        return list(astuple(self))

    @classmethod
    def from_row(cls, values) -> AuditRow:
        return cls(*_padded(values, len(AUDIT_FIELDS)))

    @property
    def month_of(self) -> Month | None:
        """The month the row is about, when it names one that can be read."""
        try:
            return Month.parse(str(self.month)) if self.month else None
        except ValueError:
            return None


@dataclass(frozen=True)
class CheckRow:
    """One row of the Checks sheet: a finding, the reason that answers it and who gave it."""

    severity: object
    code: object
    cell: object
    ref: object
    indicator: object
    month: object
    found: object
    expected: object
    message: object
    reason: object
    answered: object
    key: object

    def to_row(self) -> list[object]:
        return list(astuple(self))

    @classmethod
    def from_row(cls, values) -> CheckRow:
        return cls(*_padded(values, len(CHECK_FIELDS)))


AUDIT_FIELDS = [item.name for item in fields(AuditRow)]
CHECK_FIELDS = [item.name for item in fields(CheckRow)]


_SAVED_NOTE = re.compile(
    r"SHA-256 (?P<digest>[0-9a-f]{64}); file SHA-256 (?P<sha256>[0-9a-f]{64}); "
    r"(?:PDF (?P<pdf>.+?) SHA-256 (?P<pdf_sha256>[0-9a-f]{64})|no PDF)"
)


@dataclass(frozen=True)
class SavedReturn:
    """What the Audit row of a saved return records in its note: the SHA-256 of the return's
    data (``digest``), of its file's bytes and of its PDF's (blank: no PDF). None for each in
    a note xlscorecard did not write."""

    digest: str | None = None
    sha256: str | None = None
    pdf: str | None = None
    pdf_sha256: str | None = None

    def note(self, no_pdf: str, key: str = "") -> str:
        """The note as the Audit row holds it (``no_pdf``: why there is no PDF)."""
        made = f"PDF {self.pdf} SHA-256 {self.pdf_sha256}" if self.pdf else f"no PDF: {no_pdf}"
        signed = f"; signed by key {key}" if key else ""
        return f"SHA-256 {self.digest}; file SHA-256 {self.sha256}; {made}{signed}"

    @classmethod
    def read(cls, note: object) -> SavedReturn:
        """What a note records (every field None for a note xlscorecard did not write)."""
        found = _SAVED_NOTE.match(str(note or ""))
        if not found:
            return cls()
        return cls(**{key: value or "" for key, value in found.groupdict().items()})


def recorded_return(audit: list[list[object]], file_name: str) -> SavedReturn | None:
    """What the Audit row of the saved return ``file_name`` records, or None when no row
    records it."""
    for values in audit:
        row = AuditRow.from_row(values)
        if row.action == RETURN_SAVED and str(row.new or "") == file_name:
            return SavedReturn.read(row.note)
    return None


def returned_months(audit: list[list[object]]) -> set[Month]:
    """The months Audit records a return saved for (a month that cannot be read, typed over
    on Audit, is no month)."""
    rows = map(AuditRow.from_row, audit)
    return {row.month_of for row in rows if row.action == RETURN_SAVED} - {None}
