"""What every cell of the workbook holds for a report month: values, formulas and style names.

Pure Python: the openpyxl writer and the xlwings writer both apply the same image, so a file
built on Linux and a book refreshed in Excel hold the same contents.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

from ..calc.figures import HISTORY_MONTHS, polarity_marker
from ..model import Dataset, Indicator, Month, Unit
from ..model.tables import dataset_tables
from ..model.text import CELL_LIMIT
from ..model.values import cell_value
from . import formulas as sheet_formulas
from . import schema as sheets
from .contents import BookContents, Formula
from .layout import (
    HEADER_ROW,
    NOTE_ROW,
    POPULATION_ROW,
    SHEET,
    SUBTITLE_ROW,
    TITLE_ROW,
    WIDTHS,
    DatasetLayout,
    Field,
)
from .style_names import INPUT_STYLE, INPUT_TEXT, UNIT_STYLE

HEADERS = {
    Field.REF: "Ref.",
    Field.NAME: "Indicator",
    Field.OWNER: "Owner",
    Field.REPORTER: "Reporter",
    Field.OUTCOME: (
        "Outcome (what impact will monitoring these measures have on the experiences of "
        "our children)"
    ),
    Field.DOT: "DoT",
    Field.AVERAGE: "12-mnth avg",
    Field.MAXIMUM: "12-mnth max.",
    Field.SN: "SN",
    Field.ENG: "ENG",
    Field.SE: "SE region",
}
KEY_TEXT = (
    "Key to direction of travel:  ▲ higher is better   ▼ lower is better   "
    "↑ / ↓ change of {threshold:.0%} or more   → smaller change   "
    "shading: green = good news, red = bad news"
)
POPULATION_LABEL = "0-17 population (for rates per 10,000)"
LINE_HEIGHT = 12.0


@dataclass(frozen=True)
class Cell:
    value: object
    style: str
    number_format: str | None = None


@dataclass
class SheetImage:
    """Cells by (row, column), 1-based, with the row heights the text needs."""

    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)

    def put(self, row: int, column: int, value: object, style: str, number_format=None) -> None:
        self.cells[(row, column)] = Cell(value, style, number_format)

    def values(self, first_row: int, first_col: int, last_row: int, last_col: int) -> list[list]:
        """A 2-D block of cell values (None where nothing is written), for bulk writes."""
        return [
            [
                self.cells[(r, c)].value if (r, c) in self.cells else None
                for c in range(first_col, last_col + 1)
            ]
            for r in range(first_row, last_row + 1)
        ]


def header_text(layout: DatasetLayout, month: Month) -> dict[int, str | dt.date]:
    """The header row's texts (and month dates) by column, for report ``month``."""
    texts: dict[int, str | dt.date] = {layout.column(name): text for name, text in HEADERS.items()}
    for offset in range(HISTORY_MONTHS):
        texts[layout.month_column(offset)] = (month - offset).first_day
    texts[layout.column(Field.CHANGE_PREVIOUS)] = f"% change from {(month - 1).label}"
    texts[layout.column(Field.CHANGE_YEAR)] = f"% change from {(month - 12).label}"
    for period in layout.target_periods:
        texts[layout.target_column(period)] = f"Target {period[2:]}"
    texts[layout.column(Field.COMMENTARY)] = f"Commentary ({month.label})"
    return texts


def subtitle(dataset: Dataset, month: Month) -> str:
    return f"{month.label} {dataset.settings.report_name}"


def dataset_image(dataset: Dataset, month: Month, layout: DatasetLayout) -> SheetImage:
    """Title block, population row, header, section bands and one row per indicator."""
    settings = dataset.settings
    image = SheetImage()
    image.put(TITLE_ROW, 1, settings.title, "title")
    image.put(SUBTITLE_ROW, 1, subtitle(dataset, month), "subtitle")
    image.put(NOTE_ROW, 1, settings.council, "note")
    key = KEY_TEXT.format(threshold=settings.arrow_threshold)
    image.put(TITLE_ROW, layout.month_column(layout.visible_months - 1), key, "note")
    if settings.benchmark_note:
        image.put(NOTE_ROW, layout.column(Field.SN), settings.benchmark_note, "note")
    image.put(POPULATION_ROW, layout.column(Field.NAME), POPULATION_LABEL, "note")
    for offset in range(HISTORY_MONTHS):
        population = settings.population(month - offset)
        image.put(POPULATION_ROW, layout.month_column(offset), cell_value(population), "population")
    for column, text in header_text(layout, month).items():
        number_format = "mmm-yy" if isinstance(text, dt.date) else None
        image.put(HEADER_ROW, column, text, "header", number_format)
    image.heights[HEADER_ROW] = 48
    for band in layout.bands:
        for column in range(1, layout.last_column + 1):
            image.put(band.row, column, band.title if column == 1 else None, "band")
    for indicator in dataset.indicators:
        _indicator_row(image, dataset, month, layout, indicator)
    return image


