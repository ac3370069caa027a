"""The ``figures`` command's work: case-level files in, the extract ``import`` takes and the
trail of what each figure counted out. Nothing is written unless every file could be read."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..caselevel.dates import month_index
from ..caselevel.mapping import read_mapping
from ..caselevel.measures import SOURCES, Context, Figure, count
from ..caselevel.recognise import read_folder
from ..datadir.folder import load_data_dir
from ..errors import ScorecardError
from ..model import Month, Unit
from ..model.months import window
from ..model.text import CSV_FORMULA_STARTS, neutralise
from ..store.notices import notify
from ..store.safe_write import atomic_write, make_temporary_folder, os_error, remove

EXTRACT_COLUMNS = ["ref", "month", "value", "source"]
SUMMARY = "figures.csv"
"""The trail folder's index (one row per figure); its presence marks a folder as a trail."""
MAX_MONTHS = 120


@dataclass
class FiguresRun:
    """What ``figures`` wrote: the extract's rows, the indicators left to type (no measure)
    and those whose files were not in the folder."""

    rows: list[list[str]] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)
    hand_entered: list[str] = field(default_factory=list)
    no_files: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def figures_file(
    data_dir: Path, month: Month, months: int, folder: Path, output: Path,
    trail: Path | None = None,
) -> FiguresRun:  # fmt: skip
    """Compute the mapped indicators' figures for the ``months`` months ending at ``month``
    from the case-level files in ``folder``; write them to ``output`` (ref, month, value,
    source) and, with ``trail``, each figure's records to that folder."""
    if not 1 <= months <= MAX_MONTHS:
        raise ScorecardError(f"--months must be 1 to {MAX_MONTHS}, not {months}")
    if trail is not None:
        if trail.resolve() == output.resolve():
            raise ScorecardError(
                f"-o and --trail both name {output}: give the trail a folder of its own; "
                "nothing was written"
            )
        _check_trail_folder(trail)
    dataset = load_data_dir(data_dir)
    mapping = read_mapping(data_dir, dataset)
    with _no_collection():
        return _figures(dataset, mapping, month, months, folder, output, trail)


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Hundreds of thousands of small records, none in a reference cycle: Python's cycle
    collector would only walk them again and again (a tenth of the time, more at 10x)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _figures(dataset, mapping, month, months, folder, output, trail) -> FiguresRun:
    data, notes = read_folder(folder)
    for note in notes:
        notify(note)
    read = {(folder / name).resolve() for names in data.files.values() for name in names}
    if output.resolve() in read:
        raise ScorecardError(
            f"-o {output} is one of the case-level files it reads: name another file for the "
            "extract; nothing was written"
        )
    if not data.files:
        raise ScorecardError(
            f"{folder} holds no case-level file that figures reads (a CIN census XML, an "
            "SSDA903 episodes or UASC table, or Annex A list 1): name the folder they were "
            "exported to with --from; nothing was written"
        )
    run = FiguresRun(files=sorted({n for names in data.files.values() for n in names}))
    run.hand_entered = [
        i.ref for i in dataset.indicators if not i.is_derived and i.ref not in mapping.measures
    ]
    ctx = Context(data, mapping.conventions)
    wanted = window(month, months)
    indices = [month_index(m.first_day) for m in wanted]
    outside = _coverage(data, wanted, indices, ctx)
    trails: dict[str, dict[int, Figure]] = {}
    gaps: dict[str, set[int]] = {}
    for ref, measure in mapping.measures.items():
        missing = [need for need in measure.needs if need not in data.files]
        if missing:
            run.no_files[ref] = " and ".join(SOURCES[need] for need in missing)
            continue
        figures = count(measure, ctx, indices)
        trails[ref] = figures
        run.computed.append(ref)
        used = sorted(
            {n for kind in (*measure.needs, *measure.also) for n in data.files.get(kind, [])}
        )
        source = f"figures from case-level files: {', '.join(used)}, rule {measure.name}"
        unit = dataset.indicator(ref).unit
        gaps[ref] = {index for need in measure.needs for index in outside.get(need, ())}
        for when, index in zip(wanted, indices, strict=True):
            value = figures[index].value
            if value is not None and index not in gaps[ref]:
                run.rows.append([ref, when.iso, _text(value, unit), source])
    for what in dict.fromkeys(run.no_files.values()):
        refs = [ref for ref, needs in run.no_files.items() if needs == what]
        they = "it is" if len(refs) == 1 else "they are"
        notify(f"{', '.join(refs)} need{'s' if len(refs) == 1 else ''} {what}; none is in "
               f"{folder}, so {they} left to type")  # fmt: skip
    staged = _stage_trail(trail, trails, gaps, wanted, indices, mapping) if trail else None
    try:
        atomic_write(output, lambda temporary: temporary.write_text(
            _csv(EXTRACT_COLUMNS, run.rows), encoding="utf-8", newline=""))  # fmt: skip
        if staged is not None and trail is not None:
            _swap_in(staged, trail)
            staged = None
    finally:
        if staged is not None:
            remove(staged)
    return run


