"""Write a file completely or not at all: a temporary file beside it, then an atomic rename,
keeping the replaced version in its backups folder (:mod:`.backups`).

Temporary files and folders are named ``.xlscorecard-tmp-<host>-<process>-<token>-<role>-<name>``
beside their target, so that the next command can tell its own leftovers from anything else and
clean those of a process that is no longer running (:func:`clean_stale`). Every OS failure (disk
full, file too big, permission, read-only disk) is an error naming the file, with nothing changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import gc
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from ..errors import ScorecardError, WorkbookError
from ..workbook.schema import DEFAULT_BACKUPS
from .backups import backup_folder, keep_version, prune
from .cached import write_workbook
from .charts import check_drawn
from .notices import notify

PREFIX = ".xlscorecard-"
"""Every file xlscorecard keeps beside a workbook or return for its own use starts so."""
TEMPORARY = PREFIX + "tmp-"
HOST = re.sub(r"[^A-Za-z0-9]", "_", socket.gethostname())[:40] or "host"
"""This computer, as it appears in temporary names (only letters, digits and ``_``)."""
STALE_AFTER = dt.timedelta(days=1)
"""A temporary file of another computer is only cleaned once this old (its process cannot be
asked whether it is still running)."""
_NAME = re.compile(
    rf"^{re.escape(TEMPORARY)}(?P<host>[A-Za-z0-9_]+)-(?P<pid>\d+)-(?P<token>[0-9a-f]+)-"
    r"(?P<role>[a-z]+)-(?P<name>.+)$"
)
FILE, NEW, OLD = "file", "new", "old"
"""Roles of temporary entries: a file being written, a folder being made to replace one, and a
folder moved aside while it is replaced (put back if its replacement never arrived)."""


def temporary_path(target: Path, role: str = FILE) -> Path:
    """A fresh temporary name beside ``target``, marked with this process."""
    target = Path(target)
    token = secrets.token_hex(4)
    return target.with_name(f"{TEMPORARY}{HOST}-{os.getpid()}-{token}-{role}-{target.name}")


def make_temporary_folder(target: Path, role: str = NEW) -> Path:
    """Create and return a temporary folder beside ``target`` (an error names the folder)."""
    folder = temporary_path(target, role)
    try:
        folder.mkdir()
    except OSError as error:
        raise os_error(error, target, "write in the folder of") from None
    return folder


def atomic_write(
    path: Path,
    write: Callable[[Path], None],
    backup: bool = False,
    versions: int = DEFAULT_BACKUPS,
) -> None:
    """Call ``write(temporary_path)`` then move the result onto ``path`` in one step.

    If anything fails, ``path`` is untouched and the temporary file is removed; an OS failure
    is a :class:`WorkbookError` naming ``path``. With ``backup`` the file being replaced is
    first copied beside it (a temporary file), and once the new one is in place moved into
    its backups folder, which then keeps the last ``versions`` (none when 0).
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ScorecardError(f"cannot write {path}: folder {directory} does not exist")
    if path.exists() and is_read_only(path):
        raise WorkbookError(f"cannot write {path}: the file is read-only")
    temporary = temporary_path(path)
    copy = None
    try:
        failure: OSError | None = None
        try:
            os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            write(temporary)
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
            with contextlib.suppress(OSError):
                os.chmod(temporary, mode)
            if backup and versions > 0 and path.exists():
                backup_folder(path).mkdir(exist_ok=True)
                copy = temporary_path(path)
                shutil.copy2(path, copy)
        except Exception as error:
            found = io_failure(error)
            if found is None:
                raise
            failure = OSError(found.errno, found.strerror)  # without the writer's frames
        if failure is not None:
            _collect_quietly()
            raise os_error(failure, path)
        try:
            os.replace(temporary, path)
        except PermissionError:
            raise WorkbookError(
                f"cannot replace {path}: it is open in another program (close it in Excel) "
                "or read-only; nothing was changed"
            ) from None
        except OSError as error:
            raise os_error(error, path) from None
        if copy is not None:
            staged, copy = copy, None  # the new version is in place: keep the old one
            try:
                keep_version(path, staged=staged)
                prune(path, versions)
            except OSError:
                staged.unlink(missing_ok=True)
    except BaseException:
        temporary.unlink(missing_ok=True)
        if copy is not None:
            copy.unlink(missing_ok=True)
        raise


