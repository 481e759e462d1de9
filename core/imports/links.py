"""Evidence from links between files: a column whose sampled values are found in another file's id column (or in
a table already loaded) is a key to it — the deals' `mql_id` that holds the leads' ids is the deals' lead id."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

from core.imports.casting import quote
from core.imports.profile import SAMPLE_ROWS, TableProfile
from core.imports.recognise import LINK_SHARE, Link

MIN_MATCHED = 3  # distinct values that must be found, so a yes/no or a tiny code list links nothing


@dataclass
class Target:
    """An id column links may point to."""

    kind: str | None  # None: a file not recognised (its own key)
    label: str  # "leads.csv's 'Id'" or "the loaded leads"
    values_sql: str  # SELECT of its id values, as text, in one column
    source: str | None = None  # the file whose ids they are (None for a loaded table)
    column: str | None = None  # the file's column holding them


def file_target(kind: str | None, source: str, table: str, column: str) -> Target:
    values = f"SELECT DISTINCT trim({quote(column)}) FROM {quote(table)}"
    return Target(kind, f"{source}'s '{column}'", values, source, column)


def table_target(kind: str, id_field: str) -> Target:
    return Target(
        kind,
        f"the loaded {kind.replace('_', ' ')}",
        f"SELECT DISTINCT CAST({quote(id_field)} AS VARCHAR) FROM {quote(kind)}",
    )


def find_links(
    con: duckdb.DuckDBPyConnection,
    table: TableProfile,
    raw_table: str,
    targets: list[Target],
    ids: Callable[[Target], str] = lambda target: target.values_sql,
) -> dict[str, Link]:
    """Per column of the file, the best target its sampled distinct values are found in (LINK_SHARE or more).
    `ids` gives the SELECT of a target's ids (see `kept_ids`). The file is sampled once for all targets."""
    columns = [
        c.name
        for c in table.columns
        if c.distinct >= MIN_MATCHED and not c.is_date and not (c.is_number and c.share("integer") < 0.99)
    ]
    if not columns or not targets:
        return {}
    positions = ", ".join(f"trim({quote(c)}) AS {quote(str(i))}" for i, c in enumerate(columns))
    sample = f"SELECT {positions} FROM {quote(raw_table)} USING SAMPLE reservoir({SAMPLE_ROWS} ROWS) REPEATABLE (7)"
    values = (
        f"SELECT DISTINCT CAST(col AS INTEGER) AS col, v FROM (UNPIVOT ({sample}) ON COLUMNS(*) INTO NAME col VALUE v)"
    )
    per_target = " UNION ALL ".join(
        f"SELECT {i} AS target, col, count(*) FILTER (WHERE v IN ({ids(target)})) AS found, count(*) AS total "
        f"FROM sampled GROUP BY col"
        for i, target in enumerate(targets)
    )
    rows = con.execute(
        f"WITH sampled AS MATERIALIZED ({values}) SELECT * FROM ({per_target}) WHERE found >= {MIN_MATCHED} "
        "ORDER BY target, col"
    ).fetchall()
    links: dict[str, Link] = {}
    for index, col, found, total in rows:
        target, share, name = targets[index], found / total, columns[col]
        if share >= LINK_SHARE and (name not in links or share > links[name].share):
            links[name] = Link(target.kind, target.label, share, target.source)
    return links


@contextmanager
def kept_ids(con: duckdb.DuckDBPyConnection) -> Iterator[Callable[[Target], str]]:
    """A target's ids as a temporary table, made on first use and dropped at the end: every file of an upload is
    checked against the same few id columns, and reading a million ids costs far more than the check itself."""
    tables: dict[str, str] = {}

    def ids(target: Target) -> str:
        if target.values_sql not in tables:
            tables[target.values_sql] = f"_link_ids_{id(tables)}_{len(tables)}"
            con.execute(f"CREATE TEMP TABLE {tables[target.values_sql]} AS {target.values_sql}")
        return f"SELECT * FROM {tables[target.values_sql]}"

    try:
        yield ids
    finally:
        for name in tables.values():
            con.execute(f"DROP TABLE IF EXISTS {name}")
