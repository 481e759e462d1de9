"""Rules found on published sample and demo files (fake people, real layouts: Datablist's samples, demo CRMs, a
data room's billing tables), each on a small frame written here: the values read, the field or the kind chosen."""

from __future__ import annotations

import duckdb

from core.imports.casting import date_column, number_sql
from tests.rawtables import recognised


def _columns(recognition) -> dict[str, str]:
    return {name: choice.column for name, choice in recognition.choices.items()}


# ---- values ----------------------------------------------------------------------------------------------------


def test_a_timestamp_that_names_its_zone_utc_is_read():
    """BigQuery writes timestamps into CSV as `2023-09-06 15:23:12.000000 UTC` (a mock Salesforce export)."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES ('2023-09-06 15:23:12.000000 UTC'), ('2023-09-10 09:13:29 UTC')) v(d)"
    )
    read = date_column(con, "t", "d", '"d"')
    got = con.execute(f"SELECT strftime({read.sql}, '%Y-%m-%d %H:%M:%S') FROM t").fetchall()
    assert [row[0] for row in got] == ["2023-09-06 15:23:12", "2023-09-10 09:13:29"]


# ---- which column is which field -------------------------------------------------------------------------------


INVOICES = ["invoice_id", "customer_ref", "invoice_date", "amount_usd", "status", "currency"]
INVOICE_ROWS = [
    ["in_000000001", "cus_000000500001", "2023-09-01", "22644.22", "paid", "USD"],
    ["in_000000002", "cus_000000500001", "2024-08-31", "24768.80", "paid", "USD"],
    ["in_000000003", "cus_000000500002", "2022-12-24", "3502.44", "paid", "USD"],
    ["in_000000004", "cus_000000500002", "2023-12-23", "3783.32", "refunded", "USD"],
    ["in_000000005", "cus_000000500003", "2023-03-03", "28532.77", "void", "USD"],
]


def test_a_customer_reference_is_the_customer_an_invoice_bills():
    """`customer_ref` keys the customer as `Customer Code` or `Customer ID` does."""
    recognition = recognised(INVOICES, INVOICE_ROWS, "billing_invoices.csv")
    assert recognition.kind == "orders"
    assert _columns(recognition)["account_id"] == "customer_ref"


def test_a_billing_customer_list_is_accounts():
    """A billing system's customers: a reference, a company name, the dates of first and last invoices."""
    header = ["customer_ref", "company_name", "billing_email", "first_invoice_date", "last_paid_invoice_date",
              "contract_type"]  # fmt: skip
    rows = [
        ["cus_000000500506", "Verdigris Atlas Systems", "ap@verdigris.com", "2026-01-09", "2026-08-03", "monthly"],
        ["cus_000000500908", "Northgate Nimbus", "ap@northgate.com", "2023-09-16", "2025-09-17", "annual"],
        ["cus_000000500195", "Grupo Pena Analytics", "ap@grupo.com", "2023-08-17", "2026-05-14", "usage"],
        ["cus_000000500960", "Ferreira Servicos", "ap@ferreira.com", "2023-10-01", "2026-04-27", "usage"],
        ["cus_000000500220", "Quarry Onyx Holdings", "ap@quarry.com", "2025-05-13", "2026-05-15", "annual"],
    ]
    recognition = recognised(header, rows, "billing_customers.csv")
    assert recognition.kind == "accounts"
    assert _columns(recognition) == {"account_id": "customer_ref", "name": "company_name"}


