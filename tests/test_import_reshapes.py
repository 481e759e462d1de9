"""Reshapes in the import: a wide budget, an NPS series and a list of won deals load as the rows they stand
for, every source row accounted for, and each reshape undone and redone by the person."""

from __future__ import annotations

import json

import duckdb
import pytest

from core import ingest
from core.imports.reading import ReadError, ReadOptions
from core.ingest import Workspace, parse_mapping_file
from core.metrics import engine

# Google Ads: 1000 + 1100 = 2100; LinkedIn: 500 + 700 = 1200; Events: every month blank (a rejected row).
BUDGET = b"""Channel,Jan 2024,Feb 2024,Mar 2024,Total
Google Ads,1000,1100,,2100
LinkedIn,500,,700,1200
Events,,,,
"""
# Weighted by responses: (40*100 + 20*300 - 10*100) / 500 = 9000 / 500 = 18.
NPS_SERIES = b"Month,NPS,Responses\n2024-01,40,100\n2024-02,20,300\n2024-03,-10,100\n"
# No responses: (40 + 20 - 10) / 3 = 16.67; one period without them: not weighted either.
BARE_SERIES = b"Month,NPS\n2024-01,40\n2024-02,20\n2024-03,-10\n"
PART_SERIES = b"Month,NPS,Responses\n2024-01,40,100\n2024-02,20,300\n2024-03,-10,\n"
# 6 promoters, 4 passives, 4 detractors of 14: 100 * (6 - 4) / 14 = 14.2857...
NPS_COUNTS = b"Month,Promoters,Passives,Detractors\n2024-01,5,3,2\n2024-02,1,1,2\n"
WON_DEALS = (
    b"Lead ID,Won Date,Amount,Company\nL1,2024-01-05,1000,Acme\nL2,2024-02-10,2500,Beta\nL3,2024-03-15,500,Gamma\n"
)


def workspace(name: str, data: bytes) -> Workspace:
    ws = Workspace(duckdb.connect())
    ws.add(name, data)
    return ws


def spend_by_channel(ws: Workspace) -> dict:
    return dict(ws.con.execute("SELECT channel, sum(amount) FROM spend GROUP BY 1").fetchall())


def test_a_wide_monthly_budget_loads_as_spend_lines_with_every_row_accounted_for():
    ws = workspace("budget.csv", BUDGET)
    (entry,) = ws.inspect()
    assert entry["kind"] == "spend"
    assert entry["mapping"] == {"period": "Month", "amount": "Amount", "channel": "Channel"}
    assert spend_by_channel(ws) == {"Google Ads": 2100.0, "LinkedIn": 1200.0}
    months = ws.con.execute("SELECT period::DATE::VARCHAR, amount FROM spend ORDER BY period, amount").fetchall()
    assert months == [("2024-01-01", 500.0), ("2024-01-01", 1000.0), ("2024-02-01", 1100.0), ("2024-03-01", 700.0)]
    # 3 source rows: 2 gave 4 lines, 1 (Events, every month blank) is rejected with its reason
    assert entry["reshape"]["rows_in"] == 3 and entry["reshape"]["rows_out"] == 4
    assert (entry["rows_loaded"], entry["rows_rejected"]) == (4, 1)
    messages = [p["message"] for p in entry["problems"]]
    assert "3 source rows became 4 spend lines; 1 source row gave none and is listed as rejected." in messages
    rejected = ws.rejected_rows(ws.files[0].file_id)
    assert rejected[["line", "reason"]].values.tolist() == [[4, "every one of its 3 amounts is blank"]]
    assert entry["reasons"]["amount"].startswith("made by the reshape")


def test_a_wide_budget_undone_is_the_table_as_uploaded_and_redone_again():
    ws = workspace("budget.csv", BUDGET)
    file_id = ws.files[0].file_id
    ws.set_reshape(file_id, False)
    (entry,) = ws.inspect()
    assert ws.files[0].raw.columns == ["Channel", "Jan 2024", "Feb 2024", "Mar 2024", "Total"]
    assert entry["reshape"] is None and entry["rows_read"] == 3
    assert entry["rows_loaded"] == 0  # a spend table with no period or amount column loads nothing
    assert [o["on"] for o in ws.reshape_options(file_id) if o["key"] == "table"] == [False]
    assert ws.decisions()["budget.csv"]["reshape"] is None
    ws.set_reshape(file_id, True)
    assert ws.inspect()[0]["rows_loaded"] == 4 and spend_by_channel(ws) == {"Google Ads": 2100.0, "LinkedIn": 1200.0}


