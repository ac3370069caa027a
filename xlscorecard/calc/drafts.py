"""A first draft of each indicator's commentary, in plain sentences built from its figures only.

What a draft says comes from the same calculation the sheet shows (:func:`figures.report_row`
and :func:`spc_report.indicator_spc`): the month's figure and its change from last month and
from a year ago, where it sits against the 12-month average and maximum, the benchmarks and
the target, and the SPC reading. Figures are rounded as the sheet's number formats show them
(whole numbers, whole percentages, rounding half away from zero as Excel does); the verb
follows the arrow (``rose`` only with an up arrow, ``fell`` only with a down one), so a draft
never contradicts the sheet. No cause is ever given: that is the reporter's to write.

The words are templates a council can change in the ``[drafts]`` table of council.toml (kept
in Settings); :data:`TEMPLATES` are the defaults. A draft is never a comment: it is shown
beside the commentary, for a person to write or accept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..model import Dataset, Indicator, Month, Polarity, Settings, Unit, Value
from ..model.settings import DRAFTS_KEY
from .figures import Arrow, Change, ReportRow, Sense, is_number, report_row
from .spc_report import IndicatorSpc, indicator_spc

TEMPLATES: dict[str, str] = {
    # the month against last month: the verb follows the arrow
    "rise": "{name} rose {change} from {previous} to {figure}",
    "fall": "{name} fell {change} from {previous} to {figure}",
    "steady": "{name} was {figure} in {month}, within {threshold} of {previous} ({moved})",
    "same": "{name} was {figure} in {month}, a change of {change} from {previous}",
    "alone": "{name} was {figure} in {month}",
    "no_figure": "{name} has no figure for {month} yet.",
    # how a rise or fall reads, by the indicator's direction of travel
    "good": "{movement}, which is good here",
    "bad": "{movement}, which is not good here",
    # the month against a year ago
    "year_rise": "{change} higher than in {year_ago}",
    "year_fall": "{change} lower than in {year_ago}",
    "year_steady": "within {threshold} of {year_ago} ({moved})",
    "year_same": "a change of {change} from {year_ago}",
    # where it sits: one sentence, "It is ..."
    "sits": "It is {where}.",
    # the 12 months
    "above_average": "above the 12-month average of {average}",
    "below_average": "below the 12-month average of {average}",
    "at_average": "in line with the 12-month average of {average}",
    "at_maximum": "the highest in 12 months",
    "under_maximum": "under the 12-month maximum of {maximum}",
    # benchmarks (each of the sheet's columns that holds a number)
    "above_benchmarks": "above {benchmarks}",
    "below_benchmarks": "below {benchmarks}",
    "at_benchmarks": "in line with {benchmarks}",
    "benchmark": "the {who} figure of {value}",
    "sn": "statistical neighbour",
    "eng": "England",
    "se": "regional",
    # the target for the month's reporting year
    "target_met": "It meets the target of {target}.",
    "target_missed": "It misses the target of {target}.",
    "target_none": "The target is {target}.",
    # SPC (Making Data Count): the Variation and Assurance readings
    "common": "The change is within normal variation.",
    "improvement": "SPC shows a special cause of improvement ({side}).",
    "concern": "SPC shows a special cause of concern ({side}).",
    "neither": "SPC shows a special cause ({side}), where neither direction is better.",
    "too_few": "There are too few months yet for an SPC reading.",
    "high": "unusually high",
    "low": "unusually low",
    "pass": "SPC says the target is reliably met.",
    "fail": "SPC says the target will not be met without a change.",
    "hit-or-miss": "SPC says the target may or may not be met.",
}
"""The default words of a draft; ``{name}`` and the rest are filled from the figures."""


GAPS = (
    "name", "month", "previous", "year_ago", "threshold", "figure", "change", "moved",
    "movement", "where", "average", "maximum", "benchmarks", "who", "value", "target", "side",
)  # fmt: skip
"""What the templates' ``{gaps}`` may be (each template uses those its place gives)."""


class DraftSettingsError(ValueError):
    """A ``[drafts]`` table naming a template that does not exist, or one that is not text."""


