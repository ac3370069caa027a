"""Things a command did without being asked that the person should know about (a stale lock
taken over, an interrupted return completed, leftovers cleaned). The command line prints them
as ``Note: ...``; without a listener they go to the ``xlscorecard`` logger."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator

_listeners: list[Callable[[str], None]] = []


def notify(text: str) -> None:
    """Tell whoever listens (the command line, a test); else log it."""
    if _listeners:
        for listener in list(_listeners):
            listener(text)
    else:
        logging.getLogger("xlscorecard").warning(text)


@contextlib.contextmanager
def listening(listener: Callable[[str], None]) -> Iterator[None]:
    """Send notices to ``listener`` for the duration."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)
