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


def connect(engine: str, target: str = "", schema: str | None = None) -> Backend:
    """A backend of `engine` reading the data where it lives. `target`: PostgreSQL's connection string or URL
    (empty: libpq's PG* environment variables); Spark's master (`local[2]`, the default) or a Spark Connect URL
    (`sc://host:15002`)."""
    if engine == "postgres":
        from core.engines.postgres import PostgresBackend  # psycopg is needed only here

        return PostgresBackend(target, schema)
    if engine == "spark":
        from core.engines.spark import SparkBackend, local_session, remote_session  # pyspark likewise

        return SparkBackend(
            remote_session(target) if target.startswith("sc://") else local_session(target or "local[2]")
        )
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES[1:])} (DuckDB reads uploads)")


def backend_of(source: Backend | duckdb.DuckDBPyConnection) -> Backend:
    """The backend of a DuckDB connection (a session's uploads), or the backend given."""
    return source if isinstance(source, Backend) else DuckDBBackend(source)


__all__ = ["ENGINES", "Backend", "DuckDBBackend", "backend_of", "connect"]
