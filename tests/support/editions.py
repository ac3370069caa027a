"""Read the two published editions (tests/fixtures/editions/*.csv) as printed figures."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from xlscorecard.model import Unit
from xlscorecard.model.months import Month

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "editions"
EDITIONS = ["2020-04", "2020-08"]


@dataclass(frozen=True)
class Printed:
    """One printed token, with the tolerance that its rounding allows."""

    text: str

    @property
    def is_number(self) -> bool:
        return self.number is not None

    @property
    def number(self) -> float | None:
        cleaned = self.text.replace(",", "").strip()
        try:
            return float(cleaned.rstrip("%")) / (100 if cleaned.endswith("%") else 1)
        except ValueError:
            return None

    @property
    def half_step(self) -> float:
        """Half the last printed digit: 31% -> 0.005, 92.0% -> 0.0005, 1,576 -> 0.5."""
        cleaned = self.text.replace(",", "").strip().rstrip("%")
        decimals = len(cleaned.split(".")[1]) if "." in cleaned else 0
        step = 10.0**-decimals / (100 if self.text.strip().endswith("%") else 1)
        return step / 2


@cache
def edition(month: str) -> dict[str, dict[str, str]]:
    with (FIXTURES / f"{month}.csv").open(encoding="utf-8", newline="") as handle:
        return {row["ref"]: row for row in csv.DictReader(handle)}


def printed_months(month: str) -> list[Month]:
    row = next(iter(edition(month).values()))
    return [Month.parse(key) for key in row if len(key) == 7 and key[:2] == "20"]


def unit_scale(unit: Unit) -> float:
    """How a printed whole number maps to a stored value for ``unit`` (percent: 1% = 0.01)."""
    return 0.01 if unit is Unit.PERCENT else 1.0
