"""What-if planning for the 8 scorecard KPIs: change budget lines and headcount, see the KPIs move, and ask
how far one lever must move to bring a KPI to a target.

The six data-driven KPIs are simple ratios of a handful of plan figures, so a plan is those figures and the
KPIs are recomputed from them directly (no database round trip while a slider moves).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace

import pandas as pd

from core.engines import backend_of
from core.formatting import format_value
from core.metrics import benchmarks, rules
from core.metrics.catalogue import CATALOGUE
from core.metrics.context import literal


@dataclass(frozen=True)
class Plan:
    """Annual figures in the company's currency, and headcount in FTE."""

    revenue: float
    sales_people: float  # salaries, commissions, benefits of the sales function
    sales_programs: float  # everything else the sales function spends
    marketing_people: float
    marketing_programs: float
    quota_sellers: float
    field_marketers: float
    ops_staff: float  # sales operations + marketing operations
    other_sm_staff: float  # every other sales and marketing role

    @property
    def sales_spend(self) -> float:
        return self.sales_people + self.sales_programs

    @property
    def marketing_spend(self) -> float:
        return self.marketing_people + self.marketing_programs

    @property
    def sm_staff(self) -> float:
        return self.quota_sellers + self.field_marketers + self.ops_staff + self.other_sm_staff


LEVERS = tuple(f.name for f in fields(Plan))


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def kpis(plan: Plan) -> dict[str, float | None]:
    """The six data-driven scorecard KPIs of a plan (None where the ratio has no denominator)."""
    total = plan.sales_spend + plan.marketing_spend
    return {
        "sm_spend_pct_revenue": _ratio(total, plan.revenue),
        "sales_to_marketing_spend": _ratio(plan.sales_spend, plan.marketing_spend),
        "marketing_spend_per_sales_head": _ratio(plan.marketing_spend, plan.quota_sellers),
        "quota_to_field_marketing_ratio": _ratio(plan.quota_sellers, plan.field_marketers),
        "program_share_of_spend": _ratio(plan.sales_programs + plan.marketing_programs, total),
        "ops_staff_share": _ratio(plan.ops_staff, plan.sm_staff),
    }


def lever_to_reach(plan: Plan, kpi_id: str, lever: str, target: float, *, whole: bool = False) -> float | None:
    """The value of one lever that brings `kpi_id` to `target`, other levers unchanged; None if no
    non-negative value can. `whole=True` rounds headcount to the nearest whole person."""
    if lever not in LEVERS:
        raise ValueError(f"unknown lever {lever!r}; levers are {', '.join(LEVERS)}")

    def gap(value: float) -> float | None:
        result = kpis(replace(plan, **{lever: value}))[kpi_id]
        return None if result is None else result - target

    low, high = 1e-9, max(getattr(plan, lever), 1.0)
    while high < 1e12 and not _brackets(gap(low), gap(high)):
        high *= 4
    if not _brackets(gap(low), gap(high)):
        return None
    for _ in range(200):
        middle = (low + high) / 2
        if _brackets(gap(low), gap(middle)):
            high = middle
        else:
            low = middle
    value = (low + high) / 2
    return float(round(value)) if whole else value


def _brackets(a: float | None, b: float | None) -> bool:
    """True when a root lies between two gaps (they differ in sign or one is zero)."""
    return a is not None and b is not None and a * b <= 0


# The lever a planner would move to bring each KPI to its reference, and whether it counts whole people.
PLANNING_LEVERS = {
    "sm_spend_pct_revenue": ("marketing_programs", False),
    "sales_to_marketing_spend": ("marketing_programs", False),
    "marketing_spend_per_sales_head": ("marketing_programs", False),
    "quota_to_field_marketing_ratio": ("field_marketers", True),
    "program_share_of_spend": ("marketing_programs", False),
    "ops_staff_share": ("ops_staff", True),
}


