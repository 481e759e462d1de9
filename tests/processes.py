"""A server process killed with SIGKILL while its worker runs, and whether the worker outlived it, for the tests of
the workers a session starts (core.processes). Finds processes through Linux's /proc."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
HAS_PROC = Path("/proc/self/stat").exists()


def children(parent: int, script: bytes) -> list[int]:
    """Process ids of the processes whose parent is `parent` and whose command line names `script`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" (", 1)
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(rest.rsplit(") ", 1)[1].split()[1]) == parent and script in cmdline:
            found.append(int(pid))
    return found


def alive(pid: int) -> bool:
    """Running or stopped, not gone or a zombie waiting for a parent that never reaps it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def has_open(pid: int, name: str) -> bool:
    """Whether the process holds a file whose path ends in `name` open."""
    try:
        return any(os.readlink(fd).endswith(name) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # ended, or a descriptor closed meanwhile
        return False


def worker_outlives_its_killed_server(server: str, folder: str, script: bytes, grace_s: float = 10) -> bool:
    """Run the Python code `server` (argv: the project's root, `folder`) until it has started a worker whose command
    line names `script`, kill the server with SIGKILL, and say whether the worker still runs `grace_s` seconds
    later. Give the worker work that takes longer than that."""
    process = subprocess.Popen([sys.executable, "-c", server, ROOT, folder])
    worker: list[int] = []
    try:
        while process.poll() is None and not worker:
            worker = children(process.pid, script)
            time.sleep(0.05)
        assert process.poll() is None, "the server ended before its worker was seen"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        waited = 0.0
        while alive(worker[0]) and waited < grace_s:
            time.sleep(0.1)
            waited += 0.1
        return alive(worker[0])
    finally:
        process.kill()
        for pid in worker:
            if alive(pid):  # only when the worker outlived the server
                os.kill(pid, signal.SIGKILL)
