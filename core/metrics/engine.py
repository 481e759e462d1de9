"""Compute the catalogue's metrics in DuckDB over the canonical tables of a session.

The engine interprets each declaration of core.metrics.catalogue: it picks the first alternative the data
covers, computes its scalars and window, writes its base rows as one SELECT (one row per lead, deal, order, ...
with its date as `event_at`) and turns them into the headline value, details, a monthly (or quarterly) trend
and breakdowns in a single GROUPING SETS query. Charts therefore only ever receive aggregates. The few metrics
SQL aggregates cannot say run a named hook (HOOKS), each with its reason.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from core import fx
from core.engines import Backend, backend_of
from core.engines.translate import Untranslatable
from core.metrics import questionnaire, relations, rules
from core.metrics.catalogue import CATALOGUE, Metric
from core.metrics.context import (
    SETTINGS,
    Context,
    MetricResult,
    Period,
    as_of_date,
    clean,
    context,
    field_coverage,
    literal,
    unavailable,
)
from core.schema import TABLE_KINDS, Profile

__all__ = ["MetricResult", "Period", "as_of_date", "compute", "field_coverage", "filter_options", "to_json"]

MIN_DEALS_PER_PROFILE = 5
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
NPS_GRAINS = {1: "monthly", 3: "quarterly", 12: "yearly"}  # months between periods → how a series is named


# ---------------------------------------------------------------------------------------------------------------
# From a declaration to SQL


class Placeholders(dict):
    """The values a declaration's `{name}` may take, each resolved on first use: an alternative's own
    definitions, relations, the profile's settings, the as-of date; scalars and the window are set up front."""

    def __init__(self, ctx: Context, defined: dict[str, str]):
        super().__init__()
        self.ctx, self.defined = ctx, defined

    def __missing__(self, name: str) -> str:
        if name in self.defined:
            value = self.defined[name].format_map(self)
        elif name in relations.RELATIONS:
            value = relations.RELATIONS[name](self.ctx)
        elif name in SETTINGS:
            value = literal(self.ctx.setting(name))
        elif name == "as_of":
            value = literal(self.ctx.as_of)
        elif name == "is_marketing_spend":
            value = rules.MARKETING_SPEND if self.ctx.has("spend.function") else "TRUE"
        else:
            raise KeyError(f"{{{name}}} is not a placeholder a metric declaration can use")
        self[name] = value
        return value


@dataclass
class Prepared:
    """A metric as the data computes it: its chosen alternative, placeholders, period and stated values."""

    ctx: Context
    declared: Metric  # the catalogue's entry
    alternative: str
    metric: Metric  # the entry with its alternative's changes
    values: Placeholders
    period: Period
    known: dict[str, object] = field(default_factory=dict)  # scalars and window figures, by name
    stated: dict[str, object] = field(default_factory=dict)  # the details the declaration copies from them

    @property
    def dated(self) -> bool:
        return self.metric.rows.time is not None

    def base(self) -> str:
        """The base rows as one SELECT, with each dimension the rows have not selected yet added by name."""
        rows = self.metric.rows
        items = ([f"{rows.time} AS event_at"] if rows.time else []) + list(rows.select)
        named = {_alias(item) for item in items}
        items += [dim for dim in self.metric.dims if dim not in named]
        where = f" WHERE {rows.where}" if rows.where else ""
        return f"SELECT {', '.join(items) or '*'} FROM {rows.source}{where}".format_map(self.values)

    def sql(self, text: str) -> str:
        return text.format_map(self.values)


def _alias(item: str) -> str:
    return item.rsplit(" AS ", 1)[1] if " AS " in item else item.split(".")[-1]


def prepare(ctx: Context, declared: Metric, alternative: str) -> Prepared | MetricResult:
    """The metric ready to run, or its unavailable result when a required scalar is zero."""
    metric = declared.choose(alternative)
    values = Placeholders(ctx, dict(metric.define))
    prepared = Prepared(ctx, declared, alternative, metric, values, ctx.period)
    for name, sql in metric.scalars.items():
        figure = ctx.scalar(prepared.sql(sql))
        figure = float(figure) if isinstance(figure, decimal.Decimal) else figure
        values[name], prepared.known[name] = literal(figure), clean(figure)
    for name, reason in metric.requires.items():
        if not prepared.known[name]:
            return unavailable(declared.id, [reason])
    if metric.window:
        _apply_window(prepared)
    stated = {name: prepared.known[name] if name in prepared.known else _stated(ctx, name) for name in metric.stated}
    prepared.stated = stated | dict(metric.facts)
    return prepared