def test_a_reshape_is_saved_restored_and_replayed_after_its_raw_table_was_released(monkeypatch):
    ws = workspace("budget.csv", BUDGET)
    ws.set_reshape(ws.files[0].file_id, False)
    again = Workspace(duckdb.connect())
    again.restore({"budget.csv": BUDGET}, ws.decisions())
    assert again.files[0].reshape is None and again.inspect()[0]["rows_loaded"] == 0

    monkeypatch.setattr(ingest, "RELEASE_RAW_ROWS", 1)  # the raw table is dropped once loaded: read again
    ws = workspace("budget.csv", BUDGET)
    assert not ws.files[0].raw_in_db
    assert ws.rejected_rows(ws.files[0].file_id)["line"].tolist() == [4]  # re-read and reshaped again
    ws.set_mapping(ws.files[0].file_id, {"channel": None})
    assert ws.con.execute("SELECT sum(amount), count(channel) FROM spend").fetchall() == [(3300.0, 0)]
    restored = Workspace(duckdb.connect())
    restored.restore({"budget.csv": BUDGET}, ws.decisions())
    assert restored.files[0].reshape is not None and restored.inspect()[0]["mapping"] == {
        "period": "Month",
        "amount": "Amount",
    }


def test_a_mapping_file_keeps_the_reshape_and_refuses_a_broken_one():
    ws = workspace("budget.csv", BUDGET)
    text = ws.mappings_file()
    (decision,) = parse_mapping_file(text).values()
    assert decision["reshape"]["value_columns"] == ["Jan 2024", "Feb 2024", "Mar 2024"]
    assert decision["mapping"]["amount"] == "Amount"  # a column of the reshaped table, accepted
    content = json.loads(text)
    entry = next(iter(content["files"].values()))
    entry["reshape"]["value_columns"] = ["Apr 2024"]
    with pytest.raises(ReadError, match="reshape names column 'Apr 2024'"):
        parse_mapping_file(json.dumps(content))
    entry["reshape"] = {"name": "unpivot"}
    with pytest.raises(ReadError, match="reshape is not one this app saves"):
        parse_mapping_file(json.dumps(content))


def nps(ws: Workspace):
    return engine.compute(ws.con, ["nps"])["nps"]


def test_a_monthly_nps_series_with_responses_gives_the_weighted_average():
    ws = workspace("nps_by_month.csv", NPS_SERIES)
    (entry,) = ws.inspect()
    assert entry["kind"] == "nps" and (entry["rows_loaded"], entry["rows_rejected"]) == (3, 0)
    assert entry["mapping"] == {"responded_at": "Period", "period_nps": "Period NPS", "responses": "Responses"}
    assert ws.con.execute("SELECT count(DISTINCT respondent_id), count(score) FROM nps").fetchall() == [(3, 0)]
    result = nps(ws)
    assert result.value == pytest.approx(18.0)
    assert result.details["basis"] == "from 3 monthly NPS figures, weighted by their 500 responses"


def test_a_bare_nps_series_gives_the_plain_average_and_says_so():
    assert nps(workspace("nps.csv", BARE_SERIES)).value == pytest.approx(50 / 3)
    result = nps(workspace("nps.csv", PART_SERIES))
    assert result.value == pytest.approx(50 / 3)
    assert result.details["basis"] == "from 3 monthly NPS figures, not weighted: 1 of 3 give no responses"


def test_an_nps_series_of_counts_loads_as_responses_with_the_exact_nps():
    ws = workspace("nps_counts.csv", NPS_COUNTS)
    (entry,) = ws.inspect()
    assert entry["kind"] == "nps" and entry["rows_loaded"] == 14
    assert "2 source rows became 14 responses." in [p["message"] for p in entry["problems"]]
    result = nps(ws)
    assert result.value == pytest.approx(100 * 2 / 14)
    assert (result.details["promoters"], result.details["detractors"], result.details["responses"]) == (6, 4, 14)


