"""Tables derived from the canonical ones, built once per data version on the session's own connection.

The engine aggregates narrow derived tables (one row per lead with its first meeting and outcome flags, one per
deal with the activities logged against it, ...) instead of joining the raw tables again for every metric. Each
is a TEMP table of the connection, named with a stamp of the canonical tables: every table's catalog id and row
count. Loading, reloading or removing a file drops and recreates its canonical table (a new id) or appends to it
(a new count), so the stamp changes and the next use builds the derived table afresh; tables of an older stamp
are dropped then. Nothing is kept outside the connection: no user data in a process-wide cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import duckdb

from core.schema import TABLE_KINDS, stored_table

PREFIX = "_derived_"


def stamp(con: duckdb.DuckDBPyConnection) -> str:
    """A short fingerprint of the canonical tables as they are now."""
    rows = con.execute(
        "SELECT table_name, table_oid, estimated_size FROM duckdb_tables() "
        "WHERE NOT temporary AND schema_name = 'main' ORDER BY table_name"
    ).fetchall()
    held = {*TABLE_KINDS, *map(stored_table, TABLE_KINDS)}  # a canonical view's rows are in its stored table
    canonical = [row for row in rows if row[0] in held]
    return hashlib.sha1(repr(canonical).encode()).hexdigest()[:12]


def table(con: duckdb.DuckDBPyConnection, name: str, select: Callable[[], str]) -> str:
    """The name of a TEMP table holding the rows of `select()` for the current data version, built on first use
    (`select` is only called then)."""
    current = stamp(con)
    target = f"{PREFIX}{current}_{name}"
    existing = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, ?)", [PREFIX]
        ).fetchall()
    }
    if target in existing:
        return target
    for stale in existing:
        if not stale.startswith(f"{PREFIX}{current}_"):
            con.execute(f'DROP TABLE IF EXISTS temp.main."{stale}"')
    con.execute(f'CREATE OR REPLACE TEMP TABLE "{target}" AS {select()}')
    return target
