"""The ``xlscorecard`` command: each command calls one library function; one handler turns a
:class:`ScorecardError` into ``Error: ...`` and its exit code. Every command exits 0 when it
is done, 1 when it refused (nothing changed) or found something to deal with (errors in the
figures, a changed return, a file Excel would repair), 2 when its input cannot be used.

The developers' tools (``lint``, ``template``, ``addin build``) run as any command but are
hidden from ``--help``, which is the users'; docs/cli.md documents them for developers."""

from __future__ import annotations

from pathlib import Path

import click

from .addin.build import build_addin, install_addin
from .app import workbook_file
from .app.figures_file import figures_file
from .app.lite_file import lite_file
from .app.return_file import save_return_file, verify_file
from .calc.dfe_benchmarks import Average, Year
from .checks.answers import answer_for, reopened
from .datadir.dfe_tables import update_benchmarks
from .errors import ScorecardError
from .jobs.outcome import Outcome
from .lint import lint_file
from .model import Month
from .model.months import check_month
from .model.text import text_problem
from .model.values import counted, show_value
from .returns.signing import make_key_pair
from .store.identity import latest_month
from .store.notices import listening
from .version import __version__
from .xlsx.template import save_template

DONE, FINDINGS, UNUSABLE = 0, 1, 2
"""Exit statuses: done; refused or found something to deal with; input that cannot be used."""
ORDER = [
    "refresh", "import", "comment", "validate", "answer", "save-return", "verify", "spc",
    "keygen", "build", "benchmarks", "figures", "export", "addin",
]  # fmt: skip
"""``--help`` lists the commands in the order of the month, then the rest."""
EPILOG = """\b
The month, as staff live it (each step also a button or typing in Excel):
  xlscorecard refresh dataset.xlsx              roll on to the new month
  xlscorecard import dataset.xlsx extract.csv   its figures (or type them on Dataset)
  xlscorecard comment dataset.xlsx LAC2 "..."   a comment (or type it on Dataset)
  xlscorecard validate dataset.xlsx             the checks, listed on the Checks sheet
  xlscorecard answer dataset.xlsx P302 CP2 "..."  a reason for a query (or type it on Checks)
  xlscorecard save-return dataset.xlsx          the official return and its PDF
  xlscorecard verify "Children and Families Sep-20.xlsx"

\b
Exit status: 0 done; 1 refused (nothing changed) or something found to deal with;
2 input that cannot be used. docs/cli.md has an example of every command."""


class MonthType(click.ParamType):
    name = "YYYY-MM"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, Month):
            return value
        try:
            return check_month(Month.parse(str(value)), latest_month())
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class CellText(click.ParamType):
    """Text that goes into a cell as typed, refused (an ``Error:``, nothing changed) if a cell
    cannot hold it."""

    name = "TEXT"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        problem = text_problem(str(value))
        if problem:
            name = (param.opts[0] if isinstance(param, click.Option) else param.human_readable_name
                    ) if param else "TEXT"  # fmt: skip
            raise ScorecardError(f"{name}: {problem}. Nothing was changed.")
        return str(value)


TEXT = CellText()


class Commands(click.Group):
    """Reports a :class:`ScorecardError` from any command as ``Error: ...`` on stderr and
    exits with its ``exit_code``; lists the commands in the month's order."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda name: (ORDER.index(name) if name in ORDER else 99, name))

    def invoke(self, ctx: click.Context):
        try:
            with listening(lambda text: click.echo(f"Note: {text}", err=True)):
                return super().invoke(ctx)
        except ScorecardError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=Commands, epilog=EPILOG)
@click.version_option(__version__, prog_name="xlscorecard")
def cli() -> None:
    """Build, check, roll forward and publish the monthly children's services dataset."""


