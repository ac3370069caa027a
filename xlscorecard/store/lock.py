"""One xlscorecard command per workbook at a time: a lock file beside it.

``.xlscorecard-lock-<name>`` is created (atomically, failing if it exists) by every command that
reads a workbook and then writes it or a file made from it, and holds who, when, which command,
process and computer. A second command waits up to :func:`wait_seconds` for it to go, then
refuses naming the holder. A lock left by a process that is no longer running on this computer
(a command that was killed) is taken over, and the notice says so. A lock of another computer is
only ever waited for: its process cannot be asked.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import socket
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import Refused, WorkbookError
from .identity import now, os_user
from .notices import notify
from .safe_write import HOST, PREFIX, not_ours, os_error, owner_gone, read_own, temporary_path

WAIT_VARIABLE = "XLSCORECARD_LOCK_WAIT"
DEFAULT_WAIT = 20.0
"""Seconds a command waits for another to finish with the workbook before refusing."""
POLL = 0.05
LOCK_LIMIT = 64 << 10
"""A lock file is never bigger (a few names and numbers)."""
UNWRITTEN_GRACE = 10.0
"""Seconds after which a lock file that is still empty (its maker was killed while writing
it) counts as stale."""

_held: dict[Path, tuple[str, int]] = {}
"""Locks this process holds, with their token and depth (a command may call another)."""


def wait_seconds() -> float:
    """How long to wait for a lock: :data:`DEFAULT_WAIT`, or ``XLSCORECARD_LOCK_WAIT``."""
    given = os.environ.get(WAIT_VARIABLE)
    if given is None:
        return DEFAULT_WAIT
    try:
        seconds = float(given)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds):
        notify(
            f"{WAIT_VARIABLE} is {given!r}, not a number of seconds: waiting for a busy "
            f"workbook the default {DEFAULT_WAIT:g} seconds (set it to a number, or unset it)"
        )
        return DEFAULT_WAIT
    return max(0.0, seconds)


def lock_path(path: Path) -> Path:
    """The lock file of ``path``: ``.xlscorecard-lock-dataset.xlsx`` beside ``dataset.xlsx``."""
    path = Path(path)
    return path.with_name(f"{PREFIX}lock-{path.name}")


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as written in its file."""

    command: str
    user: str
    since: str
    pid: int
    host: str
    computer: str
    token: str

    def describe(self) -> str:
        return (
            f"{self.command} by {self.user} on {self.computer} (process {self.pid}), "
            f"since {self.since}"
        )


@contextlib.contextmanager
def locked(path: Path, command: str, user: str | None = None) -> Iterator[None]:
    """Hold the lock of ``path`` (a workbook, a returns register) while the body runs."""
    key = Path(os.path.abspath(path))
    if key in _held:  # this process has it already: a command calling another
        token, depth = _held[key]
        _held[key] = (token, depth + 1)
        try:
            yield
        finally:
            _held[key] = (token, _held[key][1] - 1)
        return
    lock = lock_path(path)
    holder = Holder(
        command, user or os_user(), now(), os.getpid(), HOST, socket.gethostname(),
        secrets.token_hex(8),
    )  # fmt: skip
    _acquire(lock, holder, Path(path))
    _held[key] = (holder.token, 1)
    try:
        yield
    finally:
        del _held[key]
        _release(lock, holder)


def _acquire(lock: Path, holder: Holder, path: Path) -> None:
    deadline = time.monotonic() + wait_seconds()
    while True:
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            pass
        except OSError as error:
            raise os_error(error, lock, "lock") from None
        else:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(asdict(holder), file)
                file.flush()
                os.fsync(file.fileno())
            return
        other = read_holder(lock)
        if (other is not None and _stale(lock, other)) or (other is None and _unwritten(lock)):
            _take_over(lock, other)
            continue
        if time.monotonic() >= deadline:
            raise Refused(_busy(path, lock, other))
        time.sleep(POLL)


def read_holder(lock: Path) -> Holder | None:
    """The holder written in a lock file; None while it is being written (empty, or not yet
    whole). A lock that is not a regular file of this user's, or holds what xlscorecard never
    writes, is refused naming it (:class:`WorkbookError`)."""
    why = not_ours(lock)
    if why == "it is gone":
        return None
    if why is not None:
        raise _foreign(lock, why)
    try:
        text = read_own(lock, LOCK_LIMIT).decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise _foreign(lock, f"it cannot be read ({error})") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise _foreign(lock, "it does not hold what xlscorecard writes in a lock") from None
    except ValueError:
        return None  # still being written (or its writer was killed: see _unwritten)
    if not isinstance(data, dict) or set(data) != set(Holder.__dataclass_fields__):
        raise _foreign(lock, "it does not hold what xlscorecard writes in a lock")
    pid = data["pid"]
    if type(pid) is not int or not 0 < pid < 2**31:
        raise _foreign(lock, f"its process {pid!r} is not a process number")
    if not all(isinstance(data[key], str) for key in data if key != "pid"):
        raise _foreign(lock, "it does not hold what xlscorecard writes in a lock")
    return Holder(**data)


def _foreign(lock: Path, why: str) -> WorkbookError:
    return WorkbookError(
        f"{lock} is not a lock xlscorecard made ({why}): if no xlscorecard command is working "
        "on that workbook, remove it and try again; nothing was changed"
    )


def _stale(lock: Path, holder: Holder) -> bool:
    """Left by a process of this computer that is no longer running. A lock of another
    computer, however old, is never stale: its process cannot be asked (delete it by hand)."""
    return holder.host == HOST and owner_gone(holder.host, holder.pid, lock)


def _take_over(lock: Path, stale: Holder | None) -> None:
    """Move the stale lock aside (only one taker can), check it was the stale one, drop it."""
    aside = temporary_path(lock, "stale")
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return  # another command took it over first
    except OSError as error:
        raise os_error(error, lock, "take over the lock") from None
    if read_holder(aside) != stale:  # a fresh lock was made meanwhile: put it back
        try:
            os.link(aside, lock)  # (never over a lock made meanwhile)
        except FileExistsError:
            pass
        except (OSError, AttributeError, NotImplementedError):  # no hard links (Pyodide)
            with contextlib.suppress(OSError):
                if not os.path.lexists(lock):
                    os.rename(aside, lock)
        aside.unlink(missing_ok=True)
        return
    aside.unlink(missing_ok=True)
    who = stale.describe() if stale else "a command killed while it was taking the lock"
    notify(
        f"took over the lock of {who}: that process is no longer running (it was "
        "interrupted); anything it left half-done is dealt with now"
    )


def _release(lock: Path, holder: Holder) -> None:
    with contextlib.suppress(WorkbookError):  # replaced meanwhile by what is not ours: left
        if read_holder(lock) == holder:
            lock.unlink(missing_ok=True)


def _busy(path: Path, lock: Path, other: Holder | None) -> str:
    who = other.describe() if other is not None else "a command whose lock is being written"
    return (
        f"{path.name} is in use by another xlscorecard command: {who}. Nothing was changed. "
        f"Wait for it to finish and try again. If no such command is running any more (its "
        f"computer was switched off), delete the lock file {lock} and try again."
    )


def _unwritten(lock: Path) -> bool:
    """An empty or unreadable lock file older than :data:`UNWRITTEN_GRACE` seconds."""
    try:
        return time.time() - lock.stat().st_mtime > UNWRITTEN_GRACE
    except OSError:
        return False
