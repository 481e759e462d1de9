"""Words real exports use: header synonyms per canonical field, and values whose meaning varies.

Data, not code. Header variants are compared after core.mapping.normalise_header (lowercase, no accents or
punctuation, entity prefixes such as "Deal - " dropped). Sources of the variants: Salesforce report labels
and API names, HubSpot, Pipedrive, Marketo, BambooHR/Workday/Rippling, QuickBooks/NetSuite,
Qualtrics/Delighted/SurveyMonkey exports.
"""

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "leads": {
        "lead_id": ("lead id", "record id", "contact id", "hs object id", "id", "leadid", "person id"),
        "created_at": ("create date", "created date", "createdate", "created at", "createdat", "lead created date"),
        "source": ("original source", "lead source", "leadsource", "source", "utm source", "person source"),
        "campaign": ("first touch converting campaign", "campaign", "campaign name", "acquisition program"),
        "owner": ("contact owner", "lead owner", "owner", "hubspot owner id", "owner id"),
        "status": ("lead status", "status", "leadstatus"),
        "qualified_at": (
            "became a marketing qualified lead date",
            "mql date",
            "hs lifecyclestage marketingqualifiedlead date",
            "qualified date",
        ),
        "appointment_at": (
            "first meeting booked date",
            "meeting booked date",
            "first meeting date",
            "appointment date",
        ),
        "converted_at": ("became an opportunity date", "converted date", "converteddate"),
        "disqualified_at": ("disqualified date", "unqualified date"),
        "first_touch_at": ("first engagement date", "first touch date", "first contacted date"),
        "last_activity_at": ("last activity date", "last activity", "lastactivitydate"),
        "company": ("company name", "company", "account name"),
        "title": ("job title", "title"),
        "email": ("email", "email address"),
        "industry": ("industry",),
        "employees": ("number of employees", "no of employees", "employees", "numberofemployees"),
        "country": ("country region", "country"),
        "annual_revenue": ("annual revenue", "annualrevenue"),
        "account_id": ("associated company id", "converted account id", "account id", "company id"),
        "opportunity_id": ("converted opportunity id", "convertedopportunityid"),
    },
    "opportunities": {
        "opportunity_id": ("opportunity id", "opportunityid", "deal id", "record id", "id", "opportunity_id"),
        "name": ("opportunity name", "deal name", "title", "dealname"),
        "lead_id": ("hubspot contact id", "lead id", "contact id", "primary contact id", "associated contact id"),
        "account_id": ("account id", "accountid", "associated company id", "organization", "account"),
        "created_at": ("created date", "create date", "createdate", "deal created", "add time", "createddate"),
        "engaged_at": ("engage date", "engaged date"),
        "stage": ("stage", "stagename", "deal stage", "dealstage", "deal stage", "status"),
        "amount": ("amount", "value", "deal value", "close value", "total price"),
        "currency": ("opportunity currency", "currencyisocode", "currency"),
        "close_date": ("close date", "closedate", "won time", "closed on", "close time"),
        "is_closed": ("closed", "isclosed", "is deal closed"),
        "is_won": ("won", "iswon", "is closed won"),
        "probability": ("probability", "probability %", "deal probability"),
        "product": ("product family", "product", "product name"),
        "owner": ("opportunity owner", "deal owner", "owner", "sales agent"),
        "source": ("lead source", "leadsource", "original source"),
        "campaign": ("primary campaign source", "campaign", "source campaign"),
        "rfp_at": ("rfp received date", "rfp date"),
        "proposal_at": ("proposal sent date", "proposal date"),
        "presentation_at": ("presentation date", "presentation given date"),
        "region": ("region", "sales region"),
    },
    "stage_history": {
        "opportunity_id": ("opportunity id", "opportunityid", "deal id"),
        "stage": ("to stage", "stage", "stagename", "new stage"),
        "changed_at": ("edit date", "changed at", "stage change date", "createddate", "last modified date"),
        "amount": ("amount",),
    },
    "activities": {
        "activity_id": ("activity id", "task id", "event id", "id"),
        "lead_id": ("lead id", "contact id", "whoid"),
        "opportunity_id": ("opportunity id", "whatid", "deal id"),
        "account_id": ("account id", "accountid", "company id"),
        "type": ("activity type", "type", "task subtype", "activitysubtype"),
        "occurred_at": ("date", "activity date", "activitydate", "due date"),
        "duration_minutes": ("duration min", "duration", "durationinminutes", "duration minutes"),
        "owner": ("assigned", "assigned to", "owner"),
        "outcome": ("outcome", "call result", "calldisposition"),
        "material": ("content shared", "material", "asset"),
        "subject": ("subject",),
    },
    "orders": {
        "order_id": ("invoice no", "invoice number", "order id", "invoice id", "order number", "num"),
        "account_id": ("customer id", "account id", "client id"),
        "order_date": ("invoice date", "order date", "date", "transaction date"),
        "amount": ("line amount", "amount", "sales", "total", "net amount"),
        "product": ("item", "product", "product name"),
        "quantity": ("qty", "quantity"),
        "margin": ("gross profit", "profit", "margin"),
        "currency": ("currency",),
        "region": ("region",),
        "segment": ("segment",),
    },
    "products": {
        "product": ("product name", "product", "name"),
        "margin_pct": ("gross margin %", "gross margin", "margin %", "margin pct"),
        "launch_date": ("launch date", "release date"),
        "category": ("product family", "category", "series"),
        "list_price": ("list price", "sales price", "price"),
    },
    "accounts": {
        "account_id": ("account id", "accountid", "company id", "customer id", "customerid", "account"),
        "name": ("account name", "company name", "name"),
        "industry": ("industry", "sector"),
        "employees": ("employees", "number of employees"),
        "region": ("region", "billing country", "office location"),
        "annual_revenue": ("annual revenue", "revenue"),
        "wallet_estimate": ("wallet estimate", "wallet", "spend potential"),
        "created_at": ("customer since", "created date"),
    },
    "spend": {
        "period": ("period", "posting period", "month", "date", "transaction date"),
        "amount": ("amount", "net amount", "spent", "netamount", "debit"),
        "account": ("account", "gl account", "expenseaccount"),
        "purpose": ("class", "purpose"),
        "channel": ("channel",),
        "campaign": ("campaign",),
        "department": ("department", "cost center"),
        "memo": ("memo", "description"),
    },
    "headcount": {
        "employee_id": ("employee #", "employee", "employee id", "employeenumber", "employee number"),
        "department": ("department", "supervisory organization"),
        "title": ("job title", "title", "business title", "job profile"),
        "fte": ("fte",),
        "hire_date": ("hire date", "start date"),
        "termination_date": ("termination date", "end date"),
        "status": ("employment status", "status"),
    },
    "nps": {
        "respondent_id": ("response id", "responseid", "respondent id", "id"),
        "account_id": ("company id", "account id", "externalreference"),
        "responded_at": ("created at", "recorded date", "submitted at", "response date", "timestamp"),
        "score": ("score", "nps score", "how likely are you to recommend us"),
        "comment": ("comment", "feedback"),
    },
}