def test_a_list_of_won_deals_loads_each_row_won_and_the_constant_can_be_undone():
    ws = workspace("won_deals.csv", WON_DEALS)
    file_id = ws.files[0].file_id
    (entry,) = ws.inspect()
    assert entry["kind"] == "opportunities" and entry["rows_loaded"] == 3
    rows = ws.con.execute("SELECT opportunity_id, outcome, is_won, stage FROM opportunities").fetchall()
    assert len({row[0] for row in rows}) == 3 and all(row[0].startswith("row-") for row in rows)
    assert {row[1:] for row in rows} == {("won", True, "Closed Won")}
    options = {o["key"]: o for o in ws.reshape_options(file_id)}
    assert options["constant:outcome"]["on"] and options["surrogate"]["on"]

    ws.set_constant(file_id, "outcome", None)
    outcomes = ws.con.execute("SELECT DISTINCT outcome, is_won, stage FROM opportunities").fetchall()
    assert outcomes == [(None, None, None)]  # nothing says whether these deals are won any more
    assert ws.decisions()["won_deals.csv"]["constants"] == {}
    assert not {o["key"]: o for o in ws.reshape_options(file_id)}["constant:outcome"]["on"]
    ws.set_constant(file_id, "outcome", "won")
    assert ws.con.execute("SELECT DISTINCT outcome FROM opportunities").fetchall() == [("won",)]

    ws.set_surrogate(file_id, None)
    assert ws.inspect()[0]["rows_loaded"] == 0  # no opportunity id: no row loads
    ws.set_surrogate(file_id, "opportunity_id")
    assert ws.inspect()[0]["rows_loaded"] == 3
    with pytest.raises(ValueError, match="must be one of"):
        ws.set_constant(file_id, "outcome", "maybe")


def test_a_mapping_file_that_undoes_a_reshape_is_applied_to_the_loaded_file():
    undone = workspace("budget.csv", BUDGET)
    undone.set_reshape(undone.files[0].file_id, False)
    undone.set_mapping(undone.files[0].file_id, {"memo": "Total"})
    ws = workspace("budget.csv", BUDGET)
    assert ws.apply_mapping_file(undone.mappings_file()) == 1
    (entry,) = ws.inspect()
    assert entry["reshape"] is None and entry["mapping"] == {"channel": "Channel", "memo": "Total"}
    assert ws.apply_mapping_file(workspace("budget.csv", BUDGET).mappings_file()) == 1
    assert ws.inspect()[0]["rows_loaded"] == 4 and spend_by_channel(ws) == {"Google Ads": 2100.0, "LinkedIn": 1200.0}


def test_reading_a_reshaped_file_again_with_its_options_reshapes_it_again():
    ws = workspace("budget.csv", BUDGET)
    ws.reread(ws.files[0].file_id, ReadOptions(delimiter=","))
    assert ws.inspect()[0]["rows_loaded"] == 4 and spend_by_channel(ws) == {"Google Ads": 2100.0, "LinkedIn": 1200.0}
    ws.set_reshape(ws.files[0].file_id, False)
    ws.reread(ws.files[0].file_id, ReadOptions())  # an undone reshape stays undone
    assert ws.files[0].reshape is None and ws.inspect()[0]["rows_read"] == 3


def test_channel_budgets_without_a_period_load_once_the_person_gives_the_period():
    """The Advertising dataset: TV, Radio and Newspaper budgets per market beside Sales. Unpivoted into a line per
    market and channel with no period made up: no line loads until the person gives the period every line has."""
    data = b",TV,Radio,Newspaper,Sales\n1,230.1,37.8,69.2,22.1\n2,44.5,39.3,45.1,10.4\n"
    ws = workspace("Advertising.csv", data)
    (entry,) = ws.inspect()
    assert entry["kind"] == "spend" and entry["mapping"] == {"amount": "Amount", "channel": "Channel"}
    assert "'Sales' was left out" in entry["reshape"]["description"] and entry["reshape"]["period_columns"] == []
    assert (entry["rows_loaded"], entry["rows_rejected"]) == (0, 6)
    assert any("No column is mapped to Period" in p["message"] for p in entry["problems"])
    ws.set_constant(ws.files[0].file_id, "period", "2024-01-01")
    assert spend_by_channel(ws) == pytest.approx({"TV": 274.6, "Radio": 77.1, "Newspaper": 114.3})


