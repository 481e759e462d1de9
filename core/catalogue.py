"""The metric catalogue, declared once: it drives the engine, the Metrics and Scorecard pages, the CLI and
docs/metrics.md (`python -m core.catalogue > docs/metrics.md`). Adding a metric is one entry here plus its
query function in core.engine (named by `query`).

Definitions are our own words. Sources: Roy Young, "Marketing Drives Sales: 25 Metrics", MarketingProfs, 2007
(young_2007); IDC Customer Creation Scorecard, "8 Essential KPIs for the Intersection of Marketing and Sales",
IDC CMO Advisory blog, 2012 (idc_2012).

`needs` lists alternative ways to compute a metric: each alternative is a tuple of "table.field" strings
(or "profile.field" for what only the user can type in); the first alternative the data fully covers is used.
"""

from __future__ import annotations

from dataclasses import dataclass

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
CHARTS = ("line", "bar", "bullet", "pareto", "histogram", "funnel", "distribution")
SETTINGS = (
    "high_margin_pct",
    "new_product_months",
    "lapse_months",
    "idle_days",
    "appointment_window_days",
    "market_size",
    "annual_revenue",
    "questionnaire",
)
BREAKDOWNS = (
    "source",
    "campaign",
    "owner",
    "industry",
    "segment",
    "product",
    "region",
    "channel",
    "department",
    "role",
)

_WINDOW = " Without a chosen period the window is the twelve months ending at the latest spend period in the data."
_REVENUE = (
    " Revenue is the orders amount in the window, else the amount of deals won in it, else the annual revenue "
    "typed into the company profile (the details say which)."
)


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    stage: str
    source: str
    definition: str
    why_it_matters: str
    formula: str
    needs: tuple[tuple[str, ...], ...]  # alternatives, each a tuple of "table.field" / "profile.field"
    unit: str
    direction: str
    settings: tuple[str, ...]
    chart: str
    breakdowns: tuple[str, ...]
    where_from: str  # where the missing data usually comes from
    query: str  # name of the function in core.engine.QUERIES that computes it

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def source_label(self) -> str:
        return SOURCES[self.source]


def _metric(id_, name, stage, source, definition, why, formula, needs, unit, direction, settings, chart, dims, where):
    return Metric(
        id_, name, stage, source, definition, why, formula, needs, unit, direction, settings, chart, dims, where, id_
    )


_SPEND_BY_FUNCTION = ("spend.amount", "spend.period", "spend.function")

