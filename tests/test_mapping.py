"""Recognising a raw table's kind and mapping its columns, for the header sets of each vendor."""

from __future__ import annotations

import re

import duckdb
import pytest

from core.imports.check import LOW_CONFIDENCE
from core.imports.mapping import classify_value, detect_kind, propose_mapping
from core.imports.reading import RawTable, normalise_header


def raw_table(con: duckdb.DuckDBPyConnection, columns: list[str], rows: list[list[str | None]]) -> RawTable:
    """A raw table as core.imports.reading makes it: every column VARCHAR, plus the source line."""
    table = f"raw_{len(con.execute('SHOW TABLES').fetchall())}"
    definition = ", ".join(f'"{c}" VARCHAR' for c in columns)
    con.execute(f'CREATE TABLE "{table}" ({definition}, _line BIGINT)')
    marks = ", ".join("?" for _ in range(len(columns) + 1))
    con.executemany(f'INSERT INTO "{table}" VALUES ({marks})', [[*row, n + 2] for n, row in enumerate(rows)])
    return RawTable(source="test.csv", table=table, columns=columns, original_columns=columns,
                    rows_read=len(rows), rows_loaded=len(rows), rejected=[], encoding="utf-8", delimiter=",",
                    header_line=1, notes=[])  # fmt: skip


def rows_like(columns: list[str], n: int = 20) -> list[list[str]]:
    """Plausible values for each header, as a real export holds them: dates for dates, money for amounts, stage
    and status words, currency codes, e-mail addresses, 0-10 scores (a survey's numbered question too), purposes
    in a ledger's class and distinct ids for ids."""

    def value(column: str, i: int) -> str:
        name = normalise_header(column)
        words = set(name.split())
        if "email" in name:
            return f"person{i}@example.com"
        if "currency" in name:
            return ("USD", "EUR", "GBP")[i % 3]
        if "stage" in name:
            return ("Prospecting", "Negotiation/Review", "Closed Won", "Closed Lost")[i % 4]
        if "status" in name or "lifecycle" in name:
            return ("Open", "Working", "Qualified", "Unqualified")[i % 4]
        if "probability" in name or "fte" in name:
            return str(10 * (i % 10))
        if "margin" in name:
            return f"0.{10 + i}"
        if "class" in words or "purpose" in words:  # a ledger's class, used for the purpose of a program
            return ("Acquisition", "Nurture", "Retention", "Win-back")[i % 4]
        if "score" in name or "recommend" in name or re.fullmatch(r"q\d+", name):  # a survey's Q1: the 0-10 answer
            return str(i % 11)
            return str(i % 11)
        if any(w in name for w in ("date", "time", "created", "period", "since")) or words & {"at", "on", "when"}:
            return f"2024-0{1 + i % 9}-1{i % 10}"
        if words & {"closed", "won", "isclosed", "iswon"}:
            return "true" if i % 2 else "false"
        if any(w in name for w in ("amount", "value", "price", "revenue", "spent", "profit", "sales", "cost", "%")):
            return f"{100 + i * 7}.50"
        if any(w in name for w in ("employees", "quantity", "qty", "duration", "estimate")):
            return str(5 + i)
        if words & {"id", "no", "number"} or name.endswith("id") or "#" in name:
            return f"{column[:2].upper()}{1000 + i}"
        return f"{column.title()} {i % 5}"

    return [[value(column, i) for column in columns] for i in range(n)]


def test_normalise_header():
    assert normalise_header("Deal - Créated  Date") == "created date"
    assert normalise_header("Obchod - Fáze") == "faze"
    assert normalise_header("Probability (%)") == "probability %"
    assert normalise_header("Properties: Lead Status") == "lead status"
    assert normalise_header("hs_object_id") == "hs object id"
    assert normalise_header("Employee #") == "employee #"


