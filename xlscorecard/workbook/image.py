"""What every cell of the workbook holds for a report month: values, formulas and style names.

Pure Python: the openpyxl writer and the xlwings writer both apply the same image, so a file
built on Linux and a book refreshed in Excel hold the same contents.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

from ..calc.dfe_benchmarks import benchmark_note, region_label
from ..calc.figures import HISTORY_MONTHS, polarity_marker, with_calculated
from ..calc.spc_report import IndicatorSpc, spc_report
from ..model import NOT_APPLICABLE, Dataset, Indicator, Month, Settings, Unit
from ..model.tables import dataset_tables
from ..model.values import cell_value
from . import formulas as sheet_formulas
from . import schema as sheets
from .contents import BookContents
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
from .style_names import INPUT_STYLE, INPUT_TEXT, SPC_STYLE, UNIT_STYLE

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
    Field.VARIATION: "Variation",
    Field.ASSURANCE: "Assurance",
    Field.AVERAGE: "12-mnth avg",
    Field.MAXIMUM: "12-mnth max.",
    Field.SN: "SN",
    Field.ENG: "ENG",
}
"""The headings that are the same for every council (the region's comes from its settings)."""
KEY_TEXT = (
    "Key to direction of travel:  ▲ higher is better   ▼ lower is better   "
    "↑ / ↓ change of {threshold:.0%} or more   → smaller change   "
    "shading: green = good news, red = bad news"
)
COLUMN_NAMES = {
    Field.REF: "ref",
    Field.NAME: "indicator name",
    Field.OWNER: "owner",
    Field.REPORTER: "reporter",
    Field.OUTCOME: "outcome",
    Field.CHANGE_PREVIOUS: "% change from last month",
    Field.CHANGE_YEAR: "% change from a year ago",
    Field.DOT: "direction of travel (DoT)",
    Field.VARIATION: "Variation (SPC)",
    Field.ASSURANCE: "Assurance (SPC)",
    Field.AVERAGE: "12-month average",
    Field.MAXIMUM: "12-month maximum",
    Field.SN: "statistical neighbours benchmark (SN)",
    Field.ENG: "England benchmark (ENG)",
    Field.COMMENTARY: "commentary",
}
SPC_KEY_TEXT = (
    "Variation (the latest month) and Assurance (the target), as NHS Making Data Count reads "
    "them:  ● a signal, or a target reliably met or missed   ○ common cause, or hit or miss;  "
    "blue = improvement or pass, orange = concern or fail, purple = neither way is better, "
    "grey = no signal.  Charts: Trends sheet."
)
POPULATION_LABEL = "0-17 population (for rates per 10,000)"
LINE_HEIGHT = 12.0
NOTE_LINE_HEIGHT = 11.0
NOTE_CHARACTERS = 1.25
"""Characters of the 9-point note per unit of column width (it wraps over the benchmarks)."""


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


def header_text(
    layout: DatasetLayout, month: Month, settings: Settings
) -> dict[int, str | dt.date]:
    """The header row's texts (and month dates) by column, for report ``month``."""
    texts: dict[int, str | dt.date] = {
        layout.column(name): text for name, text in HEADERS.items() if layout.has(name)
    }
    if layout.has(Field.SE):
        texts[layout.column(Field.SE)] = region_label(settings)
    for offset in range(HISTORY_MONTHS):
        texts[layout.month_column(offset)] = (month - offset).first_day
    texts[layout.column(Field.CHANGE_PREVIOUS)] = f"% change from {(month - 1).label}"
    texts[layout.column(Field.CHANGE_YEAR)] = f"% change from {(month - 12).label}"
    for period in layout.target_periods:
        texts[layout.target_column(period)] = f"Target {period[2:]}"
    texts[layout.column(Field.COMMENTARY)] = f"Commentary ({month.label})"
    return texts


def column_names(layout: DatasetLayout, month: Month, settings: Settings) -> dict[int, str]:
    """Each column of the Dataset sheet in words, by column: ``the commentary column``."""
    names = {
        layout.column(name): f"the {words} column"
        for name, words in COLUMN_NAMES.items()
        if layout.has(name)
    }
    if layout.has(Field.SE):
        label = region_label(settings)
        names[layout.column(Field.SE)] = f"the region benchmark ({label}) column"
    for offset in range(HISTORY_MONTHS):
        names[layout.month_column(offset)] = f"the month column for {(month - offset).label}"
    for period in layout.target_periods:
        names[layout.target_column(period)] = f"the target column for {period}"
    return names


def subtitle(dataset: Dataset, month: Month) -> str:
    return f"{month.label} {dataset.settings.report_name}"


def dataset_image(
    dataset: Dataset,
    month: Month,
    layout: DatasetLayout,
    report: dict[str, IndicatorSpc] | None = None,
) -> SheetImage:
    """Title block, population row, header, section bands and one row per indicator.

    ``report``: the indicators' SPC (:func:`spc_report`), worked out here when not given."""
    settings = dataset.settings
    report = report if report is not None else spc_report(dataset, month)
    image = SheetImage()
    image.put(TITLE_ROW, 1, settings.title, "title")
    image.put(SUBTITLE_ROW, 1, subtitle(dataset, month), "subtitle")
    image.put(NOTE_ROW, 1, settings.council, "note")
    key = KEY_TEXT.format(threshold=settings.arrow_threshold)
    keys = layout.column(Field.OUTCOME)  # right of the title, with the width the keys need
    image.put(TITLE_ROW, keys, key, "note")
    image.put(SUBTITLE_ROW, keys, SPC_KEY_TEXT, "note")
    note = benchmark_note(dataset.benchmarks, settings.benchmark_note)
    if note:
        image.put(NOTE_ROW, layout.column(Field.SN), note, "benchmark note")
        width = sum(WIDTHS[name] for name in (Field.SN, Field.ENG, Field.SE))
        lines = math.ceil(len(note) / (width * NOTE_CHARACTERS))
        image.heights[NOTE_ROW] = max(1, lines) * NOTE_LINE_HEIGHT + 4
    image.put(POPULATION_ROW, layout.column(Field.NAME), POPULATION_LABEL, "note")
    for offset in range(HISTORY_MONTHS):
        population = settings.population(month - offset)
        image.put(POPULATION_ROW, layout.month_column(offset), cell_value(population), "population")
    for column, text in header_text(layout, month, settings).items():
        number_format = "mmm-yy" if isinstance(text, dt.date) else None
        image.put(HEADER_ROW, column, text, "header", number_format)
    image.heights[HEADER_ROW] = 48
    for band in layout.bands:
        for column in range(1, layout.last_column + 1):
            image.put(band.row, column, band.title if column == 1 else None, "band")
    for indicator in dataset.indicators:
        _indicator_row(image, dataset, month, layout, indicator)
        put_spc(image, layout, report[indicator.ref])
    return image


def put_spc(image: SheetImage, layout: DatasetLayout, spc: IndicatorSpc) -> None:
    """An indicator's Variation and Assurance cells: words, coloured by conditional formats
    keyed on them (so that a refresh writing values alone keeps the colours right)."""
    row = layout.row(spc.ref)
    image.put(row, layout.column(Field.VARIATION), spc.variation_text, SPC_STYLE)
    image.put(row, layout.column(Field.ASSURANCE), spc.assurance_text, SPC_STYLE)


def spc_image(
    dataset: Dataset,
    month: Month,
    layout: DatasetLayout,
    report: dict[str, IndicatorSpc] | None = None,
) -> SheetImage:
    """The Variation and Assurance cells alone, for a command that leaves the rest as it is."""
    image = SheetImage()
    report = report if report is not None else spc_report(dataset, month)
    for spc in report.values():
        put_spc(image, layout, spc)
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


def table_heights(name: str, rows: list[list[object]]) -> dict[int, float]:
    """Heights for the rows of a supporting sheet (sheet rows, from 2) whose wrapped texts
    need more than one line, estimated from the column widths as :func:`row_height` does."""
    columns = sheets.COLUMNS.get(name, [])
    wrapped = [
        (columns.index(column), sheets.WIDTHS[name][columns.index(column)] * 1.2)
        for column in sheets.WRAPPED.get(name, set())
    ]
    heights = {}
    for number, row in enumerate(rows, start=2):
        lines = max(
            (
                math.ceil(len(str(row[i])) / per_line)
                for i, per_line in wrapped
                if i < len(row) and row[i]
            ),
            default=1,
        )
        if lines > 1:
            heights[number] = lines * LINE_HEIGHT + 3
    return heights


def table_rows(dataset: Dataset, month: Month) -> dict[str, list[list[object]]]:
    """The supporting sheets' rows (below their header), by sheet name."""
    return {**data_tables(dataset), sheets.SETTINGS: settings_rows(dataset, month)}


def data_tables(dataset: Dataset) -> dict[str, list[list[object]]]:
    """The tidy data sheets' rows: Indicators, History, Commentary, Benchmarks, Targets.
    History holds every figure as the Dataset sheet shows it: derived indicators' calculated
    from their parts (:func:`with_calculated`)."""
    tables = dataset_tables(with_calculated(dataset))
    return {sheets.TABLE_SHEETS[name]: rows for name, rows in tables.items()}


def history_count(dataset: Dataset) -> int:
    """How many figures History holds that are not calculated (those are made again)."""
    derived = {item.ref for item in dataset.indicators if item.is_derived}
    return sum(ref not in derived for ref, _ in dataset.values)


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
    rows.append([sheets.HISTORY_ROWS_KEY, history_count(dataset)])
    rows += [
        [f"population.{period}", cell_value(number)]
        for period, number in sorted(settings.populations.items())
    ]
    rows += [
        [key, value if isinstance(value, str | int | float) else json.dumps(value)]
        for key, value in sorted(settings.as_given.items())
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


@dataclass(frozen=True)
class InputRule:
    """In-cell data validation for one input cell: what Excel lets a person type there."""

    cell: str
    formula: str | None
    prompt_title: str
    prompt: str
    error: str


_ALLOWED = {
    Unit.COUNT: ("AND({c}>=0,{c}=INT({c}))", "a whole number of 0 or more"),
    Unit.PERCENT: ("AND({c}>=0,{c}<=1)", "a percentage from 0% to 100%"),
    Unit.RATE: ("{c}>=0", "a rate of 0 or more"),
}
"""What a number typed into an input cell must be, by unit (checked only for numbers)."""


def allowed_entry(cell: str, unit: Unit) -> str:
    """The validation formula of an input cell: a number as its unit allows, or ``-``.

    Excel's AND and OR evaluate every argument and pass an error on, so the number test
    must not see text (``INT("-")`` is ``#VALUE!``, which refuses the entry): IF, which
    evaluates only the branch it takes, keeps the two apart."""
    check = _ALLOWED[unit][0].format(c=cell)
    return f'IF(ISNUMBER({cell}),{check},{cell}="{NOT_APPLICABLE}")'


def input_rules(dataset: Dataset, layout: DatasetLayout) -> list[InputRule]:
    """Validation for the report month's figure of every input indicator, and its commentary.

    The texts say "this month", not a month's name, so they stay true after a refresh."""
    rules = []
    for indicator in dataset.indicators:
        title = indicator.ref[:32]
        if not indicator.is_derived:
            cell = layout.month_cell(indicator.ref, 0)
            words = _ALLOWED[indicator.unit][1]
            rules.append(
                InputRule(
                    cell=cell,
                    formula=allowed_entry(cell, indicator.unit),
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
