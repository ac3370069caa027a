"""The plain data model: a catalogue of indicators, their monthly values and the words around them.

Nothing here knows about Excel or files; loaders fill it and writers read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from .months import Month
from .settings import Settings

NOT_APPLICABLE: Final = "-"
"""The value of a cell that does not apply this month (printed ``-``), as opposed to missing."""

Value = float | str | None
"""A monthly figure: a number, :data:`NOT_APPLICABLE`, or ``None`` for "not yet known"."""


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    RATE = "rate_per_10k"


class Polarity(StrEnum):
    UP = "up"
    DOWN = "down"
    NONE = "none"


POPULATION: Final = "population"
"""The denominator name of a rate: the 0-17 population of the month's reporting year."""


@dataclass(frozen=True)
class Indicator:
    """One row of the dataset.

    A derived indicator has ``numerator`` refs (added together) and a ``denominator`` ref, or
    :data:`POPULATION` for a rate per 10,000; its figures are calculated, never typed.
    """

    ref: str
    name: str
    section: str
    unit: Unit
    polarity: Polarity
    owner: str = ""
    reporter: str = ""
    outcome: str = ""
    numerator: tuple[str, ...] = ()
    denominator: str | None = None

    @property
    def is_derived(self) -> bool:
        return bool(self.numerator)


@dataclass(frozen=True)
class Benchmark:
    """Comparators for one indicator; each a number or a word (``Local``, ``suppressed``).

    ``source`` says where they come from (``xlscorecard benchmarks`` writes it; blank when typed).
    """

    sn: Value | str
    eng: Value | str
    se: Value | str
    period: str = ""
    source: str = ""


@dataclass(frozen=True)
class Comment:
    text: str
    author: str = ""


def answer_key(code: str, ref: str, month: Month | None) -> str:
    """What a query is about, ``P302|CP2|2020-08``: the same wherever its cell is."""
    return "|".join([code, ref, month.iso if month else ""])


@dataclass(frozen=True)
class Answer:
    """A reason given for a query. It answers the query of check ``code`` on ``ref`` for
    ``month`` while the query finds what it found when answered (``found``, the figures it
    answered); when they change the query is open again, and the answer is kept."""

    code: str
    ref: str
    month: Month | None
    found: str
    reason: str
    by: str = ""
    at: str = ""
    replaced: str = ""
    """When and by whom a later answer (or clearing it) replaced this one; blank while it
    stands. The Answers sheet keeps replaced answers below the ones that stand."""

    @property
    def key(self) -> str:
        return answer_key(self.code, self.ref, self.month)


@dataclass
class Dataset:
    """Everything the workbook shows, keyed by indicator ref and month."""

    settings: Settings
    indicators: list[Indicator]
    values: dict[tuple[str, Month], Value] = field(default_factory=dict)
    sources: dict[tuple[str, Month], str] = field(default_factory=dict)
    commentary: dict[tuple[str, Month], Comment] = field(default_factory=dict)
    benchmarks: dict[str, Benchmark] = field(default_factory=dict)
    targets: dict[tuple[str, str], Value | str] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    """Reasons given for queries, by :func:`answer_key`."""
    replaced_answers: list[Answer] = field(default_factory=list)
    """Answers since replaced or withdrawn (each says when and by whom), oldest first."""

    _by_ref: tuple[list[Indicator], int, dict[str, Indicator]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def indicator(self, ref: str) -> Indicator:
        """The indicator with ``ref`` (KeyError if none), found through an index that is made
        again whenever ``indicators`` is replaced or changes length."""
        index = self._by_ref
        if index is None or index[0] is not self.indicators or index[1] != len(self.indicators):
            index = (self.indicators, len(self.indicators), {i.ref: i for i in self.indicators})
            self._by_ref = index
        return index[2][ref]

    @property
    def refs(self) -> list[str]:
        return [item.ref for item in self.indicators]

    @property
    def months(self) -> list[Month]:
        """Every month holding at least one stored value, oldest first."""
        return sorted({month for _, month in self.values})

    @property
    def target_periods(self) -> list[str]:
        return sorted({period for _, period in self.targets})
