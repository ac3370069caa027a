"""The Trends sheet as Excel reads it (the file's chart and drawing parts): a chart per
indicator, titled, with alt text, drawing the figures, mean, limits, target and special-cause
months from a data block of a fixed window; made again on every save."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.xml.functions import tostring

from tests.support.datadirs import sample_with_spc
from tests.support.harness import press
from xlscorecard.app import workbook_file
from xlscorecard.calc.spc_report import spc_report
from xlscorecard.errors import WorkbookError
from xlscorecard.model import Month
from xlscorecard.workbook import schema as sheets
from xlscorecard.workbook.layout import letter
from xlscorecard.workbook.trends import (
    CHARTS_ACROSS,
    DATA_COLUMN,
    DATA_COLUMNS,
    TrendsLayout,
    charts,
)
from xlscorecard.xlsx import charts as xlsx_charts
from xlscorecard.xlsx import trends as xlsx_trends
from xlscorecard.xlsx.reader import open_workbook

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
AUG = Month(2020, 8)


def trends_parts(path: Path) -> tuple[ElementTree.Element, dict[str, ElementTree.Element]]:
    """The Trends sheet's drawing and its charts by the name of their frame, as in the file."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        ids = {s.get("name"): s.get(rel) for s in workbook.iter(f"{ns}sheet")}
        sheet_path = _target(package, "xl/workbook.xml", ids[sheets.TRENDS])
        drawing_path = _target(package, sheet_path, None, kind="drawing")
        drawing = ElementTree.fromstring(package.read(drawing_path))
        found = {}
        for frame in drawing.iter(f"{XDR}graphicFrame"):
            name = frame.find(f"{XDR}nvGraphicFramePr/{XDR}cNvPr").get("name")
            chart_id = frame.find(f".//{C}chart").get(rel)
            chart_path = _target(package, drawing_path, chart_id)
            assert chart_path in names
            found[name] = ElementTree.fromstring(package.read(chart_path))
        return drawing, found


