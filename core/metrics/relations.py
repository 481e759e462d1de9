"""The named row sets a metric declaration reads as `{name}`: deals with their outcome, one row per lead with its
funnel flags, deal milestones, conversations per seller-day, revenue lines, staff on the roster, ...

Each is a function of the computation's context returning something SQL can select FROM: a parenthesised
query, or the name of a derived table. Relations that would join large tables for several metrics are derived
tables, built once per data version on the session's connection by core.metrics.facts; only what depends on the profile
(windows, idle days) is applied per query.
"""

from __future__ import annotations

from collections.abc import Callable

from core.metrics import rules
from core.metrics.context import Context, literal

LEAD_DIMENSIONS = ("source", "campaign", "owner")
KNOWLEDGE_FIELDS = ("company", "title", "email", "industry", "employees", "country", "annual_revenue", "source")
MAX_ENUM_VALUES = 10_000
RELATIONS: dict[str, Callable[[Context], str]] = {}


def _relation(function: Callable[[Context], str]) -> Callable[[Context], str]:
    RELATIONS[function.__name__] = function
    return function


@_relation
def deals(ctx: Context) -> str:
    """Every opportunity with `deal_outcome`: won, lost or open."""
    return f"(SELECT *, {rules.DEAL_OUTCOME} AS deal_outcome FROM opportunities)"


@_relation
def lead_facts(ctx: Context) -> str:
    """One row per lead with its dimensions, funnel flags, first meeting on or after creation, last touch and
    whether a won deal came from it."""
    return ctx.derived_table("leads", lambda: _lead_facts_sql(ctx))


