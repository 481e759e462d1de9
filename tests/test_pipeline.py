"""An upload goes down the import stages in order (core.imports): read → reshape → profile → recognise → plan →
load → check → build, each entered once from the workspace, none returning to an earlier one — for a small file
(the careful reader) and for a large one whose body is typed in one pass straight from the file.

The stages are watched where the workspace calls them: a call of a module-level function of a stage's modules
made from outside every stage. Calls a stage makes inside itself or into another's helpers do not count as
entering a stage, nor do methods of the objects stages hand over (a plan's fields, a file body's release).
"""

from __future__ import annotations

import sys
from itertools import groupby

import duckdb
import pytest

from core import ingest
from core.imports import reading
from core.ingest import Workspace

STAGES = {  # module → stage, in the pipeline's order
    "core.imports.reading": "read",
    "core.imports.reshape": "reshape",
    "core.imports.profile": "profile",
    "core.imports.names": "recognise",
    "core.imports.links": "recognise",
    "core.imports.recognise": "recognise",
    "core.imports.mapping": "recognise",
    "core.imports.plan": "plan",
    "core.imports.load": "load",
    "core.imports.check": "check",
    "core.imports.build": "build",
    "core.fx": "build",
    "core.imports.quality": "build",  # keys across tables, once the tables are built (a file's own checks call it inside check)
}
ORDER = ["read", "reshape", "profile", "recognise", "plan", "load", "check", "build"]


def entered_stages(upload) -> list[str]:
    """The stages entered from outside any stage while `upload()` runs, repeats collapsed."""
    entered: list[str] = []
    depth = 0  # stage frames open on the stack

    def watch(frame, event, _arg):
        nonlocal depth
        stage = STAGES.get(frame.f_globals.get("__name__"))
        if stage is None or event not in ("call", "return"):
            return
        if event == "call":
            if depth == 0 and "." not in frame.f_code.co_qualname:
                entered.append(stage)
            depth += 1
        else:
            depth -= 1

    sys.setprofile(watch)
    try:
        upload()
    finally:
        sys.setprofile(None)
    return [stage for stage, _ in groupby(entered)]


def leads_csv(rows: int) -> bytes:
    lines = ["Lead ID,Created Date,Lead Status,Lead Source"]
    lines += [
        f"L{n},2024-{n % 12 + 1:02d}-{n % 28 + 1:02d},{('Open', 'Qualified')[n % 2]},Webinar" for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_a_small_upload_goes_down_the_stages_once():
    ws = Workspace(duckdb.connect())
    stages = entered_stages(lambda: ws.add("leads.csv", leads_csv(20)))
    assert stages == ORDER
    assert ws.files[0].rows_loaded == 20


@pytest.fixture
def small_head(monkeypatch):
    monkeypatch.setattr(reading, "HEAD_ROWS", 40)
    monkeypatch.setattr(reading, "FAST_PATH_MIN_BYTES", 0)
    monkeypatch.setattr(ingest, "RELEASE_RAW_ROWS", 40)


def test_a_large_upload_typed_in_one_pass_goes_down_the_stages_once(small_head):
    ws = Workspace(duckdb.connect())
    stages = entered_stages(lambda: ws.add("leads.csv", leads_csv(500)))
    assert stages == [stage for stage in ORDER if stage != "reshape"]  # a body left in a file is not reshaped
    assert ws.files[0].rows_loaded == 500
    assert ws.con.execute("SELECT count(*) FROM leads WHERE status = 'Qualified'").fetchone()[0] == 250
