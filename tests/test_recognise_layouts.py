"""Rules for exports whose layout is the hard part (core/imports/recognise.py): order lines carrying their order's
amount, files that count the kind's rows on each row, ... each on a small frame written here."""

from __future__ import annotations

import duckdb

from core.imports.casting import quote
from core.imports.mapping import classify_value
from core.imports.reading import read_upload
from core.imports.reshape import find_wide, unpivot
from tests.rawtables import recognised

# ---- an order's amount repeated on each of its lines is no line's amount ------------------------------------


def test_an_order_total_repeated_on_each_line_is_not_the_line_amount():
    """Order 1001 has two lines (2 x 24.00 and 1 x 30.00) and its Subtotal 78.00, shipping, tax and Total on both:
    the order's, not a line's (Total adds shipping and tax to Subtotal, which made Subtotal the goods sold). The
    lines' amounts are their quantity x price."""
    header = ["Order ID", "Created at", "Subtotal", "Shipping", "Taxes", "Total", "Lineitem quantity",
              "Lineitem name", "Lineitem price"]  # fmt: skip
    rows = [
        ["1001", "2024-04-02", "78.00", "6.95", "6.24", "91.19", "2", "Pour-over cone", "24.00"],
        ["1001", "2024-04-02", "78.00", "6.95", "6.24", "91.19", "1", "Beans 340g", "30.00"],
        ["1002", "2024-04-02", "45.00", "6.95", "3.60", "55.55", "3", "Beans 340g", "15.00"],
        ["1003", "2024-04-05", "64.00", "0.00", "0.00", "64.00", "1", "Kettle", "64.00"],
        ["1004", "2024-04-09", "120.00", "0.00", "9.60", "129.60", "1", "Subscription", "90.00"],
        ["1004", "2024-04-09", "120.00", "0.00", "9.60", "129.60", "2", "Mug", "15.00"],
    ]
    recognition = recognised(header, rows, "orders.csv")
    assert recognition.kind == "orders"
    assert recognition.choices["quantity"].column == "Lineitem quantity"
    assert recognition.choices["unit_price"].column == "Lineitem price"
    assert "amount" not in recognition.choices


def test_a_line_amount_that_differs_from_the_next_line_is_kept():
    """The same layout with each line's own total (48.00, then 30.00): the amount stays the line's."""
    header = ["Order ID", "Created at", "Line Total", "Quantity", "Item", "Unit Price"]
    rows = [
        ["1001", "2024-04-02", "48.00", "2", "Pour-over cone", "24.00"],
        ["1001", "2024-04-02", "30.00", "1", "Beans 340g", "30.00"],
        ["1002", "2024-04-02", "45.00", "3", "Beans 340g", "15.00"],
        ["1003", "2024-04-05", "64.00", "1", "Kettle", "64.00"],
        ["1004", "2024-04-09", "20.00", "1", "Mug", "20.00"],
        ["1004", "2024-04-09", "20.00", "1", "Mug lid", "18.00"],
    ]
    recognition = recognised(header, rows, "orders.csv")
    assert recognition.choices["amount"].column == "Line Total"


# ---- a file that counts the kind's rows on each row holds them, it is not them -------------------------------


def test_a_count_of_orders_on_each_row_says_the_rows_are_not_orders():
    """A shop's customer profiles: a first order date and a total spent fit an order, but `Order Count` counts
    each customer's orders."""
    header = ["Email", "First Order Date", "Last Order Date", "Order Count", "Total Spent", "Country"]
    rows = [
        ["maya@example.com", "2023-11-18", "2024-04-09", "4", "412.50", "US"],
        ["theo@example.com", "2024-04-02", "2024-04-14", "2", "83.09", "US"],
        ["ines@example.com", "2024-04-05", "2024-04-05", "1", "0.00", "US"],
        ["oren@example.com", "2022-12-03", "2024-04-11", "3", "196.20", "US"],
        ["priya@example.com", "2024-03-21", "2024-03-21", "1", "24.00", "US"],
    ]
    recognition = recognised(header, rows, "profiles.csv")
    assert recognition.kind != "orders"
    as_orders = recognised(header, rows, "profiles.csv", "orders")
    assert "'Order Count' counts them" in as_orders.reason


# ---- what a column of numbers identifies is named in words beside it ---------------------------------------


def test_a_campaign_of_numbers_gives_way_to_its_name_in_words():
    """An ad report by day and campaign: `campaign` holds the campaign's numeric id, `campaign_name` its name."""
    header = ["date", "campaign", "campaign_name", "clicks", "impressions", "spent", "currency"]
    rows = [
        ["2024-09-01", "31004117", "US - Desktop - Whitepaper", "412", "198340", "226.60", "USD"],
        ["2024-09-01", "31004121", "US - Mobile - Webinar", "655", "402112", "294.75", "USD"],
        ["2024-09-02", "31004117", "US - Desktop - Whitepaper", "398", "190020", "218.90", "USD"],
        ["2024-09-02", "31004121", "US - Mobile - Webinar", "701", "420560", "315.45", "USD"],
        ["2024-09-03", "31004117", "US - Desktop - Whitepaper", "430", "204410", "236.50", "USD"],
    ]
    recognition = recognised(header, rows, "campaign_day_report.csv")
    assert recognition.kind == "spend"
    assert recognition.choices["campaign"].column == "campaign_name"