def _apply_window(prepared: Prepared) -> None:
    """The chosen period (open sides filled from the data), else the 12 months ending at the data's latest date."""
    ctx = prepared.ctx
    if prepared.metric.window == "spend":
        table, column = "spend", "period"
    else:
        table, column = (
            ("orders", "order_date") if _revenue_source(ctx) == "orders" else ("opportunities", "close_date")
        )
    low, high = ctx.rows(f'SELECT min("{column}")::DATE, max("{column}")::DATE FROM "{table}"')[0]
    if ctx.period.bounded:
        start, end = ctx.period.start or low, ctx.period.end or high
    else:
        month = pd.Timestamp(high).to_period("M")
        start, end = (month - 11).to_timestamp().date(), month.to_timestamp(how="end").date()
    months = max((end.year - start.year) * 12 + end.month - start.month + 1, 1)
    prepared.period = Period(start, end)
    prepared.values.update(in_window=prepared.period.sql("event_at"), months=str(months))
    prepared.known.update(window_start=start.isoformat(), window_end=end.isoformat(), months=months)


def _revenue_source(ctx: Context) -> str:
    return relations.revenue_source(ctx)


def _stated(ctx: Context, name: str):
    """A value of the context a declaration copies into its details."""
    if name in SETTINGS:
        return ctx.setting(name)
    if name == "as_of":
        return ctx.as_of.isoformat()
    if name == "active_on":
        day = ctx.period.end or ctx.as_of
        return day.isoformat() if day else None
    if name == "revenue_source":
        return _revenue_source(ctx)
    raise KeyError(f"{name} is not a value a metric declaration can state")


# ---------------------------------------------------------------------------------------------------------------
# Aggregation


def aggregate(prepared: Prepared, *, breakdowns: bool | None = None) -> MetricResult:
    """Headline, details, trend and breakdowns of the base rows in one query. Breakdowns are left out when the
    context does not ask for them (`breakdowns` overrides). `whole_details` and `of_rows` are computed over the
    period's rows only, in a query of their own: for costly aggregates (distinct counts, ranks) that the
    grouping sets would otherwise compute for every month and quarter too."""
    ctx, metric = prepared.ctx, prepared.metric
    base = prepared.base()
    where = prepared.period.sql("event_at") if prepared.dated else "TRUE"
    applied = _dimensions_present(ctx, base, [dim for dim in metric.dims if dim in ctx.filters])
    where += "".join(f" AND {filter_sql(dim, ctx.filters[dim])}" for dim in applied)
    ctx.filtered.update(applied)
    dims = metric.dims if (ctx.breakdowns if breakdowns is None else breakdowns) else ()
    keys = (("_month",) if prepared.dated else ()) + dims
    periods = (
        ", date_trunc('month', event_at) AS _month, date_trunc('quarter', event_at) AS _quarter"
        if prepared.dated
        else ""
    )
    rows_of = f"WITH b AS (SELECT *{periods} FROM ({base}) WHERE {where}) "
    frame = ctx.frame(rows_of + _top_groups(figures_sql(prepared, dims), dims, metric.breakdown_rows))
    value, counted = prepared.sql(metric.value), metric.counted
    grouped = {key: frame[f"g_{key}"] == 0 for key in keys}
    total_mask = pd.Series(True, index=frame.index)
    for mask in grouped.values():
        total_mask &= ~mask
    total = frame[total_mask].iloc[0]
    result = MetricResult(
        metric.id,
        clean(total["value"]),
        True,
        details={name: clean(total[f"d_{name}"]) for name in metric.details},
        rows_used=int(total["n"]),
        note=metric.note,
    )
    period_rows = f"WITH period_rows AS (SELECT * FROM ({base}) WHERE {where}) "
    if metric.whole_details:
        figures = ctx.rows(f"{period_rows}SELECT {', '.join(metric.whole_details.values())} FROM period_rows")[0]
        result.details.update({name: clean(figure) for name, figure in zip(metric.whole_details, figures, strict=True)})
    if metric.of_rows:
        queries = ", ".join(f"({query})" for query in metric.of_rows.values())
        figures = ctx.rows(f"{period_rows}SELECT {queries}")[0]
        result.details.update({name: clean(figure) for name, figure in zip(metric.of_rows, figures, strict=True)})
    result.details.update(prepared.stated)
    if prepared.dated and metric.trend:
        result.trend = _trend(
            frame[grouped["_month"]],
            lambda: ctx.frame(rows_of + _grouping_sets(("_quarter",), (), value, counted)),
        )
    for dim in dims:
        rows = frame[grouped[dim]]
        if rows.empty or rows[dim].isna().all():
            continue
        table = pd.DataFrame(
            {"key": rows[dim].fillna(BLANK).astype(str), "value": rows["value"].astype(float), "n": rows["n"]}
        )
        ranked = table.sort_values(["n", "key"], ascending=[False, True])  # ties in key order, run after run
        result.breakdowns[dim] = ranked.head(metric.breakdown_rows).reset_index(drop=True)
    return result


