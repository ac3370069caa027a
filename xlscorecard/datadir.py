"""A council's data directory: CSV tables and council.toml, read into and written from the model."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

from .errors import DataFileError
from .model import Dataset
from .tables import (
    BENCHMARK_COLUMNS,
    COMMENTARY_COLUMNS,
    INDICATOR_COLUMNS,
    TARGET_COLUMNS,
    VALUE_COLUMNS,
    Table,
    parse_benchmarks,
    parse_commentary,
    parse_indicators,
    parse_settings,
    parse_targets,
    parse_values,
)

__all__ = [
    "BENCHMARK_COLUMNS", "COMMENTARY_COLUMNS", "INDICATOR_COLUMNS", "TARGET_COLUMNS",
    "VALUE_COLUMNS", "load_data_dir", "read_csv",
]  # fmt: skip


def load_data_dir(directory: Path | str) -> Dataset:
    """Load a council's data directory into a :class:`Dataset`.

    Raises :class:`DataFileError` naming file, line and column for anything unreadable.
    """
    directory = Path(directory)
    settings = parse_settings(
        read_toml(directory / "council.toml"), str(directory / "council.toml")
    )
    dataset = Dataset(
        settings=settings, indicators=parse_indicators(read_csv(directory / "indicators.csv"))
    )
    parse_values(read_csv(directory / "values.csv"), dataset)
    for name, parse in (
        ("commentary.csv", parse_commentary),
        ("benchmarks.csv", parse_benchmarks),
        ("targets.csv", parse_targets),
    ):
        if (directory / name).exists():
            parse(read_csv(directory / name), dataset)
    return dataset


def read_toml(path: Path) -> dict:
    if not path.exists():
        raise DataFileError(path, None, None, "file not found")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, None, None, f"not valid TOML: {exc}") from None


def read_csv(path: Path) -> Table:
    """A UTF-8 CSV with one header row, as a :class:`Table` (line numbers as in the file)."""
    if not path.exists():
        raise DataFileError(path, None, None, "file not found")
    rows = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            for row in reader:
                if None in row:
                    raise DataFileError(
                        path, reader.line_num, None, "more cells than the header has"
                    )
                rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    except UnicodeDecodeError as exc:
        raise DataFileError(path, None, None, f"not UTF-8 text ({exc.reason})") from None
    return Table(path.name, rows, columns, origin=str(path))