METRICS: tuple[Metric, ...] = (
    # --- lead generation (Young 2007, top of the funnel) ---
    _metric(
        "best_prospect_profile",
        "Best prospect profile",
        "lead_generation",
        "young_2007",
        "The industry and company-size band whose closed deals are won most often, among profiles with at "
        "least 5 closed deals. The value is its lift: its win rate divided by the overall win rate.",
        "Shows which kind of company to target and what a qualified lead should look like.",
        "max over industry × size band (≥ 5 closed deals) of win rate ÷ overall win rate; size bands by "
        "employees: 1–49, 50–199, 200–999, 1,000–4,999, 5,000+",
        (
            ("opportunities.outcome", "opportunities.close_date", "opportunities.account_id", "accounts.industry"),
            ("opportunities.outcome", "opportunities.close_date", "opportunities.lead_id", "leads.industry"),
        ),
        "ratio_to_1",
        "context",
        (),
        "bar",
        ("industry", "segment"),
        "a CRM accounts export with industry and employees, linked to deals by account ID",
    ),
    _metric(
        "qualified_leads",
        "Qualified leads",
        "lead_generation",
        "young_2007",
        "Leads that met the qualified definition in the period: they have a qualified date, were converted, or "
        "carry a qualified or converted status. Each is dated by its qualified date, else its converted date, "
        "else its created date.",
        "The volume of demand that fits the target profile is the first proof that marketing fills the funnel.",
        "count of leads qualified in the period",
        (("leads.lead_id", "leads.qualified_at"), ("leads.lead_id", "leads.status_class")),
        "count",
        "higher",
        (),
        "line",
        ("source", "campaign", "owner"),
        "a lead export with the date each lead became qualified (HubSpot 'Became a Marketing Qualified Lead "
        "Date', Salesforce lead status)",
    ),
    _metric(
        "cost_per_qualified_lead",
        "Cost per qualified lead",
        "lead_generation",
        "young_2007",
        "All marketing spend in the period divided by the leads qualified in the same period (qualified as in "
        "Qualified leads). Broken down by campaign and channel, spend and leads are matched on the same name.",
        "Shows what one qualified lead costs, overall and per channel, so budget can move to what works.",
        "marketing spend ÷ qualified leads (same period)",
        (_SPEND_BY_FUNCTION + ("leads.qualified_at",), _SPEND_BY_FUNCTION + ("leads.status_class",)),
        "currency",
        "lower",
        (),
        "line",
        ("campaign", "channel"),
        "a general-ledger or budget extract of marketing spend, plus a lead export with qualified dates",
    ),
    _metric(
        "lead_to_appointment_rate",
        "Leads to appointments",
        "lead_generation",
        "young_2007",
        "Share of leads created in the period that got a first sales appointment: a first-meeting date on the "
        "lead, or a meeting linked to the lead within the appointment window after its creation.",
        "Tells whether the leads marketing passes on are ones Sales can turn into conversations.",
        "leads with an appointment ÷ leads created",
        (
            ("leads.lead_id", "leads.created_at", "leads.appointment_at"),
            ("leads.lead_id", "leads.created_at", "activities.lead_id", "activities.type"),
        ),
        "ratio",
        "higher",
        ("appointment_window_days",),
        "line",
        ("source", "campaign", "owner"),
        "a lead export with the first-meeting date, or an activities export with meetings linked to leads "
        "(Salesforce Tasks and Events)",
    ),
    _metric(
        "lead_knowledge",
        "Knowledge about leads",
        "lead_generation",
        "young_2007",
        "Average completeness of eight key lead fields passed to Sales: company, job title, email, industry, "
        "employees, country, annual revenue and source. A lead with all eight filled scores 100%.",
        "Sales converts leads it knows something about; empty records waste calls.",
        "mean over leads of (filled key fields ÷ 8)",
        (("leads.lead_id",),),
        "ratio",
        "higher",
        (),
        "bar",
        ("source", "owner"),
        "a lead export with firmographic and contact columns (HubSpot contacts, Salesforce Leads)",
    ),
    # --- lead management (Young 2007, inside the funnel) ---
    _metric(
        "rfp_count",
        "Requests for proposal",
        "lead_management",
        "young_2007",
        "Deals that reached a request-for-proposal step in the period: an RFP date on the deal, or a stage "
        "change into a stage named like 'RFP' or 'request for proposal'.",
        "Counts how many qualified prospects Sales turns into formal buying processes.",
        "count of deals with an RFP date (or RFP stage change) in the period",
        (("opportunities.rfp_at",), ("stage_history.stage", "stage_history.changed_at")),
        "count",
        "context",
        (),
        "bar",
        ("owner", "product", "source"),
        "a CRM opportunity export with an RFP date, or a stage-history export (Salesforce Opportunity History)",
    ),
    _metric(
        "proposal_to_presentation_rate",
        "Proposals to presentations",
        "lead_management",
        "young_2007",
        "Share of deals with a proposal in the period that also got a presentation on or after the proposal "
        "date. Dates come from the deal's own fields, else from the first stage change into a stage named "
        "like 'proposal'/'quote' and 'presentation'/'demo'.",
        "Shows whether written proposals earn the chance to present, a sign of fit and of proposal quality.",
        "deals with a presentation on/after the proposal ÷ deals with a proposal",
        (
            ("opportunities.proposal_at", "opportunities.presentation_at"),
            ("stage_history.stage", "stage_history.changed_at"),
        ),
        "ratio",
        "higher",
        (),
        "line",
        ("owner", "product", "source"),
        "a CRM opportunity export with proposal and presentation dates, or a stage-history export",
    ),
    _metric(
        "time_with_prospects",
        "Time with prospects",
        "lead_management",
        "young_2007",
        "Minutes of meetings and calls per seller per month: the duration of all meeting- and call-type "
        "activities divided by the number of people who logged them and by the months covered.",
        "Sellers sell when they are with buyers; marketing's behind-the-scenes work should free that time.",
        "Σ meeting and call minutes ÷ (activity owners × months)",
        (("activities.type", "activities.duration_minutes", "activities.owner", "activities.occurred_at"),),
        "minutes",
        "higher",
        (),
        "line",
        ("owner",),
        "an activities export with durations (Salesforce Tasks and Events, HubSpot meetings and calls)",
    ),
    _metric(
        "valuable_meeting_rate",
        "Valuable meetings",
        "lead_management",
        "young_2007",
        "Share of meetings and calls with a recorded outcome whose outcome advanced the deal (words like "
        "'advanced', 'next step agreed', 'interested', 'qualified', 'booked'), excluding negatives such as "
        "'no next step', 'no-show', 'voicemail' or 'cancelled'.",
        "Counts not just how many conversations happen but how many move a buyer forward.",
        "meetings and calls with an advancing outcome ÷ meetings and calls with an outcome",
        (("activities.type", "activities.outcome"),),
        "ratio",
        "higher",
        (),
        "line",
        ("owner",),
        "an activities export with meeting outcomes (Salesforce Tasks and Events call results)",
    ),
    _metric(
        "marketing_material_usage",
        "Marketing material usage",
        "lead_management",
        "young_2007",
        "Share of deals won in the period whose activities include a content share (an activity of a "
        "content-share type or one naming the material used). The details add content shares per deal.",
        "Documents whether marketing's content is used where deals are won, and which pieces.",
        "won deals with ≥ 1 content share ÷ won deals",
        (
            ("activities.opportunity_id", "activities.material", "opportunities.outcome", "opportunities.close_date"),
            ("activities.opportunity_id", "activities.type", "opportunities.outcome", "opportunities.close_date"),
        ),
        "ratio",
        "higher",
        (),
        "bar",
        ("owner", "product"),
        "an activities export that logs content shares against deals (Salesforce Tasks, sales-enablement tools)",
    ),
    _metric(
        "lead_leakage_rate",
        "Lead leakage",
        "lead_management",
        "young_2007",
        "Share of leads created in the period that left the funnel: disqualified, linked only to lost deals, "
        "or still open and idle (no activity since their last activity or creation) for longer than the idle "
        "window, measured at the data's as-of date (its latest event date).",
        "Leaks show where qualified demand is wasted, and whether the leaks share a profile.",
        "(disqualified + lost + idle open leads) ÷ leads created",
        (("leads.lead_id", "leads.created_at"),),
        "ratio",
        "lower",
        ("idle_days",),
        "line",
        ("source", "campaign", "owner"),
        "a lead export with status, disqualified and last-activity dates (HubSpot contacts, Salesforce Leads)",
    ),
    _metric(
        "nurture_investment",
        "Dollars invested to nurture leads",
        "lead_management",
        "young_2007",
        "Spend whose purpose is lead nurturing in the period. The details give its share of marketing spend.",
        "Shows what is spent keeping prospects warm, to set against the deals they eventually bring.",
        "Σ spend with purpose = nurture",
        (("spend.amount", "spend.period", "spend.purpose"),),
        "currency",
        "context",
        (),
        "bar",
        ("channel", "campaign"),
        "a budget or GL extract tagged with a purpose or class (QuickBooks class, campaign type)",
    ),
    # --- closing (Young 2007, bottom of the funnel) ---
    _metric(
        "high_margin_sales_share",
        "Sales from high-margin products",
        "closing",
        "young_2007",
        "Share of revenue in the period from products at or above the high-margin threshold. A product's margin "
        "comes from the product list, else from the order line (margin ÷ amount). Orders are used when "
        "present, else won deals.",
        "A proxy for whether the sales effort is pointed at profit rather than top line.",
        "revenue of high-margin lines ÷ revenue",
        (
            ("orders.amount", "orders.order_date", "orders.product", "products.margin_pct"),
            ("orders.amount", "orders.order_date", "orders.margin"),
            ("opportunities.amount", "opportunities.outcome", "opportunities.product", "products.margin_pct"),
        ),
        "ratio",
        "higher",
        ("high_margin_pct",),
        "line",
        ("product", "region"),
        "a product list with gross margin % (CRM Products, ERP item master) or order lines with profit",
    ),
    _metric(
        "new_product_sales_share",
        "Sales from new products",
        "closing",
        "young_2007",
        "Share of revenue in the period from products launched within the new-product window before the sale. "
        "Orders are used when present, else won deals.",
        "Revenue from new products signals where future sales will come from.",
        "revenue of products launched ≤ N months before the sale ÷ revenue",
        (
            ("orders.amount", "orders.order_date", "orders.product", "products.launch_date"),
            ("opportunities.amount", "opportunities.outcome", "opportunities.product", "products.launch_date"),
        ),
        "ratio",
        "higher",
        ("new_product_months",),
        "line",
        ("product", "region"),
        "a product list with launch dates (CRM Products, ERP item master)",
    ),
    _metric(
        "meetings_to_close",
        "Meetings to close",
        "closing",
        "young_2007",
        "Average number of meetings (meeting, event, visit, demo or presentation activities, not calls or "
        "emails) linked to each deal won in the period; won deals without any count as zero.",
        "The sales effort a win takes; marketing that educates buyers should lower it.",
        "meetings linked to won deals ÷ won deals",
        (("activities.opportunity_id", "activities.type", "opportunities.outcome", "opportunities.close_date"),),
        "count",
        "lower",
        (),
        "bar",
        ("owner", "product", "source"),
        "an activities export with meetings linked to deals (Salesforce Events with Related To)",
    ),
    _metric(
        "time_to_close",
        "Time to close",
        "closing",
        "young_2007",
        "Median days from the first record of a deal won in the period to its close date; the first record is "
        "the earliest of its linked lead's creation, the deal's creation and the deal's engagement.",
        "A long cycle ties up sales capacity and delays cash; a shorter one shows marketing warmed the buyer.",
        "median(close date − earliest of lead created, deal created, deal engaged) over won deals",
        (
            ("opportunities.outcome", "opportunities.close_date", "opportunities.created_at"),
            ("opportunities.outcome", "opportunities.close_date", "opportunities.engaged_at"),
            ("opportunities.outcome", "opportunities.close_date", "opportunities.lead_id", "leads.created_at"),
        ),
        "days",
        "lower",
        (),
        "line",
        ("source", "owner", "product", "region"),
        "a CRM opportunity export with created and close dates",
    ),
    _metric(
        "close_ratio",
        "Close ratio",
        "closing",
        "young_2007",
        "Where leads link to won deals (the deal's lead ID matches a lead): the share of leads created in the "
        "period that became won customers. Otherwise won deals over closed (won + lost) deals closed in the "
        "period. Both appear in the details when both can be computed.",
        "The end-to-end yield of the funnel, and the figure most forecasts are built on.",
        "leads with a won deal ÷ leads; else won ÷ (won + lost) deals",
        (
            ("leads.lead_id", "opportunities.lead_id", "opportunities.outcome"),
            ("opportunities.outcome", "opportunities.close_date"),
        ),
        "ratio",
        "higher",
        (),
        "line",
        ("source", "campaign", "owner", "product", "region"),
        "a CRM opportunity export with stages or won/closed flags (Salesforce Opportunities, HubSpot deals)",
    ),
    _metric(
        "funnel_value",
        "Value of the sales funnel",
        "closing",
        "young_2007",
        "Open deals weighted by their chance to close: amount × probability, or amount × the historical win "
        "rate of closed deals where a deal has no probability. A period selects deals by expected close date.",
        "Management needs a forecast of future sales; weighting by close odds keeps it honest.",
        "Σ open deal amount × (probability, else won ÷ closed deals)",
        (("opportunities.amount", "opportunities.outcome"),),
        "currency",
        "higher",
        (),
        "bar",
        ("owner", "product", "region", "source"),
        "a CRM opportunity export with amounts, stages and probabilities",
    ),
    _metric(
        "order_size",
        "Order size",
        "closing",
        "young_2007",
        "Median value of an order in the period (an order is all lines sharing one order ID, orders totalling zero "
        "or less such as credit notes left out; won deals when no orders are loaded). The details give the mean and the share of revenue from the top 20% of customers "
        "(the ⌊20% of customers⌋ with the most revenue, at least one).",
        "Shows whether a few large accounts carry the business (the 80/20 check) and the risk of losing one.",
        "median(order value); top-20% share = revenue of top max(1, ⌊0.2 × customers⌋) ÷ all revenue",
        (
            ("orders.order_id", "orders.amount", "orders.order_date"),
            ("opportunities.amount", "opportunities.outcome", "opportunities.close_date"),
        ),
        "currency",
        "context",
        (),
        "pareto",
        ("region", "owner", "product", "source"),
        "an orders or invoice-lines export (ERP, billing system), or won deals with amounts",
    ),
    _metric(
        "marketing_spend_to_sales",
        "Marketing spend to sales",
        "closing",
        "young_2007",
        "Marketing spend as a share of revenue in the same window." + _WINDOW + _REVENUE,
        "Frames what level of marketing investment the sales result requires, and how it moves.",
        "marketing spend ÷ revenue (same window)",
        (
            _SPEND_BY_FUNCTION + ("orders.amount", "orders.order_date"),
            _SPEND_BY_FUNCTION + ("opportunities.amount", "opportunities.outcome", "opportunities.close_date"),
            _SPEND_BY_FUNCTION + ("profile.annual_revenue",),
        ),
        "ratio",
        "range",
        ("annual_revenue",),
        "line",
        (),
        "a general-ledger extract tagged by department, plus orders or won deals for revenue",
    ),
    _metric(
        "market_share",
        "Market share",
        "closing",
        "young_2007",
        "Annualised revenue divided by the size of the served market typed into the company profile. Revenue is "
        "annualised over the months of the window (the chosen period, else the twelve months ending at the "
        "latest sale)." + _REVENUE,
        "Tells whether the company is keeping up with its market, not just growing.",
        "annualised revenue ÷ market size",
        (
            ("profile.market_size", "orders.amount", "orders.order_date"),
            ("profile.market_size", "opportunities.amount", "opportunities.outcome", "opportunities.close_date"),
            ("profile.market_size", "profile.annual_revenue"),
        ),
        "ratio",
        "higher",
        ("market_size", "annual_revenue"),
        "line",
        (),
        "the market size typed into the company profile (Data page), plus orders or won deals",
    ),
    # --- retention (Young 2007) ---
    _metric(
        "relationship_depth",
        "Breadth and depth of customer relationships",
        "retention",
        "young_2007",
        "Revenue per customer over the period (orders, else won deals). The details add distinct products per "
        "customer, the share of customers who bought more than once and profit per customer where margin is "
        "known.",
        "Deep, broad relationships are cheaper revenue than new logos and the base of lifetime value.",
        "revenue ÷ distinct customers; products per customer; repeat-customer share",
        (
            ("orders.account_id", "orders.amount", "orders.order_date"),
            ("opportunities.account_id", "opportunities.amount", "opportunities.outcome", "opportunities.close_date"),
        ),
        "currency",
        "higher",
        (),
        "bar",
        ("region", "industry"),
        "an orders export with a customer ID (ERP, billing), or won deals linked to accounts",
    ),
    _metric(
        "nps",
        "Net Promoter Score",
        "retention",
        "young_2007",
        "Percent of survey responses scoring 9–10 (promoters) minus percent scoring 0–6 (detractors), from −100 "
        "to 100.",
        "Customers who recommend you bring the next customers; detractors cost you them.",
        "% promoters (9–10) − % detractors (0–6); from an NPS per period only (no responses), the average of the "
        "periods' NPS weighted by their responses when given",
        (("nps.score",),),
        "score",
        "higher",
        (),
        "line",
        ("industry", "region"),
        "an NPS survey export (Qualtrics, Delighted, SurveyMonkey)",
    ),
    _metric(
        "share_of_wallet",
        "Share of wallet",
        "retention",
        "young_2007",
        "For customers with revenue in the window and a wallet estimate: their revenue divided by their annual "
        "wallet estimates scaled to the window's length (the chosen period, else the twelve months ending at the "
        "latest sale).",
        "Shows how much of what customers could buy from you they actually do: the room for cross- and up-sell.",
        "Σ annualised customer revenue ÷ Σ wallet estimate (customers with an estimate)",
        (
            ("orders.account_id", "orders.amount", "orders.order_date", "accounts.wallet_estimate"),
            (
                "opportunities.account_id",
                "opportunities.amount",
                "opportunities.outcome",
                "opportunities.close_date",
                "accounts.wallet_estimate",
            ),
        ),
        "ratio",
        "higher",
        (),
        "bar",
        ("industry", "region"),
        "a CRM accounts export with a wallet estimate (annual spend potential) per customer",
    ),
    _metric(
        "win_back_rate",
        "Win-back rate",
        "retention",
        "young_2007",
        "Of customers who lapsed (went the lapse window without an order, between two orders or up to the "
        "data's as-of date), the share that ordered again after the gap. Each is dated by the day it counted as "
        "lapsed. Orders when present, else won deals.",
        "Shows whether marketing and sales bring former customers back, usually cheaper than new ones.",
        "customers who ordered again after a gap ≥ N months ÷ customers with such a gap",
        (
            ("orders.account_id", "orders.order_date"),
            ("opportunities.account_id", "opportunities.outcome", "opportunities.close_date"),
        ),
        "ratio",
        "higher",
        ("lapse_months",),
        "line",
        ("region", "industry"),
        "an orders export with customer IDs and dates over several years (ERP, billing)",
    ),
    # --- IDC 2012 Customer Creation Scorecard ---
    _metric(
        "sm_spend_pct_revenue",
        "Sales + marketing spend % of revenue",
        "investment",
        "idc_2012",
        "All sales and marketing spend, people and programs, as a share of revenue in the same window."
        + _WINDOW
        + _REVENUE,
        "The size of the whole customer-creation investment; IDC recommends managing sales and marketing cost "
        "together.",
        "(sales + marketing spend) ÷ revenue (same window)",
        (
            _SPEND_BY_FUNCTION + ("orders.amount", "orders.order_date"),
            _SPEND_BY_FUNCTION + ("opportunities.amount", "opportunities.outcome", "opportunities.close_date"),
            _SPEND_BY_FUNCTION + ("profile.annual_revenue",),
        ),
        "ratio",
        "range",
        ("annual_revenue",),
        "bullet",
        (),
        "a general-ledger extract tagged by department, plus orders or won deals for revenue",
    ),
    _metric(
        "sales_to_marketing_spend",
        "Sales to marketing spend",
        "investment",
        "idc_2012",
        "Sales spend for each unit of marketing spend in the window." + _WINDOW,
        "Shows how the go-to-market investment is balanced between the two functions.",
        "sales spend ÷ marketing spend",
        (_SPEND_BY_FUNCTION,),
        "ratio_to_1",
        "range",
        (),
        "bullet",
        (),
        "a general-ledger extract tagged by department (sales, marketing)",
    ),
    _metric(
        "marketing_spend_per_sales_head",
        "Marketing spend per quota-bearing seller",
        "investment",
        "idc_2012",
        "Marketing spend annualised over the window (× 12 ÷ months with spend lines in the window) divided by the "
        "quota-bearing seller FTE active at the end of the window." + _WINDOW,
        "How much marketing support each seller gets: too little starves the pipeline, too much wastes it.",
        "annualised marketing spend ÷ quota-bearing FTE",
        (_SPEND_BY_FUNCTION + ("headcount.role_class",),),
        "currency_per_head",
        "range",
        (),
        "bullet",
        ("channel",),
        "a general-ledger extract plus an HR roster with job titles (BambooHR, Workday)",
    ),
    _metric(
        "quota_to_field_marketing_ratio",
        "Sellers per field marketer",
        "staffing",
        "idc_2012",
        "Quota-bearing seller FTE for each field-marketing FTE, counting employees active at the end of the "
        "period (hired by then, no earlier termination date). FTE defaults to 1 when the roster has none.",
        "Field marketers turn campaigns into meetings for sellers; the ratio shows how thinly they are spread.",
        "quota-bearing FTE ÷ field-marketing FTE (active employees)",
        (("headcount.role_class",),),
        "ratio_to_1",
        "range",
        (),
        "bullet",
        (),
        "an HR roster with job titles (BambooHR, Workday, Rippling)",
    ),
    _metric(
        "program_share_of_spend",
        "Programs share of spend",
        "staffing",
        "idc_2012",
        "Share of sales and marketing spend that goes to programs rather than people (salaries, commissions, "
        "benefits), within lines classed as either." + _WINDOW,
        "People cost is sticky; the program share is what can be redirected to campaigns that work.",
        "programs ÷ (programs + people), sales and marketing spend",
        (_SPEND_BY_FUNCTION + ("spend.category",),),
        "ratio",
        "range",
        (),
        "bullet",
        ("department",),
        "a general-ledger extract whose accounts separate salaries from programs",
    ),
    _metric(
        "ops_staff_share",
        "Operations staff share",
        "productivity",
        "idc_2012",
        "Sales-operations plus marketing-operations FTE as a share of all sales and marketing FTE (every role "
        "class except 'other'), active employees only.",
        "Operations roles multiply everyone else's productivity; with too few, sellers do admin.",
        "(sales ops + marketing ops FTE) ÷ sales and marketing FTE",
        (("headcount.role_class",),),
        "ratio",
        "range",
        (),
        "bullet",
        ("department",),
        "an HR roster with job titles (BambooHR, Workday, Rippling)",
    ),
    _metric(
        "sales_enablement_score",
        "Sales enablement (self-assessment)",
        "productivity",
        "idc_2012",
        "A 0–100 score from our own short self-assessment of how well sellers are equipped (content, training, "
        "tools, feedback). Inspired by, but not the same as, IDC's proprietary index, which IDC reported at 47 "
        "out of 100 for the technology industry in 2012.",
        "Enablement is a lever on every seller's output; scoring it makes the gaps concrete.",
        "Σ answers (0–4) ÷ (4 × questions) × 100",
        (("profile.questionnaire",),),
        "score",
        "higher",
        ("questionnaire",),
        "bullet",
        (),
        "the self-assessment questionnaire on the Scorecard page",
    ),
    _metric(
        "lead_management_score",
        "Lead management (self-assessment)",
        "productivity",
        "idc_2012",
        "A 0–100 score from our own short self-assessment of the lead process (definition, routing, follow-up, "
        "nurture, feedback). Inspired by, but not the same as, IDC's proprietary index, which IDC reported at 52 "
        "out of 100 for the technology industry in 2012. Where lead data exists, the details show data-backed "
        "signals beside it: hours to first touch, follow-up share and leakage.",
        "A disciplined lead process turns the same marketing spend into more pipeline.",
        "Σ answers (0–4) ÷ (4 × questions) × 100",
        (("profile.questionnaire",),),
        "score",
        "higher",
        ("questionnaire", "idle_days"),
        "bullet",
        (),
        "the self-assessment questionnaire on the Scorecard page",
    ),
)

