"""Apache Spark through PySpark: a local session, or a cluster through Spark Connect (Databricks among them).

Canonical views are temporary views of the session and derived tables are cached ones (`CACHE TABLE ... AS`), so
nothing is written to the lakehouse. The session computes as DuckDB does: timestamps without a time zone, in UTC,
and non-ANSI arithmetic (a division by zero is NULL, as in DuckDB, where the catalogue relies on nullif anyway).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import pandas as pd
from pyspark.errors import PySparkException
from pyspark.sql import SparkSession

from core.engines.base import Backend
from core.engines.translate import Untranslatable

SESSION_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
LOCAL_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "4",  # the catalogue's aggregates are small: 200 partitions would be 200 tasks
    "spark.driver.memory": "2g",
    "spark.ui.showConsoleProgress": "false",
}


def local_session(master: str = "local[2]") -> SparkSession:
    """A Spark session of `master`: `local[2]` runs on this machine with two worker threads."""
    builder = SparkSession.builder.master(master).appName("gtm-scorecard")
    for key, value in (SESSION_SETTINGS | LOCAL_SETTINGS).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def remote_session(url: str) -> SparkSession:
    """A session of a Spark Connect server (`sc://host:15002`, or a Databricks workspace's URL with its token)."""
    session = SparkSession.builder.remote(url).getOrCreate()
    for key, value in SESSION_SETTINGS.items():
        if key != "spark.sql.execution.arrow.pyspark.enabled":
            session.conf.set(key, value)
    return session


class SparkBackend(Backend):
    name = "spark"
    dialect = "spark"
    errors = (PySparkException, Untranslatable)

    def __init__(self, session: SparkSession):
        super().__init__()
        self.spark = session

    def _fetch(self, sql: str, parameters: list | None) -> Iterable[tuple]:
        if parameters is not None:
            raise ValueError("queries for Spark carry their values in the SQL (the plain forms)")
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def _frame(self, sql: str) -> pd.DataFrame:
        with warnings.catch_warnings():
            # PySpark warns that it predates pandas 3 (and uses a keyword pandas 3 deprecates): the frames of
            # aggregates it converts use nothing that changed, and the agreement test checks every figure.
            warnings.filterwarnings("ignore", module="pyspark")
            return self.spark.sql(sql).toPandas()

    def _create_temp(self, name: str, select: str) -> None:
        # An earlier backend of the same session (a Spark process hands out its running one) may have left a
        # derived table of this name: CACHE TABLE ... AS would refuse it, as PostgreSQL's CREATE would.
        self.spark.sql(f"DROP VIEW IF EXISTS `{name}`")
        self.spark.sql(f"CACHE TABLE `{name}` AS {select}")

    def _relations(self) -> Iterable[str]:
        return [table.name for table in self.spark.catalog.listTables()]

    def columns(self, table: str) -> list[str]:
        return list(self.spark.table(table).columns)

    def create_view(self, name: str, select: str) -> None:
        self.spark.sql(f"CREATE OR REPLACE TEMP VIEW `{name}` AS {self.sql(select)}")

    def close(self) -> None:
        for name in self.derived.values():
            self.spark.sql(f"UNCACHE TABLE IF EXISTS `{name}`")