@cli.command()
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--month", "-m", type=MonthType(), required=True, help="Report month, YYYY-MM.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The workbook to write (a name ending in .xlsx, not there yet).",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A restyled copy of workbook_template.xlsx to fill instead of the bundled one.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace OUTPUT if it exists (it is kept in its backups folder first).",
)
@click.option(
    "--lite",
    is_flag=True,
    help="Carry the buttons' code for xlwings Lite (Excel with no Python to install; its "
    "Dataset sheet is then not protected): see docs/excel-lite.md.",
)
def build(
    data_dir: Path, month: Month, output: Path, template: Path | None, force: bool, lite: bool
) -> None:
    """Build the formatted dataset workbook for MONTH from the files in DATA_DIR (never over
    an existing workbook, unless --force)."""
    count = workbook_file.build_file(data_dir, month, output, template, force, lite)
    carrying = " It carries the buttons for xlwings Lite." if lite else ""
    click.echo(f"Wrote {output}: {count} indicators, {month.label}.{carrying}")


@cli.command(hidden=True)  # a developers' tool
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
    "--no-backup",
    is_flag=True,
    help="Do not keep the replaced version in the '<name> backups' folder beside it.",
)
BY = click.option(
    "--by",
    "user",
    metavar="NAME",
    type=TEXT,
    help="Who is doing this, as Audit, Commentary and Answers record it [default: your login].",
)
CLEAR_BLANKS = click.option(
    "--clear-blanks",
    is_flag=True,
    help="Let a blank value in the extract clear the figure (without it, a blank is not "
    "supplied and left out).",
)


def _report(outcome: Outcome, details: bool = True) -> None:
    if details:
        for finding in outcome.findings:
            line = str(finding)
            if (answer := answer_for(finding, outcome.answers)) is not None:
                line += f" Answered by {answer.by or 'someone'}: {answer.reason}"
            elif (answer := reopened(finding, outcome.answers)) is not None:
                line += (
                    f" Open again: the figures have changed since it was answered for "
                    f"{answer.found} ({answer.reason})."
                )
            click.echo(line)
    click.echo(outcome.summary)


def _findings_status(outcome: Outcome) -> None:
    """Exit 1 when the figures have errors to fix (queries alone do not fail)."""
    raise SystemExit(FINDINGS if outcome.errors else DONE)


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@NO_BACKUP
@BY
def validate(workbook: Path, no_backup: bool, user: str | None) -> None:
    """Check WORKBOOK's figures; write the findings to its Checks sheet. A formula typed over
    is put back (Audit keeps what was typed); what was typed since the last command is kept.

    Exits 0 when there are no errors (queries alone do not fail), 1 when there are errors,
    2 when the file cannot be used. A workbook it does not change is not written.
    """
    outcome = workbook_file.validate_file(workbook, backup=not no_backup, user=user)
    _report(outcome)
    _findings_status(outcome)


