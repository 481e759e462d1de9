"""Build: a file's checked staged rows (see core.imports.load and check) become, or join, the canonical table of
their kind. The workspace then converts the table's money into the reporting currency (core.fx) and checks the
keys across tables (core.imports.quality) once every table of the upload is built.
"""

from __future__ import annotations

import duckdb

from core.imports.casting import quote
from core.imports.plan import LoadPlan
from core.schema import TABLE_KINDS


def into_canonical(con: duckdb.DuckDBPyConnection, plan: LoadPlan, staged: str, *, first: bool) -> None:
    """Add the loaded rows of `staged` to the kind's canonical table. The first file of a kind makes the table out
    of its staged table (its rows left out deleted, the check columns dropped), so a large file's rows are not
    copied once more; the caller drops `staged` either way."""
    spec, condition = TABLE_KINDS[plan.kind], plan.loaded_condition()
    columns = ", ".join(quote(f.name) for f in spec.fields)
    if not first:
        con.execute(f"INSERT INTO {quote(plan.kind)} ({columns}) SELECT {columns} FROM {staged} WHERE {condition}")
        return
    con.execute(f"DELETE FROM {staged} WHERE NOT ({condition})")
    names = [row[0] for row in con.execute(f"DESCRIBE {staged}").fetchall()]
    for name in names[len(spec.fields) :]:
        con.execute(f"ALTER TABLE {staged} DROP COLUMN {quote(name)}")
    con.execute(f"ALTER TABLE {staged} RENAME TO {quote(plan.kind)}")
