"""The metric catalogue: one declaration per metric, read by the engine (value, details, trend, breakdowns), the
Metrics and Scorecard pages, the CLI, the what-if and docs/metrics.md (`python -m core.metrics.docs`).

An entry says in words what the metric is (definition, why it matters, formula, unit, direction) and, by
keyword, how it is computed:

- `alternatives`: the ways the data can give it, by name, each with the "table.field" (or "profile.field") it
  needs; the first one the data covers is used, and it may change any of the keywords below or define a
  `{placeholder}` of its own;
- `rows`: the base rows, one per lead, deal, order, response, spend line or employee: a FROM clause, the SELECT
  items the aggregates read, a filter, and `time`, the date each row happened on (None: a snapshot);
- `value`, `details`, `whole_details` (computed for the whole period only) and `of_rows` (whole queries over the
  period's filtered rows, named `period_rows`): SQL aggregates over the base rows;
- `dims`: its breakdowns, which are also the view filters it accepts;
- `window`: "spend" or "revenue" for ratios read over the chosen period, else the twelve months ending at the
  latest date of that data; `scalars` computed before the rows (usable as `{name}`), `requires` (a scalar
  that must not be zero, with the reason), `stated` (context values copied into the details);
- `custom`: a hook of core.metrics.engine, only for what SQL aggregates cannot say, with its reason there.

SQL text may name `{placeholders}`: the relations of core.metrics.relations (`{lead_facts}`, `{deals}`, ...), the
profile's settings (`{idle_days}`, ...), `{as_of}`, the window (`{in_window}`, `{months}`) and the scalars.
Shared rules (a won deal, a qualified lead, NPS, annualisation) come from core.metrics.rules.

Definitions are our own words. Sources: Roy Young, "Marketing Drives Sales: 25 Metrics", MarketingProfs, 2007
(young_2007); IDC Customer Creation Scorecard, "8 Essential KPIs for the Intersection of Marketing and Sales",
IDC CMO Advisory blog, 2012 (idc_2012).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from core.metrics import rules
from core.metrics.relations import KNOWLEDGE_FIELDS

STAGES = {
    "lead_generation": "Lead generation",
    "lead_management": "Lead management",
    "closing": "Closing",
    "retention": "Retention",
    "investment": "Investment",
    "staffing": "Staff efficiency",
    "productivity": "Productivity levers",
}
SOURCES = {
    "young_2007": 'Roy Young, "Marketing Drives Sales: 25 Metrics", MarketingProfs, 2007',
    "idc_2012": "IDC Customer Creation Scorecard, 2012",
}
SOURCE_LINKS = {
    "young_2007": "https://www.marketingprofs.com/",
    "idc_2012": "https://allcareers.info/8-essential-kpis-for-the-intersection-of-marketing-and-sales/",
}
UNITS = ("count", "ratio", "currency", "days", "score", "ratio_to_1", "minutes", "currency_per_head")
DIRECTIONS = ("higher", "lower", "range", "context")
WINDOWS = ("spend", "revenue")

_WINDOW = " Without a chosen period the window is the twelve months ending at the latest spend period in the data."
_REVENUE = (
    " Revenue is the orders amount in the window, else the amount of deals won in it, else the annual revenue "
    "typed into the company profile (the details say which)."
)


@dataclass(frozen=True)
class Rows:
    """The base rows of a metric: `SELECT time AS event_at, select..., dims FROM source WHERE where`."""

    source: str
    time: str | None = None
    select: tuple[str, ...] = ()
    where: str = ""


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    stage: str
    source: str
    definition: str
    why_it_matters: str
    formula: str
    unit: str
    direction: str
    where_from: str  # where the missing data usually comes from
    alternatives: Mapping[str, Alternative]
    settings: tuple[str, ...] = ()  # the profile settings its figure depends on
    rows: Rows | None = None
    value: str = ""
    details: Mapping[str, str] = field(default_factory=dict)
    whole_details: Mapping[str, str] = field(default_factory=dict)
    of_rows: Mapping[str, str] = field(default_factory=dict)
    dims: tuple[str, ...] = ()
    counted: str = "count(*)"  # the rows behind each figure (a sum of counts when the rows are already grouped)
    window: str | None = None
    scalars: Mapping[str, str] = field(default_factory=dict)
    requires: Mapping[str, str] = field(default_factory=dict)
    stated: tuple[str, ...] = ()
    facts: Mapping[str, object] = field(default_factory=dict)  # constant details
    note: str = ""
    trend: bool = True
    breakdown_rows: int = 50
    custom: str | None = None
    define: Mapping[str, str] = field(default_factory=dict)  # placeholders of an alternative's own

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def source_label(self) -> str:
        return SOURCES[self.source]

    @property
    def needs(self) -> tuple[tuple[str, ...], ...]:
        return tuple(alternative.needs for alternative in self.alternatives.values())

    def choose(self, name: str) -> Metric:
        """This metric as its alternative `name` computes it."""
        return self.alternatives[name].apply(self)


COMPUTATION = frozenset(f.name for f in fields(Metric)) - {
    "id",
    "name",
    "stage",
    "source",
    "definition",
    "why_it_matters",
    "formula",
    "unit",
    "direction",
    "where_from",
    "alternatives",
    "settings",
}


class Alternative:
    """One way the data can give a metric: the fields it needs, and what it computes differently."""

    def __init__(self, needs: tuple[str, ...], **changes):
        unknown = set(changes) - COMPUTATION
        if unknown:
            raise TypeError(f"an alternative cannot change {', '.join(sorted(unknown))}")
        self.needs = needs
        self.changes = changes

    def apply(self, metric: Metric) -> Metric:
        return replace(metric, **self.changes)


def _absent_spend(what: str) -> str:
    return f"No spend line loaded is {what}, so this ratio would only show its absence."


_SPEND_BY_FUNCTION = ("spend.amount", "spend.period", "spend.function")
_SIZE_BAND = (
    "CASE WHEN f.employees IS NULL THEN 'size unknown' WHEN f.employees < 50 THEN '1–49' WHEN f.employees < 200 "
    "THEN '50–199' WHEN f.employees < 1000 THEN '200–999' WHEN f.employees < 5000 THEN '1,000–4,999' ELSE '5,000+' END"
)
_MARGIN = "coalesce(margin_pct, margin / nullif(amount, 0))"
_PROBABILITY = "CASE WHEN probability > 1 THEN probability / 100 ELSE probability END"
_LEAKAGE_ROWS = Rows(
    "{lead_facts}",
    time="created_at",
    select=(
        "disqualified::INT AS disqualified",
        "lost::INT AS lost",
        "coalesce((NOT disqualified AND NOT converted AND last_touch_at::DATE < {as_of} - INTERVAL {idle_days} DAY), "
        "FALSE)::INT AS idle",
        "created_at",
        "first_touch_at",
    ),
)


def _spend_over_revenue(spend_lines: str, label: str) -> dict:
    """Spend over revenue in the same window: revenue from orders, else won deals, else the annual revenue typed
    into the profile (the window's spend annualised over its months with spend)."""
    spend = f"SELECT period AS event_at, amount AS spend, 0 AS revenue FROM spend WHERE {spend_lines}"
    return {
        "alternatives": {
            "orders": Alternative(_SPEND_BY_FUNCTION + ("orders.amount", "orders.order_date")),
            "won_deals": Alternative(
                _SPEND_BY_FUNCTION + ("opportunities.amount", "opportunities.outcome", "opportunities.close_date")
            ),
            "profile": Alternative(
                _SPEND_BY_FUNCTION + ("profile.annual_revenue",),
                rows=Rows(f"({spend})", time="event_at", select=("spend",)),
                value=rules.annualised_sql("sum(spend)") + " / {annual_revenue}",
                details={label: "sum(spend)", "revenue": "{annual_revenue}"},
            ),
        },
        "rows": Rows(
            f"({spend} UNION ALL SELECT event_at, 0, amount FROM {{revenue}})",
            time="event_at",
            select=("spend", "revenue"),
        ),
        "value": "sum(spend) / nullif(sum(revenue), 0)",
        "details": {label: "sum(spend)", "revenue": "sum(revenue)"},
        "window": "spend",
        "stated": ("revenue_source", "window_start", "window_end", "months"),
    }


def _staff(numerator: tuple[str, ...], denominator: tuple[str, ...]) -> Rows:
    """Active staff with their FTE in the ratio's numerator and denominator roles (a snapshot, not dated)."""

    def fte_of(roles: tuple[str, ...]) -> str:
        return "CASE WHEN role IN (" + ", ".join(f"'{role}'" for role in roles) + ") THEN fte ELSE 0 END"

    return Rows("{active_staff}", select=(f"{fte_of(numerator)} AS num", f"{fte_of(denominator)} AS den", "department"))


METRICS: tuple[Metric, ...] = (
    Metric(
        id="best_prospect_profile",
        name="Best prospect profile",
        stage="lead_generation",
        source="young_2007",
        definition="The industry and company-size band whose closed deals are won most often, among profiles with at "
        "least 5 closed deals. The value is its lift: its win rate divided by the overall win rate.",
        why_it_matters="Shows which kind of company to target and what a qualified lead should look like.",
        formula="max over industry × size band (≥ 5 closed deals) of win rate ÷ overall win rate; size bands by "
        "employees: 1–49, 50–199, 200–999, 1,000–4,999, 5,000+",
        unit="ratio_to_1",
        direction="context",
        where_from="a CRM accounts export with industry and employees, linked to deals by account ID",
        alternatives={
            "accounts": Alternative(
                ("opportunities.outcome", "opportunities.close_date", "opportunities.account_id", "accounts.industry"),
                define={"firm": "LEFT JOIN accounts f ON f.account_id = d.account_id"},
            ),
            "leads": Alternative(
                ("opportunities.outcome", "opportunities.close_date", "opportunities.lead_id", "leads.industry"),
                define={"firm": "LEFT JOIN leads f ON f.lead_id = d.lead_id"},
            ),
        },
        rows=Rows(
            "{deals} d {firm}",
            time="d.close_date",
            select=(
                "(d.deal_outcome = 'won')::INT AS won",
                "coalesce(f.industry, 'industry unknown') AS industry",
                f"coalesce(f.industry, 'industry unknown') || ' · ' || {_SIZE_BAND} AS segment",
            ),
            where="d.deal_outcome IN ('won', 'lost')",
        ),
        value="avg(won)",
        dims=("industry", "segment"),
        trend=False,
        breakdown_rows=500,
        custom="best_profile_lift",
    ),
    Metric(
        id="qualified_leads",
        name="Qualified leads",
        stage="lead_generation",
        source="young_2007",
        definition="Leads that met the qualified definition in the period: they have a qualified date, were converted, or "
        "carry a qualified or converted status. Each is dated by its qualified date, else its converted date, "
        "else its created date.",
        why_it_matters="The volume of demand that fits the target profile is the first proof that marketing fills the funnel.",
        formula="count of leads qualified in the period",
        unit="count",
        direction="higher",
        where_from="a lead export with the date each lead became qualified (HubSpot 'Became a Marketing Qualified Lead "
        "Date', Salesforce lead status)",
        alternatives={
            "qualified_date": Alternative(("leads.lead_id", "leads.qualified_at")),
            "status": Alternative(("leads.lead_id", "leads.status_class")),
        },
        rows=Rows("{lead_facts}", time="qualified_event_at", where="qualified"),
        value="count(*)",
        dims=("source", "campaign", "owner"),
    ),
    Metric(
        id="cost_per_qualified_lead",
        name="Cost per qualified lead",
        stage="lead_generation",
        source="young_2007",
        definition="All marketing spend in the period divided by the leads qualified in the same period (qualified as in "
        "Qualified leads). Broken down by campaign and channel, spend and leads are matched on the same name.",
        why_it_matters="Shows what one qualified lead costs, overall and per channel, so budget can move to what works.",
        formula="marketing spend ÷ qualified leads (same period)",
        unit="currency",
        direction="lower",
        where_from="a general-ledger or budget extract of marketing spend, plus a lead export with qualified dates",
        alternatives={
            "qualified_date": Alternative(_SPEND_BY_FUNCTION + ("leads.qualified_at",)),
            "status": Alternative(_SPEND_BY_FUNCTION + ("leads.status_class",)),
        },
        rows=Rows(
            "(SELECT period AS event_at, amount AS cost, 0 AS lead, campaign, channel FROM spend "
            "WHERE {is_marketing_spend} UNION ALL "
            "SELECT qualified_event_at, 0, 1, campaign, source FROM {lead_facts} WHERE qualified)",
            time="event_at",
            select=("cost", "lead"),
        ),
        value="sum(cost) / nullif(sum(lead), 0)",
        details={"marketing_spend": "sum(cost)", "qualified_leads": "sum(lead)"},
        dims=("campaign", "channel"),
    ),
    Metric(
        id="lead_to_appointment_rate",
        name="Leads to appointments",
        stage="lead_generation",
        source="young_2007",
        definition="Share of leads created in the period that got a first sales appointment: a first-meeting date on the "
        "lead, or a meeting linked to the lead within the appointment window after its creation.",
        why_it_matters="Tells whether the leads marketing passes on are ones Sales can turn into conversations.",
        formula="leads with an appointment ÷ leads created",
        unit="ratio",
        direction="higher",
        settings=("appointment_window_days",),
        where_from="a lead export with the first-meeting date, or an activities export with meetings linked to leads "
        "(Salesforce Tasks and Events)",
        alternatives={
            "appointment_date": Alternative(("leads.lead_id", "leads.created_at", "leads.appointment_at")),
            "meetings": Alternative(("leads.lead_id", "leads.created_at", "activities.lead_id", "activities.type")),
        },
        # The first meeting on or after creation falls in the window exactly when any meeting does.
        rows=Rows(
            "{lead_facts}",
            time="created_at",
            select=(
                "(appointment_at IS NOT NULL OR coalesce(first_meeting_at <= created_at + "
                "INTERVAL {appointment_window_days} DAY, FALSE))::INT AS appointed",
            ),
        ),
        value="avg(appointed)",
        details={"leads": "count(*)", "leads_with_appointment": "sum(appointed)"},
        dims=("source", "campaign", "owner"),
    ),
    Metric(
        id="lead_knowledge",
        name="Knowledge about leads",
        stage="lead_generation",
        source="young_2007",
        definition="Average completeness of eight key lead fields passed to Sales: company, job title, email, industry, "
        "employees, country, annual revenue and source. A lead with all eight filled scores 100%.",
        why_it_matters="Sales converts leads it knows something about; empty records waste calls.",
        formula="mean over leads of (filled key fields ÷ 8)",
        unit="ratio",
        direction="higher",
        where_from="a lead export with firmographic and contact columns (HubSpot contacts, Salesforce Leads)",
        alternatives={"leads": Alternative(("leads.lead_id",))},
        rows=Rows(
            "{lead_facts}",
            time="created_at",
            select=(
                "(" + " + ".join(f"has_{name}::INT" for name in KNOWLEDGE_FIELDS) + f") / {len(KNOWLEDGE_FIELDS)}.0 "
                "AS filled",
                *(f"has_{name}::INT AS has_{name}" for name in KNOWLEDGE_FIELDS),
            ),
        ),
        value="avg(filled)",
        whole_details={f"filled_{name}": f"avg(has_{name})" for name in KNOWLEDGE_FIELDS},
        dims=("source", "owner"),
    ),
    Metric(
        id="rfp_count",
        name="Requests for proposal",
        stage="lead_management",
        source="young_2007",
        definition="Deals that reached a request-for-proposal step in the period: an RFP date on the deal, or a stage "
        "change into a stage named like 'RFP' or 'request for proposal'.",
        why_it_matters="Counts how many qualified prospects Sales turns into formal buying processes.",
        formula="count of deals with an RFP date (or RFP stage change) in the period",
        unit="count",
        direction="context",
        where_from="a CRM opportunity export with an RFP date, or a stage-history export (Salesforce Opportunity History)",
        alternatives={
            "deal_dates": Alternative(("opportunities.rfp_at",)),
            "stage_history": Alternative(("stage_history.stage", "stage_history.changed_at")),
        },
        rows=Rows("{milestones}", time="rfp_at", where="rfp_at IS NOT NULL"),
        value="count(*)",
        dims=("owner", "product", "source"),
    ),
    Metric(
        id="proposal_to_presentation_rate",
        name="Proposals to presentations",
        stage="lead_management",
        source="young_2007",
        definition="Share of deals with a proposal in the period that also got a presentation on or after the proposal "
        "date. Dates come from the deal's own fields, else from the first stage change into a stage named "
        "like 'proposal'/'quote' and 'presentation'/'demo'.",
        why_it_matters="Shows whether written proposals earn the chance to present, a sign of fit and of proposal quality.",
        formula="deals with a presentation on/after the proposal ÷ deals with a proposal",
        unit="ratio",
        direction="higher",
        where_from="a CRM opportunity export with proposal and presentation dates, or a stage-history export",
        alternatives={
            "deal_dates": Alternative(("opportunities.proposal_at", "opportunities.presentation_at")),
            "stage_history": Alternative(("stage_history.stage", "stage_history.changed_at")),
        },
        rows=Rows(
            "{milestones}",
            time="proposal_at",
            select=("coalesce(presentation_at::DATE >= proposal_at::DATE, FALSE)::INT AS presented",),
            where="proposal_at IS NOT NULL",
        ),
        value="avg(presented)",
        details={"proposals": "count(*)", "presentations_after_proposal": "sum(presented)"},
        dims=("owner", "product", "source"),
    ),
    Metric(
        id="time_with_prospects",
        name="Time with prospects",
        stage="lead_management",
        source="young_2007",
        definition="Minutes of meetings and calls per seller per month: the duration of all meeting- and call-type "
        "activities divided by the number of people who logged them and by the months covered.",
        why_it_matters="Sellers sell when they are with buyers; marketing's behind-the-scenes work should free that time.",
        formula="Σ meeting and call minutes ÷ (activity owners × months)",
        unit="minutes",
        direction="higher",
        where_from="an activities export with durations (Salesforce Tasks and Events, HubSpot meetings and calls)",
        alternatives={
            "activities": Alternative(
                ("activities.type", "activities.duration_minutes", "activities.owner", "activities.occurred_at")
            )
        },
        rows=Rows("{conversations}", time="event_at", select=("minutes", "timed"), where="timed > 0"),
        value="sum(minutes) / nullif(count(DISTINCT owner) * count(DISTINCT date_trunc('month', event_at)), 0)",
        details={
            "total_minutes": "sum(minutes)",
            "sellers": "count(DISTINCT owner)",
            "months": "count(DISTINCT date_trunc('month', event_at))",
        },
        counted="coalesce(sum(timed), 0)",
        dims=("owner",),
    ),
    Metric(
        id="valuable_meeting_rate",
        name="Valuable meetings",
        stage="lead_management",
        source="young_2007",
        definition="Share of meetings and calls with a recorded outcome whose outcome advanced the deal (words like "
        "'advanced', 'next step agreed', 'interested', 'qualified', 'booked'), excluding negatives such as "
        "'no next step', 'no-show', 'voicemail' or 'cancelled'.",
        why_it_matters="Counts not just how many conversations happen but how many move a buyer forward.",
        formula="meetings and calls with an advancing outcome ÷ meetings and calls with an outcome",
        unit="ratio",
        direction="higher",
        where_from="an activities export with meeting outcomes (Salesforce Tasks and Events call results)",
        alternatives={"activities": Alternative(("activities.type", "activities.outcome"))},
        rows=Rows("{conversations}", time="event_at", select=("valuable", "judged"), where="judged > 0"),
        value="sum(valuable) / sum(judged)",
        details={"meetings_and_calls": "sum(judged)", "valuable": "sum(valuable)"},
        counted="coalesce(sum(judged), 0)",
        dims=("owner",),
    ),
    Metric(
        id="marketing_material_usage",
        name="Marketing material usage",
        stage="lead_management",
        source="young_2007",
        definition="Share of deals won in the period whose activities include a content share (an activity of a "
        "content-share type or one naming the material used). The details add content shares per deal.",
        why_it_matters="Documents whether marketing's content is used where deals are won, and which pieces.",
        formula="won deals with ≥ 1 content share ÷ won deals",
        unit="ratio",
        direction="higher",
        where_from="an activities export that logs content shares against deals (Salesforce Tasks, sales-enablement tools)",
        alternatives={
            "materials": Alternative(
                (
                    "activities.opportunity_id",
                    "activities.material",
                    "opportunities.outcome",
                    "opportunities.close_date",
                )
            ),
            "activity_types": Alternative(
                ("activities.opportunity_id", "activities.type", "opportunities.outcome", "opportunities.close_date")
            ),
        },
        rows=Rows(
            "{deals} d LEFT JOIN {deal_activity} s ON s.opportunity_id = d.opportunity_id",
            time="d.close_date",
            select=(
                "coalesce(s.shares, 0) AS shares",
                "(coalesce(s.shares, 0) > 0)::INT AS used",
                "d.owner",
                "d.product",
            ),
            where="d.deal_outcome = 'won'",
        ),
        value="avg(used)",
        details={
            "won_deals": "count(*)",
            "won_deals_with_content": "sum(used)",
            "content_shares_per_won_deal": "avg(shares)",
        },
        dims=("owner", "product"),
    ),
    Metric(
        id="lead_leakage_rate",
        name="Lead leakage",
        stage="lead_management",
        source="young_2007",
        definition="Share of leads created in the period that left the funnel: disqualified, linked only to lost deals, "
        "or still open and idle (no activity since their last activity or creation) for longer than the idle "
        "window, measured at the data's as-of date (its latest event date).",
        why_it_matters="Leaks show where qualified demand is wasted, and whether the leaks share a profile.",
        formula="(disqualified + lost + idle open leads) ÷ leads created",
        unit="ratio",
        direction="lower",
        settings=("idle_days",),
        where_from="a lead export with status, disqualified and last-activity dates (HubSpot contacts, Salesforce Leads)",
        alternatives={"leads": Alternative(("leads.lead_id", "leads.created_at"))},
        rows=_LEAKAGE_ROWS,
        value="avg(greatest(disqualified, lost, idle))",
        details={"leads": "count(*)", "disqualified": "sum(disqualified)", "lost": "sum(lost)", "idle": "sum(idle)"},
        stated=("as_of", "idle_days"),
        dims=("source", "campaign", "owner"),
    ),
    Metric(
        id="nurture_investment",
        name="Dollars invested to nurture leads",
        stage="lead_management",
        source="young_2007",
        definition="Spend whose purpose is lead nurturing in the period. The details give its share of marketing spend.",
        why_it_matters="Shows what is spent keeping prospects warm, to set against the deals they eventually bring.",
        formula="Σ spend with purpose = nurture",
        unit="currency",
        direction="context",
        where_from="a budget or GL extract tagged with a purpose or class (QuickBooks class, campaign type)",
        alternatives={"spend": Alternative(("spend.amount", "spend.period", "spend.purpose"))},
        rows=Rows(
            "spend",
            time="period",
            select=(
                "CASE WHEN regexp_matches(lower(coalesce(purpose, '')), 'nurtur') THEN amount ELSE 0 END AS nurture",
                "CASE WHEN {is_marketing_spend} THEN amount ELSE 0 END AS marketing",
            ),
        ),
        value="sum(nurture)",
        details={"share_of_marketing_spend": "sum(nurture) / nullif(sum(marketing), 0)"},
        dims=("channel", "campaign"),
    ),
    Metric(
        id="high_margin_sales_share",
        name="Sales from high-margin products",
        stage="closing",
        source="young_2007",
        definition="Share of revenue in the period from products at or above the high-margin threshold. A product's margin "
        "comes from the product list, else from the order line (margin ÷ amount). Orders are used when "
        "present, else won deals.",
        why_it_matters="A proxy for whether the sales effort is pointed at profit rather than top line.",
        formula="revenue of high-margin lines ÷ revenue",
        unit="ratio",
        direction="higher",
        settings=("high_margin_pct",),
        where_from="a product list with gross margin % (CRM Products, ERP item master) or order lines with profit",
        alternatives={
            "orders_products": Alternative(
                ("orders.amount", "orders.order_date", "orders.product", "products.margin_pct")
            ),
            "orders_margin": Alternative(("orders.amount", "orders.order_date", "orders.margin")),
            "won_deals_products": Alternative(
                ("opportunities.amount", "opportunities.outcome", "opportunities.product", "products.margin_pct")
            ),
        },
        rows=Rows(
            "{sales_lines}",
            time="event_at",
            select=(
                "amount",
                f"CASE WHEN {_MARGIN} >= {{high_margin_pct}} THEN amount ELSE 0 END AS high",
                f"CASE WHEN {_MARGIN} IS NULL THEN amount ELSE 0 END AS unknown",
            ),
        ),
        value="sum(high) / nullif(sum(amount), 0)",
        details={
            "revenue": "sum(amount)",
            "high_margin_revenue": "sum(high)",
            "revenue_margin_unknown": "sum(unknown)",
        },
        stated=("revenue_source", "high_margin_pct"),
        dims=("product", "region"),
    ),
    Metric(
        id="new_product_sales_share",
        name="Sales from new products",
        stage="closing",
        source="young_2007",
        definition="Share of revenue in the period from products launched within the new-product window before the sale. "
        "Orders are used when present, else won deals.",
        why_it_matters="Revenue from new products signals where future sales will come from.",
        formula="revenue of products launched ≤ N months before the sale ÷ revenue",
        unit="ratio",
        direction="higher",
        settings=("new_product_months",),
        where_from="a product list with launch dates (CRM Products, ERP item master)",
        alternatives={
            "orders": Alternative(("orders.amount", "orders.order_date", "orders.product", "products.launch_date")),
            "won_deals": Alternative(
                ("opportunities.amount", "opportunities.outcome", "opportunities.product", "products.launch_date")
            ),
        },
        rows=Rows(
            "{sales_lines}",
            time="event_at",
            select=(
                "amount",
                "CASE WHEN launch_date > event_at - INTERVAL {new_product_months} MONTH THEN amount ELSE 0 END AS new",
            ),
        ),
        value="sum(new) / nullif(sum(amount), 0)",
        details={"revenue": "sum(amount)", "new_product_revenue": "sum(new)"},
        stated=("revenue_source", "new_product_months"),
        dims=("product", "region"),
    ),
    Metric(
        id="meetings_to_close",
        name="Meetings to close",
        stage="closing",
        source="young_2007",
        definition="Average number of meetings (meeting, event, visit, demo or presentation activities, not calls or "
        "emails) linked to each deal won in the period; won deals without any count as zero.",
        why_it_matters="The sales effort a win takes; marketing that educates buyers should lower it.",
        formula="meetings linked to won deals ÷ won deals",
        unit="count",
        direction="lower",
        where_from="an activities export with meetings linked to deals (Salesforce Events with Related To)",
        alternatives={
            "activities": Alternative(
                ("activities.opportunity_id", "activities.type", "opportunities.outcome", "opportunities.close_date")
            )
        },
        rows=Rows(
            "{deals} d LEFT JOIN {deal_activity} m ON m.opportunity_id = d.opportunity_id",
            time="d.close_date",
            select=("coalesce(m.meetings, 0) AS meetings", "d.owner", "d.product", "d.source"),
            where="d.deal_outcome = 'won'",
        ),
        value="avg(meetings)",
        details={"won_deals": "count(*)", "meetings": "sum(meetings)", "median_meetings": "median(meetings)"},
        dims=("owner", "product", "source"),
    ),
    Metric(
        id="time_to_close",
        name="Time to close",
        stage="closing",
        source="young_2007",
        definition="Median days from the first record of a deal won in the period to its close date; the first record is "
        "the earliest of its linked lead's creation, the deal's creation and the deal's engagement.",
        why_it_matters="A long cycle ties up sales capacity and delays cash; a shorter one shows marketing warmed the buyer.",
        formula="median(close date − earliest of lead created, deal created, deal engaged) over won deals",
        unit="days",
        direction="lower",
        where_from="a CRM opportunity export with created and close dates",
        alternatives={
            "deal_created": Alternative(
                ("opportunities.outcome", "opportunities.close_date", "opportunities.created_at")
            ),
            "deal_engaged": Alternative(
                ("opportunities.outcome", "opportunities.close_date", "opportunities.engaged_at")
            ),
            "lead_created": Alternative(
                ("opportunities.outcome", "opportunities.close_date", "opportunities.lead_id", "leads.created_at")
            ),
        },
        rows=Rows("{won_deal_days}", time="event_at", select=("days",)),
        value="median(days)",
        details={
            "won_deals": "count(*)",
            "mean_days": "avg(days)",
            "p25_days": "quantile_cont(days, 0.25)",
            "p75_days": "quantile_cont(days, 0.75)",
        },
        dims=("source", "owner", "product", "region"),
    ),
    Metric(
        id="close_ratio",
        name="Close ratio",
        stage="closing",
        source="young_2007",
        definition="Where leads link to won deals (the deal's lead ID matches a lead): the share of leads created in the "
        "period that became won customers. Otherwise won deals over closed (won + lost) deals closed in the "
        "period. Both appear in the details when both can be computed.",
        why_it_matters="The end-to-end yield of the funnel, and the figure most forecasts are built on.",
        formula="leads with a won deal ÷ leads; else won ÷ (won + lost) deals",
        unit="ratio",
        direction="higher",
        where_from="a CRM opportunity export with stages or won/closed flags (Salesforce Opportunities, HubSpot deals)",
        alternatives={
            "leads": Alternative(
                ("leads.lead_id", "opportunities.lead_id", "opportunities.outcome"),
                rows=Rows(
                    "{lead_facts}",
                    time="created_at",
                    select=("won::INT AS won", "NULL AS product", "NULL AS region"),
                ),
                details={"leads": "count(*)", "leads_won": "sum(won)"},
            ),
            "deals": Alternative(("opportunities.outcome", "opportunities.close_date")),
        },
        rows=Rows(
            "{deals}",
            time="close_date",
            select=("(deal_outcome = 'won')::INT AS won",),
            where="deal_outcome IN ('won', 'lost')",
        ),
        value="avg(won)",
        details={"closed_deals": "count(*)", "won_deals": "sum(won)"},
        dims=("source", "campaign", "owner", "product", "region"),
        custom="leads_or_deals",
    ),
    Metric(
        id="funnel_value",
        name="Value of the sales funnel",
        stage="closing",
        source="young_2007",
        definition="Open deals weighted by their chance to close: amount × probability, or amount × the historical win "
        "rate of closed deals where a deal has no probability. A period selects deals by expected close date.",
        why_it_matters="Management needs a forecast of future sales; weighting by close odds keeps it honest.",
        formula="Σ open deal amount × (probability, else won ÷ closed deals)",
        unit="currency",
        direction="higher",
        where_from="a CRM opportunity export with amounts, stages and probabilities",
        alternatives={"deals": Alternative(("opportunities.amount", "opportunities.outcome"))},
        scalars={
            "historical_win_rate": "SELECT avg((deal_outcome = 'won')::INT) FROM {deals} "
            "WHERE deal_outcome IN ('won', 'lost')"
        },
        rows=Rows(
            "{deals}",
            time="close_date",
            select=(
                "amount",
                f"coalesce({_PROBABILITY}, {{historical_win_rate}}) * amount AS weighted",
                f"({_PROBABILITY} IS NULL)::INT AS by_win_rate",
            ),
            where="deal_outcome = 'open' AND amount IS NOT NULL",
        ),
        value="sum(weighted)",
        details={
            "open_deals": "count(*)",
            "open_amount": "sum(amount)",
            "deals_weighted_by_win_rate": "sum(by_win_rate)",
        },
        stated=("historical_win_rate",),
        dims=("owner", "product", "region", "source"),
    ),
    Metric(
        id="order_size",
        name="Order size",
        stage="closing",
        source="young_2007",
        definition="Median value of an order in the period (an order is all lines sharing one order ID, orders totalling zero "
        "or less such as credit notes left out; won deals when no orders are loaded). The details give the mean and the share of revenue from the top 20% of customers "
        "(the ⌊20% of customers⌋ with the most revenue, at least one).",
        why_it_matters="Shows whether a few large accounts carry the business (the 80/20 check) and the risk of losing one.",
        formula="median(order value); top-20% share = revenue of top max(1, ⌊0.2 × customers⌋) ÷ all revenue",
        unit="currency",
        direction="context",
        where_from="an orders or invoice-lines export (ERP, billing system), or won deals with amounts",
        alternatives={
            "orders": Alternative(
                ("orders.order_id", "orders.amount", "orders.order_date"),
                rows=Rows("{whole_orders}", time="event_at", select=("value", "account")),
                facts={"order_source": "orders"},
            ),
            "won_deals": Alternative(
                ("opportunities.amount", "opportunities.outcome", "opportunities.close_date"),
                rows=Rows(
                    "{deals}",
                    time="close_date",
                    select=("amount AS value", "account_id AS account"),
                    where="deal_outcome = 'won' AND amount > 0",
                ),
                facts={"order_source": "won deals"},
            ),
        },
        value="median(value)",
        details={"orders": "count(*)", "mean_order_value": "avg(value)", "revenue": "sum(value)"},
        of_rows={
            "top20_customer_share": "SELECT sum(revenue) FILTER (WHERE rank <= greatest(floor(0.2 * customers), 1)) "
            "/ nullif(sum(revenue), 0) FROM (SELECT revenue, row_number() OVER (ORDER BY revenue DESC) AS rank, "
            "count(*) OVER () AS customers FROM (SELECT account, sum(value) AS revenue FROM period_rows "
            "WHERE account IS NOT NULL GROUP BY 1))",
            "customers": "SELECT count(DISTINCT account) FROM period_rows",
        },
        dims=("region", "owner", "product", "source"),
    ),
    Metric(
        id="marketing_spend_to_sales",
        name="Marketing spend to sales",
        stage="closing",
        source="young_2007",
        definition="Marketing spend as a share of revenue in the same window." + _WINDOW + _REVENUE,
        why_it_matters="Frames what level of marketing investment the sales result requires, and how it moves.",
        formula="marketing spend ÷ revenue (same window)",
        unit="ratio",
        direction="range",
        settings=("annual_revenue",),
        where_from="a general-ledger extract tagged by department, plus orders or won deals for revenue",
        **_spend_over_revenue(rules.MARKETING_SPEND, "marketing_spend"),
    ),
    Metric(
        id="market_share",
        name="Market share",
        stage="closing",
        source="young_2007",
        definition="Annualised revenue divided by the size of the served market typed into the company profile. Revenue is "
        "annualised over the months of the window (the chosen period, else the twelve months ending at the "
        "latest sale)." + _REVENUE,
        why_it_matters="Tells whether the company is keeping up with its market, not just growing.",
        formula="annualised revenue ÷ market size",
        unit="ratio",
        direction="higher",
        settings=("market_size", "annual_revenue"),
        where_from="the market size typed into the company profile (Data page), plus orders or won deals",
        alternatives={
            "orders": Alternative(("profile.market_size", "orders.amount", "orders.order_date")),
            "won_deals": Alternative(
                ("profile.market_size", "opportunities.amount", "opportunities.outcome", "opportunities.close_date")
            ),
            "profile": Alternative(
                ("profile.market_size", "profile.annual_revenue"),
                rows=Rows("(SELECT 1)"),
                value="{annual_revenue} / {market_size}",
                details={"annual_revenue": "{annual_revenue}"},
                counted="0",
                window=None,
                stated=("market_size", "revenue_source"),
                note="From the annual revenue typed into the company profile.",
            ),
        },
        rows=Rows("{revenue}", time="event_at", select=("amount",)),
        value=rules.annualised_sql("sum(amount)") + " / {market_size}",
        details={"revenue": "sum(amount)", "months_with_sales": rules.MONTHS_WITH_ROWS},
        window="revenue",
        stated=("market_size", "revenue_source", "window_start", "window_end", "months"),
    ),
    Metric(
        id="relationship_depth",
        name="Breadth and depth of customer relationships",
        stage="retention",
        source="young_2007",
        definition="Revenue per customer over the period (orders, else won deals). The details add distinct products per "
        "customer, the share of customers who bought more than once and profit per customer where margin is "
        "known.",
        why_it_matters="Deep, broad relationships are cheaper revenue than new logos and the base of lifetime value.",
        formula="revenue ÷ distinct customers; products per customer; repeat-customer share",
        unit="currency",
        direction="higher",
        where_from="an orders export with a customer ID (ERP, billing), or won deals linked to accounts",
        alternatives={
            "orders": Alternative(("orders.account_id", "orders.amount", "orders.order_date")),
            "won_deals": Alternative(
                (
                    "opportunities.account_id",
                    "opportunities.amount",
                    "opportunities.outcome",
                    "opportunities.close_date",
                )
            ),
        },
        rows=Rows(
            "{revenue} r LEFT JOIN {accounts} a ON a.account_id = r.account",
            time="r.event_at",
            select=("r.amount", "r.margin", "r.account", "r.product", "r.order_id", "a.industry", "a.region"),
            where="r.account IS NOT NULL",
        ),
        value="sum(amount) / nullif(count(DISTINCT account), 0)",
        whole_details={
            "customers": "count(DISTINCT account)",
            "products_per_customer": "count(DISTINCT (account, product)) FILTER (WHERE product IS NOT NULL) "
            "/ nullif(count(DISTINCT account), 0)",
            "profit_per_customer": "sum(margin) / nullif(count(DISTINCT account), 0)",
        },
        of_rows={
            "repeat_customer_share": "SELECT avg((orders > 1)::INT) FROM (SELECT account, count(DISTINCT order_id) "
            "AS orders FROM period_rows GROUP BY 1)"
        },
        stated=("revenue_source",),
        dims=("region", "industry"),
    ),
    Metric(
        id="nps",
        name="Net Promoter Score",
        stage="retention",
        source="young_2007",
        definition="Percent of survey responses scoring 9–10 (promoters) minus percent scoring 0–6 (detractors), from −100 "
        "to 100.",
        why_it_matters="Customers who recommend you bring the next customers; detractors cost you them.",
        formula="% promoters (9–10) − % detractors (0–6); from an NPS per period only (no responses), the average of the "
        "periods' NPS weighted by their responses when given",
        unit="score",
        direction="higher",
        where_from="an NPS survey export (Qualtrics, Delighted, SurveyMonkey)",
        alternatives={
            "responses": Alternative(("nps.score",)),
            "series": Alternative(
                ("nps.period_nps",),
                scalars={
                    "periods": "SELECT count(*) FROM nps WHERE period_nps BETWEEN -100 AND 100",
                    "weighted_periods": "SELECT count(*) FROM nps WHERE period_nps BETWEEN -100 AND 100 "
                    "AND responses > 0",
                },
                rows=Rows(
                    "nps r LEFT JOIN {accounts} a ON a.account_id = r.account_id",
                    time="r.responded_at",
                    select=(
                        "r.period_nps",
                        "CASE WHEN {periods} > 0 AND {weighted_periods} = {periods} THEN r.responses ELSE 1 END "
                        "AS weight",
                        "r.responses",
                        "a.industry",
                        "a.region",
                    ),
                    where="r.period_nps BETWEEN -100 AND 100",
                ),
                value="sum(period_nps * weight) / nullif(sum(weight), 0)",
                details={"periods": "count(*)", "responses": "sum(responses)"},
                custom="nps_series",
            ),
        },
        rows=Rows(
            "nps r LEFT JOIN {accounts} a ON a.account_id = r.account_id",
            time="r.responded_at",
            select=("r.score", "a.industry", "a.region"),
            where="r.score BETWEEN 0 AND 10",
        ),
        value=rules.nps_sql("score"),
        details={
            "responses": "count(*)",
            "promoters": f"sum((score >= {rules.PROMOTER_MIN})::INT)",
            "passives": f"sum((score > {rules.DETRACTOR_MAX} AND score < {rules.PROMOTER_MIN})::INT)",
            "detractors": f"sum((score <= {rules.DETRACTOR_MAX})::INT)",
        },
        dims=("industry", "region"),
    ),
    Metric(
        id="share_of_wallet",
        name="Share of wallet",
        stage="retention",
        source="young_2007",
        definition="For customers with revenue in the window and a wallet estimate: their revenue divided by their annual "
        "wallet estimates scaled to the window's length (the chosen period, else the twelve months ending at the "
        "latest sale).",
        why_it_matters="Shows how much of what customers could buy from you they actually do: the room for cross- and up-sell.",
        formula="Σ annualised customer revenue ÷ Σ wallet estimate (customers with an estimate)",
        unit="ratio",
        direction="higher",
        where_from="a CRM accounts export with a wallet estimate (annual spend potential) per customer",
        alternatives={
            "orders": Alternative(
                ("orders.account_id", "orders.amount", "orders.order_date", "accounts.wallet_estimate")
            ),
            "won_deals": Alternative(
                (
                    "opportunities.account_id",
                    "opportunities.amount",
                    "opportunities.outcome",
                    "opportunities.close_date",
                    "accounts.wallet_estimate",
                )
            ),
        },
        rows=Rows(
            "accounts a JOIN (SELECT account, sum(amount) AS revenue FROM {revenue} WHERE {in_window} GROUP BY 1 "
            "HAVING sum(amount) > 0) r ON r.account = a.account_id",
            select=("a.industry", "a.region", "r.revenue", "a.wallet_estimate * {months} / 12.0 AS wallet"),
            where="a.wallet_estimate > 0",
        ),
        value="sum(revenue) / nullif(sum(wallet), 0)",
        details={"customers": "count(*)", "revenue": "sum(revenue)", "wallet_for_window": "sum(wallet)"},
        window="revenue",
        stated=("revenue_source", "window_start", "window_end", "months"),
        dims=("industry", "region"),
    ),
    Metric(
        id="win_back_rate",
        name="Win-back rate",
        stage="retention",
        source="young_2007",
        definition="Of customers who lapsed (went the lapse window without an order, between two orders or up to the "
        "data's as-of date), the share that ordered again after the gap. Each is dated by the day it counted as "
        "lapsed. Orders when present, else won deals.",
        why_it_matters="Shows whether marketing and sales bring former customers back, usually cheaper than new ones.",
        formula="customers who ordered again after a gap ≥ N months ÷ customers with such a gap",
        unit="ratio",
        direction="higher",
        settings=("lapse_months",),
        where_from="an orders export with customer IDs and dates over several years (ERP, billing)",
        alternatives={
            "orders": Alternative(
                ("orders.account_id", "orders.order_date"),
                define={"purchases": "SELECT account_id AS account, order_date::DATE AS day FROM orders"},
            ),
            "won_deals": Alternative(
                ("opportunities.account_id", "opportunities.outcome", "opportunities.close_date"),
                define={
                    "purchases": "SELECT account_id AS account, close_date::DATE AS day FROM {deals} WHERE deal_outcome = 'won'"
                },
            ),
        },
        # A customer lapses when a purchase is followed by none for the lapse period (or none yet, and the period
        # has passed by the as-of date); it is won back if it buys again after that. Only its first lapse counts.
        rows=Rows(
            "(WITH e AS (SELECT DISTINCT account, day FROM ({purchases}) WHERE account IS NOT NULL AND day IS NOT NULL), "
            "s AS (SELECT account, day, lead(day) OVER (PARTITION BY account ORDER BY day) AS next_day FROM e) "
            "SELECT * FROM s WHERE (next_day IS NULL AND day + INTERVAL {lapse_months} MONTH <= {as_of}) "
            "OR next_day >= day + INTERVAL {lapse_months} MONTH "
            "QUALIFY row_number() OVER (PARTITION BY account ORDER BY day) = 1) g "
            "LEFT JOIN {accounts} a ON a.account_id = g.account",
            time="(g.day + INTERVAL {lapse_months} MONTH)::TIMESTAMP",
            select=("(g.next_day IS NOT NULL)::INT AS won_back", "a.industry", "a.region"),
        ),
        value="avg(won_back)",
        details={"lapsed_customers": "count(*)", "won_back": "sum(won_back)"},
        stated=("lapse_months", "as_of"),
        dims=("region", "industry"),
    ),
    Metric(
        id="sm_spend_pct_revenue",
        name="Sales + marketing spend % of revenue",
        stage="investment",
        source="idc_2012",
        definition="All sales and marketing spend, people and programs, as a share of revenue in the same window."
        + _WINDOW
        + _REVENUE,
        why_it_matters="The size of the whole customer-creation investment; IDC recommends managing sales and marketing cost "
        "together.",
        formula="(sales + marketing spend) ÷ revenue (same window)",
        unit="ratio",
        direction="range",
        settings=("annual_revenue",),
        where_from="a general-ledger extract tagged by department, plus orders or won deals for revenue",
        **_spend_over_revenue(rules.SALES_AND_MARKETING_SPEND, "sales_and_marketing_spend"),
    ),
    Metric(
        id="sales_to_marketing_spend",
        name="Sales to marketing spend",
        stage="investment",
        source="idc_2012",
        definition="Sales spend for each unit of marketing spend in the window." + _WINDOW,
        why_it_matters="Shows how the go-to-market investment is balanced between the two functions.",
        formula="sales spend ÷ marketing spend",
        unit="ratio_to_1",
        direction="range",
        where_from="a general-ledger extract tagged by department (sales, marketing)",
        alternatives={"spend": Alternative(_SPEND_BY_FUNCTION)},
        scalars={"sales_lines": "SELECT count(*) FROM spend WHERE lower(function) = 'sales'"},
        requires={"sales_lines": _absent_spend("sales spend")},
        rows=Rows(
            "spend",
            time="period",
            select=(
                "CASE WHEN lower(function) = 'sales' THEN amount ELSE 0 END AS sales",
                "CASE WHEN lower(function) = 'marketing' THEN amount ELSE 0 END AS marketing",
            ),
        ),
        value="sum(sales) / nullif(sum(marketing), 0)",
        details={"sales_spend": "sum(sales)", "marketing_spend": "sum(marketing)"},
        window="spend",
        stated=("window_start", "window_end", "months"),
    ),
    Metric(
        id="marketing_spend_per_sales_head",
        name="Marketing spend per quota-bearing seller",
        stage="investment",
        source="idc_2012",
        definition="Marketing spend annualised over the window (× 12 ÷ months with spend lines in the window) divided by the "
        "quota-bearing seller FTE active at the end of the window." + _WINDOW,
        why_it_matters="How much marketing support each seller gets: too little starves the pipeline, too much wastes it.",
        formula="annualised marketing spend ÷ quota-bearing FTE",
        unit="currency_per_head",
        direction="range",
        where_from="a general-ledger extract plus an HR roster with job titles (BambooHR, Workday)",
        alternatives={"spend_and_roster": Alternative(_SPEND_BY_FUNCTION + ("headcount.role_class",))},
        scalars={"quota_seller_fte": "SELECT sum(fte) FROM {active_staff} WHERE role = 'quota_seller'"},
        requires={
            "quota_seller_fte": "No active quota-bearing sellers on the roster (headcount.role_class = quota_seller)."
        },
        rows=Rows("spend", time="period", select=("amount",), where=rules.MARKETING_SPEND),
        value=rules.annualised_sql("sum(amount)") + " / {quota_seller_fte}",
        details={"marketing_spend": "sum(amount)", "months_with_spend": rules.MONTHS_WITH_ROWS},
        window="spend",
        stated=("quota_seller_fte", "window_start", "window_end"),
        dims=("channel",),
    ),
    Metric(
        id="quota_to_field_marketing_ratio",
        name="Sellers per field marketer",
        stage="staffing",
        source="idc_2012",
        definition="Quota-bearing seller FTE for each field-marketing FTE, counting employees active at the end of the "
        "period (hired by then, no earlier termination date). FTE defaults to 1 when the roster has none.",
        why_it_matters="Field marketers turn campaigns into meetings for sellers; the ratio shows how thinly they are spread.",
        formula="quota-bearing FTE ÷ field-marketing FTE (active employees)",
        unit="ratio_to_1",
        direction="range",
        where_from="an HR roster with job titles (BambooHR, Workday, Rippling)",
        alternatives={"roster": Alternative(("headcount.role_class",))},
        rows=_staff(("quota_seller",), ("field_marketing",)),
        value="sum(num) / nullif(sum(den), 0)",
        details={"numerator_fte": "sum(num)", "denominator_fte": "sum(den)"},
        stated=("active_on",),
    ),
    Metric(
        id="program_share_of_spend",
        name="Programs share of spend",
        stage="staffing",
        source="idc_2012",
        definition="Share of sales and marketing spend that goes to programs rather than people (salaries, commissions, "
        "benefits), within lines classed as either." + _WINDOW,
        why_it_matters="People cost is sticky; the program share is what can be redirected to campaigns that work.",
        formula="programs ÷ (programs + people), sales and marketing spend",
        unit="ratio",
        direction="range",
        where_from="a general-ledger extract whose accounts separate salaries from programs",
        alternatives={"spend": Alternative(_SPEND_BY_FUNCTION + ("spend.category",))},
        scalars={"people_lines": "SELECT count(*) FROM spend WHERE lower(category) = 'people'"},
        requires={"people_lines": _absent_spend("people cost (salaries)")},
        rows=Rows(
            "spend",
            time="period",
            select=("CASE WHEN lower(category) = 'programs' THEN amount ELSE 0 END AS programs", "amount"),
            where=f"{rules.SALES_AND_MARKETING_SPEND} AND lower(category) IN ('people', 'programs')",
        ),
        value="sum(programs) / nullif(sum(amount), 0)",
        details={"program_spend": "sum(programs)", "people_spend": "sum(amount) - sum(programs)"},
        window="spend",
        stated=("window_start", "window_end", "months"),
        dims=("department",),
    ),
    Metric(
        id="ops_staff_share",
        name="Operations staff share",
        stage="productivity",
        source="idc_2012",
        definition="Sales-operations plus marketing-operations FTE as a share of all sales and marketing FTE (every role "
        "class except 'other'), active employees only.",
        why_it_matters="Operations roles multiply everyone else's productivity; with too few, sellers do admin.",
        formula="(sales ops + marketing ops FTE) ÷ sales and marketing FTE",
        unit="ratio",
        direction="range",
        where_from="an HR roster with job titles (BambooHR, Workday, Rippling)",
        alternatives={"roster": Alternative(("headcount.role_class",))},
        rows=_staff(rules.OPS_ROLES, rules.SM_ROLES),
        value="sum(num) / nullif(sum(den), 0)",
        details={"numerator_fte": "sum(num)", "denominator_fte": "sum(den)"},
        stated=("active_on",),
        dims=("department",),
    ),
    Metric(
        id="sales_enablement_score",
        name="Sales enablement (self-assessment)",
        stage="productivity",
        source="idc_2012",
        definition="A 0–100 score from our own short self-assessment of how well sellers are equipped (content, training, "
        "tools, feedback). Inspired by, but not the same as, IDC's proprietary index, which IDC reported at 47 "
        "out of 100 for the technology industry in 2012.",
        why_it_matters="Enablement is a lever on every seller's output; scoring it makes the gaps concrete.",
        formula="Σ answers (0–4) ÷ (4 × questions) × 100",
        unit="score",
        direction="higher",
        settings=("questionnaire",),
        where_from="the self-assessment questionnaire on the Scorecard page",
        alternatives={"questionnaire": Alternative(("profile.questionnaire",))},
        custom="self_assessment",
    ),
    Metric(
        id="lead_management_score",
        name="Lead management (self-assessment)",
        stage="productivity",
        source="idc_2012",
        definition="A 0–100 score from our own short self-assessment of the lead process (definition, routing, follow-up, "
        "nurture, feedback). Inspired by, but not the same as, IDC's proprietary index, which IDC reported at 52 "
        "out of 100 for the technology industry in 2012. Where lead data exists, the details show data-backed "
        "signals beside it: hours to first touch, follow-up share and leakage.",
        why_it_matters="A disciplined lead process turns the same marketing spend into more pipeline.",
        formula="Σ answers (0–4) ÷ (4 × questions) × 100",
        unit="score",
        direction="higher",
        settings=("questionnaire", "idle_days"),
        where_from="the self-assessment questionnaire on the Scorecard page",
        alternatives={"questionnaire": Alternative(("profile.questionnaire",))},
        rows=_LEAKAGE_ROWS,
        custom="self_assessment_with_lead_figures",
    ),
)

CATALOGUE: dict[str, Metric] = {metric.id: metric for metric in METRICS}
SCORECARD_IDS = tuple(m.id for m in METRICS if m.source == "idc_2012")


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    metric_ids: tuple[str, ...]


PRESETS = (
    Preset(
        "Prove marketing's pipeline impact",
        "From qualified leads to won revenue: the metrics that tie marketing to sales results.",
        ("qualified_leads", "cost_per_qualified_lead", "lead_to_appointment_rate", "close_ratio", "time_to_close"),
    ),
    Preset(
        "Retention health",
        "Whether customers stay, recommend you and buy more, and how concentrated revenue is.",
        ("nps", "win_back_rate", "share_of_wallet", "relationship_depth", "order_size"),
    ),
    Preset(
        "Investment and staffing",
        "The scorecard ratios: where the money and people go.",
        SCORECARD_IDS,
    ),
)
