"""Compute catalogue metrics in DuckDB over the canonical tables of a session.

Each metric's query function builds one "base" SELECT — one row per lead, deal, order, response, spend line or
employee, with its natural date as `event_at`, the numbers to aggregate and the breakdown dimensions — and
`_aggregate` turns it into the headline value, details, a monthly (or quarterly) trend and breakdowns in a
single GROUPING SETS query. Charts therefore only ever receive aggregates.

Bases that would join large tables read narrow derived tables instead (one row per lead, per opportunity's
activities, per deal's milestones, per seller-day of conversations), built once per data version on the
session's connection by core.facts; only what depends on the profile (windows, idle days) is applied per query.

Results depend only on (data, metric ids, profile, period): the as-of date used for "idle" and "lapsed" is the
latest event date in the data, never today's date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from core import facts, fx, questionnaire
from core.catalogue import CATALOGUE, Metric
from core.schema import TABLE_KINDS, Profile

# Activity and stage vocabularies (matched on lowercased values).
MEETING = "meeting|event|visit|demo|presentation|appointment"
CONVERSATION = MEETING + "|call"
CONTENT = "content|collateral|material|case study|whitepaper"
VALUABLE = "advanc|next step agreed|progress|positive|interested|qualified|booked|success|won|agreed"
NOT_VALUABLE = r"\bno\b|\bnot\b|no-show|no show|cancel|voicemail|no answer|unreach|declin|lost"
STAGE_PATTERNS = {
    "rfp_at": "rfp|request for proposal",
    "proposal_at": "proposal|quote",
    "presentation_at": "present|demo",
}
MIN_DEALS_PER_PROFILE = 5
BREAKDOWN_ROWS = 50
BLANK = "(blank)"  # the breakdown key (and filter value) of rows with no value in a dimension
FILTER_DIMENSIONS = {
    "source": "Lead source",
    "owner": "Owner",
    "product": "Product",
    "region": "Region",
    "segment": "Customer segment",
    "campaign": "Campaign",
    "channel": "Channel",
}
# Dates that record something that happened (open deals' expected close dates and budgets may lie ahead).
AS_OF_FIELDS = (
    "leads.created_at",
    "leads.qualified_at",
    "leads.converted_at",
    "leads.disqualified_at",
    "leads.last_activity_at",
    "opportunities.created_at",
    "opportunities.engaged_at",
    "stage_history.changed_at",
    "activities.occurred_at",
    "orders.order_date",
    "nps.responded_at",
)
AS_OF_FALLBACK = ("opportunities.close_date", "spend.period", "headcount.hire_date")
PROFILE_LABELS = {
    "annual_revenue": "annual revenue",
    "market_size": "market size (annual revenue of the whole market you serve)",
}
NO_ROWS = (
    "No rows in the data loaded (and the period chosen) meet this metric's conditions; its definition says which "
    "rows count."
)
NO_VALUE = (
    "The rows that count hold no usable figures for this metric (empty amounts, or nothing to divide by); its "
    "definition says which fields it uses."
)
EQUIVALENT = {
    "opportunities.outcome": ("opportunities.is_won",),  # ingest may give only the won flag
    "nps.score": ("nps.period_nps",),  # a bare NPS series gives each period's NPS, not responses' scores
}


@dataclass(frozen=True)
class Period:
    """Inclusive date range; None on a side means unbounded."""

    start: dt.date | None = None
    end: dt.date | None = None

    def sql(self, column: str) -> str:
        conditions = []
        if self.start:
            conditions.append(f"{column} >= DATE '{self.start.isoformat()}'")
        if self.end:
            conditions.append(f"{column} < DATE '{(self.end + dt.timedelta(days=1)).isoformat()}'")
        return " AND ".join(conditions) or "TRUE"

    @property
    def bounded(self) -> bool:
        return bool(self.start or self.end)


@dataclass
class MetricResult:
    id: str
    value: float | None
    available: bool
    missing: list[str] = field(default_factory=list)
    details: dict[str, float | int | str | None] = field(default_factory=dict)
    rows_used: int = 0
    trend: pd.DataFrame | None = None  # columns: period (month or quarter start), value, n
    breakdowns: dict[str, pd.DataFrame] = field(default_factory=dict)  # columns: key, value, n
    note: str = ""
    unfiltered: list[str] = field(default_factory=list)  # filter dimensions this metric has not, so not applied


@dataclass
class _Context:
    con: duckdb.DuckDBPyConnection
    profile: Profile
    period: Period
    coverage: dict[str, set[str]]
    as_of: dt.date | None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    filtered: set[str] = field(default_factory=set)  # filter dimensions applied to the metric being computed
    distinct: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # a text column's values, by table
    breakdowns: bool = True  # False: headline, details and trend only (a page asks for breakdowns when it shows them)
    derived: dict[str, str] = field(default_factory=dict)  # derived tables already looked up in this compute

    def table(self, name: str) -> bool:
        return name in self.coverage

    def covered(self, need: str) -> bool:
        table, name = need.split(".", 1)
        if table == "profile":
            value = getattr(self.profile, name)
            return bool(value) if name == "questionnaire" else value is not None
        if name in self.coverage.get(table, set()):
            return True
        return any(self.covered(other) for other in EQUIVALENT.get(need, ()))

    def has(self, *needs: str) -> bool:
        return all(self.covered(need) for need in needs)

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def scalar(self, sql: str):
        return self.rows(sql)[0][0]


def field_coverage(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Canonical tables present, each with its fields that hold at least one non-null value (counted once per
    data version: a row per covered field, and one with no field per table present)."""
    coverage: dict[str, set[str]] = {}
    for table, name in con.execute(
        f"SELECT * FROM {facts.table(con, 'coverage', lambda: _coverage_sql(con))}"
    ).fetchall():
        coverage.setdefault(table, set()).update([name] if name else [])
    return coverage


def _coverage_sql(con: duckdb.DuckDBPyConnection) -> str:
    present = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    }
    rows = ["SELECT NULL::VARCHAR AS table_name, NULL::VARCHAR AS field WHERE FALSE"]
    for kind in TABLE_KINDS.values():
        if kind.name not in present:
            continue
        counts = con.execute(
            "SELECT " + ", ".join(f'count("{name}")' for name in kind.field_names) + f' FROM "{kind.name}"'
        ).fetchall()[0]
        covered = [name for name, count in zip(kind.field_names, counts, strict=True) if count]
        rows += [f"SELECT '{kind.name}', NULL"] + [f"SELECT '{kind.name}', '{name}'" for name in covered]
    return " UNION ALL ".join(rows)


def as_of_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest date on which something happened in the data: "last 12 months" counts back from it."""
    return _as_of(con, field_coverage(con))


def _as_of(con: duckdb.DuckDBPyConnection, coverage: dict[str, set[str]]) -> dt.date | None:
    for candidates in (AS_OF_FIELDS, AS_OF_FALLBACK):
        parts = [
            f'SELECT max("{name}") AS d FROM "{table}"'
            for table, name in (need.split(".") for need in candidates)
            if name in coverage.get(table, set())
        ]
        if parts:
            latest = con.execute("SELECT max(d) FROM (" + " UNION ALL ".join(parts) + ")").fetchall()[0][0]
            if latest is not None:
                return latest.date() if isinstance(latest, dt.datetime) else latest
    return None


# ---------------------------------------------------------------------------------------------------------------
# Aggregation


def _clean(value):
    """JSON- and display-safe scalar: numpy → Python, NaN → None, dates → ISO strings."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()[:10]
    return value