def _indicator_row(
    image: SheetImage, dataset: Dataset, month: Month, layout: DatasetLayout, indicator: Indicator
) -> None:
    row = layout.row(indicator.ref)
    unit_style = UNIT_STYLE[indicator.unit]
    image.put(row, layout.column(Field.REF), indicator.ref, "ref")
    for name, text in (
        (Field.NAME, indicator.name),
        (Field.OWNER, indicator.owner),
        (Field.REPORTER, indicator.reporter),
        (Field.OUTCOME, indicator.outcome),
    ):
        image.put(row, layout.column(name), text or None, "text")
    formulas = sheet_formulas.row_formulas(layout, indicator)
    for offset in range(HISTORY_MONTHS):
        column = layout.month_column(offset)
        stored = cell_value(dataset.values.get((indicator.ref, month - offset)))
        typed_here = offset == 0 and not indicator.is_derived
        style = INPUT_STYLE[indicator.unit] if typed_here else unit_style
        image.put(row, column, formulas.get(column, stored), style)
    for name in (Field.CHANGE_PREVIOUS, Field.CHANGE_YEAR):
        image.put(row, layout.column(name), formulas[layout.column(name)], "change")
    marker = polarity_marker(indicator.polarity) or None
    image.put(row, layout.column(Field.DOT), marker, "marker")
    for name in (Field.AVERAGE, Field.MAXIMUM):
        image.put(row, layout.column(name), formulas[layout.column(name)], unit_style)
    benchmark = dataset.benchmarks.get(indicator.ref)
    for name, attribute in ((Field.SN, "sn"), (Field.ENG, "eng"), (Field.SE, "se")):
        value = getattr(benchmark, attribute) if benchmark else None
        image.put(row, layout.column(name), cell_value(value), unit_style)
    for period in layout.target_periods:
        value = dataset.targets.get((indicator.ref, period))
        image.put(row, layout.target_column(period), cell_value(value), unit_style)
    comment = dataset.commentary.get((indicator.ref, month))
    text = comment.text if comment else ""
    image.put(row, layout.column(Field.COMMENTARY), text or None, INPUT_TEXT)
    image.heights[row] = row_height(indicator, text)


def row_height(indicator: Indicator, commentary: str) -> float:
    """Enough height for the wrapped name, outcome and commentary (estimated from widths)."""
    lines = 1
    for text, name in (
        (indicator.name, Field.NAME),
        (indicator.outcome, Field.OUTCOME),
        (commentary, Field.COMMENTARY),
    ):
        per_line = WIDTHS[name] * 1.2
        lines = max(lines, math.ceil(len(text) / per_line))
    return max(2, lines) * LINE_HEIGHT + 3


def table_rows(dataset: Dataset, month: Month) -> dict[str, list[list[object]]]:
    """The supporting sheets' rows (below their header), by sheet name."""
    return {**data_tables(dataset), sheets.SETTINGS: settings_rows(dataset, month)}


def data_tables(dataset: Dataset) -> dict[str, list[list[object]]]:
    """The tidy data sheets' rows: Indicators, History, Commentary, Benchmarks, Targets."""
    return {sheets.TABLE_SHEETS[name]: rows for name, rows in dataset_tables(dataset).items()}