def templates(settings: Settings | None = None) -> dict[str, str]:
    """The default templates, with the council's ``[drafts]`` table (Settings ``drafts``)
    over them. Raises :class:`DraftSettingsError` for an unknown key."""
    chosen = dict(TEMPLATES)
    if settings is None:
        return chosen
    if DRAFTS_KEY in settings.refused:
        raise DraftSettingsError(settings.refused[DRAFTS_KEY])
    for key, text in settings.drafts.items():
        if key not in TEMPLATES:
            raise DraftSettingsError(
                f"{DRAFTS_KEY}.{key} is not a draft template; they are "
                f"{', '.join(sorted(TEMPLATES))} (docs/commentary.md)"
            )
        if not isinstance(text, str):
            raise DraftSettingsError(f"{DRAFTS_KEY}.{key} must be text, not {text!r}")
        try:
            text.format(**dict.fromkeys(GAPS, ""))
        except (KeyError, IndexError, ValueError) as exc:
            raise DraftSettingsError(
                f"{DRAFTS_KEY}.{key} = {text!r} cannot be filled ({type(exc).__name__}: "
                f"{exc}): its gaps are in braces, from {', '.join('{' + g + '}' for g in GAPS)}"
            ) from None
        chosen[key] = text
    return chosen


# -- figures as the sheet shows them ---------------------------------------------------------
def rounded(number: float) -> int:
    """A number rounded to a whole one as Excel rounds for display: half away from zero."""
    return int(Decimal(repr(number)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def shown(value: Value, unit: Unit) -> str:
    """A figure as the sheet's number format shows it: ``1,234``, ``88%``, ``52``; ``-``."""
    if not is_number(value):
        return str(value) if value not in (None, "") else "blank"
    number = float(value)  # type: ignore[arg-type]
    if unit is Unit.PERCENT:
        return f"{rounded(number * 100)}%"
    return f"{rounded(number):,}"


def shown_change(change: float) -> str:
    """A % change's size as the % change column shows it (``0%``), without its sign: ``24%``."""
    return f"{rounded(abs(change) * 100)}%"


# -- the draft ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Draft:
    """An indicator's draft: the text, and what it was built from (for tests and readers)."""

    ref: str
    text: str
    figure: str
    """The month's figure as the sheet shows it (``blank`` without one)."""
    change: str | None
    """The change from last month as the sheet shows it (``24%``), None where it is n/a."""
    arrow: Arrow | None


def subject(indicator: Indicator) -> str:
    """``The number of new referrals ...`` from ``Number of new referrals ...``."""
    name = indicator.name.strip().rstrip(".").strip() or indicator.ref
    first, _, rest = name.partition(" ")
    if first in {"Number", "Percentage", "Rate", "Proportion"}:
        return f"The {first.lower()} {rest}".rstrip()
    return name


def draft(
    dataset: Dataset,
    indicator: Indicator,
    month: Month,
    spc: IndicatorSpc | None = None,
    words: Mapping[str, str] | None = None,
) -> Draft:
    """The draft for ``indicator``'s report ``month``. ``spc``: its SPC (:func:`indicator_spc`)
    when already worked out; ``words``: :func:`templates`, if already read."""
    words = words or templates(dataset.settings)
    row = report_row(dataset, indicator, month)
    spc = spc or indicator_spc(dataset, indicator, month)
    unit = indicator.unit
    name = subject(indicator)
    fill = {
        "name": name,
        "month": month.label,
        "previous": (month - 1).label,
        "year_ago": (month - 12).label,
        "threshold": f"{rounded(dataset.settings.arrow_threshold * 100)}%",
        "figure": shown(row.current, unit),
    }
    if not is_number(row.current):
        text = words["no_figure"].format(**fill)
        return Draft(indicator.ref, text, fill["figure"], None, None)
    first = _first_clause(row.from_previous, indicator.polarity, words, fill)
    year = _year_clause(row.from_last_year, words, fill)
    sentences = [f"{first}, {year}." if year else f"{first}."]
    where = [
        _listed(clauses)
        for clauses in (
            _window_clauses(row, unit, words),
            _benchmark_clauses(dataset, indicator, row, words),
        )
        if clauses
    ]
    if where:
        sentences.append(words["sits"].format(where="; ".join(where)))
    target = _target_sentence(indicator, row, spc, words)
    if target:
        sentences.append(target)
    sentences += _spc_sentences(spc, words)
    change = row.from_previous.value
    return Draft(
        indicator.ref,
        " ".join(sentence[0].upper() + sentence[1:] for sentence in sentences),
        fill["figure"],
        None if change is None else shown_change(change),
        row.from_previous.arrow,
    )


def drafts(dataset: Dataset, month: Month, spc: Mapping[str, IndicatorSpc] | None = None):
    """Every indicator's draft for report ``month``, by ref, in catalogue order."""
    words = templates(dataset.settings)
    return {
        indicator.ref: draft(dataset, indicator, month, (spc or {}).get(indicator.ref), words)
        for indicator in dataset.indicators
    }


def _first_clause(change: Change, polarity: Polarity, words, fill: dict[str, str]) -> str:
    if change.value is None or change.arrow is None:
        return words["alone"].format(**fill)
    size = shown_change(change.value)
    if change.arrow is Arrow.UP:
        movement = words["rise"].format(**fill, change=size)
    elif change.arrow is Arrow.DOWN:
        movement = words["fall"].format(**fill, change=size)
    elif size == "0%":
        return words["same"].format(**fill, change=size)
    else:
        moved = f"{'up' if change.value > 0 else 'down'} {size}"
        return words["steady"].format(**fill, moved=moved)
    if change.sense is Sense.GOOD:
        return words["good"].format(movement=movement)
    if change.sense is Sense.BAD:
        return words["bad"].format(movement=movement)
    return movement


def _year_clause(change: Change, words, fill: dict[str, str]) -> str:
    if change.value is None or change.arrow is None:
        return ""
    size = shown_change(change.value)
    if change.arrow is Arrow.UP:
        return words["year_rise"].format(**fill, change=size)
    if change.arrow is Arrow.DOWN:
        return words["year_fall"].format(**fill, change=size)
    if size == "0%":
        return words["year_same"].format(**fill, change=size)
    moved = f"{'up' if change.value > 0 else 'down'} {size}"
    return words["year_steady"].format(**fill, moved=moved)


def _compare(value: float, other: float, unit: Unit) -> int:
    """-1, 0 or 1 as the sheet shows them: equal when they look the same."""
    if shown(value, unit) == shown(other, unit):
        return 0
    return -1 if value < other else 1


def _window_clauses(row: ReportRow, unit: Unit, words) -> list[str]:
    current = float(row.current)  # type: ignore[arg-type]
    clauses = []
    if row.average is not None:
        average = shown(row.average, unit)
        key = {1: "above_average", -1: "below_average", 0: "at_average"}
        clauses.append(words[key[_compare(current, row.average, unit)]].format(average=average))
    if row.maximum is not None:
        if current >= row.maximum:
            clauses.append(words["at_maximum"])
        else:
            clauses.append(words["under_maximum"].format(maximum=shown(row.maximum, unit)))
    return clauses


def _benchmark_clauses(dataset: Dataset, indicator: Indicator, row: ReportRow, words) -> list[str]:
    benchmark = dataset.benchmarks.get(indicator.ref)
    if benchmark is None:
        return []
    current = float(row.current)  # type: ignore[arg-type]
    sides: dict[int, list[str]] = {1: [], -1: [], 0: []}
    for key in ("sn", "eng", "se"):
        value = getattr(benchmark, key)
        if is_number(value):
            side = _compare(current, float(value), indicator.unit)
            text = words["benchmark"].format(who=words[key], value=shown(value, indicator.unit))
            sides[side].append(text)
    clauses = [
        words[template].format(benchmarks=_listed(sides[side]))
        for side, template in ((-1, "below_benchmarks"), (1, "above_benchmarks"),
                               (0, "at_benchmarks"))
        if sides[side]
    ]  # fmt: skip
    return clauses


def _target_sentence(indicator: Indicator, row: ReportRow, spc: IndicatorSpc, words) -> str:
    if spc.target is None:
        return ""
    current = float(row.current)  # type: ignore[arg-type]
    target = shown(spc.target, indicator.unit)
    if indicator.polarity is Polarity.NONE:
        return words["target_none"].format(target=target)
    met = current >= spc.target if indicator.polarity is Polarity.UP else current <= spc.target
    return words["target_met" if met else "target_missed"].format(target=target)


def _spc_sentences(spc: IndicatorSpc, words) -> list[str]:
    icon = spc.variation_icon
    if icon is None:
        sentences = [words["too_few"]]
    elif icon == "common":
        sentences = [words["common"]]
    else:
        kind, _, side = icon.partition("-")
        sentences = [words[kind].format(side=words[side])]
    if spc.chart.assurance_icon is not None:
        sentences.append(words[spc.chart.assurance_icon])
    return sentences


def _listed(items: list[str]) -> str:
    """``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


__all__ = [
    "TEMPLATES",
    "Draft",
    "DraftSettingsError",
    "draft",
    "drafts",
    "rounded",
    "shown",
    "shown_change",
    "subject",
    "templates",
]