def _aggregate(
    ctx: _Context,
    metric_id: str,
    base: str,
    value: str,
    *,
    dims: tuple[str, ...] = (),
    details: dict[str, str] | None = None,
    dated: bool = True,
    period: Period | None = None,
    breakdown_rows: int = BREAKDOWN_ROWS,
    rows: str = "count(*)",
    value_needs_breakdowns: bool = False,
    whole_details: dict[str, str] | None = None,
) -> MetricResult:
    """Headline, details, trend and breakdowns of `base` in one query. `value` and `details` are aggregate
    SQL over the base's columns; `event_at` is the natural date the period filters on. `rows` counts the rows
    behind each figure (a sum of counts when the base is already grouped). Breakdowns are left out when the
    context does not ask for them, unless the metric's value is read from them. `whole_details` are details
    computed over the whole period only, in a query of their own: for costly aggregates (distinct counts) that
    the grouping sets would otherwise compute for every month and quarter too."""
    details = details or {}
    period = period or ctx.period
    where = period.sql("event_at") if dated else "TRUE"
    applied = _dimensions_present(ctx, base, [dim for dim in dims if dim in ctx.filters])
    where += "".join(f" AND {filter_sql(dim, ctx.filters[dim])}" for dim in applied)
    ctx.filtered.update(applied)
    dims = dims if ctx.breakdowns or value_needs_breakdowns else ()
    time_cols = ("_month",) if dated else ()
    keys = time_cols + dims
    extra = "".join(f', {expr} AS "d_{name}"' for name, expr in details.items())
    periods = ", date_trunc('month', event_at) AS _month, date_trunc('quarter', event_at) AS _quarter" if dated else ""
    rows_of = f"WITH b AS (SELECT *{periods} FROM ({base}) WHERE {where}) "
    frame = ctx.con.execute(rows_of + _grouping_sets(keys, dims, value, rows, extra)).df()
    grouped = {key: frame[f"g_{key}"] == 0 for key in keys}
    total_mask = pd.Series(True, index=frame.index)
    for mask in grouped.values():
        total_mask &= ~mask
    total = frame[total_mask].iloc[0]
    result = MetricResult(
        metric_id,
        _clean(total["value"]),
        True,
        details={name: _clean(total[f"d_{name}"]) for name in details},
        rows_used=int(total["n"]),
    )
    if whole_details:
        figures = ctx.rows(f"SELECT {', '.join(whole_details.values())} FROM ({base}) WHERE {where}")[0]
        result.details.update({name: _clean(figure) for name, figure in zip(whole_details, figures, strict=True)})
    if dated:
        result.trend = _trend(
            frame[grouped["_month"]],
            lambda: ctx.con.execute(rows_of + _grouping_sets(("_quarter",), (), value, rows)).df(),
        )
    for dim in dims:
        rows = frame[grouped[dim]]
        if rows.empty or rows[dim].isna().all():
            continue
        table = pd.DataFrame(
            {"key": rows[dim].fillna(BLANK).astype(str), "value": rows["value"].astype(float), "n": rows["n"]}
        )
        ranked = table.sort_values(["n", "key"], ascending=[False, True])  # ties in key order, run after run
        result.breakdowns[dim] = ranked.head(breakdown_rows).reset_index(drop=True)
    return result


def _grouping_sets(keys: tuple[str, ...], dims: tuple[str, ...], value: str, rows: str, extra: str = "") -> str:
    """The aggregate over the rows of `b` as a whole and by each key (dimensions are returned as text)."""
    flags = "".join(f"grouping({key}) AS g_{key}, " for key in keys)
    columns = "".join(f"CAST({key} AS VARCHAR) AS {key}, " if key in dims else f"{key}, " for key in keys)
    sets = ", ".join(["()"] + [f"({key})" for key in keys])
    return f"SELECT {flags}{columns}CAST({value} AS DOUBLE) AS value, {rows} AS n{extra} FROM b GROUP BY GROUPING SETS ({sets})"


def _dimensions_present(ctx: _Context, base: str, dims: list[str]) -> list[str]:
    """The dimensions that hold a value on at least one row of `base` (a filter on an empty one would leave
    nothing, though the rows simply do not record it: such a filter is reported as not applied instead)."""
    if not dims:
        return []
    counts = ctx.rows(f"SELECT {', '.join(f'count({dim})' for dim in dims)} FROM ({base})")[0]
    return [dim for dim, count in zip(dims, counts, strict=True) if count]


def filter_options(con: duckdb.DuckDBPyConnection, limit: int = 200) -> dict[str, list[str]]:
    """Per filter dimension, the values found in the session's tables, most frequent first (at most `limit`)."""
    coverage = field_coverage(con)
    options = {}
    for dim in FILTER_DIMENSIONS:
        parts = [f'SELECT CAST("{dim}" AS VARCHAR) AS v FROM "{table}"' for table in coverage if dim in coverage[table]]
        if parts:
            rows = con.execute(
                f"SELECT v FROM ({' UNION ALL '.join(parts)}) WHERE v IS NOT NULL GROUP BY v "
                f"ORDER BY count(*) DESC, v LIMIT {int(limit)}"
            ).fetchall()
            options[dim] = [row[0] for row in rows]
    return options


def filter_sql(dim: str, values: tuple[str, ...]) -> str:
    listed = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    blank = " OR " + dim + " IS NULL" if BLANK in values else ""
    return f"(CAST({dim} AS VARCHAR) IN ({listed}){blank})"


def _trend(by_month: pd.DataFrame, by_quarter: Callable[[], pd.DataFrame]) -> pd.DataFrame | None:
    """Monthly, or quarterly when months average fewer than 5 rows (quarters are only computed then)."""
    monthly = by_month[by_month["_month"].notna()]
    if monthly.empty:
        return None
    column = "_month" if monthly["n"].sum() / len(monthly) >= 5 else "_quarter"
    if column == "_month":
        rows = monthly.sort_values(column)
    else:
        quarterly = by_quarter()
        rows = quarterly[(quarterly["g__quarter"] == 0) & quarterly["_quarter"].notna()].sort_values(column)
    trend = pd.DataFrame(
        {"period": pd.to_datetime(rows[column]).dt.normalize(), "value": rows["value"].astype(float), "n": rows["n"]}
    )
    return trend.dropna(subset=["value"]).reset_index(drop=True)


def _unavailable(metric_id: str, missing: list[str], details: dict | None = None) -> MetricResult:
    return MetricResult(metric_id, None, False, missing, details or {})


# ---------------------------------------------------------------------------------------------------------------
# Shared building blocks

DEAL_OUTCOME = (
    "CASE WHEN lower(outcome) = 'won' OR (outcome IS NULL AND is_won) THEN 'won' "
    "WHEN lower(outcome) = 'lost' OR (outcome IS NULL AND is_closed AND NOT coalesce(is_won, FALSE)) THEN 'lost' "
    "ELSE 'open' END"
)


def _deals() -> str:
    return f"SELECT *, {DEAL_OUTCOME} AS deal_outcome FROM opportunities"


def _derived(ctx: _Context, name: str, select: Callable[[], str]) -> str:
    """A derived table (see core.facts), looked up once per compute: the lookup itself is two catalogue queries."""
    if name not in ctx.derived:
        ctx.derived[name] = facts.table(ctx.con, name, select)
    return ctx.derived[name]


def _lead_facts(ctx: _Context) -> str:
    """One row per lead with its dimensions, status flags, first meeting on or after creation, last touch and
    whether a won deal came from it (a TEMP table built once per data version; see core.facts)."""
    return _derived(ctx, "leads", lambda: _lead_facts_sql(ctx))


def _lead_facts_sql(ctx: _Context) -> str:
    deals = "SELECT NULL AS lead_id, FALSE AS won, FALSE AS lost, FALSE AS open WHERE FALSE"
    if ctx.has("opportunities.lead_id"):
        deals = (
            "SELECT lead_id, bool_or(deal_outcome = 'won') AS won, bool_or(deal_outcome = 'lost') AS lost, "
            f"bool_or(deal_outcome = 'open') AS open FROM ({_deals()}) WHERE lead_id IS NOT NULL GROUP BY 1"
        )
    touches = "SELECT NULL AS lead_id, NULL::TIMESTAMP AS last_at WHERE FALSE"
    meetings = (
        "(SELECT NULL AS lead_id, NULL::TIMESTAMP AS created_at, NULL::TIMESTAMP AS first_meeting_at WHERE FALSE)"
    )
    if ctx.has("activities.lead_id", "activities.occurred_at"):
        touches = "SELECT lead_id, max(occurred_at) AS last_at FROM activities WHERE lead_id IS NOT NULL GROUP BY 1"
    if ctx.has("activities.lead_id", "activities.type", "activities.occurred_at"):
        # A table of its own: its size is then known when it is joined (as a subquery DuckDB guessed it 250 times
        # too big and hashed the million leads instead of it).
        meetings = _derived(
            ctx,
            "first_meetings",
            lambda: (
                "SELECT k.lead_id, k.created_at, min(a.occurred_at) AS first_meeting_at FROM leads k JOIN "
                f"(SELECT lead_id, occurred_at FROM activities WHERE {_matching(ctx, 'type', MEETING)}) a "
                "ON a.lead_id = k.lead_id AND a.occurred_at >= k.created_at GROUP BY ALL"
            ),
        )
    disqualified = "(l.disqualified_at IS NOT NULL OR coalesce(lower(l.status_class) = 'disqualified', FALSE))"
    converted = (
        "(l.converted_at IS NOT NULL OR coalesce(lower(l.status_class) = 'converted', FALSE) OR d.lead_id IS NOT NULL)"
    )
    return (
        f"SELECT l.created_at, {', '.join(_as_enum(ctx, 'leads', dim) for dim in LEAD_DIMENSIONS)}, "
        "l.first_touch_at, l.appointment_at, "
        f"{''.join(f'l.{name} IS NOT NULL AS has_{name}, ' for name in KNOWLEDGE_FIELDS)}"
        "(l.qualified_at IS NOT NULL OR l.converted_at IS NOT NULL OR lower(l.status_class) IN ('qualified', "
        "'converted')) AS qualified, coalesce(l.qualified_at, l.converted_at, l.created_at) AS qualified_event_at, "
        f"m.first_meeting_at, {disqualified} AS disqualified, {converted} AS converted, "
        f"coalesce(NOT {disqualified} AND d.lost AND NOT d.won AND NOT d.open, FALSE) AS lost, "
        "coalesce(d.won, FALSE) AS won, greatest(l.created_at, l.last_activity_at, t.last_at) AS last_touch_at "
        f"FROM leads l LEFT JOIN ({deals}) d ON d.lead_id = l.lead_id LEFT JOIN ({touches}) t ON t.lead_id = l.lead_id "
        f"LEFT JOIN {meetings} m ON m.lead_id = l.lead_id AND m.created_at = l.created_at"
    )