CATALOGUE: dict[str, Metric] = {metric.id: metric for metric in METRICS}
SCORECARD_IDS = tuple(m.id for m in METRICS if m.source == "idc_2012")


@dataclass(frozen=True)
class PickerGroup:
    key: str  # URL parameter of the group's picker
    label: str
    metric_ids: tuple[str, ...]


PICKER_GROUPS = tuple(
    PickerGroup(key, label, tuple(m.id for m in METRICS if m.stage in stages))
    for key, label, stages in (
        ("lg", "Lead generation", ("lead_generation",)),
        ("lm", "Lead management", ("lead_management",)),
        ("cl", "Closing", ("closing",)),
        ("rt", "Retention", ("retention",)),
        ("is", "Investment and staffing", ("investment", "staffing", "productivity")),
    )
)


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


def _needs_text(metric: Metric) -> str:
    return " **or** ".join(", ".join(f"`{need}`" for need in option) for option in metric.needs)


def markdown_reference() -> str:
    """The metric reference in docs/metrics.md, generated from this catalogue."""
    lines = [
        "# Metric reference",
        "",
        "Generated from `core/catalogue.py` by `python -m core.catalogue > docs/metrics.md`; do not edit by hand.",
        "",
        "Sources: "
        + "; ".join(f"[{label}]({SOURCE_LINKS[key]}) (`{key}`)" for key, label in SOURCES.items())
        + ". Definitions are our own words.",
        "",
    ]
    for stage, label in STAGES.items():
        lines += [f"## {label}", ""]
        for m in (m for m in METRICS if m.stage == stage):
            lines += [
                f"### {m.name} (`{m.id}`)",
                "",
                m.definition,
                "",
                f"- **Why it matters:** {m.why_it_matters}",
                f"- **Formula:** {m.formula}",
                f"- **Needs:** {_needs_text(m)}",
                f"- **Usually from:** {m.where_from}",
                f"- **Unit:** {m.unit}; **good is:** {m.direction}"
                + (f"; **settings:** {', '.join(m.settings)}" if m.settings else ""),
                f"- **Source:** {m.source_label}",
                "",
            ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_reference(), end="")
