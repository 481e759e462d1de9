"""The business rules every figure shares, each written once: what a won deal, a qualified lead or a converted lead
is, where time to close starts, how NPS is scored, how spend is annualised and who is on staff.

The metric declarations (core.metrics.catalogue), the derived relations they read (core.metrics.relations), the
overview charts' shapes (core.metrics.shapes), the NPS chart (core.charts) and the what-if plan (core.metrics.whatif) all use
these, so a rule changed here changes every figure that depends on it.
"""

from __future__ import annotations

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

# A deal is won or lost by its outcome, else by its won and closed flags; anything else is still open.
DEAL_OUTCOME = (
    "CASE WHEN lower(outcome) = 'won' OR (outcome IS NULL AND is_won) THEN 'won' "
    "WHEN lower(outcome) = 'lost' OR (outcome IS NULL AND is_closed AND NOT coalesce(is_won, FALSE)) THEN 'lost' "
    "ELSE 'open' END"
)


def converted_lead(lead: str, has_deal: str) -> str:
    """A lead became an opportunity: a converted date, a converted opportunity id, a converted status, or a deal
    that names it (`has_deal`, a condition on the joined deals)."""
    return (
        f"({lead}.converted_at IS NOT NULL OR {lead}.opportunity_id IS NOT NULL "
        f"OR coalesce(lower({lead}.status_class) = 'converted', FALSE) OR coalesce({has_deal}, FALSE))"
    )


def qualified_lead(lead: str, has_deal: str) -> str:
    """A lead is qualified when it has a qualified date or a qualified status, or was converted."""
    return (
        f"({lead}.qualified_at IS NOT NULL OR coalesce(lower({lead}.status_class) = 'qualified', FALSE) "
        f"OR {converted_lead(lead, has_deal)})"
    )


def qualified_date(lead: str) -> str:
    """A qualified lead is dated by its qualified date, else its converted date, else its created date."""
    return f"coalesce({lead}.qualified_at, {lead}.converted_at, {lead}.created_at)"


def disqualified_lead(lead: str) -> str:
    return f"({lead}.disqualified_at IS NOT NULL OR coalesce(lower({lead}.status_class) = 'disqualified', FALSE))"


def deal_start(lead_created: str, deal: str) -> str:
    """Time to close runs from the earliest of the lead's creation, the deal's creation and its first engagement."""
    return f"least({lead_created}, {deal}.created_at, {deal}.engaged_at)"


# NPS: promoters answer 9–10, detractors 0–6, on the 0–10 "how likely to recommend" scale.
PROMOTER_MIN = 9
DETRACTOR_MAX = 6


def nps_sql(score: str) -> str:
    """NPS of the rows' scores: share of promoters minus share of detractors, in points."""
    return f"100.0 * (avg(({score} >= {PROMOTER_MIN})::INT) - avg(({score} <= {DETRACTOR_MAX})::INT))"


def nps_group(score: int) -> str:
    return "detractor" if score <= DETRACTOR_MAX else "promoter" if score >= PROMOTER_MIN else "passive"


def net_promoter_score(promoters: float, detractors: float, responses: float) -> float | None:
    return 100 * (promoters - detractors) / responses if responses else None


# Spend is annualised over the months that have any: a window with four months of spend is a third of a year.
MONTHS_WITH_ROWS = "count(DISTINCT date_trunc('month', event_at))"


def annualised_sql(total: str) -> str:
    return f"{total} * 12.0 / {MONTHS_WITH_ROWS}"


def annualised(total: float, months: int) -> float:
    return total * 12.0 / months


MARKETING_SPEND = "lower(function) = 'marketing'"
SALES_AND_MARKETING_SPEND = "lower(function) IN ('sales', 'marketing')"

# Sales and marketing roles on the headcount roster (role_class), and who is on staff on a day.
SM_ROLES = ("quota_seller", "field_marketing", "sales_ops", "marketing_ops", "sales_other", "marketing_other")
OPS_ROLES = ("sales_ops", "marketing_ops")


def on_staff(day: str) -> str:
    """Hired on or before `day`, not terminated by then, and not marked as a former employee."""
    return (
        f"(hire_date IS NULL OR hire_date::DATE <= {day}) AND (termination_date IS NULL OR termination_date::DATE > "
        f"{day}) AND NOT regexp_matches(lower(coalesce(status, '')), 'terminat|inactive|former')"
    )
