"""Read-only SQL for analysts, on a locked sandbox connection.

The lock-down is a property of the connection, not of string checks: the sandbox is a separate in-memory
DuckDB holding copies of the session's canonical tables, with external access (files, network, Python
variables) switched off and its configuration locked. On top of that only single SELECT-type statements
are accepted, as classified by DuckDB's own parser, and every query runs under a time and row limit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import duckdb
import pandas as pd

from core.schema import TABLE_KINDS

LOCKDOWN = (
    "SET python_enable_replacements = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET enable_external_access = false",
    "SET lock_configuration = true",
)


class SqlRefused(ValueError):
    """A statement the Explore box does not run; the message says why in plain words."""


@dataclass
class QueryResult:
    frame: pd.DataFrame
    truncated: bool  # more rows existed than the row limit


def canonical_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    present = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return [kind for kind in TABLE_KINDS if kind in present]


def table_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {table: con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0] for table in canonical_tables(con)}


def sandbox(con: duckdb.DuckDBPyConnection, memory_limit: str = "256MB") -> duckdb.DuckDBPyConnection:
    """A new locked connection holding copies of the session's canonical tables (and nothing else)."""
    box = duckdb.connect(":memory:", config={"memory_limit": memory_limit, "threads": "1"})
    for table in canonical_tables(con):
        arrow = con.table(table).to_arrow_table()
        box.register("_incoming", arrow)
        box.execute(f'CREATE TABLE "{table}" AS SELECT * FROM _incoming')
        box.unregister("_incoming")
    for statement in LOCKDOWN:
        box.execute(statement)
    return box


def check_statement(sql: str) -> None:
    """Refuse anything but one query. Uses DuckDB's parser, so comments and casing cannot fool it."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise SqlRefused(f"This is not valid SQL: {error}") from None
    if not statements:
        raise SqlRefused("Type a query, for example: SELECT source, count(*) FROM leads GROUP BY source")
    if len(statements) > 1:
        raise SqlRefused("Run one statement at a time.")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        name = str(kind).split(".")[-1]
        raise SqlRefused(
            f"Only queries can run here (SELECT, FROM, WITH, DESCRIBE, SUMMARIZE); this is a {name} statement. "
            "The Explore page is read-only."
        )


def run_query(box: duckdb.DuckDBPyConnection, sql: str, row_limit: int = 5_000, timeout_s: float = 10) -> QueryResult:
    """Run one read-only query with a row limit; a query still running after `timeout_s` is interrupted."""
    check_statement(sql)
    timer = threading.Timer(timeout_s, box.interrupt)
    timer.start()
    try:
        frame = box.sql(sql).limit(row_limit + 1).df()
    except duckdb.InterruptException:
        raise SqlRefused(f"The query ran longer than {timeout_s:g} seconds and was stopped.") from None
    except duckdb.Error as error:
        raise SqlRefused(_plain_error(error)) from None
    finally:
        timer.cancel()
    return QueryResult(frame.head(row_limit), truncated=len(frame) > row_limit)


def _plain_error(error: duckdb.Error) -> str:
    text = str(error).split("\n")[0]
    if isinstance(error, duckdb.PermissionException):
        return "That reaches outside your loaded tables (files, network or settings), which is not allowed here."
    return text


def example_query(tables: list[str]) -> str:
    """A first query to start from: leads by source when there are leads, else the first table's rows."""
    if "leads" in tables:
        return "SELECT source, count(*) AS leads\nFROM leads\nGROUP BY source\nORDER BY leads DESC"
    return f"SELECT *\nFROM {tables[0]}\nLIMIT 100"
