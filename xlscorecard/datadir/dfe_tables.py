"""The files of ``xlscorecard benchmarks``: DfE's published tables (EES CSV), statistical
neighbour model files, the data directory's ``benchmarks.toml``, and ``benchmarks.csv``.

Everything is read and checked before anything is written; ``benchmarks.csv`` is then replaced
in one step (:func:`atomic_write`), so an error leaves every file as it was.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..calc.dfe_benchmarks import (
    NEIGHBOURS,
    STANDARD_COLUMNS,
    Average,
    Council,
    Kind,
    Measure,
    Neighbours,
    PublishedTable,
    Row,
    Skipped,
    Suppressed,
    Year,
    benchmark_note,
    compute,
    model_label,
)
from ..errors import DataFileError
from ..model import Benchmark, Dataset, Settings, Unit
from ..model.tables import BENCHMARK_COLUMNS, Table, parse_benchmarks
from ..store.safe_write import atomic_write
from .folder import load_data_dir, read_toml

MAPPING = "benchmarks.toml"
MAPPING_KEYS = ("file", "column", "kind", "filter")
CODE_COLUMNS = ("old_la_code", "LA num", "LA number", "la_code")
NAME_COLUMNS = ("la_name", "LA Name", "LA name")
_SN_COLUMN = re.compile(r"^SN_?(\d+)$", re.I)
_HEADER = re.compile(
    r"""^\s*\[\s*indicators\s*\.\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*\]"""
)


@dataclass(frozen=True)
class NeighbourModel:
    """A DfE statistical neighbour model: each council's neighbours, by LA code."""

    path: Path
    label: str
    councils: dict[str, tuple[int, str, tuple[str, ...]]]

    def of(self, council: Council) -> Neighbours:
        if council.la_code not in self.councils:
            raise DataFileError(
                self.path,
                None,
                None,
                f"no row for council {council.la_code} (la_code in {council.where}); this "
                f"model lists {len(self.councils)} councils",
            )
        line, _, codes = self.councils[council.la_code]
        return Neighbours(codes, self.label, self.path.name, str(self.path), line)


@dataclass
class Update:
    """What ``xlscorecard benchmarks`` wrote."""

    path: Path
    year: Year
    benchmarks: dict[str, Benchmark]
    updated: list[str]
    region: str
    note: str
    units: dict[str, Unit]
    neighbours: Neighbours | None = None
    average: Average = Average.MEAN
    suppressed: list[Suppressed] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return len(self.benchmarks) - len(self.updated)


def update_benchmarks(
    data_dir: Path | str,
    folder: Path | str,
    year: Year,
    neighbours: Path | str | None = None,
    average: Average = Average.MEAN,
    output: Path | str | None = None,
) -> Update:
    """Recompute the mapped indicators' benchmarks (``benchmarks.toml``) from DfE's tables in
    ``folder`` for ``year`` and write ``benchmarks.csv`` (or ``output``); the other indicators'
    benchmarks are kept. Raises :class:`DataFileError` before writing anything."""
    data_dir, folder = Path(data_dir), Path(folder)
    if not data_dir.is_dir():
        raise DataFileError(data_dir, None, None, "data directory not found")
    dataset = load_data_dir(data_dir)
    measures = read_mapping(
        data_dir / MAPPING, {item.ref: item.unit for item in dataset.indicators}
    )
    council = council_identity(dataset.settings, data_dir / "council.toml")
    if not folder.is_dir():
        raise DataFileError(folder, None, None, "folder of DfE tables (--from) not found")
    tables: dict[str, PublishedTable] = {}
    for measure in measures:
        if measure.file not in tables:
            path = folder / measure.file
            if not path.is_file():
                raise measure.error("file", f"no file {measure.file} in {folder}{_listing(folder)}")
            tables[measure.file] = read_published(path)
    group = read_neighbour_model(Path(neighbours)).of(council) if neighbours else None
    outcome = compute(measures, tables, year, council, group, average, dataset.benchmarks)
    merged = {**dataset.benchmarks, **outcome.benchmarks}
    target = Path(output) if output else data_dir / "benchmarks.csv"
    rows = benchmark_rows(merged)
    _check_loads(rows, dataset, target)
    atomic_write(target, lambda path: _write_csv(path, rows))
    return Update(
        path=target,
        year=year,
        benchmarks=merged,
        updated=list(outcome.benchmarks),
        region=council.region,
        note=benchmark_note(merged, dataset.settings.benchmark_note),
        units={item.ref: item.unit for item in dataset.indicators},
        neighbours=group,
        average=average,
        suppressed=outcome.suppressed,
        skipped=outcome.skipped,
    )