def _target(package, source: str, rel_id: str | None, kind: str | None = None) -> str:
    folder, _, name = source.rpartition("/")
    rels = ElementTree.fromstring(package.read(f"{folder}/_rels/{name}.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id or (kind and rel.get("Type").endswith(f"/{kind}")):
            target = rel.get("Target")
            if target.startswith("/"):
                return target[1:]
            parts = f"{folder}/{target}".split("/")
            resolved: list[str] = []
            for part in parts:
                if part == "..":
                    resolved.pop()
                else:
                    resolved.append(part)
            return "/".join(resolved)
    raise AssertionError(f"no relationship {rel_id or kind} from {source}")


def series_of(chart: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {ser.find(f"{C}tx/{C}v").text: ser for ser in chart.iter(f"{C}ser")}


def title_of(chart: ElementTree.Element) -> str:
    return "".join(t.text for t in chart.find(f"{C}chart/{C}title").iter(f"{A}t"))


@pytest.fixture(scope="module")
def parts(built):
    return trends_parts(built("2020-08"))


# -- a chart for every indicator ----------------------------------------------------------
def test_the_trends_sheet_comes_after_dataset(built):
    assert load_workbook(built("2020-08")).sheetnames[:2] == [sheets.DATASET, sheets.TRENDS]


def test_every_indicator_has_a_chart_titled_with_its_ref_and_name(parts, sample):
    _, found = parts
    assert list(found) == [f"Trend chart {ref}" for ref in sample.refs]
    for indicator in sample.indicators:
        assert title_of(found[f"Trend chart {indicator.ref}"]) == (
            f"{indicator.ref} {indicator.name}"
        )


def test_every_chart_has_alt_text_saying_what_it_draws_and_where_its_figures_are(parts, sample):
    drawing, _ = parts
    frames = {p.get("name"): p.get("descr") for p in drawing.iter(f"{XDR}cNvPr") if p.get("name")}
    layout = TrendsLayout.for_dataset(sample)
    for indicator in sample.indicators:
        text = frames[f"Trend chart {indicator.ref}"]
        first = layout.first_row(indicator.ref)
        assert text.startswith(f"Line chart of {indicator.ref}, {indicator.name}, over the last "
                               "24 months to the report month"), text  # fmt: skip
        assert "mean and upper and lower process limits" in text
        assert f"{letter(DATA_COLUMN)}{first}:" in text
    assert "the target" in frames["Trend chart LAC1"]
    assert "the target" not in frames["Trend chart M1"]
    assert "purple dots" in frames["Trend chart M1"]  # neither way is better
    assert "blue dots" in frames["Trend chart M8-QL"] and "orange" in frames["Trend chart M8-QL"]


def test_each_chart_draws_figures_mean_limits_and_the_special_cause_months(parts):
    _, found = parts
    assert list(series_of(found["Trend chart M8-QL"])) == [
        "Figure", "Mean", "Upper process limit", "Lower process limit", "Improvement", "Concern",
    ]  # fmt: skip
    assert list(series_of(found["Trend chart M1"]))[-1] == "Special cause"
    assert "Target" in series_of(found["Trend chart LAC1"])
    assert "Target" not in series_of(found["Trend chart M1"])


def test_special_cause_months_are_dots_in_mdc_colours_with_no_line(parts):
    _, found = parts
    colours = {"Improvement": "00B0F0", "Concern": "E46C0A", "Special cause": "490092"}
    for chart in found.values():
        for name, ser in series_of(chart).items():
            if name not in colours:
                continue
            assert ser.find(f"{C}spPr/{A}ln/{A}noFill") is not None, name
            assert ser.find(f"{C}marker/{C}symbol").get("val") == "circle"
            fill = ser.find(f"{C}marker/{C}spPr/{A}solidFill/{A}srgbClr").get("val")
            assert fill == colours[name]


def test_limits_are_dashed_and_the_target_red(parts):
    _, found = parts
    lac1 = series_of(found["Trend chart LAC1"])
    for name in ("Upper process limit", "Lower process limit"):
        assert lac1[name].find(f"{C}spPr/{A}ln/{A}prstDash").get("val") == "dash"
    target = lac1["Target"].find(f"{C}spPr/{A}ln")
    assert target.find(f"{A}solidFill/{A}srgbClr").get("val") == "C00000"


def test_each_chart_draws_its_own_rows_of_the_data_block(parts, sample):
    _, found = parts
    layout = TrendsLayout.for_dataset(sample)
    for ref in sample.refs:
        first = layout.first_row(ref)
        last = first + layout.months - 1
        for name, ser in series_of(found[f"Trend chart {ref}"]).items():
            for part in ("cat", "val"):
                (formula,) = [f.text for f in ser.find(f"{C}{part}").iter(f"{C}f")]
                match = re.fullmatch(r"'Trends'!\$([A-Z]+)\$(\d+):\$\1\$(\d+)", formula)
                assert match and (int(match[2]), int(match[3])) == (first, last), (ref, name)


def test_each_months_axis_starts_at_the_first_month_with_a_figure(parts, sample):
    _, found = parts
    axis = found["Trend chart M1"].find(f"{C}chart/{C}plotArea/{C}dateAx")
    serial = (Month(2019, 4).first_day - dt.date(1899, 12, 30)).days  # History from Apr-19
    assert float(axis.find(f"{C}scaling/{C}min").get("val")) == serial


def test_the_legend_lists_only_what_is_drawn(parts):
    """M1 has no special cause this month: no "Special cause" in its legend, though the
    series stays (a refresh in Excel may bring one); M6-QL (val) shows a concern only."""

    def legend(name: str) -> list[str]:
        chart = found[name]
        deleted = {
            int(entry.find(f"{C}idx").get("val"))
            for entry in chart.iter(f"{C}legendEntry")
            if entry.find(f"{C}delete").get("val") in ("1", "true")
        }
        return [title for index, title in enumerate(series_of(chart)) if index not in deleted]

    _, found = parts
    assert "Special cause" in series_of(found["Trend chart M1"])
    assert "Special cause" not in legend("Trend chart M1")
    assert legend("Trend chart M6-QL (val)")[-1:] == ["Concern"]
    assert legend("Trend chart M8-QL")[-2:] == ["Improvement", "Concern"]


def test_the_months_axis_is_a_date_axis_labelled_every_quarter(parts):
    _, found = parts
    axis = found["Trend chart M1"].find(f"{C}chart/{C}plotArea/{C}dateAx")
    assert axis.find(f"{C}majorUnit").get("val") == "3"
    assert axis.find(f"{C}majorTimeUnit").get("val") == "months"
    assert axis.find(f"{C}numFmt").get("formatCode") == "mmm-yy"


# -- the data block -------------------------------------------------------------------------
def block(path: Path, ref: str, dataset) -> list[dict[str, object]]:
    sheet = load_workbook(path)[sheets.TRENDS]
    layout = TrendsLayout.for_dataset(dataset)
    first = layout.first_row(ref)
    header = [sheet.cell(1, DATA_COLUMN + k).value for k in range(len(DATA_COLUMNS))]
    assert header == DATA_COLUMNS
    return [
        dict(zip(DATA_COLUMNS, row, strict=True))
        for row in sheet.iter_rows(
            min_row=first, max_row=first + layout.months - 1, min_col=DATA_COLUMN,
            max_col=DATA_COLUMN + len(DATA_COLUMNS) - 1, values_only=True,
        )
    ]  # fmt: skip


def test_the_block_holds_the_last_24_months_with_lines_from_the_full_history(built, sample):
    rows = block(built("2020-08"), "LAC1", sample)
    assert [row["month"].date() for row in rows] == [(AUG - k).first_day for k in range(23, -1, -1)]
    assert all(row["ref"] == "LAC1" for row in rows)
    result = spc_report(sample, AUG)["LAC1"]
    assert rows[-1]["figure"] == result.latest == 493
    assert rows[-1]["mean"] == pytest.approx(result.chart.mean)  # 17 months, not the 24 shown
    assert rows[-1]["upper limit"] == pytest.approx(result.chart.upper)
    assert rows[0]["figure"] is None and rows[0]["mean"] is None  # Sep-18: before History
    assert rows[-1]["target"] == 420 and rows[7]["target"] == 420  # Apr-19: the first figure
    assert rows[6]["target"] is None  # Mar-19 had a target (495), but no figure to hold to it


def test_a_special_cause_month_is_in_the_column_of_its_kind_only(built, sample):
    rows = block(built("2020-08"), "M8-QL", sample)
    result = spc_report(sample, AUG)["M8-QL"]
    for row, point in zip(rows[-len(result.months) :], result.chart.points, strict=True):
        for kind in ("improvement", "concern", "neither"):
            expected = point.value if point.variation == kind else None
            assert row[kind] == expected, (row["month"], kind)
    assert any(row["improvement"] for row in rows) and any(row["concern"] for row in rows)


def test_the_window_is_a_setting(tmp_path, sample):
    folder = sample_with_spc(tmp_path, "[spc]\nchart_months = 13\n")
    workbook_file.build_file(folder, AUG, tmp_path / "dataset.xlsx")
    _, found = trends_parts(tmp_path / "dataset.xlsx")
    formula = next(iter(series_of(found["Trend chart M2"]).values())).find(f".//{C}f").text
    assert formula == f"'Trends'!${letter(DATA_COLUMN + 1)}$15:${letter(DATA_COLUMN + 1)}$27"


# -- printing -------------------------------------------------------------------------------
def test_trends_prints_a3_landscape_one_page_wide_three_rows_of_charts_a_page(built, sample):
    sheet = load_workbook(built("2020-08"))[sheets.TRENDS]
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "8"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    layout = TrendsLayout.for_dataset(sample)
    assert [b.id for b in sheet.row_breaks.brk] == layout.page_breaks
    assert len(layout.page_breaks) == -(-len(sample.refs) // (3 * CHARTS_ACROSS)) - 1
    assert str(sheet.print_area).endswith(f"$X${layout.last_chart_row}")


# -- made again on every save ---------------------------------------------------------------
def chart_names(path: Path) -> list[str]:
    return list(trends_parts(path)[1])


@pytest.fixture
def copy(built, tmp_path) -> Path:
    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    return path


def test_every_command_that_saves_draws_the_charts_again(copy, sample, tmp_path):
    expected = [f"Trend chart {ref}" for ref in sample.refs]
    workbook_file.validate_file(copy, backup=False)
    assert chart_names(copy) == expected
    extract = tmp_path / "extract.csv"
    extract.write_text("ref,month,value\nM1,2020-08,1400\n", "utf-8")
    workbook_file.import_file(copy, extract, backup=False)
    assert chart_names(copy) == expected
    workbook_file.refresh_file(copy, backup=False)
    assert chart_names(copy) == expected


def test_a_refresh_moves_the_window_on_and_the_ranges_stay_put(copy, sample, built):
    before = trends_parts(copy)[1]["Trend chart M1"]
    workbook_file.refresh_file(copy, backup=False)
    after = trends_parts(copy)[1]["Trend chart M1"]
    assert [f.text for f in before.iter(f"{C}f")] == [f.text for f in after.iter(f"{C}f")]
    rows = block(copy, "M1", sample)
    assert rows[-1]["month"].date() == Month(2020, 9).first_day and rows[-1]["figure"] is None
    assert rows[-2]["figure"] == 1343  # Aug-20, one row up; its old row is blank now


def test_a_file_saved_by_another_openpyxl_program_gets_its_alt_text_back(copy):
    load_workbook(copy).save(copy)  # openpyxl keeps the charts but not their names or alt text
    assert not any(name.startswith("Trend chart") for name in chart_names(copy))
    workbook_file.validate_file(copy, backup=False)
    drawing, found = trends_parts(copy)
    assert len(found) == 55
    assert all(p.get("descr") for p in drawing.iter(f"{XDR}cNvPr"))


def test_a_workbook_without_trends_gets_the_sheet_on_its_next_save(copy, sample):
    book = load_workbook(copy)
    del book[sheets.TRENDS]
    book.save(copy)
    workbook_file.refresh_file(copy, backup=False)
    assert load_workbook(copy).sheetnames[1] == sheets.TRENDS
    assert len(chart_names(copy)) == len(sample.refs)


def test_refresh_month_in_excel_without_trends_writes_the_rest(copy):
    book = load_workbook(copy)
    del book[sheets.TRENDS]
    book.save(copy)
    pressed = press(copy)
    assert pressed.message.startswith("Rolled forward to Sep-20")
    assert sheets.TRENDS not in load_workbook(copy).sheetnames


def test_a_chart_of_someone_elses_on_trends_is_refused_and_nothing_changes(copy):
    book = load_workbook(copy)
    sheet = book[sheets.TRENDS]
    mine = BarChart()
    mine.add_data(Reference(book[sheets.HISTORY], min_col=3, min_row=1, max_row=10))
    sheet.add_chart(mine, "A400")
    book.save(copy)
    before = copy.read_bytes()
    with pytest.raises(
        WorkbookError, match="holds the chart at Trends!A400, which xlscorecard did not draw"
    ):
        workbook_file.validate_file(copy, backup=False)
    assert copy.read_bytes() == before


# -- the writer's hooks ----------------------------------------------------------------------
def test_loading_leaves_our_own_charts_unread_and_reads_anyone_elses(copy):
    assert open_workbook(copy)[sheets.TRENDS]._charts == []
    assert len(load_workbook(copy)[sheets.TRENDS]._charts) == 55  # openpyxl alone reads them
    book = Workbook()
    sheet = book.active
    sheet.append([1])
    chart = LineChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=1))
    sheet.add_chart(chart, "C3")
    book.save(copy.with_name("other.xlsx"))
    other = open_workbook(copy.with_name("other.xlsx"), writing=False)  # writing refuses it
    assert len(other.active._charts) == 1


def test_charts_written_from_the_first_of_their_shape_are_what_openpyxl_writes(sample):
    sheet = Workbook().active
    specs = charts(sample, AUG, TrendsLayout.for_dataset(sample))
    fast = [tostring(xlsx_charts.draw(sheet, spec)._write()) for spec in specs]
    plain = [tostring(xlsx_charts.draw(sheet, spec, LineChart)._write()) for spec in specs]
    assert fast == plain
    assert len(set(fast)) == len(fast)  # each with its own title and ranges


def test_a_save_that_forgot_to_draw_the_charts_again_is_stopped(copy, sample):
    """Loading leaves our charts unread, so a command that saved without drawing them would
    lose them: saving is refused (a fault in xlscorecard), the file as it was."""
    from xlscorecard.xlsx.save import save_workbook

    before = copy.read_bytes()
    book = open_workbook(copy)
    with pytest.raises(AssertionError, match="without drawing its Trends charts again"):
        save_workbook(book, copy, backup=False)
    assert copy.read_bytes() == before
    xlsx_trends.write_trends(book, sample, AUG)
    save_workbook(book, copy, backup=False)
    assert len(chart_names(copy)) == len(sample.refs)
