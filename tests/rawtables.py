"""Raw tables made by hand, as core.imports.reading makes them (every column VARCHAR, plus the source line), for the
recognition tests."""

from __future__ import annotations

import duckdb

from core.imports.reading import RawTable


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