def council_identity(settings: Settings, where: Path) -> Council:
    """The council's LA code and region from council.toml (``la_code``, ``region``)."""
    code = settings.la_code
    if not code.isdigit():
        raise DataFileError(
            where,
            None,
            "la_code",
            "xlscorecard benchmarks needs the council's three-digit LA number as DfE's tables "
            "give it in old_la_code (beside its la_name), e.g. la_code = 852",
        )
    region = settings.region
    if not region:
        raise DataFileError(
            where,
            None,
            "region",
            "xlscorecard benchmarks needs the council's region as DfE's tables name it in "
            'region_name, e.g. region = "South East"',
        )
    return Council(code, region, str(where))


def read_mapping(path: Path, units: Mapping[str, Unit]) -> list[Measure]:
    """The measures of ``benchmarks.toml``: one ``[indicators."REF"]`` table per indicator."""
    if not path.exists():
        raise DataFileError(
            path,
            None,
            None,
            "file not found: it says where each indicator's benchmarks are in DfE's tables "
            "(see docs/cli.md, benchmarks)",
        )
    data = read_toml(path)
    lines = _entry_lines(path.read_text(encoding="utf-8"))
    unknown = sorted(set(data) - {"indicators"})
    if unknown:
        raise DataFileError(
            path, None, unknown[0], "unknown setting; the file holds [indicators.REF] tables"
        )
    entries = data.get("indicators")
    if not isinstance(entries, dict) or not entries:
        raise DataFileError(path, None, "indicators", "no [indicators.REF] tables: nothing to do")
    return [
        _measure(path, ref, entry, units, lines.get(ref, (None, {})))
        for ref, entry in entries.items()
    ]


