"""Locks between the desk's processes on one machine, for the file-level jobs.

`flocked` takes a whole-file flock on a small lock file beside the database. flock
(unlike fcntl record locks) belongs to the open file, so two openers in one process
exclude each other too, and closing some other descriptor never drops it.
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Busy(RuntimeError):
    """Someone else holds the lock (and we were told not to wait)."""


def _open(path: Path) -> int:
    # read-only is enough for flock, so any member of the desk's group can take it
    return os.open(path, os.O_RDONLY | os.O_CREAT, 0o666)


@contextmanager
def flocked(path: Path, exclusive: bool = True, wait: bool = True) -> Iterator[None]:
    """Hold a lock on `path` (made if missing); Busy when `wait` is False and it is held."""
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
    while True:
        fd = _open(path)
        try:
            fcntl.flock(fd, mode)
        except BlockingIOError:
            os.close(fd)
            raise Busy(path) from None
        if os.path.exists(path) and os.path.samestat(os.fstat(fd), os.stat(path)):
            break
        os.close(fd)  # removed by its holder while we waited: lock the new one
    try:
        yield
    finally:
        os.close(fd)
