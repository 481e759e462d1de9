"""Rules that recognise exports from systems the corpus met later (ad platforms, payment processors, carts,
ledgers, lead databases), each on a small frame written here: the words a header stands for, the field or the
kind chosen, and the values read."""

from __future__ import annotations

import csv

import duckdb

from core.imports.casting import date_column, decide_decimal, number_sql, sql_literal
from core.imports.names import phrase, similarity
from core.ingest import load_paths
from tests.rawtables import recognised, write_csv


def _columns(recognition) -> dict[str, str]:
    return {name: choice.column for name, choice in recognition.choices.items()}


# ---- header words ----------------------------------------------------------------------------------------------


def test_a_parenthesised_unit_says_nothing_about_the_column():
    """ZoomInfo's `Revenue (in 000s USD)` is revenue; a parenthesis that is not a unit stays."""
    assert phrase("Revenue (in 000s USD)") == "revenue"
    assert phrase("Spend (EUR)") == "spend"
    assert phrase("Total cost ($)") == "total cost"
    assert phrase("Grand Total (Purchased)") == "grand total purchased"
    assert phrase("Probability (%)") == "probability percent"


def test_with_or_without_tax_qualifies_an_amount_rather_than_naming_the_tax():
    assert phrase("Order Total (inc tax)") == "order total gross"
    assert phrase("Subtotal (ex tax)") == "subtotal net"
    assert phrase("Avant commission") == "gross"  # PayPal (French): the amount before PayPal's fee


def test_a_shorter_word_the_other_begins_with_is_no_misspelling():
    """`Custom Number` (a free reference) is no `Customer Number`; `Recieved Date` still is `Received Date`."""
    assert similarity(phrase("Custom Number"), "customer number") == 0.0
    assert similarity("recieved date", "received date") >= 0.86


# ---- which column is which field -------------------------------------------------------------------------------


BIGCOMMERCE = ["Order ID", "Customer ID", "Order Date", "Order Total (inc tax)", "Order Total (ex tax)",
               "Gift Certificate Amount Redeemed", "Total Quantity", "Exchange Rate", "Product Details"]  # fmt: skip


def test_an_order_total_with_tax_is_the_amount_and_a_redeemed_gift_certificate_is_not():
    """BigCommerce: the total `(inc tax)` is the sale (not a tax), a gift certificate redeemed pays for it (not
    the sale), an exchange rate is no price and a cell packing several products' details is no product."""
    rows = [
        ["1840", "301", "09/02/2024", "121.00", "110.00", "0.00", "2", "1.0000000000",
         "Product ID: 77, Product Qty: 2, Product SKU: KB-77, Product Name: Keyboard, Product Unit Price: 55.00"],
        ["1841", "302", "09/03/2024", "264.00", "240.00", "25.00", "1", "1.0000000000",
         "Product ID: 78, Product Qty: 1, Product SKU: KB-78, Product Name: Mouse pad, Product Unit Price: 240.00"],
        ["1842", "0", "09/04/2024", "55.00", "50.00", "0.00", "1", "1.0000000000",
         "Product ID: 79, Product Qty: 1, Product SKU: KB-79, Product Name: Cable set, Product Unit Price: 50.00"],
    ]  # fmt: skip
    recognition = recognised(BIGCOMMERCE, rows, "orders-2024-09-05.csv")
    assert recognition.kind == "orders"
    chosen = _columns(recognition)
    assert chosen["amount"] == "Order Total (inc tax)"
    assert chosen["quantity"] == "Total Quantity"
    assert "unit_price" not in chosen and "product" not in chosen


def test_a_money_column_of_zeros_or_percentages_is_not_the_amount():
    """PayPal's activity download: `Gross` is the sale; `Insurance Amount` left at 0.00 is not, and neither is
    a percentage (`Click-Thru Rate (CTR)`) a price."""
    header = ["Date", "Transaction ID", "Gross", "Fee", "Insurance Amount", "Quantity", "Item Rate (CTR)"]
    rows = [
        ["09/02/2024", "8HX12345AB123456C", "290.00", "-8.71", "0.00", "1", "1.20%"],
        ["09/03/2024", "9JK22345AB123456D", "98.00", "-3.14", "0.00", "2", "0.80%"],
        ["09/04/2024", "1LM32345AB123456E", "120.00", "-3.78", "0.00", "1", "2.10%"],
    ]
    chosen = _columns(recognised(header, rows, "Download.CSV", "orders"))
    assert chosen["amount"] == "Gross"
    assert "unit_price" not in chosen


def test_a_count_named_after_the_rows_is_no_key():
    """`7 Day Total Orders (#)` counts orders: it is not the order id, whatever its name's `orders` says."""
    header = ["Date", "Campaign Name", "Customer Search Term", "Impressions", "Clicks", "Spend",
              "7 Day Total Sales", "7 Day Total Orders (#)"]  # fmt: skip
    rows = [
        ["09/01/2024", "SP - Desks - Exact", "standing desk", "4210", "37", "41.20", "199.90", "1"],
        ["09/01/2024", "SP - Auto", "desk converter", "980", "9", "8.15", "0.00", "0"],
        ["09/02/2024", "SP - Desks - Exact", "standing desk", "3890", "31", "35.02", "399.80", "2"],
        ["09/02/2024", "SP - Auto", "monitor arm", "1520", "12", "10.44", "59.99", "1"],
    ]
    recognition = recognised(header, rows, "Sponsored_Products_Search_term_report.csv")
    assert recognition.kind == "spend"
    assert _columns(recognition) == {"period": "Date", "amount": "Spend", "campaign": "Campaign Name"}
    assert recognition.constants == {"function": "marketing", "category": "programs"}
    by_hand = _columns(recognised(header, rows, "report.csv", "orders"))
    assert by_hand.get("order_id") != "7 Day Total Orders (#)"


def test_impressions_and_clicks_make_an_ad_report_spend_though_it_claims_sales():
    """An ad platform's weekly report claims sales and units; its impressions and clicks say it is the
    advertiser's spend, not orders."""
    header = ["Start Date", "End Date", "Campaign Name", "Impressions", "Clicks", "Spend", "7 Day Total Sales ",
              "7 Day Total Units (#)"]  # fmt: skip
    rows = [
        ["Oct 01, 2024", "Oct 07, 2024", "SP - Desks - Exact", "12,410", "96", "$101.12", "$480.55", "3"],
        ["Oct 01, 2024", "Oct 07, 2024", "SP - Auto", "3,112", "21", "$18.40", "$0.00", "0"],
        ["Oct 08, 2024", "Oct 14, 2024", "SP - Desks - Exact", "10,980", "88", "$93.70", "$240.10", "2"],
        ["Oct 08, 2024", "Oct 14, 2024", "SP - Auto", "2,870", "17", "$15.01", "$59.99", "1"],
    ]
    recognition = recognised(header, rows, "Sponsored Products Search term report.csv")
    assert recognition.kind == "spend"
    assert _columns(recognition)["period"] == "Start Date"
    assert _columns(recognition)["amount"] == "Spend"
    orders = dict(recognition.ranked)["orders"]
    assert "impressions and clicks" in recognised(header, rows, "x.csv", "orders").reason
    assert orders < dict(recognition.ranked)["spend"]


