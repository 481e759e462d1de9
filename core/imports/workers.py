"""Worker processes that read uploads away from the server's interpreter, and their ending with the session.

The Python CSV reader is Python work: in the server it would hold the interpreter lock that every visitor's page
needs, for as long as it reads (a minute for 40 MB). A worker (core/imports/text_worker.py) reads the file instead,
at a lower priority and under a memory cap, and sends back only what the server keeps: the rows in a Parquet
file in the session's folder, the rejected rows and the notes. Each running worker is listed under its session's
folder (process handles only, no data), so that the session's end stops it (`stop`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

TEXT_WORKER = Path(__file__).with_name("text_worker.py")
# The worker's address space beyond the file it maps: about 450 MB for the interpreter and libraries, and the
# rows the reader's budget lets it hold (64 MB as counted, about 5 times that as Python objects) with their JSON.
MEMORY_MB = 1024
# Arrow's default allocator (mimalloc) reserves 1 GB of address space at its first use; the system one does not.
WORKER_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system"}

_RUNNING: dict[str | None, set[subprocess.Popen]] = {}
_RUNNING_LOCK = threading.Lock()


def read_text(request: dict, folder: str | None, file_bytes: int) -> dict:
    """Run the text worker on `request` and return its answer: `{"table": fields}` or `{"refused": message}`.
    Raises WorkerStopped when it ended any other way (killed, out of memory, crashed)."""
    request = {**request, "address_space_mb": file_bytes // 2**20 + MEMORY_MB}
    worker = subprocess.Popen(
        [sys.executable, "-I", str(TEXT_WORKER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # a traceback could quote a value of the file
        cwd=folder,
        env=WORKER_ENV,
    )
    with _RUNNING_LOCK:
        _RUNNING.setdefault(folder, set()).add(worker)
    try:
        out, _ = worker.communicate(json.dumps(request).encode())
    finally:
        with _RUNNING_LOCK:
            _RUNNING[folder].discard(worker)
            if not _RUNNING[folder]:
                del _RUNNING[folder]
    try:
        answer = json.loads(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        answer = {}
    if worker.returncode not in (0, 1) or not ("table" in answer or "refused" in answer):
        raise WorkerStopped("memory" if answer.get("error") == "memory" else "stopped")
    return answer


def running(folder: str | None) -> int:
    """How many workers are reading for the session whose folder this is."""
    with _RUNNING_LOCK:
        return len(_RUNNING.get(folder, ()))


def stop(folder: str | None) -> int:
    """Kill the workers reading for the session whose folder this is (its end); how many there were."""
    with _RUNNING_LOCK:
        running = list(_RUNNING.get(folder, ()))
    for worker in running:
        worker.kill()
    return len(running)


class WorkerStopped(Exception):
    """A worker ended without an answer; `args[0]` says how: "memory" or "stopped"."""
