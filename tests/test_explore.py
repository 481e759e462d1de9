"""The Explore sandbox: queries see copies of the canonical tables only, run in a locked process of their own,
and everything else is refused or stopped with a clear message — after which the box still answers."""

import os
import textwrap
import threading
import time
import tracemalloc

import duckdb
import pandas as pd
import pytest

from core import processes
from core.explore import SqlRefused, check_statement, run_query, sandbox, table_rows
from core.resources import SessionResources
from core.schema import create_table_sql
from core.settings import Settings
from tests.processes import HAS_PROC, alive, children, has_open, worker_outlives_its_killed_server

LIMITS = Settings(sql_timeout_s=3, sql_row_limit=1_000, sql_memory_mb=256)
NOT_A_QUERY = "Only queries can run here|Run one statement at a time"
OUTSIDE = "reaches outside your loaded tables"
MISSING = "does not exist"
STOPPED = "longer than 3 seconds and was stopped|more than the 256 MB of memory"
PATIENT = Settings(sql_timeout_s=60, sql_row_limit=1_000)  # for whatever must not be stopped by the clock
# Minutes of one core's work (a hash of each of 10^11 numbers): runs until something stops it.
ENDLESS = "SELECT count(*) FROM range(100_000_000_000) WHERE hash(range) % 7 = 0"


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    con = duckdb.connect()
    con.execute(create_table_sql("leads"))
    con.execute("INSERT INTO leads (lead_id, source) VALUES ('L1', 'Events'), ('L2', 'Events'), ('L3', 'Paid Search')")
    con.execute("CREATE TABLE raw_1 (secret VARCHAR)")  # not canonical: must not reach the sandbox
    secret_df = pd.DataFrame({"x": [1]})  # noqa: F841 — a Python variable a replacement scan could read
    made = sandbox(con, str(tmp_path_factory.mktemp("session")))
    yield made
    made.close()


def still_answers(box) -> None:
    result = run_query(box, "SELECT source, count(*) AS n FROM leads GROUP BY source ORDER BY n DESC", PATIENT)
    assert result.frame.to_dict("records") == [{"source": "Events", "n": 2}, {"source": "Paid Search", "n": 1}]


def test_queries_see_the_canonical_tables_only(box):
    still_answers(box)
    assert table_rows(box) == {"leads": 3}
    assert run_query(box, "SELECT table_name FROM duckdb_tables()", PATIENT).frame["table_name"].tolist() == ["leads"]


def test_the_query_process_is_locked(box):
    sql = (
        "SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS "
        "locked, current_setting('threads') AS threads, current_setting('python_enable_replacements') AS python"
    )
    assert run_query(box, sql, PATIENT).frame.to_dict("records") == [
        {"external": False, "locked": True, "threads": 1, "python": False}
    ]


def test_row_limit_truncates(box):
    result = run_query(box, "SELECT * FROM range(5000)", PATIENT)
    assert len(result.frame) == 1_000 and result.truncated
    assert result.frame["range"].iloc[-1] == 999


