"""Read-only SQL for analysts, in a locked sandbox that cannot reach the app server.

The lock-down is a property of where the query runs, not of string checks:
- the sandbox is a DuckDB file in the session's own temp folder holding copies of the session's canonical
  tables, and nothing else;
- each query runs in its own short-lived process (core/sandbox_worker.py) that opens that file read-only with
  external access (files, network, Python variables, extensions) disabled and its configuration locked, under a
  memory limit, an address-space cap, a CPU-time cap and a wall-clock timeout after which it is killed; it is
  listed under its session, so that the session's end kills it, and it dies with the server (core.processes);
- before that, only one statement of DuckDB's SELECT type is accepted, as classified by DuckDB's own parser.

A separate process is needed because some values are built outside DuckDB's memory accounting (a string grown by
`repeat`, `lpad` or nested `replace` takes gigabytes whatever `memory_limit` says) and such functions do not
check for interrupts: in the server process they could take it down.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from core import processes
from core.schema import TABLE_KINDS
from core.settings import Settings

WORKER = Path(__file__).with_name("sandbox_worker.py")
MAX_SQL_CHARS = 20_000
RESULT_MB = 64  # largest result a query may send back
_SLOTS = threading.BoundedSemaphore(Settings.from_env().sql_queries_at_once)  # holds no user data


class SqlRefused(ValueError):
    """A statement the Explore box does not run; the message says why in plain words."""


@dataclass
class QueryResult:
    frame: pd.DataFrame
    truncated: bool  # more rows existed than the row limit


@dataclass
class Sandbox:
    """A session's tables copied into a DuckDB file that only query processes open, read-only."""

    folder: Path
    session: str | None = None  # the session's folder, under which its running queries are listed
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows

    @property
    def database(self) -> Path:
        return self.folder / "tables.duckdb"

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def canonical_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    present = {  # views too: an upload's canonical tables are views (see core.imports.build)
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    }
    return [kind for kind in TABLE_KINDS if kind in present]


def table_rows(box: Sandbox) -> dict[str, int]:
    return dict(box.tables)


def sandbox(con: duckdb.DuckDBPyConnection, parent: str | None = None) -> Sandbox:
    """Copy the session's canonical tables (and nothing else) into a new sandbox folder under `parent`, the
    session's own folder."""
    box = Sandbox(Path(tempfile.mkdtemp(prefix="explore-", dir=parent)), session=parent)
    target = duckdb.connect(str(box.database), config={"memory_limit": "256MB", "threads": "1"})
    try:
        for table in canonical_tables(con):
            target.register("_incoming", con.table(table).arrow())  # streamed batch by batch
            target.execute(f'CREATE TABLE "{table}" AS SELECT * FROM _incoming')
            target.unregister("_incoming")
            box.tables[table] = target.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
    finally:
        target.close()
    (box.folder / "spill").mkdir()
    return box


def check_statement(sql: str) -> None:
    """Refuse anything but one query. Uses DuckDB's parser, so comments and casing cannot fool it."""
    if len(sql) > MAX_SQL_CHARS:
        raise SqlRefused(f"This query is longer than {MAX_SQL_CHARS:,} characters; shorten it.")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise SqlRefused(f"This is not valid SQL: {_first_line(error)}") from None
    if not statements:
        raise SqlRefused("Type a query, for example: SELECT source, count(*) FROM leads GROUP BY source")
    if len(statements) > 1:
        raise SqlRefused("Run one statement at a time.")
    kind = statements[0].type
    if kind == duckdb.StatementType.MULTI:
        raise SqlRefused("List the values a PIVOT spreads into columns: PIVOT leads ON source IN ('Events', 'Web').")
    if kind != duckdb.StatementType.SELECT:
        raise SqlRefused(
            f"Only queries can run here (SELECT, FROM, WITH, DESCRIBE, SUMMARIZE); this is a {kind.name} statement. "
            "The Explore page is read-only."
        )


