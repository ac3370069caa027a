"""What the messages say: counts in the singular when there is one, figures and comments to do
on Dataset but queries on Checks, I501 naming its month, A601 saying there is nothing to do, no
markdown in a return."""

from __future__ import annotations

from openpyxl import load_workbook

from xlscorecard.checks import Finding, Severity
from xlscorecard.checks.testing import check, sample_book, type_into
from xlscorecard.jobs.outcome import tally
from xlscorecard.model import Month
from xlscorecard.model.book import Overwrite
from xlscorecard.workbook.layout import SHEET, Field

AUG = Month(2020, 8)


def finding(code: str, severity: Severity = Severity.ERROR, ref: str = "M1") -> Finding:
    return Finding(code, severity, "Dataset!R7", ref, "", AUG, "x", "y", "m")


def test_one_of_a_kind_is_said_in_the_singular():
    said = tally(
        [finding("C401"), finding("C402"), finding("E101"), finding("P302", Severity.QUERY)], {}
    )
    assert said == (
        "1 figure to enter, 1 comment to write on Dataset; 1 error to fix, 1 query to answer "
        "on Checks."
    )


def test_figures_and_comments_are_to_do_on_dataset_and_queries_on_checks():
    said = tally([finding("C401"), finding("C401", ref="M2"), finding("P302", Severity.QUERY)], {})
    assert said == "2 figures to enter on Dataset; 1 query to answer on Checks."


def test_refresh_says_where_the_new_months_figures_go(built, tmp_path):
    import shutil

    from xlscorecard.app import workbook_file

    path = tmp_path / "dataset.xlsx"
    shutil.copy(built("2020-08"), path)
    outcome = workbook_file.refresh_file(path, backup=False)
    assert outcome.summary.endswith("Sep-20: 41 figures to enter on Dataset.")


def test_i501_names_the_month_of_a_change_typed_over():
    book = sample_book()
    book.overwritten.append(
        Overwrite("LAC16", "AE66", "% change from Aug-19", 0.02, field=Field.CHANGE_YEAR)
    )
    (found,) = check(book, "I501")
    assert found.month == AUG and ", Aug-20:" in str(found)


def test_a601_says_there_is_nothing_to_do():
    (found,) = check(type_into(sample_book(), "M1", "2020-07", 1500), "A601")
    assert str(found).endswith(
        "Found 1,493 -> 1,500; expected nothing to do: History keeps the new figure, and Audit "
        "the old one."
    )


def test_the_returns_block_has_no_markdown(official_return):
    sheet = load_workbook(official_return)[SHEET]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [text for text in texts if "`" in text]
    assert any("; xlscorecard verify recomputes it." in text for text in texts)


def test_a_comment_to_write_is_printed_listed_and_counted_as_a_comment_at_every_stage():
    from xlscorecard.checks import Stage
    from xlscorecard.checks.answers import checks_rows

    book = type_into(sample_book(), "LAC16", "2020-08", 200)
    book.commentary_cells["LAC16"] = ""
    for stage in (Stage.VALIDATE, Stage.RETURN):
        (found,) = [f for f in check(book, "C402", stage) if f.ref == "LAC16"]
        assert str(found).startswith("COMMENT C402 ")
        assert checks_rows([found], {})[0][0] == "comment"
        assert tally([found], {}) == "1 comment to write on Dataset."
