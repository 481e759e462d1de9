"""Worker processes that read uploads away from the server's interpreter, and their ending with the session.

The Python CSV reader is Python work: in the server it would hold the interpreter lock that every visitor's page
needs, for as long as it reads (a minute for 40 MB). A worker (core/imports/text_worker.py) reads the file instead,
at a lower priority, under a memory cap and a CPU-time and wall-clock budget that grow with the file, and sends
back only what the server keeps: the rows in a Parquet file in the session's folder, the rejected rows and the
notes. Like every worker of a session, it is listed under the session's folder, so that the session's end stops it,
and it dies with the server process (core.processes).
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
from pathlib import Path

from core import processes
from core.settings import Settings

TEXT_WORKER = Path(__file__).with_name("text_worker.py")
# The worker's address space beyond the file it maps: about 450 MB for the interpreter and libraries, and the
# rows the reader's budget lets it hold (64 MB as counted, about 5 times that as Python objects) with their JSON.
MEMORY_MB = 1024
# Arrow's default allocator (mimalloc) reserves 1 GB of address space at its first use; the system one does not.
WORKER_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system"}


def read_text(request: dict, folder: str | None, file_bytes: int) -> dict:
    """Run the text worker on `request` and return its answer: `{"table": fields}` or `{"refused": message}`.
    Raises WorkerStopped when it ended any other way (killed, out of memory or time, crashed) or its session has
    ended."""
    cpu_s, wall_s = time_budget(file_bytes)
    request = {**request, "address_space_mb": file_bytes // 2**20 + MEMORY_MB, "cpu_s": cpu_s}
    try:
        with processes.worker(
            folder,
            [sys.executable, "-I", str(TEXT_WORKER), str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a traceback could quote a value of the file
            cwd=folder,
            env=WORKER_ENV,
        ) as worker:
            out, _ = worker.communicate(json.dumps(request).encode(), timeout=wall_s)
    except processes.SessionEnded:
        raise WorkerStopped("stopped") from None
    except subprocess.TimeoutExpired:  # the worker has been killed
        raise WorkerStopped("time") from None
    try:
        answer = json.loads(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        answer = {}
    if worker.returncode not in (0, 1) or not ("table" in answer or "refused" in answer):
        raise WorkerStopped(_how_it_ended(worker.returncode, answer))
    return answer


def time_budget(file_bytes: int) -> tuple[int, float]:
    """CPU seconds and wall-clock seconds a worker may take over a file of `file_bytes` (Settings.reader_*)."""
    settings, megabytes = Settings.from_env(), file_bytes / 2**20
    cpu_s = max(settings.reader_cpu_min_s, settings.reader_cpu_s_per_mb * megabytes)
    wall_s = max(settings.reader_wall_min_s, settings.reader_wall_s_per_mb * megabytes)
    return math.ceil(cpu_s), wall_s


def _how_it_ended(returncode: int, answer: dict) -> str:
    if answer.get("error") == "memory":
        return "memory"
    if returncode == -signal.SIGXCPU:  # over its CPU time (RLIMIT_CPU)
        return "cpu"
    return "stopped"


class WorkerStopped(Exception):
    """A worker ended without an answer; `args[0]` says how: "memory", "cpu" (its CPU time), "time" (its wall
    clock) or "stopped"."""
