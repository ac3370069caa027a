"""``build``: data directory -> model -> formatted workbook file."""

from __future__ import annotations

from pathlib import Path

from .datadir import load_data_dir
from .errors import ScorecardError
from .months import Month
from .safe_write import atomic_write
from .template import new_template
from .xlsx_writer import build_workbook


def build(data_dir: Path, month: Month, out: Path, template: Path | None = None) -> int:
    """Build the workbook for report ``month`` from ``data_dir`` into ``out``.

    Returns the number of indicators written. Raises a :class:`ScorecardError` subclass.
    """
    dataset = load_data_dir(data_dir)
    if not any(when == month for _, when in dataset.values):
        raise ScorecardError(
            f"{data_dir} has no figures for {month.label} ({month.iso}); "
            f"its months run {dataset.months[0].iso} to {dataset.months[-1].iso}"
            if dataset.months
            else f"{data_dir} has no figures at all"
        )
    book = build_workbook(dataset, month, template)
    atomic_write(out, book.save)
    return len(dataset.indicators)


def write_template(out: Path) -> None:
    """Regenerate the styled empty template from code."""
    atomic_write(out, new_template().save)
