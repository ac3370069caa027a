"""Reading and writing a data directory: indicators, values, commentary, benchmarks, targets."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator
from pathlib import Path

from .errors import DataFileError
from .model import (
    POPULATION,
    Benchmark,
    Comment,
    Dataset,
    Indicator,
    Polarity,
    Settings,
    Unit,
)
from .months import Month
from .parsing import parse_comparator, parse_value

INDICATOR_COLUMNS = [
    "ref",
    "name",
    "section",
    "unit",
    "polarity",
    "owner",
    "reporter",
    "outcome",
    "numerator",
    "denominator",
]
VALUE_COLUMNS = ["ref", "month", "value", "source"]
COMMENTARY_COLUMNS = ["ref", "month", "text", "author"]
BENCHMARK_COLUMNS = ["ref", "sn", "eng", "se", "period"]
TARGET_COLUMNS = ["ref", "period", "value"]
REQUIRED = {
    "indicators.csv": ["ref", "name", "section", "unit", "polarity"],
    "values.csv": ["ref", "month", "value"],
    "commentary.csv": ["ref", "month", "text"],
    "benchmarks.csv": ["ref", "sn", "eng", "se"],
    "targets.csv": ["ref", "period", "value"],
}
NUMERATOR_SEPARATOR = "+"


def load_data_dir(directory: Path | str) -> Dataset:
    """Load a council's data directory into a :class:`Dataset`.

    Raises :class:`DataFileError` naming file, line and column for anything unreadable.
    """
    directory = Path(directory)
    settings = load_settings(directory / "council.toml")
    indicators = load_indicators(directory / "indicators.csv")
    dataset = Dataset(settings=settings, indicators=indicators)
    units = {item.ref: item.unit for item in indicators}
    _load_values(directory / "values.csv", dataset, units)
    _load_commentary(directory / "commentary.csv", dataset, units)
    _load_benchmarks(directory / "benchmarks.csv", dataset, units)
    _load_targets(directory / "targets.csv", dataset, units)
    return dataset


def load_settings(path: Path) -> Settings:
    if not path.exists():
        raise DataFileError(path, None, None, "file not found")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, None, None, f"not valid TOML: {exc}") from None
    if not isinstance(data.get("council"), str) or not data["council"].strip():
        raise DataFileError(path, None, "council", "expected the council's name as text")
    populations: dict[str, float] = {}
    for period, number in (data.get("population") or {}).items():
        if not isinstance(number, int | float) or isinstance(number, bool) or number <= 0:
            raise DataFileError(
                path, None, f"population.{period}", f"expected a positive number, found {number!r}"
            )
        populations[str(period)] = float(number)
    threshold = data.get("arrow_threshold", 0.10)
    if not isinstance(threshold, int | float) or not 0 < threshold < 1:
        raise DataFileError(
            path, None, "arrow_threshold", f"expected a fraction like 0.10, found {threshold!r}"
        )
    visible = data.get("visible_months", 7)
    if not isinstance(visible, int) or not 1 <= visible <= 13:
        raise DataFileError(
            path, None, "visible_months", f"expected a whole number 1..13, found {visible!r}"
        )
    known = {
        "council",
        "title",
        "report_name",
        "population",
        "arrow_threshold",
        "visible_months",
        "benchmark_note",
        "year_start_month",
    }
    return Settings(
        council=data["council"].strip(),
        title=str(data.get("title", "Children and Families")),
        report_name=str(data.get("report_name", "Monthly dataset")),
        populations=populations,
        arrow_threshold=float(threshold),
        visible_months=visible,
        benchmark_note=str(data.get("benchmark_note", "")),
        year_start_month=int(data.get("year_start_month", 4)),
        extra={key: str(value) for key, value in data.items() if key not in known},
    )


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a UTF-8 CSV after checking its required columns."""
    if not path.exists():
        raise DataFileError(path, None, None, "file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [name for name in REQUIRED[path.name] if name not in header]
        if missing:
            raise DataFileError(
                path,
                1,
                None,
                f"missing column(s) {', '.join(missing)}; the header row must name "
                f"{', '.join(REQUIRED[path.name])}",
            )
        for row in reader:
            if None in row:
                raise DataFileError(path, reader.line_num, None, "more cells than the header has")
            yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}