# ---- a code is an identifier as an id is ------------------------------------------------------------------


def test_a_customer_code_keys_the_customer_over_its_name():
    """A till's sales: `Customer Code` (CAFE-0007) is what the customer is known by; `Customer Name` names it."""
    header = ["Date", "Receipt Number", "Customer Code", "Customer Name", "Quantity", "Total", "Details"]
    rows = [
        ["2024-07-01 09:12:44", "1001", "CAFE-0007", "Lindenhof Cafe", "3", "31.50", "Oat Flat White"],
        ["2024-07-01 11:40:02", "1002", "RET-0451", "Marta Silva", "1", "20.70", "House Blend 500g"],
        ["2024-07-02 08:05:19", "1003", "CORP-0012", "Brightwell Foods", "6", "69.00", "Cold Brew Growler"],
        ["2024-07-02 15:22:50", "1004", "CAFE-0007", "Lindenhof Cafe", "-1", "-14.50", "Banana Bread Loaf"],
        ["2024-07-03 10:31:07", "1005", "CORP-0012", "Brightwell Foods", "2", "29.00", "Banana Bread Loaf"],
    ]
    recognition = recognised(header, rows, "sales_history.csv")
    assert recognition.kind == "orders"
    assert recognition.choices["account_id"].column == "Customer Code"


def test_a_ledger_account_code_is_no_customer_code():
    """An invoice export's `AccountCode` is the ledger account the sale is booked to (200 on every line), not the
    customer's: `ContactName` names the customer."""
    header = ["ContactName", "InvoiceNumber", "InvoiceDate", "Quantity", "UnitAmount", "LineAmount", "AccountCode"]
    rows = [
        ["Brightmoor Ltd", "INV-0231", "15/01/2024", "1", "2500.00", "2500.00", "200"],
        ["Calder Print", "INV-0232", "17/01/2024", "2", "450.00", "900.00", "200"],
        ["Harrow Dental", "INV-0233", "22/01/2024", "1", "1200.00", "1200.00", "200"],
        ["Brightmoor Ltd", "INV-0234", "01/02/2024", "3", "100.00", "300.00", "260"],
        ["Ouse Analytics", "INV-0235", "05/02/2024", "1", "2500.00", "2500.00", "200"],
    ]
    recognition = recognised(header, rows, "Invoices_Export.csv")
    assert recognition.kind == "orders"
    assert recognition.choices["account_id"].column == "ContactName"


# ---- only deals are won -------------------------------------------------------------------------------------


