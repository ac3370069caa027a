"""SPC settings, per council: the ``[spc]`` section of the settings (council.toml's table).

``run_length``, ``trend_length`` and ``minimum_points`` are :func:`xlscorecard.spc.xmr`'s
options; ``chart_months`` is how many months each chart on the Trends sheet shows;
``recalculate`` gives, per indicator ref, the months (``YYYY-MM``) where its limits are worked
out afresh, and ``baseline`` per ref how many months at the start of each segment fix them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .months import Month

KEY = "spc"
"""The settings key (``[spc]`` in council.toml, ``spc`` on the Settings sheet)."""
DEFAULT_CHART_MONTHS = 24
_COUNTS = {
    # key: (least, most, what it is)
    "run_length": (2, 60, "months in a shift"),
    "trend_length": (2, 60, "months in a trend"),
    "minimum_points": (2, 600, "months needed for limits and icons"),
    "chart_months": (2, 120, "months each Trends chart shows"),
}
_TABLES = ("recalculate", "baseline")


class SpcSettingError(ValueError):
    """A bad ``[spc]`` setting; ``key`` is its dotted name, like ``spc.baseline.LAC1``."""

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(message)


@dataclass(frozen=True)
class SpcConfig:
    """How each indicator's XmR chart is worked out; the defaults are MDC's."""

    run_length: int = 6
    trend_length: int | None = None
    """``None``: the same as ``run_length``."""
    minimum_points: int = 13
    chart_months: int = DEFAULT_CHART_MONTHS
    recalculate: Mapping[str, tuple[Month, ...]] = field(default_factory=dict)
    baseline: Mapping[str, int] = field(default_factory=dict)


def read_spc(data: object, refs: set[str]) -> SpcConfig:
    """The ``[spc]`` table (``None``: MDC's defaults) as an :class:`SpcConfig`; raises
    :class:`SpcSettingError` naming the key when it cannot be read or names a ref not in
    ``refs``."""
    if data is None:
        return SpcConfig()
    if not isinstance(data, Mapping):
        raise SpcSettingError(KEY, f"expected a table ([spc]), found {data!r}")
    known = {*_COUNTS, *_TABLES}
    for key in data:
        if key not in known:
            raise SpcSettingError(
                f"{KEY}.{key}", f"is not an SPC setting; they are {', '.join(sorted(known))}"
            )
    counts = {key: _count(key, data[key]) for key in _COUNTS if key in data}
    config = SpcConfig(
        **counts,
        recalculate={
            str(ref): _months(f"{KEY}.recalculate.{ref}", months)
            for ref, months in _table("recalculate", data).items()
        },
        baseline={
            str(ref): _baseline(f"{KEY}.baseline.{ref}", points)
            for ref, points in _table("baseline", data).items()
        },
    )
    for table in _TABLES:
        for ref in getattr(config, table):
            if ref not in refs:
                raise SpcSettingError(
                    f"{KEY}.{table}.{ref}", f"{ref!r} is not an indicator in the catalogue"
                )
    return config


def _count(key: str, value: object) -> int:
    least, most, what = _COUNTS[key]
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number read back from the Settings sheet
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise SpcSettingError(
            f"{KEY}.{key}", f"expected the {what}, a whole number {least}..{most}, found {value!r}"
        )
    return value


def _table(name: str, data: Mapping[str, object]) -> Mapping[str, object]:
    table = data.get(name, {})
    if not isinstance(table, Mapping):
        raise SpcSettingError(
            f"{KEY}.{name}", f"expected a table of indicator refs ([spc.{name}]), found {table!r}"
        )
    return table


def _months(key: str, value: object) -> tuple[Month, ...]:
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list | tuple) or not texts:
        raise SpcSettingError(key, f'expected a list of months like ["2020-04"], found {value!r}')
    months = []
    for text in texts:
        try:
            months.append(Month.parse(str(text)))
        except ValueError as error:
            raise SpcSettingError(key, str(error)) from None
    return tuple(sorted(set(months)))


def _baseline(key: str, value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise SpcSettingError(
            key,
            f"expected how many months fix the limits, a whole number of 2 or more, found "
            f"{value!r}",
        )
    return value
