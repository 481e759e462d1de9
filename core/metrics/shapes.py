"""The shapes behind the overview charts — funnel, time to close, revenue concentration, retention cohorts and
NPS answers — aggregated by the engine (DuckDB, or where the data lives) for the sidebar's period and filters, so a
chart never gets raw rows.

Each function returns None when the fields it needs (NEEDS) hold no values; `available` says which shapes the
data covers without computing any, so a page computes only the shape it draws. Filters on a dimension the rows do
not have are left out and named in `Shape.unfiltered`, as the engine does for metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from core.engines import Backend, backend_of
from core.metrics import relations
from core.metrics.context import context
from core.metrics.engine import Period, field_coverage, filter_sql

MAX_COHORTS = 24
MAX_BINS = 40
LORENZ_STEPS = 1000  # the curve keeps at most one point per 0.1% of customers

TITLES = {
    "funnel": "Funnel",
    "time_to_close": "Time to close",
    "revenue_concentration": "Revenue concentration",
    "retention_cohorts": "Retention cohorts",
    "nps_answers": "NPS answers",
}

# The fields each shape reads, as alternatives: it is computed when every field of one of them holds values.
NEEDS = {
    "funnel": (("leads.lead_id", "leads.created_at"),),
    "time_to_close": (
        ("opportunities.close_date", "opportunities.created_at"),
        ("opportunities.close_date", "opportunities.engaged_at"),
    ),
    "revenue_concentration": (("orders.account_id", "orders.amount"),),
    "retention_cohorts": (("orders.account_id", "orders.order_date"),),
    "nps_answers": (("nps.score",),),
}


@dataclass
class Shape:
    frame: pd.DataFrame
    rows: int  # the rows (leads, deals, orders, answers) behind it
    unfiltered: list[str] = field(default_factory=list)


def covers(coverage: dict[str, set[str]], name: str) -> bool:
    """Whether the fields holding values (core.metrics.context.field_coverage) are enough for shape `name`."""
    return any(
        all(column in coverage.get(table, set()) for table, column in (need.split(".") for need in option))
        for option in NEEDS[name]
    )


def available(source: Backend | duckdb.DuckDBPyConnection) -> list[str]:
    """The shapes the data covers (in TITLES order), from the fields that hold values: no shape is computed.
    Each may still have no rows in a period or under filters."""
    coverage = field_coverage(backend_of(source))
    return [name for name in TITLES if covers(coverage, name)]


def _where(date: str, period: Period, filters: dict[str, tuple[str, ...]], columns: set[str]) -> tuple[str, list]:
    conditions = [period.sql(date)]
    conditions += [filter_sql(dim, values) for dim, values in filters.items() if dim in columns]
    return " AND ".join(conditions), [dim for dim in filters if dim not in columns]


def funnel(source, period: Period, filters: dict[str, tuple[str, ...]]) -> Shape | None:
    """Leads created in the period → qualified → became an opportunity → won, as the metrics count them
    (core.metrics.rules: a converted lead is qualified too)."""
    ctx = context(source)
    if not covers(ctx.coverage, "funnel"):
        return None
    columns = {dim for dim in relations.LEAD_DIMENSIONS if ctx.has(f"leads.{dim}")}
    where, unfiltered = _where("created_at", period, filters, columns)
    counts = ctx.rows(
        "SELECT count(*), count(*) FILTER (qualified), count(*) FILTER (converted), count(*) FILTER (won) "
        f"FROM {relations.lead_facts(ctx)} WHERE {where}"
    )[0]
    steps = ["Leads", "Qualified", "Opportunity", "Won"]
    frame = pd.DataFrame({"step": steps, "count": [int(c) for c in counts]})
    if not ctx.has("opportunities.lead_id", "opportunities.outcome"):
        frame = frame.head(3)
    return Shape(frame, int(counts[0]), unfiltered)


def time_to_close(source, period: Period, filters: dict[str, tuple[str, ...]]) -> Shape | None:
    """Won deals binned by days to close, counted as the time-to-close metric counts them (from the lead's
    creation when the deal links to a lead, else from the deal's), in bins of 7, 14, 30 … days (at most 40)."""
    ctx = context(source)
    if not covers(ctx.coverage, "time_to_close"):
        return None
    columns = {dim for dim in ("source", "owner", "product", "region") if ctx.has(f"opportunities.{dim}")}
    where, unfiltered = _where("event_at", period, filters, columns)
    base = f"SELECT days FROM {relations.won_deal_days(ctx)} WHERE {where}"
    top, rows = ctx.rows(f"SELECT quantile_disc(days, 0.99), count(*) FROM ({base})")[0]
    if not rows:
        return Shape(pd.DataFrame(columns=["bin_start", "bin_end", "count"]), 0, unfiltered)
    width = next(w for w in (7, 14, 30, 60, 90, 180, 365) if (top or 0) / w <= MAX_BINS)
    frame = ctx.frame(
        f"SELECT least(days // {width}, {MAX_BINS}) * {width} AS bin_start, count(*) AS count FROM ({base}) "
        "GROUP BY 1 ORDER BY 1"
    )
    frame["bin_end"] = frame["bin_start"] + width
    return Shape(frame[["bin_start", "bin_end", "count"]], int(rows), unfiltered)


def _orders(period: Period, filters: dict[str, tuple[str, ...]], columns: set[str]) -> tuple[str, list]:
    where, unfiltered = _where("order_date", period, filters, columns & {"product", "region", "segment"})
    return f"SELECT * FROM orders WHERE {where} AND account_id IS NOT NULL", unfiltered


def revenue_concentration(source, period: Period, filters: dict[str, tuple[str, ...]]) -> Shape | None:
    """Lorenz curve of revenue by customer, largest first: customer_share, revenue_share (cumulative, 0–1)."""
    backend = backend_of(source)
    coverage = field_coverage(backend)
    if not covers(coverage, "revenue_concentration"):
        return None
    orders = coverage["orders"]
    base, unfiltered = _orders(period, filters, orders)
    frame = backend.frame(
        f"WITH c AS (SELECT account_id, sum(amount) AS revenue FROM ({base}) GROUP BY 1 HAVING sum(amount) > 0), "
        "curve AS (SELECT row_number() OVER w / count(*) OVER () AS customer_share, "
        "sum(revenue) OVER w / sum(revenue) OVER () AS revenue_share FROM c "
        "WINDOW w AS (ORDER BY revenue DESC, account_id ROWS UNBOUNDED PRECEDING)) "
        "SELECT max(customer_share) AS customer_share, max(revenue_share) AS revenue_share, "
        f"(SELECT count(*) FROM c) AS customers FROM curve GROUP BY floor(customer_share * {LORENZ_STEPS}) ORDER BY 1"
    )
    customers = int(frame["customers"].iloc[0]) if len(frame) else 0
    return Shape(frame[["customer_share", "revenue_share"]].astype(float), customers, unfiltered)


def retention_cohorts(source, period: Period, filters: dict[str, tuple[str, ...]]) -> Shape | None:
    """Per first-purchase month (the latest 24), the share of its customers buying again k months later."""
    backend = backend_of(source)
    coverage = field_coverage(backend)
    if not covers(coverage, "retention_cohorts"):
        return None
    orders = coverage["orders"]
    base, unfiltered = _orders(period, filters, orders)
    frame = backend.frame(
        f"WITH o AS (SELECT account_id, date_trunc('month', order_date) AS month FROM ({base}) GROUP BY 1, 2), "
        "f AS (SELECT account_id, min(month) AS cohort FROM o GROUP BY 1), "
        f"kept AS (SELECT DISTINCT cohort FROM f ORDER BY cohort DESC LIMIT {MAX_COHORTS}), "
        "sizes AS (SELECT cohort, count(*) AS size FROM f GROUP BY 1) "
        "SELECT f.cohort, date_diff('month', f.cohort, o.month) AS months_since, "
        "count(DISTINCT o.account_id) / any_value(s.size) AS retention, any_value(s.size) AS customers "
        "FROM o JOIN f USING (account_id) JOIN sizes s USING (cohort) WHERE f.cohort IN (SELECT cohort FROM kept) "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return Shape(frame, int(frame.groupby("cohort")["customers"].first().sum()) if len(frame) else 0, unfiltered)


def nps_answers(source, period: Period, filters: dict[str, tuple[str, ...]]) -> Shape | None:
    """Answers per score 0–10 in the period."""
    backend = backend_of(source)
    if not covers(field_coverage(backend), "nps_answers"):
        return None
    where, unfiltered = _where("responded_at", period, filters, set())
    frame = backend.frame(
        f"SELECT CAST(score AS INTEGER) AS score, count(*) AS count FROM nps WHERE {where} "
        "AND score BETWEEN 0 AND 10 GROUP BY 1 ORDER BY 1"
    )
    return Shape(frame, int(frame["count"].sum()), unfiltered)


BUILDERS = {
    "funnel": funnel,
    "time_to_close": time_to_close,
    "revenue_concentration": revenue_concentration,
    "retention_cohorts": retention_cohorts,
    "nps_answers": nps_answers,
}


def shape(
    name: str, source: Backend | duckdb.DuckDBPyConnection, period: Period, filters: dict[str, tuple[str, ...]]
) -> Shape | None:
    """The overview shape `name` (as in TITLES), None where the data does not cover it."""
    return BUILDERS[name](backend_of(source), period, filters)


def all_shapes(
    source: Backend | duckdb.DuckDBPyConnection, period: Period, filters: dict[str, tuple[str, ...]]
) -> dict:
    """Every overview shape by name (as in TITLES), None where the data does not cover it."""
    backend = backend_of(source)
    return {name: shape(name, backend, period, filters) for name in TITLES}
