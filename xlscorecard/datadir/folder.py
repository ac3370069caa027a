"""A council's data directory: CSV tables and council.toml, read into and written from the model."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import shutil
import tomllib
from pathlib import Path

import tomli_w

from ..errors import DataFileError
from ..model import Dataset
from ..model.settings import KNOWN_SETTINGS
from ..model.tables import (
    INDICATORS,
    TABLE_COLUMNS,
    VALUES,
    Table,
    assemble,
    csv_table,
    dataset_tables,
    misspelt,
)
from ..model.text import neutralise
from ..model.values import cell_value, counted
from ..store.identity import latest_month
from ..store.safe_write import (
    NEW,
    OLD,
    TEMPORARY,
    clean_stale,
    make_temporary_folder,
    os_error,
    remove,
    temporary_path,
)

SETTINGS_FILE = "council.toml"
REQUIRED = {INDICATORS, VALUES}
"""Tables a data directory must have; the others (commentary, benchmarks, targets) may be
left out."""


def file_name(table: str) -> str:
    """The CSV file of one of the dataset's tables: ``values`` -> ``values.csv``."""
    return f"{table}.csv"


def load_data_dir(directory: Path | str) -> Dataset:
    """Load a council's data directory into a :class:`Dataset`.

    Raises :class:`DataFileError` naming file, line and column for anything unreadable.
    """
    directory = Path(directory)
    settings = directory / SETTINGS_FILE
    data = read_toml(settings)
    for key in data:
        near = misspelt(key, KNOWN_SETTINGS)
        if near:
            raise DataFileError(settings, _toml_line(settings, key), key, (
                f"there is no setting {key!r}: did you mean {near!r}? As it is spelt, it would "
                "be ignored: correct it"
            ))  # fmt: skip
    tables = {
        name: read_csv(directory / file_name(name))
        for name in TABLE_COLUMNS
        if name in REQUIRED or (directory / file_name(name)).exists()
    }
    return assemble(data, str(settings), tables)


TOML_DEPTH = 32
"""How deeply a settings file's tables and lists may nest (ours need three or four levels)."""


def read_toml(path: Path) -> dict:
    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, None, None, f"not valid TOML: {exc}") from None
    except RecursionError:  # how deep the parser gets depends on the stack it starts with
        data = None
    if data is None or _depth(data) > TOML_DEPTH:
        raise DataFileError(
            path,
            None,
            None,
            "its tables or lists are nested too deeply to read (a settings file "
            "needs at most a few levels)",
        ) from None
    return data


def _depth(value: object) -> int:
    """How deeply ``value``'s tables and lists nest (counted without recursion)."""
    deepest, waiting = 0, [(value, 0)]
    while waiting:
        item, level = waiting.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            waiting += [(child, level + 1) for child in item.values()]
        elif isinstance(item, list):
            waiting += [(child, level + 1) for child in item]
    return deepest


def _toml_line(path: Path, key: str) -> int | None:
    """The line of ``path`` where ``key`` is set (``key =`` or ``[key]``), if one is."""
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        bare = line.strip().strip("[]").strip()
        if bare == key or bare.split("=")[0].strip().strip('"') == key:
            return number
    return None


def read_csv(path: Path) -> Table:
    """A UTF-8 CSV with one header row, as a :class:`Table` (line numbers as in the file)."""
    return csv_table(read_text(path), path.name, str(path), latest=latest_month())


