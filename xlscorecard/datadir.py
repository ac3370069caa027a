"""A council's data directory: CSV tables and council.toml, read into and written from the model."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import tomli_w

from .errors import DataFileError
from .model import Dataset
from .rules.config import check_config_refs
from .safe_write import atomic_write
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
    "VALUE_COLUMNS", "load_data_dir", "read_csv", "write_data_dir",
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
    problem = check_config_refs(settings, set(dataset.refs))
    if problem:
        raise DataFileError(directory / "council.toml", None, "checks", problem)
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


def write_data_dir(dataset: Dataset, directory: Path) -> list[Path]:
    """Write ``dataset`` as a data directory that :func:`load_data_dir` reads back unchanged."""
    from .sheet_image import cell_value, data_tables

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tables = data_tables(dataset)
    written = []
    for name, sheet_name, columns in (
        ("indicators.csv", "Indicators", INDICATOR_COLUMNS),
        ("values.csv", "History", VALUE_COLUMNS),
        ("commentary.csv", "Commentary", COMMENTARY_COLUMNS),
        ("benchmarks.csv", "Benchmarks", BENCHMARK_COLUMNS),
        ("targets.csv", "Targets", TARGET_COLUMNS),
    ):
        path = directory / name
        rows = [[_text(cell_value(value)) for value in row] for row in tables[sheet_name]]
        atomic_write(
            path, lambda target, rows=rows, columns=columns: _write_csv(target, columns, rows)
        )
        written.append(path)
    toml_path = directory / "council.toml"
    atomic_write(toml_path, lambda target: target.write_text(settings_toml(dataset), "utf-8"))
    written.append(toml_path)
    return written


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


def _write_csv(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
