"""Named exceptions. Each message is written for a performance officer, not a programmer."""

from __future__ import annotations

from pathlib import Path


class ScorecardError(Exception):
    """A problem the user can fix; ``str(error)`` is the whole message.

    ``exit_code`` is what the command line exits with: 2, the input cannot be used.
    """

    exit_code = 2


class DataFileError(ScorecardError):
    """A value that cannot be read, located by file, line and column (or sheet and cell)."""

    def __init__(
        self,
        path: Path | str,
        line: int | None,
        column: str | None,
        message: str,
        cell: str | None = None,
    ):
        self.path = Path(path)
        self.line = line
        self.column = column
        self.cell = cell
        self.message = message
        if cell:
            where = f"{path}!{cell}"
        else:
            where = str(path)
            if line is not None:
                where += f", line {line}"
            if column:
                where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


class WorkbookError(ScorecardError):
    """A workbook that is not what xlscorecard expects (missing sheet, moved cells, locked file)."""


class Refused(ScorecardError):
    """A command that would not run on a usable workbook (checks block it, or it has been
    done already): nothing was changed. ``findings`` says why, if checks did. Exits 1."""

    exit_code = 1

    def __init__(self, message: str, findings: list | None = None):
        self.findings = list(findings or [])
        lines = [message, *(f"  {finding}" for finding in self.findings)]
        super().__init__("\n".join(lines))
