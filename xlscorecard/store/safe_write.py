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
import json
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
from pathlib import Path

from ..errors import ScorecardError, WorkbookError
from ..model.settings import DEFAULT_BACKUPS
from .backups import backup_folder, keep_version, prune
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
                copy = stage_backup(path)
        except WorkbookError:
            raise
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
            except OSError as error:
                staged.unlink(missing_ok=True)
                notify(
                    f"{path} was saved, but its earlier version could not be kept in "
                    f"{backup_folder(path)} ({error.strerror or error})"
                )
    except BaseException:
        temporary.unlink(missing_ok=True)
        if copy is not None:
            copy.unlink(missing_ok=True)
        raise


def stage_backup(path: Path) -> Path:
    """A copy of ``path`` as it is, made in its backups folder (a temporary name there) before
    anything is replaced, so that a backup that cannot be kept (the folder is a file, a link
    to a full or read-only place) stops the command with nothing changed."""
    folder = backup_folder(path)
    advice = "or set backups to 0 to keep no earlier versions"
    if os.path.lexists(folder) and not folder.is_dir():
        raise WorkbookError(
            f"cannot keep the earlier version of {path.name}: {folder} is not a folder (move "
            f"it away, {advice}); nothing was changed"
        )
    copy = temporary_path(folder / path.name)
    try:
        folder.mkdir(exist_ok=True)
        shutil.copy2(path, copy)
    except Exception as error:
        found = io_failure(error)
        if found is None:
            raise
        with contextlib.suppress(OSError):
            copy.unlink(missing_ok=True)
        reason = os_reason(found)
        raise WorkbookError(
            f"cannot keep the earlier version of {path.name} in its backups folder {folder}: "
            f"{reason} ({advice}); nothing was changed"
        ) from None
    return copy


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
    return WorkbookError(f"cannot {doing} {path}: {os_reason(error)}; nothing was changed")


def os_reason(error: OSError) -> str:
    """What an OS failure means for the person, and what to do about it."""
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
    return reasons.get(error.errno or 0, error.strerror or str(error))


def is_read_only(path: Path) -> bool:
    """Marked read-only (no write permission bit), or not writable by this user."""
    return not (path.stat().st_mode & 0o222) or not os.access(path, os.W_OK)


def _umask() -> int:
    """The process's umask, but never one that takes the owner's own reading and writing
    away: Pyodide (xlwings Lite) reports 0o777, which would leave every new file unreadable."""
    current = os.umask(0)
    os.umask(current)
    return current & 0o077


# -- leftovers ---------------------------------------------------------------------------------
def process_alive(pid: int) -> bool:
    """Whether process ``pid`` is running on this computer (a zombie is not)."""
    if not 0 < pid < 2**31:
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


def not_ours(path: Path, folder: bool = False) -> str | None:
    """Why ``path`` (never followed through a link) is not a file (``folder``: a folder) this
    user's xlscorecard could have made; None when it could be."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return "it is gone"
    except OSError as error:
        return f"it cannot be examined ({error.strerror})"
    if stat.S_ISLNK(status.st_mode):
        return "it is a link, which xlscorecard never makes"
    if folder and not stat.S_ISDIR(status.st_mode):
        return "it is not a folder"
    if not folder and not stat.S_ISREG(status.st_mode):
        return "it is a folder" if stat.S_ISDIR(status.st_mode) else "it is not a regular file"
    if hasattr(os, "getuid") and status.st_uid != os.getuid():
        return "it belongs to another user"
    return None


def read_own(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, opened without following a link, refused past ``limit``
    bytes (more than xlscorecard writes there): :class:`OSError` otherwise."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        data = file.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"bigger than the {limit} bytes xlscorecard writes there")
    return data


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


FOLDER_ROLES = frozenset({NEW, OLD, "return", "pdf"})
"""Roles whose temporary entries are folders; every other role's are files."""
STARTED = PREFIX + "started-"
"""A record, in a temporary folder, of a program a command started working in it."""
RECORD_LIMIT = 4096