# Northwind's layout: the orders (customer, date) in one file, their lines (quantity, price) in another.
ORDER_HEADERS = b"orderID,customerID,orderDate,freight\n10248,VINET,1996-07-04,32.38\n10249,TOMSP,1996-07-05,11.61\n"
ORDER_LINES = b"orderID,productID,unitPrice,quantity\n10248,11,14,12\n10248,42,9.8,10\n10249,14,18.6,9\n"


def test_order_lines_take_their_customer_and_date_from_the_orders_file_beside_them():
    """10248: 12 x 14 + 10 x 9.8 = 266 for VINET; 10249: 9 x 18.6 = 167.4 for TOMSP. The two headers are not
    counted as lines: revenue per customer is (266 + 167.4) / 2 = 216.7."""
    ws = Workspace(duckdb.connect())
    ws.add_all([("orders.csv", ORDER_HEADERS), ("order_details.csv", ORDER_LINES)])
    lines = ws.con.execute(
        "SELECT order_id, account_id, order_date::DATE::VARCHAR, quantity * unit_price FROM orders ORDER BY 1, 4"
    ).fetchall()
    assert lines == [
        ("10248", "VINET", "1996-07-04", 98.0),
        ("10248", "VINET", "1996-07-04", 168.0),
        ("10249", "TOMSP", "1996-07-05", pytest.approx(167.4)),
    ]
    messages = [p["message"] for entry in ws.inspect() for p in entry["problems"]]
    assert any(m.startswith("2 order rows with no amount, quantity or price (order headers) completed the 3 lines")
               for m in messages)  # fmt: skip
    assert engine.compute(ws.con, ["relationship_depth"])["relationship_depth"].value == pytest.approx(216.7)


# Salesforce's `Opportunities with Products`: each deal repeated on each of its product lines.
DEAL_LINES = b"""Opportunity ID,Opportunity Name,Stage,Close Date,Created Date,Amount,Product Name,Quantity,Sales Price
006A1,Northwind - Fleet,Closed Won,3/14/2024,1/8/2024,"48,000.00",Fleet Pro,20,"1,800.00"
006A1,Northwind - Fleet,Closed Won,3/14/2024,1/8/2024,"48,000.00",Onboarding,1,"12,000.00"
006A2,Brightline - Pilot,Closed Lost,4/2/2024,2/2/2024,"9,600.00",Fleet Pro,8,"1,200.00"
006A3,Cobalt - Insights,Closed Won,5/21/2024,3/4/2024,"31,200.00",Store Insights,24,"1,300.00"
006A4,Kestrel - Expansion,Proposal/Price Quote,8/15/2024,4/11/2024,"22,000.00",Clinic Suite,10,"1,100.00"
006A4,Kestrel - Expansion,Proposal/Price Quote,8/15/2024,4/11/2024,"22,000.00",Store Insights,10,"1,100.00"
"""


def test_a_deal_repeated_on_its_product_lines_is_one_deal_counted_once():
    """4 deals on 6 lines: read as deals (not as a stage history, though the id repeats), each kept once. Won
    48,000 + 31,200 = 79,200 of 2 won and 1 lost: close ratio 2/3; a deal of two products keeps neither."""
    ws = workspace("Opportunities with Products.csv", DEAL_LINES)
    (entry,) = ws.inspect()
    assert entry["kind"] == "opportunities"
    deals = ws.con.execute("SELECT opportunity_id, amount, product FROM opportunities ORDER BY 1").fetchall()
    assert deals == [
        ("006A1", 48000.0, None),
        ("006A2", 9600.0, "Fleet Pro"),
        ("006A3", 31200.0, "Store Insights"),
        ("006A4", 22000.0, None),
    ]
    assert engine.compute(ws.con, ["close_ratio"])["close_ratio"].value == pytest.approx(2 / 3)
    assert any(p["message"].startswith("4 rows were the product lines of 2 deals") for p in entry["problems"])
