"""Parse the tidy tables (indicators, values, commentary, benchmarks, targets, settings) into
the model, whether they come from CSV files or from the workbook's own sheets.

Every error names where the bad cell is: ``values.csv, line 12, column 'value'`` for a file,
``History!C12`` for a sheet.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import DataFileError
from .cells import column_letter
from .dataset import (
    POPULATION,
    Answer,
    Benchmark,
    Comment,
    Dataset,
    Indicator,
    Polarity,
    Unit,
    Value,
)
from .months import Month, check_month
from .settings import Settings, keys_beyond_the_core, with_sections
from .text import did_you_mean, meaningful, name_problem, restore, text_problem
from .values import MAX_FIGURE, cell_value, parse_comparator, parse_stored, parse_value

csv.field_size_limit(max(csv.field_size_limit(), 1 << 24))
"""Long fields are read whole, so that one over a cell's limit is refused by its length."""

INDICATOR_COLUMNS = [
    "ref", "name", "section", "unit", "polarity", "owner", "reporter", "outcome",
    "numerator", "denominator",
]  # fmt: skip
VALUE_COLUMNS = ["ref", "month", "value", "source"]
COMMENTARY_COLUMNS = ["ref", "month", "text", "author"]
BENCHMARK_COLUMNS = ["ref", "sn", "eng", "se", "period", "source"]
TARGET_COLUMNS = ["ref", "period", "value"]
ANSWER_COLUMNS = ["code", "ref", "month", "found", "reason", "by", "at", "replaced"]
NUMERATOR_SEPARATOR = "+"


@dataclass
class Table:
    """Rows of one table, each with the line (file) or row (sheet) it came from."""

    name: str
    rows: list[tuple[int, dict[str, object]]]
    columns: list[str] = field(default_factory=list)
    origin: str = ""
    sheet: bool = False
    latest: Month | None = None
    """The latest month a row may be for (None: not checked); months before 2000 never are."""

    def error(self, line: int | None, column: str | None, message: str) -> DataFileError:
        if self.sheet:
            cell = None
            if line is not None and column in self.columns:
                cell = f"{column_letter(self.columns.index(column) + 1)}{line}"
            if cell is None and line is not None:
                message = f"row {line}: {message}"
            return DataFileError(self.name, None, column, message, cell=cell)
        return DataFileError(self.origin or self.name, line, column, message)

    def require(self, *columns: str) -> None:
        missing = [name for name in columns if name not in self.columns]
        if missing:
            raise self.error(
                1,
                None,
                f"missing column(s) {', '.join(missing)}; the header row must name "
                f"{', '.join(columns)}",
            )

    def text(self, row: dict[str, object], column: str) -> str:
        value = row.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


def column_name(header: object) -> str:
    """A header cell as a column name: ``" Month "`` and ``"VALUE"`` are ``month`` and ``value``."""
    return " ".join(str(header or "").split()).lower()


def separator(text: str) -> str:
    """What separates a CSV file's cells, read off its header row: a comma, or a semicolon or
    tab where the header row has no comma (``ref;month;value``)."""
    header = text.split("\n", 1)[0]
    if "," not in header:
        for candidate in (";", "\t"):
            if candidate in header:
                return candidate
    return ","


