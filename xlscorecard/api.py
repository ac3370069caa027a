"""The Python API for analysts: a workbook's or a return's data as pandas DataFrames.

``xlscorecard.open(path)`` reads a working workbook or an official return (never changing
it) and gives its figures (:meth:`Scorecard.history`), one indicator's SPC
(:meth:`Scorecard.spc`), the checks (:meth:`Scorecard.checks`) and the commentary
(:meth:`Scorecard.commentary`). See docs/api.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .calc.figures import figure
from .calc.spc_report import IndicatorSpc, history_months, indicator_spc
from .checks import Stage
from .checks.answers import answer_for
from .checks.engine import run_rules
from .errors import ScorecardError
from .model import NOT_APPLICABLE, Dataset, Month
from .model.book import LiveBook
from .model.rows import CheckRow
from .model.text import did_you_mean
from .workbook import schema as sheets
from .workbook.reading import is_return, read_book, read_return
from .xlsx.reader import contents_of, open_workbook

if TYPE_CHECKING:
    import pandas


def _pandas():
    try:
        import pandas
    except ImportError:  # pragma: no cover - the test extras bring pandas
        raise ScorecardError(
            "the Python API needs pandas: pip install 'xlscorecard[pandas]' (or pip install pandas)"
        ) from None
    return pandas


@dataclass
class Scorecard:
    """What one workbook or return holds, read once. ``dataset`` is the plain model."""

    path: Path
    dataset: Dataset
    month: Month
    """The report month."""
    is_return: bool
    """True for an official return (saved by ``save-return``), False for a working workbook."""
    _book: LiveBook | None = None
    _checks: list[list[object]] | None = None

    @property
    def council(self) -> str:
        return self.dataset.settings.council

    @property
    def refs(self) -> list[str]:
        """The indicators' refs, in the Dataset sheet's order."""
        return self.dataset.refs

    def history(self) -> pandas.DataFrame:
        """Every figure of every month, one row each: ``ref``, ``name``, ``month`` (the
        month's first day), ``value`` (a number: percentages as fractions, 0.25 for 25%;
        NaN for ``-``, not applicable), ``unit``, ``source`` (``printed``, ``entered``,
        ``imported``, ...; ``calculated`` for a derived indicator), ``derived`` (True for an
        indicator calculated from others: its figures are the workbook's calculation) and
        ``not_applicable``."""
        dataset, rows = self.dataset, []
        months = history_months(dataset, self.month)
        for indicator in dataset.indicators:
            for month in months:
                if indicator.is_derived:
                    value, source = figure(dataset, indicator.ref, month), "calculated"
                else:
                    value = dataset.values.get((indicator.ref, month))
                    source = dataset.sources.get((indicator.ref, month), "")
                if value is None:
                    continue
                rows.append(
                    {
                        "ref": indicator.ref,
                        "name": indicator.name,
                        "month": month.first_day,
                        "value": None if value == NOT_APPLICABLE else float(value),
                        "unit": indicator.unit.value,
                        "source": source,
                        "derived": indicator.is_derived,
                        "not_applicable": value == NOT_APPLICABLE,
                    }
                )
        frame = _pandas().DataFrame(rows, columns=HISTORY_COLUMNS)
        frame["month"] = _pandas().to_datetime(frame["month"])
        return frame.astype({"value": "float64", "derived": "bool", "not_applicable": "bool"})

    def spc(self, ref: str) -> pandas.DataFrame:
        """One indicator's SPC (Making Data Count's XmR chart over its whole history), a row a
        month: ``month``, ``value``, ``mean``, ``lower`` and ``upper`` (process limits),
        ``variation`` (``improvement``, ``concern``, ``neither``, ``common`` or None) and
        ``rules`` (the rules that flag it). ``.attrs`` holds what the Dataset sheet says:
        ``variation`` and ``assurance`` (the words of its cells) and ``target``."""
        spc = self.indicator_spc(ref)
        rows = [
            {
                "month": month.first_day,
                "value": point.value,
                "mean": point.mean,
                "lower": point.lower,
                "upper": point.upper,
                "variation": point.variation,
                "rules": ", ".join((*point.high, *point.low)),
            }
            for month, point in zip(spc.months, spc.chart.points, strict=True)
        ]
        frame = _pandas().DataFrame(rows, columns=SPC_COLUMNS)
        frame["month"] = _pandas().to_datetime(frame["month"])
        frame.attrs.update(
            ref=ref,
            variation=spc.variation_text,
            assurance=spc.assurance_text,
            target=spc.target,
        )
        return frame

    def indicator_spc(self, ref: str) -> IndicatorSpc:
        """One indicator's SPC as the workbook works it out (:mod:`xlscorecard.calc.spc_report`)."""
        try:
            indicator = self.dataset.indicator(ref)
        except KeyError:
            raise ScorecardError(
                f"{self.path.name} has no indicator {ref!r}{did_you_mean(ref, self.refs)}"
            ) from None
        return indicator_spc(self.dataset, indicator, self.month)

    def checks(self) -> pandas.DataFrame:
        """The month's findings, as the Checks sheet lists them: ``severity`` (the kind:
        ``error``, ``query``, ``comment``, ``missing``, ``info``), ``code``, ``cell``, ``ref``,
        ``indicator``, ``month``, ``found``, ``expected``, ``message``, ``reason`` (the answer
        given, if any). A working workbook is checked now (nothing is written); a return
        gives the checks it was saved with."""
        columns = CHECK_COLUMNS
        if self._checks is None:
            assert self._book is not None
            findings = run_rules(self._book, Stage.VALIDATE)
            answers = self.dataset.answers
            self._checks = [
                [
                    f.kind.name, f.code, f.cell, f.ref, f.indicator,
                    f.month.label if f.month else "", f.found, f.expected, f.message,
                    answer.reason if (answer := answer_for(f, answers)) else "",
                ]
                for f in findings
            ]  # fmt: skip
        return _pandas().DataFrame(self._checks, columns=columns)

    def commentary(self) -> pandas.DataFrame:
        """Every month's commentary: ``ref``, ``month`` (first day), ``text``, ``author``."""
        rows = [
            {"ref": ref, "month": month.first_day, "text": comment.text, "author": comment.author}
            for (ref, month), comment in sorted(
                self.dataset.commentary.items(),
                key=lambda item: (self.refs.index(item[0][0]), item[0][1]),
            )
        ]
        frame = _pandas().DataFrame(rows, columns=["ref", "month", "text", "author"])
        frame["month"] = _pandas().to_datetime(frame["month"])
        return frame


HISTORY_COLUMNS = [
    "ref", "name", "month", "value", "unit", "source", "derived", "not_applicable",
]  # fmt: skip
SPC_COLUMNS = ["month", "value", "mean", "lower", "upper", "variation", "rules"]
CHECK_COLUMNS = [
    "severity", "code", "cell", "ref", "indicator", "month", "found", "expected", "message",
    "reason",
]  # fmt: skip


def open_scorecard(path: Path | str) -> Scorecard:
    """Read a working workbook or an official return (``.xlsx``), changing nothing."""
    path = Path(path)
    contents = contents_of(open_workbook(path, writing=False), path.name)
    if is_return(contents):
        dataset, month = read_return(contents)
        grid = contents.sheets.get(sheets.CHECKS) or [[]]
        checks = [
            [getattr(CheckRow.from_row(row), column) for column in CHECK_COLUMNS]
            for row in grid[1:]
            if any(row)
        ]
        return Scorecard(path, dataset, month, True, _checks=checks)
    book = read_book(contents, earlier_format=True)
    return Scorecard(path, book.dataset, book.month, False, _book=book)
