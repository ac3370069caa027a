"""A council's data directory: CSV tables and council.toml, read into and written from the model."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import tomli_w

from ..errors import DataFileError
from ..model import Dataset
from ..model.tables import (
    INDICATORS,
    TABLE_COLUMNS,
    VALUES,
    Table,
    assemble,
    csv_table,
    dataset_tables,
)
from ..model.values import cell_value
from .safe_write import atomic_write

SETTINGS_FILE = "council.toml"
REQUIRED = {INDICATORS, VALUES}
"""Tables a data directory must have; the others (commentary, benchmarks, targets) may be
left out."""


def file_name(table: str) -> str:
    """The CSV file of one of the dataset's tables: ``values`` -> ``values.csv``."""
    return f"{table}.csv"


def load_data_dir(directory: Path | str) -> Dataset:
    """Load a council's data directory into a :class:`Dataset`.

    Raises :class:`DataFileError` naming file, line and column for anything unreadable.
    """
    directory = Path(directory)
    settings = directory / SETTINGS_FILE
    data = read_toml(settings)
    tables = {
        name: read_csv(directory / file_name(name))
        for name in TABLE_COLUMNS
        if name in REQUIRED or (directory / file_name(name)).exists()
    }
    return assemble(data, str(settings), tables)


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
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, None, None, f"not UTF-8 text ({exc.reason})") from None
    return csv_table(text, path.name, str(path))


def write_data_dir(dataset: Dataset, directory: Path) -> list[Path]:
    """Write ``dataset`` as a data directory that :func:`load_data_dir` reads back unchanged."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in dataset_tables(dataset).items():
        path = directory / file_name(name)
        text_rows = [[_text(cell_value(value)) for value in row] for row in rows]
        columns = TABLE_COLUMNS[name]
        _write_new(path, _csv_text(columns, text_rows))
        written.append(path)
    toml_path = directory / SETTINGS_FILE
    _write_new(toml_path, settings_toml(dataset))
    written.append(toml_path)
    return written


def _write_new(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` safely, unless the file already holds exactly it."""
    if path.exists() and path.read_bytes() == text.encode("utf-8"):
        return
    atomic_write(path, lambda target: target.write_bytes(text.encode("utf-8")))


def settings_toml(dataset: Dataset) -> str:
    settings = dataset.settings
    data: dict[str, object] = {
        "council": settings.council,
        "title": settings.title,
        "report_name": settings.report_name,
        "benchmark_note": settings.benchmark_note,
        "arrow_threshold": settings.arrow_threshold,
        "visible_months": settings.visible_months,
        "year_start_month": settings.year_start_month,
    }
    data.update(settings.extra)
    data["population"] = {
        period: int(n) if float(n).is_integer() else n
        for period, n in sorted(settings.populations.items())
    }
    return tomli_w.dumps(data)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _csv_text(columns: list[str], rows: list[list[str]]) -> str:
    handle = io.StringIO(newline="")
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return handle.getvalue()
