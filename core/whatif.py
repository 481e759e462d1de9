"""What-if planning for the 8 scorecard KPIs: change budget lines and headcount, see the KPIs move, and ask
how far one lever must move to bring a KPI to a target.

The six data-driven KPIs are simple ratios of a handful of plan figures, so a plan is those figures and the
KPIs are recomputed from them directly (no database round trip while a slider moves).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


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
