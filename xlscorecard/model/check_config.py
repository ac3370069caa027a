"""Check settings, per council: the ``[checks]`` section of the settings (council.toml's table)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SumTo100:
    refs: tuple[str, ...]
    tolerance: float = 0.02


@dataclass(frozen=True)
class StockFlow:
    stock: str
    inflow: str
    outflow: str
    tolerance: float = 5


@dataclass(frozen=True)
class AtMost:
    part: str
    whole: str


@dataclass(frozen=True)
class CheckConfig:
    """Tolerances and relationships that the rules use; defaults suit most councils."""

    range_factor: float = 1.5
    """A figure above ``range_factor`` x the 12-month maximum (or below the minimum divided by
    it) is queried."""
    big_change: float = 0.5
    """A count moving by this fraction or more from last month is queried ..."""
    big_change_minimum: float = 20
    """... when either month is at least this big."""
    sum_to_100: tuple[SumTo100, ...] = ()
    stock_flow: tuple[StockFlow, ...] = ()
    at_most: tuple[AtMost, ...] = ()


def _parse(data: object) -> CheckConfig:
    if not isinstance(data, Mapping):
        raise ValueError("the checks setting must be a table")
    unknown = sorted(set(data) - CHECK_SETTINGS)
    if unknown:
        raise ValueError(
            f"checks.{unknown[0]} is not a check setting; they are "
            f"{', '.join(sorted(CHECK_SETTINGS))} (docs/checks.md)"
        )
    return CheckConfig(
        range_factor=float(data.get("range_factor", 1.5)),
        big_change=float(data.get("big_change", 0.5)),
        big_change_minimum=float(data.get("big_change_minimum", 20)),
        sum_to_100=tuple(
            SumTo100(tuple(item["refs"]), float(item.get("tolerance", 0.02)))
            for item in data.get("sum_to_100", [])
        ),
        stock_flow=tuple(
            StockFlow(
                item["stock"], item["inflow"], item["outflow"], float(item.get("tolerance", 5))
            )
            for item in data.get("stock_flow", [])
        ),
        at_most=tuple(AtMost(item["part"], item["whole"]) for item in data.get("at_most", [])),
    )


CHECK_SETTINGS = {
    "range_factor", "big_change", "big_change_minimum", "sum_to_100", "stock_flow", "at_most",
}  # fmt: skip


def read_checks(value: object, refs: set[str]) -> CheckConfig:
    """The ``[checks]`` table (``None``: the defaults) as a :class:`CheckConfig`; raises
    ValueError with the message when it cannot be read or names a ref not in ``refs``."""
    try:
        config = _parse(value or {})
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"the [checks] settings cannot be read: {exc}") from None
    named = [
        *(("sum_to_100", ref) for group in config.sum_to_100 for ref in group.refs),
        *(
            ("stock_flow", ref)
            for item in config.stock_flow
            for ref in (item.stock, item.inflow, item.outflow)
        ),
        *(("at_most", ref) for item in config.at_most for ref in (item.part, item.whole)),
    ]
    for group, ref in named:
        if ref not in refs:
            raise ValueError(
                f"checks.{group} names {ref!r}, which is not an indicator in the catalogue"
            )
    return config