def csv_table(text: str, name: str, origin: str = "", latest: Month | None = None) -> Table:
    """A CSV text with one header row as a :class:`Table`, line numbers as in the file; the
    header's names are read whatever their case and spacing (``Ref, Month ,VALUE``).

    Each cell's text is checked (no control characters, no more than a cell holds) and a
    neutralising apostrophe written by ``export`` is taken off (:func:`text.restore`). Cells
    may be separated by commas, or by semicolons or tabs as a spreadsheet set to another
    locale saves them (:func:`separator`)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator(text))
    table = Table(name, [], [], origin=origin or name, latest=latest)
    try:
        columns = table.columns = [column_name(cell) for cell in next(reader, [])]
        for values in reader:
            if not values:
                continue
            if len(values) > len(columns):
                raise table.error(reader.line_num, None, "more cells than the header has")
            padded = [*values, *([""] * (len(columns) - len(values)))]
            row = {}
            for column, value in zip(columns, padded, strict=True):
                problem = text_problem(value)
                if problem:
                    raise table.error(reader.line_num, column or None, problem)
                row[column] = restore(value.strip())
            table.rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise table.error(reader.line_num, None, f"cannot be read as CSV: {exc}") from None
    return table


def parse_indicators(table: Table) -> list[Indicator]:
    table.require("ref", "name", "section", "unit", "polarity")
    indicators: list[Indicator] = []
    lines: dict[str, int] = {}
    for line, row in table.rows:
        ref = table.text(row, "ref")
        if not ref:
            raise table.error(line, "ref", "every indicator needs a ref")
        if ref in lines:
            raise table.error(line, "ref", f"ref {ref} is already used on line {lines[ref]}")
        lines[ref] = line
        unit = _choice(table, line, "unit", table.text(row, "unit"), Unit)
        polarity = _choice(table, line, "polarity", table.text(row, "polarity"), Polarity)
        numerator = tuple(
            part.strip()
            for part in table.text(row, "numerator").split(NUMERATOR_SEPARATOR)
            if part.strip()
        )
        denominator = table.text(row, "denominator") or None
        if bool(numerator) != bool(denominator):
            raise table.error(
                line,
                "numerator" if not numerator else "denominator",
                f"{ref}: a derived indicator needs both a numerator and a denominator",
            )
        if denominator == POPULATION and unit is not Unit.RATE:
            raise table.error(
                line, "unit", f"{ref}: only a rate_per_10k is divided by the population"
            )
        indicators.append(
            Indicator(
                ref=ref,
                name=table.text(row, "name"),
                section=table.text(row, "section"),
                unit=unit,
                polarity=polarity,
                owner=table.text(row, "owner"),
                reporter=table.text(row, "reporter"),
                outcome=table.text(row, "outcome"),
                numerator=numerator,
                denominator=denominator,
            )
        )
    if not indicators:
        raise table.error(None, None, "no indicators listed")
    for item in indicators:
        for part in (*item.numerator, item.denominator):
            if part and part != POPULATION and part not in lines:
                column = "denominator" if part == item.denominator else "numerator"
                raise table.error(
                    lines[item.ref],
                    column,
                    f"{item.ref}: no indicator has ref {part}{did_you_mean(part, lines)}",
                )
    _check_no_cycles(table, indicators, lines)
    return indicators


def _check_no_cycles(table: Table, indicators: list[Indicator], lines: dict[str, int]) -> None:
    by_ref = {item.ref: item for item in indicators}

    def visit(ref: str, trail: tuple[str, ...]) -> None:
        if ref in trail:
            raise table.error(
                lines[trail[0]],
                "numerator",
                "derived indicators refer to each other in a loop: " + " -> ".join((*trail, ref)),
            )
        item = by_ref.get(ref)
        for part in (*item.numerator, item.denominator or "") if item else ():
            if part in by_ref:
                visit(part, (*trail, ref))

    for item in indicators:
        visit(item.ref, ())


def _choice(table: Table, line: int, column: str, text: str, enum: type) -> object:
    try:
        return enum(text.strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise table.error(line, column, f"expected one of {allowed}, found {text!r}") from None


def _month(table: Table, line: int, row: dict[str, object]) -> Month:
    try:
        return check_month(Month.parse(table.text(row, "month")), table.latest)
    except ValueError as exc:
        raise table.error(line, "month", str(exc)) from None


def _unit(table: Table, line: int, ref: str, units: Mapping[str, Unit]) -> Unit:
    if ref not in units:
        raise table.error(
            line,
            "ref",
            f"unknown indicator ref {ref!r} (not in the catalogue){did_you_mean(ref, units)}",
        )
    return units[ref]


def _figure(table: Table, line: int, column: str, ref: str, raw: object, unit: Unit) -> Value:
    try:
        return parse_value(raw if not isinstance(raw, str) else raw.strip(), unit)
    except ValueError as exc:
        raise table.error(line, column, f"{ref}: {exc}") from None


def parse_values(table: Table, dataset: Dataset) -> None:
    table.require("ref", "month", "value")
    units = {item.ref: item.unit for item in dataset.indicators}
    lines: dict[tuple[str, Month], int] = {}
    for line, row in table.rows:
        ref = table.text(row, "ref")
        unit = _unit(table, line, ref, units)
        month = _month(table, line, row)
        key = (ref, month)
        if key in lines:
            raise table.error(
                line, "month", f"{ref} already has a value for {month.label} on line {lines[key]}"
            )
        raw = row.get("value")
        source = table.text(row, "source") or "entered"
        try:
            value = parse_stored(raw.strip() if isinstance(raw, str) else raw, unit, source)
        except ValueError as exc:
            raise table.error(line, "value", f"{ref} {month.label}: {exc}") from None
        lines[key] = line
        dataset.values[key] = value
        dataset.sources[key] = source


def parse_commentary(table: Table, dataset: Dataset) -> None:
    table.require("ref", "month", "text")
    units = {item.ref: item.unit for item in dataset.indicators}
    for line, row in table.rows:
        ref = table.text(row, "ref")
        _unit(table, line, ref, units)
        month = _month(table, line, row)
        if (ref, month) in dataset.commentary:
            raise table.error(line, "month", f"{ref} already has commentary for {month.label}")
        text = meaningful(table.text(row, "text"))
        if text:  # spaces or invisible characters alone are no comment
            dataset.commentary[(ref, month)] = Comment(text, table.text(row, "author"))


def parse_benchmarks(table: Table, dataset: Dataset) -> None:
    table.require("ref", "sn", "eng", "se")
    units = {item.ref: item.unit for item in dataset.indicators}
    for line, row in table.rows:
        ref = table.text(row, "ref")
        unit = _unit(table, line, ref, units)
        parsed = {}
        for column in ("sn", "eng", "se"):
            try:
                parsed[column] = parse_comparator(table.text(row, column), unit)
            except ValueError as exc:
                raise table.error(line, column, f"{ref}: {exc}") from None
        if ref in dataset.benchmarks:
            raise table.error(line, "ref", f"{ref} is listed twice")
        dataset.benchmarks[ref] = Benchmark(
            period=table.text(row, "period"), source=table.text(row, "source"), **parsed
        )


def parse_targets(table: Table, dataset: Dataset) -> None:
    table.require("ref", "period", "value")
    units = {item.ref: item.unit for item in dataset.indicators}
    for line, row in table.rows:
        ref = table.text(row, "ref")
        unit = _unit(table, line, ref, units)
        period = table.text(row, "period")
        if not period:
            raise table.error(line, "period", "expected a period like 2019-20")
        if (ref, period) in dataset.targets:
            raise table.error(line, "period", f"{ref} {period} is listed twice")
        try:
            dataset.targets[(ref, period)] = parse_comparator(table.text(row, "value"), unit)
        except ValueError as exc:
            raise table.error(line, "value", f"{ref}: {exc}") from None


def parse_answers(table: Table, dataset: Dataset) -> None:
    table.require("code", "ref", "month", "reason")
    units = {item.ref: item.unit for item in dataset.indicators}
    for line, row in table.rows:
        ref = table.text(row, "ref")
        if ref:
            _unit(table, line, ref, units)
        month = _month(table, line, row) if table.text(row, "month") else None
        answer = Answer(
            code=table.text(row, "code"), ref=ref, month=month, found=table.text(row, "found"),
            reason=meaningful(table.text(row, "reason")), by=table.text(row, "by"),
            at=table.text(row, "at"),
            replaced=table.text(row, "replaced"),
        )  # fmt: skip
        if not answer.code:
            raise table.error(line, "code", "every answer names the check it answers")
        if answer.replaced:
            dataset.replaced_answers.append(answer)
        elif answer.reason:
            dataset.answers[answer.key] = answer


def check_populations(dataset: Dataset, where: str) -> None:
    """Every reporting year with figures has its 0-17 population, if any indicator is a rate."""
    rates = [item.ref for item in dataset.indicators if item.denominator == POPULATION]
    if not rates:
        return
    settings = dataset.settings
    months: dict[str, list[Month]] = {}
    for month in dataset.months:
        months.setdefault(month.financial_year(settings.year_start_month), []).append(month)
    for year, held in sorted(months.items()):
        if year not in settings.populations:
            raise DataFileError(where, None, f"population.{year}", missing_population(
                year, rates, f"its figures ({held[0].label} to {held[-1].label})"
            ))  # fmt: skip


def missing_population(year: str, rates: list[str], needed: str) -> str:
    """Why a reporting year needs its population, and how to give it."""
    named = ", ".join(rates[:3]) + (f" and {len(rates) - 3} more" if len(rates) > 3 else "")
    return (
        f"there is no 0-17 population for {year}, which the rates per 10,000 ({named}) need "
        f"for {needed}: add population.{year} (in council.toml, under [population], or as a "
        "row of the Settings sheet)"
    )


def misspelt(key: str, known: set[str]) -> str | None:
    """The known setting ``key`` looks like a misspelling of (``arow_threshold``, ``SPC``), or
    None: for a key that is known, or unlike any (a council's own setting)."""
    if key in known:
        return None
    near = difflib.get_close_matches(key.lower(), sorted(known), n=1, cutoff=0.8)
    return near[0] if near else None


def parse_settings(data: Mapping[str, object], where: str) -> Settings:
    """Settings from a mapping (council.toml, or the Settings sheet's key/value rows), but for
    the sections that name indicators (:func:`with_sections`, once the catalogue is read)."""

    def fail(key: str, message: str) -> DataFileError:
        return DataFileError(where, None, key, message)

    for key, value in data.items():
        problem = text_problem(value) if isinstance(value, str) else None
        if problem:
            raise fail(key, problem)
    council = data.get("council")
    if not isinstance(council, str) or not council.strip():
        raise fail("council", "expected the council's name as text")
    for key, file_name in (("council", False), ("title", True), ("report_name", False)):
        if key in data:
            value = data[key]
            problem = name_problem(value, file_name) if isinstance(value, str) else None
            if not isinstance(value, str) and value is not None:
                problem = f"expected text, found {value!r}"
            elif value is None:
                problem = name_problem("")
            if problem:
                raise fail(key, f"{key} {problem}")
    populations: dict[str, float] = {}
    for period, number in dict(data.get("population") or {}).items():
        if (
            not isinstance(number, int | float)
            or isinstance(number, bool)
            or not 0 < number <= MAX_FIGURE
        ):
            raise fail(
                f"population.{period}",
                f"expected a positive number up to {MAX_FIGURE:,}, found {number!r}",
            )
        populations[str(period)] = float(number)
    threshold = data.get("arrow_threshold", 0.10)
    if not isinstance(threshold, int | float) or not 0 < threshold < 1:
        raise fail("arrow_threshold", f"expected a fraction like 0.10, found {threshold!r}")
    visible = data.get("visible_months", 7)
    if not isinstance(visible, int) or isinstance(visible, bool) or not 1 <= visible <= 13:
        raise fail("visible_months", f"expected a whole number 1..13, found {visible!r}")
    start = data.get("year_start_month", 4)
    if not isinstance(start, int) or isinstance(start, bool) or not 1 <= start <= 12:
        raise fail("year_start_month", f"expected a month number 1..12, found {start!r}")
    return Settings(
        council=council.strip(),
        title=str(data.get("title") or council.strip()),
        report_name=str(data.get("report_name", "Monthly dataset")),
        populations=populations,
        arrow_threshold=float(threshold),
        visible_months=visible,
        benchmark_note=str(data.get("benchmark_note", "")),
        year_start_month=start,
        **keys_beyond_the_core(data),
    )


# -- the whole dataset, from its tables and back --------------------------------------------
INDICATORS = "indicators"
VALUES = "values"
COMMENTARY = "commentary"
BENCHMARKS = "benchmarks"
TARGETS = "targets"
ANSWERS = "answers"
TABLE_COLUMNS: dict[str, list[str]] = {
    INDICATORS: INDICATOR_COLUMNS,
    VALUES: VALUE_COLUMNS,
    COMMENTARY: COMMENTARY_COLUMNS,
    ANSWERS: ANSWER_COLUMNS,
    BENCHMARKS: BENCHMARK_COLUMNS,
    TARGETS: TARGET_COLUMNS,
}
"""The tidy tables of a dataset by name, with their columns: a data directory's CSV files
(``indicators.csv``...) and the workbook's supporting sheets hold the same tables."""


def assemble(settings: Mapping[str, object], where: str, tables: Mapping[str, Table]) -> Dataset:
    """The one way a :class:`Dataset` is put together, from settings and its tables (each
    optional but indicators and values). Raises :class:`DataFileError` naming where."""
    parsed = parse_settings(settings, where)
    indicators = parse_indicators(tables[INDICATORS])
    dataset = Dataset(
        settings=with_sections(parsed, settings, {item.ref for item in indicators}, where),
        indicators=indicators,
    )
    parse_values(tables[VALUES], dataset)
    check_populations(dataset, where)
    for name, parse in (
        (COMMENTARY, parse_commentary),
        (ANSWERS, parse_answers),
        (BENCHMARKS, parse_benchmarks),
        (TARGETS, parse_targets),
    ):
        if name in tables:
            parse(tables[name], dataset)
    return dataset


def answer_row(answer: Answer) -> list[object]:
    """An answer as a row of the Answers sheet (and ``answers.csv``): its fields, by
    :data:`ANSWER_COLUMNS`, the month as ``YYYY-MM``."""
    month = answer.month.iso if answer.month else ""
    return [month if column == "month" else getattr(answer, column) for column in ANSWER_COLUMNS]


def dataset_tables(dataset: Dataset) -> dict[str, list[list[object]]]:
    """The tidy tables' rows (below their header), by table name: what :func:`assemble`
    reads back unchanged."""
    order = {ref: index for index, ref in enumerate(dataset.refs)}
    return {
        INDICATORS: [
            [
                item.ref, item.name, item.section, item.unit.value, item.polarity.value,
                item.owner, item.reporter, item.outcome,
                f" {NUMERATOR_SEPARATOR} ".join(item.numerator), item.denominator or "",
            ]
            for item in dataset.indicators
        ],
        VALUES: [
            [ref, when.iso, cell_value(value), dataset.sources.get((ref, when), "")]
            for (ref, when), value in sorted(
                dataset.values.items(), key=lambda item: (order[item[0][0]], item[0][1])
            )
        ],
        COMMENTARY: [
            [ref, when.iso, comment.text, comment.author]
            for (ref, when), comment in sorted(
                dataset.commentary.items(), key=lambda item: (item[0][1], order[item[0][0]])
            )
        ],
        ANSWERS: [
            answer_row(a)
            for a in sorted(
                [*dataset.answers.values(), *dataset.replaced_answers],
                key=lambda a: (
                    a.month or Month(1, 1), order.get(a.ref, -1), a.code, not a.replaced, a.at
                ),
            )
        ],
        BENCHMARKS: [
            [ref, cell_value(b.sn), cell_value(b.eng), cell_value(b.se), b.period, b.source]
            for ref, b in sorted(dataset.benchmarks.items(), key=lambda item: order[item[0]])
        ],
        TARGETS: [
            [ref, period, cell_value(value)]
            for (ref, period), value in sorted(
                dataset.targets.items(), key=lambda item: (order[item[0][0]], item[0][1])
            )
        ],
    }  # fmt: skip
