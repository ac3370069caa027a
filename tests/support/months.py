"""Later months for the sample, made up deterministically: a seeded random walk from each
input indicator's last figures, kept within what the checks allow (no errors), as a
council's systems would report them.

The sample's real figures end at Aug-20. :func:`next_month` gives one month's figures for the
input indicators from the months before it; the same seed and history give the same figures.
Queries (a big change, a figure outside its range) can still happen, as they do in real
months: a person answers them.
"""

from __future__ import annotations

import random
from statistics import median

from xlscorecard.calc.figures import is_number
from xlscorecard.model import POPULATION, Dataset, Month, Unit, Value

SEED = 20200901


def next_month(dataset: Dataset, month: Month, seed: int = SEED) -> dict[str, Value]:
    """The input indicators' figures for ``month``, from the dataset's earlier months."""
    chance = random.Random(f"{seed}-{month.iso}")
    figures: dict[str, Value] = {}
    for indicator in dataset.indicators:
        if indicator.is_derived:
            continue
        last = dataset.values.get((indicator.ref, month - 1))
        if last == "-":
            figures[indicator.ref] = "-"
            continue
        earlier = [
            float(value)  # type: ignore[arg-type]
            for back in range(1, 13)
            if is_number(value := dataset.values.get((indicator.ref, month - back)))
        ]
        base = float(last) if is_number(last) else (median(earlier) if earlier else 0.0)  # type: ignore[arg-type]
        if indicator.unit is Unit.PERCENT:
            figures[indicator.ref] = round(min(1.0, max(0.0, base + chance.gauss(0, 0.02))), 2)
        elif base < 30:
            figures[indicator.ref] = float(max(0, round(base + chance.randint(-2, 2))))
        else:
            figures[indicator.ref] = float(max(0, round(base * (1 + chance.gauss(0, 0.04)))))
    _keep_within_checks(dataset, month, figures)
    return figures


def _keep_within_checks(dataset: Dataset, month: Month, figures: dict[str, Value]) -> None:
    """Stocks follow their flows, shares add up to 100%, parts are no bigger than wholes."""
    config = dataset.settings.checks
    for item in config.stock_flow:
        last = dataset.values.get((item.stock, month - 1))
        inflow, outflow = figures.get(item.inflow), figures.get(item.outflow)
        if is_number(last) and is_number(inflow) and is_number(outflow):
            figures[item.stock] = float(max(0, last + inflow - outflow))  # type: ignore[operator]
    for group in config.sum_to_100:
        shares = [figures.get(ref) for ref in group.refs]
        if all(is_number(share) for share in shares) and sum(shares) > 0:  # type: ignore[arg-type]
            total = sum(shares)  # type: ignore[arg-type]
            scaled = [round(share / total, 2) for share in shares]  # type: ignore[operator]
            scaled[-1] = round(1 - sum(scaled[:-1]), 2)
            figures.update(zip(group.refs, scaled, strict=True))
    pairs = [
        (item.numerator, item.denominator)
        for item in dataset.indicators
        if item.is_derived and item.denominator not in (None, POPULATION)
    ]
    pairs += [((item.part,), item.whole) for item in config.at_most]
    changed = True
    while changed:  # parts only ever shrink, so this ends
        changed = False
        for parts, whole in pairs:
            values, big = [figures.get(part) for part in parts], figures.get(whole)
            if not (all(is_number(value) for value in values) and is_number(big)):
                continue
            excess = sum(values) - big  # type: ignore[arg-type, operator]
            for part in reversed(parts):
                if excess <= 0:
                    break
                cut = min(excess, figures[part])  # type: ignore[type-var]
                figures[part] = figures[part] - cut  # type: ignore[operator]
                excess -= cut
                changed = True