@cli.command(name="import")
@click.argument("workbook", type=WORKBOOK)
@click.argument("extract", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@CLEAR_BLANKS
@NO_BACKUP
@BY
def import_(
    workbook: Path, extract: Path, clear_blanks: bool, no_backup: bool, user: str | None
) -> None:
    """Type the figures of EXTRACT (ref,month,value) into WORKBOOK's input cells, then check.

    Exits 1 when the figures then have errors, as validate does.
    """
    outcome = workbook_file.import_file(
        workbook, extract, backup=not no_backup, user=user, clear_blanks=clear_blanks
    )
    _report(outcome)
    _findings_status(outcome)


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@click.argument("ref")
@click.argument("text", type=TEXT)
@NO_BACKUP
@BY
def comment(workbook: Path, ref: str, text: str, no_backup: bool, user: str | None) -> None:
    """Write TEXT as the report month's comment on indicator REF (as typing it in its
    commentary cell does; "" clears it), then check."""
    outcome = workbook_file.comment_file(workbook, ref, text, backup=not no_backup, user=user)
    click.echo(outcome.summary)


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@click.argument("code")
@click.argument("ref")
@click.argument("reason", type=TEXT)
@click.option(
    "--month", "-m", type=MonthType(), help="The query's month [default: the report month]."
)
@NO_BACKUP
@BY
def answer(
    workbook: Path,
    code: str,
    ref: str,
    reason: str,
    month: Month | None,
    no_backup: bool,
    user: str | None,
) -> None:
    """Answer the query of check CODE on indicator REF with REASON (as typing it in the
    Checks sheet's reason column does). It stays answered while the figures it answered stay
    the same."""
    outcome = workbook_file.answer_file(
        workbook, code, ref, month, reason, backup=not no_backup, user=user
    )
    click.echo(outcome.summary)


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@click.option("--to", "target", type=MonthType(), help="Roll on to this month, one at a time.")
@click.option(
    "--extract",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Fill the new month's input cells from this extract (ref,month,value).",
)
@CLEAR_BLANKS
@NO_BACKUP
@BY
def refresh(
    workbook: Path,
    target: Month | None,
    extract: Path | None,
    clear_blanks: bool,
    no_backup: bool,
    user: str | None,
) -> None:
    """Roll WORKBOOK forward one month (or --to a month), keeping every figure, comment and
    answer. The new month's figures come from History where it has them, else from
    --extract, else they are left to type."""
    outcome = workbook_file.refresh_file(
        workbook, target, extract, backup=not no_backup, user=user, clear_blanks=clear_blanks
    )
    _report(outcome, details=False)


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@BY
def export(workbook: Path, directory: Path, user: str | None) -> None:
    """Write WORKBOOK's data back out as a data directory (the files build reads)."""
    written = workbook_file.export_file(workbook, directory, user=user)
    click.echo(written.summary(directory))


class YearType(click.ParamType):
    name = "YYYY-YY"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, Year):
            return value
        try:
            return Year.parse(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@cli.command()
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder holding DfE's published tables (EES CSV files) that benchmarks.toml names.",
)
@click.option("--year", type=YearType(), required=True, help="Reporting year, e.g. 2018-19.")
@click.option(
    "--neighbours",
    type=click.Path(dir_okay=False, path_type=Path),
    help="DfE statistical neighbour model file; without it the SN figures are kept.",
)
@click.option(
    "--average",
    type=click.Choice(["mean", "median"]),
    default="mean",
    show_default=True,
    help="How the ten neighbours' figures are averaged.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the benchmarks here instead of DATA_DIR/benchmarks.csv.",
)
def benchmarks(
    data_dir: Path,
    folder: Path,
    year,
    neighbours: Path | None,
    average: str,
    output: Path | None,
) -> None:
    """Recompute DATA_DIR's benchmarks from DfE's published tables, as its benchmarks.toml maps
    them: England, the council's region and its statistical neighbours, with their source.
    Indicators it does not map keep theirs."""
    if average != "mean" and neighbours is None:
        raise click.UsageError("--average goes with --neighbours")
    update = update_benchmarks(data_dir, folder, year, neighbours, Average(average), output)
    group = update.neighbours
    sn = f" and SN, the {average} of the 10 in {group.file}" if group else "; SN kept as entered"
    click.echo(
        f"Wrote {update.path}: {len(update.updated)} indicators from DfE {year.label} (England, "
        f"{update.region}{sn}); {update.kept} kept as they were."
    )
    for ref in update.updated:
        new, unit = update.benchmarks[ref], update.units[ref]
        figures = [show_value(value, unit) for value in (new.sn, new.eng, new.se)]
        click.echo(f"  {ref}: SN {figures[0]}, ENG {figures[1]}, {update.region} {figures[2]}")
    for suppressed in update.suppressed:
        click.echo(f"Suppressed: {suppressed}")
    for skipped in update.skipped:
        click.echo(f"Skipped {skipped}.")
    click.echo(f"Dataset note: {update.note}")
    if update.skipped:
        raise SystemExit(FINDINGS)