# Distinctive headers: seeing one makes a kind very likely (the id fields are too generic on their own).
KIND_HINTS: dict[str, tuple[str, ...]] = {
    "leads": ("lifecycle stage", "lead status", "original source", "became a marketing qualified lead date"),
    "opportunities": ("stage", "probability", "close date", "opportunity name", "deal stage"),
    "stage_history": ("to stage", "from stage"),
    "activities": ("activity type", "subject", "call result", "duration min"),
    "orders": ("invoice no", "invoice date", "order date", "qty", "gross profit"),
    "products": ("gross margin %", "launch date", "list price"),
    "accounts": ("wallet estimate", "customer since", "billing country"),
    "spend": ("period", "memo", "class", "department"),
    "headcount": ("employee #", "hire date", "employment status", "job title"),
    "nps": ("score", "response id"),
}

OUTCOME_WORDS = {
    "won": ("closed won", "won", "closedwon", "ganada", "cerrada ganada", "ganho", "fechado ganho"),
    "lost": ("closed lost", "lost", "closedlost", "perdida", "cerrada perdida", "perdido", "fechado perdido"),
}
LEAD_STATUS_WORDS = {
    "converted": ("open deal", "converted", "customer", "opportunity"),
    "disqualified": ("unqualified", "disqualified", "bad timing", "junk", "other"),
    "qualified": (
        "connected",
        "in progress",
        "qualified",
        "sql",
        "mql",
        "salesqualifiedlead",
        "marketingqualifiedlead",
    ),
}
# (role class, words in the title) — first match wins, so specific roles come before general ones.
ROLE_WORDS = (
    ("sales_ops", ("sales operations", "sales ops", "revenue operations", "revops")),
    ("marketing_ops", ("marketing operations", "marketing ops", "martech")),
    ("field_marketing", ("field marketing", "event marketing")),
    (
        "sales_other",
        ("sales development", "sdr", "bdr", "business development", "sales engineer", "sales manager", "vp sales"),
    ),
    ("quota_seller", ("account executive", "ae", "sales rep", "account manager", "territory", "sales agent")),
    ("marketing_other", ("marketing", "cmo", "demand gen", "content", "brand")),
)
PEOPLE_COST_WORDS = ("salar", "wage", "commission", "bonus", "benefit", "payroll")
TRUE_WORDS = ("true", "yes", "y", "1", "won", "x", "t")
FALSE_WORDS = ("false", "no", "n", "0", "lost", "f")
NULL_TOKENS = ("", "na", "n/a", "null", "none", "\\n", "-", "--", "nan", "#n/a")
