"""Write a :class:`Dataset` for a report month into a workbook file (openpyxl).

This module places values, formulas and styles; it calculates nothing itself (derived cells are
formulas from :mod:`sheet_formulas`, mirrored by :mod:`calc`).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from . import sheet_formulas, sheets
from .calc import HISTORY_MONTHS, polarity_marker
from .errors import WorkbookError
from .layout import (
    HEADER_ROW,
    MONTH_WIDTH,
    NOTE_ROW,
    POPULATION_ROW,
    SHEET,
    SUBTITLE_ROW,
    TARGET_WIDTH,
    TITLE_ROW,
    WIDTHS,
    DatasetLayout,
    Field,
    address,
    letter,
    span,
)
from .model import Dataset, Indicator, Polarity, Value
from .months import Month
from .styles import UNIT_STYLE, ArrowFormat, style_name
from .template import PACKAGE_TEMPLATE

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
LINE_HEIGHT = 12.0


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


def build_workbook(dataset: Dataset, month: Month, template: Path | None = None) -> Workbook:
    """Fill the template with ``dataset`` as at report ``month``."""
    path = template or PACKAGE_TEMPLATE
    if not path.exists():
        raise WorkbookError(f"template not found: {path}")
    book = load_workbook(path)
    missing = [name for name in sheets.ORDER if name not in book.sheetnames]
    if missing:
        raise WorkbookError(f"{path} is not an xlscorecard template: no sheet {', '.join(missing)}")
    layout = DatasetLayout.for_catalogue(
        dataset.indicators, dataset.target_periods, dataset.settings.visible_months
    )
    write_dataset_sheet(book[SHEET], dataset, month, layout)
    write_supporting_sheets(book, dataset, month)
    book.properties.title = f"{dataset.settings.title} {subtitle(dataset, month)}"
    book.properties.subject = f"{dataset.settings.council}: {subtitle(dataset, month)}"
    book.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    book.active = 0
    return book


def write_dataset_sheet(
    sheet: Worksheet, dataset: Dataset, month: Month, layout: DatasetLayout
) -> None:
    """Title block, header, section bands and one row per indicator."""
    settings = dataset.settings
    last = layout.last_column
    _put(sheet, TITLE_ROW, 1, settings.title, "title")
    _put(sheet, SUBTITLE_ROW, 1, subtitle(dataset, month), "subtitle")
    _put(sheet, NOTE_ROW, 1, settings.council, "note")
    key_column = layout.month_column(layout.visible_months - 1)
    key = KEY_TEXT.format(threshold=settings.arrow_threshold)
    _put(sheet, TITLE_ROW, key_column, key, "note")
    if settings.benchmark_note:
        first, final = layout.column(Field.SN), layout.column(Field.SE)
        _put(sheet, NOTE_ROW, first, settings.benchmark_note, "note")
        sheet.merge_cells(span(NOTE_ROW, first, NOTE_ROW, final))
        sheet.cell(NOTE_ROW, first).alignment = Alignment(horizontal="center", wrap_text=True)
    _put(
        sheet,
        POPULATION_ROW,
        layout.column(Field.NAME),
        "0-17 population (for rates per 10,000)",
        "note",
    )
    for offset in range(HISTORY_MONTHS):
        population = settings.population(month - offset)
        _put(sheet, POPULATION_ROW, layout.month_column(offset), population, "population")

    for column, text in header_text(layout, month).items():
        cell = _put(sheet, HEADER_ROW, column, text, "header")
        if isinstance(text, dt.date):
            cell.number_format = "mmm-yy"

    for band in layout.bands:
        for column in range(1, last + 1):
            _put(sheet, band.row, column, band.title if column == 1 else None, "band")

    for indicator in dataset.indicators:
        write_indicator_row(sheet, dataset, month, layout, indicator)

    _set_widths(sheet, layout)
    _add_conditional_formats(sheet, dataset, layout)
    sheet.freeze_panes = address(HEADER_ROW + 1, layout.column(Field.NAME) + 1)
    sheet.print_area = span(1, 1, layout.last_row, last)
    sheet.sheet_view.zoomScale = 90


def write_indicator_row(
    sheet: Worksheet, dataset: Dataset, month: Month, layout: DatasetLayout, indicator: Indicator
) -> None:
    row = layout.row(indicator.ref)
    unit_style = UNIT_STYLE[indicator.unit]
    _put(sheet, row, layout.column(Field.REF), indicator.ref, "ref")
    _put(sheet, row, layout.column(Field.NAME), indicator.name, "text")
    _put(sheet, row, layout.column(Field.OWNER), indicator.owner, "text")
    _put(sheet, row, layout.column(Field.REPORTER), indicator.reporter, "text")
    _put(sheet, row, layout.column(Field.OUTCOME), indicator.outcome, "text")
    formulas = sheet_formulas.row_formulas(layout, indicator)
    for offset in range(HISTORY_MONTHS):
        column = layout.month_column(offset)
        value = formulas.get(
            column, cell_value(dataset.values.get((indicator.ref, month - offset)))
        )
        _put(sheet, row, column, value, unit_style)
    for name in (Field.CHANGE_PREVIOUS, Field.CHANGE_YEAR):
        _put(sheet, row, layout.column(name), formulas[layout.column(name)], "change")
    _put(
        sheet, row, layout.column(Field.DOT), polarity_marker(indicator.polarity) or None, "marker"
    )
    for name in (Field.AVERAGE, Field.MAXIMUM):
        _put(sheet, row, layout.column(name), formulas[layout.column(name)], unit_style)
    benchmark = dataset.benchmarks.get(indicator.ref)
    for name, attribute in ((Field.SN, "sn"), (Field.ENG, "eng"), (Field.SE, "se")):
        value = getattr(benchmark, attribute) if benchmark else None
        _put(sheet, row, layout.column(name), cell_value(value), unit_style)
    for period in layout.target_periods:
        value = dataset.targets.get((indicator.ref, period))
        _put(sheet, row, layout.target_column(period), cell_value(value), unit_style)
    comment = dataset.commentary.get((indicator.ref, month))
    _put(sheet, row, layout.column(Field.COMMENTARY), comment.text if comment else None, "text")
    sheet.row_dimensions[row].height = _row_height(indicator, comment.text if comment else "")


def cell_value(value: Value | str) -> float | str | None:
    """A model value as a cell holds it: numbers as numbers, ``-`` and words as text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _put(sheet: Worksheet, row: int, column: int, value: object, style: str):
    cell = sheet.cell(row, column)
    cell.value = value
    cell.style = style_name(style)
    return cell


