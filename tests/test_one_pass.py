"""A large CSV is read, typed and checked in one pass, decided from its first rows; whatever those rows did not
foresee sends the file down the whole-file route, so the result is always the one that route gives."""

from __future__ import annotations

import os
import tempfile

import duckdb
import pytest

from core import ingest
from core.imports import load as stages
from core.imports import reading
from core.ingest import Workspace
from core.schema import TABLE_KINDS, stored_table

HEAD = 40  # rows the decisions are taken from in these tests
HEADER = "Record ID,Create Date,Lead Status,Lifecycle Stage,Annual Revenue"


def leads_csv(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def plain_rows(count: int, start: int = 0) -> list[str]:
    statuses = ("Open", "Connected", "Unqualified")
    return [
        f'L{n},2024-{n % 12 + 1:02d}-{n % 28 + 1:02d} 10:{n % 60:02d},{statuses[n % 3]},lead,"${n * 10:,}.00"'
        for n in range(start, start + count)
    ]


@pytest.fixture
def small_head(monkeypatch):
    monkeypatch.setattr(reading, "HEAD_ROWS", HEAD)
    monkeypatch.setattr(reading, "FAST_PATH_MIN_BYTES", 0)
    monkeypatch.setattr(reading, "TAIL_LINES", 3)
    monkeypatch.setattr(ingest, "RELEASE_RAW_ROWS", HEAD)


def load(data: bytes, monkeypatch, *, one_pass: bool) -> tuple[Workspace, list[bool]]:
    """The workspace after adding `data`, and per one-pass attempt whether it held."""
    attempts: list[bool] = []
    original = stages.stage_body

    def spy(*args):
        held = original(*args)
        attempts.append(held is not None)
        return held

    monkeypatch.setattr(stages, "stage_body", spy)
    if not one_pass:
        monkeypatch.setattr(reading, "HEAD_ROWS", 10**9)
    ws = Workspace(duckdb.connect())
    ws.add("leads.csv", data)
    monkeypatch.setattr(reading, "HEAD_ROWS", HEAD)
    return ws, attempts


def outcome(ws: Workspace) -> tuple:
    columns = ", ".join(f.name for f in TABLE_KINDS["leads"].fields)
    table = ws.con.execute(f"SELECT {columns} FROM leads ORDER BY lead_id").fetchall()
    rejected = ws.rejected_rows(ws.files[0].file_id).values.tolist()
    preview = ws.preview(ws.files[0].file_id).to_dict("list")
    # The reasons quote sampled values, which one pass takes from the file's head: everything else must agree.
    entries = [{k: v for k, v in entry.items() if k != "reasons"} for entry in ws.inspect()]
    return entries, table, rejected, preview


def same_as_whole_file(data: bytes, monkeypatch) -> list[bool]:
    """Load `data` both ways, check the results are equal, and return the one-pass attempts."""
    one, attempts = load(data, monkeypatch, one_pass=True)
    whole, never = load(data, monkeypatch, one_pass=False)
    assert never == []
    assert outcome(one) == outcome(whole)
    entry = one.inspect()[0]
    assert entry["rows_read"] == entry["rows_loaded"] + entry["rows_rejected"]
    return attempts


def test_a_clean_file_is_staged_in_one_pass_with_nothing_left_behind(small_head, monkeypatch, tmp_path):
    data = leads_csv(plain_rows(200))
    attempts = same_as_whole_file(data, monkeypatch)
    assert attempts == [True]
    ws, _ = load(data, monkeypatch, one_pass=True)
    loaded = ws.files[0]
    assert (loaded.rows_read, loaded.rows_loaded, loaded.rows_rejected) == (200, 200, 0)
    assert loaded.raw.body is None and not loaded.raw_in_db
    tables = {row[0] for row in ws.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {stored_table("leads")}  # the rows of the canonical view, nothing else
    assert ws.con.execute("SELECT sum(annual_revenue) FROM leads").fetchall()[0][0] == sum(n * 10 for n in range(200))
    # the kept file is read whole again when a decision needs its text
    ws.set_mapping(loaded.file_id, {"status": None})
    assert ws.con.execute("SELECT count(*), count(status) FROM leads").fetchall()[0] == (200, 0)


def test_a_date_format_first_seen_after_the_head_is_read_as_on_the_whole_file(small_head, monkeypatch):
    rows = plain_rows(100) + ["L900,2024/05/07,Open,lead,5"]
    assert same_as_whole_file(leads_csv(rows), monkeypatch) == [False]


def test_an_unreadable_date_after_the_head_is_counted_as_on_the_whole_file(small_head, monkeypatch):
    rows = plain_rows(100) + ["L900,not a date,Open,lead,5"]
    assert same_as_whole_file(leads_csv(rows), monkeypatch) == [False]
    ws, _ = load(leads_csv(rows), monkeypatch, one_pass=True)
    messages = [p["message"] for p in ws.inspect()[0]["problems"]]
    assert any("1 value in 'Create Date'" in m and "'not a date'" in m for m in messages)


def test_a_status_first_seen_after_the_head_gets_its_own_class(small_head, monkeypatch):
    rows = plain_rows(100) + ["L900,2024-01-01 10:00,Open Deal,lead,5"]
    assert same_as_whole_file(leads_csv(rows), monkeypatch) == [False]
    ws, _ = load(leads_csv(rows), monkeypatch, one_pass=True)
    status = ws.con.execute("SELECT status_class FROM leads WHERE lead_id = 'L900'").fetchall()
    assert status == [("converted",)]


def test_blank_and_total_rows_after_the_head_are_rejected_as_on_the_whole_file(small_head, monkeypatch):
    rows = plain_rows(60) + ["", ",,,,"] + plain_rows(60, start=60) + ["Total,,,,", "x", "y", "z"]
    assert same_as_whole_file(leads_csv(rows), monkeypatch) == [False]
    ws, _ = load(leads_csv(rows), monkeypatch, one_pass=True)
    reasons = ws.rejected_rows(ws.files[0].file_id)["reason"].tolist()
    assert reasons.count(reading.BLANK_REASON) == 2
    assert ws.files[0].rows_read == 126


def test_a_quoted_line_break_after_the_head_is_read_as_on_the_whole_file(small_head, monkeypatch):
    rows = plain_rows(60) + ['L900,2024-01-01 10:00,"Open\nstill open",lead,5'] + plain_rows(60, start=60)
    same_as_whole_file(leads_csv(rows), monkeypatch)
    ws, _ = load(leads_csv(rows), monkeypatch, one_pass=True)
    assert ws.con.execute("SELECT count(*) FROM leads").fetchall()[0][0] == 121


def test_a_share_above_one_after_the_head_is_scaled_as_on_the_whole_file(small_head, monkeypatch):
    header = "Opportunity ID,Stage,Amount,Close Date,Probability (%)"
    rows = [f"O{n},Prospecting,100,2024-01-01,0.{n % 10}" for n in range(100)] + ["O900,Prospecting,100,2024-01-01,45"]
    data = ("\n".join([header, *rows]) + "\n").encode()
    one, attempts = load(data, monkeypatch, one_pass=True)
    whole, _ = load(data, monkeypatch, one_pass=False)
    assert attempts == [False]
    query = "SELECT opportunity_id, probability FROM opportunities ORDER BY opportunity_id"
    assert one.con.execute(query).fetchall() == whole.con.execute(query).fetchall()
    assert one.con.execute("SELECT probability FROM opportunities WHERE opportunity_id = 'O900'").fetchall() == [
        (0.45,)
    ]


def test_reading_writes_its_temp_files_into_the_sessions_folder(small_head, monkeypatch, tmp_path):
    folders: list[str | None] = []
    original = tempfile.mkstemp

    def recording(*args, **kwargs):
        folders.append(kwargs.get("dir"))
        return original(*args, **kwargs)

    monkeypatch.setattr(reading.tempfile, "mkstemp", recording)
    ws = Workspace(duckdb.connect(config={"temp_directory": str(tmp_path)}))
    ws.add("leads.csv", leads_csv(plain_rows(200)))
    assert folders and set(folders) == {str(tmp_path)}
    assert os.listdir(tmp_path) == []  # every temp file is gone once loaded


def test_a_file_on_disk_is_read_where_it_lies_with_the_same_result(small_head, monkeypatch, tmp_path):
    written: list[int] = []
    original = reading._write_temp
    monkeypatch.setattr(
        reading, "_write_temp", lambda context, data: written.append(len(data)) or original(context, data)
    )
    data = leads_csv(plain_rows(200))
    (tmp_path / "leads.csv").write_bytes(data)
    from_disk = ingest.load_paths(duckdb.connect(), [tmp_path])
    assert max(written) < len(data) / 2  # only the head was copied
    assert (tmp_path / "leads.csv").read_bytes() == data  # and the upload itself is left alone
    uploaded, _ = load(data, monkeypatch, one_pass=True)
    assert outcome(from_disk) == outcome(uploaded)


def test_a_file_on_disk_with_a_title_line_and_a_footer_is_read_from_a_copy(small_head, monkeypatch, tmp_path):
    data = b"Leads report\n" + leads_csv(plain_rows(200)) + b"\nConfidential Information\n"
    (tmp_path / "leads.csv").write_bytes(data)
    from_disk = ingest.load_paths(duckdb.connect(), [tmp_path])
    uploaded, attempts = load(data, monkeypatch, one_pass=True)
    assert attempts == [True]
    assert outcome(from_disk) == outcome(uploaded)
    assert from_disk.files[0].rows_loaded == 200


def _copies_while_loading(monkeypatch, paths) -> tuple[Workspace, list[int]]:
    written: list[int] = []
    original = reading._write_temp
    monkeypatch.setattr(
        reading, "_write_temp", lambda context, data: written.append(len(data)) or original(context, data)
    )
    return ingest.load_paths(duckdb.connect(), paths), written


def test_a_file_on_disk_with_a_report_footer_is_read_where_it_lies(small_head, monkeypatch, tmp_path):
    footer = b'""\n"Confidential Information - Do Not Distribute"\n"Copyright (c) 2000-2026 salesforce.com"\n'
    data = leads_csv(plain_rows(200)) + footer
    (tmp_path / "leads.csv").write_bytes(data)
    from_disk, written = _copies_while_loading(monkeypatch, [tmp_path])
    assert max(written) < len(data) / 2  # only the head was copied, not the body
    uploaded, attempts = load(data, monkeypatch, one_pass=True)
    assert attempts == [True]
    assert outcome(from_disk) == outcome(uploaded)
    entry = from_disk.inspect()[0]
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (203, 200, 3)  # 3 footer lines


def test_a_refused_body_line_above_a_footer_is_still_reported(small_head, monkeypatch, tmp_path):
    rows = plain_rows(200)
    rows[120] = 'L120,2024-01-01 10:00,Open,lead,"$1.00",an extra cell'  # the strict parser refuses it
    data = leads_csv(rows) + b'"Confidential Information - Do Not Distribute"\n'
    (tmp_path / "leads.csv").write_bytes(data)
    from_disk, _ = _copies_while_loading(monkeypatch, [tmp_path])
    rejected = from_disk.rejected_rows(from_disk.files[0].file_id)
    assert 122 in rejected["line"].tolist()  # header line 1, so row L120 is line 122
    assert from_disk.files[0].rows_loaded == 199
    uploaded, _ = load(data, monkeypatch, one_pass=True)
    assert outcome(from_disk) == outcome(uploaded)