def current_plan(source, results: dict) -> Plan | None:
    """Today's plan from the scorecard results and the spend table, or None when the KPIs are not available.

    The spend split by function and category and the revenue are read over the window the KPIs used, and
    annualised as the engine annualises spend per seller (core.metrics.rules): over the window's months with
    marketing spend. Ratios of two sums are unchanged by it; spend per seller then matches the engine's."""
    needed = ("sm_spend_pct_revenue", "quota_to_field_marketing_ratio", "ops_staff_share")
    if not all(results[metric_id].available for metric_id in needed):
        return None
    spend = results["sm_spend_pct_revenue"].details
    backend = backend_of(source)  # a session's DuckDB, or the engine the results came from
    window = [literal(dt.date.fromisoformat(spend[side])) for side in ("window_start", "window_end")]
    in_window = f"period::DATE BETWEEN {window[0]} AND {window[1]}"
    rows = backend.rows(
        f"SELECT lower(function), lower(category), sum(amount) FROM spend WHERE {in_window} GROUP BY 1, 2"
    )
    months = backend.rows(
        f"SELECT {rules.MONTHS_WITH_ROWS} FROM (SELECT period AS event_at FROM spend "
        f"WHERE {rules.MARKETING_SPEND} AND {in_window})"
    )[0][0]
    if not months:
        return None
    totals = {f"{function}_{category}": rules.annualised(float(amount), months) for function, category, amount in rows}
    staffing, ops = results["quota_to_field_marketing_ratio"].details, results["ops_staff_share"].details
    quota, field_marketing = float(staffing["numerator_fte"]), float(staffing["denominator_fte"])
    ops_staff, all_staff = float(ops["numerator_fte"]), float(ops["denominator_fte"])
    return Plan(
        revenue=float(spend["revenue"])  # typed into the profile as a year's revenue already
        if spend["revenue_source"] == "company profile"
        else rules.annualised(float(spend["revenue"]), months),
        sales_people=totals.get("sales_people", 0.0),
        sales_programs=totals.get("sales_programs", 0.0),
        marketing_people=totals.get("marketing_people", 0.0),
        marketing_programs=totals.get("marketing_programs", 0.0),
        quota_sellers=quota,
        field_marketers=field_marketing,
        ops_staff=ops_staff,
        other_sm_staff=max(all_staff - quota - field_marketing - ops_staff, 0.0),
    )


def comparison_table(today: Plan, planned: Plan, registry, segment, set_name, currency: str = "USD", rates=None):
    """Rows per KPI: today's value, the planned value, and where the plan lands against the benchmark."""
    rows = []
    for metric_id, planned_value in kpis(planned).items():
        metric = CATALOGUE[metric_id]
        selection = benchmarks.select(registry, metric_id, segment, set_name)
        comparison = benchmarks.compare(planned_value, metric, selection, currency, rates)
        rows.append(
            {
                "KPI": metric.name,
                "Today": format_value(kpis(today)[metric_id], metric.unit, currency),
                "With your plan": format_value(planned_value, metric.unit, currency),
                "Against the benchmark": comparison.status,
            }
        )
    return pd.DataFrame(rows)


def what_it_takes(plan: Plan, registry, segment, set_name, currency: str = "USD", rates=None) -> list[str]:
    """For each KPI off its reference, the one-lever change that would bring it there, in a sentence."""
    lines = []
    for metric_id, value in kpis(plan).items():
        metric = CATALOGUE[metric_id]
        selection = benchmarks.select(registry, metric_id, segment, set_name)
        comparison = benchmarks.compare(value, metric, selection, currency, rates)  # figures in `currency`
        if comparison.status not in ("below", "above"):
            continue
        row = comparison.reference
        target = row["median"] if not pd.isna(row["median"]) else row["low" if comparison.status == "below" else "high"]
        lever, whole = PLANNING_LEVERS[metric_id]
        needed = lever_to_reach(plan, metric_id, lever, float(target), whole=whole)
        current = getattr(plan, lever)
        if needed is None or needed == current:
            continue
        amount = f"{needed:,.0f}" if whole else format_value(needed, "currency", currency)
        lines.append(
            f"**{metric.name}** reaches {format_value(float(target), metric.unit, currency)} with "
            f"{LEVER_LABELS[lever]} at {amount} (today {current:,.0f})."
            if whole
            else f"**{metric.name}** reaches {format_value(float(target), metric.unit, currency)} with "
            f"{LEVER_LABELS[lever]} at {amount} a year (today {format_value(current, 'currency', currency)})."
        )
    return lines


LEVER_LABELS = {
    "marketing_programs": "marketing program spend",
    "field_marketers": "field marketers",
    "ops_staff": "operations staff",
}