ESCAPES = [
    # statements that are not queries, refused by DuckDB's own statement type
    ("DROP TABLE leads", NOT_A_QUERY),
    ("SELECT 1; DROP TABLE leads", NOT_A_QUERY),
    ("/* SELECT */ DROP TABLE leads -- SELECT", NOT_A_QUERY),
    ("CREATE TABLE x AS SELECT 1", NOT_A_QUERY),
    ("INSERT INTO leads (lead_id) VALUES ('x')", NOT_A_QUERY),
    ("UPDATE leads SET source = 'x'", NOT_A_QUERY),
    ("COPY leads TO '/tmp/leak.csv'", NOT_A_QUERY),
    ("COPY (SELECT * FROM leads) TO '/tmp/leak.parquet' (FORMAT parquet)", NOT_A_QUERY),
    ("ATTACH '/tmp/other.db' AS other", NOT_A_QUERY),
    ("DETACH tables", NOT_A_QUERY),
    ("SET enable_external_access = true", NOT_A_QUERY),
    ("SET lock_configuration = false", NOT_A_QUERY),
    ("RESET lock_configuration", NOT_A_QUERY),
    ("PRAGMA version", NOT_A_QUERY),
    ("EXPORT DATABASE '/tmp/dump'", NOT_A_QUERY),
    ("INSTALL httpfs", NOT_A_QUERY),
    ("LOAD httpfs", NOT_A_QUERY),
    ("CALL pragma_version()", NOT_A_QUERY),
    ("CREATE SECRET (TYPE s3, KEY_ID 'k', SECRET 's')", NOT_A_QUERY),
    ("PREPARE p AS SELECT 1", NOT_A_QUERY),
    ("PIVOT leads ON source USING count(*)", "List the values a PIVOT spreads"),
    # the server's files and environment, every way DuckDB reads them
    ("SELECT * FROM read_csv('/etc/passwd')", OUTSIDE),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", OUTSIDE),
    ("SELECT * FROM read_csv(['/etc/passwd', '/etc/hostname'])", OUTSIDE),
    ("SELECT * FROM read_text('/etc/passwd')", OUTSIDE),
    ("SELECT * FROM read_text('file:///etc/passwd')", OUTSIDE),
    ("SELECT * FROM read_blob('/etc/passwd')", OUTSIDE),
    ("SELECT * FROM read_json('/etc/passwd')", OUTSIDE),
    ("SELECT * FROM read_ndjson_objects('/etc/passwd')", OUTSIDE),
    ("SELECT * FROM read_parquet('/etc/passwd')", OUTSIDE),
    ("SELECT * FROM parquet_metadata('/etc/passwd')", OUTSIDE),
    ("SELECT * FROM sniff_csv('/etc/passwd')", OUTSIDE),
    ("SELECT * FROM read_csv('/proc/self/environ')", OUTSIDE),
    ("SELECT * FROM read_duckdb('/tmp/other.db')", OUTSIDE),
    ("SELECT * FROM glob('/etc/*')", OUTSIDE),
    ("SELECT * FROM '/etc/passwd'", MISSING),
    ("FROM '/etc/passwd'", MISSING),
    ("SELECT * FROM read_csv('https://example.com/leads.csv')", OUTSIDE),
    ("SELECT getenv('HOME')", MISSING),
    ("SELECT * FROM duckdb_extensions()", OUTSIDE),
    ("SELECT * FROM duckdb_secrets()", OUTSIDE),
    # other data of this process: Python variables (replacement scans) and the session's raw tables
    ("SELECT * FROM secret_df", MISSING),
    ("SELECT * FROM raw_1", MISSING),
    ("SELECT * FROM query('DROP TABLE leads')", "single SELECT statement"),
    # runaway queries: stopped by the time limit or the process's memory cap
    ("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t", STOPPED),
    ("SELECT a.range % 7 AS k, count(DISTINCT b.range) FROM range(30000) a, range(30000) b GROUP BY k", STOPPED),
    ("SELECT a.range FROM range(100000) a, range(100000) b ORDER BY random()", STOPPED),
    ("SELECT list(range) FROM range(1000000000)", STOPPED),
    ("SELECT repeat('x', 1000000000)", STOPPED),  # built outside DuckDB's memory accounting
    ("SELECT lpad('x', 1000000000, 'y')", STOPPED),  # ... and deaf to interrupts
    ("SELECT length(" + "replace(" * 9 + "'x'" + ", 'x', 'xxxxxxxxxx')" * 9 + ")", STOPPED),
]


@pytest.mark.parametrize("sql, message", ESCAPES, ids=[sql[:60] for sql, _ in ESCAPES])
def test_escape_attempts_are_refused_or_stopped_and_the_box_still_works(box, sql, message):
    # a short time limit only where stopping is the point: a busy test machine may take seconds to start the process
    with pytest.raises(SqlRefused, match=message):
        run_query(box, sql, LIMITS if message == STOPPED else PATIENT)
    still_answers(box)


