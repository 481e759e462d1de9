"""Engines the catalogue runs on: DuckDB (the default: a session's uploads), PostgreSQL and Apache Spark (the
data where it lives, read through canonical views; see core.engines.views).

The metrics code asks a `Backend` for rows and frames of SQL written in DuckDB's dialect; the backend translates
it (core.engines.translate) and brings back only what the query returns, which for the catalogue is aggregates.
"""

from __future__ import annotations

import duckdb

from core.engines.base import Backend
from core.engines.embedded import DuckDBBackend

ENGINES = ("duckdb", "postgres", "spark")


def backend_of(source: Backend | duckdb.DuckDBPyConnection) -> Backend:
    """The backend of a DuckDB connection (a session's uploads), or the backend given."""
    return source if isinstance(source, Backend) else DuckDBBackend(source)


__all__ = ["ENGINES", "Backend", "DuckDBBackend", "backend_of"]
