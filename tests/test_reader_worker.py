"""The Python CSV reader in a worker process (core/imports/text_worker.py): the same rows, rejected rows, line
numbers and notes as when the server reads the file itself; nothing loaded and a message naming the file when the
worker stops or runs over its memory, CPU time or wall clock; stopped when its session ends, even as it starts, and
when the server process dies."""

from __future__ import annotations

import subprocess
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from core import processes
from core.imports import reading, workers
from core.imports.reading import ReadError, read_upload
from core.resources import SessionResources
from core.settings import Settings
from tests.corpus import CORPUS, build
from tests.processes import HAS_PROC, worker_outlives_its_killed_server

IN_THE_SERVER = 2**62  # WORKER_MIN_BYTES that keeps every file in the server process
IN_A_WORKER = 0
LONE_CR_HEADER = b"lead_id,source\r"  # a header ending in a lone CR sends the file to the Python reader
# Files the Python reader reads (smaller than the DuckDB route's minimum), neither refused nor a container.
PYTHON_READ = [
    name
    for name in CORPUS
    if not name.endswith((".xlsx", ".xls", ".parquet", ".zip"))
    and len(build(name)) < reading.FAST_PATH_MIN_BYTES
    and name not in ("empty.csv", "whitespace_only.csv", "binary_junk.csv", "png_named.csv", "gzip_named.csv")
]
SLOW = LONE_CR_HEADER + b"ab,cd\n" * 2_000_000  # 12 MB: about 11 s of CPU in the worker
STOPPED = (
    "lone_cr.csv: the reader stopped before the end of it, so nothing of it was loaded. Upload it again; if this "
    "happens again, save it as a UTF-8 CSV with ordinary line ends (or split it) and upload that."
)


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture
def worker_runs(monkeypatch):
    """The number of times a worker was started, counted around the real one."""
    runs = []
    start = workers.read_text

    def counted(*args, **kwargs):
        runs.append(args[0]["source"])
        return start(*args, **kwargs)

    monkeypatch.setattr(workers, "read_text", counted)
    return runs


def both_ways(con, monkeypatch, name: str, data: bytes):
    monkeypatch.setattr(reading, "WORKER_MIN_BYTES", IN_THE_SERVER)
    here = read_upload(con, name, data)
    monkeypatch.setattr(reading, "WORKER_MIN_BYTES", IN_A_WORKER)
    there = read_upload(con, name, data)
    return here, there


def assert_same(con, here, there):
    assert len(here) == len(there)
    for server, worker in zip(here, there, strict=True):
        assert server.table != worker.table
        fields = ("source", "columns", "original_columns", "rows_read", "rows_loaded", "rejected", "encoding")
        more = ("delimiter", "header_line", "notes", "signature")
        assert [getattr(worker, f) for f in fields + more] == [getattr(server, f) for f in fields + more]
        ordered = "SELECT * FROM {} ORDER BY _line"
        assert (
            con.execute(ordered.format(worker.table)).fetchall() == con.execute(ordered.format(server.table)).fetchall()
        )
        described = con.execute(f"DESCRIBE {worker.table}").fetchall()
        assert [row[:2] for row in described] == [row[:2] for row in con.execute(f"DESCRIBE {server.table}").fetchall()]


@pytest.mark.parametrize("name", PYTHON_READ)
def test_the_worker_reads_each_awkward_file_as_the_server_does(con, monkeypatch, worker_runs, name):
    here, there = both_ways(con, monkeypatch, name, build(name))
    assert_same(con, here, there)
    assert worker_runs == [table.source for table in there]


def test_a_file_with_bad_rows_gets_the_same_rejects_in_the_worker(con, monkeypatch, worker_runs):
    """Rows with too many fields, blank rows, a total in the body and a report footer, below a header ending in a
    lone CR: line numbers and reasons as the server reader gives them, and as counted by hand."""
    body = b"".join(b"L%d,Web\n" % i for i in range(2, 40_002))  # lines 2-40,001
    awkward = b"L9,Web,extra,fields\n\nTotal,2\nL10,Ads\n"  # lines 40,002-40,005
    footer = b"\nGrand Total,40003\nConfidential Information\n"  # lines 40,006-40,008
    data = LONE_CR_HEADER + body + awkward + footer
    here, there = both_ways(con, monkeypatch, "bad_rows.csv", data)
    assert_same(con, here, there)
    (table,) = there
    assert [(row.line, row.reason, row.content) for row in table.rejected] == [
        (40_002, "has 4 fields where the header has 2", "L9,Web,extra,fields"),
        (40_003, reading.BLANK_REASON, ""),
        (40_004, reading.FOOTER_REASON, "Total,2"),
        (40_006, reading.FOOTER_REASON, ""),
        (40_007, reading.FOOTER_REASON, "Grand Total,40003"),
        (40_008, reading.FOOTER_REASON, "Confidential Information"),
    ]
    assert (table.rows_read, table.rows_loaded) == (40_007, 40_001)
    assert worker_runs == ["bad_rows.csv"]


def test_a_file_over_the_readers_budget_is_refused_by_the_worker_as_by_the_server(con, monkeypatch):
    data = LONE_CR_HEADER + b"L1,Web\n" * 20_000 + b"L2,Web,extra,fields\n" * 20_000
    monkeypatch.setattr(reading.budgets, "READER_HELD_BYTES", 1024 * 1024)
    messages = []
    for where in (IN_THE_SERVER, IN_A_WORKER):
        monkeypatch.setattr(reading, "WORKER_MIN_BYTES", where)
        with pytest.raises(ReadError) as refused:
            read_upload(con, "lone_cr.csv", data)
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
    assert messages[1].startswith("lone_cr.csv: reading it would hold more than 1 MB of rows that are not data")
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]


