"""The server-side resources of one browser session, and the sweeping of what ended sessions leave behind.

No streamlit here: core.adapter.session keeps one `SessionResources` per browser session (a session-scoped cache that
releases it when the session ends); tests open and release them directly.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb

from core import explore, processes
from core.engines.warehouse import Warehouse
from core.ingest import Workspace
from core.settings import Settings

# Reading an export is CPU-bound: twenty sessions reading at once on two cores all finish late and together
# hold the most memory. Shared turnstiles (counters, no user data) let a few read at a time, in two lanes so that
# a small upload never queues behind large ones: its own turns cost little, however many large files are read.
SMALL_UPLOAD_BYTES = 1024 * 1024
_LARGE_TURNS = threading.BoundedSemaphore(Settings.from_env().uploads_at_once)
_SMALL_TURNS = threading.BoundedSemaphore(2 * Settings.from_env().uploads_at_once)


def reading_turn(size: int) -> threading.BoundedSemaphore:
    """The turnstile an upload of `size` bytes waits at before it is read (use it as a context manager)."""
    return _SMALL_TURNS if size <= SMALL_UPLOAD_BYTES else _LARGE_TURNS


# Spill folders of ended sessions (paths only, no data) with when they ended. A script of the session may still be
# running when it ends and may write into its folder again (DuckDB recreates a missing temp directory when it
# spills), so released folders are swept again a little later and whenever a session starts. Those later sweeps
# also return memory: Streamlit keeps an ended session's state (its uploads among them) for a reconnect and drops
# it only when another session disconnects after that window, just after that session's own release; the dropped
# objects hold reference cycles, so only a full collection frees them.
SPILL_PREFIX = "gtm-session-"
_RELEASED_FOLDERS: dict[str, float] = {}
_RELEASED_LOCK = threading.Lock()
SWEEP_AGAIN_AFTER = (5.0, 30.0, 120.0)  # seconds after a session ends
FORGET_RELEASED_AFTER = 600.0  # a folder still absent this long after its session ended is forgotten


def _sweep_released_folders() -> None:
    now = time.monotonic()
    with _RELEASED_LOCK:
        for folder, ended in list(_RELEASED_FOLDERS.items()):
            shutil.rmtree(folder, ignore_errors=True)
            if now - ended > FORGET_RELEASED_AFTER and not os.path.exists(folder):
                del _RELEASED_FOLDERS[folder]


def _spill_folder(parent: str) -> str:
    """A new folder for one session's spill files, named after this server process so that a later server can
    tell which folders a killed one left behind."""
    _sweep_orphaned_folders(parent)
    return tempfile.mkdtemp(prefix=f"{SPILL_PREFIX}{os.getpid()}-", dir=parent)


@lru_cache(maxsize=8)
def _sweep_orphaned_folders(parent: str) -> None:
    """Once per server process and folder: remove session folders whose server process no longer runs."""
    for folder in Path(parent).glob(f"{SPILL_PREFIX}*-*"):
        pid = folder.name.removeprefix(SPILL_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _release_folder(folder: str) -> None:
    with _RELEASED_LOCK:
        _RELEASED_FOLDERS[folder] = time.monotonic()
    _sweep_released_folders()
    for delay in SWEEP_AGAIN_AFTER:
        timer = threading.Timer(delay, _sweep_again)
        timer.daemon = True
        timer.start()


def _sweep_again() -> None:
    _sweep_released_folders()
    _return_memory()


@dataclass
class SessionResources:
    """What one browser session owns on the server: its DuckDB (in its workspace), its spill folder, the
    locked copy of its tables the Explore page queries, and its connection to the deployment's warehouse (or
    why it could not be opened). Released when the session ends. `turn`: held by the script run that uses them
    (a click during a run starts the next run at once, while the one it stops may still be in a query)."""

    workspace: Workspace
    spill_dir: str
    restored: bool = False
    sandbox: explore.Sandbox | None = None
    sandbox_version: int | None = None
    warehouse: Warehouse | None = None
    warehouse_problem: str | None = None
    turn: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, settings: Settings) -> SessionResources:
        """A new session's resources: an empty workspace on a capped connection spilling into its own folder."""
        _sweep_released_folders()
        spill_dir = _spill_folder(settings.temp_dir)
        con = duckdb.connect(":memory:", config=settings.duckdb_config(spill_dir))
        return cls(Workspace(con), spill_dir)

    def sandbox_for(self, data_version: int) -> explore.Sandbox:
        """The locked copy of the session's tables, rebuilt when their data changed; it lives in the session's
        spill folder, so it goes with the session."""
        if self.sandbox is None or self.sandbox_version != data_version:
            if self.sandbox is not None:
                self.sandbox.close()
            self.sandbox = explore.sandbox(self.workspace.con, self.spill_dir)
            self.sandbox_version = data_version
        return self.sandbox

    def release(self) -> None:
        processes.stop(self.spill_dir)  # a file being read or a query running for the session goes no further
        if self.sandbox is not None:
            self.sandbox.close()
        if self.warehouse is not None:
            self.warehouse.close()
        self.workspace.close()
        _release_folder(self.spill_dir)
        _return_memory()


def _return_memory() -> None:
    """Free ended sessions' objects now and hand glibc's freed pages back to the system, so a hosted server's
    memory falls back when sessions end instead of staying at its high-water mark. (A closed DuckDB hands its own
    allocator's pages back as it closes; what stays in the server's RSS beyond this is shared-library code first
    run for the session, mapped from files once per server process.)"""
    gc.collect()
    _trim_allocator()


def _trim_allocator() -> None:
    with contextlib.suppress(OSError, AttributeError):  # not glibc: its allocator returns what it can by itself
        ctypes.CDLL("libc.so.6").malloc_trim(0)
