"""Every catalogue entry against a value computed by hand on a small fixture written for it, plus availability,
period filtering and the JSON contract."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd
import pytest

from core.ingest import Workspace
from core.metrics import engine
from core.metrics.catalogue import CATALOGUE
from core.metrics.engine import Period, compute, field_coverage, to_json
from core.metrics.questionnaire import ASSESSMENTS
from core.schema import Profile, create_table_sql


def database(**tables: list[dict]) -> duckdb.DuckDBPyConnection:
    """Canonical tables (exactly core.schema's columns) holding the given rows; absent kinds have no table."""
    con = duckdb.connect()
    for kind, rows in tables.items():
        con.execute(create_table_sql(kind))
        for row in rows:
            columns = ", ".join(f'"{name}"' for name in row)
            con.execute(f"INSERT INTO {kind} ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    return con


def one(con, metric_id: str, profile: Profile | None = None, period: Period | None = None) -> engine.MetricResult:
    result = compute(con, [metric_id], profile or Profile(), period)[metric_id]
    assert result.available, result.missing
    return result


def monthly(year: int, **amounts: float) -> list[dict]:
    """One spend line per month of `year` for each function=amount given."""
    return [
        {"period": f"{year}-{month:02d}-01", "amount": amount, "function": function}
        for month in range(1, 13)
        for function, amount in amounts.items()
    ]


def orders_per_month(year: int, amount: float) -> list[dict]:
    return [
        {"order_id": f"{year}-{month}", "account_id": "A", "order_date": f"{year}-{month:02d}-15", "amount": amount}
        for month in range(1, 13)
    ]


# --- lead generation -------------------------------------------------------------------------------------------

LEADS = [
    {"lead_id": "L1", "created_at": "2024-01-02", "qualified_at": "2024-01-10", "source": "Web", "campaign": "c1"},
    {"lead_id": "L2", "created_at": "2024-01-05", "converted_at": "2024-02-01", "source": "Web", "campaign": "c1"},
    {"lead_id": "L3", "created_at": "2024-03-01", "status_class": "qualified", "source": "Event", "campaign": "c2"},
    {"lead_id": "L4", "created_at": "2024-03-02", "status_class": "open", "source": "Event"},
    {"lead_id": "L5", "created_at": "2024-03-03", "status_class": "disqualified", "source": "Event"},
]


def test_best_prospect_profile():
    # Retail (10 employees): 4 won of 5 closed = 0.8; Technology (300): 1 of 5; overall 5 of 10 = 0.5 → lift 1.6.
    accounts = [
        {"account_id": "A1", "industry": "Retail", "employees": 10},
        {"account_id": "A2", "industry": "Technology", "employees": 300},
    ]
    outcomes = [("A1", "won")] * 4 + [("A1", "lost")] + [("A2", "won")] + [("A2", "lost")] * 4
    deals = [
        {"opportunity_id": f"O{i}", "account_id": a, "outcome": o, "close_date": "2024-05-01"}
        for i, (a, o) in enumerate(outcomes)
    ]
    result = one(database(accounts=accounts, opportunities=deals), "best_prospect_profile")
    assert result.value == pytest.approx(1.6)
    assert result.details["best_profile"] == "Retail · 1–49"
    assert result.details["overall_win_rate"] == pytest.approx(0.5)


def test_qualified_leads_counts_and_period():
    # L1 (qualified date), L2 (converted), L3 (qualified status) → 3; Feb–Mar 2024 keeps L2 and L3 → 2.
    con = database(leads=LEADS)
    result = one(con, "qualified_leads")
    assert result.value == 3
    assert dict(zip(result.breakdowns["source"]["key"], result.breakdowns["source"]["value"], strict=True)) == {
        "Web": 2,
        "Event": 1,
    }
    # One lead a month is sparse, so the trend is quarterly: Q1 2024 → 3.
    assert result.trend["period"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01"]
    assert result.trend["value"].tolist() == [3]
    assert one(con, "qualified_leads", period=Period(dt.date(2024, 2, 1), dt.date(2024, 3, 31))).value == 2


def test_cost_per_qualified_lead():
    # marketing 600 + 300 (sales 1000 ignored) ÷ 3 qualified leads = 300; campaign c1: 600 ÷ 2 = 300.
    spend = [
        {"period": "2024-01-01", "amount": 600, "function": "marketing", "campaign": "c1"},
        {"period": "2024-02-01", "amount": 300, "function": "marketing", "campaign": "c2"},
        {"period": "2024-02-01", "amount": 1000, "function": "sales"},
    ]
    result = one(database(leads=LEADS, spend=spend), "cost_per_qualified_lead")
    assert result.value == pytest.approx(300)
    by_campaign = result.breakdowns["campaign"].set_index("key")["value"]
    assert by_campaign["c1"] == pytest.approx(300) and by_campaign["c2"] == pytest.approx(300)


def test_lead_to_appointment_rate_with_window():
    # L1 has an appointment date; L2 a meeting 10 days in; L3 a meeting 200 days in; L4 only a call → 2 of 4.
    leads = [{"lead_id": f"L{i}", "created_at": "2024-01-01"} for i in range(1, 5)]
    leads[0]["appointment_at"] = "2024-01-05"
    activities = [
        {"activity_id": "a1", "lead_id": "L2", "type": "Meeting", "occurred_at": "2024-01-11"},
        {"activity_id": "a2", "lead_id": "L3", "type": "Meeting", "occurred_at": "2024-07-19"},
        {"activity_id": "a3", "lead_id": "L4", "type": "Call", "occurred_at": "2024-01-06"},
    ]
    con = database(leads=leads, activities=activities)
    assert one(con, "lead_to_appointment_rate").value == pytest.approx(0.5)
    assert one(con, "lead_to_appointment_rate", Profile(appointment_window_days=365)).value == pytest.approx(0.75)


def test_lead_knowledge():
    # L1 has all 8 key fields (1.0), L2 only source (1/8) → (1 + 0.125) / 2 = 0.5625.
    full = {
        "company": "Acme",
        "title": "CTO",
        "email": "a@b.c",
        "industry": "Retail",
        "employees": 10,
        "country": "US",
        "annual_revenue": 1e6,
        "source": "Web",
    }
    con = database(leads=[{"lead_id": "L1", **full}, {"lead_id": "L2", "source": "Web"}])
    result = one(con, "lead_knowledge")
    assert result.value == pytest.approx(0.5625)
    assert result.details["filled_source"] == 1.0 and result.details["filled_company"] == 0.5


# --- lead management -------------------------------------------------------------------------------------------


def test_rfp_count_from_deal_dates_and_stage_history():
    # O1 RFP date; O2 via history 'RFP Received'; O3 only in history 'Request for Proposal'; O4 never → 3.
    deals = [
        {"opportunity_id": "O1", "rfp_at": "2024-01-05"},
        {"opportunity_id": "O2"},
        {"opportunity_id": "O4"},
    ]
    history = [
        {"opportunity_id": "O2", "stage": "RFP Received", "changed_at": "2024-02-01"},
        {"opportunity_id": "O3", "stage": "Request for Proposal", "changed_at": "2024-03-01"},
        {"opportunity_id": "O4", "stage": "Negotiation", "changed_at": "2024-03-01"},
    ]
    con = database(opportunities=deals, stage_history=history)
    assert one(con, "rfp_count").value == 3
    assert one(con, "rfp_count", period=Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31))).value == 1


def test_proposal_to_presentation_rate():
    # O1 presented after proposal (yes); O2 presented before (no); O3 never (no); O4 via history (yes) → 2 of 4.
    deals = [
        {"opportunity_id": "O1", "proposal_at": "2024-01-10", "presentation_at": "2024-01-20"},
        {"opportunity_id": "O2", "proposal_at": "2024-01-10", "presentation_at": "2024-01-05"},
        {"opportunity_id": "O3", "proposal_at": "2024-02-01"},
        {"opportunity_id": "O4"},
    ]
    history = [
        {"opportunity_id": "O4", "stage": "Proposal/Price Quote", "changed_at": "2024-03-01"},
        {"opportunity_id": "O4", "stage": "Presentation", "changed_at": "2024-03-05"},
    ]
    assert one(database(opportunities=deals, stage_history=history), "proposal_to_presentation_rate").value == 0.5


def test_time_with_prospects():
    # meetings and calls: A 60 + 30 (Jan), B 90 (Feb) = 180 min ÷ (2 owners × 2 months) = 45; email and
    # undated-duration meeting are left out.
    activities = [
        {"activity_id": "1", "type": "Meeting", "owner": "A", "occurred_at": "2024-01-03", "duration_minutes": 60},
        {"activity_id": "2", "type": "Call", "owner": "A", "occurred_at": "2024-01-04", "duration_minutes": 30},
        {"activity_id": "3", "type": "Meeting", "owner": "B", "occurred_at": "2024-02-03", "duration_minutes": 90},
        {"activity_id": "4", "type": "Email", "owner": "A", "occurred_at": "2024-01-05", "duration_minutes": 500},
        {"activity_id": "5", "type": "Meeting", "owner": "B", "occurred_at": "2024-02-05"},
    ]
    result = one(database(activities=activities), "time_with_prospects")
    assert result.value == pytest.approx(45)
    assert result.details["total_minutes"] == 180


def test_valuable_meeting_rate():
    # 5 meetings/calls with an outcome, 2 advanced ("next step agreed", "Interested") → 0.4.
    rows = [
        ("Meeting", "Advanced - next step agreed"),
        ("Meeting", "Held - no next step"),
        ("Meeting", "No-show"),
        ("Call", "Connected"),
        ("Call", "Interested"),
        ("Email", "Interested"),
        ("Meeting", None),
    ]
    activities = [
        {"activity_id": str(i), "type": t, "outcome": o, "occurred_at": "2024-01-01"} for i, (t, o) in enumerate(rows)
    ]
    assert one(database(activities=activities), "valuable_meeting_rate").value == pytest.approx(0.4)


def test_marketing_material_usage():
    # Won W1 has 2 content shares, W2 a meeting, W3 nothing; the lost deal's share does not count → 1 of 3.
    deals = [
        {"opportunity_id": o, "outcome": out, "close_date": "2024-02-01"}
        for o, out in (("W1", "won"), ("W2", "won"), ("W3", "won"), ("L1", "lost"))
    ]
    activities = [
        {"activity_id": "1", "opportunity_id": "W1", "type": "Content Share"},
        {"activity_id": "2", "opportunity_id": "W1", "type": "Email", "material": "ROI calculator"},
        {"activity_id": "3", "opportunity_id": "W2", "type": "Meeting"},
        {"activity_id": "4", "opportunity_id": "L1", "type": "Content Share"},
    ]
    result = one(database(opportunities=deals, activities=activities), "marketing_material_usage")
    assert result.value == pytest.approx(1 / 3)
    assert result.details["content_shares_per_won_deal"] == pytest.approx(2 / 3)


def test_lead_leakage_rate():
    # as-of 2024-06-30 (latest lead). Leaked: L1 disqualified, L2 only a lost deal, L6 idle 181 days → 3 of 6.
    # L3 won, L4 active 60 days ago, L5 new. With a 30-day idle window L4 leaks too → 4 of 6.
    leads = [
        {"lead_id": "L1", "created_at": "2024-01-01", "disqualified_at": "2024-01-10"},
        {"lead_id": "L2", "created_at": "2024-01-01"},
        {"lead_id": "L3", "created_at": "2024-01-01"},
        {"lead_id": "L4", "created_at": "2024-01-01", "last_activity_at": "2024-05-01"},
        {"lead_id": "L5", "created_at": "2024-06-30"},
        {"lead_id": "L6", "created_at": "2024-01-01"},
    ]
    deals = [
        {"opportunity_id": "O2", "lead_id": "L2", "outcome": "lost", "created_at": "2024-02-01"},
        {"opportunity_id": "O3", "lead_id": "L3", "outcome": "won", "created_at": "2024-02-01"},
    ]
    con = database(leads=leads, opportunities=deals)
    result = one(con, "lead_leakage_rate")
    assert result.value == pytest.approx(0.5)
    assert (result.details["disqualified"], result.details["lost"], result.details["idle"]) == (1, 1, 1)
    assert result.details["as_of"] == "2024-06-30"
    assert one(con, "lead_leakage_rate", Profile(idle_days=30)).value == pytest.approx(4 / 6)


def test_nurture_investment():
    # nurture 200 + 100 = 300 of 1000 marketing spend.
    spend = [
        {"period": "2024-01-01", "amount": 200, "function": "marketing", "purpose": "nurture"},
        {"period": "2024-02-01", "amount": 100, "function": "marketing", "purpose": "Nurture"},
        {"period": "2024-02-01", "amount": 700, "function": "marketing", "purpose": "acquisition"},
    ]
    result = one(database(spend=spend), "nurture_investment")
    assert result.value == 300
    assert result.details["share_of_marketing_spend"] == pytest.approx(0.3)


# --- closing ---------------------------------------------------------------------------------------------------


def test_high_margin_sales_share():
    # P1 (80%) 600 high, P2 (20%) 300 not, P3 unlisted with line margin 50/100 = 50% high → 700 of 1000.
    products = [{"product": "P1", "margin_pct": 0.8}, {"product": "P2", "margin_pct": 0.2}]
    orders = [
        {"order_id": "1", "order_date": "2024-01-01", "product": "P1", "amount": 600},
        {"order_id": "2", "order_date": "2024-01-01", "product": "p2 ", "amount": 300},
        {"order_id": "3", "order_date": "2024-01-01", "product": "P3", "amount": 100, "margin": 50},
    ]
    con = database(products=products, orders=orders)
    assert one(con, "high_margin_sales_share").value == pytest.approx(0.7)
    assert one(con, "high_margin_sales_share", Profile(high_margin_pct=0.6)).value == pytest.approx(0.6)


def test_new_product_sales_share():
    # Sale on 2024-03-01: N (launched 9 months before) 400 is new within 24 months, O (2015) 600 is not → 0.4.
    products = [{"product": "N", "launch_date": "2023-06-01"}, {"product": "O", "launch_date": "2015-01-01"}]
    orders = [
        {"order_id": "1", "order_date": "2024-03-01", "product": "N", "amount": 400},
        {"order_id": "2", "order_date": "2024-03-01", "product": "O", "amount": 600},
    ]
    con = database(products=products, orders=orders)
    assert one(con, "new_product_sales_share").value == pytest.approx(0.4)
    assert one(con, "new_product_sales_share", Profile(new_product_months=6)).value == 0


def test_meetings_to_close():
    # W1: 3 meetings (+1 call, not a meeting), W2: 1, W3: 0; the lost deal's 5 do not count → 4 ÷ 3.
    deals = [
        {"opportunity_id": o, "outcome": out, "close_date": "2024-02-01"}
        for o, out in (("W1", "won"), ("W2", "won"), ("W3", "won"), ("L", "lost"))
    ]
    activities = [{"activity_id": f"w1-{i}", "opportunity_id": "W1", "type": "Meeting"} for i in range(3)]
    activities += [{"activity_id": "w1-call", "opportunity_id": "W1", "type": "Call"}]
    activities += [{"activity_id": "w2", "opportunity_id": "W2", "type": "Event"}]
    activities += [{"activity_id": f"l-{i}", "opportunity_id": "L", "type": "Meeting"} for i in range(5)]
    assert one(database(opportunities=deals, activities=activities), "meetings_to_close").value == pytest.approx(4 / 3)


def test_time_to_close_starts_at_the_earliest_record():
    # W1 from its lead (Jan 1) to Jan 31 = 30 days; W2 from engagement (Jan 22) to Feb 11 = 20; W3 Mar 1 → Apr 10
    # = 40; the lost deal is ignored → median 30.
    leads = [{"lead_id": "L1", "created_at": "2024-01-01"}]
    deals = [
        {"opportunity_id": "W1", "lead_id": "L1", "created_at": "2024-01-11", "close_date": "2024-01-31"},
        {"opportunity_id": "W2", "created_at": "2024-02-01", "engaged_at": "2024-01-22", "close_date": "2024-02-11"},
        {"opportunity_id": "W3", "created_at": "2024-03-01", "close_date": "2024-04-10"},
    ]
    for deal in deals:
        deal["outcome"] = "won"
    deals.append({"opportunity_id": "L", "outcome": "lost", "created_at": "2023-01-01", "close_date": "2024-04-10"})
    result = one(database(leads=leads, opportunities=deals), "time_to_close")
    assert result.value == 30
    assert result.details["won_deals"] == 3 and result.details["mean_days"] == pytest.approx(30)


CLOSE_DEALS = [
    {"opportunity_id": "O1", "lead_id": "L1", "outcome": "won", "close_date": "2024-02-01"},
    {"opportunity_id": "O2", "lead_id": "L2", "outcome": "lost", "close_date": "2024-02-01"},
    {"opportunity_id": "O3", "is_won": True, "is_closed": True, "close_date": "2024-02-01"},
    {"opportunity_id": "O4", "outcome": "won", "close_date": "2024-02-01"},
    {"opportunity_id": "O5", "outcome": "open"},
]


def test_close_ratio_from_leads_and_from_deals():
    # Leads linked to won deals: 1 of 4 leads won → 0.25; closed deals: 3 won (O3 by its flags) of 4 → 0.75.
    leads = [{"lead_id": f"L{i}", "created_at": "2024-01-01"} for i in range(1, 5)]
    result = one(database(leads=leads, opportunities=CLOSE_DEALS), "close_ratio")
    assert result.value == pytest.approx(0.25)
    assert result.details["lead_to_customer_rate"] == pytest.approx(0.25)
    assert result.details["win_rate_closed_deals"] == pytest.approx(0.75)
    assert one(database(opportunities=CLOSE_DEALS), "close_ratio").value == pytest.approx(0.75)


def test_funnel_value():
    # Open: 1000 × 0.5 + 2000 × win rate (1 won of 4 closed = 0.25) + 100 × 30% = 500 + 500 + 30 = 1030.
    deals = [
        {"opportunity_id": "A", "outcome": "open", "amount": 1000, "probability": 0.5},
        {"opportunity_id": "B", "outcome": "open", "amount": 2000},
        {"opportunity_id": "C", "outcome": "open", "amount": 100, "probability": 30},
        {"opportunity_id": "W", "outcome": "won", "amount": 5},
    ] + [{"opportunity_id": f"L{i}", "outcome": "lost", "amount": 5} for i in range(3)]
    result = one(database(opportunities=deals), "funnel_value")
    assert result.value == pytest.approx(1030)
    assert result.details["deals_weighted_by_win_rate"] == 1


def test_order_size_and_top20_share():
    # Orders: 150 (2 lines, A), 300 (B), 50 (C), 500 (A); the credit note is left out → median 225, mean 250.
    # Customers A 650, B 300, C 50: top max(1, ⌊0.6⌋) = 1 customer → 650 ÷ 1000 = 0.65.
    orders = [
        {"order_id": "1", "account_id": "A", "order_date": "2024-01-01", "amount": 100},
        {"order_id": "1", "account_id": "A", "order_date": "2024-01-01", "amount": 50},
        {"order_id": "2", "account_id": "B", "order_date": "2024-01-02", "amount": 300},
        {"order_id": "3", "account_id": "C", "order_date": "2024-01-03", "amount": 50},
        {"order_id": "4", "account_id": "A", "order_date": "2024-01-04", "amount": 500},
        {"order_id": "5", "account_id": "D", "order_date": "2024-01-05", "amount": -20},
    ]
    result = one(database(orders=orders), "order_size")
    assert result.value == pytest.approx(225)
    assert result.details["mean_order_value"] == pytest.approx(250)
    assert result.details["top20_customer_share"] == pytest.approx(0.65)
    deals = [
        {"opportunity_id": str(a), "account_id": str(a), "outcome": "won", "amount": a, "close_date": "2024-01-01"}
        for a in (100, 200, 600)
    ]
    assert one(database(opportunities=deals), "order_size").value == 200


SPEND_2024 = monthly(2024, marketing=100, sales=300) + [
    {"period": "2023-06-01", "amount": 5000, "function": "marketing"}
]
ORDERS_2024 = orders_per_month(2024, 1000) + [{"order_id": "old", "order_date": "2023-06-15", "amount": 9999}]


def test_marketing_spend_to_sales_uses_the_last_twelve_months():
    # 2024: marketing 1,200 ÷ orders 12,000 = 0.1 (the 2023 lines fall outside the default window).
    result = one(database(spend=SPEND_2024, orders=ORDERS_2024), "marketing_spend_to_sales")
    assert result.value == pytest.approx(0.1)
    assert result.details["revenue_source"] == "orders" and result.details["months"] == 12
    # No sales data: annualised marketing 1,200 ÷ the profile's 24,000 = 0.05.
    profile_only = one(database(spend=SPEND_2024), "marketing_spend_to_sales", Profile(annual_revenue=24000))
    assert profile_only.value == pytest.approx(0.05)
    assert profile_only.details["revenue_source"] == "company profile"


def test_market_share():
    # 12,000 in the last 12 months ÷ market 120,000 = 0.1; with only a typed-in revenue: 50,000 ÷ 1,000,000.
    con = database(orders=ORDERS_2024)
    assert one(con, "market_share", Profile(market_size=120000)).value == pytest.approx(0.1)
    profile = Profile(market_size=1e6, annual_revenue=50000)
    assert one(database(), "market_share", profile).value == pytest.approx(0.05)


# --- retention -------------------------------------------------------------------------------------------------


def test_relationship_depth():
    # A: orders o1 (P1 100), o2 (P2 200); B: o3 (P1 300) → 600 ÷ 2 customers = 300; 1.5 products; 50% repeat.
    orders = [
        {"order_id": "o1", "account_id": "A", "order_date": "2024-01-01", "product": "P1", "amount": 100},
        {"order_id": "o2", "account_id": "A", "order_date": "2024-02-01", "product": "P2", "amount": 200},
        {"order_id": "o3", "account_id": "B", "order_date": "2024-02-01", "product": "P1", "amount": 300},
    ]
    result = one(database(orders=orders), "relationship_depth")
    assert result.value == pytest.approx(300)
    assert result.details["products_per_customer"] == pytest.approx(1.5)
    assert result.details["repeat_customer_share"] == pytest.approx(0.5)


def test_nps():
    # 10 responses: 5 promoters (9–10), 2 passives, 3 detractors (0–6) → 50% − 30% = 20.
    scores = [10, 9, 9, 10, 9, 8, 7, 6, 0, 3]
    responses = [{"respondent_id": str(i), "score": s, "responded_at": "2024-01-01"} for i, s in enumerate(scores)]
    result = one(database(nps=responses), "nps")
    assert result.value == pytest.approx(20)
    assert (result.details["promoters"], result.details["passives"], result.details["detractors"]) == (5, 2, 3)


def test_share_of_wallet():
    # 12-month window. A 500 of wallet 1,000; B 1,000 of 3,000; C has no revenue, D no wallet → 1,500 ÷ 4,000.
    accounts = [
        {"account_id": "A", "wallet_estimate": 1000},
        {"account_id": "B", "wallet_estimate": 3000},
        {"account_id": "C", "wallet_estimate": 500},
        {"account_id": "D"},
    ]
    orders = [
        {"order_id": "1", "account_id": "A", "order_date": "2024-01-15", "amount": 500},
        {"order_id": "2", "account_id": "B", "order_date": "2024-06-15", "amount": 1000},
        {"order_id": "3", "account_id": "D", "order_date": "2024-12-15", "amount": 999},
    ]
    assert one(database(accounts=accounts, orders=orders), "share_of_wallet").value == pytest.approx(0.375)


def test_win_back_rate():
    # as-of 2024-12-31. A: 17-month gap then back (won back); B: silent since 2022 (lapsed); C: no gap;
    # D: last order 2023-06-01, 19 months before as-of (lapsed) → 1 of 3.
    dates = {
        "A": ["2020-01-01", "2021-06-01"],
        "B": ["2022-01-01"],
        "C": ["2024-06-01", "2024-12-31"],
        "D": ["2023-01-01", "2023-06-01"],
    }
    orders = [
        {"order_id": f"{a}{i}", "account_id": a, "order_date": d, "amount": 1}
        for a, days in dates.items()
        for i, d in enumerate(days)
    ]
    result = one(database(orders=orders), "win_back_rate")
    assert result.value == pytest.approx(1 / 3)
    assert result.details["lapsed_customers"] == 3


# --- IDC 2012 scorecard ----------------------------------------------------------------------------------------


def test_sm_spend_pct_revenue_and_sales_to_marketing():
    # 2024: (1,200 marketing + 3,600 sales) ÷ 12,000 revenue = 0.4; sales ÷ marketing = 3.
    con = database(spend=SPEND_2024, orders=ORDERS_2024)
    assert one(con, "sm_spend_pct_revenue").value == pytest.approx(0.4)
    assert one(con, "sales_to_marketing_spend").value == pytest.approx(3.0)


def test_sm_spend_pct_revenue_falls_back_to_won_deals():
    # No orders: won deals in 2024 total 6,000 → 4,800 ÷ 6,000 = 0.8.
    deals = [{"opportunity_id": "W", "outcome": "won", "amount": 6000, "close_date": "2024-05-01"}]
    result = one(database(spend=SPEND_2024, opportunities=deals), "sm_spend_pct_revenue")
    assert result.value == pytest.approx(0.8)
    assert result.details["revenue_source"] == "won deals"


ROSTER = (
    [{"employee_id": f"q{i}", "role_class": "quota_seller", "fte": 1.0} for i in range(5)]
    + [{"employee_id": "q5", "role_class": "quota_seller"}]  # no FTE given: counts as 1
    + [{"employee_id": "gone", "role_class": "quota_seller", "termination_date": "2024-06-01"}]
    + [{"employee_id": "fm1", "role_class": "field_marketing", "fte": 1.0}]
    + [{"employee_id": "fm2", "role_class": "field_marketing", "fte": 0.5}]
    + [{"employee_id": "so", "role_class": "sales_ops"}, {"employee_id": "mo", "role_class": "marketing_ops"}]
    + [{"employee_id": "mk", "role_class": "marketing_other", "fte": 0.5}]
    + [{"employee_id": f"x{i}", "role_class": "other"} for i in range(5)]
)


def test_marketing_spend_per_sales_head():
    # as-of 2024-12-31 from orders: 6 active quota sellers; 1,200 marketing spend in 12 months → 200 per seller.
    con = database(spend=SPEND_2024, orders=ORDERS_2024, headcount=ROSTER)
    result = one(con, "marketing_spend_per_sales_head")
    assert result.value == pytest.approx(200)
    assert result.details["quota_seller_fte"] == 6


def test_quota_to_field_marketing_ratio():
    # 6 active quota sellers (the terminated one is out) ÷ 1.5 field-marketing FTE = 4.
    con = database(orders=ORDERS_2024, headcount=ROSTER)
    assert one(con, "quota_to_field_marketing_ratio").value == pytest.approx(4.0)


def test_ops_staff_share():
    # ops 2 FTE ÷ sales and marketing FTE (6 + 1.5 + 2 + 0.5 = 10; role 'other' excluded) = 0.2.
    con = database(orders=ORDERS_2024, headcount=ROSTER)
    assert one(con, "ops_staff_share").value == pytest.approx(0.2)


def test_program_share_of_spend():
    # programs 300 + 200 ÷ (300 + 500 + 1000 + 200) = 0.25; the 'other' function line is not S&M spend.
    spend = [
        {"period": "2024-01-01", "amount": 300, "function": "marketing", "category": "programs"},
        {"period": "2024-01-01", "amount": 500, "function": "marketing", "category": "people"},
        {"period": "2024-01-01", "amount": 1000, "function": "sales", "category": "people"},
        {"period": "2024-01-01", "amount": 200, "function": "sales", "category": "programs"},
        {"period": "2024-01-01", "amount": 999, "function": "other", "category": "programs"},
    ]
    assert one(database(spend=spend), "program_share_of_spend").value == pytest.approx(0.25)


def test_self_assessment_scores():
    # Sales enablement answers 4,4,2,2,0,4,2 → 18 ÷ 28 × 100; lead management all 3 → 75.
    enablement = dict(zip((q.id for q in ASSESSMENTS["sales_enablement_score"]), (4, 4, 2, 2, 0, 4, 2), strict=True))
    lead_mgmt = {q.id: 3 for q in ASSESSMENTS["lead_management_score"]}
    profile = Profile(questionnaire={**enablement, **lead_mgmt})
    con = database(leads=LEADS)
    assert one(con, "sales_enablement_score", profile).value == pytest.approx(1800 / 28)
    result = one(con, "lead_management_score", profile)
    assert result.value == pytest.approx(75)
    assert "lead_leakage_rate" in result.details
    unanswered = compute(con, ["lead_management_score"])["lead_management_score"]
    assert not unanswered.available and unanswered.missing == ["questionnaire answers (Scorecard page)"]
    partial = compute(con, ["sales_enablement_score"], Profile(questionnaire=lead_mgmt))["sales_enablement_score"]
    assert partial.missing == ["questionnaire answers (Scorecard page)"]


# --- availability, contract -----------------------------------------------------------------------------------

LEAD_METRICS = {"qualified_leads", "lead_to_appointment_rate", "lead_knowledge", "lead_leakage_rate"}


def test_only_leads_loaded_gives_lead_metrics_and_says_what_is_missing_for_the_rest():
    con = database(leads=LEADS + [{"lead_id": "L9", "created_at": "2024-03-05", "appointment_at": "2024-03-09"}])
    results = compute(con)
    assert list(results) == list(CATALOGUE)
    assert {metric_id for metric_id, r in results.items() if r.available} == LEAD_METRICS
    for metric_id, result in results.items():
        if metric_id not in LEAD_METRICS:
            assert result.value is None and result.missing, metric_id
    assert any("opportunities" in line for line in results["close_ratio"].missing)
    assert any("spend" in line for line in results["sm_spend_pct_revenue"].missing)
    assert any("CRM opportunity" in line for line in results["time_to_close"].missing)


def test_empty_field_is_named_precisely():
    con = database(leads=[{"lead_id": "L1", "created_at": "2024-01-01"}])
    assert field_coverage(con) == {"leads": {"lead_id", "created_at"}}
    missing = compute(con, ["qualified_leads"])["qualified_leads"].missing
    assert missing[0].startswith("leads.qualified_at (Qualified (MQL/SQL) date) has no values")


def test_unknown_metric_id_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown metric id"):
        compute(database(), ["no_such_metric"])


def test_to_json_contract_is_json_safe():
    con = database(leads=LEADS, opportunities=CLOSE_DEALS)
    payload = to_json(compute(con))
    text = json.dumps(payload, allow_nan=False)
    assert json.loads(text) == payload
    assert [item["id"] for item in payload["metrics"]] == list(CATALOGUE)
    for item in payload["metrics"]:
        assert set(item) == {"id", "name", "stage", "value", "unit", "available", "missing", "details"}
    close = next(item for item in payload["metrics"] if item["id"] == "close_ratio")
    # 1 of the 5 leads (L1) became a won customer.
    assert close["value"] == pytest.approx(0.2) and close["unit"] == "ratio"


def test_breakdowns_tie_in_key_order_and_repeat_exactly():
    # Sources Zeta and Alpha both hold 2 qualified leads (and Mid 1): ties sort by key, so the table is the same
    # on every run, and so are its values and the trend (Q1 2024: 5), breakdowns included.
    leads = [
        {"lead_id": f"L{i}", "created_at": f"2024-0{i % 3 + 1}-01", "qualified_at": "2024-03-01", "source": source}
        for i, source in enumerate(["Zeta", "Alpha", "Zeta", "Alpha", "Mid"])
    ]
    con = database(leads=leads)
    first, second = (compute(con, ["qualified_leads"])["qualified_leads"] for _ in range(2))
    table = first.breakdowns["source"]
    assert table["key"].tolist() == ["Alpha", "Zeta", "Mid"] and table["value"].tolist() == [2, 2, 1]
    assert first.trend["value"].tolist() == [5]
    pd.testing.assert_frame_equal(table, second.breakdowns["source"])
    pd.testing.assert_frame_equal(first.trend, second.trend)


def test_no_qualifying_rows_is_unavailable_not_a_silent_blank():
    # Open deals without amounts: nothing to weigh, so the funnel value says so instead of showing a blank.
    con = database(
        opportunities=[
            {"opportunity_id": "A", "outcome": "open"},
            {"opportunity_id": "W", "amount": 9, "outcome": "won"},
        ]
    )
    result = compute(con, ["funnel_value"])["funnel_value"]
    assert not result.available and result.missing == [engine.NO_ROWS]
    # An open deal with an amount but no probability, and no closed deal to learn a win rate from.
    con = database(opportunities=[{"opportunity_id": "A", "outcome": "open", "amount": 5}])
    assert compute(con, ["funnel_value"])["funnel_value"].missing == [engine.NO_VALUE]


# --- end to end through ingest ---------------------------------------------------------------------------------


def test_real_exports_known_figures(real_exports):
    from core.ingest import load_paths

    maven = duckdb.connect()
    load_paths(maven, [real_exports / "maven_crm_sales_opportunities"])
    results = compute(maven, ["close_ratio", "time_to_close"])
    # README: Won 4,238, Lost 2,473 → 63.15%; median 57 days from engage_date to close_date.
    assert results["close_ratio"].value == pytest.approx(4238 / (4238 + 2473))
    assert results["time_to_close"].value == 57
    superstore = duckdb.connect()
    load_paths(superstore, [real_exports / "tableau_superstore_orders"])
    # README: the top 20% of the 804 customers (160 of them) make 48.3% of sales.
    details = compute(superstore, ["order_size"])["order_size"].details
    assert details["customers"] == 804
    assert details["top20_customer_share"] == pytest.approx(0.483, abs=0.0005)


def test_sample_company_has_all_33_metrics():
    from core.ingest import load_paths
    from core.sample import SAMPLE_DIR, sample_profile

    con = duckdb.connect()
    load_paths(con, [SAMPLE_DIR])
    results = compute(con, None, sample_profile())
    unavailable = {metric_id: r.missing for metric_id, r in results.items() if not r.available}
    # Everything comes from the files, but for the two self-assessments, answered in the sample's profile.
    assert len(results) == 33 and not unavailable, unavailable
    assert round(results["sales_enablement_score"].value) == 54

    # without breakdowns: the same values, details and trends, and no breakdown tables
    lean = compute(con, None, sample_profile(), breakdowns=False)
    for metric_id, full in results.items():
        assert lean[metric_id].value == pytest.approx(full.value, rel=1e-12), metric_id  # sums: thread order noise
        assert lean[metric_id].details.keys() == full.details.keys(), metric_id
        for name, expected in full.details.items():
            shown = lean[metric_id].details[name]
            assert shown == (pytest.approx(expected, rel=1e-12) if isinstance(expected, float) else expected), name
        if full.trend is not None:
            pd.testing.assert_frame_equal(lean[metric_id].trend, full.trend)
    assert results["close_ratio"].breakdowns and not lean["close_ratio"].breakdowns
    assert lean["best_prospect_profile"].value == results["best_prospect_profile"].value  # read from a breakdown


def test_filters_keep_the_rows_of_a_dimension_and_name_the_metrics_they_cannot_apply_to():
    ws = Workspace(duckdb.connect())
    ws.add(
        "leads.csv",
        b"Lead ID,Created Date,Lead Source,Lead Status,Became a Marketing Qualified Lead Date\n"
        b"L1,2025-01-05,Events,Qualified,2025-01-09\n"
        b"L2,2025-01-06,Events,Open,\n"
        b"L3,2025-02-01,Paid Search,Qualified,2025-02-03\n"
        b"L4,2025-02-02,,Qualified,2025-02-05\n",
    )
    ws.add("nps.csv", b"Response ID,Response Date,Score\nR1,2025-01-10,10\nR2,2025-01-11,3\n")
    every = engine.compute(ws.con, ["qualified_leads", "nps"])
    assert every["qualified_leads"].value == 3 and every["qualified_leads"].unfiltered == []
    events = engine.compute(ws.con, ["qualified_leads", "nps"], filters={"source": ("Events",)})
    assert events["qualified_leads"].value == 1  # L1 only: L2 is not qualified
    assert events["nps"].value == 0.0 and events["nps"].unfiltered == ["source"]  # answers carry no source
    blank = engine.compute(ws.con, ["qualified_leads"], filters={"source": ("Paid Search", engine.BLANK)})
    assert blank["qualified_leads"].value == 2  # L3 and the lead with no source
    assert engine.filter_options(ws.con)["source"] == ["Events", "Paid Search"]


# --- bugs found while declaring the metrics as data (each failed before) -----------------------------------------


def test_close_ratio_filters_the_closed_deals_beside_the_lead_figure_too():
    # Source Web: lead L1 won of leads L1, L2 → 0.5; its closed deals O1 won, O2 lost → 0.5 (not all four deals).
    leads = [{"lead_id": f"L{i}", "created_at": "2024-01-01", "source": s} for i, s in enumerate(["Web"] * 2, 1)]
    leads += [{"lead_id": "L3", "created_at": "2024-01-01", "source": "Event"}]
    deals = [
        {"opportunity_id": "O1", "lead_id": "L1", "outcome": "won", "close_date": "2024-02-01", "source": "Web"},
        {"opportunity_id": "O2", "outcome": "lost", "close_date": "2024-02-01", "source": "Web"},
        {"opportunity_id": "O3", "outcome": "won", "close_date": "2024-02-01", "source": "Event"},
        {"opportunity_id": "O4", "outcome": "won", "close_date": "2024-02-01", "source": "Event"},
    ]
    con = database(leads=leads, opportunities=deals)
    result = compute(con, ["close_ratio"], Profile(), filters={"source": ("Web",)})["close_ratio"]
    assert result.value == pytest.approx(0.5)
    assert result.details["win_rate_closed_deals"] == pytest.approx(0.5)
    assert (result.details["closed_deals"], result.details["won_deals"]) == (2, 1)


def test_a_lead_with_its_converted_opportunity_id_is_converted_and_qualified():
    # L1 carries only the id of the opportunity it became (as a Salesforce ConvertedOpportunityId does): it is
    # qualified and converted, so never idle; L2 is idle after 90 days. As of 2024-06-30: 1 qualified, 1 leaked.
    leads = [
        {"lead_id": "L1", "created_at": "2024-01-01", "opportunity_id": "O9", "status_class": "open"},
        {"lead_id": "L2", "created_at": "2024-01-01", "status_class": "open"},
        {"lead_id": "L3", "created_at": "2024-06-30", "status_class": "open"},
    ]
    con = database(leads=leads)
    assert one(con, "qualified_leads").value == 1
    leakage = one(con, "lead_leakage_rate")
    assert (leakage.details["idle"], leakage.value) == (1, pytest.approx(1 / 3))


def test_order_size_top20_share_follows_the_filter():
    # Owner Ann: won deals of A 600 and B 100 → top customer (1 of 2) holds 600 ÷ 700; Bob's 5,000 is not hers.
    deals = [
        {"opportunity_id": "1", "account_id": "A", "outcome": "won", "amount": 600, "owner": "Ann"},
        {"opportunity_id": "2", "account_id": "B", "outcome": "won", "amount": 100, "owner": "Ann"},
        {"opportunity_id": "3", "account_id": "C", "outcome": "won", "amount": 5000, "owner": "Bob"},
    ]
    for deal in deals:
        deal["close_date"] = "2024-01-01"
    result = compute(database(opportunities=deals), ["order_size"], Profile(), filters={"owner": ("Ann",)})
    assert result["order_size"].value == pytest.approx(350)
    assert result["order_size"].details["top20_customer_share"] == pytest.approx(600 / 700)
    assert result["order_size"].details["customers"] == 2
