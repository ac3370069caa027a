"""The ``xlscorecard`` command: each command calls one library function and reports its errors."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .build import build as build_workbook_file
from .build import write_template
from .errors import ScorecardError
from .months import Month


class MonthType(click.ParamType):
    name = "YYYY-MM"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, Month):
            return value
        try:
            return Month.parse(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _fail(error: ScorecardError) -> click.ClickException:
    return click.ClickException(str(error))


@click.group()
@click.version_option(__version__, prog_name="xlscorecard")
def cli() -> None:
    """Build, check, roll forward and publish the monthly children's services dataset."""


@cli.command()
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--month", "-m", type=MonthType(), required=True, help="Report month, YYYY-MM.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A restyled copy of workbook_template.xlsx to fill instead of the bundled one.",
)
def build(data_dir: Path, month: Month, output: Path, template: Path | None) -> None:
    """Build the formatted dataset workbook for MONTH from the files in DATA_DIR."""
    try:
        count = build_workbook_file(data_dir, month, output, template)
    except ScorecardError as error:
        raise _fail(error) from None
    click.echo(f"Wrote {output}: {count} indicators, {month.label}.")


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("workbook_template.xlsx"),
    show_default=True,
)
def template(output: Path) -> None:
    """Regenerate the styled, empty workbook template from code."""
    try:
        write_template(output)
    except ScorecardError as error:
        raise _fail(error) from None
    click.echo(f"Wrote {output}.")


def main() -> None:
    cli()
