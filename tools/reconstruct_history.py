"""Reconstruct Apr-19..Sep-19 in samples/southampton/values.csv from the printed figures.

Neither edition prints these months, but the Apr-20 edition's 12-month average and maximum
cover May-19..Apr-20 and its % change from a year earlier needs Apr-19; the Aug-20 edition's
need Sep-19..Aug-20 and Aug-19. This script finds values for every non-derived indicator in
those six months that meet, at once, every printed 12-month average (within half a printed
unit), maximum (equal after rounding) and % change from a year earlier (within half a
percentage point), for the indicator itself and for the derived indicators computed from it
(M3 = M2 / M1, rates = count / population x 10,000, ...). Where no values meet them all, it
says which printed figure gives way.

Method (plain Python, deterministic; about a minute and a half):
- Candidates: whole numbers for counts; percentages in 0.1-point steps (0.01 point only where
  no 0.1-point value fits); "-" only where print allows it (a zero or missing base behind an
  "n/a", or a percentage that prints "-"). Each input's own figures that read one unknown month
  alone (its % change from a year earlier pins Apr-19 or Aug-19, Aug-20's average and maximum
  pin Sep-19, every maximum caps every month in its window) cut that month's candidates to the
  values that meet them.
- Inputs tied by a derived indicator, or by a relationship from the domain notes (LAC1 stock
  and flow within 5, EH3a-e% adding to 100% within a point, CP2b % a whole share of CP2b and
  "-" when it is 0, CP5-QL close to CP5-QL (val) / CP4 (val)), are solved together. For Apr-19,
  Aug-19 and Sep-19 every combination of the tied inputs' candidates is tried against the
  figures that read that month alone, so a miss there is proven, not just not found.
- May-19..Jul-19 start on a straight line from Apr-19 to Aug-19, shifted to meet the Apr-20
  average. A descent (single values, transfers between months, swaps, a maximum moved to
  another month, other picks for the exhaustively searched months) then minimises, in order:
  inputs' own printed figures missed, derived figures missed, how far they are missed,
  relationships broken, and implausibility (distance from the line or from the middle of what
  print allows; finer percentages; CP5-QL away from its ratio).
- Figures still missed are set aside and the search rerun, so that a figure that cannot be met
  does not pull the others towards it; each is then tried again on its own and kept if it can
  be met. The figures left are reported as giving way.

Run from the repo root, after tools/samples_from_editions.py:
    python tools/reconstruct_history.py            # rewrite the reconstructed rows
    python tools/reconstruct_history.py --check    # report only, write nothing
Rerunning replaces earlier reconstructed rows and never touches printed ones.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xlscorecard.calc.figures import is_number, pct_change  # noqa: E402
from xlscorecard.datadir.folder import load_data_dir  # noqa: E402
from xlscorecard.model import NOT_APPLICABLE, POPULATION, Indicator, Settings, Unit  # noqa: E402
from xlscorecard.model.months import Month, window  # noqa: E402

SAMPLE = ROOT / "samples" / "southampton"
EDITIONS = ROOT / "tests" / "fixtures" / "editions"
SOURCE = "reconstructed"

APR19, MAY19, JUN19, JUL19, AUG19, SEP19 = (Month(2019, m) for m in range(4, 10))
UNKNOWN = [APR19, MAY19, JUN19, JUL19, AUG19, SEP19]
PINNED = [APR19, AUG19, SEP19]
"""Months some printed figure touches alone (a % change from a year earlier, Aug-20's window)."""
MIDDLE = [MAY19, JUN19, JUL19]
"""Months only the Apr-20 edition's 12-month average and maximum touch."""
REPORTS = {"2020-04": Month(2020, 4), "2020-08": Month(2020, 8)}

STOCK_FLOW_SLACK = 5
"""LAC1(t) = LAC1(t-1) + LAC2(t) - LAC3(t) holds within 5 in every printed month."""
EH3_PARTS = ("EH3a%", "EH3b%", "EH3c%", "EH3d%", "EH3e%")
EH3_SUM_SLACK = 0.01
"""EH3a% .. EH3e% add up to 100% within a point (99-101% after rounding)."""
SHARES = {"CP2b %": "CP2b"}
"""A percentage of a handful of cases: a whole share of them, "-" when there are none."""
NEAR_RATIO = {"CP5-QL": ("CP5-QL (val)", "CP4 (val)")}
"""An input percentage that is (nearly always) numerator / denominator in print."""
FIXED = {
    ("LAC14", month): (0.0, "the Apr-20 commentary: only 4 new UASC since May 2019, all printed")
    for month in [MAY19, JUN19, JUL19, AUG19, SEP19]
}
"""Values the editions state in words, which override the printed figures' arithmetic."""
NOT_AVAILABLE_PENALTY = 9.0
"""Plausibility cost of "-" where a number could stand (3 typical monthly moves)."""
NOT_A_NUMBER_MISS = 1000.0
"""How far off a figure is when print and data disagree on whether it is a number at all."""

ROUNDED_CHANGES = ("M6-QL", "CP1-NI", "CP6B-NI", "LAC1-NI")
"""Rows whose printed % changes were evidently worked out on the rounded printed figures (the
domain notes): where they can, the reconstructed months reproduce them that way too."""

Value = float | str | None
Assignment = dict[tuple[str, Month], Value]
Key = tuple[str, str, str]  # (ref, edition, kind) of a printed figure


# --- Printed figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """A printed % change from a year earlier, 12-month average or maximum."""

    ref: str
    edition: str
    kind: str  # "yoy", "avg" or "max"
    text: str
    unit: Unit

    @property
    def key(self) -> Key:
        return (self.ref, self.edition, self.kind)

    @property
    def expected(self) -> float | None:
        """The printed number in stored units (31% -> 0.31); None for "n/a"."""
        if self.text in {"n/a", "-", ""}:
            return None
        number = float(self.text.replace(",", "").rstrip("%"))
        return number / 100 if self.text.endswith("%") else number

    @property
    def tolerance(self) -> float:
        """Half the printed unit: 0.005 for a % (or a % change), 0.5 for a count or rate."""
        return 0.005 if self.kind == "yoy" or self.unit is Unit.PERCENT else 0.5

    @property
    def constrains(self) -> bool:
        return self.text not in {"-", ""}

    @property
    def months(self) -> list[Month]:
        end = REPORTS[self.edition]
        return [end - 12, end] if self.kind == "yoy" else window(end, 12)

    @property
    def label(self) -> str:
        names = {
            "yoy": "% change from a year earlier",
            "avg": "12-month average",
            "max": "12-month maximum",
        }
        return names[self.kind]


def read_editions() -> dict[str, dict[str, dict[str, str]]]:
    editions = {}
    for name in REPORTS:
        with (EDITIONS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            editions[name] = {row["ref"]: row for row in csv.DictReader(handle)}
    return editions


# --- The data ------------------------------------------------------------------------------


@dataclass
class Data:
    indicators: dict[str, Indicator]
    settings: Settings
    known: Assignment  # printed values of non-derived indicators
    printed: list[Printed]

    def is_input(self, ref: str) -> bool:
        return not self.indicators[ref].is_derived

    def unit(self, ref: str) -> Unit:
        return self.indicators[ref].unit

    def parts(self, ref: str) -> list[str]:
        """The inputs a figure of ``ref`` is computed from (itself for an input)."""
        item = self.indicators[ref]
        if not item.is_derived:
            return [ref]
        refs = [*item.numerator]
        if item.denominator and item.denominator != POPULATION:
            refs.append(item.denominator)
        return sorted({part for each in refs for part in self.parts(each)})

    def value(self, ref: str, month: Month, assign: Assignment) -> Value:
        """A month's figure as xlscorecard.calc.figures.figure gives it: stored, or derived."""
        item = self.indicators[ref]
        if not item.is_derived:
            key = (ref, month)
            return assign[key] if key in assign else self.known.get(key)
        parts = [self.value(each, month, assign) for each in item.numerator]
        if item.denominator == POPULATION:
            base: Value = self.settings.population(month)
            scale = 10_000.0
        else:
            base = self.value(item.denominator or "", month, assign)
            scale = 1.0
        if any(part is None for part in [*parts, base]):
            return None
        if not all(is_number(part) for part in [*parts, base]) or base == 0:
            return NOT_APPLICABLE
        return sum(parts) / base * scale  # type: ignore[arg-type, operator]

    def printed_numbers(self, ref: str) -> list[float]:
        return [
            value
            for (each, _), value in sorted(self.known.items(), key=lambda kv: kv[0][1])
            if each == ref and is_number(value)
        ]  # type: ignore[misc]


def read_values() -> list[dict[str, str]]:
    with (SAMPLE / "values.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load() -> Data:
    dataset = load_data_dir(SAMPLE)
    indicators = {item.ref: item for item in dataset.indicators}
    known: Assignment = {
        key: value
        for key, value in dataset.values.items()
        if dataset.sources.get(key) != SOURCE and not indicators[key[0]].is_derived
    }
    printed = []
    for edition, rows in read_editions().items():
        for ref, row in rows.items():
            for kind, column in (("yoy", "pct_yoy"), ("avg", "avg12"), ("max", "max12")):
                printed.append(
                    Printed(ref, edition, kind, row[column].strip(), indicators[ref].unit)
                )
    return Data(indicators, dataset.settings, known, printed)


# --- What the data gives for a printed figure, and how far off print that is ---------------


def computed(data: Data, figure: Printed, assign: Assignment) -> float | None:
    """The figure as xlscorecard.calc.figures.report_row computes it from the data."""
    end = REPORTS[figure.edition]
    if figure.kind == "yoy":
        return pct_change(
            data.value(figure.ref, end, assign), data.value(figure.ref, end - 12, assign)
        )
    values = [data.value(figure.ref, month, assign) for month in window(end, 12)]
    numbers = [value for value in values if is_number(value)]
    if not numbers:
        return None
    return sum(numbers) / len(numbers) if figure.kind == "avg" else max(numbers)  # type: ignore


def as_units(number: float, figure: Printed) -> float:
    """A stored number in the printed figure's units: % points for percentages and changes."""
    percent = figure.kind == "yoy" or figure.unit is Unit.PERCENT
    return round(number * 100 if percent else number, 6)


def round_half_away(number: float) -> float:
    """Excel's rounding: halves away from zero (137.5 -> 138, -62.5 -> -63)."""
    return math.copysign(math.floor(abs(number) + 0.5), number)


def miss(figure: Printed, got: float | None) -> float:
    """0 if ``got`` prints as the figure (rounded as Excel rounds), else how far off it is in
    half printed units (always more than 0)."""
    expected = figure.expected
    if expected is None or got is None:
        return 0.0 if expected is got else NOT_A_NUMBER_MISS
    shown, wanted = as_units(got, figure), as_units(expected, figure)
    if round_half_away(shown) == wanted:
        return 0.0
    return max(abs(shown - wanted) - 0.5, 1e-6) / 0.5


# --- Checks: each reads some unknown (ref, month) cells and returns a distance -------------


@dataclass
class Check:
    name: str
    cells: frozenset[tuple[str, Month]]
    distance: Callable[[Assignment], float]
    figure: Printed | None = None  # None: a relationship, weaker than any printed figure

    @property
    def months(self) -> set[Month]:
        return {month for _, month in self.cells}

    @property
    def refs(self) -> set[str]:
        return {ref for ref, _ in self.cells}


def figure_checks(data: Data) -> list[Check]:
    checks = []
    for figure in data.printed:
        if not figure.constrains:
            continue
        parts = data.parts(figure.ref)
        unknown = [m for m in figure.months if m in UNKNOWN]
        known = [m for m in figure.months if m not in UNKNOWN]
        fixed = [data.value(figure.ref, m, {}) for m in known]
        cells = frozenset((ref, m) for ref in parts for m in unknown)

        def distance(
            assign: Assignment, figure: Printed = figure, fixed=fixed, unknown=unknown
        ) -> float:
            # computed(data, figure, assign), with the printed months worked out once
            if figure.kind == "yoy":
                got = pct_change(fixed[0], data.value(figure.ref, unknown[0], assign))
            else:
                values = [*fixed, *(data.value(figure.ref, m, assign) for m in unknown)]
                numbers = [value for value in values if is_number(value)]
                if not numbers:
                    got = None
                elif figure.kind == "avg":
                    got = sum(numbers) / len(numbers)  # type: ignore[arg-type]
                else:
                    got = max(numbers)  # type: ignore[type-var]
            return miss(figure, got)

        checks.append(
            Check(f"{figure.ref} {figure.edition} {figure.kind}", cells, distance, figure)
        )
        if figure.kind == "max" and figure.expected is not None:
            # The same maximum read month by month (no month may exceed it), so that the
            # single-month searches can use it.
            for month in unknown:

                def above(assign: Assignment, figure: Printed = figure, month: Month = month):
                    got = data.value(figure.ref, month, assign)
                    if not is_number(got):
                        return 0.0
                    if round_half_away(as_units(got, figure)) <= as_units(figure.expected, figure):
                        return 0.0
                    return miss(figure, got)

                cells = frozenset((ref, month) for ref in parts)
                checks.append(
                    Check(f"{figure.ref} {figure.edition} max cap {month}", cells, above, figure)
                )
    return checks


def as_printed(data: Data, ref: str, month: Month, assign: Assignment) -> Value:
    """The figure rounded as the edition prints it: whole rates and counts, whole percents."""
    value = data.value(ref, month, assign)
    if not is_number(value):
        return value
    if data.unit(ref) is Unit.PERCENT:
        return math.floor(value * 100 + 0.5) / 100  # type: ignore[operator]
    return float(math.floor(value + 0.5))  # type: ignore[operator]


def relationship_checks(data: Data) -> list[Check]:
    checks = []
    if {"LAC1", "LAC2", "LAC3"} <= set(data.indicators):
        for month in [*UNKNOWN[1:], Month(2019, 10)]:

            def flow(assign: Assignment, month: Month = month) -> float:
                now, before = (data.value("LAC1", m, assign) for m in (month, month - 1))
                new, ceased = (data.value(r, month, assign) for r in ("LAC2", "LAC3"))
                if not all(is_number(v) for v in (now, before, new, ceased)):
                    return 0.0
                gap = abs(now - (before + new - ceased))  # type: ignore[operator]
                return max(0.0, gap - STOCK_FLOW_SLACK) / STOCK_FLOW_SLACK

            cells = frozenset(
                (ref, m)
                for ref in ("LAC1", "LAC2", "LAC3")
                for m in (month, month - 1)
                if m in UNKNOWN and (ref == "LAC1" or m == month)
            )
            checks.append(Check(f"LAC1 stock and flow {month}", cells, flow))
    for figure in data.printed:
        if figure.ref not in ROUNDED_CHANGES or figure.kind != "yoy" or figure.expected is None:
            continue
        end = REPORTS[figure.edition]

        def on_rounded(assign: Assignment, figure: Printed = figure, end: Month = end) -> float:
            new, old = (as_printed(data, figure.ref, m, assign) for m in (end, end - 12))
            return miss(figure, pct_change(new, old))

        cells = frozenset((ref, end - 12) for ref in data.parts(figure.ref))
        name = f"{figure.ref} {figure.edition} yoy on rounded figures"
        checks.append(Check(name, cells, on_rounded))
    if set(EH3_PARTS) <= set(data.indicators):
        for month in UNKNOWN:

            def total(assign: Assignment, month: Month = month) -> float:
                values = [data.value(ref, month, assign) for ref in EH3_PARTS]
                if not all(is_number(v) for v in values):
                    return 0.0
                gap = abs(sum(values) - 1.0)  # type: ignore[arg-type]
                return max(0.0, gap - EH3_SUM_SLACK - 1e-9) / EH3_SUM_SLACK

            cells = frozenset((ref, month) for ref in EH3_PARTS)
            checks.append(Check(f"EH3a-e% add up to 100% {month}", cells, total))
    return checks


# --- Candidates and their plausibility -----------------------------------------------------


def precision_penalty(value: float) -> float:
    """Whole points are the printed precision; finer percentages cost a little more."""
    for step, cost in ((0.01, 0.0), (0.005, 0.3), (0.001, 1.0)):
        if abs(value / step - round(value / step)) < 1e-6:
            return cost
    return 3.0


@dataclass
class Unknowns:
    """One input's unknown months: candidates, and what a plausible value is."""

    ref: str
    unit: Unit
    scale: float  # a typical month-to-month move in print
    level: float  # the printed months' mean
    targets: dict[Month, float] = field(default_factory=dict)
    candidates: dict[Month, list[Value]] = field(default_factory=dict)
    precise: bool = True  # percentages: prefer whole points

    def cost(self, month: Month, value: Value, target: float | None = None) -> float:
        if value is None:
            return 0.0
        if not is_number(value):
            return NOT_AVAILABLE_PENALTY
        aim = self.targets.get(month, self.level) if target is None else target
        cost = ((value - aim) / self.scale) ** 2  # type: ignore[operator]
        if self.unit is Unit.PERCENT and self.precise:
            cost += precision_penalty(value)  # type: ignore[arg-type]
        return cost


def raw_candidates(data: Data, ref: str, month: Month) -> list[Value]:
    """Every value worth trying: whole numbers up to well past anything printed for a count,
    0.1-point steps for a percentage; "-" where print allows it."""
    unit = data.unit(ref)
    if (ref, month) in FIXED:
        return [FIXED[(ref, month)][0]]
    figures = [f for f in data.printed if f.ref == ref and f.constrains]
    if unit is Unit.PERCENT:
        values: list[Value] = [round(i * 0.001, 3) for i in range(1001)]
    else:
        ceiling = 2 * max(data.printed_numbers(ref)) + 10
        for figure in figures:
            if figure.kind == "yoy" and figure.expected is not None:
                new = data.value(ref, REPORTS[figure.edition], {})
                factor = 1 + figure.expected - figure.tolerance
                if is_number(new) and factor > 0:
                    ceiling = max(ceiling, new / factor + 2)  # type: ignore[operator]
            elif figure.expected is not None:
                ceiling = max(ceiling, 2 * figure.expected + 10)
        values = [float(i) for i in range(int(ceiling) + 1)]
    zero_base = any(
        f.kind == "yoy" and f.expected is None and REPORTS[f.edition] - 12 == month for f in figures
    )
    printed_dash = any(v == NOT_APPLICABLE for (r, _), v in data.known.items() if r == ref)
    if zero_base or printed_dash:
        values.append(NOT_APPLICABLE)
    return values


def own_checks(checks: list[Check], ref: str, month: Month) -> list[Check]:
    """The input's own printed figures that read only this month of it."""
    return [
        c
        for c in checks
        if c.figure is not None and c.figure.ref == ref and c.cells == {(ref, month)}
    ]


def filter_candidates(checks: list[Check], ref: str, month: Month, values: list[Value]):
    """The values meeting the input's own single-month figures (the least-missing if none)."""
    mine = own_checks(checks, ref, month)
    if not mine:
        return values
    scored = []
    for value in values:
        gaps = [c.distance({(ref, month): value}) for c in mine]
        scored.append(((sum(gap > 0 for gap in gaps), sum(gaps)), value))
    best = min(score for score, _ in scored)
    return [value for score, value in scored if score == best]


def build_unknowns(data: Data, checks: list[Check], ref: str) -> Unknowns:
    unit = data.unit(ref)
    numbers = data.printed_numbers(ref)
    steps = [abs(b - a) for a, b in itertools.pairwise(numbers)]
    floor = 0.01 if unit is Unit.PERCENT else 1.0
    scale = max(floor, sum(steps) / len(steps) if steps else floor)
    level = sum(numbers) / len(numbers)
    result = Unknowns(ref, unit, scale, level, precise=ref not in NEAR_RATIO)
    for month in UNKNOWN:
        values = filter_candidates(checks, ref, month, raw_candidates(data, ref, month))
        if unit is Unit.PERCENT and (ref, month) not in FIXED:
            values = refine_percentages(data, checks, ref, month, values)
        result.candidates[month] = values
        numeric = [v for v in values if is_number(v)]
        raw = [v for v in raw_candidates(data, ref, month) if is_number(v)]
        if month in PINNED and numeric and len(numeric) < len(raw) and numeric != [0.0]:
            low, high = min(numeric), max(numeric)  # type: ignore[type-var]
            if high - low <= 4 * scale:  # pinned: aim for the middle of what print allows
                result.targets[month] = (low + high) / 2  # type: ignore[operator]
            else:  # only bounded (say "more than 0"): aim for the usual level within it
                result.targets[month] = min(max(level, low), high)  # type: ignore
        else:
            result.targets[month] = level
    return result


def refine_percentages(
    data: Data, checks: list[Check], ref: str, month: Month, values: list[Value]
) -> list[Value]:
    """Where no 0.1-point value meets the input's own figures, try 0.01 points near them."""
    mine = own_checks(checks, ref, month)

    def gap(value: Value) -> float:
        return sum(c.distance({(ref, month): value}) for c in mine)

    numeric = [v for v in values if is_number(v)]
    if not mine or not numeric or gap(values[0]) == 0:
        return values
    low, high = min(numeric) - 0.002, max(numeric) + 0.002  # type: ignore[operator]
    fine = [
        round(i * 0.0001, 4)
        for i in range(max(0, int(low * 10000)), min(10000, int(high * 10000)) + 1)
    ]
    return [v for v in fine if gap(v) == 0] or values


# --- Groups: inputs solved together ---------------------------------------------------------


def groups(data: Data) -> list[list[tuple[str, ...]]]:
    """Inputs that derived figures or relationships tie together, as lists of units (a unit
    is one input, or an input percentage with the count it is a share of)."""
    inputs = [ref for ref in data.indicators if data.is_input(ref)]
    parent = {ref: ref for ref in inputs}

    def root(ref: str) -> str:
        while parent[ref] != ref:
            ref = parent[ref]
        return ref

    def join(refs: Iterable[str]) -> None:
        refs = [ref for ref in refs if ref in parent]
        for other in refs[1:]:
            parent[root(other)] = root(refs[0])

    for ref in data.indicators:
        join(data.parts(ref))
    join(["LAC1", "LAC2", "LAC3"])
    join(EH3_PARTS)
    for share, count in SHARES.items():
        join([count, share])
    for share, (top, bottom) in NEAR_RATIO.items():
        join([share, top, bottom])
    found: dict[str, list[tuple[str, ...]]] = {}
    for ref in inputs:
        if ref in SHARES:
            continue
        unit = (ref, *[share for share, count in SHARES.items() if count == ref])
        found.setdefault(root(ref), []).append(unit)
    return list(found.values())


# --- The search ----------------------------------------------------------------------------


Score = tuple[int, int, float, float, float]


class Search:
    """A group's unknown cells, their candidates, and the checks and costs that score them."""

    def __init__(
        self, data: Data, group: list[tuple[str, ...]], checks: list[Check], ignored: set[Key]
    ):
        self.data = data
        self.units = group
        self.refs = [ref for unit in group for ref in unit]
        cells = {(ref, m) for ref in self.refs for m in UNKNOWN}
        self.checks = [
            c
            for c in checks
            if c.cells and c.cells <= cells and (c.figure is None or c.figure.key not in ignored)
        ]
        self.unknowns = {ref: build_unknowns(data, self.checks, ref) for ref in self.refs}
        self.domains: dict[tuple[tuple[str, ...], Month], list[tuple[Value, ...]]] = {}
        for unit in group:
            for month in UNKNOWN:
                self.domains[(unit, month)] = self.unit_domain(unit, month)
        self.by_cell: dict[tuple[str, Month], list[int]] = {}
        for index, check in enumerate(self.checks):
            for cell in check.cells:
                self.by_cell.setdefault(cell, []).append(index)
        self.avg_needed = {ref: self.apr_average(ref) for ref in self.refs}

    # -- candidates for a unit (one input, or a count and its share)

    def unit_domain(self, unit: tuple[str, ...], month: Month) -> list[tuple[Value, ...]]:
        first = self.unknowns[unit[0]].candidates[month]
        if len(unit) == 1:
            return [(value,) for value in first]
        share = unit[1]
        allowed = self.unknowns[share].candidates[month]
        pairs: list[tuple[Value, ...]] = []
        for count in first:
            if not is_number(count):
                continue
            if count == 0:
                options: list[Value] = [NOT_APPLICABLE]
            else:
                options = [round(k / count, 3) for k in range(int(count) + 1)]  # type: ignore
            pairs += [(count, option) for option in options if option in allowed]
        if not pairs:  # the share's own figures rule out whole shares: keep any candidate
            pairs = [(count, option) for count in first for option in allowed]
        return pairs

    # -- plausibility

    def apr_average(self, ref: str) -> tuple[float, float] | None:
        """(needed total of May-19..Sep-19, printed numbers) for the Apr-20 average."""
        for check in self.checks:
            figure = check.figure
            if figure and figure.key == (ref, "2020-04", "avg") and "cap" not in check.name:
                known = [self.data.known.get((ref, m)) for m in window(REPORTS["2020-04"], 12)]
                numbers = [v for v in known if is_number(v)]
                return figure.expected * (len(numbers) + 5) - sum(numbers), len(numbers)  # type: ignore
        return None

    def path(self, ref: str, assign: Assignment) -> dict[Month, float]:
        """A straight line Apr-19 -> Aug-19 through May..Jul, shifted to meet the Apr-20
        average with the chosen Aug-19 and Sep-19."""
        unknowns = self.unknowns[ref]
        start, end, last = (assign.get((ref, m)) for m in (APR19, AUG19, SEP19))
        start = start if is_number(start) else unknowns.level
        end = end if is_number(end) else unknowns.level
        line = {m: start + (end - start) * (i + 1) / 4 for i, m in enumerate(MIDDLE)}  # type: ignore
        needed = self.avg_needed[ref]
        if needed is not None and is_number(assign.get((ref, AUG19))) and is_number(last):
            shift = (needed[0] - end - last - sum(line.values())) / 3  # type: ignore
            line = {m: v + shift for m, v in line.items()}
        ceiling = 1.0 if unknowns.unit is Unit.PERCENT else math.inf
        return {m: min(max(v, 0.0), ceiling) for m, v in line.items()}

    def cell_costs(self, ref: str, assign: Assignment, months: Iterable[Month]) -> float:
        unknowns = self.unknowns[ref]
        path = self.path(ref, assign) if set(months) & set(MIDDLE) else {}
        total = 0.0
        for month in months:
            value = assign.get((ref, month))
            if ref in SHARES:
                continue  # a whole share of the count, or "-" for none: set by the count
            total += unknowns.cost(month, value, path.get(month))
        return total

    def coupling_cost(self, assign: Assignment, month: Month) -> float:
        cost = 0.0
        for share, (top, bottom) in NEAR_RATIO.items():
            if share not in self.refs:
                continue
            value, a, b = (assign.get((r, month)) for r in (share, top, bottom))
            if is_number(value) and is_number(a) and is_number(b) and b:
                cost += ((value - a / b) / 0.01) ** 2  # type: ignore[operator]
        return cost

    # -- scoring

    def score(
        self,
        assign: Assignment,
        months: Iterable[Month] = UNKNOWN,
        distances: list[float] | None = None,
        refs: set[str] | None = None,
    ) -> tuple[Score, list[float]]:
        """(inputs' printed figures missed, derived figures missed, how far, relationship
        misses, implausibility) over the checks that read only ``months``."""
        months = set(months)
        if distances is None:
            distances = [
                c.distance(assign)
                if c.months <= months and (refs is None or c.refs <= refs)
                else 0.0
                for c in self.checks
            ]
        missed_inputs: set[Key] = set()
        missed_derived: set[Key] = set()
        figure_gap = relation_gap = 0.0
        for check, gap in zip(self.checks, distances, strict=True):
            if gap <= 0:
                continue
            if check.figure is None:
                relation_gap += gap
                continue
            figure_gap += gap
            key = check.figure.key
            (missed_inputs if self.data.is_input(key[0]) else missed_derived).add(key)
        cost = sum(self.cell_costs(ref, assign, months) for ref in self.refs)
        cost += sum(self.coupling_cost(assign, month) for month in months)
        score = (
            len(missed_inputs),
            len(missed_derived),
            round(figure_gap, 9),
            round(relation_gap, 9),
            round(cost, 9),
        )
        return score, distances

    def rescore(
        self, assign: Assignment, distances: list[float], changed: Iterable[tuple[str, Month]]
    ) -> tuple[Score, list[float]]:
        """score(assign) when only the ``changed`` cells differ from what ``distances`` saw."""
        fresh = list(distances)
        for index in {i for cell in changed for i in self.by_cell.get(cell, [])}:
            fresh[index] = self.checks[index].distance(assign)
        return self.score(assign, UNKNOWN, fresh)

    # -- the months some figure touches alone: exhaustive

    def components(self, month: Month) -> list[list[tuple[str, ...]]]:
        """Units tied by a printed figure that touches this month alone."""
        unit_of = {ref: unit for unit in self.units for ref in unit}
        parent = {unit: unit for unit in self.units}

        def root(unit):
            while parent[unit] != unit:
                unit = parent[unit]
            return unit

        for check in self.checks:
            if check.figure is not None and check.months == {month}:
                units = sorted({unit_of[ref] for ref in check.refs})
                for other in units[1:]:
                    parent[root(other)] = root(units[0])
        found: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for unit in self.units:
            found.setdefault(root(unit), []).append(unit)
        return list(found.values())

    def exhaustive(self, units: list[tuple[str, ...]], month: Month, keep: int):
        """Every combination of the units' candidates for one month; the best ``keep``."""
        domains = [self.domains[(unit, month)] for unit in units]
        size = math.prod(len(d) for d in domains)
        if size > 2_000_000:
            raise SystemExit(f"{units} {month}: {size} combinations is too many to try")
        refs = [ref for unit in units for ref in unit]
        scored = []
        for combo in itertools.product(*domains):
            values = [value for part in combo for value in part]
            assign = {(ref, month): value for ref, value in zip(refs, values, strict=True)}
            scored.append((self.score(assign, [month], refs=set(refs))[0], assign))
        scored.sort(key=lambda item: item[0])
        return scored[:keep]

    # -- the descent

    def solve(self, keep: int = 25) -> tuple[Assignment, list[str]]:
        proofs = []
        choices: list[tuple[Month, list[tuple[Score, Assignment]]]] = []
        for month in PINNED:
            for units in self.components(month):
                options = self.exhaustive(units, month, keep)
                choices.append((month, options))
                best = options[0][0]
                if best[0] or best[1]:
                    refs = {ref for unit in units for ref in unit}
                    missed = [
                        c.name
                        for c in self.checks
                        if c.figure
                        and c.months == {month}
                        and c.refs <= refs
                        and c.distance(options[0][1]) > 0
                    ]
                    proofs.append(
                        f"{month}: no values of {', '.join(r for u in units for r in u)}"
                        f" meet all of them; best misses {', '.join(missed)}"
                    )
        assign: Assignment = {}
        for _, options in choices:
            assign.update(options[0][1])
        for unit in self.units:
            path = self.path(unit[0], assign)
            for month in MIDDLE:
                domain = self.domains[(unit, month)]
                numeric = [option for option in domain if is_number(option[0])] or domain
                best = min(
                    numeric,
                    key=lambda option, aim=path[month]: (
                        abs(option[0] - aim) if is_number(option[0]) else 0
                    ),
                )  # type: ignore[operator]
                assign.update(
                    {(part, month): value for part, value in zip(unit, best, strict=True)}
                )
        current, distances = self.score(assign)
        while True:
            improved = False
            for changes in self.moves(assign, choices):
                trial = {**assign, **changes}
                score, fresh = self.rescore(trial, distances, changes)
                if score < current:
                    assign, current, distances, improved = trial, score, fresh, True
            if not improved:
                return assign, proofs

    def moves(self, assign: Assignment, choices) -> Iterator[Assignment]:
        """Other picks for the exhaustively searched months; steps of one value; transfers
        between two middle months (same total); a middle month set to a printed maximum."""
        for _, options in choices:
            for _, option in options:
                if any(assign.get(cell) != value for cell, value in option.items()):
                    yield option
        steps = (1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 50, 100)
        for unit in self.units:
            ref = unit[0]
            grain = 0.01 if self.data.unit(ref) is Unit.PERCENT else 1.0
            for month in UNKNOWN:
                domain = self.domains[(unit, month)]
                current = tuple(assign.get((part, month)) for part in unit)
                if len(unit) > 1 or not is_number(current[0]) or len(domain) < 60:
                    near = domain
                else:
                    wanted = {
                        round(current[0] + s * d * grain, 4)  # type: ignore[operator]
                        for s in steps
                        for d in (1, -1)
                    }
                    if grain < 1:
                        wanted |= {round(current[0] + d * 0.001, 3) for d in (1, -1, 5, -5)}  # type: ignore
                    near = [option for option in domain if option[0] in wanted]
                for option in near:
                    if option != current:
                        yield {
                            (part, month): value for part, value in zip(unit, option, strict=True)
                        }
            if len(unit) > 1:
                continue
            allowed = {m: {option[0] for option in self.domains[(unit, m)]} for m in UNKNOWN}
            for first, second in itertools.permutations(UNKNOWN[1:], 2):
                a, b = assign.get((ref, first)), assign.get((ref, second))
                if not (is_number(a) and is_number(b)):
                    continue
                for s in steps:
                    new_a, new_b = round(a + s * grain, 4), round(b - s * grain, 4)  # type: ignore
                    if new_a in allowed[first] and new_b in allowed[second]:
                        yield {(ref, first): new_a, (ref, second): new_b}
                if first < second and a != b and b in allowed[first] and a in allowed[second]:
                    yield {(ref, first): b, (ref, second): a}  # swap: move a maximum along
            for figure in self.data.printed:
                if figure.key != (ref, "2020-04", "max") or not figure.constrains:
                    continue
                for month in MIDDLE:
                    others = [m for m in MIDDLE if m != month]
                    old = assign.get((ref, month))
                    if not is_number(old) or figure.expected not in allowed[month]:
                        continue
                    if figure.expected == old:
                        continue
                    spread = (figure.expected - old) / len(others)  # type: ignore[operator]
                    change = {(ref, month): figure.expected}
                    for other in others:
                        value = assign.get((ref, other))
                        if is_number(value):
                            new = max(0.0, round(value - spread, 0 if grain == 1 else 3))  # type: ignore
                            change[(ref, other)] = new
                    yield change


# --- Driver --------------------------------------------------------------------------------


@dataclass
class Result:
    values: Assignment
    given_way: list[tuple[Printed, float | None]]
    relationships_missed: list[str]
    proofs: list[str]


def solve_group(
    data: Data, group: list[tuple[str, ...]], checks: list[Check]
) -> tuple[Assignment, set[Key], list[str]]:
    """Solve; set aside the printed figures missed and solve again (until nothing more is
    missed); then put each set-aside figure back in turn and keep it if it can be met."""

    def attempt(ignored: set[Key]) -> tuple[Assignment, set[Key], list[str]]:
        search = Search(data, group, checks, ignored)
        assign, found = search.solve()
        missed = {
            c.figure.key for c in search.checks if c.figure is not None and c.distance(assign) > 0
        }
        return assign, missed, found

    ignored: set[Key] = set()
    assign, missed, proofs = attempt(ignored)
    while missed:
        ignored |= missed
        assign, missed, _ = attempt(ignored)
    for key in sorted(ignored):
        trial, missed, _ = attempt(ignored - {key})
        if not missed:
            ignored.discard(key)
            assign = trial
    return assign, ignored, proofs


def reconstruct(data: Data) -> Result:
    checks = figure_checks(data) + relationship_checks(data)
    values: Assignment = {}
    given_way: list[tuple[Printed, float | None]] = []
    relationships: list[str] = []
    proofs: list[str] = []
    for group in groups(data):
        assign, _, found = solve_group(data, group, checks)
        proofs += found
        values.update(assign)
        refs = {ref for unit in group for ref in unit}
        for figure in data.printed:
            if figure.constrains and set(data.parts(figure.ref)) <= refs:
                got = computed(data, figure, assign)
                if miss(figure, got) > 0:
                    given_way.append((figure, got))
        relationships += [
            c.name for c in checks if c.figure is None and c.refs <= refs and c.distance(assign) > 0
        ]
    return Result(values, given_way, relationships, proofs)


def fmt(value: Value, unit: Unit) -> str:
    if not is_number(value):
        return str(value)
    if unit is Unit.PERCENT:
        return f"{value:.4f}".rstrip("0").rstrip(".") if value else "0"
    return str(int(value))  # type: ignore[arg-type]


def show(figure: Printed, got: float | None) -> str:
    if got is None:
        return "n/a"
    if figure.kind == "yoy":
        return f"{got * 100:.1f}%"
    if figure.unit is Unit.PERCENT:
        return f"{got * 100:.2f}%"
    return f"{got:.2f}"


def write(data: Data, values: Assignment) -> None:
    rows = [row for row in read_values() if row["source"] != SOURCE]
    order = list(data.indicators)
    for ref, month in sorted(values, key=lambda key: (order.index(key[0]), key[1])):
        rows.append(
            {
                "ref": ref,
                "month": month.iso,
                "value": fmt(values[(ref, month)], data.unit(ref)),
                "source": SOURCE,
            }
        )
    with (SAMPLE / "values.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["ref", "month", "value", "source"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    args = parser.parse_args(argv)
    data = load()
    result = reconstruct(data)
    order = list(data.indicators)
    print(f"{'':14}", " ".join(f"{m.label:>7}" for m in UNKNOWN))
    for ref in sorted({ref for ref, _ in result.values}, key=order.index):
        cells = [fmt(result.values[(ref, m)], data.unit(ref)) for m in UNKNOWN]
        print(f"{ref:14}", " ".join(f"{cell:>7}" for cell in cells))
    for proof in result.proofs:
        print(f"exhaustive search, {proof}")
    for name in result.relationships_missed:
        print(f"relationship not met: {name}")
    print(f"\n{len(result.given_way)} printed figure(s) give way:")
    for figure, got in result.given_way:
        print(
            f"  {figure.ref:14} {figure.edition} {figure.label:29} printed {figure.text:>6}"
            f"   data gives {show(figure, got)}"
        )
    if not args.check:
        write(data, result.values)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