def figures_sql(prepared: Prepared, dims: tuple[str, ...]) -> str:
    """The value, the rows counted and the details over the rows of `b` (the base rows in the view's period and
    filters), as a whole, by month when the rows are dated, and by each dimension in `dims`."""
    metric = prepared.metric
    keys = (("_month",) if prepared.dated else ()) + dims
    extra = "".join(f', {prepared.sql(expression)} AS "d_{name}"' for name, expression in metric.details.items())
    return _grouping_sets(keys, dims, prepared.sql(metric.value), metric.counted, extra)


def _top_groups(figures: str, dims: tuple[str, ...], rows: int) -> str:
    """The figures with each dimension's groups cut to the `rows` a breakdown shows, ranked as it ranks them
    (most rows first, ties by key, an empty key as BLANK): an engine holding every owner of a large CRM sends back
    the fifty a chart draws, not all of them."""
    if not dims:
        return figures
    key = f"coalesce({', '.join(dims)}, {literal(BLANK)})"  # only the group's own dimension is not NULL
    whole = " AND ".join(f"g_{dim} = 1" for dim in dims)  # the total and the months
    rank = f"row_number() OVER (PARTITION BY {', '.join(f'g_{dim}' for dim in dims)} ORDER BY n DESC, {key})"
    return f"SELECT * FROM (SELECT *, {rank} AS _rank FROM ({figures}) AS f) AS r WHERE ({whole}) OR _rank <= {rows}"


def _grouping_sets(keys: tuple[str, ...], dims: tuple[str, ...], value: str, rows: str, extra: str = "") -> str:
    """The aggregate over the rows of `b` as a whole and by each key (dimensions are returned as text)."""
    flags = "".join(f"grouping({key}) AS g_{key}, " for key in keys)
    columns = "".join(f"CAST({key} AS VARCHAR) AS {key}, " if key in dims else f"{key}, " for key in keys)
    sets = ", ".join(["()"] + [f"({key})" for key in keys])
    return f"SELECT {flags}{columns}CAST({value} AS DOUBLE) AS value, {rows} AS n{extra} FROM b GROUP BY GROUPING SETS ({sets})"


def _dimensions_present(ctx: Context, base: str, dims: list[str]) -> list[str]:
    """The dimensions that hold a value on at least one row of `base` (a filter on an empty one would leave
    nothing, though the rows simply do not record it: such a filter is reported as not applied instead)."""
    if not dims:
        return []
    counts = ctx.rows(f"SELECT {', '.join(f'count({dim})' for dim in dims)} FROM ({base})")[0]
    return [dim for dim, count in zip(dims, counts, strict=True) if count]


def filter_options(source: Backend | duckdb.DuckDBPyConnection, limit: int = 200) -> dict[str, list[str]]:
    """Per filter dimension, the values found in the session's tables, most frequent first (at most `limit`)."""
    backend = backend_of(source)
    coverage = field_coverage(backend)
    options = {}
    for dim in FILTER_DIMENSIONS:
        parts = [f'SELECT CAST("{dim}" AS VARCHAR) AS v FROM "{table}"' for table in coverage if dim in coverage[table]]
        if parts:
            rows = backend.rows(
                f"SELECT v FROM ({' UNION ALL '.join(parts)}) WHERE v IS NOT NULL GROUP BY v "
                f"ORDER BY count(*) DESC, v LIMIT {int(limit)}"
            )
            options[dim] = [row[0] for row in rows]
    return options