LEAD_DIMENSIONS = ("source", "campaign", "owner")
MAX_ENUM_VALUES = 10_000


def _as_enum(ctx: _Context, table: str, column: str) -> str:
    """`column` of `table` (aliased by its initial) as an ENUM of its values, for a derived table: grouping by
    an ENUM costs less than half of grouping by text; filters and breakdowns read it back as text. Text when
    the column holds more values than an ENUM should list."""
    values = ctx.rows(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL LIMIT {MAX_ENUM_VALUES + 1}")
    if not values or len(values) > MAX_ENUM_VALUES:
        return f"{table[0]}.{column}"
    listed = ", ".join(_literal(row[0]) for row in values)
    return f"CAST({table[0]}.{column} AS ENUM({listed})) AS {column}"


def _matching(ctx: _Context, column: str, pattern: str, table: str = "activities") -> str:
    """`regexp_matches(lower(column), pattern)` over a column of `table`, as the list of the column's distinct
    values that match: the pattern runs over a handful of values instead of every row."""
    name = column.split(".")[-1]
    if (table, name) not in ctx.distinct:
        ctx.distinct[table, name] = [
            row[0] for row in ctx.rows(f"SELECT DISTINCT {name} FROM {table} WHERE {name} IS NOT NULL")
        ]
    values = [
        row[0]
        for row in ctx.con.execute(
            f"SELECT v FROM unnest(?::VARCHAR[]) AS t(v) WHERE regexp_matches(lower(v), '{pattern}')",
            [ctx.distinct[table, name]],
        ).fetchall()
    ]
    if not values:
        return f"({column} <> {column})"  # FALSE, or NULL where the column is NULL, as the pattern would give
    return f"{column} IN ({', '.join(_literal(value) for value in values)})"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _deal_activity(ctx: _Context) -> str:
    """Per opportunity: the meetings and the content shares logged against it (built once per data version)."""
    return _derived(
        ctx,
        "deal_activity",
        lambda: (
            f"SELECT opportunity_id, count(*) FILTER (WHERE {_matching(ctx, 'type', MEETING)}) AS meetings, "
            f"count(*) FILTER (WHERE material IS NOT NULL OR {_matching(ctx, 'type', CONTENT)}) AS shares "
            "FROM activities WHERE opportunity_id IS NOT NULL GROUP BY 1"
        ),
    )


def _conversations(ctx: _Context) -> str:
    """Meetings and calls per seller and day: how many had a duration (and its minutes), how many an outcome
    (and how many of those were valuable). Periods are whole days, so a day's rows stay together."""

    def select() -> str:
        valuable = f"({_matching(ctx, 'outcome', VALUABLE)} AND NOT {_matching(ctx, 'outcome', NOT_VALUABLE)})"
        return (
            "SELECT occurred_at::DATE::TIMESTAMP AS event_at, owner, count(duration_minutes) AS timed, "
            f"sum(duration_minutes) AS minutes, count(outcome) AS judged, sum({valuable}::INT) AS valuable "
            f"FROM activities WHERE {_matching(ctx, 'type', CONVERSATION)} GROUP BY ALL"
        )

    return _derived(ctx, "conversations", select)


def _qualified_leads(ctx: _Context) -> str:
    return f"SELECT qualified_event_at AS event_at, source, campaign, owner FROM {_lead_facts(ctx)} WHERE qualified"


def _revenue(ctx: _Context) -> tuple[str | None, str]:
    """(SELECT of event_at, amount, account, product, region — or None, and which source it is)."""
    if ctx.has("orders.amount", "orders.order_date"):
        return (
            "SELECT order_date AS event_at, amount, account_id AS account, product, region, order_id, margin "
            "FROM orders",
            "orders",
        )
    if ctx.has("opportunities.amount", "opportunities.outcome", "opportunities.close_date"):
        return (
            "SELECT close_date AS event_at, amount, account_id AS account, product, region, opportunity_id AS "
            f"order_id, NULL::DOUBLE AS margin FROM ({_deals()}) WHERE deal_outcome = 'won'",
            "won deals",
        )
    return None, "company profile"


def _window(ctx: _Context, table: str, column: str) -> tuple[Period, int]:
    """The chosen period (open sides filled from the data), else the 12 months ending at the latest date."""
    low, high = ctx.rows(f'SELECT min("{column}")::DATE, max("{column}")::DATE FROM "{table}"')[0]
    if ctx.period.bounded:
        start, end = ctx.period.start or low, ctx.period.end or high
    else:
        month = pd.Timestamp(high).to_period("M")
        start, end = (month - 11).to_timestamp().date(), month.to_timestamp(how="end").date()
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return Period(start, end), max(months, 1)


def _active_staff(ctx: _Context) -> str:
    as_of = ctx.period.end or ctx.as_of
    day = f"DATE '{as_of.isoformat()}'" if as_of else "DATE '9999-12-31'"
    return (
        "SELECT coalesce(fte, 1.0) AS fte, lower(role_class) AS role, department FROM headcount "
        f"WHERE (hire_date IS NULL OR hire_date::DATE <= {day}) "
        f"AND (termination_date IS NULL OR termination_date::DATE > {day}) "
        "AND NOT regexp_matches(lower(coalesce(status, '')), 'terminat|inactive|former')"
    )


def _products() -> str:
    return (
        "SELECT lower(trim(product)) AS product_key, max(margin_pct) AS margin_pct, min(launch_date) AS launch_date "
        "FROM products GROUP BY 1"
    )


def _lines(ctx: _Context) -> str:
    """Sales lines (orders, else won deals) with event_at, amount, product, region and the product's facts."""
    revenue, _ = _revenue(ctx)
    join = (
        f"LEFT JOIN ({_products()}) p ON p.product_key = lower(trim(r.product))"
        if ctx.table("products")
        else "LEFT JOIN (SELECT NULL AS product_key, NULL::DOUBLE AS margin_pct, NULL::TIMESTAMP AS launch_date) p "
        "ON FALSE"
    )
    return f"SELECT r.*, p.margin_pct, p.launch_date FROM ({revenue}) r {join}"


def _account_dims(ctx: _Context, key: str) -> tuple[str, str]:
    """(JOIN clause, select list) adding industry and region from accounts when present."""
    if ctx.table("accounts"):
        return f"LEFT JOIN accounts a ON a.account_id = {key}", "a.industry AS industry, a.region AS region"
    return "", "NULL AS industry, NULL AS region"


QUERIES: dict[str, Callable[[_Context, int], MetricResult]] = {}


def _query(function: Callable[[_Context, int], MetricResult]) -> Callable[[_Context, int], MetricResult]:
    QUERIES[function.__name__] = function
    return function


# ---------------------------------------------------------------------------------------------------------------
# Lead generation


def _size_band(column: str) -> str:
    return (
        f"CASE WHEN {column} IS NULL THEN 'size unknown' WHEN {column} < 50 THEN '1–49' WHEN {column} < 200 "
        f"THEN '50–199' WHEN {column} < 1000 THEN '200–999' WHEN {column} < 5000 THEN '1,000–4,999' ELSE '5,000+' END"
    )


@_query
def best_prospect_profile(ctx: _Context, option: int) -> MetricResult:
    firm, key = ("accounts", "account_id") if option == 0 else ("leads", "lead_id")
    base = (
        f"SELECT d.close_date AS event_at, (d.deal_outcome = 'won')::INT AS won, "
        f"coalesce(f.industry, 'industry unknown') AS industry, "
        f"coalesce(f.industry, 'industry unknown') || ' · ' || {_size_band('f.employees')} AS segment "
        f"FROM ({_deals()}) d LEFT JOIN {firm} f ON f.{key} = d.{key} WHERE d.deal_outcome IN ('won', 'lost')"
    )
    result = _aggregate(
        ctx,
        "best_prospect_profile",
        base,
        "avg(won)",
        dims=("industry", "segment"),
        breakdown_rows=500,
        value_needs_breakdowns=True,
    )
    result.trend = None
    profiles = result.breakdowns.get("segment", pd.DataFrame(columns=["key", "value", "n"]))
    eligible = profiles[profiles["n"] >= MIN_DEALS_PER_PROFILE].sort_values(["value", "n"], ascending=False)
    overall = result.value
    if eligible.empty or not overall:
        return _unavailable(
            "best_prospect_profile",
            [f"At least {MIN_DEALS_PER_PROFILE} closed deals in one industry × size band (and at least one win)."],
        )
    best = eligible.iloc[0]
    result.value = float(best["value"]) / overall
    result.details = {
        "best_profile": best["key"],
        "best_profile_win_rate": float(best["value"]),
        "best_profile_closed_deals": int(best["n"]),
        "overall_win_rate": overall,
    }
    return result


@_query
def qualified_leads(ctx: _Context, option: int) -> MetricResult:
    return _aggregate(ctx, "qualified_leads", _qualified_leads(ctx), "count(*)", dims=("source", "campaign", "owner"))


@_query
def cost_per_qualified_lead(ctx: _Context, option: int) -> MetricResult:
    base = (
        "SELECT period AS event_at, amount AS cost, 0 AS lead, campaign, channel FROM spend "
        "WHERE lower(function) = 'marketing' UNION ALL "
        f"SELECT event_at, 0, 1, campaign, source FROM ({_qualified_leads(ctx)})"
    )
    return _aggregate(
        ctx,
        "cost_per_qualified_lead",
        base,
        "sum(cost) / nullif(sum(lead), 0)",
        dims=("campaign", "channel"),
        details={"marketing_spend": "sum(cost)", "qualified_leads": "sum(lead)"},
    )


@_query
def lead_to_appointment_rate(ctx: _Context, option: int) -> MetricResult:
    window = int(ctx.profile.appointment_window_days)
    # The first meeting on or after creation falls in the window exactly when any meeting does.
    meeting = f"coalesce(first_meeting_at <= created_at + INTERVAL {window} DAY, FALSE)"
    base = (
        f"SELECT created_at AS event_at, (appointment_at IS NOT NULL OR {meeting})::INT AS appointed, "
        f"source, campaign, owner FROM {_lead_facts(ctx)}"
    )
    return _aggregate(
        ctx,
        "lead_to_appointment_rate",
        base,
        "avg(appointed)",
        dims=("source", "campaign", "owner"),
        details={"leads": "count(*)", "leads_with_appointment": "sum(appointed)"},
    )


KNOWLEDGE_FIELDS = ("company", "title", "email", "industry", "employees", "country", "annual_revenue", "source")


@_query
def lead_knowledge(ctx: _Context, option: int) -> MetricResult:
    filled = " + ".join(f"has_{name}::INT" for name in KNOWLEDGE_FIELDS)
    flags = ", ".join(f"has_{name}::INT AS has_{name}" for name in KNOWLEDGE_FIELDS)
    base = (
        f"SELECT created_at AS event_at, ({filled}) / {len(KNOWLEDGE_FIELDS)}.0 AS filled, {flags}, source, owner "
        f"FROM {_lead_facts(ctx)}"
    )
    return _aggregate(
        ctx,
        "lead_knowledge",
        base,
        "avg(filled)",
        dims=("source", "owner"),
        whole_details={f"filled_{name}": f"avg(has_{name})" for name in KNOWLEDGE_FIELDS},
    )


# ---------------------------------------------------------------------------------------------------------------
# Lead management


def _milestones(ctx: _Context) -> str:
    """Per deal: owner, product, source and the first date of each milestone, from the deal's own date fields
    and, where stage history is loaded, from the first change into a stage named like the milestone (a table
    built once per data version)."""
    return _derived(ctx, "milestones", lambda: _milestones_sql(ctx, tuple(STAGE_PATTERNS)))


def _milestones_sql(ctx: _Context, columns: tuple[str, ...]) -> str:
    history = None
    if ctx.has("stage_history.stage", "stage_history.changed_at"):
        firsts = ", ".join(
            f"min(changed_at) FILTER (WHERE {_matching(ctx, 'stage', STAGE_PATTERNS[c], 'stage_history')}) AS {c}"
            for c in columns
        )
        history = f"SELECT opportunity_id, {firsts} FROM stage_history GROUP BY 1"
    if not ctx.table("opportunities"):
        return f"SELECT opportunity_id, NULL AS owner, NULL AS product, NULL AS source, {', '.join(columns)} FROM ({history})"
    if history is None:
        return f"SELECT opportunity_id, owner, product, source, {', '.join(columns)} FROM opportunities"
    merged = ", ".join(f"coalesce(o.{c}, h.{c}) AS {c}" for c in columns)
    return (
        f"SELECT o.opportunity_id, o.owner, o.product, o.source, {merged} FROM opportunities o "
        f"LEFT JOIN ({history}) h ON h.opportunity_id = o.opportunity_id UNION ALL "
        f"SELECT h.opportunity_id, NULL, NULL, NULL, {', '.join(f'h.{c}' for c in columns)} FROM ({history}) h "
        "WHERE h.opportunity_id NOT IN (SELECT opportunity_id FROM opportunities WHERE opportunity_id IS NOT NULL)"
    )


@_query
def rfp_count(ctx: _Context, option: int) -> MetricResult:
    base = f"SELECT rfp_at AS event_at, owner, product, source FROM {_milestones(ctx)} WHERE rfp_at IS NOT NULL"
    return _aggregate(ctx, "rfp_count", base, "count(*)", dims=("owner", "product", "source"))


@_query
def proposal_to_presentation_rate(ctx: _Context, option: int) -> MetricResult:
    base = (
        "SELECT proposal_at AS event_at, coalesce(presentation_at::DATE >= proposal_at::DATE, FALSE)::INT AS presented, "
        f"owner, product, source FROM {_milestones(ctx)} "
        "WHERE proposal_at IS NOT NULL"
    )
    return _aggregate(
        ctx,
        "proposal_to_presentation_rate",
        base,
        "avg(presented)",
        dims=("owner", "product", "source"),
        details={"proposals": "count(*)", "presentations_after_proposal": "sum(presented)"},
    )


@_query
def time_with_prospects(ctx: _Context, option: int) -> MetricResult:
    base = f"SELECT event_at, minutes, timed, owner FROM {_conversations(ctx)} WHERE timed > 0"
    per_seller_month = "count(DISTINCT owner) * count(DISTINCT date_trunc('month', event_at))"
    return _aggregate(
        ctx,
        "time_with_prospects",
        base,
        f"sum(minutes) / nullif({per_seller_month}, 0)",
        dims=("owner",),
        details={
            "total_minutes": "sum(minutes)",
            "sellers": "count(DISTINCT owner)",
            "months": "count(DISTINCT date_trunc('month', event_at))",
        },
        rows="coalesce(sum(timed), 0)",
    )


@_query
def valuable_meeting_rate(ctx: _Context, option: int) -> MetricResult:
    base = f"SELECT event_at, valuable, judged, owner FROM {_conversations(ctx)} WHERE judged > 0"
    return _aggregate(
        ctx,
        "valuable_meeting_rate",
        base,
        "sum(valuable) / sum(judged)",
        dims=("owner",),
        details={"meetings_and_calls": "sum(judged)", "valuable": "sum(valuable)"},
        rows="coalesce(sum(judged), 0)",
    )


@_query
def marketing_material_usage(ctx: _Context, option: int) -> MetricResult:
    base = (
        "SELECT d.close_date AS event_at, coalesce(s.shares, 0) AS shares, (coalesce(s.shares, 0) > 0)::INT AS used, "
        f"d.owner, d.product FROM ({_deals()}) d LEFT JOIN {_deal_activity(ctx)} s "
        "ON s.opportunity_id = d.opportunity_id WHERE d.deal_outcome = 'won'"
    )
    return _aggregate(
        ctx,
        "marketing_material_usage",
        base,
        "avg(used)",
        dims=("owner", "product"),
        details={
            "won_deals": "count(*)",
            "won_deals_with_content": "sum(used)",
            "content_shares_per_won_deal": "avg(shares)",
        },
    )


def _leakage_base(ctx: _Context) -> str:
    as_of = f"DATE '{ctx.as_of.isoformat()}'"
    idle = int(ctx.profile.idle_days)
    idle_open = f"(NOT disqualified AND NOT converted AND last_touch_at::DATE < {as_of} - INTERVAL {idle} DAY)"
    return (
        "SELECT created_at AS event_at, disqualified::INT AS disqualified, lost::INT AS lost, "
        f"coalesce({idle_open}, FALSE)::INT AS idle, source, campaign, owner, created_at, first_touch_at "
        f"FROM {_lead_facts(ctx)}"
    )


@_query
def lead_leakage_rate(ctx: _Context, option: int) -> MetricResult:
    result = _aggregate(
        ctx,
        "lead_leakage_rate",
        _leakage_base(ctx),
        "avg(greatest(disqualified, lost, idle))",
        dims=("source", "campaign", "owner"),
        details={"leads": "count(*)", "disqualified": "sum(disqualified)", "lost": "sum(lost)", "idle": "sum(idle)"},
    )
    result.details.update(as_of=ctx.as_of.isoformat(), idle_days=int(ctx.profile.idle_days))
    return result


@_query
def nurture_investment(ctx: _Context, option: int) -> MetricResult:
    marketing = "lower(function) = 'marketing'" if ctx.has("spend.function") else "TRUE"
    base = (
        "SELECT period AS event_at, CASE WHEN regexp_matches(lower(coalesce(purpose, '')), 'nurtur') THEN amount "
        f"ELSE 0 END AS nurture, CASE WHEN {marketing} THEN amount ELSE 0 END AS marketing, channel, campaign FROM spend"
    )
    return _aggregate(
        ctx,
        "nurture_investment",
        base,
        "sum(nurture)",
        dims=("channel", "campaign"),
        details={"share_of_marketing_spend": "sum(nurture) / nullif(sum(marketing), 0)"},
    )


# ---------------------------------------------------------------------------------------------------------------
# Closing


@_query
def high_margin_sales_share(ctx: _Context, option: int) -> MetricResult:
    threshold = float(ctx.profile.high_margin_pct)
    margin = "coalesce(margin_pct, margin / nullif(amount, 0))"
    base = (
        f"SELECT event_at, amount, CASE WHEN {margin} >= {threshold} THEN amount ELSE 0 END AS high, "
        f"CASE WHEN {margin} IS NULL THEN amount ELSE 0 END AS unknown, product, region FROM ({_lines(ctx)})"
    )
    result = _aggregate(
        ctx,
        "high_margin_sales_share",
        base,
        "sum(high) / nullif(sum(amount), 0)",
        dims=("product", "region"),
        details={
            "revenue": "sum(amount)",
            "high_margin_revenue": "sum(high)",
            "revenue_margin_unknown": "sum(unknown)",
        },
    )
    result.details.update(revenue_source=_revenue(ctx)[1], high_margin_pct=threshold)
    return result


@_query
def new_product_sales_share(ctx: _Context, option: int) -> MetricResult:
    months = int(ctx.profile.new_product_months)
    base = (
        f"SELECT event_at, amount, CASE WHEN launch_date > event_at - INTERVAL {months} MONTH THEN amount ELSE 0 END "
        f"AS new, product, region FROM ({_lines(ctx)})"
    )
    result = _aggregate(
        ctx,
        "new_product_sales_share",
        base,
        "sum(new) / nullif(sum(amount), 0)",
        dims=("product", "region"),
        details={"revenue": "sum(amount)", "new_product_revenue": "sum(new)"},
    )
    result.details.update(revenue_source=_revenue(ctx)[1], new_product_months=months)
    return result


@_query
def meetings_to_close(ctx: _Context, option: int) -> MetricResult:
    base = (
        "SELECT d.close_date AS event_at, coalesce(m.meetings, 0) AS meetings, d.owner, d.product, d.source "
        f"FROM ({_deals()}) d LEFT JOIN {_deal_activity(ctx)} m ON m.opportunity_id = d.opportunity_id "
        "WHERE d.deal_outcome = 'won'"
    )
    return _aggregate(
        ctx,
        "meetings_to_close",
        base,
        "avg(meetings)",
        dims=("owner", "product", "source"),
        details={"won_deals": "count(*)", "meetings": "sum(meetings)", "median_meetings": "median(meetings)"},
    )


@_query
def time_to_close(ctx: _Context, option: int) -> MetricResult:
    lead_created, join = "NULL::TIMESTAMP", ""
    if ctx.has("leads.lead_id", "leads.created_at", "opportunities.lead_id"):
        lead_created, join = "l.created_at", "LEFT JOIN leads l ON l.lead_id = d.lead_id"
    start = f"least({lead_created}, d.created_at, d.engaged_at)"
    base = (
        f"SELECT d.close_date AS event_at, date_diff('day', {start}::DATE, d.close_date::DATE) AS days, "
        f"d.owner, d.product, d.region, d.source FROM ({_deals()}) d {join} "
        f"WHERE d.deal_outcome = 'won' AND d.close_date IS NOT NULL AND {start} IS NOT NULL "
        f"AND {start}::DATE <= d.close_date::DATE"
    )
    return _aggregate(
        ctx,
        "time_to_close",
        base,
        "median(days)",
        dims=("source", "owner", "product", "region"),
        details={
            "won_deals": "count(*)",
            "mean_days": "avg(days)",
            "p25_days": "quantile_cont(days, 0.25)",
            "p75_days": "quantile_cont(days, 0.75)",
        },
    )


def _lead_close_base(ctx: _Context) -> str:
    return (
        "SELECT created_at AS event_at, won::INT AS won, source, campaign, owner, NULL AS product, NULL AS region "
        f"FROM {_lead_facts(ctx)}"
    )


def _deal_close_base() -> str:
    return (
        "SELECT close_date AS event_at, (deal_outcome = 'won')::INT AS won, source, campaign, owner, product, region "
        f"FROM ({_deals()}) WHERE deal_outcome IN ('won', 'lost')"
    )


@_query
def close_ratio(ctx: _Context, option: int) -> MetricResult:
    linked = ctx.has("leads.lead_id", "opportunities.lead_id", "opportunities.outcome") and ctx.scalar(
        f"SELECT count(*) FILTER (won) FROM {_lead_facts(ctx)}"
    )
    by_deals = ctx.has("opportunities.outcome", "opportunities.close_date")
    dims = ("source", "campaign", "owner", "product", "region")
    lead_details = {"leads": "count(*)", "leads_won": "sum(won)"}
    deal_details = {"closed_deals": "count(*)", "won_deals": "sum(won)"}
    if linked:
        result = _aggregate(ctx, "close_ratio", _lead_close_base(ctx), "avg(won)", dims=dims, details=lead_details)
        result.details["lead_to_customer_rate"] = result.value
        if by_deals:
            other = _aggregate(ctx, "close_ratio", _deal_close_base(), "avg(won)", details=deal_details)
            result.details.update(other.details, win_rate_closed_deals=other.value)
        result.details["basis"] = "leads that became won customers"
        return result
    result = _aggregate(ctx, "close_ratio", _deal_close_base(), "avg(won)", dims=dims, details=deal_details)
    result.details.update(win_rate_closed_deals=result.value, basis="won ÷ closed deals")
    result.note = "Leads are not linked to won deals, so this is the win rate of closed deals."
    return result


@_query
def funnel_value(ctx: _Context, option: int) -> MetricResult:
    win_rate = ctx.scalar(
        f"SELECT avg((deal_outcome = 'won')::INT) FROM ({_deals()}) WHERE deal_outcome IN ('won', 'lost')"
    )
    probability = "CASE WHEN probability > 1 THEN probability / 100 ELSE probability END"
    base = (
        f"SELECT close_date AS event_at, amount, coalesce({probability}, {win_rate or 'NULL'}) * amount AS weighted, "
        f"({probability} IS NULL)::INT AS by_win_rate, owner, product, region, source FROM ({_deals()}) "
        "WHERE deal_outcome = 'open' AND amount IS NOT NULL"
    )
    result = _aggregate(
        ctx,
        "funnel_value",
        base,
        "sum(weighted)",
        dims=("owner", "product", "region", "source"),
        details={
            "open_deals": "count(*)",
            "open_amount": "sum(amount)",
            "deals_weighted_by_win_rate": "sum(by_win_rate)",
        },
    )
    result.details["historical_win_rate"] = _clean(win_rate)
    return result


@_query
def order_size(ctx: _Context, option: int) -> MetricResult:
    if option == 0:
        whole_orders = _derived(  # one row per order: read twice below, and the grouping is the costly part
            ctx,
            "orders",
            lambda: (
                "SELECT min(order_date) AS event_at, sum(amount) AS value, account_id AS account, "
                "any_value(region) AS region, NULL::VARCHAR AS owner, NULL::VARCHAR AS product, "
                "NULL::VARCHAR AS source FROM orders WHERE amount IS NOT NULL GROUP BY order_id, account_id "
                "HAVING sum(amount) > 0"
            ),
        )
        base = f"SELECT * FROM {whole_orders}"
    else:
        base = (
            "SELECT close_date AS event_at, amount AS value, account_id AS account, region, owner, product, source "
            f"FROM ({_deals()}) WHERE deal_outcome = 'won' AND amount > 0"
        )
    result = _aggregate(
        ctx,
        "order_size",
        base,
        "median(value)",
        dims=("region", "owner", "product", "source"),
        details={"orders": "count(*)", "mean_order_value": "avg(value)", "revenue": "sum(value)"},
    )
    share, customers = ctx.rows(
        f"WITH c AS (SELECT account, sum(value) AS revenue FROM ({base}) WHERE {ctx.period.sql('event_at')} "
        "AND account IS NOT NULL GROUP BY 1), r AS (SELECT revenue, row_number() OVER (ORDER BY revenue DESC) AS rank, "
        "count(*) OVER () AS customers FROM c) SELECT sum(revenue) FILTER (WHERE rank <= greatest(floor(0.2 * customers), 1)) "
        "/ nullif(sum(revenue), 0), max(customers) FROM r"
    )[0]
    result.details.update(
        top20_customer_share=_clean(share),
        customers=_clean(customers),
        order_source="orders" if option == 0 else "won deals",
    )
    return result


def _spend_against_revenue(ctx: _Context, metric_id: str, spend_filter: str, label: str) -> MetricResult:
    """Spend (filtered) ÷ revenue over the same window; annualised spend ÷ profile revenue when no sales data."""
    window, months = _window(ctx, "spend", "period")
    revenue, source = _revenue(ctx)
    spend = f"SELECT period AS event_at, amount AS spend, 0 AS revenue FROM spend WHERE {spend_filter}"
    if revenue is None:
        annual = float(ctx.profile.annual_revenue)
        base, value = spend, f"sum(spend) * 12.0 / count(DISTINCT date_trunc('month', event_at)) / {annual}"
    else:
        base = f"{spend} UNION ALL SELECT event_at, 0, amount FROM ({revenue})"
        value = "sum(spend) / nullif(sum(revenue), 0)"
    result = _aggregate(
        ctx, metric_id, base, value, details={label: "sum(spend)", "revenue": "sum(revenue)"}, period=window
    )
    if revenue is None:
        result.details["revenue"] = float(ctx.profile.annual_revenue)
    result.details.update(
        revenue_source=source, window_start=window.start.isoformat(), window_end=window.end.isoformat(), months=months
    )
    return result


@_query
def marketing_spend_to_sales(ctx: _Context, option: int) -> MetricResult:
    return _spend_against_revenue(ctx, "marketing_spend_to_sales", "lower(function) = 'marketing'", "marketing_spend")


@_query
def market_share(ctx: _Context, option: int) -> MetricResult:
    market = float(ctx.profile.market_size)
    revenue, source = _revenue(ctx)
    if revenue is None:
        annual = float(ctx.profile.annual_revenue)
        return MetricResult(
            "market_share",
            annual / market,
            True,
            details={"annual_revenue": annual, "market_size": market, "revenue_source": source},
            note="From the annual revenue typed into the company profile.",
        )
    table, column = ("orders", "order_date") if source == "orders" else ("opportunities", "close_date")
    window, months = _window(ctx, table, column)
    result = _aggregate(
        ctx,
        "market_share",
        f"SELECT event_at, amount FROM ({revenue})",
        f"sum(amount) * 12.0 / count(DISTINCT date_trunc('month', event_at)) / {market}",
        details={"revenue": "sum(amount)", "months_with_sales": "count(DISTINCT date_trunc('month', event_at))"},
        period=window,
    )
    result.details.update(
        market_size=market,
        revenue_source=source,
        window_start=window.start.isoformat(),
        window_end=window.end.isoformat(),
        months=months,
    )
    return result


# ---------------------------------------------------------------------------------------------------------------
# Retention


@_query
def relationship_depth(ctx: _Context, option: int) -> MetricResult:
    revenue, source = _revenue(ctx)
    join, account_dims = _account_dims(ctx, "r.account")
    base = (
        f"SELECT r.event_at, r.amount, r.margin, r.account, r.product, r.order_id, {account_dims} FROM ({revenue}) r "
        f"{join} WHERE r.account IS NOT NULL"
    )
    result = _aggregate(
        ctx,
        "relationship_depth",
        base,
        "sum(amount) / nullif(count(DISTINCT account), 0)",
        dims=("region", "industry"),
        whole_details={
            "customers": "count(DISTINCT account)",
            "products_per_customer": "count(DISTINCT (account, product)) FILTER (WHERE product IS NOT NULL) "
            "/ nullif(count(DISTINCT account), 0)",
            "profit_per_customer": "sum(margin) / nullif(count(DISTINCT account), 0)",
        },
    )
    result.details["repeat_customer_share"] = _clean(
        ctx.scalar(
            f"SELECT avg((orders > 1)::INT) FROM (SELECT account, count(DISTINCT order_id) AS orders FROM ({base}) "
            f"WHERE {ctx.period.sql('event_at')} GROUP BY 1)"
        )
    )
    result.details["revenue_source"] = source
    return result


@_query
def nps(ctx: _Context, option: int) -> MetricResult:
    if "score" not in ctx.coverage.get("nps", set()):
        return _nps_of_periods(ctx)
    join, account_dims = _account_dims(ctx, "r.account_id")
    base = (
        f"SELECT r.responded_at AS event_at, r.score, {account_dims} FROM nps r {join} WHERE r.score BETWEEN 0 AND 10"
    )
    return _aggregate(
        ctx,
        "nps",
        base,
        "100.0 * (avg((score >= 9)::INT) - avg((score <= 6)::INT))",
        dims=("industry", "region"),
        details={
            "responses": "count(*)",
            "promoters": "sum((score >= 9)::INT)",
            "passives": "sum((score > 6 AND score < 9)::INT)",
            "detractors": "sum((score <= 6)::INT)",
        },
    )


NPS_GRAINS = {1: "monthly", 3: "quarterly", 12: "yearly"}  # months between periods → how a series is named


def _nps_of_periods(ctx: _Context) -> MetricResult:
    """NPS from an NPS per period (a bare NPS series, see core.imports.reshape), when no responses are loaded:
    the average of the periods' NPS weighted by their responses when every period gives them, else plain."""
    join, account_dims = _account_dims(ctx, "r.account_id")
    rows = "FROM nps r WHERE r.period_nps BETWEEN -100 AND 100"
    periods, weighted = ctx.rows(f"SELECT count(*), count(*) FILTER (WHERE r.responses > 0) {rows}")[0]
    weight = "r.responses" if periods and weighted == periods else "1"
    base = (
        f"SELECT r.responded_at AS event_at, r.period_nps, {weight} AS weight, r.responses, {account_dims} "
        f"FROM nps r {join} WHERE r.period_nps BETWEEN -100 AND 100"
    )
    result = _aggregate(
        ctx,
        "nps",
        base,
        "sum(period_nps * weight) / nullif(sum(weight), 0)",
        dims=("industry", "region"),
        details={"periods": "count(*)", "responses": "sum(responses)"},
    )
    count = int(result.details.get("periods") or 0)
    figures = f"{count:,} {_grain(ctx)} NPS figure{'' if count == 1 else 's'}"
    if weight == "1":
        missing = periods - weighted
        how = f", not weighted: {missing:,} of {periods:,} give no responses" if weighted else ", not weighted"
    else:
        how = f", weighted by their {result.details.get('responses') or 0:,.0f} responses"
    result.details["basis"] = f"from {figures}{how}"
    result.note = f"The average of {figures}{how} (a period's NPS, not a set of responses)."
    return result


def _grain(ctx: _Context) -> str:
    """'monthly', 'quarterly' or 'yearly' when the NPS periods are first days that far apart, else 'period'."""
    days = [
        row[0]
        for row in ctx.rows(
            "SELECT DISTINCT responded_at::DATE FROM nps WHERE period_nps IS NOT NULL AND responded_at IS NOT NULL "
            "ORDER BY 1"
        )
    ]
    if not days or any(day.day != 1 for day in days):
        return "period"
    gaps = {12 * (b.year - a.year) + b.month - a.month for a, b in zip(days, days[1:], strict=False)}
    return NPS_GRAINS.get(min(gaps), "period") if gaps else "period"


@_query
def share_of_wallet(ctx: _Context, option: int) -> MetricResult:
    revenue, source = _revenue(ctx)
    table, column = ("orders", "order_date") if source == "orders" else ("opportunities", "close_date")
    window, months = _window(ctx, table, column)
    base = (
        f"SELECT a.industry, a.region, r.revenue, a.wallet_estimate * {months} / 12.0 AS wallet FROM accounts a "
        f"JOIN (SELECT account, sum(amount) AS revenue FROM ({revenue}) WHERE {window.sql('event_at')} "
        "GROUP BY 1 HAVING sum(amount) > 0) r ON r.account = a.account_id WHERE a.wallet_estimate > 0"
    )
    result = _aggregate(
        ctx,
        "share_of_wallet",
        base,
        "sum(revenue) / nullif(sum(wallet), 0)",
        dims=("industry", "region"),
        details={"customers": "count(*)", "revenue": "sum(revenue)", "wallet_for_window": "sum(wallet)"},
        dated=False,
    )
    result.details.update(
        revenue_source=source, window_start=window.start.isoformat(), window_end=window.end.isoformat(), months=months
    )
    return result


@_query
def win_back_rate(ctx: _Context, option: int) -> MetricResult:
    months = int(ctx.profile.lapse_months)
    if option == 0:
        events = "SELECT account_id AS account, order_date::DATE AS day FROM orders"
    else:
        events = f"SELECT account_id AS account, close_date::DATE AS day FROM ({_deals()}) WHERE deal_outcome = 'won'"
    as_of = f"DATE '{ctx.as_of.isoformat()}'"
    lapse = f"INTERVAL {months} MONTH"
    join, account_dims = _account_dims(ctx, "g.account")
    base = (
        f"WITH e AS (SELECT DISTINCT account, day FROM ({events}) WHERE account IS NOT NULL AND day IS NOT NULL), "
        "s AS (SELECT account, day, lead(day) OVER (PARTITION BY account ORDER BY day) AS next_day FROM e), "
        f"g AS (SELECT * FROM s WHERE (next_day IS NULL AND day + {lapse} <= {as_of}) OR next_day >= day + {lapse} "
        "QUALIFY row_number() OVER (PARTITION BY account ORDER BY day) = 1) "
        f"SELECT (g.day + {lapse})::TIMESTAMP AS event_at, (g.next_day IS NOT NULL)::INT AS won_back, {account_dims} "
        f"FROM g {join}"
    )
    result = _aggregate(
        ctx,
        "win_back_rate",
        base,
        "avg(won_back)",
        dims=("region", "industry"),
        details={"lapsed_customers": "count(*)", "won_back": "sum(won_back)"},
    )
    result.details.update(lapse_months=months, as_of=ctx.as_of.isoformat())
    return result


# ---------------------------------------------------------------------------------------------------------------
# IDC 2012 scorecard


@_query
def sm_spend_pct_revenue(ctx: _Context, option: int) -> MetricResult:
    return _spend_against_revenue(
        ctx, "sm_spend_pct_revenue", "lower(function) IN ('sales', 'marketing')", "sales_and_marketing_spend"
    )


def _spend_without(ctx: _Context, metric_id: str, column: str, value: str, what: str) -> MetricResult | None:
    """Unavailable when no spend line is of one side of a ratio: a file of ad spend alone holds no sales or
    people lines, and a ratio of zero to it would read as a fact about the company."""
    if ctx.scalar(f"SELECT count(*) FROM spend WHERE lower({column}) = '{value}'"):
        return None
    return _unavailable(metric_id, [f"No spend line loaded is {what}, so this ratio would only show its absence."])


@_query
def sales_to_marketing_spend(ctx: _Context, option: int) -> MetricResult:
    if missing := _spend_without(ctx, "sales_to_marketing_spend", "function", "sales", "sales spend"):
        return missing
    window, months = _window(ctx, "spend", "period")
    base = (
        "SELECT period AS event_at, CASE WHEN lower(function) = 'sales' THEN amount ELSE 0 END AS sales, "
        "CASE WHEN lower(function) = 'marketing' THEN amount ELSE 0 END AS marketing FROM spend"
    )
    result = _aggregate(
        ctx,
        "sales_to_marketing_spend",
        base,
        "sum(sales) / nullif(sum(marketing), 0)",
        details={"sales_spend": "sum(sales)", "marketing_spend": "sum(marketing)"},
        period=window,
    )
    result.details.update(window_start=window.start.isoformat(), window_end=window.end.isoformat(), months=months)
    return result


def _staff_ratio(ctx: _Context, metric_id: str, numerator: tuple[str, ...], denominator: tuple[str, ...], dims=()):
    def fte_of(roles: tuple[str, ...]) -> str:
        return "CASE WHEN role IN (" + ", ".join(f"'{role}'" for role in roles) + ") THEN fte ELSE 0 END"

    base = f"SELECT {fte_of(numerator)} AS num, {fte_of(denominator)} AS den, department FROM ({_active_staff(ctx)})"
    result = _aggregate(
        ctx,
        metric_id,
        base,
        "sum(num) / nullif(sum(den), 0)",
        dims=dims,
        details={"numerator_fte": "sum(num)", "denominator_fte": "sum(den)"},
        dated=False,
    )
    as_of = ctx.period.end or ctx.as_of
    result.details["active_on"] = as_of.isoformat() if as_of else None
    return result


SM_ROLES = ("quota_seller", "field_marketing", "sales_ops", "marketing_ops", "sales_other", "marketing_other")


@_query
def quota_to_field_marketing_ratio(ctx: _Context, option: int) -> MetricResult:
    return _staff_ratio(ctx, "quota_to_field_marketing_ratio", ("quota_seller",), ("field_marketing",))


@_query
def ops_staff_share(ctx: _Context, option: int) -> MetricResult:
    return _staff_ratio(ctx, "ops_staff_share", ("sales_ops", "marketing_ops"), SM_ROLES, dims=("department",))


@_query
def marketing_spend_per_sales_head(ctx: _Context, option: int) -> MetricResult:
    sellers = ctx.scalar(f"SELECT sum(fte) FROM ({_active_staff(ctx)}) WHERE role = 'quota_seller'") or 0
    if not sellers:
        return _unavailable(
            "marketing_spend_per_sales_head",
            ["No active quota-bearing sellers on the roster (headcount.role_class = quota_seller)."],
        )
    window, months = _window(ctx, "spend", "period")
    base = "SELECT period AS event_at, amount, channel FROM spend WHERE lower(function) = 'marketing'"
    result = _aggregate(
        ctx,
        "marketing_spend_per_sales_head",
        base,
        f"sum(amount) * 12.0 / count(DISTINCT date_trunc('month', event_at)) / {float(sellers)}",
        dims=("channel",),
        details={
            "marketing_spend": "sum(amount)",
            "months_with_spend": "count(DISTINCT date_trunc('month', event_at))",
        },
        period=window,
    )
    result.details.update(
        quota_seller_fte=float(sellers), window_start=window.start.isoformat(), window_end=window.end.isoformat()
    )
    return result


@_query
def program_share_of_spend(ctx: _Context, option: int) -> MetricResult:
    if missing := _spend_without(ctx, "program_share_of_spend", "category", "people", "people cost (salaries)"):
        return missing
    window, months = _window(ctx, "spend", "period")
    base = (
        "SELECT period AS event_at, CASE WHEN lower(category) = 'programs' THEN amount ELSE 0 END AS programs, "
        "amount, department FROM spend WHERE lower(function) IN ('sales', 'marketing') "
        "AND lower(category) IN ('people', 'programs')"
    )
    result = _aggregate(
        ctx,
        "program_share_of_spend",
        base,
        "sum(programs) / nullif(sum(amount), 0)",
        dims=("department",),
        details={"program_spend": "sum(programs)", "people_spend": "sum(amount) - sum(programs)"},
        period=window,
    )
    result.details.update(window_start=window.start.isoformat(), window_end=window.end.isoformat(), months=months)
    return result


def _self_assessment(ctx: _Context, metric_id: str) -> MetricResult:
    answers = ctx.profile.questionnaire
    value = questionnaire.score(metric_id, answers)
    details = {
        "answered": questionnaire.answered(metric_id, answers),
        "questions": len(questionnaire.ASSESSMENTS[metric_id]),
    }
    if value is None:
        return _unavailable(metric_id, [questionnaire.MISSING_ANSWERS], details)
    return MetricResult(
        metric_id, value, True, details=details, rows_used=details["answered"], note=questionnaire.LABEL
    )


@_query
def sales_enablement_score(ctx: _Context, option: int) -> MetricResult:
    return _self_assessment(ctx, "sales_enablement_score")


@_query
def lead_management_score(ctx: _Context, option: int) -> MetricResult:
    result = _self_assessment(ctx, "lead_management_score")
    if result.available and ctx.has("leads.lead_id", "leads.created_at"):
        hours, followed, leaked = ctx.rows(
            "SELECT median(date_diff('minute', created_at, first_touch_at) / 60.0), "
            "avg((first_touch_at IS NOT NULL)::INT), avg(greatest(disqualified, lost, idle)) "
            f"FROM ({_leakage_base(ctx)}) WHERE {ctx.period.sql('event_at')}"
        )[0]
        result.details.update(
            median_hours_to_first_touch=_clean(hours),
            followed_up_share=_clean(followed) if ctx.has("leads.first_touch_at") else None,
            lead_leakage_rate=_clean(leaked),
        )
    return result


# ---------------------------------------------------------------------------------------------------------------
# Availability and the public entry points


def _describe_missing(ctx: _Context, needs: tuple[str, ...]) -> list[str]:
    """One sentence per absent table (with the fields it would give) or per empty field of a loaded table."""
    absent_tables: dict[str, list[str]] = {}
    sentences = []
    for need in needs:
        if ctx.covered(need):
            continue
        table, name = need.split(".", 1)
        if table == "profile":
            if name == "questionnaire":
                sentences.append(questionnaire.MISSING_ANSWERS)
            else:
                sentences.append(f"The {PROFILE_LABELS.get(name, name)} in the company profile (Data page).")
        elif not ctx.table(table):
            absent_tables.setdefault(table, []).append(name)
        else:
            kind = TABLE_KINDS[table]
            sentences.append(
                f"{need} ({kind.field(name).label}) has no values in the loaded {kind.label.lower()}; "
                f"it usually comes from {kind.examples}."
            )
    for table, names in absent_tables.items():
        sentences.insert(
            0, f"No {table} table is loaded (this metric reads {', '.join(f'{table}.{n}' for n in names)})."
        )
    return sentences


def _availability(ctx: _Context, metric: Metric) -> tuple[int | None, list[str]]:
    """(index of the first alternative the data covers, or None with what is missing)."""
    for index, option in enumerate(metric.needs):
        if ctx.has(*option):
            return index, []
    shortfalls = [_describe_missing(ctx, option) for option in metric.needs]
    closest = min(range(len(shortfalls)), key=lambda i: len(shortfalls[i]))
    missing = shortfalls[closest]
    others = [" + ".join(option) for i, option in enumerate(metric.needs) if i != closest]
    if others:
        missing.append("Or instead: " + "; or ".join(others) + ".")
    if metric.where_from and missing != [questionnaire.MISSING_ANSWERS]:
        missing.append(f"Usually from {metric.where_from}.")
    return None, missing


def _unconverted(metric_id: str, report: pd.DataFrame, tables: list[str]) -> MetricResult | None:
    """Unavailable when a table whose money this metric sums or averages holds amounts with no exchange rate to
    the reporting currency (see core.fx): amounts in several currencies are never added up as one. Its details
    hold each currency's rows and sums of the table, in that currency."""
    lines = report[report["table_name"].isin(tables)]
    if lines.empty or lines["converted"].all():
        return None
    reporting = lines["reporting"].iloc[0]
    sums = {name: (name, lambda values: values.sum(min_count=1)) for name in ("amount", "margin", "unit_price")}
    grouped = lines.groupby(["table_name", "currency"]).agg(
        rows=("rows", "sum"), converted=("converted", "all"), **sums
    )
    missing, details = [], {}
    for (table, currency), line in grouped.iterrows():
        if not line["converted"]:
            missing.append(fx.unconverted_reason(table, currency, int(line["rows"]), reporting))
        details[f"{table}_rows_{currency}"] = int(line["rows"])
        for name in fx.MONEY_FIELDS[table]:
            if pd.notna(line[name]):
                details[f"{table}_{name}_{currency}"] = float(line[name])
    return _unavailable(metric_id, missing, details)


def compute(
    con: duckdb.DuckDBPyConnection,
    metric_ids: list[str] | tuple[str, ...] | None = None,
    profile: Profile | None = None,
    period: Period | None = None,
    filters: dict[str, tuple[str, ...]] | None = None,
    *,
    breakdowns: bool = True,
) -> dict[str, MetricResult]:
    """Results for `metric_ids` (all of the catalogue by default), in catalogue order.

    `filters` keeps only rows whose dimension (see FILTER_DIMENSIONS) holds one of the values given. A metric
    without that dimension is computed on all its rows and lists the dimension in `unfiltered`, so the page can
    say so rather than show an unfiltered figure as if it were filtered. With `breakdowns=False` the results
    hold value, details and trend only (what the CLI and a scorecard show), which costs about half as much."""
    coverage = field_coverage(con)
    filters = {dim: tuple(values) for dim, values in (filters or {}).items() if values}
    ctx = _Context(con, profile or Profile(), period or Period(), coverage, _as_of(con, coverage), filters)
    ctx.breakdowns = breakdowns
    wanted = list(CATALOGUE) if metric_ids is None else list(metric_ids)
    unknown = [metric_id for metric_id in wanted if metric_id not in CATALOGUE]
    if unknown:
        raise ValueError(f"unknown metric id(s): {', '.join(unknown)}; see docs/metrics.md for the catalogue")
    results = {}
    report = fx.read_report(con)
    for metric_id in wanted:
        metric = CATALOGUE[metric_id]
        option, missing = _availability(ctx, metric)
        if option is None:
            results[metric_id] = _unavailable(metric_id, missing)
            continue
        blocked = _unconverted(metric_id, report, fx.money_tables(metric.needs[option]))
        if blocked is not None:
            results[metric_id] = blocked
            continue
        try:
            ctx.filtered = set()
            result = QUERIES[metric.query](ctx, option)
            result.unfiltered = [dim for dim in ctx.filters if dim not in ctx.filtered]
            if result.available and result.value is None:
                result = _unavailable(metric_id, [NO_VALUE if result.rows_used else NO_ROWS], result.details)
            results[metric_id] = result
        except duckdb.Error as error:
            results[metric_id] = _unavailable(
                metric_id, [f"The data could not be computed for this metric ({type(error).__name__}: {error})."]
            )
    return results


def to_json(results: dict[str, MetricResult], catalogue: dict[str, Metric] | None = None) -> dict:
    """The CLI contract of DESIGN.md: {"metrics": [{id, name, stage, value, unit, available, missing, details}]}."""
    catalogue = catalogue or CATALOGUE
    return {
        "metrics": [
            {
                "id": metric_id,
                "name": catalogue[metric_id].name,
                "stage": catalogue[metric_id].stage,
                "value": _clean(result.value),
                "unit": catalogue[metric_id].unit,
                "available": result.available,
                "missing": list(result.missing),
                "details": {name: _clean(value) for name, value in result.details.items()},
            }
            for metric_id, result in results.items()
        ]
    }