def load_indicators(path: Path) -> list[Indicator]:
    indicators: list[Indicator] = []
    seen: dict[str, int] = {}
    pending: list[tuple[int, Indicator]] = []
    for line, row in _rows(path):
        ref = row["ref"]
        if not ref:
            raise DataFileError(path, line, "ref", "every indicator needs a ref")
        if ref in seen:
            raise DataFileError(path, line, "ref", f"ref {ref} is already used on line {seen[ref]}")
        seen[ref] = line
        unit = _choice(path, line, "unit", row["unit"], Unit)
        polarity = _choice(path, line, "polarity", row["polarity"], Polarity)
        numerator = tuple(
            part.strip()
            for part in row.get("numerator", "").split(NUMERATOR_SEPARATOR)
            if part.strip()
        )
        denominator = row.get("denominator", "") or None
        if bool(numerator) != bool(denominator):
            raise DataFileError(
                path,
                line,
                "numerator" if not numerator else "denominator",
                f"{ref}: a derived indicator needs both a numerator and a denominator",
            )
        if denominator == POPULATION and unit is not Unit.RATE:
            raise DataFileError(
                path, line, "unit", f"{ref}: only a rate_per_10k is divided by the population"
            )
        item = Indicator(
            ref=ref,
            name=row["name"],
            section=row["section"],
            unit=unit,
            polarity=polarity,
            owner=row.get("owner", ""),
            reporter=row.get("reporter", ""),
            outcome=row.get("outcome", ""),
            numerator=numerator,
            denominator=denominator,
        )
        indicators.append(item)
        pending.append((line, item))
    for line, item in pending:
        for part in (*item.numerator, item.denominator):
            if part and part != POPULATION and part not in seen:
                column = "denominator" if part == item.denominator else "numerator"
                raise DataFileError(path, line, column, f"{item.ref}: no indicator has ref {part}")
    if not indicators:
        raise DataFileError(path, None, None, "no indicators listed")
    _check_no_cycles(path, indicators, seen)
    return indicators


def _check_no_cycles(path: Path, indicators: list[Indicator], lines: dict[str, int]) -> None:
    by_ref = {item.ref: item for item in indicators}

    def visit(ref: str, trail: tuple[str, ...]) -> None:
        if ref in trail:
            raise DataFileError(
                path,
                lines[trail[0]],
                "numerator",
                "derived indicators refer to each other in a loop: " + " -> ".join((*trail, ref)),
            )
        item = by_ref.get(ref)
        if item is None:
            return
        for part in (*item.numerator, item.denominator or ""):
            if part in by_ref:
                visit(part, (*trail, ref))

    for item in indicators:
        visit(item.ref, ())


def _choice(path: Path, line: int, column: str, text: str, enum: type) -> object:
    try:
        return enum(text)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise DataFileError(
            path, line, column, f"expected one of {allowed}, found {text!r}"
        ) from None


def _month(path: Path, line: int, text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise DataFileError(path, line, "month", str(exc)) from None


def _known_ref(path: Path, line: int, ref: str, units: dict[str, Unit]) -> Unit:
    if ref not in units:
        raise DataFileError(
            path, line, "ref", f"unknown indicator ref {ref!r} (not in indicators.csv)"
        )
    return units[ref]


def _load_values(path: Path, dataset: Dataset, units: dict[str, Unit]) -> None:
    lines: dict[tuple[str, Month], int] = {}
    for line, row in _rows(path):
        unit = _known_ref(path, line, row["ref"], units)
        month = _month(path, line, row["month"])
        key = (row["ref"], month)
        if key in lines:
            raise DataFileError(
                path,
                line,
                "month",
                f"{row['ref']} already has a value for {month.label} on line {lines[key]}",
            )
        try:
            value = parse_value(row["value"], unit)
        except ValueError as exc:
            raise DataFileError(path, line, "value", f"{row['ref']} {month.label}: {exc}") from None
        lines[key] = line
        dataset.values[key] = value
        dataset.sources[key] = row.get("source", "") or "entered"


def _load_commentary(path: Path, dataset: Dataset, units: dict[str, Unit]) -> None:
    if not path.exists():
        return
    for line, row in _rows(path):
        _known_ref(path, line, row["ref"], units)
        month = _month(path, line, row["month"])
        key = (row["ref"], month)
        if key in dataset.commentary:
            raise DataFileError(
                path, line, "month", f"{row['ref']} already has commentary for {month.label}"
            )
        dataset.commentary[key] = Comment(row["text"], row.get("author", ""))


def _load_benchmarks(path: Path, dataset: Dataset, units: dict[str, Unit]) -> None:
    if not path.exists():
        return
    for line, row in _rows(path):
        unit = _known_ref(path, line, row["ref"], units)
        parsed = {}
        for column in ("sn", "eng", "se"):
            try:
                parsed[column] = parse_comparator(row[column], unit)
            except ValueError as exc:
                raise DataFileError(path, line, column, f"{row['ref']}: {exc}") from None
        if row["ref"] in dataset.benchmarks:
            raise DataFileError(path, line, "ref", f"{row['ref']} is listed twice")
        dataset.benchmarks[row["ref"]] = Benchmark(period=row.get("period", ""), **parsed)


def _load_targets(path: Path, dataset: Dataset, units: dict[str, Unit]) -> None:
    if not path.exists():
        return
    for line, row in _rows(path):
        unit = _known_ref(path, line, row["ref"], units)
        if not row["period"]:
            raise DataFileError(path, line, "period", "expected a period like 2019-20")
        key = (row["ref"], row["period"])
        if key in dataset.targets:
            raise DataFileError(
                path, line, "period", f"{row['ref']} {row['period']} is listed twice"
            )
        try:
            dataset.targets[key] = parse_comparator(row["value"], unit)
        except ValueError as exc:
            raise DataFileError(path, line, "value", f"{row['ref']}: {exc}") from None