def clean_stale(folder: Path) -> list[str]:
    """Remove the temporary files and folders in ``folder`` left by xlscorecard processes that
    are gone (a killed command, a full disk), putting back a folder that was moved aside while
    being replaced. Only what this user's xlscorecard could have made is touched (never a link,
    never followed through one); anything else named like ours is left alone, and said. Returns
    what was done, one line each (also :func:`notify` d)."""
    done: list[str] = []
    try:
        entries = sorted(Path(folder).iterdir())
    except OSError:
        return done
    for entry in entries:
        found = _NAME.match(entry.name)
        if found is None or not owner_gone(found["host"], int(found["pid"]), entry):
            continue
        why = not_ours(entry, folder=found["role"] in FOLDER_ROLES)
        if why is not None:
            if why != "it is gone":
                done.append(f"left {entry.name} alone: it is named like a file of xlscorecard's "
                            f"but {why} (remove it yourself if it is not needed)")  # fmt: skip
            continue
        target = entry.with_name(found["name"])
        try:
            if found["role"] == OLD and not os.path.lexists(target):
                os.rename(entry, target)
                done.append(f"put back {target}, which an interrupted command had moved aside")
                continue
            stopped = stop_started(entry) if found["role"] in FOLDER_ROLES else 0
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


def started_at(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, from ``/proc``); None where it is
    not running or this cannot be known."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[19]
    except (OSError, IndexError):
        return None


def record_started(folder: Path, pid: int) -> None:
    """Write down, in our temporary ``folder``, that this command started process ``pid`` to
    work in it: its start time and the folder's token, so that a later command can prove the
    process is the one started for this folder before it stops it (:func:`stop_started`)."""
    found = _NAME.match(Path(folder).name)
    start = started_at(pid)
    if found is None or start is None:
        return
    record = {"pid": pid, "start": start, "token": found["token"], "by": os.getpid()}
    path = Path(folder) / f"{STARTED}{pid}.json"
    with contextlib.suppress(OSError):
        path.write_text(json.dumps(record), encoding="utf-8")


def stop_started(folder: Path, wait: float = 5.0) -> int:
    """Kill the programs a killed command had started to work in its temporary ``folder`` (a
    LibreOffice lives on and writes its profile there), so that removing it is final: only
    a process recorded there (:func:`record_started`) that is still that process (same start
    time, this user's) is stopped. Returns how many were stopped."""
    if _NAME.match(Path(folder).name) is None or not Path("/proc").is_dir():
        return 0
    stopped = []
    for record in _records(Path(folder)):
        found = _NAME.match(record.parent.name)  # the folder it was written in: ours too
        try:
            data = json.loads(read_own(record, RECORD_LIMIT))
            pid, start, token = data["pid"], data["start"], data["token"]
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            continue
        if found is None or token != found["token"]:
            continue
        if type(pid) is not int or not 0 < pid < 2**31:
            continue
        if pid == os.getpid() or start is None or started_at(pid) != start:
            continue  # gone, and its number perhaps reused by another program
        try:
            if os.stat(f"/proc/{pid}").st_uid != os.getuid():
                continue
            os.kill(pid, signal.SIGKILL)
        except OSError:
            continue
        stopped.append(pid)
    deadline = time.monotonic() + wait
    while any(process_alive(pid) for pid in stopped) and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(stopped)


def _records(folder: Path) -> list[Path]:
    """The records of programs started in ``folder`` or a folder in it (a PDF's scratch folder
    inside a return's), never through a link."""
    found = []
    for where, _, files in os.walk(folder):  # does not follow links
        found += [Path(where) / name for name in files if name.startswith(STARTED)]
    return sorted(found)


def remove(path: Path) -> None:
    """Delete a file or folder of ours, read-only ones included; a link is removed itself,
    never what it points to (and nothing's permissions are changed through one)."""
    path = Path(path)
    if path.is_dir() and not path.is_symlink():

        def writable_then_retry(function, name, _info) -> None:
            if not os.path.islink(name):
                os.chmod(name, stat.S_IWRITE | stat.S_IREAD | stat.S_IEXEC)
            function(name)

        shutil.rmtree(path, onerror=writable_then_retry)
    else:
        if not path.is_symlink():
            with contextlib.suppress(OSError):
                os.chmod(path, stat.S_IREAD | stat.S_IWRITE)
        path.unlink(missing_ok=True)
