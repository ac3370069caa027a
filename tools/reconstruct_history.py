"""Reconstruct Apr-19..Sep-19 for samples/southampton/values.csv from the printed figures.

Neither edition prints these months, but the Apr-20 edition's 12-month average and maximum
cover May-19..Apr-20 and its % change from a year earlier needs Apr-19; the Aug-20 edition's
need Sep-19..Aug-20 and Aug-19. This script finds, for every non-derived indicator, values for
the six months that meet every printed average (within half a printed unit), maximum (equal
after rounding) and year-on-year change (within half a percentage point) at once, for the
indicator itself and for the derived indicators computed from it. Where no values meet them
all, it says which printed figure gives way.

How: indicators tied together by a derived indicator (M3 = M2 / M1, ...) or by a known
relationship (LAC1 stock and flow, CP2b % over CP2b, CP5-QL ~ CP5-QL (val) / CP4 (val)) are
solved together as a group. Apr-19, Aug-19 and Sep-19 are each pinned by figures that touch
only that month (the two % changes from a year earlier; the Aug-20 12-month average and
maximum), so every combination of candidate values is tried for them exhaustively. May-19 ..
Jul-19 are then set by a deterministic descent from a smooth path between Apr-19 and Aug-19
(shifted to meet the Apr-20 12-month average), trading printed-figure misses first, then the
relationships, then distance from that path.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xlscorecard.datadir import load_indicators, load_settings  # noqa: E402
from xlscorecard.model import NOT_APPLICABLE, POPULATION, Indicator, Unit  # noqa: E402
from xlscorecard.months import Month, window  # noqa: E402
from xlscorecard.parsing import parse_value  # noqa: E402

SAMPLE = ROOT / "samples" / "southampton"
EDITIONS = ROOT / "tests" / "fixtures" / "editions"
SOURCE = "reconstructed"

APR19, MAY19, JUN19, JUL19, AUG19, SEP19 = (Month(2019, m) for m in range(4, 10))
UNKNOWN = [APR19, MAY19, JUN19, JUL19, AUG19, SEP19]
MIDDLE = [MAY19, JUN19, JUL19]
"""Months touched only by the Apr-20 edition's 12-month average and maximum."""
REPORTS = {"2020-04": Month(2020, 4), "2020-08": Month(2020, 8)}

STOCK_FLOW_SLACK = 5
"""LAC1(t) = LAC1(t-1) + LAC2(t) - LAC3(t) holds within 5 in every printed month."""
EH3_PARTS = ["EH3a%", "EH3b%", "EH3c%", "EH3d%", "EH3e%"]
EH3_SUM_SLACK = 0.01
"""EH3a% .. EH3e% add up to 100% within a point (99-101% after rounding)."""

Value = float | str | None
Assignment = dict[tuple[str, Month], Value]


# --- Printed figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """A printed % change, 12-month average or maximum of one indicator in one edition."""

    ref: str
    edition: str
    kind: str  # "yoy", "avg" or "max"
    text: str
    unit: Unit

    @property
    def expected(self) -> float | None:
        """The printed number in stored units (31% -> 0.31); None for "n/a"."""
        if self.text == "n/a":
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
    def label(self) -> str:
        names = {"yoy": "% change from a year earlier", "avg": "12-mnth avg", "max": "12-mnth max"}
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
    population: float
    known: Assignment  # printed values of non-derived indicators
    printed: list[Printed]

    def is_input(self, ref: str) -> bool:
        return not self.indicators[ref].is_derived

    def parts(self, ref: str) -> list[str]:
        """The non-derived indicators a figure of ``ref`` is computed from (itself if input)."""
        item = self.indicators[ref]
        if not item.is_derived:
            return [ref]
        refs = [*item.numerator]
        if item.denominator and item.denominator != POPULATION:
            refs.append(item.denominator)
        return sorted({part for each in refs for part in self.parts(each)})

    def value(self, ref: str, month: Month, assign: Assignment) -> Value:
        """A figure as calc.figure gives it: stored for an input, derived otherwise."""
        item = self.indicators[ref]
        if not item.is_derived:
            key = (ref, month)
            return assign[key] if key in assign else self.known.get(key)
        parts = [self.value(each, month, assign) for each in item.numerator]
        if item.denominator == POPULATION:
            base: Value = self.population
            scale = 10_000.0
        else:
            base = self.value(item.denominator or "", month, assign)
            scale = 1.0
        if any(part is None for part in [*parts, base]):
            return None
        if not all(is_number(part) for part in [*parts, base]) or base == 0:
            return NOT_APPLICABLE
        return sum(parts) / base * scale  # type: ignore[arg-type, operator]