def _lead_facts_sql(ctx: Context) -> str:
    linked = "SELECT NULL AS lead_id, FALSE AS won, FALSE AS lost, FALSE AS open WHERE FALSE"
    if ctx.has("opportunities.lead_id"):
        linked = (
            "SELECT lead_id, bool_or(deal_outcome = 'won') AS won, bool_or(deal_outcome = 'lost') AS lost, "
            f"bool_or(deal_outcome = 'open') AS open FROM {deals(ctx)} WHERE lead_id IS NOT NULL GROUP BY 1"
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
        meetings = ctx.derived_table(
            "first_meetings",
            lambda: (
                "SELECT k.lead_id, k.created_at, min(a.occurred_at) AS first_meeting_at FROM leads k JOIN "
                f"(SELECT lead_id, occurred_at FROM activities WHERE {matching(ctx, 'type', rules.MEETING)}) a "
                "ON a.lead_id = k.lead_id AND a.occurred_at >= k.created_at GROUP BY k.lead_id, k.created_at"
            ),
        )
    disqualified = rules.disqualified_lead("l")
    has_deal = "d.lead_id IS NOT NULL"
    return (
        f"SELECT l.created_at, {', '.join(_as_enum(ctx, 'leads', dim) for dim in LEAD_DIMENSIONS)}, "
        "l.first_touch_at, l.appointment_at, "
        f"{''.join(f'l.{name} IS NOT NULL AS has_{name}, ' for name in KNOWLEDGE_FIELDS)}"
        f"{rules.qualified_lead('l', has_deal)} AS qualified, {rules.qualified_date('l')} AS qualified_event_at, "
        f"m.first_meeting_at, {disqualified} AS disqualified, {rules.converted_lead('l', has_deal)} AS converted, "
        f"coalesce(NOT {disqualified} AND d.lost AND NOT d.won AND NOT d.open, FALSE) AS lost, "
        "coalesce(d.won, FALSE) AS won, greatest(l.created_at, l.last_activity_at, t.last_at) AS last_touch_at "
        f"FROM leads l LEFT JOIN ({linked}) d ON d.lead_id = l.lead_id "
        f"LEFT JOIN ({touches}) t ON t.lead_id = l.lead_id "
        f"LEFT JOIN {meetings} m ON m.lead_id = l.lead_id AND m.created_at = l.created_at"
    )


def _as_enum(ctx: Context, table: str, column: str) -> str:
    """`column` of `table` (aliased by its initial) as an ENUM of its values, for a derived table: grouping by
    an ENUM costs less than half of grouping by text; filters and breakdowns read it back as text. Text when
    the column holds more values than an ENUM should list."""
    if ctx.plain:
        return f"{table[0]}.{column}"
    values = ctx.rows(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL LIMIT {MAX_ENUM_VALUES + 1}")
    if not values or len(values) > MAX_ENUM_VALUES:
        return f"{table[0]}.{column}"
    listed = ", ".join(literal(row[0]) for row in values)
    return f"CAST({table[0]}.{column} AS ENUM({listed})) AS {column}"


def matching(ctx: Context, column: str, pattern: str, table: str = "activities") -> str:
    """`regexp_matches(lower(column), pattern)` over a column of `table`, as the list of the column's distinct
    values that match: the pattern runs over a handful of values instead of every row."""
    if ctx.plain:
        return f"regexp_matches(lower({column}), '{pattern}')"
    name = column.split(".")[-1]
    if (table, name) not in ctx.distinct:
        ctx.distinct[table, name] = [
            row[0] for row in ctx.rows(f"SELECT DISTINCT {name} FROM {table} WHERE {name} IS NOT NULL")
        ]
    values = [
        row[0]
        for row in ctx.rows(
            f"SELECT v FROM unnest(?::VARCHAR[]) AS t(v) WHERE regexp_matches(lower(v), '{pattern}')",
            [ctx.distinct[table, name]],
        )
    ]
    if not values:
        return f"({column} <> {column})"  # FALSE, or NULL where the column is NULL, as the pattern would give
    return f"{column} IN ({', '.join(literal(value) for value in values)})"


@_relation
def deal_activity(ctx: Context) -> str:
    """Per opportunity: the meetings and the content shares logged against it."""
    return ctx.derived_table(
        "deal_activity",
        lambda: (
            f"SELECT opportunity_id, count(*) FILTER (WHERE {matching(ctx, 'type', rules.MEETING)}) AS meetings, "
            f"count(*) FILTER (WHERE material IS NOT NULL OR {matching(ctx, 'type', rules.CONTENT)}) AS shares "
            "FROM activities WHERE opportunity_id IS NOT NULL GROUP BY 1"
        ),
    )


@_relation
def conversations(ctx: Context) -> str:
    """Meetings and calls per seller and day: how many had a duration (and its minutes), how many an outcome
    (and how many of those were valuable). Periods are whole days, so a day's rows stay together."""

    def select() -> str:
        valuable = (
            f"({matching(ctx, 'outcome', rules.VALUABLE)} AND NOT {matching(ctx, 'outcome', rules.NOT_VALUABLE)})"
        )
        return (
            "SELECT occurred_at::DATE::TIMESTAMP AS event_at, owner, count(duration_minutes) AS timed, "
            f"sum(duration_minutes) AS minutes, count(outcome) AS judged, sum({valuable}::INT) AS valuable "
            f"FROM activities WHERE {matching(ctx, 'type', rules.CONVERSATION)} GROUP BY 1, 2"
        )

    return ctx.derived_table("conversations", select)


@_relation
def milestones(ctx: Context) -> str:
    """Per deal: owner, product, source and the first date of each milestone, from the deal's own date fields
    and, where stage history is loaded, from the first change into a stage named like the milestone."""
    return ctx.derived_table("milestones", lambda: _milestones_sql(ctx, tuple(rules.STAGE_PATTERNS)))


def _milestones_sql(ctx: Context, columns: tuple[str, ...]) -> str:
    history = None
    if ctx.has("stage_history.stage", "stage_history.changed_at"):
        firsts = ", ".join(
            f"min(changed_at) FILTER (WHERE {matching(ctx, 'stage', rules.STAGE_PATTERNS[c], 'stage_history')}) AS {c}"
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
        # NOT EXISTS, not NOT IN: PostgreSQL runs a NOT IN whose list outgrows work_mem row by row (quadratic)
        "WHERE h.opportunity_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM opportunities o WHERE o.opportunity_id = h.opportunity_id)"
    )


@_relation
def won_deal_days(ctx: Context) -> str:
    """Won deals with a close date and the days from their start (see rules.deal_start) to it."""
    lead_created, join = "NULL::TIMESTAMP", ""
    if ctx.has("leads.lead_id", "leads.created_at", "opportunities.lead_id"):
        lead_created, join = "l.created_at", "LEFT JOIN leads l ON l.lead_id = d.lead_id"
    start = rules.deal_start(lead_created, "d")
    return (
        f"(SELECT d.close_date AS event_at, date_diff('day', {start}::DATE, d.close_date::DATE) AS days, "
        f"d.owner, d.product, d.region, d.source FROM {deals(ctx)} d {join} "
        f"WHERE d.deal_outcome = 'won' AND d.close_date IS NOT NULL AND {start} IS NOT NULL "
        f"AND {start}::DATE <= d.close_date::DATE)"
    )


def revenue_source(ctx: Context) -> str:
    """Where revenue comes from: orders, else won deals, else the annual revenue of the company profile."""
    if ctx.has("orders.amount", "orders.order_date"):
        return "orders"
    if ctx.has("opportunities.amount", "opportunities.outcome", "opportunities.close_date"):
        return "won deals"
    return "company profile"


@_relation
def revenue(ctx: Context) -> str:
    """Revenue lines (see revenue_source) with event_at, amount, account, product, region, order_id and margin."""
    if revenue_source(ctx) == "orders":
        return (
            "(SELECT order_date AS event_at, amount, account_id AS account, product, region, order_id, margin "
            "FROM orders)"
        )
    return (
        "(SELECT close_date AS event_at, amount, account_id AS account, product, region, opportunity_id AS "
        f"order_id, NULL::DOUBLE AS margin FROM {deals(ctx)} WHERE deal_outcome = 'won')"
    )


@_relation
def sales_lines(ctx: Context) -> str:
    """Revenue lines with their product's margin and launch date (from the products table, when loaded)."""
    join = (
        "LEFT JOIN (SELECT lower(trim(product)) AS product_key, max(margin_pct) AS margin_pct, min(launch_date) "
        "AS launch_date FROM products GROUP BY 1) p ON p.product_key = lower(trim(r.product))"
        if ctx.table("products")
        else "LEFT JOIN (SELECT NULL AS product_key, NULL::DOUBLE AS margin_pct, NULL::TIMESTAMP AS launch_date) p "
        "ON FALSE"
    )
    return f"(SELECT r.*, p.margin_pct, p.launch_date FROM {revenue(ctx)} r {join})"


@_relation
def whole_orders(ctx: Context) -> str:
    """One row per order with a positive total (orders are often one row per line)."""
    return ctx.derived_table(
        "orders",
        lambda: (
            "SELECT min(order_date) AS event_at, sum(amount) AS value, account_id AS account, "
            "any_value(region) AS region, NULL::VARCHAR AS owner, NULL::VARCHAR AS product, "
            "NULL::VARCHAR AS source FROM orders WHERE amount IS NOT NULL GROUP BY order_id, account_id "
            "HAVING sum(amount) > 0"
        ),
    )


@_relation
def accounts(ctx: Context) -> str:
    """The accounts table, or no rows with its join key and dimensions when none is loaded."""
    if ctx.table("accounts"):
        return "accounts"
    return "(SELECT NULL AS account_id, NULL AS industry, NULL AS region WHERE FALSE)"


@_relation
def active_staff(ctx: Context) -> str:
    """Staff on the roster on the period's last day (else the as-of date): FTE, role class and department."""
    day = ctx.period.end or ctx.as_of
    on_staff = rules.on_staff(literal(day) if day else "DATE '9999-12-31'")
    return f"(SELECT coalesce(fte, 1.0) AS fte, lower(role_class) AS role, department FROM headcount WHERE {on_staff})"
