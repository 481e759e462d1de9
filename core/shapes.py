"""The shapes behind the overview charts — funnel, time to close, revenue concentration, retention cohorts and
NPS answers — aggregated in DuckDB for the sidebar's period and filters, so a chart never gets raw rows.

Each function returns None when the tables it needs are not loaded. Filters on a dimension the rows do not
have are left out and named in `Shape.unfiltered`, as the engine does for metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from core.engine import DEAL_OUTCOME, Period, field_coverage, filter_sql

MAX_COHORTS = 24
MAX_BINS = 40
LORENZ_STEPS = 1000  # the curve keeps at most one point per 0.1% of customers


@dataclass
class Shape:
    frame: pd.DataFrame
    rows: int  # the rows (leads, deals, orders, answers) behind it
    unfiltered: list[str] = field(default_factory=list)


def _where(date: str, period: Period, filters: dict[str, tuple[str, ...]], columns: set[str]) -> tuple[str, list]:
    conditions = [period.sql(date)]
    conditions += [filter_sql(dim, values) for dim, values in filters.items() if dim in columns]
    return " AND ".join(conditions), [dim for dim in filters if dim not in columns]


def funnel(con, period: Period, filters: dict[str, tuple[str, ...]]) -> Shape | None:
    """Leads created in the period → qualified → became an opportunity → won."""
    coverage = field_coverage(con)
    leads = coverage.get("leads", set())
    if not {"lead_id", "created_at"} <= leads:
        return None
    where, unfiltered = _where("l.created_at", period, filters, {d for d in ("source", "owner") if d in leads})
    qualified = "l.qualified_at IS NOT NULL OR l.status_class IN ('qualified', 'converted')"
    converted = "l.converted_at IS NOT NULL OR l.opportunity_id IS NOT NULL OR l.status_class = 'converted'"
    won, join = "FALSE", ""
    if {"lead_id", "outcome"} <= coverage.get("opportunities", set()) or "is_won" in coverage.get(
        "opportunities", set()
    ):
        won = "d.won"
        join = (
            f"LEFT JOIN (SELECT lead_id, bool_or(({DEAL_OUTCOME}) = 'won') AS won, true AS has_deal "
            "FROM opportunities GROUP BY lead_id) d ON d.lead_id = l.lead_id"
        )
        converted += " OR d.has_deal"
    counts = con.execute(
        f"SELECT count(*), count(*) FILTER ({qualified} OR {converted}), count(*) FILTER ({converted}), "
        f"count(*) FILTER (coalesce({won}, FALSE)) FROM leads l {join} WHERE {where}"
    ).fetchall()[0]
    steps = ["Leads", "Qualified", "Opportunity", "Won"]
    frame = pd.DataFrame({"step": steps, "count": [int(c) for c in counts]})
    if won == "FALSE":
        frame = frame.head(3)
    return Shape(frame, int(counts[0]), unfiltered)


def time_to_close(con, period: Period, filters: dict[str, tuple[str, ...]]) -> Shape | None:
    """Won deals binned by days to close, counted as the time-to-close metric counts them (from the lead's
    creation when the deal links to a lead, else from the deal's), in bins of 7, 14, 30 … days (at most 40)."""
    coverage = field_coverage(con)
    deals = coverage.get("opportunities", set())
    if "close_date" not in deals or not deals & {"created_at", "engaged_at"}:
        return None
    lead_created, join = "NULL::TIMESTAMP", ""
    if {"lead_id", "created_at"} <= coverage.get("leads", set()) and "lead_id" in deals:
        lead_created, join = "l.created_at", "LEFT JOIN leads l ON l.lead_id = d.lead_id"
    start = f"least({lead_created}, d.created_at, d.engaged_at)::DATE"
    columns = {f"d.{dim}" for dim in deals & {"source", "owner", "product", "region"}}
    where, unfiltered = _where("d.close_date", period, {f"d.{k}": v for k, v in filters.items()}, columns)
    base = (
        f"SELECT date_diff('day', {start}, d.close_date::DATE) AS days FROM ({_won_deals()}) d {join} "
        f"WHERE {where} AND {start} <= d.close_date::DATE"
    )
    top, rows = con.execute(f"SELECT quantile_disc(days, 0.99), count(*) FROM ({base})").fetchall()[0]
    unfiltered = [dim.removeprefix("d.") for dim in unfiltered]
    if not rows:
        return Shape(pd.DataFrame(columns=["bin_start", "bin_end", "count"]), 0, unfiltered)
    width = next(w for w in (7, 14, 30, 60, 90, 180, 365) if (top or 0) / w <= MAX_BINS)
    frame = con.execute(
        f"SELECT least(days // {width}, {MAX_BINS}) * {width} AS bin_start, count(*) AS count FROM ({base}) "
        "GROUP BY 1 ORDER BY 1"
    ).df()
    frame["bin_end"] = frame["bin_start"] + width
    return Shape(frame[["bin_start", "bin_end", "count"]], int(rows), unfiltered)


def _won_deals() -> str:
    return f"SELECT * FROM opportunities WHERE ({DEAL_OUTCOME}) = 'won'"


def _orders(period: Period, filters: dict[str, tuple[str, ...]], columns: set[str]) -> tuple[str, list]:
    where, unfiltered = _where("order_date", period, filters, columns & {"product", "region", "segment"})
    return f"SELECT * FROM orders WHERE {where} AND account_id IS NOT NULL", unfiltered


def revenue_concentration(con, period: Period, filters: dict[str, tuple[str, ...]]) -> Shape | None:
    """Lorenz curve of revenue by customer, largest first: customer_share, revenue_share (cumulative, 0–1)."""
    orders = field_coverage(con).get("orders", set())
    if not {"account_id", "amount"} <= orders:
        return None
    base, unfiltered = _orders(period, filters, orders)
    customers, frame = con.execute(
        f"WITH c AS (SELECT account_id, sum(amount) AS revenue FROM ({base}) GROUP BY 1 HAVING sum(amount) > 0), "
        "curve AS (SELECT row_number() OVER w / count(*) OVER () AS customer_share, "
        "sum(revenue) OVER w / sum(revenue) OVER () AS revenue_share FROM c "
        "WINDOW w AS (ORDER BY revenue DESC, account_id ROWS UNBOUNDED PRECEDING)) "
        "SELECT (SELECT count(*) FROM c), list(struct_pack(customer_share, revenue_share)) FROM ("
        f"SELECT max(customer_share) AS customer_share, max(revenue_share) AS revenue_share FROM curve "
        f"GROUP BY floor(customer_share * {LORENZ_STEPS}) ORDER BY 1)"
    ).fetchall()[0]
    return Shape(pd.DataFrame(frame or [], columns=["customer_share", "revenue_share"]), int(customers), unfiltered)


def retention_cohorts(con, period: Period, filters: dict[str, tuple[str, ...]]) -> Shape | None:
    """Per first-purchase month (the latest 24), the share of its customers buying again k months later."""
    orders = field_coverage(con).get("orders", set())
    if not {"account_id", "order_date"} <= orders:
        return None
    base, unfiltered = _orders(period, filters, orders)
    frame = con.execute(
        f"WITH o AS (SELECT account_id, date_trunc('month', order_date) AS month FROM ({base}) GROUP BY ALL), "
        "f AS (SELECT account_id, min(month) AS cohort FROM o GROUP BY 1), "
        f"kept AS (SELECT DISTINCT cohort FROM f ORDER BY cohort DESC LIMIT {MAX_COHORTS}), "
        "sizes AS (SELECT cohort, count(*) AS size FROM f GROUP BY 1) "
        "SELECT f.cohort, date_diff('month', f.cohort, o.month) AS months_since, "
        "count(DISTINCT o.account_id) / any_value(s.size) AS retention, any_value(s.size) AS customers "
        "FROM o JOIN f USING (account_id) JOIN sizes s USING (cohort) WHERE f.cohort IN (SELECT cohort FROM kept) "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    ).df()
    return Shape(frame, int(frame.groupby("cohort")["customers"].first().sum()) if len(frame) else 0, unfiltered)


def nps_answers(con, period: Period, filters: dict[str, tuple[str, ...]]) -> Shape | None:
    """Answers per score 0–10 in the period."""
    if "score" not in field_coverage(con).get("nps", set()):
        return None
    where, unfiltered = _where("responded_at", period, filters, set())
    frame = con.execute(
        f"SELECT CAST(score AS INTEGER) AS score, count(*) AS count FROM nps WHERE {where} "
        "AND score BETWEEN 0 AND 10 GROUP BY 1 ORDER BY 1"
    ).df()
    return Shape(frame, int(frame["count"].sum()), unfiltered)


TITLES = {
    "funnel": "Funnel",
    "time_to_close": "Time to close",
    "revenue_concentration": "Revenue concentration",
    "retention_cohorts": "Retention cohorts",
    "nps_answers": "NPS answers",
}


def all_shapes(con: duckdb.DuckDBPyConnection, period: Period, filters: dict[str, tuple[str, ...]]) -> dict:
    """Every overview shape by name (as in TITLES), None where the tables it needs are not loaded."""
    builders = {
        "funnel": funnel,
        "time_to_close": time_to_close,
        "revenue_concentration": revenue_concentration,
        "retention_cohorts": retention_cohorts,
        "nps_answers": nps_answers,
    }
    return {name: builders[name](con, period, filters) for name in TITLES}