def _file_readers() -> list[str]:
    """Every table function this DuckDB has that reads a path given as its one argument, as DuckDB lists them: a
    reader added by a DuckDB upgrade is tried here without anyone having to think of it."""
    con = duckdb.connect()
    named = con.execute(
        "SELECT DISTINCT function_name FROM duckdb_functions() "
        "WHERE function_type = 'table' AND parameters[1] IN ('path', 'file', 'pattern') ORDER BY 1"
    ).fetchall()
    readers = []
    for (name,) in named:
        try:
            con.execute(f"SELECT * FROM {name}('/etc/hostname') LIMIT 0")
        except duckdb.BinderException:
            continue  # needs more than a path (which_secret, parquet_bloom_probe)
        except duckdb.Error:
            pass  # bound, then failed on the file: a reader all the same
        readers.append(name)
    return readers


@pytest.mark.parametrize("reader", _file_readers())
def test_every_file_reader_of_duckdb_is_refused(box, reader):
    with pytest.raises(SqlRefused, match=OUTSIDE):
        run_query(box, f"SELECT * FROM {reader}('/etc/passwd')", PATIENT)


def test_a_result_too_large_to_send_back_is_refused(box):
    with pytest.raises(SqlRefused, match="larger than 64 MB"):
        run_query(box, "SELECT repeat('x', 1000000) AS big FROM range(100)", PATIENT)
    still_answers(box)


def test_values_that_are_not_flat_arrive_as_their_text(box):
    sql = (
        "SELECT '0101'::BIT AS flags, map([1], ['a']) AS m, {'x': 1} AS s, [1, 2] AS l, union_value(k := 1) AS u, "
        "INTERVAL 1 DAY AS i, 'ab'::BLOB AS b, 7::HUGEINT AS h, 'x'::ENUM ('x', 'y') AS e, 3 AS n"
    )
    assert run_query(box, sql, PATIENT).frame.to_dict("records") == [
        {"flags": "0101", "m": "{1=a}", "s": "{'x': 1}", "l": "[1, 2]", "u": "1", "i": "1 day", "b": "ab", "h": "7",
         "e": "x", "n": 3}
    ]  # fmt: skip


def test_a_pivot_of_maps_is_shown_as_text(box):
    sql = "PIVOT (SELECT source, map([source], [1]) m FROM leads) ON source IN ('Events', 'Paid Search') USING first(m)"
    assert run_query(box, sql, PATIENT).frame.to_dict("records") == [
        {"Events": "{Events=1}", "Paid Search": "{Paid Search=1}"}
    ]


