"""What the metrics need from an engine: run a query written in DuckDB's dialect and bring back its (aggregate)
rows, keep a derived table for the session, and say which canonical tables it holds.

Each engine translates the SQL into its own dialect (core.engines.translate) and returns plain Python values:
numbers as int or float (a PostgreSQL NUMERIC or a Spark DECIMAL is converted, as DuckDB would return them),
dates and timestamps as datetime objects, frames as pandas DataFrames.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable

import pandas as pd

from core.engines.translate import Untranslatable, translate
from core.schema import TABLE_KINDS

DERIVED_PREFIX = "_derived_"


def plain_value(value):
    """A NUMERIC/DECIMAL as DuckDB returns the same aggregate: whole numbers (a sum of counts) as int, the rest
    as float."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        if frame[column].dtype == object and frame[column].map(lambda v: isinstance(v, decimal.Decimal)).any():
            frame[column] = frame[column].map(plain_value)
            frame[column] = pd.to_numeric(frame[column])
    return frame


class Backend:
    """An engine the catalogue runs on. Subclasses give `_fetch`, `_frame`, `_create_temp` and `_relations`."""

    name = ""
    dialect = "duckdb"
    plain = True  # True: no DuckDB-only forms (ENUM casts, list parameters) in the SQL it is given
    uploads = False  # True: the session's uploads, whose amounts ingest converted into one currency
    errors: tuple[type[BaseException], ...] = (Untranslatable,)

    def __init__(self) -> None:
        self.largest = 0  # the most rows one query has brought back: only aggregates should travel
        self.derived: dict[str, str] = {}

    def sql(self, text: str) -> str:
        return translate(text, self.dialect)

    def rows(self, sql: str, parameters: list | None = None) -> list[tuple]:
        found = [tuple(plain_value(value) for value in row) for row in self._fetch(self.sql(sql), parameters)]
        self._returned(len(found))
        return found

    def frame(self, sql: str) -> pd.DataFrame:
        frame = plain_frame(self._frame(self.sql(sql)))
        self._returned(len(frame))
        return frame

    def temp_table(self, name: str, select: Callable[[], str]) -> str:
        """The name of a table of the session holding the rows of `select()`, built on first use: the data a
        backend reads does not change under it (a warehouse session reads the views it was given)."""
        if name not in self.derived:
            target = f"{DERIVED_PREFIX}{name}"
            self._create_temp(target, self.sql(select()))
            self.derived[name] = target
        return self.derived[name]

    def tables(self) -> set[str]:
        """The canonical tables (or views) this engine holds."""
        return {name for name in self._relations() if name in TABLE_KINDS}

    def columns(self, table: str) -> list[str]:
        """The columns of a table of the warehouse, in order."""
        raise NotImplementedError

    def source_tables(self) -> list[str]:
        """The tables and views of the warehouse this login can read, as schema.table (the session's own
        temporary ones left out)."""
        raise NotImplementedError

    def create_view(self, name: str, select: str) -> None:
        """A view of the session named `name` over `select` (DuckDB's dialect), replacing one of that name."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the connection or session (nothing by default)."""

    def _returned(self, count: int) -> None:
        self.largest = max(self.largest, count)

    def _fetch(self, sql: str, parameters: list | None) -> Iterable[tuple]:
        raise NotImplementedError

    def _frame(self, sql: str) -> pd.DataFrame:
        raise NotImplementedError

    def _create_temp(self, name: str, select: str) -> None:
        raise NotImplementedError

    def _relations(self) -> Iterable[str]:
        raise NotImplementedError
