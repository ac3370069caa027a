"""A data directory's ``figures.toml``: for each indicator ``figures`` computes, the measure
(:data:`measures.MEASURES`) that counts it, and the conventions the council counts by.

    [measures]
    M2 = "referrals"
    "M6-QL (val)" = "rereferrals"

    [conventions]
    short_breaks = ["V4"]
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from ..datadir.folder import read_text, read_toml
from ..errors import DataFileError
from ..model import Dataset, Unit
from .conventions import Conventions, conventions_from
from .measures import MEASURES, Measure

MAPPING = "figures.toml"
KEYS = ("measures", "conventions")


@dataclass(frozen=True)
class Mapping:
    measures: dict[str, Measure]
    """Indicator ref -> the measure that counts it, in figures.toml's order."""
    conventions: Conventions
    where: Path


def read_mapping(data_dir: Path, dataset: Dataset) -> Mapping:
    """``DATA_DIR/figures.toml`` checked against the dataset's indicators: every ref one of
    them, every measure a known one of the indicator's unit, no derived indicator mapped (the
    workbook computes it from its parts)."""
    path = data_dir / MAPPING
    if not path.is_file():
        raise DataFileError(
            path, None, None,
            "file not found: it names, for each indicator figures computes, a measure (see "
            "docs/cli.md, figures); samples/southampton/figures.toml is an example",
        )  # fmt: skip
    data = read_toml(path)
    lines = read_text(path).splitlines()

    def fail(key: str, message: str, section: str = "measures") -> DataFileError:
        return DataFileError(path, _line(lines, section, key), key, message)

    for key in data:
        if key not in KEYS:
            raise fail(key, f"unknown table; figures.toml has [{'] and ['.join(KEYS)}]", key)
    entries = data.get("measures", {})
    if not isinstance(entries, dict) or not entries:
        raise DataFileError(path, None, "measures", "no [measures]: nothing to compute")
    measures = {}
    for ref, name in entries.items():
        try:
            indicator = dataset.indicator(ref)
        except KeyError:
            near = difflib.get_close_matches(ref, dataset.refs, n=1)
            hint = f": did you mean {near[0]!r}?" if near else ""
            raise fail(ref, f"no indicator has this ref in indicators.csv{hint}") from None
        if indicator.is_derived:
            parts = " and ".join([" + ".join(indicator.numerator), indicator.denominator or ""])
            raise fail(ref, f"{ref} is worked out by the workbook from {parts}: map its parts")
        if not isinstance(name, str) or name not in MEASURES:
            near = difflib.get_close_matches(str(name), list(MEASURES), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise fail(ref, f"{name!r} is not a measure{hint}; docs/cli.md lists them")
        measure = MEASURES[name]
        if measure.unit != indicator.unit.value:
            raise fail(ref, f"{name} is a {measure.unit} but {ref} is a {_unit(indicator.unit)}")
        measures[ref] = measure
    settings = data.get("conventions", {})
    if not isinstance(settings, dict):
        raise DataFileError(path, None, "conventions", "expected a [conventions] table")
    conventions, problems = conventions_from(settings)
    if problems:
        key, message = problems[0]
        raise fail(key, message, "conventions")
    return Mapping(measures, conventions, path)


def _unit(unit: Unit) -> str:
    return {Unit.COUNT: "count", Unit.PERCENT: "percent", Unit.RATE: "rate per 10,000"}[unit]


def _line(lines: list[str], section: str, key: str) -> int | None:
    """The line of ``key`` in ``[section]`` (or of the section itself)."""
    current, found = None, None
    for number, line in enumerate(lines, start=1):
        header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1).strip('"')
            if current == key or (current == section and found is None):
                found = number
            continue
        name = line.split("=")[0].strip().strip('"')
        if current == section and "=" in line and name == key:
            return number
    return found