def test_a_nested_result_never_becomes_python_objects_in_the_server(box):
    """1,000 rows of 400 structs each: 400,000 dicts if converted here; as text, one string a row."""
    nested = "SELECT list_transform(range({n}), lambda x: {{'a': true}}) AS s FROM range(5000)"
    tracemalloc.start()
    try:
        result = run_query(box, nested.format(n=400), PATIENT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.frame["s"].iloc[0] == "[" + ", ".join(["{'a': true}"] * 400) + "]"
    assert len(result.frame) == 1_000 and result.truncated
    assert peak < 32 * 2**20, f"{peak / 2**20:.0f} MB"  # 5 MB of text, received and then held
    tracemalloc.start()  # the reproduction itself: its text is over the result cap, refused without converting
    try:
        with pytest.raises(SqlRefused, match="larger than 64 MB|more than the 256 MB"):
            run_query(box, nested.format(n=4000), Settings(sql_timeout_s=60))  # 5,000 rows
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20, f"{peak / 2**20:.0f} MB"


def test_a_result_too_wide_is_refused(box):
    columns = ", ".join(f"{i} AS c{i}" for i in range(201))
    with pytest.raises(SqlRefused, match="has 201 columns, more than the 200 this page shows"):
        run_query(box, f"SELECT {columns}", PATIENT)


def test_overlong_and_empty_statements_are_refused():
    with pytest.raises(SqlRefused, match="longer than 20,000 characters"):
        check_statement("SELECT 1" + " " * 20_000)
    with pytest.raises(SqlRefused, match="Type a query"):
        check_statement("  -- nothing here")


def test_closing_the_sandbox_removes_its_copy(tmp_path):
    con = duckdb.connect()
    con.execute(create_table_sql("leads"))
    made = sandbox(con, str(tmp_path))
    assert made.database.exists()
    made.close()
    assert list(tmp_path.iterdir()) == []


def test_the_page_shows_and_charts_a_bit_column_and_a_map_pivot():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    at.switch_page("pages/explore.py").run()
    at.text_area(key="explore_sql").set_value("SELECT '0101'::BIT AS flags, count(*) AS n FROM leads GROUP BY flags")
    at.button[0].click().run()
    assert not at.exception and not at.error, (at.exception, at.error)
    assert result(at, "flags").to_dict("records") == [{"flags": "0101", "n": 40_007}]  # every sample lead
    assert [box.value for box in at.selectbox if box.label in ("X axis", "Y axis (a number)")] == ["flags", "n"]
    assert len(at.get("vega_lite_chart")) == 1
    pivot = "PIVOT (SELECT source, map([source], [1]) AS m FROM leads) ON source IN ('Events') USING first(m)"
    at.text_area(key="explore_sql").set_value(pivot)
    at.button[0].click().run()
    assert not at.exception and not at.error, (at.exception, at.error)
    assert result(at, "Events").to_dict("records") == [{"Events": "{Events=1}"}]


def result(at, column: str) -> pd.DataFrame:
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


SERVER = textwrap.dedent(
    f"""
    import sys
    import duckdb
    sys.path.insert(0, sys.argv[1])
    from core.explore import run_query, sandbox
    from core.schema import create_table_sql
    from core.settings import Settings
    con = duckdb.connect()
    con.execute(create_table_sql("leads"))
    run_query(sandbox(con, sys.argv[2]), "{ENDLESS}", Settings(sql_timeout_s=120))
    """
)


@pytest.mark.skipif(not HAS_PROC, reason="finds processes through Linux's /proc")
def test_a_query_dies_with_the_server_process_that_started_it(tmp_path):
    """Left alone, the query would run until its 120 s wall clock or 122 s of CPU time."""
    assert not worker_outlives_its_killed_server(SERVER, str(tmp_path), b"sandbox_worker.py")


def run_in_thread(box, sql: str) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["frame"] = run_query(box, sql, PATIENT).frame
        except SqlRefused as refused:
            outcome["refused"] = str(refused)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.skipif(not HAS_PROC, reason="finds processes through Linux's /proc")
def test_the_end_of_a_session_kills_its_running_query(monkeypatch, tmp_path):
    """Killed, not left to its 60 s wall clock (which would say so); and no query starts for the ended session."""
    monkeypatch.setenv("GTM_TEMP_DIR", str(tmp_path))
    session = SessionResources.open(Settings.from_env())
    session.workspace.con.execute(create_table_sql("leads"))
    box = session.sandbox_for(session.workspace.data_version)
    thread, outcome = run_in_thread(box, ENDLESS)
    while thread.is_alive() and not processes.running(session.spill_dir):
        time.sleep(0.02)
    (worker,) = children(os.getpid(), b"sandbox_worker.py")
    while thread.is_alive() and not has_open(worker, "tables.duckdb"):  # the query has started
        time.sleep(0.02)

    session.release()
    thread.join()
    assert outcome == {"refused": "The query was stopped: it needed more memory or time than the SQL box allows."}
    assert processes.running(session.spill_dir) == 0 and not alive(worker)
    with pytest.raises(SqlRefused, match="^This session has ended; reload the page to start a new one.$"):
        run_query(box, "SELECT 1", PATIENT)