def is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def load() -> Data:
    settings = load_settings(SAMPLE / "council.toml")
    indicators = {item.ref: item for item in load_indicators(SAMPLE / "indicators.csv")}
    population = settings.population(APR19)
    if population is None or any(settings.population(m) != population for m in UNKNOWN):
        raise SystemExit("council.toml needs one 0-17 population for Apr-19..Sep-19")
    known: Assignment = {}
    for row in read_values():
        if row["source"] != SOURCE and not indicators[row["ref"]].is_derived:
            unit = indicators[row["ref"]].unit
            known[(row["ref"], Month.parse(row["month"]))] = parse_value(row["value"], unit)
    printed = []
    for edition, rows in read_editions().items():
        for ref, row in rows.items():
            for kind, column in (("yoy", "pct_yoy"), ("avg", "avg12"), ("max", "max12")):
                text = row[column].strip()
                printed.append(Printed(ref, edition, kind, text, indicators[ref].unit))
    return Data(indicators, population, known, printed)


def read_values() -> list[dict[str, str]]:
    with (SAMPLE / "values.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- Checks: printed figures and relationships, each a distance (0 = met) --------------------


def rolling(values: list[Value]) -> list[float]:
    return [value for value in values if is_number(value)]  # type: ignore[misc]


def pct_change(new: Value, old: Value) -> float | None:
    if not (is_number(new) and is_number(old)) or old == 0:
        return None
    return round((new - old) / old, 6)  # type: ignore[operator]


def computed(data: Data, figure: Printed, assign: Assignment) -> float | None:
    """What the data gives for a printed figure (as calc.report_row computes it)."""
    end = REPORTS[figure.edition]
    months = window(end, 12)
    if figure.kind == "yoy":
        return pct_change(data.value(figure.ref, end, assign), data.value(figure.ref, end - 12, assign))
    numbers = rolling([data.value(figure.ref, month, assign) for month in months])
    if not numbers:
        return None
    return sum(numbers) / len(numbers) if figure.kind == "avg" else max(numbers)


def miss(figure: Printed, got: float | None) -> float:
    """How far ``got`` is outside the printed figure's rounding, in tolerances (0 = met)."""
    expected = figure.expected
    if expected is None or got is None:
        return 0.0 if expected is got else 1.0
    return max(0.0, abs(got - expected) - figure.tolerance - 1e-9) / figure.tolerance


@dataclass
class Check:
    name: str
    months: frozenset[Month]  # unknown months it depends on
    refs: frozenset[str]  # non-derived indicators it depends on
    distance: Callable[[Assignment], float]
    figure: Printed | None = None  # None for a relationship (weaker than a printed figure)


def figure_checks(data: Data) -> list[Check]:
    checks = []
    for figure in data.printed:
        if not figure.constrains:
            continue
        end = REPORTS[figure.edition]
        months = [end - 12] if figure.kind == "yoy" else window(end, 12)
        unknown = frozenset(months) & frozenset(UNKNOWN)

        def distance(assign: Assignment, figure: Printed = figure) -> float:
            return miss(figure, computed(data, figure, assign))

        name = f"{figure.ref} {figure.edition} {figure.kind}"
        refs = frozenset(data.parts(figure.ref))
        checks.append(Check(name, unknown, refs, distance, figure))
        if figure.kind == "max" and figure.expected is not None:
            # The same maximum read month by month: no unknown month may exceed it. This
            # lets the exhaustive single-month stages see it.
            for month in sorted(unknown):

                def above(assign: Assignment, figure: Printed = figure, month: Month = month):
                    got = data.value(figure.ref, month, assign)
                    if not is_number(got):
                        return 0.0
                    over = got - figure.expected - figure.tolerance - 1e-9  # type: ignore[operator]
                    return max(0.0, over) / figure.tolerance

                checks.append(Check(f"{name} <= ({month})", frozenset([month]), refs, above))
    return checks


def relationship_checks(data: Data) -> list[Check]:
    checks = []
    lac = {"LAC1", "LAC2", "LAC3"}
    if lac <= set(data.indicators):
        for month in [*UNKNOWN[1:], Month(2019, 10)]:

            def flow(assign: Assignment, month: Month = month) -> float:
                now, before = (data.value("LAC1", m, assign) for m in (month, month - 1))
                new, ceased = (data.value(r, month, assign) for r in ("LAC2", "LAC3"))
                if not all(is_number(v) for v in (now, before, new, ceased)):
                    return 0.0
                gap = abs(now - (before + new - ceased))  # type: ignore[operator]
                return max(0.0, gap - STOCK_FLOW_SLACK) / STOCK_FLOW_SLACK

            unknown = frozenset({month, month - 1}) & frozenset(UNKNOWN)
            checks.append(Check(f"LAC1 stock and flow {month}", unknown, frozenset(lac), flow))
    if set(EH3_PARTS) <= set(data.indicators):
        for month in UNKNOWN:

            def total(assign: Assignment, month: Month = month) -> float:
                values = [data.value(ref, month, assign) for ref in EH3_PARTS]
                if not all(is_number(v) for v in values):
                    return 0.0
                gap = abs(sum(values) - 1.0)  # type: ignore[arg-type]
                return max(0.0, gap - EH3_SUM_SLACK - 1e-9) / EH3_SUM_SLACK

            checks.append(
                Check(f"EH3a-e% sum {month}", frozenset([month]), frozenset(EH3_PARTS), total)
            )
    return checks


# --- Candidate values and their plausibility -----------------------------------------------


def precision_penalty(value: float) -> float:
    """Percentages: whole points are the printed precision; finer ones cost a little more."""
    for step, cost in ((0.01, 0.0), (0.005, 0.3), (0.001, 1.0)):
        if abs(value / step - round(value / step)) < 1e-6:
            return cost
    return 3.0


def grid(unit: Unit, low: float, high: float, fine: bool = False) -> list[float]:
    """Whole numbers (counts) or percentages at 0.1 point (0.01 point if ``fine``)."""
    if unit is Unit.PERCENT:
        step = 0.0001 if fine else 0.001
        low, high = max(0.0, low), min(1.0, high)
        first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
        return [round(i * step, 4) for i in range(first, last + 1)]
    return [float(i) for i in range(max(0, math.ceil(low - 1e-9)), math.floor(high + 1e-9) + 1)]


@dataclass
class Series:
    """One input indicator: its printed months and what its own printed figures allow."""

    ref: str
    unit: Unit
    printed: list[float]
    scale: float
    targets: dict[Month, float] = field(default_factory=dict)
    domains: dict[Month, list[Value]] = field(default_factory=dict)

    def cost(self, month: Month, value: Value, target: float | None = None) -> float:
        if not is_number(value):
            return 0.0
        aim = self.targets.get(month) if target is None else target
        cost = 0.0 if aim is None else ((value - aim) / self.scale) ** 2  # type: ignore[operator]
        if self.unit is Unit.PERCENT:
            cost += precision_penalty(value)  # type: ignore[arg-type]
        return cost


def own_interval(figure: Printed, data: Data, month: Month) -> tuple[float, float] | None:
    """The values of ``month`` that meet ``figure`` alone (for an input's own figure)."""
    expected, tol = figure.expected, figure.tolerance
    if expected is None:
        return None
    end = REPORTS[figure.edition]
    if figure.kind == "yoy":
        new = data.value(figure.ref, end, {})
        if not is_number(new):
            return None
        factors = (1 + expected + tol, 1 + expected - tol)
        if new == 0 or min(factors) <= 0:
            return None
        return new / factors[0], new / factors[1]  # type: ignore[operator]
    others = [data.value(figure.ref, m, {}) for m in window(end, 12) if m != month]
    if any(value is None for value in others):
        return None  # another unknown month is in the window
    numbers = rolling(others)
    if figure.kind == "avg":
        count = len(numbers) + 1
        return (expected - tol) * count - sum(numbers), (expected + tol) * count - sum(numbers)
    if max(numbers) >= expected - tol:
        return -math.inf, expected + tol
    return expected - tol, expected + tol


def build_series(data: Data, ref: str) -> Series:
    item = data.indicators[ref]
    printed = sorted((m, v) for (r, m), v in data.known.items() if r == ref)
    numbers = [v for _, v in printed if is_number(v)]
    steps = [abs(b - a) for a, b in itertools.pairwise(numbers)]
    floor = 0.01 if item.unit is Unit.PERCENT else 1.0
    scale = max(floor, sum(steps) / len(steps) if steps else floor)
    series = Series(ref, item.unit, numbers, scale)
    figures = [f for f in data.printed if f.ref == ref and f.constrains]
    level = sum(numbers) / len(numbers)
    ceiling = 1.0 if item.unit is Unit.PERCENT else max(numbers) * 1.5
    for month in UNKNOWN:
        low, high = 0.0, ceiling
        pinned = False
        zero_base = False
        for figure in figures:
            end = REPORTS[figure.edition]
            if figure.kind == "yoy" and end - 12 != month:
                continue
            if figure.kind != "yoy" and month not in window(end, 12):
                continue
            if figure.kind == "yoy" and figure.expected is None:
                zero_base = True
                continue
            if figure.kind == "max" and figure.expected is not None:
                high = min(high, figure.expected + figure.tolerance)
            interval = own_interval(figure, data, month)
            if interval is None:
                continue
            low, high = max(low, interval[0]), min(high, interval[1])
            pinned = True
        if zero_base:
            # "n/a" from a year earlier: the base was zero, or not a number.
            domain: list[Value] = [0.0] if item.unit is not Unit.PERCENT else [NOT_APPLICABLE]
            if item.unit is Unit.PERCENT:
                domain.append(0.0)
            series.domains[month] = domain
            series.targets[month] = 0.0
            continue
        values = grid(item.unit, low, high)
        if not values and item.unit is Unit.PERCENT:
            values = grid(item.unit, low, high, fine=True)
        if not values:
            # The indicator's own figures contradict each other: fall back to nearby values
            # and let the search report which figure gives way.
            middle = (low + high) / 2
            values = grid(item.unit, middle - 3 * scale, middle + 3 * scale)
        series.domains[month] = list(values)
        series.targets[month] = (low + high) / 2 if pinned else level
    return series


# --- Groups --------------------------------------------------------------------------------


def groups(data: Data) -> list[list[str]]:
    """Input indicators that must be solved together, in catalogue order."""
    parent = {ref: ref for ref in data.indicators if data.is_input(ref)}

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
    join(["CP2b", "CP2b %"])
    join(["CP5-QL", "CP5-QL (val)", "CP4 (val)"])
    join(EH3_PARTS)
    found: dict[str, list[str]] = {}
    for ref in parent:
        found.setdefault(root(ref), []).append(ref)
    return list(found.values())


def coupling_cost(data: Data, group: list[str], month: Month, assign: Assignment) -> float:
    """Plausibility that ties values of one month together (not printed figures)."""
    cost = 0.0
    if "CP2b %" in group:
        count, share = assign.get(("CP2b", month)), assign.get(("CP2b %", month))
        if count == 0:
            cost += 0.0 if share == NOT_APPLICABLE else 25.0
        elif is_number(count) and is_number(share):
            # A share of a handful of transfer-ins is a whole number of them.
            cost += 25.0 * min(abs(share - k / count) for k in range(int(count) + 1))  # type: ignore[operator]
            cost -= precision_penalty(share)  # type: ignore[arg-type]
        elif share == NOT_APPLICABLE:
            cost += 25.0
    if "CP5-QL" in group:
        repeat, plans = assign.get(("CP5-QL (val)", month)), assign.get(("CP4 (val)", month))
        share = assign.get(("CP5-QL", month))
        if is_number(repeat) and is_number(plans) and plans and is_number(share):
            cost += ((share - repeat / plans) / 0.02) ** 2  # type: ignore[operator]
            cost -= precision_penalty(share)  # type: ignore[arg-type]
    return cost


# --- The search ----------------------------------------------------------------------------


@dataclass
class Problem:
    data: Data
    group: list[str]
    series: dict[str, Series]
    checks: list[Check]

    def score(self, assign: Assignment, months: Iterable[Month] | None = None):
        """(printed-figure miss, relationship miss, implausibility) over ``months``' checks."""
        months = frozenset(UNKNOWN if months is None else months)
        figure_miss = relation_miss = 0.0
        for check in self.checks:
            if check.months and check.months <= months:
                distance = check.distance(assign)
                if check.figure is None and check.name.startswith(("LAC1", "EH3")):
                    relation_miss += distance
                else:
                    figure_miss += distance
        cost = 0.0
        for month in months:
            targets = self.middle_targets(assign) if month in MIDDLE else {}
            for ref in self.group:
                value = assign.get((ref, month))
                cost += self.series[ref].cost(month, value, targets.get(ref))
            cost += coupling_cost(self.data, self.group, month, assign)
        return round(figure_miss, 9), round(relation_miss, 9), round(cost, 9)

    def middle_targets(self, assign: Assignment) -> dict[str, float]:
        """Per indicator, for the month being costed: a straight path Apr-19 -> Aug-19
        shifted so May-19..Sep-19 meet the Apr-20 12-month average."""
        cache_key = tuple(assign.get((ref, m)) for ref in self.group for m in (APR19, AUG19, SEP19))
        if getattr(self, "_key", None) == cache_key:
            return self._targets  # type: ignore[has-type]
        result: dict[str, dict[Month, float]] = {}
        for ref in self.group:
            series = self.series[ref]
            start, end, last = (assign.get((ref, m)) for m in (APR19, AUG19, SEP19))
            level = sum(series.printed) / len(series.printed)
            start = start if is_number(start) else level
            end = end if is_number(end) else level
            path = {m: start + (end - start) * (i + 1) / 4 for i, m in enumerate(MIDDLE)}  # type: ignore[operator]
            figure = next(
                (f for f in self.data.printed if f.ref == ref and f.edition == "2020-04"
                 and f.kind == "avg" and f.constrains and f.expected is not None),
                None,
            )
            if figure is not None and is_number(end) and is_number(last):
                printed = rolling(
                    [self.data.known.get((ref, m)) for m in window(Month(2020, 4), 12)]
                )
                needed = figure.expected * (len(printed) + 5) - sum(printed) - end - last  # type: ignore[operator]
                shift = (needed - sum(path.values())) / 3
                path = {m: v + shift for m, v in path.items()}
            ceiling = 1.0 if series.unit is Unit.PERCENT else math.inf
            result[ref] = {m: min(max(v, 0.0), ceiling) for m, v in path.items()}
        self._key, self._targets = cache_key, result  # type: ignore[attr-defined]
        return result

    def cost_targets(self, assign: Assignment, month: Month) -> dict[str, float]:
        return {ref: targets[month] for ref, targets in self.middle_targets(assign).items()}


def problem_score(problem: Problem, assign: Assignment, months=None):
    """Score with the middle months costed against their (assignment-dependent) path."""
    months = frozenset(UNKNOWN if months is None else months)
    figure_miss = relation_miss = 0.0
    for check in problem.checks:
        if check.months and check.months <= months:
            distance = check.distance(assign)
            if check.figure is None and check.name.startswith(("LAC1 stock", "EH3a-e%")):
                relation_miss += distance
            else:
                figure_miss += distance
    cost = 0.0
    targets = problem.middle_targets(assign) if months & set(MIDDLE) else {}
    for month in months:
        for ref in problem.group:
            aim = targets[ref][month] if month in MIDDLE else None
            cost += problem.series[ref].cost(month, assign.get((ref, month)), aim)
        cost += coupling_cost(problem.data, problem.group, month, assign)
    return round(figure_miss, 9), round(relation_miss, 9), round(cost, 9)


def exhaustive(problem: Problem, month: Month, keep: int) -> list[tuple[tuple, Assignment]]:
    """Every combination of candidate values for one month, best ``keep`` first."""
    refs = problem.group
    domains = [problem.series[ref].domains[month] for ref in refs]
    size = math.prod(len(d) for d in domains)
    limit = 400_000
    if size > limit:
        # Too many: keep each indicator's most plausible candidates.
        per = max(2, int(limit ** (1 / len(refs))))
        series = [problem.series[ref] for ref in refs]
        domains = [
            sorted(d, key=lambda v, s=s: s.cost(month, v))[:per]
            for d, s in zip(domains, series, strict=True)
        ]
    scored = []
    for values in itertools.product(*domains):
        assign = {(ref, month): value for ref, value in zip(refs, values, strict=True)}
        scored.append((problem_score(problem, assign, [month]), assign))
    scored.sort(key=lambda item: item[0])
    return scored[:keep]


def search(problem: Problem, keep: int = 40) -> Assignment:
    """Exhaustive for Apr-19, Aug-19, Sep-19; then descent for May-19..Jul-19."""
    choices = {month: exhaustive(problem, month, keep) for month in (APR19, AUG19, SEP19)}
    pick = dict.fromkeys(choices, 0)

    def assemble(middle: Assignment) -> Assignment:
        assign: Assignment = {}
        for month, index in pick.items():
            assign.update(choices[month][index][1])
        assign.update(middle)
        return assign

    middle: Assignment = {}
    base = assemble({})
    targets = problem.middle_targets(base)
    for ref in problem.group:
        series = problem.series[ref]
        for month in MIDDLE:
            domain = series.domains[month]
            numbers = [v for v in domain if is_number(v)]
            if not numbers:
                middle[(ref, month)] = domain[0]
                continue
            aim = targets[ref][month]
            middle[(ref, month)] = min(numbers, key=lambda v, aim=aim: abs(v - aim))
    current = assemble(middle)
    best = problem_score(problem, current)
    while True:
        improved = False
        for move in moves(problem, middle, choices, pick):
            trial_middle, trial_pick = move
            saved = dict(pick)
            pick.update(trial_pick)
            trial = assemble(trial_middle)
            score = problem_score(problem, trial)
            if score < best:
                best, middle, current, improved = score, trial_middle, trial, True
            else:
                pick.clear()
                pick.update(saved)
        if not improved:
            return current


def moves(problem: Problem, middle: Assignment, choices, pick):
    """Single changes, transfers between two middle months, and other single-month picks."""
    steps = (1, 2, 3, 5, 10, 20, 50, 100)
    for ref in problem.group:
        series = problem.series[ref]
        unit = 0.01 if series.unit is Unit.PERCENT else 1.0
        allowed = {m: set(series.domains[m]) for m in MIDDLE}
        for month in MIDDLE:
            value = middle[(ref, month)]
            if not is_number(value):
                continue
            specials = [v for v in series.domains[month] if not is_number(v)]
            maxima = [
                f.expected for f in problem.data.printed
                if f.kind == "max" and f.ref == ref and f.constrains and f.expected is not None
            ]
            for new in [*(value + s * unit * d for s in steps for d in (1, -1)), *maxima, *specials]:
                if is_number(new):
                    new = round(new, 4)
                if new in allowed[month] and new != value:
                    yield {**middle, (ref, month): new}, {}
        for first, second in itertools.permutations(MIDDLE, 2):
            a, b = middle[(ref, first)], middle[(ref, second)]
            if not (is_number(a) and is_number(b)):
                continue
            for s in steps:
                new_a, new_b = round(a + s * unit, 4), round(b - s * unit, 4)  # type: ignore[operator]
                if new_a in allowed[first] and new_b in allowed[second]:
                    yield {**middle, (ref, first): new_a, (ref, second): new_b}, {}
    for month, options in choices.items():
        for index in range(len(options)):
            if index != pick[month]:
                yield middle, {month: index}


# --- Driver --------------------------------------------------------------------------------


def solve(data: Data) -> tuple[Assignment, list[Check]]:
    checks = figure_checks(data) + relationship_checks(data)
    result: Assignment = {}
    for group in groups(data):
        series = {ref: build_series(data, ref) for ref in group}
        mine = [c for c in checks if c.refs <= set(group) and c.months]
        problem = Problem(data, group, series, mine)
        result.update(search(problem))
    return result, checks


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
    return f"{got:,.2f}".rstrip("0").rstrip(".")


def report(data: Data, assign: Assignment, checks: list[Check]) -> list[tuple[Printed, float | None]]:
    """Printed figures the reconstructed months cannot meet."""
    missed = []
    for figure in data.printed:
        if figure.constrains and miss(figure, computed(data, figure, assign)) > 0:
            missed.append((figure, computed(data, figure, assign)))
    for check in checks:
        if check.figure is None and check.distance(assign) > 0 and "<=" not in check.name:
            print(f"relationship not met: {check.name}")
    return missed


def write(data: Data, assign: Assignment) -> None:
    rows = [row for row in read_values() if row["source"] != SOURCE]
    order = list(data.indicators)
    for ref, month in sorted(assign, key=lambda key: (order.index(key[0]), key[1])):
        unit = data.indicators[ref].unit
        rows.append({"ref": ref, "month": month.iso, "value": fmt(assign[(ref, month)], unit),
                     "source": SOURCE})
    with (SAMPLE / "values.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["ref", "month", "value", "source"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    args = parser.parse_args(argv)
    data = load()
    assign, checks = solve(data)
    order = list(data.indicators)
    for ref in sorted({ref for ref, _ in assign}, key=order.index):
        unit = data.indicators[ref].unit
        print(f"{ref:14}", " ".join(f"{fmt(assign[(ref, m)], unit):>7}" for m in UNKNOWN))
    missed = report(data, assign, checks)
    print(f"\n{len(missed)} printed figure(s) give way:")
    for figure, got in missed:
        print(f"  {figure.ref:14} {figure.edition} {figure.label:28} printed {figure.text:>6}"
              f"  data gives {show(figure, got)}")
    if not args.check:
        write(data, assign)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
