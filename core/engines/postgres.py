"""PostgreSQL (and warehouses that speak its dialect), through psycopg.

The canonical views and the derived tables are TEMP objects of the connection: they live as long as it does and
write nothing to the warehouse's schemas, so a role with read access (and the database's default TEMP right) is
enough. Derived tables are ANALYZEd once built, as autovacuum never looks at temporary tables and the planner
would otherwise guess their sizes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import psycopg
from psycopg import sql as pgsql

from core.engines.base import Backend
from core.engines.translate import Untranslatable

MAX_LISTED = 1000  # tables listed for the Data page: a warehouse may hold many more


class PostgresBackend(Backend):
    name = "postgres"
    dialect = "postgres"
    errors = (psycopg.Error, Untranslatable)

    def __init__(self, conninfo: str, schema: str | None = None):
        """`conninfo`: a libpq connection string or URL; `schema`: where the warehouse's tables are looked up
        first (after the session's own temporary views)."""
        super().__init__()
        self.con = psycopg.connect(conninfo, autocommit=True)
        if schema:
            self.con.execute(pgsql.SQL("SET search_path TO {}, public").format(pgsql.Identifier(schema)))

    def _fetch(self, sql: str, parameters: list | None) -> Iterable[tuple]:
        if parameters is not None:
            raise ValueError("queries for PostgreSQL carry their values in the SQL (the plain forms)")
        return self.con.execute(sql).fetchall()  # without parameters psycopg sends the SQL as it is

    def _frame(self, sql: str) -> pd.DataFrame:
        cursor = self.con.execute(sql)
        return pd.DataFrame(cursor.fetchall(), columns=[column.name for column in cursor.description])

    def _create_temp(self, name: str, select: str) -> None:
        self.con.execute(f'DROP TABLE IF EXISTS "{name}"')
        self.con.execute(f'CREATE TEMP TABLE "{name}" AS {select}')
        self.con.execute(f'ANALYZE "{name}"')

    def _relations(self) -> Iterable[str]:
        found = self.con.execute(
            "SELECT relname FROM pg_class WHERE relkind IN ('r', 'v', 'm', 'p', 'f') AND pg_table_is_visible(oid)"
        )
        return [row[0] for row in found.fetchall()]

    def columns(self, table: str) -> list[str]:
        found = self.con.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum",
            [".".join(f'"{part}"' for part in table.split("."))],
        ).fetchall()
        if not found:
            raise psycopg.errors.UndefinedTable(f"no table {table} is visible to this connection")
        return [row[0] for row in found]

    def source_tables(self) -> list[str]:
        found = self.con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type <> 'LOCAL TEMPORARY' "
            f"ORDER BY 1 LIMIT {MAX_LISTED}"
        )
        return [row[0] for row in found.fetchall()]

    def create_view(self, name: str, select: str) -> None:
        self.con.execute(f'CREATE OR REPLACE TEMP VIEW "{name}" AS {self.sql(select)}')

    def close(self) -> None:
        self.con.close()