def test_a_contact_s_last_name_keys_no_customer():
    """The widely copied `sales_data_sample.csv` (order lines of a model-car seller): `CUSTOMERNAME` is who bought;
    `CONTACTLASTNAME`, one part of a person's name, is no key to anyone even though its single words look like
    codes beside the customers' names with spaces."""
    header = ["ORDERNUMBER", "QUANTITYORDERED", "PRICEEACH", "SALES", "ORDERDATE", "PRODUCTCODE", "CUSTOMERNAME",
              "CONTACTLASTNAME", "CONTACTFIRSTNAME"]  # fmt: skip
    rows = [
        ["10107", "30", "95.7", "2871", "2/24/2003 0:00", "S10_1678", "Land of Toys Inc.", "Yu", "Kwai"],
        ["10121", "34", "81.35", "2765.9", "5/7/2003 0:00", "S10_1678", "Reims Collectables", "Henriot", "Paul"],
        ["10134", "41", "94.74", "3884.34", "7/1/2003 0:00", "S10_1678", "Lyon Souveniers", "Da Cunha", "Daniel"],
        ["10145", "45", "83.26", "3746.7", "8/25/2003 0:00", "S10_1678", "Toys4GrownUps.com", "Young", "Julie"],
        ["10159", "49", "100", "5205.27", "10/10/2003 0:00", "S10_1678", "Corporate Gift Ideas Co.", "Brown", "Julie"],
        ["10168", "36", "96.66", "3479.76", "10/28/2003 0:00", "S10_1678", "Technics Stores Inc.", "Hirano", "Juri"],
        ["10180", "29", "86.13", "2497.77", "11/11/2003 0:00", "S10_1678", "Daedalus Designs Imports", "Rance",
         "Martine"],
        ["10188", "48", "100", "5512.32", "11/18/2003 0:00", "S10_1678", "Herkku Gifts", "Oeztan", "Veysel"],
        ["10201", "22", "98.57", "2168.54", "12/1/2003 0:00", "S10_1678", "Mini Wheels Co.", "Murphy", "Julie"],
        ["10211", "41", "100", "4708.44", "1/15/2004 0:00", "S10_1678", "Auto Canal Petit", "Perrier", "Dominique"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "sales_data_sample.csv")
    assert recognition.kind == "orders"
    assert _columns(recognition)["account_id"] == "CUSTOMERNAME"
    assert "CONTACTLASTNAME" not in _columns(recognition).values()


def test_a_list_of_consumers_with_their_birth_year_and_income_is_no_spend_and_no_companies():
    """The widely used `marketing_campaign.csv` (a retailer's customers, tab-separated): its name says campaign and
    it has a constant `Z_CostContact`, but each row is a person (birth year, marital status, education, income),
    so it is neither marketing spend nor a list of companies: not recognised."""
    header = ["ID", "Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome", "Dt_Customer", "Recency", "MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts", "MntSweetProducts", "MntGoldProds", "NumDealsPurchases", "NumWebPurchases", "NumCatalogPurchases", "NumStorePurchases", "NumWebVisitsMonth", "AcceptedCmp3", "AcceptedCmp4", "AcceptedCmp5", "AcceptedCmp1", "AcceptedCmp2", "Complain", "Z_CostContact", "Z_Revenue", "Response"]  # fmt: skip
    rows = [
        ["5524", "1957", "Graduation", "Single", "58138", "0", "0", "04-09-2012", "58", "635", "88", "546", "172", "88", "88", "3", "8", "10", "4", "7", "0", "0", "0", "0", "0", "0", "3", "11", "1"],
        ["2174", "1954", "Graduation", "Single", "46344", "1", "1", "08-03-2014", "38", "11", "1", "6", "2", "1", "6", "2", "1", "1", "2", "5", "0", "0", "0", "0", "0", "0", "3", "11", "0"],
        ["4141", "1965", "Graduation", "Together", "71613", "0", "0", "21-08-2013", "26", "426", "49", "127", "111", "21", "42", "1", "8", "2", "10", "4", "0", "0", "0", "0", "0", "0", "3", "11", "0"],
        ["6182", "1984", "Graduation", "Together", "26646", "1", "0", "10-02-2014", "26", "11", "4", "20", "10", "3", "5", "2", "2", "0", "4", "6", "0", "0", "0", "0", "0", "0", "3", "11", "0"],
        ["5324", "1981", "PhD", "Married", "58293", "1", "0", "19-01-2014", "94", "173", "43", "118", "46", "27", "15", "5", "5", "3", "6", "5", "0", "0", "0", "0", "0", "0", "3", "11", "0"],
        ["7446", "1967", "Master", "Together", "62513", "0", "1", "09-09-2013", "16", "520", "42", "98", "0", "42", "14", "2", "6", "4", "10", "6", "0", "0", "0", "0", "0", "0", "3", "11", "0"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "marketing_campaign.csv")
    assert recognition.kind is None
    as_spend = recognised(header, rows, "marketing_campaign.csv", "spend")
    assert "but 'Year_Birth' and 'Education' describe people, so each row is a person" in as_spend.reason


def test_a_lead_list_s_stage_of_lead_statuses_and_deal_stages_is_the_lead_status():
    """Datablist's leads: `Deal Stage` says how far each lead got, from New Lead through Proposal Sent to Closed
    Won; a leads file with no other status column keeps it as the lead's status."""
    header = ["Index", "Lead Owner", "First Name", "Last Name", "Company", "Email 1", "Source", "Deal Stage"]
    stages = ["New Lead", "Closed Won", "Contacted", "Proposal Sent", "Closed Lost", "On Hold", "Disqualified",
              "Qualified", "Negotiation", "Closed Won"]  # fmt: skip
    rows = [
        [str(i + 1), f"Owner {i % 3}", f"First{i}", f"Last{i}", f"Company {i}", f"p{i}@example.com", "Referral", s]
        for i, s in enumerate(stages)
    ]
    recognition = recognised(header, rows, "leads-100.csv")
    assert recognition.kind == "leads"
    assert _columns(recognition)["status"] == "Deal Stage"


def test_deal_stages_alone_are_no_lead_status():
    """A column of deal stages only (no New, Contacted or Qualified) says nothing of a lead's status."""
    header = ["Lead ID", "Email", "Source", "Deal Stage"]
    stages = ["Proposal Sent", "Closed Won", "Negotiation", "Closed Lost", "Proposal Sent", "Negotiation"]
    rows = [[f"L{i}", f"p{i}@example.com", "Referral", s] for i, s in enumerate(stages)]
    recognition = recognised(header, rows, "leads.csv", "leads")
    assert "status" not in _columns(recognition)


BAND_HEADER = ["lead_id", "created_date", "source", "status", "industry", "company_size"]
BAND_ROWS = [
    ["LD-2024-001", "2024-01-03", "Organic Search", "Converted", "Technology", "51-200"],
    ["LD-2024-002", "2024-01-03", "Paid Social", "Converted", "Healthcare", "201-500"],
    ["LD-2024-003", "2024-01-04", "Email", "Qualified", "Manufacturing", "11-50"],
    ["LD-2024-004", "2024-01-05", "Webinar", "Converted", "Financial Services", "501-1000"],
    ["LD-2024-005", "2024-01-05", "Paid Search", "Qualified", "Education", "1-10"],
]


def test_a_company_size_band_is_the_head_count_when_no_column_counts_it():
    """`company_size` written as bands (`51-200`) is the only word on the company's head count."""
    recognition = recognised(BAND_HEADER, BAND_ROWS, "leads_dataset.csv")
    assert recognition.kind == "leads"
    assert _columns(recognition)["employees"] == "company_size"


def test_a_head_count_band_is_read_as_its_lower_bound():
    con = duckdb.connect()
    values = ["51-200", "1,000 - 5,000", "501–1000", "3498"]
    got = con.execute(
        f"SELECT {number_sql('v', leading_number=True)} FROM (SELECT unnest(?::VARCHAR[]) AS v)", [values]
    )
    assert [row[0] for row in got.fetchall()] == [51.0, 1000.0, 501.0, 3498.0]
