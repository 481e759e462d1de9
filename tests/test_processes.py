"""The worker processes of a session (core.processes): listed under it while they run, killed at its end, none
started after it, and none left running when its caller stops waiting for it."""

from __future__ import annotations

import sys

import pytest

from core import processes
from tests.processes import HAS_PROC, alive

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


class CallerInterrupted(Exception):
    pass


@pytest.mark.skipif(not HAS_PROC, reason="finds processes through Linux's /proc")
def test_a_worker_still_running_when_its_caller_stops_waiting_is_killed_and_unlisted(tmp_path):
    folder = str(tmp_path)
    with pytest.raises(CallerInterrupted), processes.worker(folder, SLEEPER) as worker:
        assert processes.running(folder) == 1 and alive(worker.pid)
        raise CallerInterrupted  # a script stopped, or any error, while the worker runs
    assert worker.returncode == -9 and processes.running(folder) == 0


def test_a_sessions_end_kills_its_workers_and_no_worker_starts_after_it(tmp_path):
    folder, other = str(tmp_path / "ended"), str(tmp_path / "other")
    with processes.worker(folder, SLEEPER) as first, processes.worker(other, SLEEPER) as second:
        assert processes.stop(folder) == 1
        assert first.wait() == -9 and second.poll() is None
        second.kill()
    with pytest.raises(processes.SessionEnded), processes.worker(folder, SLEEPER):
        pass
    assert (processes.running(folder), processes.running(other)) == (0, 0)