@cli.command()
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--month", "-m", type=MonthType(), required=True, help="The last month, YYYY-MM.")
@click.option(
    "--months", type=int, default=1, show_default=True, help="How many months, ending at --month."
)
@click.option(
    "--from",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder of case-level files: CIN census XML, SSDA903 CSV tables, Annex A workbook.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The extract to write (ref, month, value, source), for import or refresh --extract.",
)
@click.option(
    "--trail",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write, for each figure, the records it counted (a new or empty folder, "
    "or an earlier trail, which is replaced).",
)
def figures(
    data_dir: Path, month: Month, months: int, folder: Path, output: Path, trail: Path | None
) -> None:
    """Count the month's figures from the council's case-level files in FOLDER, as DATA_DIR's
    figures.toml maps indicators to measures, and write the extract that import takes.
    Indicators with no measure stay hand-entered (listed)."""
    run = figures_file(data_dir, month, months, folder, output, trail)
    first = month - (months - 1)
    span = month.label if months == 1 else f"{first.label} to {month.label}"
    click.echo(
        f"Wrote {output}: {counted(len(run.rows), 'figure')} of "
        f"{counted(len(run.computed), 'indicator')}, {span}, "
        f"from {', '.join(run.files) or 'no case-level file'}."
    )
    if trail is not None:
        click.echo(f"Wrote the trail of every figure to {trail}.")
    if run.no_files:
        click.echo(f"Left to type, their files not in {folder}: {', '.join(run.no_files)}.")
    if run.hand_entered:
        click.echo(f"Hand-entered (no measure in figures.toml): {', '.join(run.hand_entered)}.")


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@click.option(
    "--ref",
    "refs",
    multiple=True,
    metavar="REF",
    help="Only this indicator (give it again for more).",
)
def spc(workbook: Path, refs: tuple[str, ...]) -> None:
    """Print each indicator's SPC (Making Data Count): its latest figure, mean, process limits,
    Variation and Assurance, worked out from every month in History. Changes nothing."""
    for line in workbook_file.spc_file(workbook, refs):
        click.echo(line)


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
    type=TEXT,
    help="Save although checks block it; the reason is recorded in Audit with who and when.",
)
@click.option("--reason", type=TEXT, help="The reason for --force (or give it as --force REASON).")
@click.option(
    "--sign",
    "key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Sign the return with this Ed25519 private key (made by xlscorecard keygen).",
)
@NO_BACKUP
@BY
def save_return(
    workbook: Path,
    out_dir: Path | None,
    force: str | None,
    reason: str | None,
    key: Path | None,
    no_backup: bool,
    user: str | None,
) -> None:
    """Save WORKBOOK's month as the official return: a macro-free, checksummed .xlsx of values
    and a PDF of its Dataset sheet, in the returns register and the workbook's Audit."""
    if reason is not None and force is None:
        raise click.UsageError("--reason goes with --force")
    if force is not None:
        force = " ".join(part for part in (force, reason or "") if part.strip())
    saved = save_return_file(
        workbook, out_dir, force, backup=not no_backup, user=user, sign_with=key
    )
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
        raise SystemExit(FINDINGS)
    click.echo(result.message)


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@NO_BACKUP
def lite(workbook: Path, no_backup: bool) -> None:
    """Put this version's xlwings Lite code (the Scorecard buttons, with xlscorecard and what
    it needs pinned) into WORKBOOK, replacing the code it carries (see docs/excel-lite.md)."""
    click.echo(lite_file(workbook, backup=not no_backup).summary)


@cli.command()
@click.argument("key", type=click.Path(dir_okay=False, path_type=Path))
def keygen(key: Path) -> None:
    """Make a key pair for signing returns: KEY (private: keep it secret, give it to
    save-return --sign) and KEY.pub (public: give it to whoever verifies, verify --key)."""
    private, public = make_key_pair(key)
    click.echo(f"Wrote {private} (private: keep it secret) and {public} (public: share it).")


@cli.group()
def addin() -> None:
    """Install the Excel add-in (the Scorecard ribbon tab)."""


@addin.command(name="build", hidden=True)  # a developers' tool
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("macros/xlscorecard.xlam"),
    show_default=True,
    help="Where to write the add-in; the file must be named xlscorecard.xlam.",
)
def addin_build(output: Path) -> None:
    """Build the add-in, xlscorecard.xlam, from xlwings' one and macros/."""
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
    if installed.settings:
        click.echo(
            f"Copied the settings of the add-in's old name (myaddin.conf) to {installed.settings}."
        )
    click.echo("Quit Excel completely and start it again to load the Scorecard tab.")


