"""``xlscorecard lite``: put this version's xlwings Lite code into a workbook file (see
:mod:`xlscorecard.xlsx.lite_code`), saved as every command saves, keeping the replaced version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..store.backups import backups_kept
from ..workbook import schema as sheets
from ..workbook.layout import SHEET
from ..xlsx.carry_over import carried_by, carry
from ..xlsx.lite_code import LiteCode, lite_code, this_code, with_lite_code
from ..xlsx.save import save_workbook
from ..xlsx.trends import write_trends
from .session import one_at_a_time
from .workbook_file import open_book


@dataclass(frozen=True)
class LitePut:
    """What ``lite`` did: the code the workbook carried before (None: none), and whether it
    saved (not when the workbook already carried this code)."""

    path: Path
    before: LiteCode | None
    code: LiteCode
    saved: bool

    @property
    def summary(self) -> str:
        name, version = self.path.name, self.code.version
        buttons = "Refresh month, Validate, Save return and Help"
        if not self.saved:
            return (
                f"{name} already carries xlscorecard {version}'s xlwings Lite code: nothing to do."
            )
        if self.before is None:
            was = "It carried no xlwings Lite code before"
        elif self.before.version:
            was = f"It carried xlscorecard {self.before.version}'s before"
        else:
            was = (
                f"It carried other xlwings Lite code before (main.py of "
                f"{len(self.before.main.splitlines())} lines), kept with the replaced version "
                "in its backups folder"
            )
        return (
            f"Put xlscorecard {version}'s xlwings Lite code into {name}: {buttons}, with "
            f"requirements.txt pinning xlscorecard=={version} and what it needs. {was}. Its "
            f"{SHEET} sheet is saved "
            "unprotected: xlwings Lite cannot unprotect it (see docs/excel-lite.md)."
        )


@one_at_a_time("lite")
def lite_file(path: Path, backup: bool = True, user: str | None = None) -> LitePut:
    """Put this version's Lite code into the workbook at ``path`` (refused, nothing written,
    where saving would lose anything); a workbook already carrying it is not written."""
    path = Path(path)
    workbook, book = open_book(path)
    parts = carried_by(workbook)
    before, code = lite_code(parts), this_code()
    if before == code:
        return LitePut(path, before, code, saved=False)
    carry(workbook, with_lite_code(parts, code))
    write_trends(workbook, book.dataset, book.month)  # openpyxl reads charts only in part
    where = f"{path.name} {sheets.SETTINGS}"
    save_workbook(workbook, path, backup=backup, versions=backups_kept(book.dataset, where))
    return LitePut(path, before, code, saved=True)
