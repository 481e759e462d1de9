"""Files with no column named their rows' id, as CRM import and export files often are: a unique `External ID`
is the rows' own key, and a short unique column another file's key column holds (the companies' `domain` in the
deals' `Company Domain Name`, the contacts' `email` in the deals' `Contact Email`) is their id, so the files join
as the system that wrote them joins them."""

from __future__ import annotations

import duckdb

from core.ingest import load_paths
from tests.rawtables import write_csv

COMPANIES = (
    ["name", "industry", "numberofemployees", "domain", "country"],
    [
        ["Acme Corp", "Software", "120", "acmecorp.example", "United States"],
        ["Globex Inc", "Retail", "45", "globex.example", "Canada"],
        ["Initech LLC", "Finance", "800", "initech.example", "United States"],
        ["Hooli Labs", "Software", "12", "hooli.example", "Mexico"],
    ],
)
CONTACTS = (
    ["firstname", "lastname", "email", "jobtitle", "Company Domain Name"],
    [
        ["Ana", "Ruiz", "ana@acmecorp.example", "VP Sales", "acmecorp.example"],
        ["Ben", "Ode", "ben@globex.example", "Buyer", "globex.example"],
        ["Cara", "Lin", "cara@initech.example", "CTO", "initech.example"],
        ["Dan", "Moss", "dan@hooli.example", "Marketing Manager", "hooli.example"],
        ["Eve", "Park", "eve@acmecorp.example", "Buyer", "acmecorp.example"],
    ],
)
DEALS = (
    ["dealname", "dealstage", "amount", "createdate", "closedate", "Company Domain Name", "Contact Email"],
    [
        ["Acme renewal", "Closed Won", "12000", "2025-01-06", "2025-02-10", "acmecorp.example", "ana@acmecorp.example"],
        ["Globex pilot", "Closed Lost", "5000", "2025-01-20", "2025-03-01", "globex.example", "ben@globex.example"],
        ["Initech suite", "Closed Won", "30000", "2025-02-03", "2025-04-15", "initech.example", "cara@initech.example"],
        ["Hooli trial", "Negotiation", "8000", "2025-03-11", "2025-06-30", "hooli.example", "dan@hooli.example"],
    ],
)


def test_a_unique_external_id_is_the_rows_own_key(tmp_path):
    accounts = write_csv(
        tmp_path / "accounts.csv",
        ["External_ID__c", "Name", "Industry", "NumberOfEmployees"],
        [
            [f"ACC-{i}", name, "Software", str(10 * i)]
            for i, name in enumerate(["Acme", "Globex", "Initech", "Hooli"], 1)
        ],
    )
    (entry,) = load_paths(duckdb.connect(), [accounts]).inspect()
    assert entry["kind"] == "accounts"
    assert entry["mapping"]["account_id"] == "External_ID__c"
    assert entry["rows_loaded"] == 4  # before: no Account ID, so no row loaded


def test_columns_other_files_hold_key_the_companies_and_contacts(tmp_path):
    paths = [
        write_csv(tmp_path / "companies.csv", *COMPANIES),
        write_csv(tmp_path / "contacts.csv", *CONTACTS),
        write_csv(tmp_path / "deals.csv", *DEALS),
    ]
    workspace = load_paths(duckdb.connect(), paths)
    found = {entry["file"]: entry for entry in workspace.inspect()}
    assert found["companies.csv"]["mapping"]["account_id"] == "domain"
    assert found["companies.csv"]["rows_loaded"] == 4
    assert "which deals.csv's 'Company Domain Name' holds" in found["companies.csv"]["reasons"]["account_id"]
    assert found["contacts.csv"]["mapping"]["lead_id"] == "email"
    assert found["contacts.csv"]["mapping"]["email"] == "email"  # still the contacts' e-mail too
    assert found["deals.csv"]["mapping"]["lead_id"] == "Contact Email"
    assert found["deals.csv"]["mapping"]["account_id"] == "Company Domain Name"
    joined = workspace.con.execute(
        "SELECT count(*) FROM opportunities o JOIN leads l USING (lead_id) JOIN accounts a ON a.account_id = o.account_id"
    ).fetchone()
    assert joined == (4,)


