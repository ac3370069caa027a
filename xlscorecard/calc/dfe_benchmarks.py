"""DfE's published tables -> a council's monthly benchmarks, with their provenance.

Given the rows of DfE's tables (the EES CSV layout), the council's LA code and region, its ten
statistical neighbours and where each indicator's measure is (:class:`Measure`),
:func:`compute` gives each mapped indicator's SN, England and region comparators, following
the printed editions' conventions:

- a count is the average council's figure, and a flow (a count per year) a twelfth of it:
  England is the national total / the number of councils, the region its total / its
  councils, SN the mean (or median) of the ten neighbours' figures;
- a percentage is as published (SN: the mean or median of the neighbours' percentages);
- a rate per 10,000 is as published for a stock, and a twelfth of it for a flow.

Precision: counts are rounded to whole numbers (the sheet shows them so, and a count benchmark
must be whole to load); percentages are kept to 0.01 of a point and rates to 0.01, which holds
a published figure, and the mean or median of ten of them, exactly (DfE publishes at most one
decimal). Halves round up. A suppressed figure (``c``, ``x``, ``z``, ``:``, ``low``) makes its
cell the word :data:`SUPPRESSED`. Standard library only: :mod:`xlscorecard.datadir.dfe_tables` reads
the files.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Final

from ..errors import DataFileError
from ..model import Benchmark, Settings, Unit

SUPPRESSION_CODES: Final = {
    "c": "suppressed to protect confidentiality",
    "x": "not available",
    "z": "not applicable",
    ":": "not available",
    "low": "a small number rounded to zero",
}
SUPPRESSED: Final = "suppressed"
"""The word a benchmark cell holds when DfE's figure behind it is suppressed."""
NEIGHBOURS: Final = 10
STANDARD_COLUMNS: Final = (
    "time_period", "geographic_level", "region_name", "old_la_code", "la_name",
)  # fmt: skip
GEOGRAPHY: Final = (
    "time_identifier", "country_code", "country_name", "region_code", "new_la_code",
)  # fmt: skip
NATIONAL, REGIONAL, LOCAL = "National", "Regional", "Local authority"
PLACES: Final = {Unit.COUNT: 0, Unit.PERCENT: 4, Unit.RATE: 2}
"""Decimal places kept, of the stored value (a percentage is stored as a fraction)."""

_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_SN_PART = re.compile(
    r"SN model (?P<model>.+?) \((?P<file>.+)\), (?P<average>mean|median) of (?P<count>\d+)$"
)
KEPT_SN: Final = "SN kept as entered"
MONTH_NAMES: Final = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def region_label(settings: Settings) -> str:
    """The heading of the region's benchmark column: Settings ``region_label``, else the
    region's name and "region" (``North West region``), else ``Region``."""
    if settings.region_label:
        return settings.region_label
    if settings.region:
        return f"{settings.region} region"
    return "Region"


class Kind(StrEnum):
    """How a published annual figure becomes a monthly benchmark (counts and rates)."""

    FLOW = "flow"
    STOCK = "stock"