def settings_rows(dataset: Dataset, month: Month) -> list[list[object]]:
    settings = dataset.settings
    rows: list[list[object]] = [
        [sheets.FORMAT_KEY, sheets.FORMAT_VERSION],
        ["report_month", month.iso],
        ["council", settings.council],
        ["title", settings.title],
        ["report_name", settings.report_name],
        ["arrow_threshold", settings.arrow_threshold],
        ["visible_months", settings.visible_months],
        ["year_start_month", settings.year_start_month],
        ["benchmark_note", settings.benchmark_note],
    ]
    rows += [
        [f"population.{period}", cell_value(number)]
        for period, number in sorted(settings.populations.items())
    ]
    rows += [
        [key, value if isinstance(value, str | int | float) else json.dumps(value)]
        for key, value in sorted(settings.extra.items())
    ]
    return rows


def book_contents(dataset: Dataset, month: Month, name: str = "workbook") -> BookContents:
    """The cells a freshly built workbook holds, as plain grids (no file needed)."""
    layout = DatasetLayout.for_catalogue(
        dataset.indicators, dataset.target_periods, dataset.settings.visible_months
    )
    image = dataset_image(dataset, month, layout)
    grids = {SHEET: image.values(1, 1, max(r for r, _ in image.cells), layout.last_column)}
    for sheet_name, rows in table_rows(dataset, month).items():
        grids[sheet_name] = [list(sheets.COLUMNS[sheet_name]), *(list(row) for row in rows)]
    for sheet_name in (sheets.CHECKS, sheets.AUDIT):
        grids[sheet_name] = [list(sheets.COLUMNS[sheet_name])]
    for grid in grids.values():
        for row in grid:
            for index, value in enumerate(row):
                if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                    row[index] = dt.datetime(value.year, value.month, value.day)
    return BookContents(name=name, sheets=grids, formulas_known=True)


def checks_rows(findings: list, answers: dict[str, str], links: bool = True) -> list[list]:
    """The Checks sheet's rows: each finding, the reason given for it, and its cell, as a
    link (a ``HYPERLINK`` formula) or, for a return, which holds no formula, as text."""
    rows = []
    for finding in findings:
        sheet, _, cell = finding.cell.partition("!")
        link = (
            Formula(f'=HYPERLINK("#\'{sheet}\'!{cell}","{finding.cell}")')
            if cell and links
            else finding.cell
        )
        rows.append(
            [
                finding.severity.value, finding.code, link, finding.ref, finding.indicator,
                finding.month.label if finding.month else "", _fit(finding.found),
                _fit(finding.expected), _fit(finding.message), answers.get(finding.key, ""),
                finding.key,
            ]
        )  # fmt: skip
    return rows


def _fit(text: str) -> str:
    """A message quoting what was typed, shortened to fit a cell (what was typed is kept
    where it was typed)."""
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


@dataclass(frozen=True)
class InputRule:
    """In-cell data validation for one input cell: what Excel lets a person type there."""

    cell: str
    formula: str | None
    prompt_title: str
    prompt: str
    error: str


_ALLOWED = {
    Unit.COUNT: ("AND(ISNUMBER({c}),{c}>=0,{c}=INT({c}))", "a whole number of 0 or more"),
    Unit.PERCENT: ("AND(ISNUMBER({c}),{c}>=0,{c}<=1)", "a percentage from 0% to 100%"),
    Unit.RATE: ("AND(ISNUMBER({c}),{c}>=0)", "a rate of 0 or more"),
}


def input_rules(dataset: Dataset, layout: DatasetLayout) -> list[InputRule]:
    """Validation for the report month's figure of every input indicator, and its commentary.

    The texts say "this month", not a month's name, so they stay true after a refresh."""
    rules = []
    for indicator in dataset.indicators:
        title = indicator.ref[:32]
        if not indicator.is_derived:
            cell = layout.month_cell(indicator.ref, 0)
            check, words = _ALLOWED[indicator.unit]
            rules.append(
                InputRule(
                    cell=cell,
                    formula=f'OR({cell}="-",{check.format(c=cell)})',
                    prompt_title=title,
                    prompt=f"{indicator.name[:150]}: type this month's figure, {words}, or - if "
                    "it does not apply.",
                    error=f"{indicator.ref} needs {words}, or - if it does not apply.",
                )
            )
        rules.append(
            InputRule(
                cell=layout.cell(indicator.ref, Field.COMMENTARY),
                formula=None,
                prompt_title=title,
                prompt=f"Commentary on {indicator.ref} for this month.",
                error="",
            )
        )
    return rules