def test_a_column_of_e_mails_that_is_no_key_to_a_file_of_the_upload_stays_an_e_mail(tmp_path):
    # the deals' contact e-mails are not the companies' domains: nothing keys the contacts, so they get made-up ids
    paths = [write_csv(tmp_path / "companies.csv", *COMPANIES), write_csv(tmp_path / "contacts.csv", *CONTACTS)]
    found = {entry["file"]: entry for entry in load_paths(duckdb.connect(), paths).inspect()}
    assert "lead_id" not in found["contacts.csv"]["mapping"]
    assert found["contacts.csv"]["mapping"]["email"] == "email"


def test_accounts_with_no_id_column_are_keyed_by_their_names_or_get_made_up_ids(tmp_path):
    (named,) = load_paths(duckdb.connect(), [write_csv(tmp_path / "companies.csv", *COMPANIES)]).inspect()
    assert named["mapping"]["account_id"] == "name"  # before: no Account ID, so none of the 4 rows loaded
    assert named["rows_loaded"] == 4
    header, rows = COMPANIES
    twice = [*rows, ["Acme Corp", "Software", "30", "acme-emea.example", "Ireland"]]  # two companies of one name
    (made_up,) = load_paths(duckdb.connect(), [write_csv(tmp_path / "companies.csv", header, twice)]).inspect()
    assert "account_id" not in made_up["mapping"]
    assert made_up["rows_loaded"] == 5
    assert made_up["reshapes"] == ["No column holds the Account ID: each row gets a made-up id from its content."]


