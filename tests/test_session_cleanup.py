"""An ended session's spill folder is removed, and removed again if a script still running for that session
writes into it after the end (DuckDB recreates a missing temp directory when it spills)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref

import duckdb
import pytest

from core import resources


def test_a_released_folder_recreated_late_is_swept_again(tmp_path, monkeypatch):
    scheduled = []
    monkeypatch.setattr(resources.threading, "Timer", lambda delay, call: scheduled.append((delay, call)) or _Idle())
    monkeypatch.setattr(resources, "_RELEASED_FOLDERS", {})
    folder = tmp_path / "gtm-session-abc"
    (folder / "spill").mkdir(parents=True)
    (folder / "spill" / "block.tmp").write_bytes(b"x" * 10)

    resources._release_folder(str(folder))
    assert not folder.exists()
    assert [delay for delay, _ in scheduled] == list(resources.SWEEP_AGAIN_AFTER)

    (folder / "duckdb_temp_storage.tmp").parent.mkdir()  # the ended session's query spilled once more
    (folder / "duckdb_temp_storage.tmp").write_bytes(b"y")
    scheduled[0][1]()  # the first later sweep
    assert not folder.exists()


def test_released_folders_are_forgotten_once_long_gone(tmp_path, monkeypatch):
    monkeypatch.setattr(resources.time, "monotonic", lambda: 10_000.0)
    old, new = str(tmp_path / "old"), str(tmp_path / "new")
    monkeypatch.setattr(resources, "_RELEASED_FOLDERS", {old: 10_000.0 - 601, new: 10_000.0 - 5})
    (tmp_path / "new").mkdir()
    resources._sweep_released_folders()
    assert dict(resources._RELEASED_FOLDERS) == {new: 10_000.0 - 5}
    assert not (tmp_path / "new").exists()


def test_folders_of_a_server_process_that_ended_are_swept_at_the_next_start(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(ended.stdout)
    left_by_killed_server = tmp_path / f"gtm-session-{dead_pid}-k1x2"
    ours = tmp_path / f"gtm-session-{os.getpid()}-a1b2"
    unrelated = tmp_path / "gtm-session-notapid"
    for folder in (left_by_killed_server, ours, unrelated):
        (folder / "spill").mkdir(parents=True)

    new = resources._spill_folder(str(tmp_path))

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([ours.name, unrelated.name, os.path.basename(new)])
    assert os.path.basename(new).startswith(f"gtm-session-{os.getpid()}-")


class _Idle:
    daemon = False

    def start(self) -> None:
        pass


def test_a_released_session_lets_go_of_its_uploads_at_once(tmp_path, monkeypatch):
    """Streamlit may hold the session's objects for a while after it ends; the uploads' bytes go at the end."""
    monkeypatch.setenv("GTM_TEMP_DIR", str(tmp_path))
    session = resources.SessionResources.open(resources.Settings.from_env())
    session.workspace.add("leads.csv", b"Lead ID,Lead Source\nL-1,Events\nL-2,Web\n")
    assert [loaded.data for loaded in session.workspace.files] == [b"Lead ID,Lead Source\nL-1,Events\nL-2,Web\n"]
    session.release()
    assert session.workspace.files == [] and not os.path.exists(session.spill_dir)


class _Dropped:
    """An object in a reference cycle holding an upload, as Streamlit's session objects are once it drops them."""

    def __init__(self):
        self.itself = self
        self.upload = b"Lead ID,Lead Source\n" * 1000


def test_a_sessions_end_closes_its_database_and_returns_memory_then_and_at_each_later_sweep(tmp_path, monkeypatch):
    """At the end the session's DuckDB is closed, its files and folder are gone and the allocator is trimmed; each
    later sweep collects what Streamlit dropped meanwhile (objects in cycles, which only a full collection frees)
    and trims again."""
    monkeypatch.setenv("GTM_TEMP_DIR", str(tmp_path))
    scheduled = []
    monkeypatch.setattr(resources.threading, "Timer", lambda delay, call: scheduled.append((delay, call)) or _Idle())
    trims = []
    trim = resources._trim_allocator
    monkeypatch.setattr(resources, "_trim_allocator", lambda: trims.append(trim()))
    session = resources.SessionResources.open(resources.Settings.from_env())
    session.workspace.add("leads.csv", b"Lead ID,Lead Source\nL-1,Events\nL-2,Web\n")
    con = session.workspace.con

    session.release()
    assert len(trims) == 1
    with pytest.raises(duckdb.ConnectionException):
        con.execute("SELECT 1")
    assert session.workspace.files == [] and not os.path.exists(session.spill_dir)

    gc.disable()  # only the sweep may collect
    try:
        dropped = weakref.ref(_Dropped())
        assert dropped() is not None
        for number, (_, sweep) in enumerate(scheduled, start=2):
            sweep()
            assert dropped() is None and len(trims) == number
    finally:
        gc.enable()
    assert [delay for delay, _ in scheduled] == list(resources.SWEEP_AGAIN_AFTER)


def test_memory_is_still_collected_where_there_is_no_glibc(monkeypatch):
    def no_glibc(name):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(resources.ctypes, "CDLL", no_glibc)
    gc.disable()
    try:
        dropped = weakref.ref(_Dropped())
        resources._return_memory()
        assert dropped() is None
    finally:
        gc.enable()