class Average(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"


@dataclass(frozen=True)
class Year:
    """A reporting year ending 31 March: ``2018-19`` is DfE's ``time_period`` 2019."""

    start: int

    @classmethod
    def parse(cls, text: str) -> Year:
        match = _YEAR.match(text.strip())
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            raise ValueError(f"expected a reporting year like 2018-19, found {text!r}")
        return cls(int(match.group(1)))

    @property
    def label(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def time_period(self) -> str:
        return str(self.start + 1)

    def matches(self, time_period: str) -> bool:
        """DfE writes a reporting year as ``2019`` and a financial year as ``201819``."""
        return time_period.strip() in {self.time_period, f"{self.start}{self.label[-2:]}"}


@dataclass(frozen=True)
class Row:
    """One row of a published table, with its line in the file."""

    line: int
    cells: Mapping[str, str]

    def get(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    @property
    def who(self) -> str:
        """Whose figure: ``England``, ``South East`` or ``Southampton (852)``."""
        level = self.get("geographic_level")
        if level == NATIONAL:
            return self.get("country_name") or "England"
        if level == REGIONAL:
            return self.get("region_name")
        return f"{self.get('la_name')} ({self.get('old_la_code')})"


@dataclass(frozen=True)
class PublishedTable:
    """A DfE table as read: ``name`` is the file name the provenance gives."""

    name: str
    path: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Council:
    la_code: str
    region: str
    where: str = "council.toml"


@dataclass(frozen=True)
class Neighbours:
    """One council's statistical neighbours, as listed in a DfE SN model file."""

    codes: tuple[str, ...]
    model: str
    file: str
    path: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Measure:
    """Where one indicator's benchmarks come from (an entry of ``benchmarks.toml``)."""

    ref: str
    unit: Unit
    file: str
    column: str
    kind: Kind | None = None
    filters: tuple[tuple[str, str], ...] = ()
    where: str = "benchmarks.toml"
    line: int | None = None
    key_lines: tuple[tuple[str, int], ...] = ()
    """The line of each key of the entry, where known (``line`` is its table's header)."""

    def error(self, key: str, message: str) -> DataFileError:
        line = dict(self.key_lines).get(key, self.line)
        return DataFileError(self.where, line, key, f"{self.ref}: {message}")


@dataclass(frozen=True)
class Suppressed:
    """A figure DfE suppressed, and the benchmark cell that therefore says so."""

    ref: str
    comparator: str
    path: str
    line: int
    column: str
    who: str
    code: str
    year: str

    def __str__(self) -> str:
        meaning = SUPPRESSION_CODES[self.code]
        return (
            f"{self.path}, line {self.line}, column '{self.column}': {self.who} {self.year} is "
            f"{self.code!r} ({meaning}), so {self.ref}'s {self.comparator} benchmark is "
            f"{SUPPRESSED!r}"
        )


class MissingYear(DataFileError):
    """A DfE table with no rows for the year asked for: its measures are skipped, the others
    computed."""


@dataclass(frozen=True)
class Skipped:
    """A measure that could not be computed, and why (its benchmarks are kept)."""

    ref: str
    error: DataFileError

    def __str__(self) -> str:
        return f"{self.ref}: {self.error}; its benchmarks are kept as they were"


@dataclass
class Outcome:
    """The new benchmarks of the mapped indicators (in mapping order), what was suppressed and
    the measures skipped."""

    benchmarks: dict[str, Benchmark] = field(default_factory=dict)
    suppressed: list[Suppressed] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def compute(
    measures: Sequence[Measure],
    tables: Mapping[str, PublishedTable],
    year: Year,
    council: Council,
    neighbours: Neighbours | None = None,
    average: Average = Average.MEAN,
    previous: Mapping[str, Benchmark] | None = None,
) -> Outcome:
    """Each measure's benchmarks for ``year``. Without ``neighbours`` the SN figures are kept
    from ``previous``. A measure whose table has no rows for ``year`` is skipped (``skipped``
    says why) unless every one is. Raises :class:`DataFileError` naming file, line and
    council."""
    if neighbours is not None and len(neighbours.codes) != NEIGHBOURS:
        raise DataFileError(
            neighbours.path or neighbours.file,
            neighbours.line,
            None,
            f"council {council.la_code} has {len(neighbours.codes)} statistical neighbours "
            f"listed, not {NEIGHBOURS}: is this a DfE SN model file?",
        )
    outcome = Outcome()
    for measure in measures:
        try:
            figures = _Figures(measure, tables[measure.file], year, council, outcome.suppressed)
        except MissingYear as error:
            outcome.skipped.append(Skipped(measure.ref, error))
            continue
        outcome.benchmarks[measure.ref] = figures.benchmark(neighbours, average, previous or {})
    if outcome.skipped and not outcome.benchmarks:
        raise outcome.skipped[0].error
    return outcome


@dataclass
class _Figures:
    """One measure's rows for the year: England, the region, every council."""

    measure: Measure
    table: PublishedTable
    year: Year
    council: Council
    suppressed: list[Suppressed]
    rows: list[Row] = field(init=False)
    national: Row = field(init=False)
    regional: Row = field(init=False)
    councils: dict[str, Row] = field(init=False)
    in_region: list[Row] = field(init=False)

    def __post_init__(self) -> None:
        measure, table = self.measure, self.table
        if measure.unit is not Unit.PERCENT and measure.kind is None:
            raise measure.error("kind", "a count or rate needs kind = 'flow' or 'stock'")
        for column in (measure.column, *(name for name, _ in measure.filters)):
            if column not in table.columns:
                key = "column" if column == measure.column else "filter"
                raise measure.error(
                    key, f"{table.path} has no column {column!r}; {_measure_columns(table)}"
                )
        self.rows = self._rows_of_year()
        self.national = self._one(self._level(NATIONAL), "England (geographic_level National)")
        regions = self._level(REGIONAL)
        self.regional = self._one(
            [row for row in regions if _same(row.get("region_name"), self.council.region)],
            f"the region {self.council.region!r}",
            hint="; its regions are " + ", ".join(sorted({r.get("region_name") for r in regions})),
        )
        self.councils = self._councils()
        self.in_region = [
            row for row in self.councils.values() if _same(row.get("region_name"), self.region)
        ]

    @property
    def region(self) -> str:
        return self.council.region

    def benchmark(
        self, neighbours: Neighbours | None, average: Average, previous: Mapping[str, Benchmark]
    ) -> Benchmark:
        per_council = self.measure.unit is Unit.COUNT
        eng = self._value(self.national, "England")
        se = self._value(self.regional, self.region)
        if per_council:
            eng = eng / len(self.councils) if eng is not None else None
            se = se / len(self.in_region) if se is not None else None
        if neighbours is None:
            kept = previous.get(self.measure.ref)
            sn: float | str | None = kept.sn if kept else None
            sn_text = KEPT_SN
        else:
            sn = self._monthly(self._neighbours(neighbours, average))
            sn_text = sn_source(neighbours, average)
        source = dfe_source(
            self.measure, self.rows[0].get("time_period"), len(self.councils), self.region,
            len(self.in_region),
        )  # fmt: skip
        return Benchmark(
            sn=sn,
            eng=self._monthly(eng),
            se=self._monthly(se),
            period=self.year.label,
            source=f"{source}; {sn_text}",
        )

    def _neighbours(self, neighbours: Neighbours, average: Average) -> Fraction | None:
        missing = [code for code in neighbours.codes if code not in self.councils]
        if missing:
            where = f"{neighbours.file}, line {neighbours.line}" if neighbours.line else ""
            raise DataFileError(
                self.table.path,
                None,
                "old_la_code",
                f"only {NEIGHBOURS - len(missing)} of council {self.council.la_code}'s "
                f"{NEIGHBOURS} statistical neighbours ({where or neighbours.file}) have a "
                f"{self.year.label} row: none for {', '.join(missing)}. Use a neighbour model "
                "of the same period as the year, or another year",
            )
        values = [self._value(self.councils[code], "SN") for code in neighbours.codes]
        if any(value is None for value in values):
            return None
        middle = statistics.median if average is Average.MEDIAN else statistics.mean
        return Fraction(middle(values))

    def _rows_of_year(self) -> list[Row]:
        table, year = self.table, self.year
        rows = [row for row in table.rows if year.matches(row.get("time_period"))]
        if not rows:
            periods = sorted({row.get("time_period") for row in table.rows})
            raise MissingYear(
                table.path,
                None,
                "time_period",
                f"no rows for {year.label} (time_period {year.time_period}); the file has "
                f"time_period {_span(periods)}: choose a year it has with --year",
            )
        for name, wanted in self.measure.filters:
            kept = [row for row in rows if _same(row.get(name), wanted)]
            if not kept:
                found = ", ".join(repr(value) for value in sorted({r.get(name) for r in rows}))
                raise self.measure.error(
                    "filter",
                    f"{table.path} has no {year.label} row with {name} = {wanted!r}; its "
                    f"values are {found}",
                )
            rows = kept
        return rows

    def _level(self, level: str) -> list[Row]:
        return [row for row in self.rows if row.get("geographic_level") == level]

    def _one(self, rows: list[Row], what: str, hint: str = "") -> Row:
        if len(rows) == 1:
            return rows[0]
        if not rows:
            raise DataFileError(
                self.table.path,
                None,
                "geographic_level",
                f"no {self.year.label} row for {what}{hint}",
            )
        raise self._duplicates(rows, what)

    def _councils(self) -> dict[str, Row]:
        groups: dict[str, list[Row]] = {}
        for row in self._level(LOCAL):
            groups.setdefault(row.get("old_la_code"), []).append(row)
        for group in groups.values():
            if len(group) > 1:
                raise self._duplicates(group, group[0].who)
        councils = {code: group[0] for code, group in groups.items()}
        own = councils.get(self.council.la_code)
        if own is None:
            raise DataFileError(
                self.table.path,
                None,
                "old_la_code",
                f"no {self.year.label} row (time_period {self.year.time_period}) for council "
                f"{self.council.la_code}, the la_code in {self.council.where}: give the "
                "council's three-digit LA number as DfE's tables do in old_la_code, beside "
                "its la_name",
            )
        if not _same(own.get("region_name"), self.region):
            raise DataFileError(
                self.table.path,
                own.line,
                "region_name",
                f"{own.who} is in {own.get('region_name')!r}, but {self.council.where} has "
                f"region = {self.region!r}: correct one of them",
            )
        return councils

    def _duplicates(self, rows: list[Row], what: str) -> DataFileError:
        differ = [
            name
            for name in self.table.columns
            if name not in STANDARD_COLUMNS
            and len({row.get(name) for row in rows}) > 1
            and not all(_NUMBER.match(row.get(name)) for row in rows)
        ]
        lines = ", ".join(str(row.line) for row in rows)
        example = (
            f"{{ {differ[0]} = {rows[0].get(differ[0])!r} }}" if differ else "{ column = 'value' }"
        )
        return self.measure.error(
            "filter",
            f"{self.table.path} has {len(rows)} {self.year.label} rows for {what} (lines "
            f"{lines}): add a filter to say which, e.g. filter = {example}",
        )

    def _value(self, row: Row, comparator: str) -> Fraction | None:
        """The row's figure, or None (noted in ``suppressed``) where DfE suppressed it."""
        measure, year = self.measure, self.year
        text = row.get(measure.column)
        if text.lower() in SUPPRESSION_CODES:
            self.suppressed.append(
                Suppressed(
                    measure.ref, comparator, self.table.path, row.line, measure.column, row.who,
                    text.lower(), year.label,
                )
            )  # fmt: skip
            return None
        if not _NUMBER.match(text):
            raise DataFileError(
                self.table.path,
                row.line,
                measure.column,
                f"{row.who} {year.label}: expected a number or one of DfE's suppression codes "
                f"({', '.join(SUPPRESSION_CODES)}), found {text!r}",
            )
        value = Fraction(text)
        if measure.unit is Unit.PERCENT and value > 100:
            raise DataFileError(
                self.table.path,
                row.line,
                measure.column,
                f"{row.who} {year.label}: {measure.ref} is a percentage, but {text} is over "
                "100: is this the right column?",
            )
        return value

    def _monthly(self, value: Fraction | None) -> float | str:
        """An annual (or averaged) figure as the monthly benchmark, to :data:`PLACES`."""
        if value is None:
            return SUPPRESSED
        if self.measure.unit is Unit.PERCENT:
            value = value / 100
        elif self.measure.kind is Kind.FLOW:
            value = value / 12
        return round_half_up(value, PLACES[self.measure.unit])


def round_half_up(value: Fraction, places: int) -> float:
    scale = 10**places
    return float(Fraction(math.floor(value * scale + Fraction(1, 2)), scale))


def dfe_source(
    measure: Measure, time_period: str, councils: int, region: str, in_region: int
) -> str:
    """Where the England and region figures come from and how they became monthly."""
    filters = "".join(f", {name} = {value}" for name, value in measure.filters)
    if measure.unit is Unit.COUNT:
        how = f"per council{' / 12' if measure.kind is Kind.FLOW else ''} "
        how += f"(England {councils} councils, {region} {in_region})"
    elif measure.kind is Kind.FLOW:
        how = "/ 12"
    else:
        how = "as published"
    return f"DfE {measure.file}, column {measure.column}{filters}, time_period {time_period}, {how}"


def sn_source(neighbours: Neighbours, average: Average) -> str:
    """Which SN model and average the SN figure comes from, e.g. ``SN model April 2021
    (New_Statistical_Neighbour_Groupings_April_2021.csv), mean of 10``."""
    return (
        f"SN model {neighbours.model} ({neighbours.file}), {average.value} of "
        f"{len(neighbours.codes)}"
    )


def benchmark_note(benchmarks: Mapping[str, Benchmark], typed: str = "") -> str:
    """The Dataset sheet's benchmark note, built from the benchmarks' provenance, e.g.
    ``Benchmarks: DfE 2018-19; SN model April 2021, mean of 10``.

    Benchmarks without a DfE source are named as entered (``others 2018-19 as entered``);
    when none has one, the note is ``typed`` (council.toml's ``benchmark_note``)."""
    years: list[str] = []
    models: list[str] = []
    others: list[str] = []
    for benchmark in benchmarks.values():
        source = benchmark.source.strip()
        if source.startswith("DfE "):
            _add(years, benchmark.period or "year not given")
            sn = _SN_PART.search(source)
            model = f"SN model {sn['model']}, {sn['average']} of {sn['count']}" if sn else ""
            _add(models, model or "SN as entered")
        elif any(_has_figure(getattr(benchmark, name)) for name in ("sn", "eng", "se")):
            _add(others, benchmark.period)
    if not years:
        return typed
    parts = [f"DfE {', '.join(sorted(years))}", *models]
    if others:
        named = ", ".join(sorted(period for period in others if period))
        parts.append(f"others {named} as entered" if named else "others as entered")
    return "Benchmarks: " + "; ".join(parts)


def model_label(file_name: str) -> str:
    """An SN model's name from its file name: ``..._April_2021.csv`` is ``April 2021``,
    ``sn_model_2025_wide.csv`` is ``2025``; otherwise the name without its extension."""
    stem = file_name.rsplit(".", 1)[0]
    found = re.search(rf"({'|'.join(MONTH_NAMES)})[ _-]?((?:19|20)\d\d)", stem, re.I)
    if found:
        return f"{found.group(1).title()} {found.group(2)}"
    found = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", stem)
    return found.group(1) if found else stem


def _has_figure(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _same(left: str, right: str) -> bool:
    return left.strip().casefold() == right.strip().casefold()


def _measure_columns(table: PublishedTable) -> str:
    measures = [name for name in table.columns if name not in (*STANDARD_COLUMNS, *GEOGRAPHY)]
    return f"its other columns are {', '.join(measures)}"


def _span(periods: list[str]) -> str:
    return f"{periods[0]} to {periods[-1]}" if len(periods) > 2 else " and ".join(periods)