def test_a_file_named_as_won_leads_holds_deals():
    """A CRM that calls its deals leads, exported as its won list: a value, products and a close date on each row;
    the file's name says they were won, which a deal is and a lead is not (a lead is converted)."""
    header = ["Lead number", "Lead name", "Company", "Assignee", "Value", "Currency", "Products", "Sources",
              "Created", "Closed"]  # fmt: skip
    rows = [
        ["1042", "Fleet analytics rollout", "Hafenblick Logistik", "Priya Shah", "$24,000.00", "USD",
         "Analytics Suite", "Webinar", "01/08/2024", "02/19/2024"],
        ["1047", "Clinic reporting pilot", "Altmuhl Dental", "Tom Ellis", "$6,500.00", "USD", "Starter Plan",
         "Website form", "01/15/2024", "02/05/2024"],
        ["1051", "Data team expansion", "Nordkap Software", "Priya Shah", "$18,200.00", "USD", "Analytics Suite",
         "Referral", "01/22/2024", "03/28/2024"],
        ["1063", "Plant KPI dashboards", "Bruckner & Sohne", "Tom Ellis", "$31,750.00", "USD", "Onboarding",
         "Trade show", "02/02/2024", "04/12/2024"],
        ["1070", "Second site licence", "Hafenblick Logistik", "Priya Shah", "$9,800.00", "USD", "Starter Plan",
         "Existing customer", "03/04/2024", "03/22/2024"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "won_leads_2024.csv")
    assert recognition.kind == "opportunities"
    assert recognition.constants["outcome"] == "won"
    as_leads = recognised(header, rows, "won_leads_2024.csv", "leads")
    assert "its name says its rows were won ('won')" in as_leads.reason


# ---- companies without an id are known by their names -------------------------------------------------------


def test_companies_without_an_id_are_keyed_by_their_names():
    """A CRM's companies export with no id column: each company is named once, and its name is what deals call
    it, so the name is the key (without one no row could be loaded)."""
    header = ["Name", "Industry", "Number of employees", "Annual revenue", "Territory", "Created"]
    rows = [
        ["Hafenblick Logistik", "Transportation", "85", "$14,500,000", "EMEA", "11/20/2023"],
        ["Altmuhl Dental", "Healthcare", "9", "$1,200,000", "EMEA", "01/10/2024"],
        ["Nordkap Software", "Software", "38", "$6,800,000", "EMEA", "12/02/2023"],
        ["Bruckner & Sohne", "Manufacturing", "240", "$52,000,000", "EMEA", "10/15/2023"],
        ["Verda Agritech", "Agriculture", "54", "$9,100,000", "Americas", "02/27/2024"],
    ]
    recognition = recognised(header, rows, "companies.csv")
    assert recognition.kind == "accounts"
    assert recognition.choices["account_id"].column == "Name"
    assert "a different name on every row" in recognition.choices["account_id"].reason
    repeated = [*rows, ["Verda Agritech", "Agriculture", "54", "$9,100,000", "Americas", "02/28/2024"]]
    made_up = recognised(header, repeated, "companies.csv")
    assert "account_id" not in made_up.choices
    assert made_up.surrogate == "account_id"  # each row gets a made-up id, so the rows still load


# ---- a budget sheet's subtotal and total rows are sums of its lines -----------------------------------------

BUDGET_SHEET = """\
Northwind Analytics Inc.
FY2025 Marketing Budget - Q1
,,,,,,
Category,Channel,Jan 2025,Feb 2025,Mar 2025,Q1 2025,Owner
PROGRAMS,,,,,,
Programs,Paid Search,"18,000","18,000","20,000","56,000",Dana
Programs,Events,"5,000","25,000","8,000","38,000",Marco
Programs subtotal,,"23,000","43,000","28,000","94,000",
PEOPLE,,,,,,
People,Salaries & Benefits,"96,000","96,000","96,000","288,000",Finance
TOTAL MARKETING,,"119,000","139,000","124,000","382,000",
"Prepared by FP&A, approved 12 Dec 2024.",,,,,,
"""


def test_a_budget_sheets_subtotal_and_total_rows_are_not_spend_lines():
    """Three lines of three months sum to 382,000. `Programs subtotal` and `TOTAL MARKETING` add up the lines above
    them: as lines of their own they would count 382,000 three times over. They are listed as rejected with the
    reason, as are the group headers (PROGRAMS, PEOPLE: no amounts) and the footer note."""
    con = duckdb.connect()
    (raw,) = read_upload(con, "budget.csv", BUDGET_SHEET.encode())
    reshape = find_wide(con, raw)
    assert reshape is not None and reshape.value_columns == ["Jan 2025", "Feb 2025", "Mar 2025"]
    assert (reshape.rows_out, reshape.total_rows) == (9, 2)
    assert "2 rows labelled as a total or subtotal of the lines above listed as rejected" in reshape.description
    reshaped = unpivot(con, raw, reshape)
    (total,) = con.execute(
        f"SELECT sum(CAST(replace(Amount, ',', '') AS DOUBLE)) FROM {quote(reshaped.table)}"
    ).fetchone()
    assert total == 382_000
    reasons = {row.content.split(",")[0]: row.reason for row in reshaped.rejected}
    assert (
        reasons["Programs subtotal"]
        == reasons["TOTAL MARKETING"]
        == ("its label says it is a total or subtotal of the lines above")
    )
    assert reshaped.rows_read == reshaped.rows_loaded + len(reshaped.rejected)


def test_a_value_that_is_a_class_itself_is_that_class():
    """A budget's Category column holds `People` and `Programs`: the spend categories themselves."""
    assert classify_value("spend", "category", "People") == "people"
    assert classify_value("spend", "category", "Programs") == "programs"
    assert classify_value("spend", "function", "Marketing") == "marketing"


def test_the_files_own_word_for_its_rows_names_their_id_and_name():
    """Deals a CRM calls leads: once the rows are read as deals, `Lead number` and `Lead name` are the deal's own
    number and name (the file calls its rows leads), not a lead's id."""
    header = ["Lead number", "Lead name", "Company", "Value", "Currency", "Created", "Closed"]
    rows = [
        ["1042", "Fleet analytics rollout", "Hafenblick Logistik", "$24,000.00", "USD", "01/08/2024", "02/19/2024"],
        ["1047", "Clinic reporting pilot", "Altmuhl Dental", "$6,500.00", "USD", "01/15/2024", "02/05/2024"],
        ["1051", "Data team expansion", "Nordkap Software", "$18,200.00", "USD", "01/22/2024", "03/28/2024"],
        ["1063", "Plant KPI dashboards", "Bruckner & Sohne", "$31,750.00", "USD", "02/02/2024", "04/12/2024"],
        ["1070", "Second site licence", "Hafenblick Logistik", "$9,800.00", "USD", "03/04/2024", "03/22/2024"],
    ]
    recognition = recognised(header, rows, "won_leads_2024.csv", "opportunities")
    assert recognition.choices["opportunity_id"].column == "Lead number"
    assert recognition.choices["name"].column == "Lead name"
    assert "lead_id" not in recognition.choices