def test_debit_and_credit_columns_make_ledger_lines_not_orders():
    """Wave's transactions: a `Transaction ID`, an `Invoice Number` and an account id look like invoice lines,
    but separate debit and credit columns say each row is a ledger line: spend."""
    header = ["Transaction ID", "Transaction Date", "Account Name", "Transaction Description", "Amount (One column)",
              "Debit Amount (Two Column Approach)", "Credit Amount (Two Column Approach)", "Invoice Number",
              "Account ID"]  # fmt: skip
    rows = [
        ["2200", "2024-08-03", "Advertising & Promotion", "Google Ads", "410.20", "410.20", "", "", "9100"],
        ["2200", "2024-08-03", "Visa Business", "Google Ads", "-410.20", "", "410.20", "", "9201"],
        ["2201", "2024-08-06", "Software Subscriptions", "HubSpot", "890.00", "890.00", "", "", "9102"],
        ["2201", "2024-08-06", "Visa Business", "HubSpot", "-890.00", "", "890.00", "", "9201"],
        ["2202", "2024-08-09", "Sales", "Invoice 12", "-1200.00", "", "1200.00", "12", "9002"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "Wave_accounting_transactions.csv")
    assert recognition.kind == "spend"
    assert _columns(recognition)["amount"] == "Amount (One column)"
    assert _columns(recognition)["account"] == "Account Name"
    assert "ledger lines" in recognised(header, rows, "x.csv", "orders").reason


def test_a_cart_s_grand_total_and_customer_group_are_the_amount_and_the_segment():
    """Magento's order grid: `Grand Total (...)` is the order's amount, `Customer Group` its segment."""
    header = ["ID", "Purchase Date", "Bill-to Name", "Grand Total (Purchased)", "Status", "Customer Group",
              "Shipping and Handling"]  # fmt: skip
    rows = [
        ["000000210", "Jan 3, 2024 1:00:05 PM", "Ines Horvath", "$219.40", "complete", "General", "$5.00"],
        ["000000211", "Feb 4, 2024 2:07:05 PM", "Tariq Okafor", "$582.70", "processing", "Wholesale", "$0.00"],
        ["000000212", "Mar 5, 2024 3:14:05 PM", "Mei Silva", "$102.20", "canceled", "Retailer", "$5.00"],
    ]
    recognition = recognised(header, rows, "export.csv")
    assert recognition.kind == "orders"
    chosen = _columns(recognition)
    assert chosen["amount"] == "Grand Total (Purchased)"
    assert chosen["segment"] == "Customer Group"
    assert chosen["order_date"] == "Purchase Date"


def test_line_item_totals_and_prices_and_net_sales():
    """Zoho Books' `Item Total` and `Item Price` are a line's amount and price; Square's `Net Sales` (after
    discounts) is the sale rather than its `Gross Sales`."""
    zoho = _columns(recognised(
        ["Invoice Date", "Invoice Number", "Item Name", "Quantity", "Item Price", "Item Total"],
        [["2024-04-05", "INV-000004", "Training day", "2.00", "950.00", "1900.00"],
         ["2024-04-05", "INV-000004", "Support retainer", "1.00", "600.00", "600.00"],
         ["2024-05-11", "INV-000005", "Training day", "1.00", "950.00", "950.00"]],
        "Invoice.csv",
    ))  # fmt: skip
    assert (zoho["amount"], zoho["unit_price"]) == ("Item Total", "Item Price")
    square = _columns(recognised(
        ["Date", "Item", "Qty", "Gross Sales", "Discounts", "Net Sales", "Transaction ID"],
        [["2024-07-18", "Latte", "2.0", "$9.50", "-$1.00", "$8.50", "tx1AbCdEfGhIjKlMnOpQr"],
         ["2024-07-18", "Cold Brew", "1.0", "$5.25", "$0.00", "$5.25", "tx2AbCdEfGhIjKlMnOpQr"],
         ["2024-07-19", "Banana Bread", "1.0", "$3.75", "$0.00", "$3.75", "tx3AbCdEfGhIjKlMnOpQr"]],
        "items-2024-07-18.csv",
    ))  # fmt: skip
    assert square["amount"] == "Net Sales"


def test_a_lead_database_s_revenue_in_thousands_is_the_annual_revenue():
    header = ["ZoomInfo Contact ID", "Job Title", "Email Address", "Company Name", "Revenue (in 000s USD)"]
    rows = [
        ["1203948571", "CFO", "rpetrov@alder.example.com", "Alder & Finch", "8200"],
        ["1203948572", "VP Sales", "hcastillo@copperline.example.com", "Copperline Robotics", "45000"],
        ["1203948573", "CTO", "ihorvath@halvorsen.example.com", "Halvorsen Marine", "310000"],
    ]
    recognition = recognised(header, rows, "zoominfo_contacts_export.csv")
    assert recognition.kind == "leads"
    assert _columns(recognition)["annual_revenue"] == "Revenue (in 000s USD)"


def test_an_ad_platform_s_time_breakdown_is_the_period():
    """X Ads: `Time` holds the day; `Campaign Start Date` is the campaign's, the same on each of its rows."""
    header = ["id", "Campaign", "Time", "Campaign Start Date", "Spend", "Impressions", "Engagements"]
    rows = [
        ["f1k2a", "Q3 Launch", "2024-08-01", "2024-07-01", "41.20", "12003", "320"],
        ["f1k2b", "Retargeting", "2024-08-01", "2024-07-15", "12.80", "4410", "98"],
        ["f1k2a", "Q3 Launch", "2024-08-02", "2024-07-01", "39.75", "11876", "301"],
        ["f1k2b", "Retargeting", "2024-08-02", "2024-07-15", "13.10", "4620", "104"],
    ]
    recognition = recognised(header, rows, "campaign_report_daily.csv")
    assert recognition.kind == "spend"
    assert _columns(recognition)["period"] == "Time"


def test_a_document_number_with_slashes_is_the_key():
    """`INV/24-25/0112` (an Indian GST or Odoo invoice series) is a code, as opaque as `INV-0112`."""
    header = ["Invoice Date", "Invoice ID", "Invoice Number", "Customer Name", "Item Name", "Item Total"]
    rows = [
        ["10/07/2024", "1893000000000041000", "INV/24-25/0112", "Shree Traders", "Hinge", "200.00"],
        ["10/07/2024", "1893000000000041000", "INV/24-25/0112", "Shree Traders", "Drawer Slide", "540.00"],
        ["11/07/2024", "1893000000000041001", "INV/24-25/0113", "Kaveri Interiors", "Cabinet Lock", "475.00"],
    ]
    assert _columns(recognised(header, rows, "Invoice.csv"))["order_id"] == "Invoice Number"


# ---- values ----------------------------------------------------------------------------------------------------


def test_a_month_name_date_with_a_clock_time_is_read():
    """Magento's grid export writes `Jan 3, 2024 1:00:05 PM`."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES ('Jan 3, 2024 1:00:05 PM'), ('Feb 14, 2024 11:30:00 AM')) v(d)"
    )
    read = date_column(con, "t", "d", '"d"')
    got = con.execute(f"SELECT strftime({read.sql}, '%Y-%m-%d %H:%M:%S') FROM t").fetchall()
    assert [row[0] for row in got] == ["2024-01-03 13:00:05", "2024-02-14 11:30:00"]


def test_a_word_run_into_the_next_still_counts():
    """HRDataset's `DateofHire`: `dateof` holds `date`; `custom` still holds no `customer`."""
    assert similarity(phrase("DateofHire"), "hire date") >= 0.7
    header = ["EmpID", "Employee_Name", "Position", "DateofHire", "DateofTermination", "EmploymentStatus"]
    rows = [
        ["10003", "Petrov, Rosa", "Accountant I", "7/5/2011", "", "Active"],
        ["10010", "Castillo, Hugo", "Sales Manager", "1/7/2008", "10/1/2018", "Voluntarily Terminated"],
        ["10017", "Horvath, Ines", "Software Engineer", "11/10/2014", "", "Active"],
    ]
    chosen = _columns(recognised(header, rows, "HRDataset_v14.csv"))
    assert (chosen["hire_date"], chosen["termination_date"]) == ("DateofHire", "DateofTermination")


# ---- surveys in other languages, visits, forms ------------------------------------------------------------------


def test_a_spanish_nps_question_is_the_score_and_its_reason_the_comment():
    """Microsoft Forms in Spanish: `¿Qué probabilidad hay de que recomiende ... a un amigo o colega?` asks the NPS
    question; `¿Cuál es el motivo principal de su puntuación?` its reason; `Completion time` is when it was sent."""
    question = "¿Qué probabilidad hay de que recomiende Quillbase a un amigo o colega?"
    assert phrase(question) == "probability recommend quillbase friend colleague"
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Número de cliente", question,
              "¿Cuál es el motivo principal de su puntuación?"]  # fmt: skip
    rows = [
        ["1", "3/10/24 11:00:12", "3/10/24 11:03:50", "rosa@example.es", "Rosa P", "CLI-2040", "9", "Muy rápida"],
        ["2", "4/10/24 11:01:12", "4/10/24 11:04:50", "hugo@example.es", "Hugo C", "CLI-2047", "4", "Caro"],
        ["3", "5/10/24 11:02:12", "5/10/24 11:05:50", "ines@example.es", "Ines H", "CLI-2054", "10", "Soporte"],
    ]
    recognition = recognised(header, rows, "Encuesta de satisfacción clientes.csv")
    assert recognition.kind == "nps"
    assert _columns(recognition) == {
        "respondent_id": "ID",
        "account_id": "Número de cliente",
        "responded_at": "Completion time",
        "score": question,
        "comment": "¿Cuál es el motivo principal de su puntuación?",
    }


def test_a_portuguese_reason_and_customer_code():
    """Google Forms in Portuguese: `Qual o principal motivo da sua nota?` is the comment, `Código do cliente` the
    customer; no response id, so each row gets a made-up one."""
    header = ["Carimbo de data/hora", "Código do cliente",
              "Qual a probabilidade de você recomendar a Quillbase para um amigo ou colega?",
              "Qual o principal motivo da sua nota?"]  # fmt: skip
    rows = [
        ["12/08/2024 09:00:21", "BR-310", "9", "Implantação muito rápida"],
        ["13/08/2024 10:07:21", "BR-313", "4", "Preço alto"],
        ["14/08/2024 11:14:21", "BR-316", "10", "Relatórios excelentes"],
    ]
    recognition = recognised(header, rows, "Pesquisa NPS clientes (respostas).csv")
    assert recognition.kind == "nps"
    chosen = _columns(recognition)
    assert chosen["account_id"] == "Código do cliente"
    assert chosen["comment"] == "Qual o principal motivo da sua nota?"
    assert recognition.surrogate == "respondent_id"


def test_a_header_ending_in_status_names_a_state_not_a_person():
    """Zendesk Sell's visits: `rep_location_verification_status` is a status, so `creator_id` is the owner;
    the visit's `summary` is its subject."""
    header = ["id", "creator_id", "visited_at", "outcome_id", "rep_location_verification_status", "summary"]
    rows = [
        ["880100", "1187001", "2024-09-03T10:00:00Z", "5101", "VERIFIED", "Walked the ops team through the pilot"],
        ["880101", "1187002", "2024-09-04T11:00:00Z", "5102", "NOT_VERIFIED", "Met procurement"],
        ["880102", "1187001", "2024-09-05T12:00:00Z", "5101", "VERIFIED", "Site visit, demo on the floor"],
    ]
    chosen = _columns(recognised(header, rows, "visits.csv", "activities"))
    assert chosen["owner"] == "creator_id"
    assert chosen["subject"] == "summary"


def test_a_record_s_own_created_at_outranks_when_it_was_added():
    """Zendesk Sell's deals have `created_at` and `added_at` (which a user may backdate): the one named after the
    field is the deal's creation, and `Date Added` (Mailchimp) still says created."""
    assert phrase("Date Added") == "created date" and phrase("added_at") == phrase("created_at") == "created"
    header = ["id", "name", "value", "stage_id", "created_at", "updated_at", "added_at"]
    rows = [
        [
            "26150000",
            "Alder & Finch - Pilot",
            "12500",
            "8823451",
            "2024-03-10T09:00:00Z",
            "2024-06-01T12:00:00Z",
            "2024-03-01T09:00:00Z",
        ],
        [
            "26150013",
            "Brightwater Labs - Platform",
            "36000",
            "8823453",
            "2024-04-11T09:00:00Z",
            "2024-07-02T12:00:00Z",
            "2024-04-11T09:00:00Z",
        ],
        [
            "26150026",
            "Copperline Robotics - Renewal",
            "4800",
            "8823452",
            "2024-05-12T09:00:00Z",
            "2024-08-03T12:00:00Z",
            "2024-05-02T09:00:00Z",
        ],
    ]
    assert _columns(recognised(header, rows, "deals.csv"))["created_at"] == "created_at"