def run_query(box: Sandbox, sql: str, settings: Settings | None = None) -> QueryResult:
    """Run one read-only query in its own process, under the settings' row, time and memory limits."""
    settings = settings or Settings.from_env()
    check_statement(sql)
    request = {
        "database": str(box.database),
        "temp_dir": str(box.folder / "spill"),
        "sql": sql,
        "row_limit": settings.sql_row_limit,
        "column_limit": settings.sql_column_limit,
        "memory_mb": settings.sql_memory_mb,
        "temp_mb": 4 * settings.sql_memory_mb,
        "result_mb": RESULT_MB,
        "timeout_s": settings.sql_timeout_s,
    }
    if not _SLOTS.acquire(timeout=settings.sql_timeout_s):
        raise SqlRefused("The SQL box is busy with other queries right now; run yours again in a moment.")
    try:
        done = _run_worker(request, box, settings.sql_timeout_s)
    finally:
        _SLOTS.release()
    if done.returncode != 0:
        raise SqlRefused(_plain_error(done, settings))
    frame = _frame(done.stdout)
    return QueryResult(frame.head(settings.sql_row_limit), truncated=len(frame) > settings.sql_row_limit)


def _frame(stream: bytes) -> pd.DataFrame:
    """The worker's Arrow stream as a frame. The worker sends flat columns only (nested values as their text), so
    converting makes at most one Python object per cell; a nested column that got through anyway is refused
    rather than unpacked element by element in the server."""
    try:
        table = pa.ipc.open_stream(io.BytesIO(stream)).read_all()
        nested = [f.name for f in table.schema if pa.types.is_nested(f.type) or pa.types.is_dictionary(f.type)]
        if nested:
            raise TypeError(f"column {nested[0]} holds nested values")
        return table.to_pandas()
    except (pa.ArrowException, ValueError, TypeError) as error:
        raise SqlRefused(
            f"The result has a column this page cannot show ({_first_line(error)}). Cast it to VARCHAR."
        ) from None


def _run_worker(request: dict, box: Sandbox, timeout_s: float) -> subprocess.CompletedProcess:
    try:
        with processes.worker(
            box.session,
            [sys.executable, "-I", str(WORKER), str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a traceback could quote a value
            cwd=box.folder,
            env={},
        ) as worker:
            out, _ = worker.communicate(json.dumps(request).encode(), timeout=timeout_s)
    except processes.SessionEnded:
        raise SqlRefused("This session has ended; reload the page to start a new one.") from None
    except subprocess.TimeoutExpired:  # the worker has been killed
        raise SqlRefused(f"The query ran longer than {timeout_s:g} seconds and was stopped.") from None
    return subprocess.CompletedProcess(worker.args, worker.returncode, out)


def _plain_error(done: subprocess.CompletedProcess, settings: Settings) -> str:
    try:
        error = json.loads(done.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        error = {"error": "crashed", "message": ""}
    return {
        "permission": "That reaches outside your loaded tables (files, network or settings), which is not allowed "
        "here.",
        "memory": f"The query needed more than the {settings.sql_memory_mb} MB of memory the SQL box allows and was "
        "stopped. Filter or aggregate first.",
        "too_large": f"The result is larger than {RESULT_MB} MB; select fewer columns or aggregate.",
        "too_wide": f"The result has {error['message']}, more than the {settings.sql_column_limit} this page shows; "
        "select fewer columns.",
        "crashed": "The query was stopped: it needed more memory or time than the SQL box allows.",
    }.get(error["error"], error["message"])


def _first_line(error: Exception) -> str:
    return str(error).split("\n")[0]


def example_query(tables: list[str]) -> str:
    """A first query to start from: leads by source when there are leads, else the first table's rows."""
    if "leads" in tables:
        return "SELECT source, count(*) AS leads\nFROM leads\nGROUP BY source\nORDER BY leads DESC"
    return f"SELECT *\nFROM {tables[0]}\nLIMIT 100"