def read_in_thread(con, data: bytes, folder: str) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def read() -> None:
        try:
            outcome["tables"] = read_upload(con, "lone_cr.csv", data, tmp_dir=folder)
        except ReadError as error:
            outcome["error"] = str(error)

    thread = threading.Thread(target=read)
    thread.start()
    return thread, outcome


def wait_for_a_worker(thread: threading.Thread, folder: str) -> None:
    while thread.is_alive() and not processes.running(folder):
        time.sleep(0.02)


def test_a_worker_killed_mid_file_leaves_nothing_loaded_and_names_the_file(con, tmp_path):
    data = LONE_CR_HEADER + b"ab,cd\n" * 2_000_000  # 12 MB: seconds of reading
    thread, outcome = read_in_thread(con, data, str(tmp_path))
    wait_for_a_worker(thread, str(tmp_path))
    assert processes.stop(str(tmp_path)) == 1
    thread.join()
    assert outcome == {"error": STOPPED}
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]
    assert list(tmp_path.iterdir()) == []  # the upload's copy and the half-written rows are removed


def test_the_end_of_a_session_stops_the_worker_reading_for_it(monkeypatch, tmp_path):
    monkeypatch.setenv("GTM_TEMP_DIR", str(tmp_path))
    resources = SessionResources.open(Settings.from_env())
    folder = resources.spill_dir
    thread, outcome = read_in_thread(resources.workspace.con, LONE_CR_HEADER + b"ab,cd\n" * 2_000_000, folder)
    wait_for_a_worker(thread, folder)
    assert processes.running(folder) == 1
    resources.release()
    thread.join()
    assert outcome == {"error": STOPPED} and processes.running(folder) == 0


def test_a_worker_over_its_memory_cap_is_stopped_with_a_message_naming_the_file(con, monkeypatch, tmp_path):
    """With 520 MB of address space beyond the file (the libraries take about 450) the worker cannot hold 370,000
    rejected rows, which are within the reader's 64 MB budget: it stops, and the file is refused as a whole."""
    monkeypatch.setattr(workers, "MEMORY_MB", 520)
    data = LONE_CR_HEADER + b"L1,Web\n" * 1_000 + b"L2,Web,extra,fields\n" * 370_000
    with pytest.raises(ReadError) as refused:
        read_upload(con, "lone_cr.csv", data, tmp_dir=str(tmp_path))
    assert str(refused.value) == STOPPED.replace(
        "the reader stopped before the end of it", "it needed more memory than reading one file may take"
    )
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]
    assert list(tmp_path.iterdir()) == []


def assert_nothing_loaded(con, folder: Path) -> None:
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]
    assert list(folder.iterdir()) == []  # neither the upload's copy nor the half-written rows, nor a core dump


@pytest.mark.parametrize(
    ("budget", "said"),
    [
        ("CPU", "it needed more processor time than reading a file of its size may take"),  # wall clock: 180 s
        ("WALL", "reading it took longer than reading a file of its size may take"),  # CPU time: 60 s for 12 MB
    ],
)
def test_a_worker_over_its_budget_is_stopped_with_a_message_naming_the_file(con, monkeypatch, tmp_path, budget, said):
    monkeypatch.setenv(f"GTM_READER_{budget}_S_PER_MB", "0")
    monkeypatch.setenv(f"GTM_READER_{budget}_MIN_S", "1")
    with pytest.raises(ReadError) as refused:
        read_upload(con, "lone_cr.csv", SLOW, tmp_dir=str(tmp_path))
    assert str(refused.value) == STOPPED.replace("the reader stopped before the end of it", said)
    assert_nothing_loaded(con, tmp_path)


def test_no_worker_starts_for_a_session_that_has_ended(con, tmp_path):
    assert processes.stop(str(tmp_path)) == 0
    with pytest.raises(ReadError) as refused:
        read_upload(con, "lone_cr.csv", SLOW, tmp_dir=str(tmp_path))
    assert str(refused.value) == STOPPED
    assert_nothing_loaded(con, tmp_path)


def test_a_session_ending_as_its_worker_starts_stops_that_worker(con, monkeypatch, tmp_path):
    """The session ends between the worker's start and its listing under the session: the end waits for the
    listing, then stops it."""
    folder = str(tmp_path)
    start = subprocess.Popen
    endings = []

    def start_as_the_session_ends(*args, **kwargs):
        worker = start(*args, **kwargs)
        ending = threading.Thread(target=lambda: endings.append(processes.stop(folder)))
        ending.start()
        ending.join(timeout=1)  # the session's end goes as far as it can before the worker is listed
        return worker

    monkeypatch.setattr(processes.subprocess, "Popen", start_as_the_session_ends)
    thread, outcome = read_in_thread(con, SLOW, folder)
    thread.join()
    assert outcome == {"error": STOPPED} and endings == [1]
    assert_nothing_loaded(con, tmp_path)


SERVER = textwrap.dedent(
    """
    import sys
    import duckdb
    sys.path.insert(0, sys.argv[1])
    from core.imports.reading import read_upload
    read_upload(duckdb.connect(), "lone_cr.csv", b"lead_id,source\\r" + b"ab,cd\\n" * 4_000_000, tmp_dir=sys.argv[2])
    """
)


@pytest.mark.skipif(not HAS_PROC, reason="finds processes through Linux's /proc")
def test_a_worker_dies_with_the_server_process_that_started_it(tmp_path):
    """24 MB keep a surviving worker reading for about 25 s."""
    assert not worker_outlives_its_killed_server(SERVER, str(tmp_path), b"text_worker.py")
