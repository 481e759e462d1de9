"""The canonical data model: the tables every upload is mapped into.

This module is the contract between ingest (which builds these tables in a session's DuckDB), the
metric engine (which only ever queries these tables) and the sample-data generator. Each canonical
table is created with exactly these column names and DuckDB types; a field the user's export does not
have is present as an all-NULL column, so queries never fail on a missing column — the engine asks
`field_coverage` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # DuckDB type of the canonical column
    label: str  # what a person calls it
    role: str = "attribute"  # id | date | money | number | category | flag | attribute
    required: bool = False  # without it the table cannot be built at all


@dataclass(frozen=True)
class TableKind:
    name: str
    label: str
    row_is: str  # "one row per ..."
    fields: tuple[Field, ...]
    examples: str  # where such an export usually comes from

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _f(name, type_, label, role="attribute", required=False) -> Field:
    return Field(name, type_, label, role, required)


TABLE_KINDS: dict[str, TableKind] = {
    kind.name: kind
    for kind in (
        TableKind(
            "leads",
            "Leads",
            "lead, contact or MQL",
            (
                _f("lead_id", "VARCHAR", "Lead ID", "id", required=True),
                _f("created_at", "TIMESTAMP", "Created", "date"),
                _f("source", "VARCHAR", "Lead source / channel", "category"),
                _f("campaign", "VARCHAR", "Campaign", "category"),
                _f("owner", "VARCHAR", "Owner", "category"),
                _f("status", "VARCHAR", "Status / lifecycle stage", "category"),
                _f("status_class", "VARCHAR", "Status class (open, qualified, disqualified, converted)", "category"),
                _f("is_qualified", "BOOLEAN", "Qualified (yes/no)", "flag"),
                _f("is_converted", "BOOLEAN", "Converted (yes/no)", "flag"),
                _f("qualified_at", "TIMESTAMP", "Qualified (MQL/SQL) date", "date"),
                _f("appointment_at", "TIMESTAMP", "First appointment date", "date"),
                _f("converted_at", "TIMESTAMP", "Converted date", "date"),
                _f("disqualified_at", "TIMESTAMP", "Disqualified date", "date"),
                _f("first_touch_at", "TIMESTAMP", "First sales touch", "date"),
                _f("last_activity_at", "TIMESTAMP", "Last activity", "date"),
                _f("company", "VARCHAR", "Company"),
                _f("title", "VARCHAR", "Job title"),
                _f("email", "VARCHAR", "Email"),
                _f("industry", "VARCHAR", "Industry", "category"),
                _f("employees", "DOUBLE", "Employees", "number"),
                _f("country", "VARCHAR", "Country", "category"),
                _f("annual_revenue", "DOUBLE", "Annual revenue", "money"),
                _f("account_id", "VARCHAR", "Account ID", "id"),
                _f("opportunity_id", "VARCHAR", "Converted opportunity ID", "id"),
            ),
            "a CRM or marketing-automation lead export (Salesforce Leads report, HubSpot contacts, Marketo)",
        ),
        TableKind(
            "opportunities",
            "Opportunities (deals)",
            "deal",
            (
                _f("opportunity_id", "VARCHAR", "Opportunity ID", "id", required=True),
                _f("name", "VARCHAR", "Opportunity name"),
                _f("lead_id", "VARCHAR", "Lead ID", "id"),
                _f("account_id", "VARCHAR", "Account", "id"),
                _f("created_at", "TIMESTAMP", "Created", "date"),
                _f("engaged_at", "TIMESTAMP", "Engaged", "date"),
                _f("stage", "VARCHAR", "Stage", "category"),
                _f("outcome", "VARCHAR", "Outcome (won, lost, open)", "category"),
                _f("amount", "DOUBLE", "Amount", "money"),
                _f("currency", "VARCHAR", "Currency", "category"),
                _f("close_date", "TIMESTAMP", "Close date", "date"),
                _f("is_closed", "BOOLEAN", "Closed", "flag"),
                _f("is_won", "BOOLEAN", "Won", "flag"),
                _f("probability", "DOUBLE", "Probability (0-1)", "number"),
                _f("product", "VARCHAR", "Product", "category"),
                _f("owner", "VARCHAR", "Owner", "category"),
                _f("source", "VARCHAR", "Lead source", "category"),
                _f("campaign", "VARCHAR", "Campaign", "category"),
                _f("rfp_at", "TIMESTAMP", "RFP received", "date"),
                _f("proposal_at", "TIMESTAMP", "Proposal sent", "date"),
                _f("presentation_at", "TIMESTAMP", "Presentation given", "date"),
                _f("region", "VARCHAR", "Region", "category"),
            ),
            "a CRM opportunity or deal export (Salesforce Opportunities report, HubSpot deals, Pipedrive)",
        ),
        TableKind(
            "stage_history",
            "Stage history",
            "stage change of a deal",
            (
                _f("opportunity_id", "VARCHAR", "Opportunity ID", "id", required=True),
                _f("stage", "VARCHAR", "Stage", "category", required=True),
                _f("changed_at", "TIMESTAMP", "Changed", "date", required=True),
                _f("amount", "DOUBLE", "Amount", "money"),
            ),
            "a deal stage-history export (Salesforce Opportunity History, HubSpot 'Date entered' properties)",
        ),
        TableKind(
            "activities",
            "Activities",
            "call, meeting, email or content share",
            (
                _f("activity_id", "VARCHAR", "Activity ID", "id", required=True),
                _f("lead_id", "VARCHAR", "Lead ID", "id"),
                _f("opportunity_id", "VARCHAR", "Opportunity ID", "id"),
                _f("account_id", "VARCHAR", "Account ID", "id"),
                _f("type", "VARCHAR", "Type", "category"),
                _f("occurred_at", "TIMESTAMP", "Date", "date"),
                _f("duration_minutes", "DOUBLE", "Duration (minutes)", "number"),
                _f("owner", "VARCHAR", "Assigned to", "category"),
                _f("outcome", "VARCHAR", "Outcome / call result", "category"),
                _f("material", "VARCHAR", "Marketing material used", "category"),
                _f("subject", "VARCHAR", "Subject"),
            ),
            "an activities export with meeting outcomes (Salesforce Tasks and Events, HubSpot activities)",
        ),
        TableKind(
            "orders",
            "Orders",
            "order or invoice line",
            (
                _f("order_id", "VARCHAR", "Order ID", "id", required=True),
                _f("account_id", "VARCHAR", "Customer / account", "id"),
                _f("order_date", "TIMESTAMP", "Order date", "date"),
                _f("amount", "DOUBLE", "Amount", "money"),
                _f("product", "VARCHAR", "Product", "category"),
                _f("quantity", "DOUBLE", "Quantity", "number"),
                _f("unit_price", "DOUBLE", "Unit price", "money"),
                _f("margin", "DOUBLE", "Margin / profit", "money"),
                _f("currency", "VARCHAR", "Currency", "category"),
                _f("region", "VARCHAR", "Region", "category"),
                _f("segment", "VARCHAR", "Customer segment", "category"),
            ),
            "an orders or invoice-lines export (ERP, billing system, QuickBooks sales by customer)",
        ),
        TableKind(
            "products",
            "Products",
            "product",
            (
                _f("product", "VARCHAR", "Product", "id", required=True),
                _f("margin_pct", "DOUBLE", "Margin (0-1)", "number"),
                _f("launch_date", "TIMESTAMP", "Launch date", "date"),
                _f("category", "VARCHAR", "Category", "category"),
                _f("list_price", "DOUBLE", "List price", "money"),
            ),
            "a product or price list (CRM Products, ERP item master)",
        ),
        TableKind(
            "accounts",
            "Accounts",
            "customer or company",
            (
                _f("account_id", "VARCHAR", "Account ID", "id", required=True),
                _f("name", "VARCHAR", "Account name"),
                _f("industry", "VARCHAR", "Industry", "category"),
                _f("employees", "DOUBLE", "Employees", "number"),
                _f("region", "VARCHAR", "Region", "category"),
                _f("annual_revenue", "DOUBLE", "Annual revenue", "money"),
                _f("wallet_estimate", "DOUBLE", "Wallet estimate (annual spend potential)", "money"),
                _f("created_at", "TIMESTAMP", "Customer since", "date"),
            ),
            "a CRM accounts or companies export",
        ),
        TableKind(
            "spend",
            "Spend",
            "budget or general-ledger line",
            (
                _f("period", "TIMESTAMP", "Period / date", "date", required=True),
                _f("amount", "DOUBLE", "Amount", "money", required=True),
                _f("account", "VARCHAR", "GL account", "category"),
                _f("function", "VARCHAR", "Function (marketing, sales)", "category"),
                _f("category", "VARCHAR", "Category (people, programs)", "category"),
                _f("channel", "VARCHAR", "Channel", "category"),
                _f("campaign", "VARCHAR", "Campaign", "category"),
                _f("purpose", "VARCHAR", "Purpose (acquisition, nurture, retention, win-back)", "category"),
                _f("department", "VARCHAR", "Department / cost centre", "category"),
                _f("memo", "VARCHAR", "Memo"),
                _f("currency", "VARCHAR", "Currency", "category"),
            ),
            "a general-ledger or budget extract (QuickBooks, NetSuite, a marketing budget sheet)",
        ),
        TableKind(
            "headcount",
            "Headcount",
            "employee",
            (
                _f("employee_id", "VARCHAR", "Employee ID", "id", required=True),
                _f("name", "VARCHAR", "Name"),
                _f("department", "VARCHAR", "Department", "category"),
                _f("title", "VARCHAR", "Job title", "category"),
                _f("role_class", "VARCHAR", "Role class", "category"),
                _f("fte", "DOUBLE", "FTE", "number"),
                _f("hire_date", "TIMESTAMP", "Hire date", "date"),
                _f("termination_date", "TIMESTAMP", "Termination date", "date"),
                _f("status", "VARCHAR", "Employment status", "category"),
            ),
            "an HR roster (BambooHR, Workday, Rippling employee report)",
        ),
        TableKind(
            "nps",
            "NPS survey",
            "survey response",
            (
                _f("respondent_id", "VARCHAR", "Respondent / response ID", "id", required=True),
                _f("account_id", "VARCHAR", "Account ID", "id"),
                _f("responded_at", "TIMESTAMP", "Response date", "date"),
                _f("score", "DOUBLE", "Score (0-10)", "number", required=True),
                _f("comment", "VARCHAR", "Comment"),
                _f("period_nps", "DOUBLE", "NPS of a period (−100 to 100)", "number"),
                _f("responses", "DOUBLE", "Responses in the period", "number"),
            ),
            "an NPS survey export (Qualtrics, Delighted, SurveyMonkey)",
        ),
    )
}

# Value classes that several kinds map free-text values into (see core.imports.mapping for the vocabularies).
OUTCOMES = ("won", "lost", "open")
LEAD_STATUS_CLASSES = ("open", "qualified", "disqualified", "converted")
ROLE_CLASSES = (
    "quota_seller",
    "field_marketing",
    "sales_ops",
    "marketing_ops",
    "sales_other",
    "marketing_other",
    "other",
)
SPEND_FUNCTIONS = ("marketing", "sales", "other")
SPEND_CATEGORIES = ("people", "programs")
SPEND_PURPOSES = ("acquisition", "nurture", "retention", "win_back")
CLASSES = {  # the classes a value map may give each derived field
    "outcome": OUTCOMES,
    "status_class": LEAD_STATUS_CLASSES,
    "role_class": ROLE_CLASSES,
    "function": SPEND_FUNCTIONS,
    "category": SPEND_CATEGORIES,
    "purpose": SPEND_PURPOSES,
}


def stored_table(kind: str) -> str:
    """The table holding the rows of a session's canonical table of `kind`, which is a view over it adding the
    fields no file stores (see core.imports.build)."""
    return f"_stored_{kind}"


def create_table_sql(kind: str, table: str | None = None) -> str:
    """DDL for an empty canonical table of `kind` (used by tests and fixtures as well as ingest)."""
    spec = TABLE_KINDS[kind]
    cols = ", ".join(f'"{f.name}" {f.type}' for f in spec.fields)
    return f'CREATE OR REPLACE TABLE "{table or kind}" ({cols})'


@dataclass
class Segment:
    gtm_model: str = "all"  # field sales | inside sales | channel | self-serve | all
    size_band: str = "all"  # e.g. "<$50M", "$50M-$250M", "$250M-$1B", ">$1B", all
    industry: str = "all"
    region: str = "all"


@dataclass
class Profile:
    """What only the user can tell us, plus the thresholds some metrics need."""

    company_name: str = ""
    currency: str = "USD"
    annual_revenue: float | None = None  # used when no orders or won deals give revenue
    market_size: float | None = None  # annual revenue of the whole served market
    segment: Segment = field(default_factory=Segment)
    high_margin_pct: float = 0.40  # a product at or above this margin counts as high-margin
    new_product_months: int = 24  # launched within this many months of the sale counts as new
    lapse_months: int = 12  # a customer with no orders for this long has lapsed
    idle_days: int = 90  # an open lead with no progress for this long has leaked
    appointment_window_days: int = 90  # a meeting within this many days of the lead counts as its appointment
    questionnaire: dict[str, int] = field(default_factory=dict)  # self-assessment answers by question id
