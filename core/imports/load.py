"""Load: a plan (see core.imports.plan) run as SQL, the file's rows typed once into a staged table.

The staged table holds every canonical field the file stores (a field nothing supplies is left out, see
core.imports.plan.FieldPlan.stored) as it is loaded (in the canonical table's order and types), then `_line`, the
keys of the value maps (`_key_<derived>`), the typed value before derivation of a mapped field derived from others
(`_base_<field>`) and, per mapped typed field, the source text that could not be read (`_bad_<field>`) and the
currency symbol of a number (`_sym_<field>`). The checks (core.imports.check) read those
typed values instead of parsing the text again, which on a large file costs more than reading it; then
core.imports.build makes the checked rows into the canonical table.
"""

from __future__ import annotations

import duckdb

from core.imports import quality
from core.imports.casting import cleaned, quote, sql_literal
from core.imports.mapping import EVERY_ROW
from core.imports.plan import RATIO_FIELDS, LoadPlan, row_key, staged_value_maps
from core.imports.reading import Body, awkward_sql


def stage(con: duckdb.DuckDBPyConnection, plan: LoadPlan, rows: str, table: str, *, awkward: str = "") -> str:
    """Type the rows of `rows` (SQL of a table or a query with the raw columns and `_line`) into `table` (quoted).
    `awkward` (SQL over the rows) is kept as `_awkward`: whether a row is not one clean line (see
    core.imports.reading.awkward_sql)."""
    texts = plan.texts
    clean = [f"{cleaned(column, plan.parse.null_tokens)} AS {text}" for column, text in texts.items()]
    typed, unread = [], []
    for f in plan.fields:
        if f.source is None:
            typed.append(f"{f.fill} AS {quote(f.name)}")
            continue
        text = texts[f.source]
        typed.append(f"{f.typed.over(text)} AS {quote(f.name)}")
        if f.type != "VARCHAR":
            unread.append((f"CASE WHEN {quote(f.name)} IS NULL THEN {text} END", "_bad_" + f.name))
            if f.type == "DOUBLE":
                unread.append((quality.currency_symbol_sql(text), "_sym_" + f.name))
    for derived, column in plan.keys.items():
        key = sql_literal(EVERY_ROW) if column == EVERY_ROW else texts[column]
        typed.append(f"{key} AS {quote('_key_' + derived)}")
    final = [f"CAST({f.derived or quote(f.name)} AS {f.type}) AS {quote(f.name)}" for f in plan.stored]
    line = "_line, _awkward" if awkward else "_line"
    final += [line, *(quote("_key_" + derived) for derived in plan.keys)]
    final += [f"{quote(name)} AS {quote('_base_' + name)}" for name in plan.based]
    final += [quote(name) for _, name in unread]
    made_up = f", {row_key(plan.columns)} AS _row_key" if plan.made_up_id else ""
    exclude = f" EXCLUDE ({', '.join(texts.values())})" if texts else ""
    checked = "".join(f", {sql} AS {quote(name)}" for sql, name in unread)
    con.execute(
        f"CREATE OR REPLACE TABLE {table} AS SELECT {', '.join(final)} "
        f"FROM (SELECT *{exclude}{checked} "
        f"FROM (SELECT {line}, {', '.join([*texts.values(), *typed])} FROM "
        f"(SELECT _line{f', {awkward} AS _awkward' if awkward else ''}{''.join(', ' + c for c in clean)}"
        f"{made_up} FROM {rows})))"
    )
    return table


def stage_body(con: duckdb.DuckDBPyConnection, plan: LoadPlan, body: Body, table: str) -> LoadPlan | None:
    """Stage a body left in a file (see core.imports.reading.Body) straight from it, typed as the plan decided from the
    file's first rows, and check the pass read it as the whole-file route would: `one_pass_held`, and every
    value-mapped value in the class the whole file's value map gives it. Returns the plan with the whole file's
    value maps, or None (and nothing staged) when the caller must read the whole file and stage it from that."""
    if plan.notes():
        return None  # a doubt about the date order: decided from the whole column instead
    try:
        stage(con, plan, f"({body.select(plan.columns)})", table, awkward=awkward_sql(plan.columns))
    except duckdb.Error:  # strict mode refused a row: the Python reader takes it
        return None
    whole = staged_value_maps(con, plan, table)
    if not one_pass_held(con, plan, table, body.rows) or not plan.same_classes(whole):
        con.execute(f"DROP TABLE {table}")
        return None
    return plan.with_value_maps(whole)


def one_pass_held(con: duckdb.DuckDBPyConnection, plan: LoadPlan, staged: str, lines: int) -> bool:
    """Whether a pass over a whole body typed as decided from its first rows read it as the whole-file route
    would: every one of its `lines` lines one clean row, no date left unread (a format or day-first date the head
    did not show) and no unscaled share above 1. Drops `_awkward` when it held."""
    checks = ["count(*) FILTER (WHERE _awkward)", f"count(*) <> {int(lines)}"]
    checks += [f"count({quote('_bad_' + f.name)})" for f in plan.mapped if f.type == "TIMESTAMP"]
    checks += [
        f"count(*) FILTER (WHERE {quote(f.name)} > 1)"
        for f in plan.mapped
        if f.name in RATIO_FIELDS and not f.typed.percent
    ]
    if any(con.execute(f"SELECT {', '.join(checks)} FROM {staged}").fetchall()[0]):
        return False
    con.execute(f"ALTER TABLE {staged} DROP COLUMN _awkward")
    return True
