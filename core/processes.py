"""The worker processes a session starts (the Python CSV reader, Explore queries): none outlives its session or
the server.

The server lists each running worker under its session's folder (process handles only, no data), so that the
session's end kills them (`stop`) and no worker starts for a session that has ended; each worker calls
`die_with_parent` first thing, so that it is killed when the server process dies. Only the standard library here:
workers import this module before their own slow imports.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator

PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_CHECK_S = 1  # where prctl is missing, how often a worker looks for its parent

_RUNNING: dict[str | None, set[subprocess.Popen]] = {}
# Folders of sessions that have ended (a short name each): no worker starts for them, as one started while its
# session ends would never be stopped.
_ENDED: set[str | None] = set()
_LOCK = threading.Lock()  # a worker is started and listed, or its session ended, in one step


class SessionEnded(Exception):
    """The session a worker was to start for has ended."""


@contextlib.contextmanager
def worker(folder: str | None, command: list[str], **popen: object) -> Iterator[subprocess.Popen]:
    """`command` (subprocess.Popen with `popen`) running for the session whose folder this is, listed under it for
    the block; a worker still running when the block ends (over its time, or the caller interrupted) is killed.
    Raises SessionEnded when that session has ended."""
    with _LOCK:
        if folder in _ENDED:
            raise SessionEnded(folder)
        process = subprocess.Popen(command, **popen)
        _RUNNING.setdefault(folder, set()).add(process)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        with _LOCK:
            _RUNNING[folder].discard(process)
            if not _RUNNING[folder]:
                del _RUNNING[folder]


def running(folder: str | None) -> int:
    """How many workers are running for the session whose folder this is."""
    with _LOCK:
        return len(_RUNNING.get(folder, ()))


def stop(folder: str | None) -> int:
    """Kill the workers running for the session whose folder this is, and start no more for it (its end); how many
    there were."""
    with _LOCK:
        _ENDED.add(folder)
        listed = list(_RUNNING.get(folder, ()))
    for process in listed:
        process.kill()
    return len(listed)


def die_with_parent(parent: int) -> None:
    """In a worker: be killed when the server process `parent` dies, so that no work outlives it. Linux sends
    SIGKILL on the death of the thread that started this process (which waits for it to end); elsewhere a thread
    watches for the parent to change. A parent already gone (before prctl took effect) ends the worker here."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except AttributeError:  # no prctl: not Linux
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(3)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os.kill(os.getpid(), signal.SIGKILL)
