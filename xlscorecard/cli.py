"""The ``xlscorecard`` command: each command calls one library function; one handler turns a
:class:`ScorecardError` into ``Error: ...`` and its exit code (0 done, 1 refused or findings,
2 input that cannot be used)."""

from __future__ import annotations

from pathlib import Path

import click

from .addin.build import build_addin, install_addin
from .errors import ScorecardError
from .files import workbook_file
from .files.identity import latest_month
from .files.notices import listening
from .files.return_file import save_return_file, verify_file
from .files.signing import make_key_pair
from .files.template import save_template
from .jobs.cycle import Outcome
from .lint import lint_file
from .model import Month
from .model.months import check_month
from .version import __version__


class MonthType(click.ParamType):
    name = "YYYY-MM"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, Month):
            return value
        try:
            return check_month(Month.parse(str(value)), latest_month())
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class Commands(click.Group):
    """Reports a :class:`ScorecardError` from any command as ``Error: ...`` on stderr and
    exits with its ``exit_code``."""

    def invoke(self, ctx: click.Context):
        try:
            with listening(lambda text: click.echo(f"Note: {text}", err=True)):
                return super().invoke(ctx)
        except ScorecardError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=Commands)
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
    count = workbook_file.build_file(data_dir, month, output, template)
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
    save_template(output)
    click.echo(f"Wrote {output}.")


WORKBOOK = click.Path(dir_okay=False, path_type=Path)
NO_BACKUP = click.option(
    "--no-backup", is_flag=True, help="Do not keep the previous version as '<name> (previous)'."
)


def _report(outcome: Outcome, details: bool = True) -> None:
    if details:
        for finding in outcome.findings:
            click.echo(str(finding))
    click.echo(outcome.summary)


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@NO_BACKUP
def validate(workbook: Path, no_backup: bool) -> None:
    """Check WORKBOOK's figures; write the findings to its Checks sheet.

    Exits 0 when there are no errors (queries alone do not fail), 1 when there are errors,
    2 when the file cannot be used.
    """
    outcome = workbook_file.validate_file(workbook, backup=not no_backup)
    _report(outcome)
    raise SystemExit(1 if outcome.errors else 0)


@cli.command(name="import")
@click.argument("workbook", type=WORKBOOK)
@click.argument("extract", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@NO_BACKUP
def import_(workbook: Path, extract: Path, no_backup: bool) -> None:
    """Type the figures of EXTRACT (ref,month,value) into WORKBOOK's input cells, then check."""
    outcome = workbook_file.import_file(workbook, extract, backup=not no_backup)
    _report(outcome)


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@click.option("--to", "target", type=MonthType(), help="Roll on to this month, one at a time.")
@click.option(
    "--extract",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Fill the new month's input cells from this extract (ref,month,value).",
)
@NO_BACKUP
def refresh(workbook: Path, target: Month | None, extract: Path | None, no_backup: bool) -> None:
    """Roll WORKBOOK forward one month (or --to a month), keeping every figure and comment."""
    outcome = workbook_file.refresh_file(workbook, target, extract, backup=not no_backup)
    _report(outcome, details=False)


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export(workbook: Path, directory: Path) -> None:
    """Write WORKBOOK's data back out as a data directory (the files build reads)."""
    written = workbook_file.export_file(workbook, directory)
    click.echo(f"Wrote {len(written)} files to {directory}.")


@cli.command(name="save-return")
@click.argument("workbook", type=WORKBOOK)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the return [default: Settings return_folder, else the workbook's folder].",
)
@click.option(
    "--force",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="REASON",
    help="Save although checks block it; the reason is recorded in Audit with who and when.",
)
@click.option("--reason", help="The reason for --force (or give it as --force REASON).")
@click.option(
    "--sign",
    "key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Sign the return with this Ed25519 private key (made by xlscorecard keygen).",
)
@NO_BACKUP
def save_return(
    workbook: Path,
    out_dir: Path | None,
    force: str | None,
    reason: str | None,
    key: Path | None,
    no_backup: bool,
) -> None:
    """Save WORKBOOK's month as the official return: a macro-free, checksummed .xlsx of values
    and a PDF of its Dataset sheet, in the returns register and the workbook's Audit."""
    if reason is not None and force is None:
        raise click.UsageError("--reason goes with --force")
    if force is not None:
        force = " ".join(part for part in (force, reason or "") if part.strip())
    saved = save_return_file(workbook, out_dir, force, backup=not no_backup, sign_with=key)
    click.echo(saved.summary)


@cli.command()
@click.argument("return_file", metavar="RETURN", type=WORKBOOK)
@click.option(
    "--key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The council's public key: the return's signature must hold.",
)
@click.option(
    "--workbook",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The working workbook whose Audit recorded the return [default: the register's].",
)
def verify(return_file: Path, key: Path | None, workbook: Path | None) -> None:
    """Check an official return: what it shows against the SHA-256 it holds, its bytes and its
    PDF's against the returns register and the working workbook's Audit, and (--key) its
    signature. Names each changed cell.

    Exits 0 when it is intact, 1 when it has been changed, 2 when the file cannot be checked
    (or is a working workbook, not a return).
    """
    result = verify_file(return_file, key=key, workbook=workbook)
    if not result.intact:
        click.echo(f"Error: {result.message}", err=True)
        raise SystemExit(1)
    click.echo(result.message)


@cli.command()
@click.argument("key", type=click.Path(dir_okay=False, path_type=Path))
def keygen(key: Path) -> None:
    """Make a key pair for signing returns: KEY (private: keep it secret, give it to
    save-return --sign) and KEY.pub (public: give it to whoever verifies, verify --key)."""
    private, public = make_key_pair(key)
    click.echo(f"Wrote {private} (private: keep it secret) and {public} (public: share it).")


@cli.group()
def addin() -> None:
    """Build and install the Excel add-in (the Scorecard ribbon tab)."""


@addin.command(name="build")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("xlscorecard/addin/xlscorecard.xlam"),
    show_default=True,
    help="Where to write the add-in; the file must be named xlscorecard.xlam.",
)
def addin_build(output: Path) -> None:
    """Build the add-in, xlscorecard.xlam, from xlwings' one and xlscorecard/addin/."""
    built = build_addin(output)
    click.echo(f"Wrote {output}: ribbon and VBA for xlwings {built.xlwings_version}.")


@addin.command(name="install")
@click.option(
    "--file",
    "-f",
    "source",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The add-in to install [default: the one shipped with this package].",
)
def addin_install(source: Path | None) -> None:
    """Copy the add-in into Excel's start-up folder (Windows and macOS)."""
    installed = install_addin(source)
    click.echo(f"Installed {installed.addin}.")
    if installed.applescript:
        click.echo(f"Copied {installed.applescript} so that the add-in can start Python.")
    click.echo("Quit Excel completely and start it again to load the Scorecard tab.")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def lint(files: tuple[Path, ...]) -> None:
    """Check FILES for what makes Excel offer to repair a workbook but schema validation misses:
    table headers, defined names, sheet names, style indexes, icon sets, merges, formulas, data
    validation, the ribbon's relationship. Exits 1 when it finds any."""
    found = False
    for path in files:
        try:
            problems = lint_file(path)
        except ScorecardError as error:
            click.echo(f"Error: {error}", err=True)
            found = True
            continue
        for problem in problems:
            click.echo(f"{path}: {problem}")
        if not problems:
            click.echo(f"{path}: nothing Excel would repair.")
        found = found or bool(problems)
    raise SystemExit(1 if found else 0)


def main() -> None:
    cli()