def test_dots_that_can_only_group_thousands_are_read_as_such():
    """Excel with German settings writes `4.500.000`: two dots cannot be decimal marks."""
    assert decide_decimal(["4.500.000", "61.000.000", "230.000.000"]) == ","
    assert decide_decimal(["4.500", "1.250"]) == "."  # one dot and three digits stays ambiguous: read as decimals
    con = duckdb.connect()
    got = con.execute(f"SELECT {number_sql(sql_literal('12.500.000'), ',')}").fetchone()[0]
    assert got == 12_500_000.0


def test_an_empty_column_is_not_mapped_on_its_name_alone():
    """Square's `Customer ID` is empty when no customer was attached to any sale: nothing to map."""
    header = ["Date", "Item", "Qty", "Net Sales", "Transaction ID", "Customer ID"]
    rows = [
        ["2024-07-18", "Latte", "2.0", "$9.50", "tx1AbCdEfGhIjKlMnOpQr", ""],
        ["2024-07-18", "Cold Brew", "1.0", "$5.25", "tx2AbCdEfGhIjKlMnOpQr", ""],
        ["2024-07-19", "Banana Bread", "1.0", "$3.75", "tx3AbCdEfGhIjKlMnOpQr", ""],
    ]
    chosen = _columns(recognised(header, rows, "items-2024-07-18.csv"))
    assert chosen["order_id"] == "Transaction ID"
    assert "account_id" not in chosen
    filled = [[*row[:5], f"C{n}"] for n, row in enumerate(rows)]
    assert _columns(recognised(header, filled, "items-2024-07-18.csv"))["account_id"] == "Customer ID"


# ---- rules the second round of new systems needed (HubSpot and Pipedrive histories, billing, Dutch CRMs) ------


def test_a_dutch_crm_names_customers_stages_and_conversions_in_its_own_words():
    """SugarCRM in Dutch: `Organisatienaam` (the account), `Relatie naam` (a customer), `Verkoopstadium`."""
    assert phrase("Organisatienaam") == "organization name"
    assert phrase("Relatie naam") == "customer name"
    assert phrase("Verkoopstadium") == "sales stage"
    assert phrase("Geconverteerd") == "converted"


def test_the_columns_an_elt_loader_adds_are_never_a_field():
    """A HubSpot stage history synced by Fivetran: `_fivetran_start` is when the sync saw the row (and comes
    first), `date_entered` when the deal entered the stage."""
    header = ["_fivetran_start", "deal_id", "_fivetran_synced", "date_entered", "value"]
    rows = [
        ["2024-02-01 06:49:18", "3954699413", "2024-02-01 08:15:46", "2024-01-30 10:00:00", "appointmentscheduled"],
        ["2024-02-09 07:42:59", "3954699413", "2024-02-09 08:15:48", "2024-02-08 11:30:00", "qualifiedtobuy"],
        ["2024-02-09 08:07:07", "3964747459", "2024-02-09 08:15:48", "2024-02-07 09:12:00", "appointmentscheduled"],
        ["2024-03-02 05:49:01", "3964747459", "2024-03-02 07:15:54", "2024-03-01 16:40:00", "closedwon"],
    ]
    recognition = recognised(header, rows, "deal_stage.csv")
    assert recognition.kind == "stage_history"
    chosen = _columns(recognition)
    assert chosen["changed_at"] == "date_entered"
    assert not any(column.startswith("_fivetran") for column in chosen.values())


def test_a_file_of_old_and_new_values_is_a_log_of_changes_not_of_deals():
    """Pipedrive's deal updates: a row per stage change (`old_value` -> `new_value`), though named after deals."""
    header = ["id", "item_id", "field_key", "old_value", "new_value", "old_value_formatted", "new_value_formatted",
              "log_time"]  # fmt: skip
    rows = [
        ["1201", "41", "stage_id", "1", "2", "Qualified", "Contact Made", "2024-02-21 15:53:39"],
        ["1211", "41", "stage_id", "2", "3", "Contact Made", "Demo Scheduled", "2024-02-27 09:27:27"],
        ["1230", "47", "stage_id", "1", "2", "Qualified", "Contact Made", "2024-03-04 10:02:11"],
        ["1244", "47", "stage_id", "2", "3", "Contact Made", "Demo Scheduled", "2024-03-11 14:45:00"],
        ["1250", "47", "stage_id", "3", "4", "Demo Scheduled", "Proposal Made", "2024-03-18 16:20:41"],
    ]
    recognition = recognised(header, rows, "deal_updates.csv")
    assert recognition.kind == "stage_history"
    assert _columns(recognition)["stage"] == "new_value_formatted"


def test_the_id_that_repeats_down_a_stage_history_is_the_deals():
    """Pipedrive's deal updates: `id` keys each change (and so refers to no deal); `item_id`, repeated as a deal
    passes from stage to stage, is the deal's."""
    header = ["id", "item_id", "field_key", "old_value", "new_value", "new_value_formatted", "log_time"]
    rows = [
        ["1201", "41", "stage_id", "1", "2", "Contact Made", "2024-02-21 15:53:39"],
        ["1211", "41", "stage_id", "2", "3", "Demo Scheduled", "2024-02-27 09:27:27"],
        ["1230", "47", "stage_id", "1", "2", "Contact Made", "2024-03-04 10:02:11"],
        ["1244", "47", "stage_id", "2", "3", "Demo Scheduled", "2024-03-11 14:45:00"],
        ["1250", "47", "stage_id", "3", "4", "Proposal Made", "2024-03-18 16:20:41"],
    ]
    recognition = recognised(header, rows, "deal_updates.csv")
    assert recognition.kind == "stage_history"
    assert _columns(recognition)["opportunity_id"] == "item_id"