def _collect_quietly() -> None:
    """Let go of a writer that failed part-way: openpyxl's XML writer raises the same I/O
    error again when it is collected, which Python would print as "Exception ignored"."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def io_failure(error: BaseException) -> OSError | None:
    """The OS failure behind an error a library raised instead of an OSError (lxml, which
    openpyxl writes with, reports a full disk as ``SerialisationError('IO_ENOSPC')``)."""
    if isinstance(error, OSError):
        return error
    text = str(error)
    if type(error).__name__ == "SerialisationError" and text.startswith("IO_"):
        code = getattr(errno, text.removeprefix("IO_"), None)
        if code is not None:
            return OSError(code, os.strerror(code))
    return None


def os_error(error: OSError, path: Path, doing: str = "write") -> WorkbookError:
    """An OS failure as a message naming the file and what to do; nothing was changed."""
    reasons = {
        errno.ENOSPC: "the disk is full: free some space and try again",
        errno.EFBIG: "the file would be bigger than this computer allows (a file size limit)",
        errno.EDQUOT: "your disk quota is used up: free some space and try again",
        errno.EROFS: "the disk is read-only (copy the workbook to a folder you can write to, "
        "and work on the copy)",
        errno.EACCES: "permission denied: you may not write there (ask for write access, or "
        "work on a copy in a folder of your own)",
        errno.EPERM: "the operation is not permitted there (work on a copy in a folder of "
        "your own)",
    }
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return WorkbookError(f"cannot {doing} {path}: {reason}; nothing was changed")


def is_read_only(path: Path) -> bool:
    """Marked read-only (no write permission bit), or not writable by this user."""
    return not (path.stat().st_mode & 0o222) or not os.access(path, os.W_OK)


def save_workbook(
    workbook: Workbook, path: Path, backup: bool = True, versions: int = DEFAULT_BACKUPS
) -> None:
    """Save an openpyxl workbook over ``path`` atomically, keeping the replaced version, with
    its formulas' cached values (:func:`write_workbook`) and its Trends charts drawn again."""
    check_drawn(workbook)
    atomic_write(Path(path), partial(write_workbook, workbook), backup=backup, versions=versions)


def _umask() -> int:
    """The process's umask, but never one that takes the owner's own reading and writing
    away: Pyodide (xlwings Lite) reports 0o777, which would leave every new file unreadable."""
    current = os.umask(0)
    os.umask(current)
    return current & 0o077


# -- leftovers ---------------------------------------------------------------------------------
def process_alive(pid: int) -> bool:
    """Whether process ``pid`` is running on this computer (a zombie is not)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        return _windows_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        return state not in {"Z", "X"}
    return True


def _windows_alive(pid: int) -> bool:  # pragma: no cover - Windows
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel.CloseHandle(handle)


def owner_gone(host: str, pid: int, path: Path) -> bool:
    """Whether the process that made ``path`` is gone: on this computer, when it is not
    running; on another, when the file is older than :data:`STALE_AFTER`."""
    if host == HOST:
        return pid != os.getpid() and not process_alive(pid)
    try:
        age = time.time() - path.lstat().st_mtime
    except OSError:
        return False
    return age > STALE_AFTER.total_seconds()


def clean_stale(folder: Path) -> list[str]:
    """Remove the temporary files and folders in ``folder`` left by xlscorecard processes that
    are gone (a killed command, a full disk), putting back a folder that was moved aside while
    being replaced. Nothing else is touched. Returns what was done, one line each (also
    :func:`notify` d)."""
    done: list[str] = []
    try:
        entries = sorted(Path(folder).iterdir())
    except OSError:
        return done
    for entry in entries:
        found = _NAME.match(entry.name)
        if found is None or not owner_gone(found["host"], int(found["pid"]), entry):
            continue
        target = entry.with_name(found["name"])
        try:
            if found["role"] == OLD and not target.exists():
                os.rename(entry, target)
                done.append(f"put back {target}, which an interrupted command had moved aside")
                continue
            stopped = stop_users(entry)
            remove(entry)
        except OSError as error:
            done.append(f"could not remove {entry} ({error.strerror}): remove it by hand")
            continue
        done.append(f"removed {entry.name}, left by an interrupted command" + (
            f" (and stopped {stopped} program{'s' if stopped > 1 else ''} it had left "
            "running in it, such as LibreOffice making the PDF)" if stopped else ""
        ))  # fmt: skip
    if done:
        notify(f"In {folder}: " + "; ".join(done) + ".")
    return done


def stop_users(folder: Path, wait: float = 5.0) -> int:
    """Kill the processes of this user still working in ``folder`` (named on their command
    line, plainly or as a ``file://`` address: a LibreOffice a killed command had started
    lives on and writes its profile there), so that removing it is final. Where processes
    cannot be listed (no ``/proc``: Windows) it does nothing. Returns how many it stopped."""
    if not folder.is_dir() or not Path("/proc").is_dir():
        return 0
    resolved = folder.resolve()
    marks = {os.fsencode(str(resolved)), resolved.as_uri().encode()}
    stopped = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if entry.stat().st_uid != os.getuid():
                continue
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if any(mark in command for mark in marks):
            with contextlib.suppress(OSError):
                os.kill(int(entry.name), signal.SIGKILL)
                stopped.append(int(entry.name))
    deadline = time.monotonic() + wait
    while any(process_alive(pid) for pid in stopped) and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(stopped)


def remove(path: Path) -> None:
    """Delete a file or folder of ours, read-only ones included."""
    if path.is_dir() and not path.is_symlink():

        def writable_then_retry(function, name, _info) -> None:
            os.chmod(name, stat.S_IWRITE | stat.S_IREAD | stat.S_IEXEC)
            function(name)

        shutil.rmtree(path, onerror=writable_then_retry)
    else:
        with contextlib.suppress(OSError):
            os.chmod(path, stat.S_IREAD | stat.S_IWRITE)
        path.unlink(missing_ok=True)