VENDORS = {
    "salesforce report": (
        ["Opportunity ID", "Opportunity Name", "Account ID", "Stage", "Amount", "Probability (%)", "Close Date",
         "Created Date", "Closed", "Won", "Lead Source", "Opportunity Owner"],
        "opportunities",
        {"opportunity_id": "Opportunity ID", "stage": "Stage", "amount": "Amount", "probability": "Probability (%)",
         "is_won": "Won", "is_closed": "Closed", "owner": "Opportunity Owner", "close_date": "Close Date"},
    ),
    "salesforce api names": (
        ["Id", "Name", "AccountId", "StageName", "Amount", "CloseDate", "CreatedDate", "IsClosed", "IsWon",
         "CurrencyIsoCode", "OwnerId"],
        "opportunities",
        {"opportunity_id": "Id", "account_id": "AccountId", "stage": "StageName", "is_won": "IsWon",
         "currency": "CurrencyIsoCode", "created_at": "CreatedDate"},
    ),
    "hubspot deals": (
        ["Record ID", "Deal Name", "Deal Stage", "Amount", "Create Date", "Close Date", "Deal owner", "Pipeline"],
        "opportunities",
        {"opportunity_id": "Record ID", "name": "Deal Name", "stage": "Deal Stage", "owner": "Deal owner"},
    ),
    "pipedrive": (
        ["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Currency", "Deal - Stage", "Deal - Status",
         "Deal - Won time", "Deal - Deal created", "Deal - Organization", "Deal - Owner"],
        "opportunities",
        {"opportunity_id": "Deal - ID", "amount": "Deal - Value", "stage": "Deal - Stage",
         "outcome": "Deal - Status", "close_date": "Deal - Won time", "created_at": "Deal - Deal created",
         "account_id": "Deal - Organization"},
    ),
    "hubspot contacts": (
        ["Record ID", "First Name", "Email", "Create Date", "Lifecycle Stage", "Lead Status", "Original Source",
         "Became a Marketing Qualified Lead Date", "Associated Company ID", "Contact owner"],
        "leads",
        {"lead_id": "Record ID", "status": "Lead Status", "source": "Original Source",
         "qualified_at": "Became a Marketing Qualified Lead Date", "account_id": "Associated Company ID"},
    ),
    "marketo": (
        ["id", "createdAt", "leadSource", "leadStatus", "leadScore", "acquisitionProgramId", "email"],
        "leads",
        {"lead_id": "id", "created_at": "createdAt", "source": "leadSource", "status": "leadStatus",
         "campaign": "acquisitionProgramId"},
    ),
    "bamboohr": (
        ["Employee #", "First Name", "Job Title", "Department", "Division", "Hire Date", "Employment Status",
         "Termination Date", "Reporting to"],
        "headcount",
        {"employee_id": "Employee #", "title": "Job Title", "department": "Department", "hire_date": "Hire Date"},
    ),
    "workday": (
        ["Employee_ID", "Full_Name", "Business Title", "Supervisory Organization", "Start_Date", "Termination_Date",
         "Manager_Name"],
        "headcount",
        {"employee_id": "Employee_ID", "title": "Business Title", "department": "Supervisory Organization",
         "hire_date": "Start_Date"},
    ),
    "rippling": (
        ["employee_number", "first_name", "job_title", "department_name", "employment_status", "start_date"],
        "headcount",
        {"employee_id": "employee_number", "title": "job_title", "department": "department_name"},
    ),
    "netsuite": (
        ["Period", "Account", "Department", "Class", "Subsidiary", "Amount", "Memo"],
        "spend",
        {"period": "Period", "amount": "Amount", "account": "Account", "purpose": "Class", "memo": "Memo"},
    ),
    "quickbooks": (
        ["Transaction date", "Transaction type", "Num", "Name", "Memo/Description", "Account", "Split", "Amount"],
        "spend",
        {"period": "Transaction date", "amount": "Amount", "account": "Account"},
    ),
    "qualtrics": (
        ["StartDate", "EndDate", "RecordedDate", "ResponseId", "RecipientEmail", "ExternalReference", "Q1"],
        "nps",
        {"respondent_id": "ResponseId", "responded_at": "RecordedDate", "account_id": "ExternalReference"},
    ),
    "delighted": (
        ["Response ID", "Email", "Score", "Comment", "Created At", "Company ID"],
        "nps",
        {"respondent_id": "Response ID", "score": "Score", "comment": "Comment", "responded_at": "Created At"},
    ),
    "surveymonkey": (
        ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
         "How likely is it that you would recommend us to a friend or colleague?"],
        "nps",
        {"respondent_id": "Respondent ID", "responded_at": "End Date",
         "score": "How likely is it that you would recommend us to a friend or colleague?"},
    ),
    "salesforce history": (
        ["Opportunity ID", "Opportunity Name", "From Stage", "To Stage", "Amount", "Probability (%)", "Close Date",
         "Edit Date"],
        "stage_history",
        {"opportunity_id": "Opportunity ID", "stage": "To Stage", "changed_at": "Edit Date"},
    ),
    "salesforce activities": (
        ["Activity ID", "Activity Type", "Subject", "Date", "Duration (min)", "Assigned", "Outcome",
         "Content Shared", "Lead ID", "Opportunity ID", "Account ID"],
        "activities",
        {"activity_id": "Activity ID", "occurred_at": "Date", "duration_minutes": "Duration (min)",
         "owner": "Assigned", "material": "Content Shared", "opportunity_id": "Opportunity ID"},
    ),
    "erp invoices": (
        ["Invoice No", "Invoice Date", "Customer ID", "Customer Name", "Item", "Qty", "Line Amount", "Gross Profit",
         "Currency"],
        "orders",
        {"order_id": "Invoice No", "order_date": "Invoice Date", "account_id": "Customer ID", "product": "Item",
         "amount": "Line Amount", "margin": "Gross Profit", "quantity": "Qty"},
    ),
    "salesforce products": (
        ["Product Name", "Product Code", "Product Family", "Gross Margin %", "Launch Date", "List Price"],
        "products",
        {"product": "Product Name", "category": "Product Family", "margin_pct": "Gross Margin %"},
    ),
    "salesforce accounts": (
        ["Account ID", "Account Name", "Industry", "Employees", "Billing Country", "Region", "Annual Revenue",
         "Customer Since", "Wallet Estimate"],
        "accounts",
        {"account_id": "Account ID", "name": "Account Name", "wallet_estimate": "Wallet Estimate",
         "created_at": "Customer Since"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("vendor", VENDORS)
def test_vendor_headers_get_their_kind_and_mapping(vendor):
    columns, kind, expected = VENDORS[vendor]
    con = duckdb.connect()
    rows = rows_like(columns)
    if vendor == "salesforce history":  # each deal changes stage several times
        rows = [[f"OP{i // 3}", *row[1:]] for i, row in enumerate(rows)]
    if vendor == "salesforce products":  # a product list names each product once
        rows = [[f"Product {i}", f"PC-{1000 + i}", *row[2:]] for i, row in enumerate(rows)]
    raw = raw_table(con, columns, rows)
    assert detect_kind(con, raw)[0][0] == kind
    mapping = propose_mapping(con, raw)
    assert mapping.kind == kind
    assert {field: mapping.fields.get(field) for field in expected} == expected
    assert len(set(mapping.fields.values())) == len(mapping.fields)  # no column used twice
    assert 0.37 <= mapping.kind_confidence <= 1  # a share: a file explaining many fields is not 115% sure


def test_exact_synonym_with_fitting_values_is_certain_and_a_misfit_is_not():
    con = duckdb.connect()
    columns = ["Opportunity ID", "Stage", "Amount", "Close Date"]
    good = raw_table(con, columns, [[f"o{i}", "Won", "1,000.00", "2024-01-02"] for i in range(10)])
    bad = raw_table(con, columns, [[f"o{i}", "Won", "soon", "next week"] for i in range(10)])
    assert propose_mapping(con, good, "opportunities").confidence == {
        "opportunity_id": 1.0, "stage": 1.0, "amount": 1.0, "close_date": 1.0
    }  # fmt: skip
    weak = propose_mapping(con, bad, "opportunities")
    assert "amount" not in weak.fields and "close_date" not in weak.fields  # values that contradict the name win


def test_a_generic_header_is_low_confidence():
    con = duckdb.connect()
    columns = ["Date", "Spent", "campaign"]
    raw = raw_table(con, columns, [["31-08-2023", "1.5", "916"]] * 5)
    mapping = propose_mapping(con, raw)
    assert mapping.kind == "spend"
    assert mapping.fields["period"] == "Date" and 0.6 <= mapping.confidence["period"] < LOW_CONFIDENCE


def test_a_required_date_no_header_names_is_found_by_its_values():
    con = duckdb.connect()
    raw = raw_table(con, ["Opportunity ID", "To Stage", "when"], [[f"o{i}", "Won", "2024-01-02"] for i in range(5)])
    mapping = propose_mapping(con, raw, "stage_history")
    assert mapping.fields["changed_at"] == "when" and mapping.confidence["changed_at"] == 0.5


def test_unrelated_table_is_not_recognised():
    con = duckdb.connect()
    raw = raw_table(con, ["Table", "Field", "Description"], [["a", "b", "c"]] * 3)
    assert propose_mapping(con, raw).kind is None


@pytest.mark.parametrize(
    ("kind", "derived", "value", "expected"),
    [
        ("opportunities", "outcome", "Closed Won", "won"),
        ("opportunities", "outcome", "closedlost", "lost"),
        ("opportunities", "outcome", "Cerrada ganada", "won"),
        ("opportunities", "outcome", "Perdida", "lost"),
        ("opportunities", "outcome", "Fechado ganho", "won"),
        ("opportunities", "outcome", "Perdido", "lost"),
        ("opportunities", "outcome", "Engaging", "open"),
        ("opportunities", "outcome", "Negotiation/Review", "open"),
        ("leads", "status_class", "Unqualified", "disqualified"),
        ("leads", "status_class", "Open Deal", "converted"),
        ("leads", "status_class", "Closed - Converted", "converted"),
        ("leads", "status_class", "salesqualifiedlead", "qualified"),
        ("leads", "status_class", "Working - Contacted", "open"),
        ("headcount", "role_class", "Enterprise Account Executive", "quota_seller"),
        ("headcount", "role_class", "AE", "quota_seller"),
        ("headcount", "role_class", "Territory Sales Manager", "quota_seller"),
        ("headcount", "role_class", "Sales Development Representative", "sales_other"),
        ("headcount", "role_class", "Sales Operations Analyst", "sales_ops"),
        ("headcount", "role_class", "Marketing Operations Manager", "marketing_ops"),
        ("headcount", "role_class", "Field Marketing Manager", "field_marketing"),
        ("headcount", "role_class", "Chief Marketing Officer", "marketing_other"),
        ("headcount", "role_class", "Software Engineer", "other"),
        ("headcount", "role_class", "Vice President Sales", "sales_other"),  # Northwind's employees
        ("headcount", "role_class", "SVP, Sales", "sales_other"),
        ("headcount", "role_class", "Director of Sales", "sales_other"),
        ("headcount", "role_class", "Head of Sales", "sales_other"),
        ("headcount", "role_class", "Vice President, Sales Operations", "sales_ops"),
        ("spend", "function", "Marketing : Field Marketing", "marketing"),
        ("spend", "function", "Sales : Inside Sales", "sales"),
        ("spend", "category", "6010 Salaries & Wages", "people"),
        ("spend", "category", "6030 Payroll Taxes & Benefits", "people"),
        ("spend", "category", "6310 Paid Media", "programs"),
        ("spend", "purpose", "Win-back", "win_back"),
        ("spend", "purpose", "Nurture", "nurture"),
        ("spend", "purpose", "Office rent", None),
    ],
)
def test_value_classes(kind, derived, value, expected):
    assert classify_value(kind, derived, value) == expected


@pytest.mark.parametrize(
    ("value", "outcome"),
    [
        ("Chiusa vinta", "won"),
        ("Fermée gagnée", "won"),
        ("Abgeschlossen und verloren", "lost"),
        ("Chiusa persa", "lost"),
        ("Negoziazione", "open"),
    ],  # fmt: skip
)
def test_stages_of_italian_french_and_german_reports_give_the_outcome(value, outcome):
    assert classify_value("opportunities", "outcome", value) == outcome


def test_a_lead_status_that_is_a_deals_outcome_says_whether_the_lead_became_a_customer():
    """Datablist's sample leads carry the deal stage they reached: `Closed Won` was read as an open lead."""
    values = ["Closed Won", "Closed Lost", "Won", "Qualified", "New Lead", "Negotiation"]
    assert [classify_value("leads", "status_class", v) for v in values] == [
        "converted",
        "disqualified",
        "converted",
        "qualified",
        "open",
        "open",
    ]
