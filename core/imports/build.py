"""Build: a file's checked staged rows (see core.imports.load and check) become, or join, the canonical table of
their kind. The workspace then converts the table's money into the reporting currency (core.fx) and checks the
keys across tables (core.imports.quality) once every table of the upload is built.

A kind's rows are stored in `_stored_<kind>`, which holds only the fields some file of the kind stores (an
in-memory table keeps a NULL column in full: at 1M leads the 14 fields a leads export lacks took 87 MB). The
canonical table every reader sees is the view `<kind>` over it, with each other field as a typed NULL.
"""

from __future__ import annotations

import duckdb

from core.imports.casting import quote
from core.imports.plan import LoadPlan, empty
from core.schema import TABLE_KINDS, stored_table


def into_canonical(con: duckdb.DuckDBPyConnection, plan: LoadPlan, staged: str, *, first: bool) -> None:
    """Add the loaded rows of `staged` to the kind's canonical table. The first file of a kind makes the stored
    table out of its staged table (its rows left out deleted, the check columns dropped), so a large file's rows
    are not copied once more; the caller drops `staged` either way."""
    stored, condition = quote(stored_table(plan.kind)), plan.loaded_condition()
    names = [f.name for f in plan.stored]
    if first:
        con.execute(f"DELETE FROM {staged} WHERE NOT ({condition})")
        for name in columns(con, staged)[len(names) :]:
            con.execute(f"ALTER TABLE {staged} DROP COLUMN {quote(name)}")
        con.execute(f"ALTER TABLE {staged} RENAME TO {stored}")
    else:
        present = set(columns(con, stored))
        for f in plan.stored:
            if f.name not in present:  # a field this file is the first of its kind to store
                con.execute(f"ALTER TABLE {stored} ADD COLUMN {quote(f.name)} {f.type}")
        listed = ", ".join(quote(name) for name in names)
        con.execute(f"INSERT INTO {stored} ({listed}) SELECT {listed} FROM {staged} WHERE {condition}")
    _show(con, plan.kind)


def _show(con: duckdb.DuckDBPyConnection, kind: str) -> None:
    """The canonical view of a kind: every field in the canonical order, a typed NULL where none is stored."""
    present = set(columns(con, quote(stored_table(kind))))
    fields = ", ".join(
        quote(f.name) if f.name in present else f"{empty(f.type)} AS {quote(f.name)}" for f in TABLE_KINDS[kind].fields
    )
    con.execute(f"CREATE OR REPLACE VIEW {quote(kind)} AS SELECT {fields} FROM {quote(stored_table(kind))}")


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The columns of a table (quoted name), in order."""
    return [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