def read_text(path: Path) -> str:
    """A text file in UTF-8, with or without a byte order mark. Anything else is an error
    naming the line and character where it stops being UTF-8, and what it looks like."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(path, None, None, "file not found") from None
    except IsADirectoryError:
        raise DataFileError(path, None, None, "is a folder, not a file") from None
    except OSError as exc:
        raise DataFileError(path, None, None, f"cannot be read: {exc.strerror}") from None
    program = "Excel: Save As, CSV UTF-8" if path.suffix.lower() == ".csv" else "Notepad: Save As"
    how = f"save it as UTF-8 (in {program}, encoding UTF-8) and try again"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataFileError(path, None, None, f"is UTF-16 text, not UTF-8: {how}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        prefix = data[start : exc.start].removeprefix(codecs.BOM_UTF8)
        where = f"character {len(prefix.decode('utf-8')) + 1} is byte 0x{data[exc.start]:02X}"
        try:
            data.decode("cp1252")
            shown = data[exc.start : exc.start + 1].decode("cp1252")
            what = f"{where} ({shown!r} in Windows-1252): the file is Windows-1252 (cp1252) text"
        except UnicodeDecodeError:
            what = f"{where}: the file is in an encoding other than UTF-8"
        raise DataFileError(path, line, None, f"{what}; {how}") from None


class Written(list[Path]):
    """The data directory's files, all of them, with ``changed``: those whose contents are
    new (none when the directory already held what the workbook does)."""

    changed: list[Path]

    def summary(self, directory: Path | str) -> str:
        """``Wrote 7 files to data.``, or that nothing changed, or which files did."""
        if not self.changed:
            return f"Nothing changed: the {len(self)} files in {directory} hold its data already."
        if len(self.changed) == len(self):
            return f"Wrote {len(self)} files to {directory}."
        names = ", ".join(path.name for path in self.changed)
        return (
            f"Wrote {counted(len(self.changed), 'file')} to {directory} ({names}); the "
            "others hold its data already."
        )


def _written(directory: Path, names: list[str], kept: set[str]) -> Written:
    written = Written(directory / name for name in names)
    written.changed = [directory / name for name in names if name not in kept]
    return written


def write_data_dir(dataset: Dataset, directory: Path) -> Written:
    """Write ``dataset`` as a data directory that :func:`load_data_dir` reads back unchanged.

    The whole directory is written as a temporary folder beside it and swapped in, so that a
    full disk or a kill leaves the old directory or the new one, never a mix (the next export
    puts back an old one left moved aside). Files in it that are not a data directory's are
    copied into the new one, and so is a file that already holds exactly what it would be
    written with; when every file does, nothing is written at all. Text is written so that no
    spreadsheet runs it (:func:`~xlscorecard.model.text.neutralise`)."""
    directory = Path(os.path.abspath(directory))
    if directory.exists() and not directory.is_dir():
        raise DataFileError(directory, None, None, "is a file, not a folder")
    if not directory.parent.is_dir():
        raise DataFileError(directory, None, None, f"folder {directory.parent} does not exist")
    clean_stale(directory.parent)
    texts = {
        file_name(name): _csv_text(
            TABLE_COLUMNS[name], [[neutralise(_text(cell_value(v))) for v in row] for row in rows]
        )
        for name, rows in dataset_tables(dataset).items()
    }
    texts[SETTINGS_FILE] = settings_toml(dataset)
    names = list(texts)
    kept = {name for name, text in texts.items() if _holds(directory / name, text)}
    if kept == set(names):
        return _written(directory, names, kept)
    new = make_temporary_folder(directory, NEW)
    try:
        try:
            for name, text in texts.items():
                if name in kept:
                    shutil.copy2(directory / name, new / name)
                else:
                    (new / name).write_bytes(text.encode("utf-8"))
            if directory.exists():
                _copy_others(directory, new, set(names))
        except OSError as error:
            raise os_error(error, directory) from None
        swap_in(new, directory)
    except BaseException:
        remove(new)
        raise
    return _written(directory, names, kept)


def _copy_others(old: Path, new: Path, ours: set[str]) -> None:
    for entry in old.iterdir():
        if entry.name in ours or entry.name.startswith(TEMPORARY):
            continue
        if entry.is_dir():
            shutil.copytree(entry, new / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, new / entry.name, follow_symlinks=False)


def swap_in(new: Path, directory: Path) -> None:
    """Put the folder ``new`` where ``directory`` is: the old one moved aside, the new one
    renamed in, the old one removed (an interrupted swap is undone by :func:`clean_stale`)."""
    old = temporary_path(directory, OLD) if directory.exists() else None
    try:
        if old is not None:
            os.rename(directory, old)
        try:
            os.rename(new, directory)
        except OSError:
            if old is not None:
                os.rename(old, directory)
            raise
    except OSError as error:
        raise os_error(error, directory, "replace") from None
    if old is not None:
        with contextlib.suppress(OSError):
            remove(old)


def _holds(path: Path, text: str) -> bool:
    """``path`` is a file that holds exactly ``text`` (as UTF-8)."""
    try:
        return path.is_file() and path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def settings_toml(dataset: Dataset) -> str:
    settings = dataset.settings
    data: dict[str, object] = {
        "council": settings.council,
        "title": settings.title,
        "report_name": settings.report_name,
        "benchmark_note": settings.benchmark_note,
        "arrow_threshold": settings.arrow_threshold,
        "visible_months": settings.visible_months,
        "year_start_month": settings.year_start_month,
    }
    data.update(settings.as_given)
    data["population"] = {
        period: int(n) if float(n).is_integer() else n
        for period, n in sorted(settings.populations.items())
    }
    return tomli_w.dumps(data)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _csv_text(columns: list[str], rows: list[list[str]]) -> str:
    """CSV text, one ``\n`` per row; a field holding any line break (a lone carriage return
    too, which Python's writer leaves bare when rows end in ``\n``) is quoted, so that it
    reads back as one field."""
    handle = io.StringIO(newline="")
    writer = csv.writer(handle, lineterminator="\r\n")  # quotes a field holding \r or \n
    lines = []
    for row in [columns, *rows]:
        handle.seek(0)
        handle.truncate()
        writer.writerow(row)
        lines.append(handle.getvalue().removesuffix("\r\n") + "\n")
    return "".join(lines)
