"""Public real exports (../shared/real_exports, not ours): right kind, right mapping, and their known figures
come out exactly. Skipped where that folder is absent."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from core.imports.casting import typed_column
from core.ingest import Workspace, load_paths


def entry(ws: Workspace, name: str) -> dict:
    return next(e for e in ws.inspect() if e["file"] == name)


def scalar(ws: Workspace, sql: str):
    return ws.con.execute(sql).fetchall()[0][0]


def test_maven_crm(real_exports):
    ws = load_paths(duckdb.connect(), [real_exports / "maven_crm_sales_opportunities"])
    pipeline = entry(ws, "sales_pipeline.csv")
    assert pipeline["kind"] == "opportunities"
    assert pipeline["mapping"] == {
        "opportunity_id": "opportunity_id",
        "account_id": "account",
        "engaged_at": "engage_date",
        "stage": "deal_stage",
        "amount": "close_value",
        "close_date": "close_date",
        "product": "product",
        "owner": "sales_agent",
    }
    assert (pipeline["rows_read"], pipeline["rows_loaded"], pipeline["rows_rejected"]) == (8800, 8800, 0)
    outcomes = dict(ws.con.execute("SELECT outcome, count(*) FROM opportunities GROUP BY 1").fetchall())
    assert outcomes == {"won": 4238, "lost": 2473, "open": 2089}
    assert scalar(ws, "SELECT sum(amount) FROM opportunities WHERE is_won") == 10_005_534
    assert scalar(ws, "SELECT count(*) FROM opportunities WHERE engaged_at IS NULL") == 500
    median_days = "SELECT median(date_diff('day', engaged_at, close_date)) FROM opportunities WHERE outcome = 'won'"
    assert scalar(ws, median_days) == 57

    accounts = entry(ws, "accounts.csv")
    assert accounts["kind"] == "accounts"
    assert accounts["mapping"] == {"account_id": "account", "industry": "sector", "employees": "employees",
                                   "region": "office_location", "annual_revenue": "revenue"}  # fmt: skip
    assert any("looks like it is in thousands or millions" in p["message"] for p in accounts["problems"])
    products = entry(ws, "products.csv")
    assert (products["kind"], products["mapping"]) == (
        "products", {"product": "product", "category": "series", "list_price": "sales_price"}
    )  # fmt: skip
    teams = entry(ws, "sales_teams.csv")
    assert (teams["kind"], teams["mapping"]["employee_id"]) == ("headcount", "sales_agent")
    assert ws.con.execute("SELECT role_class, count(*) FROM headcount GROUP BY 1").fetchall() == [("quota_seller", 35)]
    assert entry(ws, "data_dictionary.csv")["kind"] is None
    spelled = [p["message"] for e in ws.inspect() for p in e["problems"] if "spelled" in p["message"]]
    assert any("'GTX Pro' / 'GTXPro'" in message for message in spelled)


def test_superstore(real_exports):
    ws = load_paths(duckdb.connect(), [real_exports / "tableau_superstore_orders"])
    (orders,) = ws.inspect()
    assert orders["kind"] == "orders"
    expected = {"order_id": "Order ID", "account_id": "Customer ID", "order_date": "Order Date", "amount": "Sales",
                "product": "Product Name", "quantity": "Quantity", "margin": "Profit"}  # fmt: skip
    assert {field: orders["mapping"][field] for field in expected} == expected
    assert orders["rows_loaded"] == 10_194
    assert scalar(ws, "SELECT round(sum(amount), 2) FROM orders") == pytest.approx(2_326_534.35, abs=0.01)
    assert scalar(ws, "SELECT round(sum(margin), 2) FROM orders") == pytest.approx(292_296.81, abs=0.01)
    assert scalar(ws, "SELECT count(DISTINCT order_id) FROM orders") == 5111
    # The first line's 03/01/19 is 3 January 2019: day-first, decided from values such as 13/01/19.
    assert scalar(ws, "SELECT order_date FROM orders WHERE order_id = 'US-2019-103800' LIMIT 1") == datetime(2019, 1, 3)
    assert scalar(ws, "SELECT count(*) FROM orders WHERE order_date IS NULL") == 0
    raw = ws.files[0].raw
    postal = f'SELECT count(*) FROM "{raw.table}" WHERE regexp_matches("Postal Code", \'[A-Za-z]\')'
    assert scalar(ws, postal) > 0  # Canadian codes kept as text
    assert scalar(ws, f'SELECT typeof("Postal Code") FROM "{raw.table}" LIMIT 1') == "VARCHAR"


def test_telco_churn(real_exports):
    ws = load_paths(duckdb.connect(), [real_exports / "ibm_telco_customer_churn"])
    (accounts,) = ws.inspect()
    assert (accounts["kind"], accounts["mapping"]) == ("accounts", {"account_id": "customerID"})
    assert accounts["rows_loaded"] == 7043
    unused = next(p["message"] for p in accounts["problems"] if "not mapped to any field" in p["message"])
    assert "'Churn'" in unused and "'TotalCharges'" in unused
    raw = ws.files[0].raw
    total = typed_column(ws.con, raw.table, "TotalCharges", "DOUBLE")
    nulls = scalar(ws, f'SELECT count(*) FROM "{raw.table}" WHERE ({total.sql}) IS NULL')
    blank = scalar(ws, f'SELECT count(*) FROM "{raw.table}" WHERE "TotalCharges" = \' \'')
    assert (nulls, blank) == (11, 11)


def test_facebook_ads(real_exports):
    ws = load_paths(duckdb.connect(), [real_exports / "facebook_ads_campaign_kag"])
    (spend,) = ws.inspect()
    assert spend["kind"] == "spend"
    assert (spend["mapping"]["amount"], spend["mapping"]["campaign"]) == ("Spent", "xyz_campaign_id")
    assert spend["mapping"]["period"] == "Date" and spend["confidence"]["period"] < 0.75
    assert any("'Date' was taken as Period / date with low confidence" in p["message"] for p in spend["problems"])
    assert scalar(ws, "SELECT round(sum(amount), 2) FROM spend") == pytest.approx(58_705.23, abs=0.01)
    assert scalar(ws, "SELECT count(*) FROM spend") == 1143
    assert scalar(ws, "SELECT min(campaign) FROM spend") == "1178"  # ids stay text
    assert scalar(ws, "SELECT count(*) FROM spend WHERE channel IS NOT NULL") == 0  # no invented channel