@cli.command(hidden=True)  # a developers' tool
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def lint(files: tuple[Path, ...]) -> None:
    """Check FILES for what makes Excel offer to repair a workbook but schema validation misses:
    table headers, defined names, sheet names, style indexes, icon sets, merges, formulas, data
    validation, the ribbon's relationship. Exits 1 when it finds any, 2 when a file cannot
    be read (the others are still checked)."""
    status = DONE
    for path in files:
        try:
            problems = lint_file(path)
        except ScorecardError as error:
            click.echo(f"Error: {error}", err=True)
            status = UNUSABLE
            continue
        for problem in problems:
            click.echo(f"{path}: {problem}")
        if not problems:
            click.echo(f"{path}: nothing Excel would repair.")
        if problems:
            status = max(status, FINDINGS)
    raise SystemExit(status)


# -- commentary requests (docs/commentary.md) ---------------------------------------------------
@cli.command(name="requests")
@click.argument("workbook", type=WORKBOOK)
@click.option(
    "--output",
    "-o",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write the requests into (made if need be).",
)
@click.option(
    "--due",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="When the commentary is needed by, YYYY-MM-DD (each request says so).",
)
@click.option("--force", is_flag=True, help="Replace request files already in the folder.")
@BY
def requests_(workbook: Path, folder: Path, due, force: bool, user: str | None) -> None:
    """Write one small workbook per reporter into FOLDER: their indicators as the Dataset sheet
    shows them, a draft from the figures, a shaded column for this month's commentary and
    their open queries with a column for the reason. WORKBOOK is not changed."""
    from .app.request_file import requests_file

    when = f"{due:%a} {due.day} {due:%b %Y}" if due else ""
    written = requests_file(workbook, folder, when, user=user, force=force)
    for plan, path in written:
        needed = [row.ref for row in plan.rows if row.needed]
        click.echo(
            f"Wrote {path}: {counted(len(plan.rows), 'indicator')}"
            + (f" ({len(needed)} needing a comment: {', '.join(needed)})" if needed else "")
            + f", {counted(len(plan.queries), 'query', 'queries')}."
        )
    month = written[0][0].month.label if written else ""
    click.echo(f"Wrote {len(written)} requests for {month}, one per reporter, into {folder}.")


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@NO_BACKUP
@BY
def collect(workbook: Path, files: tuple[Path, ...], no_backup: bool, user: str | None) -> None:
    """Take the commentary and reasons written in returned requests (FILES, in any order)
    into WORKBOOK, each with its reporter as who; say per reporter what is still missing.
    Collecting the same requests again changes nothing. What is not taken (a comment typed
    in WORKBOOK since the request went out, a figure changed in a request) is said, and kept
    in Audit or left in the request.

    Exits 0 when done (what was not taken is said), 1 when it refused a request of another
    workbook or month (nothing changed), 2 when a file is not a request.
    """
    from .app.request_file import collect_file

    collected = collect_file(workbook, list(files), backup=not no_backup, user=user)
    for line in collected.lines:
        click.echo(line)
    click.echo(collected.outcome.summary)


@cli.command()
@click.argument("workbook", type=WORKBOOK)
@click.option("--ref", "refs", multiple=True, metavar="REF", help="Only this indicator.")
@click.option(
    "--write",
    is_flag=True,
    help="Also put them on the workbook's Drafts sheet (never into the commentary).",
)
@NO_BACKUP
@BY
def drafts(
    workbook: Path, refs: tuple[str, ...], write: bool, no_backup: bool, user: str | None
) -> None:
    """Print a first draft of each indicator's commentary, from its figures only: the month's
    figure and changes, the 12-month average and maximum, benchmarks, target and SPC. A draft
    is not a comment until a person writes it; the templates are council.toml's [drafts]."""
    from .app.request_file import drafts_file

    found = drafts_file(workbook, refs, write, backup=not no_backup, user=user)
    for ref, text in found.items():
        click.echo(f"{ref}: {text}")


def main() -> None:
    cli()
