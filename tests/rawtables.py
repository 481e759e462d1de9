"""Raw tables made by hand, as core.imports.reading makes them (every column VARCHAR, plus the source line), for the
recognition tests."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from core.imports.profile import profile_table
from core.imports.reading import RawTable
from core.imports.recognise import Recognition, recognise


def raw_table(
    con: duckdb.DuckDBPyConnection, columns: list[str], rows: list[list[str | None]], source: str = "test.csv"
) -> RawTable:
    table = f"raw_{len(con.execute('SHOW TABLES').fetchall())}"
    definition = ", ".join([*(f'"{c}" VARCHAR' for c in columns), "_line BIGINT"])
    con.execute(f'CREATE TABLE "{table}" ({definition})')
    if rows:
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        con.executemany(f'INSERT INTO "{table}" VALUES ({marks})', [[*row, n + 2] for n, row in enumerate(rows)])
    return RawTable(
        source=source,
        table=table,
        columns=columns,
        original_columns=columns,
        rows_read=len(rows),
        rows_loaded=len(rows),
        rejected=[],
        encoding="utf-8",
        delimiter=",",
        header_line=1,
        notes=[],
    )


def recognised(header: list[str], rows: list[list[str]], source: str, kind: str | None = None) -> Recognition:
    """The recognition of a hand-made file alone (its kind, or the one given)."""
    con = duckdb.connect()
    return recognise(profile_table(con, raw_table(con, header, rows, source=source)), kind)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A hand-made export written as a CSV file, for tests that load through the whole import."""
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *rows])
    return path