def _row_height(indicator: Indicator, commentary: str) -> float:
    """Enough height for the wrapped name, outcome and commentary (estimated from widths)."""
    lines = 1
    for text, field in (
        (indicator.name, Field.NAME),
        (indicator.outcome, Field.OUTCOME),
        (commentary, Field.COMMENTARY),
    ):
        per_line = max(WIDTHS[field] * 1.15, 1)
        lines = max(lines, math.ceil(len(text) / per_line))
    return max(2, lines) * LINE_HEIGHT + 4


def _set_widths(sheet: Worksheet, layout: DatasetLayout) -> None:
    for name, width in WIDTHS.items():
        sheet.column_dimensions[letter(layout.column(name))].width = width
    for column in layout.month_columns:
        sheet.column_dimensions[letter(column)].width = MONTH_WIDTH
    for period in layout.target_periods:
        sheet.column_dimensions[letter(layout.target_column(period))].width = TARGET_WIDTH
    hidden = layout.hidden_month_columns
    if hidden:
        sheet.column_dimensions.group(
            letter(hidden[0]), letter(hidden[-1]), outline_level=1, hidden=True
        )
    sheet.sheet_properties.outlinePr.summaryRight = True
    sheet.row_dimensions[HEADER_ROW].height = 48


def _add_conditional_formats(sheet: Worksheet, dataset: Dataset, layout: DatasetLayout) -> None:
    arrows = ArrowFormat(dataset.settings.arrow_threshold)
    arrows.check()
    first_row = min(layout.rows.values())
    last_row = layout.last_row
    for name in (Field.CHANGE_PREVIOUS, Field.CHANGE_YEAR):
        column = layout.column(name)
        block = span(first_row, column, last_row, column)
        marker = address(first_row, layout.column(Field.DOT), absolute_col=True)
        for rule in arrows.sense_rules(
            address(first_row, column),
            marker,
            up=polarity_marker(Polarity.UP),
            down=polarity_marker(Polarity.DOWN),
        ):
            sheet.conditional_formatting.add(block, rule)
        sheet.conditional_formatting.add(block, arrows.icon_rule())


def write_supporting_sheets(book: Workbook, dataset: Dataset, month: Month) -> None:
    """Indicators, History, Commentary, Benchmarks, Targets and Settings, as tidy tables."""
    order = {ref: index for index, ref in enumerate(dataset.refs)}
    _fill(
        book[sheets.INDICATORS],
        [
            [
                item.ref,
                item.name,
                item.section,
                item.unit.value,
                item.polarity.value,
                item.owner,
                item.reporter,
                item.outcome,
                " + ".join(item.numerator),
                item.denominator or "",
            ]
            for item in dataset.indicators
        ],
    )
    _fill(
        book[sheets.HISTORY],
        [
            [ref, when.iso, cell_value(value), dataset.sources.get((ref, when), "")]
            for (ref, when), value in sorted(
                dataset.values.items(), key=lambda item: (order[item[0][0]], item[0][1])
            )
        ],
    )
    _fill(
        book[sheets.COMMENTARY],
        [
            [ref, when.iso, comment.text, comment.author]
            for (ref, when), comment in sorted(
                dataset.commentary.items(), key=lambda item: (item[0][1], order[item[0][0]])
            )
        ],
    )
    _fill(
        book[sheets.BENCHMARKS],
        [
            [ref, cell_value(b.sn), cell_value(b.eng), cell_value(b.se), b.period]
            for ref, b in sorted(dataset.benchmarks.items(), key=lambda item: order[item[0]])
        ],
    )
    _fill(
        book[sheets.TARGETS],
        [
            [ref, period, cell_value(value)]
            for (ref, period), value in sorted(
                dataset.targets.items(), key=lambda item: (order[item[0][0]], item[0][1])
            )
        ],
    )
    _fill(book[sheets.SETTINGS], settings_rows(dataset, month))


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
    rows += [[key, value] for key, value in sorted(settings.extra.items())]
    return rows


def _fill(sheet: Worksheet, rows: list[list[object]]) -> None:
    for row_index, row in enumerate(rows, start=2):
        for column_index, value in enumerate(row, start=1):
            sheet.cell(row_index, column_index, value)
    if rows:
        sheet.auto_filter.ref = span(1, 1, len(rows) + 1, len(rows[0]))
