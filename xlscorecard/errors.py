"""Named exceptions. Each message is written for a performance officer, not a programmer."""

from __future__ import annotations

from pathlib import Path


class ScorecardError(Exception):
    """A problem the user can fix; ``str(error)`` is the whole message."""


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
