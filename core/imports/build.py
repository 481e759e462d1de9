"""Build: a file's checked staged rows (see core.imports.load and check) become, or join, the canonical table of
their kind. The workspace then converts the table's money into the reporting currency (core.fx) and checks the
keys across tables (core.imports.quality) once every table of the upload is built.

A kind's rows are stored in `_stored_<kind>`, which holds only the fields some file of the kind stores (an
in-memory table keeps a NULL column in full: at 1M leads the 14 fields a leads export lacks took 87 MB). The
canonical table every reader sees is the view `<kind>` over it, with each other field as a typed NULL.
"""

from __future__ import annotations

from dataclasses import dataclass

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


# What an order's header says of all its lines, and what only a line carries.
ORDER_WIDE = ("account_id", "order_date", "currency", "region", "segment")
PRICED = ("amount", "quantity", "unit_price", "margin")


@dataclass(frozen=True)
class RowsMerged:
    """Rows of a table that were parts of others: order headers that completed their lines (`fields`: what they
    gave), or a deal's product lines made one deal (`fields`: what the deal no longer has one value of)."""

    kind: str
    parts: int  # the rows merged into others
    into: int  # the rows they were merged into
    fields: tuple[str, ...]


def complete_lines_from_headers(con: duckdb.DuckDBPyConnection) -> RowsMerged | None:
    """Order lines exported apart from their orders (Northwind's `order_details` beside `orders`, Olist's items
    beside its orders, an ERP's sales order lines beside their headers): the rows of an order that carry no
    amount, quantity, price or margin are its header. Where a line of the same order lacks the customer, the date,
    the currency, the region or the segment, it takes the header's; the header is then dropped, so the order is
    counted by its lines alone. None when no order has both."""
    stored = quote(stored_table("orders"))
    present = set(columns(con, stored))
    priced = [quote(name) for name in PRICED if name in present]
    given = tuple(name for name in ORDER_WIDE if name in present)
    if not priced or not given or "order_id" not in present:
        return None
    unpriced = " AND ".join(f"{name} IS NULL" for name in priced)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _order_headers AS
        SELECT order_id, {", ".join(f"any_value({quote(name)}) AS {quote(name)}" for name in given)}, count(*) AS n
        FROM {stored} WHERE {unpriced}
          AND order_id IN (SELECT order_id FROM {stored} WHERE NOT ({unpriced}))
        GROUP BY order_id"""
    )
    try:
        headers = con.execute("SELECT coalesce(sum(n), 0) FROM _order_headers").fetchone()[0]
        if not headers:
            return None
        lines = con.execute(
            f"SELECT count(*) FROM {stored} WHERE NOT ({unpriced}) AND order_id IN (SELECT order_id FROM _order_headers)"
        ).fetchone()[0]
        filled = ", ".join(f"{quote(name)} = coalesce({stored}.{quote(name)}, h.{quote(name)})" for name in given)
        con.execute(
            f"UPDATE {stored} SET {filled} FROM _order_headers h WHERE {stored}.order_id = h.order_id "
            f"AND NOT ({unpriced})"
        )
        con.execute(f"DELETE FROM {stored} WHERE {unpriced} AND order_id IN (SELECT order_id FROM _order_headers)")
        return RowsMerged("orders", int(headers), int(lines), given)
    finally:
        con.execute("DROP TABLE IF EXISTS _order_headers")


DEAL_WIDE = ("name", "account_id", "created_at", "engaged_at", "stage", "outcome", "amount", "close_date")


def one_row_per_deal(con: duckdb.DuckDBPyConnection) -> RowsMerged | None:
    """A deal repeated on each of its product lines (Salesforce's `Opportunities with Products`): the rows of one
    deal id that agree on everything a deal has once (its name, account, dates, stage and amount) are one deal,
    kept once so that its amount counts once. A deal of several products keeps no single product. None when no
    deal id repeats that way (rows that disagree stay, and the quality report names the repeated ids)."""
    stored = quote(stored_table("opportunities"))
    present = set(columns(con, stored))
    wide = [quote(name) for name in DEAL_WIDE if name in present]
    if not wide or "opportunity_id" not in present:  # a list of won deals without ids: nothing repeats
        return None
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _deal_lines AS
        SELECT opportunity_id, min(rowid) AS kept, count(*) AS n,
               {"count(DISTINCT product)" if "product" in present else "1"} AS products
        FROM {stored} GROUP BY opportunity_id
        HAVING count(*) > 1 AND count(DISTINCT ({", ".join(wide)},)) = 1"""
    )
    try:
        deals, rows, several = con.execute(
            "SELECT count(*), coalesce(sum(n), 0), count(*) FILTER (WHERE products > 1) FROM _deal_lines"
        ).fetchone()
        if not deals:
            return None
        con.execute(
            f"DELETE FROM {stored} WHERE opportunity_id IN (SELECT opportunity_id FROM _deal_lines) "
            "AND rowid NOT IN (SELECT kept FROM _deal_lines)"
        )
        if several:
            con.execute(
                f"UPDATE {stored} SET product = NULL "
                "WHERE opportunity_id IN (SELECT opportunity_id FROM _deal_lines WHERE products > 1)"
            )
        return RowsMerged("opportunities", int(rows - deals), int(deals), ("product",) if several else ())
    finally:
        con.execute("DROP TABLE IF EXISTS _deal_lines")


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