def _coverage(data, wanted, indices, ctx) -> dict[str, set[int]]:
    """The months each kind of file cannot speak for, wholly before its first date or after
    its last (their figures are left out, to type, rather than written as 0), with a note."""
    outside: dict[str, set[int]] = {}
    for kind, (first, last) in data.spans().items():
        gone = [(when, i) for when, i in zip(wanted, indices, strict=True)
                if ctx.month_end(i) < first or when.first_day > last]  # fmt: skip
        outside[kind] = {i for _, i in gone}
        if gone:
            names = data.files.get(kind, [])
            notify(
                f"{', '.join(names)} hold{'s' if len(names) == 1 else ''} dates from "
                f"{first:%d/%m/%Y} to {last:%d/%m/%Y}: nothing is counted from "
                f"{'it' if len(names) == 1 else 'them'} for "
                f"{_spans([when for when, _ in gone])}, left to type"
            )
    return outside


def _spans(months: list[Month]) -> str:
    """Months in words, a run of three or more as ``Sep-10 to Aug-17``."""
    runs: list[list[Month]] = []
    for when in months:
        if runs and runs[-1][-1] + 1 == when:
            runs[-1].append(when)
        else:
            runs.append([when])
    words = [
        f"{run[0].label} to {run[-1].label}" if len(run) > 2 else ", ".join(m.label for m in run)
        for run in runs
    ]
    return ", ".join(words)


def _text(value: float, unit: Unit) -> str:
    if unit is Unit.PERCENT:
        return f"{round(value, 6):g}"
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _csv(columns: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    starts = "".join(CSV_FORMULA_STARTS)  # a child's ID or a contact source from a file:
    writer.writerows(  # text, never a formula, when the trail is opened in a spreadsheet
        [[neutralise(cell) if cell[:1] in starts else cell for cell in row] for row in rows]
    )
    return out.getvalue()


def _check_trail_folder(trail: Path) -> None:
    if trail.exists() and not trail.is_dir():
        raise ScorecardError(f"--trail {trail} is a file: name a folder for the trail")
    if trail.is_dir() and any(trail.iterdir()) and not (trail / SUMMARY).is_file():
        raise ScorecardError(
            f"--trail {trail} holds files that are not a trail (no {SUMMARY}): name a new or "
            "empty folder; nothing was written"
        )


def trail_name(ref: str) -> str:
    """The trail file of an indicator: ``CP2b %`` -> ``CP2b %.csv`` (characters a file name
    cannot hold on Windows become ``_``)."""
    return re.sub(r'[\\/:*?"<>|]', "_", ref).strip(" .") + ".csv"


def _stage_trail(trail, trails, gaps, wanted, indices, mapping) -> Path:
    staged = make_temporary_folder(trail)
    try:
        summary = []
        for ref, figures in trails.items():
            measure = mapping.measures[ref]
            percent = measure.unit == "percent"
            first = next((row for f in figures.values() for row in f.counted), None)
            names = [name for name, _ in first.facts] if first else []
            lines = []
            for when, index in zip(wanted, indices, strict=True):
                figure, iso = figures[index], when.iso
                value = "" if figure.value is None else f"{figure.value:g}"
                written = "N" if figure.value is None or index in gaps[ref] else "Y"
                summary.append([ref, iso, value, written, measure.name,
                                str(len(figure.counted)), trail_name(ref)])  # fmt: skip
                for row in figure.counted:
                    if len(row.facts) == len(names):
                        facts = [text for _, text in row.facts]
                    else:  # a rule whose rows differ: each fact under its own name
                        known = dict(row.facts)
                        names += [name for name in known if name not in names]
                        facts = [known.get(name, "") for name in names]
                    flag = ["Y" if row.included else "N"] if percent else []
                    lines.append([iso, row.child, *flag, *facts, row.where])
            columns = ["month", "child", *(["in numerator"] if percent else []), *names, "record"]
            (staged / trail_name(ref)).write_text(_csv(columns, lines), encoding="utf-8")
        columns = ["ref", "month", "value", "in extract", "measure", "records", "file"]
        (staged / SUMMARY).write_text(_csv(columns, summary), encoding="utf-8")
    except OSError as error:
        remove(staged)
        raise os_error(error, trail) from None
    return staged


def _swap_in(staged: Path, trail: Path) -> None:
    old = None
    try:
        if trail.exists():
            old = make_temporary_folder(trail, "old")
            old.rmdir()
            trail.rename(old)
        staged.rename(trail)
    except OSError as error:
        if old is not None and old.exists() and not trail.exists():
            old.rename(trail)
        raise os_error(error, trail) from None
    if old is not None:
        remove(old)