def test_rows_that_name_no_one_are_not_leads():
    """Payment transactions (Recurly): an id, a creation date, an `origin` and a status, but no person, company
    or e-mail address: what they hold is money moving, so they are read as orders."""
    header = ["id", "created_at", "collected_at", "account_id", "invoice_id", "uuid", "type", "origin", "currency",
              "amount", "status", "status_code", "billing_country"]  # fmt: skip
    rows = [
        ["ba0373", "2024-02-11T02:04:23Z", "2024-02-11T02:04:23Z", "51bccf", "", "96d594", "verify",
         "recurly_admin", "USD", "0.0", "declined", "declined", "US"],
        ["571096", "2024-02-11T08:19:59Z", "2024-02-11T08:19:59Z", "51bccf", "9cf0c4", "6178b0", "purchase",
         "recurring", "USD", "99.0", "success", "", "US"],
        ["660f72", "2024-03-18T11:14:35Z", "2024-03-18T11:14:35Z", "445876", "c9fc73", "672371", "purchase",
         "recurring", "USD", "29.0", "success", "", "DE"],
        ["7a10bb", "2024-04-02T09:30:00Z", "2024-04-02T09:30:00Z", "445876", "d1e2f3", "9f1e3b", "purchase", "api",
         "USD", "118.81", "success", "", "DE"],
        ["8c22de", "2024-04-09T12:00:00Z", "2024-04-09T12:00:00Z", "51bccf", "", "23eacb", "refund", "api", "USD",
         "29.0", "success", "", "US"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "transaction.csv")
    assert recognition.kind == "orders"
    assert _columns(recognition)["amount"] == "amount"


def test_a_count_is_no_score_and_a_link_is_no_comment():
    """Intercom's companies: `user_count` (1-9) is how many users, not a 0-10 answer, and `website` no comment,
    so the file is no survey but the companies it is named after."""
    header = ["id", "created_at", "industry", "monthly_spend", "session_count", "user_count", "website", "name"]
    rows = [
        [f"5f8efd11391867b82cd45b1{n}", f"2024-0{n}-20 15:06:57 UTC", industry, spend, str(3 * n), str(n),
         f"https://www.{name.split()[0].lower()}.example/home", name]
        for n, (industry, spend, name) in enumerate(
            [("Software", "49", "Acme Tools"), ("Retail", "0", "Borealis BV"), ("Logistics", "199", "Cobalt Labs"),
             ("Software", "499", "Delta Foods"), ("Healthcare", "49", "Everest AG")],
            start=1,
        )
    ]  # fmt: skip
    recognition = recognised(header, rows, "company_history.csv")
    assert recognition.kind == "accounts"
    assert _columns(recognition)["name"] == "name"
    survey = _columns(recognised(header, rows, "company_history.csv", kind="nps"))
    assert "score" not in survey and "comment" not in survey


def test_a_timestamp_is_no_comment_and_a_document_number_no_score():
    """Wootric's responses: `updated_at` is as long and different as written answers, but it is a date; and
    `123-45678` leads with a number without being a 0-10 answer."""
    header = ["id", "created_at", "updated_at", "score", "invoice_number"]
    rows = [
        [str(73100 + n), f"2024-03-0{n}T10:00:00.000Z", f"2024-03-0{n}T11:{n}0:00.000Z", str(score), f"{n}23-4567{n}"]
        for n, score in enumerate([10, 9, 6, 8, 3], start=1)
    ]
    chosen = _columns(recognised(header, rows, "responses.csv"))
    assert chosen["score"] == "score"
    assert "comment" not in chosen
    unscored = [row[:2] + row[4:] for row in rows]
    assert "score" not in _columns(recognised(["id", "created_at", "invoice_number"], unscored, "r.csv", "nps"))


def test_a_dotted_path_to_an_objects_id_is_a_key_to_that_object():
    """Salesloft's people flattened from JSON: `account.id` is the person's account (not the row's own id, as the
    object prefix of `Deal - ID` or `Account.Name` is dropped)."""
    assert phrase("account.id") == "account id"
    assert phrase("Account.Id") == "account id"
    assert phrase("Account.Name") == "name"
    assert phrase("properties.dealname") == "deal name"
    header = ["id", "created_at", "first_name", "last_name", "email_address", "title", "account.id"]
    rows = [
        ["88210", "2024-01-08T09:10:00Z", "Ana", "Berg", "ana.berg@example.com", "VP Sales", "5001"],
        ["88223", "2024-01-11T10:00:00Z", "Luca", "Rossi", "luca.rossi@example.com", "CFO", "5002"],
        ["88236", "2024-02-02T14:30:00Z", "Mila", "Novak", "mila.novak@example.com", "Head of Marketing", "5001"],
        ["88249", "2024-02-19T08:45:00Z", "Noah", "Visser", "noah.visser@example.com", "Operations Manager", "5007"],
    ]
    chosen = _columns(recognised(header, rows, "people.csv"))
    assert chosen["lead_id"] == "id"
    assert chosen["account_id"] == "account.id"


def test_a_stage_given_as_the_number_of_a_pipeline_step_is_still_the_stage():
    """ActiveCampaign's deals through the API: `stage` holds the stage's id (1, 2, 3), as APIs give lists."""
    header = ["id", "title", "account", "value", "currency", "stage", "owner", "status"]
    rows = [
        ["210", "Acme Tools annual plan", "11", "450000", "usd", "1", "3", "0"],
        ["213", "Borealis upgrade", "14", "129900", "usd", "3", "1", "0"],
        ["216", "Cobalt onboarding", "11", "75000", "usd", "4", "1", "1"],
        ["219", "Delta annual plan", "20", "99900", "usd", "2", "3", "2"],
        ["222", "Everest upgrade", "31", "1250000", "usd", "4", "3", "1"],
    ]
    recognition = recognised(header, rows, "deals.csv")
    assert recognition.kind == "opportunities"
    assert _columns(recognition)["stage"] == "stage"


def test_a_table_named_as_some_records_history_holds_those_records():
    """Recurly's `account_history` (a loader's name for the versions of each account): billing accounts with a
    contact's first name and e-mail are still the accounts the name says, not leads and not stage changes."""
    header = ["id", "created_at", "code", "state", "username", "account_first_name", "account_last_name", "email",
              "company", "account_country"]  # fmt: skip
    rows = [
        ["51bccf87", "2023-02-09T21:18:40Z", "cust-101", "active", "anaberg", "Ana", "Berg", "billing@berg.example",
         "Acme Tools", "US"],
        ["44587626", "2023-02-11T09:28:45Z", "cust-102", "active", "lucarossi", "Luca", "Rossi",
         "billing@rossi.example", "Borealis BV", "DE"],
        ["e386b486", "2023-06-28T07:38:55Z", "cust-103", "active", "milanovak", "Mila", "Novak",
         "billing@novak.example", "Cobalt Labs", "GB"],
        ["01745f0b", "2023-06-28T07:35:55Z", "cust-104", "closed", "noahvisser", "Noah", "Visser",
         "billing@visser.example", "Delta Foods", "US"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "account_history.csv")
    assert recognition.kind == "accounts"
    assert _columns(recognition)["account_id"] == "id"


def test_a_refundable_amount_is_not_the_sale_and_a_size_is_a_head_count():
    """Recurly's invoices: `total` is the sale, `refundable_amount` what may still be given back; Intercom's
    companies: `size` is how many work there."""
    header = ["id", "created_at", "account_id", "state", "currency", "subtotal", "tax", "total", "refundable_amount"]
    rows = [
        ["fbf0b2e3", "2024-02-13T09:31:52Z", "4458762", "paid", "USD", "99.0", "0.0", "99.0", "99.0"],
        ["9cf0c438", "2024-02-11T08:19:59Z", "51bccf8", "paid", "USD", "29.0", "5.51", "34.51", "34.51"],
        ["eafb2d15", "2024-04-11T08:21:00Z", "51bccf8", "past_due", "USD", "299.0", "56.81", "355.81", ""],
        ["c9b72cc7", "2024-06-11T08:21:09Z", "4458762", "paid", "USD", "87.0", "17.4", "104.4", "104.4"],
    ]
    assert _columns(recognised(header, rows, "invoice_history.csv"))["amount"] == "total"
    companies = [["id", "name", "industry", "size"], ["c1", "Acme Tools", "Software", "50"],
                 ["c2", "Borealis BV", "Retail", "200"], ["c3", "Cobalt Labs", "Logistics", "10"]]  # fmt: skip
    assert _columns(recognised(companies[0], companies[1:], "companies.csv"))["employees"] == "size"


def test_a_surveys_text_beside_its_score_is_the_comment():
    """Wootric: `text` holds the answer to the follow-up question, short as it may be."""
    header = ["id", "created_at", "score", "text", "end_user_id"]
    rows = [
        ["73100", "2024-03-01T10:00:00.000Z", "10", "Great support", "20011"],
        ["73111", "2024-03-02T11:00:00.000Z", "6", "Too slow", "20012"],
        ["73122", "2024-03-03T12:00:00.000Z", "9", "", "20013"],
        ["73133", "2024-03-04T13:00:00.000Z", "3", "Pricey", "20014"],
    ]
    assert _columns(recognised(header, rows, "responses.csv"))["comment"] == "text"


# ---- round three: systems met later still (Bitrix24, Agile CRM, Keap, Lemon Squeezy, Odoo, HiBob, ...) --------


def test_a_session_id_beside_the_rows_own_id_is_a_reference_not_the_row():
    """RingCentral's call log: each call has its own `id`; `sessionId`, unique on a few rows, names the telephony
    session the call belongs to, so the rows are still calls, not sessions."""
    header = ["id", "sessionId", "startTime", "duration", "type", "direction", "result"]
    rows = [
        ["Ab7c01", "18734650004", "2024-07-01T14:05:12.000Z", "312", "Voice", "Outbound", "Call connected"],
        ["Ab7c02", "18734650005", "2024-07-01T14:31:40.000Z", "0", "Voice", "Outbound", "No Answer"],
        ["Ab7c03", "18734650006", "2024-07-01T15:02:09.000Z", "45", "Voice", "Inbound", "Voicemail"],
        ["Ab7c04", "18734650007", "2024-07-01T16:20:55.000Z", "1260", "Voice", "Outbound", "Call connected"],
        ["Ab7c05", "18734650008", "2024-07-02T09:12:30.000Z", "0", "Voice", "Inbound", "Missed"],
    ]
    recognition = recognised(header, rows, "call-log.csv")
    assert recognition.kind == "activities"
    chosen = _columns(recognition)
    assert chosen["activity_id"] == "id"
    assert chosen["outcome"] == "result"
    sessions = [[row[1], *row[2:]] for row in rows]  # without its own `id`, a unique `sessionId` keys the rows
    assert recognised(header[1:], sessions, "call-log.csv").kind != "activities"


def test_a_bare_id_keys_the_files_own_rows_and_refers_to_no_other():
    """Odoo's `crm.lead` export of the pipeline: `id` (an external id) is the deal's own key, although the file is
    named after leads; it is not the lead a deal came from, and the deal's title is not its key."""
    header = ["id", "Opportunity", "Customer", "Expected Revenue", "Probability", "Stage", "Created on"]
    rows = [
        ["__export__.crm_lead_41_5b3e1c2a", "Office furniture", "Deco Addict", "24000.00", "10.0", "New",
         "2024-05-02 09:14:33"],
        ["__export__.crm_lead_42_77a0d9e1", "Quote for 150 desks", "Gemini Furniture", "40500.00", "30.0",
         "Qualified", "2024-05-03 14:02:10"],
        ["__export__.crm_lead_43_0c9f2b44", "Design consultancy", "Ready Mat", "8200.00", "60.0", "Proposition",
         "2024-05-06 10:45:51"],
        ["__export__.crm_lead_44_e4d1a0b7", "Meeting room chairs", "Azure Interior", "5600.00", "100.0", "Won",
         "2024-05-07 08:30:00"],
        ["__export__.crm_lead_45_3fa2c815", "Reception desk", "Lumber Inc", "3100.00", "100.0", "Won",
         "2024-05-09 11:12:45"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "crm.lead.csv")
    assert recognition.kind == "opportunities"
    chosen = _columns(recognition)
    assert chosen["opportunity_id"] == "id"
    assert "lead_id" not in chosen


def test_a_companys_title_is_its_name_and_items_sold_a_quantity():
    """Bitrix24's companies name each by its `TITLE`; WooCommerce's German orders report counts the items of an
    order as `Verkaufte Artikel` (items sold)."""
    assert phrase("Verkaufte Artikel") == "sold product"
    header = ["ID", "TITLE", "COMPANY_TYPE", "INDUSTRY", "REVENUE", "DATE_CREATE"]
    rows = [
        ["301", "Alto Textiles", "CUSTOMER", "MANUFACTURING", "42000000", "2024-03-06T16:02:10+03:00"],
        ["302", "Qasr Engineering", "PROSPECT", "MANUFACTURING", "120000000", "2024-03-12T09:30:44+03:00"],
        ["303", "Fjord Analytics", "CUSTOMER", "IT", "3500000", "2024-03-08T13:45:00+03:00"],
        ["304", "Solara Energy", "PROSPECT", "OTHER", "18000000", "2024-03-15T11:12:00+03:00"],
        ["305", "Lagos Freight", "PROSPECT", "DELIVERY", "9600000", "2024-03-20T10:05:31+03:00"],
    ]
    recognition = recognised(header, rows, "crm_company_list.csv")
    assert recognition.kind == "accounts"
    assert _columns(recognition)["name"] == "TITLE"
    header = ["Datum", "Bestellung #", "Status", "Kunde", "Produkt(e)", "Verkaufte Artikel", "Nettoumsatz"]
    rows = [
        ["2024-09-02", "10412", "Abgeschlossen", "Katrin Vogel", "Kaffeebohnen Espresso 1kg", "2", "39.80"],
        ["2024-09-02", "10413", "In Bearbeitung", "Lukas Brenner", "Siebträger-Set, Milchkännchen", "2", "71.10"],
        ["2024-09-03", "10414", "Abgeschlossen", "Sabine Koch", "Kaffeebohnen Filter 500g", "3", "29.85"],
        ["2024-09-03", "10415", "Rückerstattet", "Jonas Weber", "Handmühle Classic", "1", "54.90"],
        ["2024-09-04", "10416", "Abgeschlossen", "Miriam Schulz", "Entkalker", "3", "46.62"],
    ]
    recognition = recognised(header, rows, "wc-orders-report-export.csv")
    assert recognition.kind == "orders"
    chosen = _columns(recognition)
    assert chosen["quantity"] == "Verkaufte Artikel"
    assert chosen["product"] == "Produkt(e)"


def test_a_column_named_only_as_the_deal_holds_the_deals_names():
    """Odoo's pipeline: `Opportunity` holds 'Office furniture', 'Design consultancy': with `id` keying the rows,
    the column named only as the deal is the deal's name."""
    header = ["id", "Opportunity", "Customer", "Expected Revenue", "Stage", "Created on"]
    rows = [
        ["__export__.crm_lead_41_5b3e1c2a", "Office furniture", "Deco Addict", "24000.00", "New", "2024-05-02"],
        ["__export__.crm_lead_42_77a0d9e1", "Quote for 150 desks", "Gemini Furniture", "40500.00", "Qualified",
         "2024-05-03"],
        ["__export__.crm_lead_43_0c9f2b44", "Design consultancy", "Ready Mat", "8200.00", "Proposition",
         "2024-05-06"],
        ["__export__.crm_lead_44_e4d1a0b7", "Meeting room chairs", "Azure Interior", "5600.00", "Won", "2024-05-07"],
        ["__export__.crm_lead_45_3fa2c815", "Reception desk", "Lumber Inc", "3100.00", "Won", "2024-05-09"],
    ]  # fmt: skip
    chosen = _columns(recognised(header, rows, "crm.lead.csv"))
    assert chosen["opportunity_id"] == "id"
    assert chosen["name"] == "Opportunity"


def test_the_column_of_job_titles_is_the_title_not_the_one_named_title():
    """Bitrix24's leads: `TITLE` is the lead's own title ('Website form: pricing'); `POST` holds the person's job
    title (CFO, IT Director)."""
    header = ["ID", "TITLE", "NAME", "LAST_NAME", "COMPANY_TITLE", "POST", "DATE_CREATE"]
    rows = [
        ["101", "Website form: pricing", "Anna", "Keller", "Nordwerk Logistik", "Head of Operations", "2024-03-01"],
        ["102", "Inbound call", "Marco", "Ferri", "Alto Textiles", "CFO", "2024-03-02"],
        ["103", "Email enquiry", "Li", "Wen", "Brightpath Media", "Marketing Manager", "2024-03-04"],
        ["104", "Trade show badge scan", "Omar", "Haddad", "Qasr Engineering", "IT Director", "2024-03-05"],
        ["105", "Partner referral", "Eva", "Lind", "Fjord Analytics", "CEO", "2024-03-07"],
    ]
    chosen = _columns(recognised(header, rows, "crm_lead_list.csv"))
    assert chosen["title"] == "POST"
    assert chosen["company"] == "COMPANY_TITLE"
    titled = [[row[0], row[5], *row[2:5], row[6]] for row in rows]  # a `TITLE` of job titles stays the title
    assert _columns(recognised(header[:5] + header[6:], titled, "leads.csv"))["title"] == "TITLE"


def test_a_currency_code_with_its_symbol_is_a_currency():
    """Agile CRM's deals: `currency_type` holds 'USD-$'."""
    header = ["id", "name", "expected_value", "milestone", "currency_type"]
    rows = [
        ["6192449487634432", "Kestrel - team plan", "4800", "Won", "USD-$"],
        ["6209941917138944", "Harbor Clinics - 3 sites", "12000", "Won", "USD-$"],
        ["6227434347642880", "Alpine Dental - onboarding", "7500", "Proposal", "EUR-€"],
        ["6244926777647104", "Savanna Tours - add-on", "2100", "Lost", "USD-$"],
        ["6262419207651328", "Lumen Architects - starter", "1800", "Prospect", "GBP-£"],
    ]
    chosen = _columns(recognised(header, rows, "deals.csv"))
    assert chosen["currency"] == "currency_type"
    assert chosen["stage"] == "milestone"


def test_a_deal_at_lose_is_lost_and_a_code_with_its_symbol_loads_as_the_code(tmp_path):
    """Bitrix24's closing stage `LOSE` is a lost deal (it was read as open); Agile CRM's `USD-$` is loaded as USD,
    so the amounts convert and add up."""
    header = ["ID", "TITLE", "STAGE_ID", "OPPORTUNITY", "CURRENCY_ID", "DATE_CREATE"]
    rows = [
        ["201", "Alto Textiles - licence", "WON", "12500.00", "USD-$", "2024-03-06T16:02:10+03:00"],
        ["202", "Qasr Engineering - rollout", "EXECUTING", "9000.00", "USD-$", "2024-03-12T09:30:44+03:00"],
        ["203", "Fjord Analytics - starter", "WON", "8400.00", "USD-$", "2024-03-08T13:45:00+03:00"],
        ["204", "Solara Energy - pilot", "LOSE", "15000.00", "USD-$", "2024-03-15T11:12:00+03:00"],
        ["205", "Lagos Freight - fleet", "PREPARATION", "6200.00", "USD-$", "2024-03-20T10:05:31+03:00"],
    ]
    with (tmp_path / "crm_deal_list.csv").open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *rows])
    (entry,) = load_paths(duckdb.connect(), [tmp_path / "crm_deal_list.csv"]).inspect()
    assert entry["kind"] == "opportunities"
    assert entry["value_maps"]["outcome"] == {"WON": "won", "LOSE": "lost", "EXECUTING": "open", "PREPARATION": "open"}
    assert entry["totals"]["money"]["amount"] == {"USD": 51100}


def test_a_customers_total_revenue_is_what_they_paid_not_their_annual_revenue():
    """Lemon Squeezy's customers: `total_revenue_currency` sums what each customer paid (in cents); it says nothing
    of the size of the customer's business, which `Annual Revenue` or a bare `revenue` does."""
    header = ["id", "name", "email", "status", "country", "total_revenue_currency", "mrr", "created_at"]
    rows = [
        ["880101", "Jonas Meyer", "jonas@example.com", "subscribed", "DE", "19800", "0", "2024-06-03T10:15:40Z"],
        ["880102", "Ana Lopes", "ana@example.org", "subscribed", "PT", "11570", "0", "2024-06-04T08:02:08Z"],
        ["880103", "Ravi Kumar", "ravi@example.net", "unsubscribed", "IN", "0", "0", "2024-06-05T19:44:01Z"],
        ["880104", "Chloe Martin", "chloe@example.com", "subscribed", "GB", "15093", "0", "2024-06-10T09:12:29Z"],
        ["880105", "Yuki Tanaka", "yuki@example.org", "archived", "JP", "4410", "0", "2024-06-12T22:05:16Z"],
    ]
    recognition = recognised(header, rows, "customers.csv")
    assert recognition.kind == "accounts"
    assert "annual_revenue" not in _columns(recognition)
    renamed = ["Annual Revenue" if name == "total_revenue_currency" else name for name in header]
    assert _columns(recognised(renamed, rows, "customers.csv"))["annual_revenue"] == "Annual Revenue"


def test_the_json_containers_of_a_flattened_record_say_nothing_of_its_fields():
    """Paddle's transactions flattened from JSON: `details.totals.total` is the total (the sale), so the rows are
    orders, not leads with an `id`, an `origin` and a `status`."""
    assert phrase("details.totals.total") == "total"
    assert phrase("data.attributes.status") == "status"
    header = ["id", "status", "customer_id", "currency_code", "origin", "details.totals.subtotal",
              "details.totals.tax", "details.totals.total", "created_at", "billed_at"]  # fmt: skip
    rows = [
        ["txn_01qmpp64bg46", "completed", "ctm_01mdxcfsd0th", "USD", "subscription_recurring", "49900", "9980",
         "59880", "2024-03-10T13:00:00.000000Z", "2024-03-10T13:00:00.000000Z"],
        ["txn_018g77f7djra", "completed", "ctm_01wgtdpm46ef", "EUR", "web", "9900", "1881", "11781",
         "2024-03-12T09:00:00.000000Z", "2024-03-12T09:00:00.000000Z"],
        ["txn_01hv8wptq8x9", "billed", "ctm_01xppj2c80jf", "GBP", "api", "19900", "3980", "23880",
         "2024-04-02T10:30:00.000000Z", "2024-04-02T10:30:00.000000Z"],
        ["txn_01hv8x0b0j2k", "completed", "ctm_01mdxcfsd0th", "USD", "subscription_recurring", "49900", "9980",
         "59880", "2024-04-10T13:00:00.000000Z", "2024-04-10T13:00:00.000000Z"],
        ["txn_01hw1m2n3p4q", "canceled", "ctm_01wgtdpm46ef", "EUR", "web", "9900", "1881", "11781",
         "2024-05-29T20:00:00.000000Z", ""],
    ]  # fmt: skip
    recognition = recognised(header, rows, "transactions.csv")
    assert recognition.kind == "orders"
    assert _columns(recognition)["amount"] == "details.totals.total"


# ---- files with a neutral name (`export.csv`): the kind from columns, values and links -------------------------


CUSTOMERS = (
    ["id", "Email", "Name", "Created (UTC)", "Status"],
    [
        ["cus_PQ9aZx1Lk3Vn7b", "ops@harborlight.example.com", "Harborlight Kitchens", "2024-01-02 10:14", "active"],
        ["cus_PQfB83nWs2Ty5h", "compta@atelier-lune.example.com", "Atelier Lune SARL", "2024-01-05 16:31", "active"],
        ["cus_PR2xYt6Qm1Zk0c", "hello@greenfern.example.com", "Greenfern Florists", "2024-01-09 08:02", ""],
        ["cus_PR7dKq2Wv9Lm3s", "team@northpeak.example.com", "Northpeak Outfitters", "2024-01-12 12:40", "active"],
        ["cus_PRc1Hn5Tb8Xw2e", "admin@lumen.example.com", "Lumen Architects", "2024-01-15 17:25", "canceled"],
    ],
)
INVOICES = (
    ["id", "Number", "Customer", "Date (UTC)", "Status", "Currency", "Total"],
    [
        ["in_1OaB2c", "9F2A-0001", "cus_PQ9aZx1Lk3Vn7b", "2024-01-02 10:15", "paid", "usd", "240.00"],
        ["in_1OaC3d", "9F2A-0002", "cus_PQfB83nWs2Ty5h", "2024-01-05 16:32", "paid", "eur", "1440.00"],
        ["in_1ObD4e", "9F2A-0003", "cus_PR2xYt6Qm1Zk0c", "2024-01-09 08:03", "open", "usd", "99.00"],
        ["in_1ObE5f", "9F2A-0004", "cus_PR7dKq2Wv9Lm3s", "2024-01-12 12:41", "paid", "usd", "480.00"],
        ["in_1OcF6g", "9F2A-0005", "cus_PQ9aZx1Lk3Vn7b", "2024-02-02 10:15", "paid", "usd", "240.00"],
    ],
)


def test_rows_whose_ids_another_files_customer_column_holds_are_customers(tmp_path):
    """A list of an id, an e-mail, a name and a date could be leads or customers; an invoice file whose `Customer`
    holds its ids says they are customers, as the file's name would (`customers.csv`)."""
    customers = write_csv(tmp_path / "export (2).csv", *CUSTOMERS)
    (alone,) = load_paths(duckdb.connect(), [customers]).inspect()
    assert alone["kind"] != "accounts"
    invoices = write_csv(tmp_path / "export (1).csv", *INVOICES)
    found = {entry["file"]: entry for entry in load_paths(duckdb.connect(), [invoices, customers]).inspect()}
    assert found["export (2).csv"]["kind"] == "accounts"
    assert found["export (2).csv"]["mapping"]["account_id"] == "id"
    assert "export (1).csv's 'Customer', which holds its ids, says so" in found["export (2).csv"]["kind_reason"]
    assert found["export (1).csv"]["kind"] == "orders"
    assert found["export (1).csv"]["mapping"]["account_id"] == "Customer"


def test_numbers_named_in_another_language_as_a_measure_make_no_wide_table(tmp_path):
    """A German orders report called `export.csv`: `Nettoumsatz` (net revenue), `Verkaufte Artikel` (items sold)
    and `Bestellung #` (the order number) measure and number each order, as `Sales` and `Quantity` would; they are
    no spend per category to unpivot, so the rows stay orders."""
    header = ["Datum", "Bestellung #", "Status", "Kunde", "Produkt(e)", "Verkaufte Artikel", "Nettoumsatz"]
    rows = [
        ["2024-09-02", "10412", "Abgeschlossen", "Katrin Vogel", "Kaffeebohnen Espresso 1kg", "2", "39.80"],
        ["2024-09-02", "10413", "In Bearbeitung", "Lukas Brenner", "Siebträger-Set", "2", "71.10"],
        ["2024-09-03", "10414", "Abgeschlossen", "Sabine Koch", "Kaffeebohnen Filter 500g", "3", "29.85"],
        ["2024-09-03", "10415", "Rückerstattet", "Jonas Weber", "Handmühle Classic", "1", "54.90"],
        ["2024-09-05", "10416", "Abgeschlossen", "Katrin Vogel", "Entkalker", "4", "15.98"],
    ]
    (entry,) = load_paths(duckdb.connect(), [write_csv(tmp_path / "export.csv", header, rows)]).inspect()
    assert entry["reshape"] is None
    assert entry["kind"] == "orders"
    assert entry["mapping"]["order_id"] == "Bestellung #"
    assert entry["mapping"]["amount"] == "Nettoumsatz"
    assert entry["mapping"]["quantity"] == "Verkaufte Artikel"


def test_a_budgeted_and_an_actual_cost_make_the_rows_spending():
    """A CRM's campaigns called `export.csv`: each row counts leads and deals and has a status, a start and an end
    date (as deals and employees have), but its budgeted and actual cost say it is money planned and spent."""
    header = ["Id", "Name", "Type", "Status", "StartDate", "EndDate", "BudgetedCost", "ActualCost",
              "ExpectedRevenue", "NumberOfLeads", "NumberOfOpportunities", "OwnerId"]  # fmt: skip
    rows = [
        ["7015e0000wPgV5iDDR", "FY24 Q2 Webinar - Forecasting", "Webinar", "In Progress", "2024-04-24", "2024-06-02",
         "4000.0", "4215.8", "16000.0", "29", "4", "0055e0000fc1FM7GAY"],
        ["7015e0000V5wKqLMOG", "FY24 Paid Search - Generic", "Advertisement", "In Progress", "2024-04-06",
         "2024-05-18", "7500.0", "4181.6", "30000.0", "82", "1", "0055e0000fc1FM7GAY"],
        ["7015e0000FVgt8eOTO", "FY24 Field Event - Chicago", "Seminar / Conference", "Completed", "2024-06-06",
         "2024-06-19", "25000.0", "19892.4", "100000.0", "68", "1", "0055e0000fc1FM7GAY"],
        ["7015e0000Jk2Lm9PQR", "FY24 Direct Mail - Healthcare", "Direct Mail", "Completed", "2024-02-01",
         "2024-03-15", "12000.0", "11430.0", "48000.0", "41", "3", "0055e0000fc1FM7GAY"],
        ["7015e0000Tz8Wx3ABC", "FY24 Partner Webinar", "Webinar", "Planned", "2024-07-10", "2024-07-31",
         "3000.0", "0.0", "12000.0", "0", "0", "0055e0000fc1FM7GAY"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "export.csv")
    assert recognition.kind == "spend"
    assert _columns(recognition)["amount"] == "ActualCost"
    as_deals = recognised(header, rows, "export.csv", "opportunities")
    assert "but 'BudgetedCost' and 'ActualCost' are money planned and spent" in as_deals.reason


def test_a_cost_beside_a_price_is_a_products_not_spending():
    """A CRM's products called `export.csv`: the cost of goods sold is money named as a cost, but beside a price
    and a SKU it is what each product costs to deliver, not spending."""
    header = ["hs_object_id", "name", "description", "price", "hs_sku", "hs_cost_of_goods_sold", "createdate"]
    rows = [
        ["1534843241", "Onboarding add-on", "Annual licence", "5000.00", "SKU-300", "1579.76", "2023-04-02T12:50:15Z"],
        ["1535538476", "Growth plan", "Annual licence", "1200.00", "SKU-301", "537.21", "2023-01-14T10:46:27Z"],
        [
            "1535189644",
            "Growth package",
            "Implementation service",
            "1200.00",
            "SKU-302",
            "516.07",
            "2022-06-27T11:00:06Z",
        ],
        ["1535778102", "Starter plan", "Monthly licence", "29.00", "SKU-303", "10.50", "2022-03-11T08:20:00Z"],
        ["1536001977", "Enterprise package", "Annual licence", "2500.00", "SKU-304", "2066.00", "2023-09-30T16:45:12Z"],
    ]
    recognition = recognised(header, rows, "export.csv")
    assert recognition.kind == "products"
    assert _columns(recognition)["list_price"] == "price"
    as_spend = recognised(header, rows, "export.csv", "spend")
    assert "but 'price' is a price" in as_spend.reason


def test_a_year_and_month_with_a_slash_is_the_month_of_a_spending_line(tmp_path):
    """A public spending ledger called `export.csv` dates each line by its month as `2023/03`: that is the
    period (the first of the month), so amounts paid by month are spending."""
    header = ["Ano e mês do lançamento", "Código Órgão Superior", "Nome Órgão Superior", "Código Elemento de Despesa",
              "Nome Elemento de Despesa", "Valor Empenhado (R$)", "Valor Pago (R$)"]  # fmt: skip
    rows = [
        ["2023/03", "54000", "Ministério do Turismo", "39", "Outros serviços de terceiros", "1.250.000,00",
         "312.480,55"],
        ["2023/03", "54000", "Ministério do Turismo", "14", "Diárias - civil", "48.200,00", "21.775,40"],
        ["2023/04", "54000", "Ministério do Turismo", "33", "Passagens e locomoção", "96.000,00", "40.112,90"],
        ["2023/04", "26000", "Ministério da Educação", "39", "Outros serviços de terceiros", "2.400.000,00",
         "1.104.330,00"],
        ["2023/05", "26000", "Ministério da Educação", "30", "Material de consumo", "150.000,00", "15.400,00"],
    ]  # fmt: skip
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, delimiter=";").writerows([header, *rows])
    (entry,) = load_paths(duckdb.connect(), [path]).inspect()
    assert entry["kind"] == "spend"
    assert entry["mapping"]["period"] == "Ano e mês do lançamento"
    assert entry["totals"]["dates"]["period"] == {"min": "2023-03-01", "max": "2023-05-01"}
    assert entry["totals"]["money"]["amount"] == {"": 1494098.85}


def test_what_a_seller_keeps_about_customers_it_bills_makes_the_rows_customers():
    """A billing system's accounts called `export.csv`: an id, a name, a status `Active` (as an open deal's) and a
    currency; their MRR, credit balance, billing day and auto-pay say each row is a customer being billed."""
    header = ["id", "account_number", "auto_pay", "balance", "bill_cycle_day", "created_date", "credit_balance",
              "currency", "mrr", "name", "payment_term", "sales_rep_name", "status"]  # fmt: skip
    rows = [
        ["2c92c0f9387198df30d214b656caf728", "A00000020", "FALSE", "89971.16", "1", "2023-01-23", "0", "USD",
         "43279.17", "Ionic Data", "Due Upon Receipt", "", "Active"],
        ["2c92c0f920a1cdfd5be9a022e756efee", "A00000021", "TRUE", "0", "1", "2021-08-28", "0", "EUR", "0",
         "Borealis BV", "Net 30", "Kai Jensen", "Active"],
        ["2c92c0f8f5b1e7d0a2c4e6f8a0b2c4d6", "A00000022", "TRUE", "1200.50", "15", "2022-03-14", "250", "USD",
         "1200.00", "Helix Health", "Net 30", "Kai Jensen", "Active"],
        ["2c92c0f8a1b2c3d4e5f60718293a4b5c", "A00000023", "FALSE", "0", "1", "2023-06-02", "0", "GBP", "640.00",
         "Northwind Traders", "Net 30", "", "Active"],
        ["2c92c0f8d4c3b2a1f0e9d8c7b6a59483", "A00000024", "TRUE", "310.00", "28", "2020-11-19", "0", "USD",
         "310.00", "Quarry Labs", "Due Upon Receipt", "Mia Chen", "Active"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "export.csv")
    assert recognition.kind == "accounts"
    as_deals = recognised(header, rows, "export.csv", "opportunities")
    assert "but 'auto_pay' is what a seller keeps about a customer it bills" in as_deals.reason


def test_a_credit_limit_alone_says_the_rows_are_no_activities_or_orders():
    """An ERP's customers called `export.csv`: a `type` (Company or Person) read as an activity's, a unique
    `number` read as an order's; a credit limit is granted to a customer only, so they are neither (too little
    else says customers: not recognised rather than wrong)."""
    header = ["id", "number", "displayName", "type", "city", "country", "email", "balanceDue", "creditLimit",
              "currencyCode", "lastModifiedDateTime"]  # fmt: skip
    rows = [
        ["c15521b1-b3dc-a50a-9daa-37e51b591d75", "C10000", "Copperline Robotics", "Company", "Atlanta", "US",
         "info@copperline.example", "0.00", "10000", "USD", "2024-01-10T09:10:00Z"],
        ["3f372617-f0ba-ef3a-86f0-ce2ea6ec39c1", "C10010", "Tidewater Foods", "Company", "Berlin", "DE",
         "info@tidewater.example", "1234.50", "20000", "", "2024-02-11T09:11:00Z"],
        ["4a800646-417a-8105-bc31-99944567ceb1", "C10020", "Oakridge Dental Group", "Person", "Leeds", "GB",
         "info@oakridge.example", "2469.00", "30000", "", "2024-03-12T09:12:00Z"],
        ["5b911757-528b-9216-cd42-aa0556780fd2", "C10030", "Alder & Finch", "Company", "Denver", "US",
         "hello@alderfinch.example", "0.00", "15000", "USD", "2024-04-13T09:13:00Z"],
        ["6ca22868-639c-a327-de53-bb1667891ae3", "C10040", "Brightwater Hotels", "Company", "Lyon", "FR",
         "info@brightwater.example", "880.00", "25000", "EUR", "2024-05-14T09:14:00Z"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "export.csv")
    assert recognition.kind not in ("activities", "orders", "leads")
    ranked = dict(recognition.ranked)
    assert ranked["accounts"] > max(ranked["activities"], ranked["orders"], ranked["leads"])


def test_a_customers_total_spend_is_no_sale_and_with_a_payment_count_makes_the_rows_customers():
    """Customers with an e-mail address (as leads have), whose total spend (the only money: it was read as one
    order's amount) and payment count sum up what each paid in all: customers, not orders or leads."""
    header = ["id", "Email", "Name", "Created (UTC)", "Delinquent", "Total Spend", "Payment Count"]
    rows = [
        ["cus_PQ9aZx1Lk3Vn7b", "ops@harborlight.example.com", "Harborlight Kitchens", "2024-01-02 10:14", "false",
         "720.00", "3"],
        ["cus_PQfB83nWs2Ty5h", "compta@atelier-lune.example.com", "Atelier Lune SARL", "2024-01-05 16:31", "false",
         "1440.00", "1"],
        ["cus_PR2xYt6Qm1Zk0c", "hello@greenfern.example.com", "Greenfern Florists", "2024-01-09 08:02", "true",
         "240.00", "1"],
        ["cus_PR7dKq2Wv9Lm3s", "team@northpeak.example.com", "Northpeak Outfitters", "2024-01-12 12:40", "false",
         "960.00", "4"],
        ["cus_PRc1Hn5Tb8Xw2e", "admin@lumen.example.com", "Lumen Architects", "2024-01-15 17:25", "false", "0.00",
         "0"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "export.csv")
    assert recognition.kind == "accounts"
    assert (
        "but it holds nothing a order or invoice line cannot be without"
        in recognised(header, rows, "export.csv", "orders").reason
    )  # its only money is no order's amount, and a bare `id` alone says no kind


def test_an_unrecognised_files_own_ids_held_by_anothers_customer_column_make_it_customers(tmp_path):
    """A file of an id, a description, a date and a plan says too little to be recognised alone; a survey whose
    `Customer ID` holds its ids says its rows are customers."""
    ids = ["cus_PQ9aZx1Lk3Vn7b", "cus_PQfB83nWs2Ty5h", "cus_PR2xYt6Qm1Zk0c", "cus_PR7dKq2Wv9Lm3s", "cus_PRc1Hn5Tb8Xw2e"]
    customers = write_csv(
        tmp_path / "export (2).csv",
        ["id", "Description", "Created (UTC)", "Plan"],
        [
            [ids[0], "Agency account", "2024-01-01 10:14", "Team Monthly"],
            [ids[1], "", "2024-01-02 10:14", "Business Monthly"],
            [ids[2], "Enterprise pilot", "2024-01-03 10:14", ""],
            [ids[3], "", "2024-01-04 10:14", "Team Monthly"],
            [ids[4], "Reseller", "2024-01-05 10:14", "Team Annual"],
        ],
    )
    (alone,) = load_paths(duckdb.connect(), [customers]).inspect()
    assert alone["kind"] is None
    survey = write_csv(
        tmp_path / "export (1).csv",
        ["Response ID", "Score", "Comment", "Created At", "Customer ID"],
        [
            ["502114870", "9", "Reporting is exactly what we needed.", "2024-04-10 09:12:40", ids[0]],
            ["502115233", "5", "Invoices show the wrong VAT text.", "2024-04-10 11:40:05", ids[1]],
            ["502115901", "10", "Support answered within the hour.", "2024-04-11 08:03:51", ids[2]],
            ["502116420", "7", "", "2024-04-12 15:20:09", ids[3]],
        ],
    )
    found = {entry["file"]: entry for entry in load_paths(duckdb.connect(), [survey, customers]).inspect()}
    assert found["export (2).csv"]["kind"] == "accounts"
    assert found["export (1).csv"]["kind"] == "nps"
    assert found["export (1).csv"]["mapping"]["account_id"] == "Customer ID"


# ---- round four: boards, ERPs, billing and engagement tools --------------------------------------------------


def test_a_boards_item_id_is_the_deal_itself():
    """monday.com keys each row of a deals board by its `Item ID` (Portuguese `ID do item`)."""
    header = ["Nome", "Responsável", "Etapa do negócio", "Valor do negócio", "Contatos",
              "Data prevista de fechamento", "Probabilidade de fechamento", "Valor previsto", "ID do item"]  # fmt: skip
    rows = [
        ["Expansão Ferraz", "Ana Souza", "Proposta", "48000", "Paulo Ferraz", "30/08/2024", "60", "28800", "1398472201"],
        ["Renovação Itaquera", "Bruno Lima", "Negociação", "126500", "Carla Mendes", "15/09/2024", "80", "101200",
         "1398472215"],
        ["Contrato Mar Azul", "Diego Alves", "Ganho", "72000", "Lúcia Prado", "28/06/2024", "100", "72000",
         "1398471102"],
        ["Projeto Atlântico", "Diego Alves", "Perdido", "41000", "Sara Nunes", "14/06/2024", "0", "0", "1398470018"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "Negocios.csv", "opportunities")
    assert _columns(recognition)["opportunity_id"] == "ID do item"


def test_french_erp_words_name_the_customer_the_quote_the_invoice_and_the_status():
    """Dolibarr (French): a customer is a `tiers`, a quote a `proposition`, invoicing `facturation`; `HT` and `TTC`
    are before and after VAT, `Réf.` a reference."""
    assert phrase("ID tiers") == "id customer"
    assert phrase("Date de proposition") == "date proposal"
    assert phrase("Date facturation") == "date invoice"
    assert phrase("État") == "status"
    assert phrase("Montant HT") == "amount net"
    assert phrase("Montant TTC") == "amount gross"
    assert phrase("Réf. facture") == "reference invoice"


def test_a_french_proposals_export_keys_its_quotes_by_reference_and_its_customer_by_id():
    header = ["ID tiers", "Raison sociale", "Réf.", "Date création", "Date de proposition", "Montant HT",
              "Montant TTC", "État"]  # fmt: skip
    rows = [
        ["12", "Boulangeries Morel SARL", "PR2401-0031", "08/01/2024", "08/01/2024", "4850.00000000", "5820.00000000",
         "Signée"],
        ["15", "Atelier Caron", "PR2401-0034", "15/01/2024", "16/01/2024", "1290.00000000", "1548.00000000",
         "Non signée"],
        ["21", "Transports Vidal & Fils", "PR2402-0040", "05/02/2024", "05/02/2024", "12600.00000000",
         "15120.00000000", "Facturée"],
        ["27", "Clinique Saint-Roch", "PR2402-0044", "21/02/2024", "22/02/2024", "8340.00000000", "10008.00000000",
         "Ouverte"],
        ["33", "Librairie Dumas", "PR2403-0047", "04/03/2024", "04/03/2024", "760.00000000", "919.60000000",
         "Brouillon"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "export_propositions.csv", "opportunities")
    assert _columns(recognition) == {
        "opportunity_id": "Réf.",
        "account_id": "ID tiers",
        "created_at": "Date création",
        "proposal_at": "Date de proposition",
        "amount": "Montant HT",
        "stage": "État",
    }


def test_an_erp_sales_documents_number_date_total_and_currency():
    """SAP Business One's order header: `DocNum`, `DocDate`, `DocTotal`, `DocCur` (document number, date, total,
    currency)."""
    header = ["DocEntry", "DocNum", "DocDate", "CardCode", "DocCur", "DocTotal", "VatSum", "Comments"]
    rows = [
        ["812", "24000101", "08.01.2024", "K10001", "EUR", "5.783,40", "923,40", "Rahmenvertrag Q1"],
        ["815", "24000102", "15.01.2024", "K10003", "EUR", "1.488,10", "237,60", ""],
        ["821", "24000103", "02.02.2024", "K10004", "EUR", "12.400,00", "0,00", "Innergemeinschaftliche Lieferung"],
        ["826", "24000104", "19.02.2024", "K10002", "EUR", "3.360,00", "560,00", ""],
    ]
    recognition = recognised(header, rows, "ORDR.csv", "orders")
    columns = _columns(recognition)
    assert {k: columns.get(k) for k in ("order_id", "order_date", "amount", "currency")} == {
        "order_id": "DocNum",
        "order_date": "DocDate",
        "amount": "DocTotal",
        "currency": "DocCur",
    }


def test_when_a_rep_last_touched_a_prospect_is_its_last_activity():
    """Sales-engagement tools (Outreach's `touchedAt`) say a touch for the last time someone worked the prospect."""
    header = ["id", "firstName", "company", "emails", "createdAt", "engagedAt", "touchedAt", "stage.name"]
    rows = [
        ["48213", "Hannah", "Fernhill", "hannah@fernhill.example", "2024-04-02T14:11:09.000Z",
         "2024-04-09T10:02:44.000Z", "2024-04-16T15:30:00.000Z", "Engaged"],
        ["48227", "Oliver", "Quarry Labs", "oliver@quarrylabs.example", "2024-04-03T09:45:50.000Z", "",
         "2024-04-12T08:12:31.000Z", "Approaching"],
        ["48239", "Isabel", "Tidewater", "isabel@tidewater.example", "2024-04-05T16:20:03.000Z",
         "2024-04-11T13:40:19.000Z", "2024-04-18T09:05:47.000Z", "Interested"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "prospects.csv", "leads")
    assert _columns(recognition)["last_activity_at"] == "touchedAt"


def test_an_items_subtotal_is_money_not_the_product():
    """FastSpring's order with its item flattened (`items.product`, `items.subtotal`): the product is the item's
    product, the subtotal measures it."""
    header = ["id", "currency", "total", "items.subtotal", "items.product", "items.quantity"]
    rows = [
        ["nlCkvOOxSzK5W5FO1Dqimg", "USD", "49.00", "49.00", "photo-editor-pro", "1"],
        ["Qp3mT8v1RgW2xYz0Ab4cDe", "EUR", "192.78", "180.00", "photo-editor-pro-team", "4"],
        ["Ws9eR4t7YuI1oP2aSd5fGh", "GBP", "46.80", "39.00", "photo-editor-pro", "1"],
        ["Lk2jH5gF8dS1aQ4wE7rTyU", "USD", "19.00", "19.00", "preset-pack-vol2", "1"],
    ]
    recognition = recognised(header, rows, "orders.csv", "orders")
    assert _columns(recognition)["product"] == "items.product"


def test_german_written_without_umlauts_reads_as_with_them():
    """`Geschaeftspartner` is `Geschäftspartner` (business partners, as ERPs keep customers), `Kundenauftraege`
    `Kundenaufträge` (customer orders); English words with the same letters stay whole."""
    assert phrase("OCRD_Geschaeftspartner") == "ocrd business partner"
    assert phrase("Kundenauftraege") == phrase("Kundenaufträge") == "customer order"
    assert phrase("Revenue") == "revenue" and phrase("Queue") == "queue"


def test_a_business_partner_master_keyed_by_a_code_is_accounts():
    """SAP Business One's business partners (OCRD): `CardCode` names no id, but a different code on every row of a
    file named after business partners is the customer's own id."""
    header = ["CardCode", "CardName", "CardType", "Country", "Phone1", "E_Mail", "CreateDate", "Balance"]
    rows = [
        ["K10001", "Brauhaus Lindner GmbH", "C", "DE", "089 5550101", "einkauf@lindner.example", "12.01.2022",
         "4.860,00"],
        ["K10002", "Holzbau Steiner AG", "C", "AT", "0316 555020", "office@steiner.example", "03.05.2022", "0,00"],
        ["K10003", "Kaffeerösterei Brandt", "C", "DE", "0421 555030", "info@brandt.example", "21.09.2022",
         "1.250,50"],
        ["L20001", "Gärtnerei Vogt", "L", "DE", "0761 555050", "hallo@vogt.example", "17.07.2023", "0,00"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "OCRD_Geschaeftspartner.csv")
    assert recognition.kind == "accounts"
    assert _columns(recognition)["account_id"] == "CardCode"


def test_beside_an_order_id_a_bare_id_keys_the_orders_parts():
    """Razorpay's payments: `id` is the payment's, `order_id` the order it pays (a failed attempt and its retry
    share it); the order is what an orders table keys."""
    header = ["id", "amount", "currency", "status", "order_id", "method", "email", "created_at"]
    rows = [
        ["pay_OQk2uFq1yZb3Xa", "4999.00", "INR", "captured", "order_OQk2Ld9sT0mPqR", "upi", "asha@example.in",
         "01/07/2024 10:15:32"],
        ["pay_OQm9sKd3rTy5Ue", "4999.00", "INR", "failed", "order_OQm9mWq2xE7fGh", "netbanking", "priya@example.in",
         "02/07/2024 09:41:05"],
        ["pay_OQmCc1fVb9Nw2K", "4999.00", "INR", "captured", "order_OQm9mWq2xE7fGh", "upi", "priya@example.in",
         "02/07/2024 09:44:58"],
        ["pay_OQp4Ty7jHu2Mnb", "29999.00", "INR", "refunded", "order_OQp4Mr3kLp0sTu", "card", "ops@vertex.example.in",
         "03/07/2024 15:20:11"],
    ]  # fmt: skip
    recognition = recognised(header, rows, "payments.csv", "orders")
    assert _columns(recognition)["order_id"] == "order_id"


def test_names_closed_by_legal_forms_are_the_customers_names():
    """`CardName` names no name, but its values end in GmbH, AG, KG, s.r.o.: the business partners' names."""
    header = ["CardCode", "CardName", "Country", "CreateDate"]
    rows = [
        ["K10001", "Brauhaus Lindner GmbH", "DE", "12.01.2022"],
        ["K10002", "Holzbau Steiner AG", "AT", "03.05.2022"],
        ["K10003", "Kaffeerösterei Brandt", "DE", "21.09.2022"],
        ["K10004", "Metallwerk Ostrau s.r.o.", "CZ", "08.02.2023"],
        ["K10005", "Hotel Seeblick KG", "CH", "30.11.2023"],
    ]
    recognition = recognised(header, rows, "OCRD_Geschaeftspartner.csv", "accounts")
    assert _columns(recognition)["name"] == "CardName"


def test_a_credit_limit_names_the_rows_customers():
    """Business Central's customers under a neutral name: a GUID `id`, the customer `number`, a general mailbox
    (`email`, which leads have) and a `creditLimit`. A credit limit is kept about customers only, so it names the
    rows as a `Customer` header would and the file is read as accounts; without it, it is not."""
    header = ["id", "number", "displayName", "type", "city", "country", "email", "balanceDue", "creditLimit",
              "lastModifiedDateTime"]  # fmt: skip
    names = ["Copperline Robotics", "Tidewater Foods", "Alder & Finch", "Brightwater Hotels", "Quarry Lane", "Vantor"]
    rows = [
        [f"c1552{n}b1-b3dc-a50a-9daa-37e51b591d7{n}", f"C1{n:03d}0", name, "Company", "Atlanta", "US",
         f"info@{name.split()[0].lower()}.example", f"{n * 120.5:.2f}", str(10000 * (n + 1)), f"2024-0{n + 1}-10T09:10:00Z"]
        for n, name in enumerate(names)
    ]  # fmt: skip
    recognition = recognised(header, rows, "export (1).csv")
    assert recognition.kind == "accounts"
    assert _columns(recognition)["account_id"] == "number"
    unlimited = [row[:8] + row[9:] for row in rows]
    assert recognised([*header[:8], header[9]], unlimited, "export (1).csv").kind != "accounts"


def test_a_quantity_past_the_number_columns_kept_side_by_side_is_stillrecognised():
    """A payments export of many number columns (Braintree's has over a hundred): only the first twelve are kept
    row by row, so the quantity after them has no row-by-row numbers to compare the amount with. The amount is
    then taken as it is; before, comparing the two stopped the whole import with an error."""
    fees = [f"Fee {n}" for n in range(1, 13)]
    header = ["Order ID", "Created Date", "Amount", *fees, "Quantity", "Currency"]
    rows = [
        [f"ORD-{n:03}", f"2024-03-{n:02}", f"{40 + 5 * n}.00", *[f"{n % 3}.{k}0" for k in range(12)], str(n), "USD"]
        for n in range(1, 9)
    ]
    recognition = recognised(header, rows, "payments.csv", "orders")
    assert _columns(recognition)["amount"] == "Amount"
    assert _columns(recognition)["quantity"] == "Quantity"