def test_a_deal_report_naming_its_account_joins_accounts_keyed_by_name(tmp_path):
    deals = write_csv(
        tmp_path / "deals.csv",
        ["Opportunity ID", "Account Name", "Stage", "Amount", "Created Date", "Close Date"],
        [
            ["006A1", "Acme Corp", "Closed Won", "12000", "2025-01-06", "2025-02-10"],
            ["006A2", "Globex Inc", "Closed Lost", "5000", "2025-01-20", "2025-03-01"],
            ["006A3", "Initech LLC", "Closed Won", "30000", "2025-02-03", "2025-04-15"],
            ["006A4", "Acme Corp", "Prospecting", "8000", "2025-03-11", "2025-06-30"],
        ],
    )
    workspace = load_paths(duckdb.connect(), [write_csv(tmp_path / "companies.csv", *COMPANIES), deals])
    found = {entry["file"]: entry for entry in workspace.inspect()}
    assert found["deals.csv"]["mapping"]["account_id"] == "Account Name"
    joined = workspace.con.execute(
        "SELECT a.industry, count(*) FROM opportunities o JOIN accounts a USING (account_id) GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert joined == [("Finance", 1), ("Retail", 1), ("Software", 2)]


def test_a_column_named_after_another_kinds_rows_keys_nothing_however_unique(tmp_path):
    """Zoho's import files name a deal's contact and an activity's contact by name: a deal file whose contacts
    happen to differ on every row is not keyed by them, nor are the activities' contacts taken as deals."""
    deals = write_csv(
        tmp_path / "deals.csv",
        ["Deal_Name", "Stage", "Amount", "Closing_Date", "Account_Name", "Contact_Name"],
        [
            ["Acme renewal", "Closed Won", "12000", "2025-02-10", "Acme Corp", "Ana Ruiz"],
            ["Globex pilot", "Closed Lost", "5000", "2025-03-01", "Globex Inc", "Ben Ode"],
            ["Initech suite", "Closed Won", "30000", "2025-04-15", "Initech LLC", "Cara Lin"],
            ["Hooli trial", "Negotiation", "8000", "2025-06-30", "Hooli Labs", "Dan Moss"],
        ],
    )
    activities = write_csv(
        tmp_path / "activities.csv",
        ["Activity_Type", "Subject", "Activity_Date", "Duration", "Account_Name", "Contact_Name"],
        [
            ["Calls", "Intro", "2025-01-10", "30", "Acme Corp", "Ana Ruiz"],
            ["Meetings", "Demo", "2025-01-22", "45", "Globex Inc", "Ben Ode"],
            ["Emails", "Proposal", "2025-02-14", "", "Initech LLC", "Cara Lin"],
            ["Calls", "Follow-up", "2025-03-02", "15", "Hooli Labs", "Dan Moss"],
        ],
    )
    paths = [write_csv(tmp_path / "accounts.csv", *COMPANIES), deals, activities]
    found = {entry["file"]: entry for entry in load_paths(duckdb.connect(), paths).inspect()}
    assert found["deals.csv"]["mapping"].get("opportunity_id") != "Contact_Name"
    assert found["activities.csv"]["mapping"].get("opportunity_id") != "Contact_Name"
    assert found["deals.csv"]["mapping"]["account_id"] == "Account_Name"


def test_products_named_in_one_column_are_keyed_by_the_code_their_order_lines_use(tmp_path):
    """Northwind's products have a `productName` and a `productID`; its order lines name the product by the id.
    The id keys the products, so every line finds its product (list prices 19 and 21)."""
    products = (
        ["productID", "productName", "unitPrice", "categoryID"],
        [["1", "Chai", "18", "1"], ["2", "Chang", "19", "1"], ["11", "Queso Cabrales", "21", "4"],
         ["14", "Tofu", "23.25", "7"]],
    )  # fmt: skip
    lines = (
        ["orderID", "productID", "unitPrice", "quantity"],
        [["10248", "11", "14", "12"], ["10249", "14", "18.6", "9"], ["10250", "2", "15.2", "20"],
         ["10251", "11", "16.8", "6"]],
    )  # fmt: skip
    paths = [write_csv(tmp_path / "products.csv", *products), write_csv(tmp_path / "order_details.csv", *lines)]
    workspace = load_paths(duckdb.connect(), paths)
    found = {entry["file"]: entry for entry in workspace.inspect()}
    assert found["products.csv"]["mapping"]["product"] == "productID"
    assert "which order_details.csv's 'productID' holds" in found["products.csv"]["reasons"]["product"]
    priced = workspace.con.execute(
        "SELECT o.order_id, p.list_price FROM orders o JOIN products p USING (product) ORDER BY 1"
    ).fetchall()
    assert priced == [("10248", 21.0), ("10249", 23.25), ("10250", 19.0), ("10251", 21.0)]
    problems = [p["message"] for entry in workspace.inspect() for p in entry["problems"]]
    assert not any("point to a product" in m for m in problems)


def test_order_headers_numbered_one_way_are_keyed_by_the_id_their_lines_use(tmp_path):
    """AdventureWorks' sales order headers carry `SalesOrderNumber` (SO43659) and `SalesOrderID` (43659); the lines
    name their order by `SalesOrderID`. That id keys the headers, so the lines take their customers: 2,024.99 x 1
    + 2,024.99 x 3 for customer 29825, 419.46 for 29672, 809.76 for 29994."""
    headers = (
        ["SalesOrderID", "OrderDate", "SalesOrderNumber", "CustomerID", "SubTotal"],
        [["43659", "2011-05-31 00:00:00", "SO43659", "29825", "8099.976"],
         ["43660", "2011-05-31 00:00:00", "SO43660", "29672", "419.4589"],
         ["43662", "2011-06-01 00:00:00", "SO43662", "29994", "809.76"]],
    )  # fmt: skip
    lines = (
        ["SalesOrderID", "SalesOrderDetailID", "OrderQty", "ProductID", "UnitPrice", "LineTotal"],
        [["43659", "1", "1", "776", "2024.994", "2024.994"], ["43659", "2", "3", "777", "2024.994", "6074.982"],
         ["43660", "13", "1", "762", "419.4589", "419.4589"], ["43662", "15", "1", "745", "809.76", "809.76"]],
    )  # fmt: skip
    paths = [
        write_csv(tmp_path / "SalesOrderHeader.csv", *headers),
        write_csv(tmp_path / "SalesOrderDetail.csv", *lines),
    ]
    workspace = load_paths(duckdb.connect(), paths)
    found = {entry["file"]: entry for entry in workspace.inspect()}
    assert found["SalesOrderHeader.csv"]["mapping"]["order_id"] == "SalesOrderID"
    by_customer = workspace.con.execute(
        "SELECT account_id, round(sum(amount), 2) FROM orders WHERE amount IS NOT NULL GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert by_customer == [("29672", 419.46), ("29825", 8099.98), ("29994", 809.76)]