def filter_sql(dim: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(literal(value) for value in values)
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


# ---------------------------------------------------------------------------------------------------------------
# Hooks: what SQL aggregates cannot say


def _best_profile_lift(prepared: Prepared) -> MetricResult:
    """The value is the lift of one group picked from the breakdown (the best industry × size band with enough
    closed deals), not an aggregate of rows."""
    result = aggregate(prepared, breakdowns=True)
    profiles = result.breakdowns.get("segment", pd.DataFrame(columns=["key", "value", "n"]))
    eligible = profiles[profiles["n"] >= MIN_DEALS_PER_PROFILE].sort_values(["value", "n"], ascending=False)
    overall = result.value
    if eligible.empty or not overall:
        return unavailable(
            result.id,
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


def _leads_or_deals(prepared: Prepared) -> MetricResult:
    """Which base counts depends on the data's links, not only on its fields: leads that became won customers
    when any lead links to a won deal (with the closed deals' win rate beside it), else the closed deals."""
    ctx = prepared.ctx
    linked = prepared.alternative == "leads" and ctx.scalar(
        f"SELECT count(*) FILTER (won) FROM {relations.lead_facts(ctx)}"
    )
    by_deals = ctx.has(*prepared.declared.alternatives["deals"].needs)
    if not linked:
        if not by_deals:
            return unavailable(prepared.declared.id, _availability(ctx, prepared.declared.choose("deals"))[1])
        result = aggregate(_prepare_again(prepared, "deals"))
        result.details.update(win_rate_closed_deals=result.value, basis="won ÷ closed deals")
        result.note = "Leads are not linked to won deals, so this is the win rate of closed deals."
        return result
    result = aggregate(prepared)
    result.details["lead_to_customer_rate"] = result.value
    if by_deals:
        other = aggregate(_prepare_again(prepared, "deals"), breakdowns=False)
        result.details.update(other.details, win_rate_closed_deals=other.value)
    result.details["basis"] = "leads that became won customers"
    return result


def _prepare_again(prepared: Prepared, alternative: str) -> Prepared:
    other = prepare(prepared.ctx, prepared.declared, alternative)
    assert isinstance(other, Prepared), "an alternative without scalars always prepares"
    return other


def _nps_series(prepared: Prepared) -> MetricResult:
    """A series of periods' NPS is averaged, weighted by responses when every period gives them; the basis
    sentence names the series' grain and weighting, read from the data."""
    result = aggregate(prepared)
    periods, weighted = prepared.known["periods"], prepared.known["weighted_periods"]
    count = int(result.details.get("periods") or 0)
    figures = f"{count:,} {_grain(prepared.ctx)} NPS figure{'' if count == 1 else 's'}"
    if not (periods and weighted == periods):
        missing = periods - weighted
        how = f", not weighted: {missing:,} of {periods:,} give no responses" if weighted else ", not weighted"
    else:
        how = f", weighted by their {result.details.get('responses') or 0:,.0f} responses"
    result.details["basis"] = f"from {figures}{how}"
    result.note = f"The average of {figures}{how} (a period's NPS, not a set of responses)."
    return result


def _grain(ctx: Context) -> str:
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


def _self_assessment(prepared: Prepared) -> MetricResult:
    """Scored from the questionnaire's typed answers, not from rows of data."""
    metric_id, answers = prepared.declared.id, prepared.ctx.profile.questionnaire
    value = questionnaire.score(metric_id, answers)
    details = {
        "answered": questionnaire.answered(metric_id, answers),
        "questions": len(questionnaire.ASSESSMENTS[metric_id]),
    }
    if value is None:
        return unavailable(metric_id, [questionnaire.MISSING_ANSWERS], details)
    return MetricResult(
        metric_id, value, True, details=details, rows_used=details["answered"], note=questionnaire.LABEL
    )


def _self_assessment_with_lead_figures(prepared: Prepared) -> MetricResult:
    """The questionnaire's score, with the lead figures that would check it beside it when leads are loaded."""
    result = _self_assessment(prepared)
    ctx = prepared.ctx
    if result.available and ctx.has("leads.lead_id", "leads.created_at"):
        hours, followed, leaked = ctx.rows(
            "SELECT median(date_diff('minute', created_at, first_touch_at) / 60.0), "
            "avg((first_touch_at IS NOT NULL)::INT), avg(greatest(disqualified, lost, idle)) "
            f"FROM ({prepared.base()}) WHERE {ctx.period.sql('event_at')}"
        )[0]
        result.details.update(
            median_hours_to_first_touch=clean(hours),
            followed_up_share=clean(followed) if ctx.has("leads.first_touch_at") else None,
            lead_leakage_rate=clean(leaked),
        )
    return result


HOOKS: dict[str, Callable[[Prepared], MetricResult]] = {
    "best_profile_lift": _best_profile_lift,
    "leads_or_deals": _leads_or_deals,
    "nps_series": _nps_series,
    "self_assessment": _self_assessment,
    "self_assessment_with_lead_figures": _self_assessment_with_lead_figures,
}


# ---------------------------------------------------------------------------------------------------------------
# Availability and the public entry points


def _describe_missing(ctx: Context, needs: tuple[str, ...]) -> list[str]:
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


def _availability(ctx: Context, metric: Metric) -> tuple[str | None, list[str]]:
    """(name of the first alternative the data covers, or None with what is missing)."""
    for name, alternative in metric.alternatives.items():
        if ctx.has(*alternative.needs):
            return name, []
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
    return unavailable(metric_id, missing, details)


def run(prepared: Prepared) -> MetricResult:
    hook = HOOKS.get(prepared.metric.custom) if prepared.metric.custom else aggregate
    return hook(prepared)


def compute(
    source: Backend | duckdb.DuckDBPyConnection,
    metric_ids: list[str] | tuple[str, ...] | None = None,
    profile: Profile | None = None,
    period: Period | None = None,
    filters: dict[str, tuple[str, ...]] | None = None,
    *,
    breakdowns: bool = True,
) -> dict[str, MetricResult]:
    """Results for `metric_ids` (all of the catalogue by default), in catalogue order, computed on `source`: a
    session's DuckDB connection, or an engine (core.engines) reading the data where it lives.

    `filters` keeps only rows whose dimension (see FILTER_DIMENSIONS) holds one of the values given. A metric
    without that dimension is computed on all its rows and lists the dimension in `unfiltered`, so the page can
    say so rather than show an unfiltered figure as if it were filtered. With `breakdowns=False` the results
    hold value, details and trend only (what the CLI and a scorecard show), which costs about half as much."""
    ctx = context(source, profile, period, filters)
    ctx.breakdowns = breakdowns
    wanted = list(CATALOGUE) if metric_ids is None else list(metric_ids)
    unknown = [metric_id for metric_id in wanted if metric_id not in CATALOGUE]
    if unknown:
        raise ValueError(f"unknown metric id(s): {', '.join(unknown)}; see docs/metrics.md for the catalogue")
    report = fx.read_report(ctx.backend.con) if ctx.backend.uploads else _currencies_found(ctx)
    return {metric_id: _compute_one(ctx, CATALOGUE[metric_id], report) for metric_id in wanted}


def _compute_one(ctx: Context, metric: Metric, report: pd.DataFrame) -> MetricResult:
    alternative, missing = _availability(ctx, metric)
    if alternative is None:
        return unavailable(metric.id, missing)
    blocked = _unconverted(metric.id, report, fx.money_tables(metric.alternatives[alternative].needs))
    if blocked is not None:
        return blocked
    try:
        ctx.filtered = set()
        prepared = prepare(ctx, metric, alternative)
        result = prepared if isinstance(prepared, MetricResult) else run(prepared)
        result.unfiltered = [dim for dim in ctx.filters if dim not in ctx.filtered]
        if result.available and result.value is None:
            result = unavailable(metric.id, [NO_VALUE if result.rows_used else NO_ROWS], result.details)
        return result
    except ctx.backend.errors as error:
        return unavailable(metric.id, [_failure(ctx.backend, error)])


def _failure(backend: Backend, error: BaseException) -> str:
    if isinstance(error, Untranslatable):
        return f"This metric cannot be computed on {backend.name}: {error}"
    return f"The data could not be computed for this metric ({type(error).__name__}: {error})."


def _currencies_found(ctx: Context) -> pd.DataFrame:
    """The currency report of data read where it lives, in core.fx's shape: nothing there is converted, so a
    money table holding any currency but the reporting one (rows with none count as in it) leaves the metrics
    that add up its money unavailable, with each currency's rows and sums in their details."""
    reporting, lines = ctx.profile.currency, []
    for table, money in fx.MONEY_FIELDS.items():
        if not ctx.has(f"{table}.currency"):
            continue
        sums = ", ".join(f'sum("{name}")' for name in money)
        found = ctx.rows(
            f"SELECT coalesce({fx.normalised_code('currency')}, {literal(reporting)}), count(*), {sums} "
            f'FROM "{table}" GROUP BY 1 ORDER BY 1'
        )
        for currency, rows, *totals in found:
            line = {"reporting": reporting, "table_name": table, "currency": currency, "rows": rows}
            lines.append(line | dict(zip(money, totals, strict=True)) | {"converted": currency == reporting})
    return pd.DataFrame(lines, columns=list(fx.REPORT_COLUMNS))


def to_json(results: dict[str, MetricResult], catalogue: dict[str, Metric] | None = None) -> dict:
    """The CLI contract of DESIGN.md: {"metrics": [{id, name, stage, value, unit, available, missing, details}]}."""
    catalogue = catalogue or CATALOGUE
    return {
        "metrics": [
            {
                "id": metric_id,
                "name": catalogue[metric_id].name,
                "stage": catalogue[metric_id].stage,
                "value": clean(result.value),
                "unit": catalogue[metric_id].unit,
                "available": result.available,
                "missing": list(result.missing),
                "details": {name: clean(value) for name, value in result.details.items()},
            }
            for metric_id, result in results.items()
        ]
    }
