"""DuckDB, the default engine: a session's uploads in its own in-memory database, queried as written.

SQL runs untranslated, with DuckDB's own forms (ENUM casts, list parameters); derived tables are the TEMP tables of
core.metrics.facts, rebuilt when the data changes. Only this engine holds uploads, whose amounts ingest has
converted into the reporting currency (core.fx).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import duckdb
import pandas as pd

from core.engines.base import Backend
from core.engines.translate import Untranslatable
from core.metrics import facts


class DuckDBBackend(Backend):
    name = "duckdb"
    dialect = "duckdb"
    plain = False
    uploads = True
    errors = (duckdb.Error, Untranslatable)

    def __init__(self, con: duckdb.DuckDBPyConnection):
        super().__init__()
        self.con = con

    def sql(self, text: str) -> str:
        return text

    def rows(self, sql: str, parameters: list | None = None) -> list[tuple]:
        found = self.con.execute(sql, parameters).fetchall()
        self._returned(len(found))
        return found

    def frame(self, sql: str) -> pd.DataFrame:
        frame = self.con.execute(sql).df()
        self._returned(len(frame))
        return frame

    def temp_table(self, name: str, select: Callable[[], str]) -> str:
        """Looked up once per backend (a computation): the lookup itself is two catalogue queries."""
        if name not in self.derived:
            self.derived[name] = facts.table(self.con, name, select)
        return self.derived[name]

    def _relations(self) -> Iterable[str]:
        return [
            row[0]
            for row in self.con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        ]