def _measure(
    path: Path,
    ref: str,
    entry: object,
    units: Mapping[str, Unit],
    lines: tuple[int | None, dict[str, int]],
) -> Measure:
    header, keys = lines

    def fail(key: str | None, message: str) -> DataFileError:
        return DataFileError(path, keys.get(key or "", header), key, f"{ref}: {message}")

    if not isinstance(entry, dict):
        raise fail(None, "expected a table of file, column and kind")
    if ref not in units:
        raise fail(None, "no indicator has this ref in indicators.csv")
    unknown = sorted(set(entry) - set(MAPPING_KEYS))
    if unknown:
        raise fail(unknown[0], f"unknown key; an entry has {', '.join(MAPPING_KEYS)}")
    texts = {}
    for key in ("file", "column"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail(key, f"expected the {key} name as text")
        texts[key] = value.strip()
    unit = units[ref]
    kind = entry.get("kind")
    if unit is Unit.PERCENT and kind is not None:
        raise fail("kind", "a percentage is taken as published: leave out kind")
    if unit is not Unit.PERCENT:
        choices = " or ".join(repr(k.value) for k in Kind)
        if kind not in {k.value for k in Kind}:
            raise fail(
                "kind",
                f"a {unit.value} needs kind = {choices}: a flow (a figure for the year, such as "
                "referrals) becomes a twelfth of it each month, a stock (a figure at 31 March) "
                f"is taken as it is; found {kind!r}",
            )
    filters = entry.get("filter", {})
    if not isinstance(filters, dict) or not all(
        isinstance(value, str | int) and not isinstance(value, bool) for value in filters.values()
    ):
        raise fail("filter", 'expected a table of column = "value", e.g. { breakdown = "Total" }')
    return Measure(
        ref=ref,
        unit=unit,
        file=texts["file"],
        column=texts["column"],
        kind=Kind(kind) if kind else None,
        filters=tuple((str(name), str(value)) for name, value in filters.items()),
        where=str(path),
        line=header,
        key_lines=tuple(keys.items()),
    )


def _entry_lines(text: str) -> dict[str, tuple[int, dict[str, int]]]:
    """Each ``[indicators.REF]`` table's header line and its keys' lines."""
    found: dict[str, tuple[int, dict[str, int]]] = {}
    keys: dict[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            ref = next(group for group in header.groups() if group is not None)
            keys = {}
            found[ref.replace('\\"', '"')] = (number, keys)
        elif line.lstrip().startswith("["):
            keys = None
        elif keys is not None:
            key = re.match(r"^\s*([A-Za-z0-9_-]+)\s*=", line)
            if key:
                keys[key.group(1)] = number
    return found


def read_published(path: Path) -> PublishedTable:
    """A DfE table in the EES CSV layout (UTF-8, with or without a BOM)."""
    rows = []
    with _csv(path) as reader:
        header = [name.strip() for name in next(reader, [])]
        missing = [name for name in STANDARD_COLUMNS if name not in header]
        if missing:
            raise DataFileError(
                path,
                1,
                None,
                f"missing column(s) {', '.join(missing)}: not a table in DfE's EES layout "
                f"(its header names {', '.join(STANDARD_COLUMNS)} and the measures)",
            )
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise DataFileError(path, reader.line_num, None, "more cells than the header has")
            rows.append(Row(reader.line_num, dict(zip(header, cells, strict=False))))
    return PublishedTable(path.name, str(path), tuple(header), tuple(rows))


def read_neighbour_model(path: Path) -> NeighbourModel:
    """A DfE statistical neighbour file, in either layout DfE has published: the April 2021
    groupings (``LA num, LA Name, ..., SN1, SNP, ...``) or the 2025 wide file
    (``old_la_code, la_name, ..., SN_1, SN_1P, ...``)."""
    councils: dict[str, tuple[int, str, tuple[str, ...]]] = {}
    with _csv(path) as reader:
        header = [name.strip() for name in next(reader, [])]
        code = next((header.index(name) for name in CODE_COLUMNS if name in header), None)
        name = next((header.index(name) for name in NAME_COLUMNS if name in header), None)
        numbered = sorted(
            (int(found.group(1)), index)
            for index, found in ((i, _SN_COLUMN.match(h)) for i, h in enumerate(header))
            if found
        )
        if code is None or not numbered:
            raise DataFileError(
                path,
                1,
                None,
                "not a DfE statistical neighbour file: expected a column old_la_code (or LA num) "
                f"and columns SN_1..SN_{NEIGHBOURS} (or SN1..SN{NEIGHBOURS})",
            )
        for cells in reader:
            cells = [*cells, *([""] * (len(header) - len(cells)))]
            own = cells[code].strip()
            if not own.isdigit():
                continue  # blank lines and headings such as "Old SNs:"
            listed = [(header[index], cells[index].strip()) for _, index in numbered]
            for column, neighbour in listed:
                if neighbour and not neighbour.isdigit():
                    raise DataFileError(
                        path, reader.line_num, column, f"expected an LA number, found {neighbour!r}"
                    )
            codes = tuple(neighbour for _, neighbour in listed if neighbour)
            if own in councils:
                raise DataFileError(
                    path, reader.line_num, header[code], f"council {own} is already on line "
                    f"{councils[own][0]}"
                )  # fmt: skip
            label = cells[name].strip() if name is not None else ""
            councils[own] = (reader.line_num, label, codes)
    return NeighbourModel(path, model_label(path.name), councils)


@contextmanager
def _csv(path: Path) -> Iterator[Iterator[list[str]]]:
    """A csv reader over ``path`` (UTF-8, BOM or not), with file problems as DataFileError."""
    if not path.is_file():
        raise DataFileError(path, None, None, f"file not found{_listing(path.parent)}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield csv.reader(handle)
    except UnicodeDecodeError as exc:
        raise DataFileError(path, None, None, f"not UTF-8 text ({exc.reason})") from None


def benchmark_rows(benchmarks: Mapping[str, Benchmark]) -> list[list[str]]:
    """``benchmarks.csv``'s rows below its header (:data:`BENCHMARK_COLUMNS`)."""
    return [
        [ref, *(_text(getattr(b, name)) for name in ("sn", "eng", "se")), b.period, b.source]
        for ref, b in benchmarks.items()
    ]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _check_loads(rows: list[list[str]], dataset: Dataset, target: Path) -> None:
    """What is about to be written reads back (a failure here is a bug, not the user's)."""
    lines = [(n, dict(zip(BENCHMARK_COLUMNS, row, strict=True))) for n, row in enumerate(rows, 2)]
    table = Table(target.name, lines, list(BENCHMARK_COLUMNS), str(target))
    parse_benchmarks(table, Dataset(settings=dataset.settings, indicators=dataset.indicators))


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(BENCHMARK_COLUMNS)
        writer.writerows(rows)


def _listing(folder: Path) -> str:
    names = sorted(path.name for path in folder.glob("*.csv")) if folder.is_dir() else []
    return f" (its CSV files: {', '.join(names)})" if names else ""
