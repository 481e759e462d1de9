"""A new visitor's sample company is copied from one loaded once per server process: it must be the same as
loading the sample files afresh, and the session must go on working on its own copy."""

from __future__ import annotations

import duckdb

from core import explore
from core.ingest import Workspace
from core.metrics import engine
from core.sample import load_sample, sample_blobs, sample_profile


def tables(ws: Workspace) -> dict[str, tuple]:
    return {
        kind: ws.con.execute(f'SELECT count(*), sum(hash(t)) FROM "{kind}" t').fetchone()
        for kind in explore.canonical_tables(ws.con)
    }


def test_the_copied_sample_equals_a_fresh_load():
    fresh = Workspace(duckdb.connect())
    fresh.restore(sample_blobs(), {})
    copied = Workspace(duckdb.connect())
    load_sample(copied)
    assert copied.inspect() == fresh.inspect()
    assert tables(copied) == tables(fresh) and tables(copied)["leads"][0] == 40_007
    assert copied.preview(copied.files[0].file_id).equals(fresh.preview(fresh.files[0].file_id))
    wanted = ["qualified_leads", "close_ratio", "time_to_close", "nps"]
    ours = engine.compute(copied.con, wanted, sample_profile())
    theirs = engine.compute(fresh.con, wanted, sample_profile())
    assert [ours[m].value for m in wanted] == [theirs[m].value for m in wanted]


def test_each_session_changes_only_its_own_copy():
    first, second = Workspace(duckdb.connect()), Workspace(duckdb.connect())
    load_sample(first)
    load_sample(second)
    leads = next(f for f in first.files if f.kind == "leads")
    first.remove(leads.file_id)
    added = first.add("more.csv", b"Lead ID,Lead Source\nL-1,Events\n")
    assert added[0].file_id not in {f.file_id for f in second.files}  # ids go on after the copied files'
    assert first.con.execute("SELECT count(*) FROM leads").fetchone()[0] == 1
    assert second.con.execute("SELECT count(*) FROM leads").fetchone()[0] == 40_007
    assert len(second.files) == len(sample_blobs())
