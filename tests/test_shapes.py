"""Overview chart shapes, hand-computed on small exports: aggregates only, honouring period and filters."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from core.ingest import Workspace
from core.metrics import shapes
from core.metrics.engine import Period

LEADS = (
    b"Lead ID,Created Date,Lead Source,Became a Marketing Qualified Lead Date\n"
    b"L1,2025-01-05,Events,2025-01-09\nL2,2025-01-06,Events,\nL3,2025-02-01,Web,2025-02-03\nL4,2025-03-02,Web,\n"
)
DEALS = (
    b"Opportunity ID,Lead ID,Stage,Amount,Created Date,Close Date,Lead Source\n"
    b"O1,L1,Closed Won,100,2025-01-10,2025-01-30,Events\nO2,L3,Closed Lost,50,2025-02-05,2025-03-01,Web\n"
)
ORDERS = (
    b"Order ID,Account ID,Order Date,Amount\n"
    b"1,A,2025-01-03,600\n2,A,2025-02-03,200\n3,B,2025-01-20,150\n4,C,2025-02-11,50\n"
)


@pytest.fixture(scope="module")
def con():
    ws = Workspace(duckdb.connect())
    for name, data in (("leads.csv", LEADS), ("deals.csv", DEALS), ("orders.csv", ORDERS)):
        ws.add(name, data)
    ws.add("nps.csv", b"Response ID,Response Date,Score\nR1,2025-01-10,10\nR2,2025-02-11,3\nR3,2025-02-12,10\n")
    return ws.con


def test_funnel_counts_leads_qualified_opportunities_and_won(con):
    shape = shapes.funnel(con, Period(), {})
    assert shape.frame.to_dict("list") == {"step": ["Leads", "Qualified", "Opportunity", "Won"], "count": [4, 2, 2, 1]}
    events = shapes.funnel(con, Period(), {"source": ("Events",)})
    assert events.frame["count"].tolist() == [2, 1, 1, 1]
    january = shapes.funnel(con, Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31)), {})
    assert january.frame["count"].tolist() == [2, 1, 1, 1]


def test_time_to_close_bins_won_deals_from_the_lead_creation(con):
    shape = shapes.time_to_close(con, Period(), {})
    # O1: lead L1 created 2025-01-05, won 2025-01-30 → 25 days, in the weekly bin 21–28
    assert shape.frame.to_dict("list") == {"bin_start": [21], "bin_end": [28], "count": [1]}


def test_revenue_concentration_is_a_cumulative_curve_largest_customer_first(con):
    shape = shapes.revenue_concentration(con, Period(), {"source": ("Web",)})
    assert shape.rows == 3 and shape.unfiltered == ["source"]  # orders carry no lead source
    assert shape.frame["customer_share"].round(4).tolist() == [0.3333, 0.6667, 1.0]
    assert shape.frame["revenue_share"].round(4).tolist() == [0.8, 0.95, 1.0]  # A 800, B 150, C 50 of 1000


def test_retention_cohorts_by_first_purchase_month(con):
    frame = shapes.retention_cohorts(con, Period(), {}).frame
    rows = {(str(r.cohort)[:7], r.months_since): r.retention for r in frame.itertuples()}
    # January cohort: A and B; A buys again in February. February cohort: C.
    assert rows == {("2025-01", 0): 1.0, ("2025-01", 1): 0.5, ("2025-02", 0): 1.0}


def test_nps_answers_per_score_in_the_period(con):
    shape = shapes.nps_answers(con, Period(dt.date(2025, 2, 1), None), {})
    assert shape.frame.to_dict("list") == {"score": [3, 10], "count": [1, 1]}


def test_shapes_are_none_without_their_tables():
    empty = duckdb.connect()
    assert set(shapes.all_shapes(empty, Period(), {}).values()) == {None}


def test_funnel_filters_by_campaign_as_the_lead_metrics_do():
    # Leads carry a campaign: filtered to Spring, L1 (qualified, won) and L2 remain; before, the funnel said
    # "not filtered by campaign" and counted all three.
    ws = Workspace(duckdb.connect())
    ws.add(
        "leads.csv",
        b"Lead ID,Created Date,Campaign,Became a Marketing Qualified Lead Date\n"
        b"L1,2025-01-05,Spring,2025-01-09\nL2,2025-01-06,Spring,\nL3,2025-02-01,Autumn,2025-02-03\n",
    )
    ws.add("deals.csv", b"Opportunity ID,Lead ID,Stage,Close Date\nO1,L1,Closed Won,2025-01-30\n")
    shape = shapes.funnel(ws.con, Period(), {"campaign": ("Spring",)})
    assert shape.unfiltered == []
    assert shape.frame["count"].tolist() == [2, 1, 1, 1]


def covered_by_building(con) -> list[str]:
    return [name for name, shape in shapes.all_shapes(con, Period(), {}).items() if shape is not None]


def test_the_shapes_available_are_those_the_data_covers(con):
    assert shapes.available(con) == list(shapes.TITLES) == covered_by_building(con)
    leads = Workspace(duckdb.connect())
    leads.add("leads.csv", LEADS)
    assert shapes.available(leads.con) == ["funnel"] == covered_by_building(leads.con)
    # deals closed but with no date they started: no time to close; orders with no amount: cohorts, no curve
    other = Workspace(duckdb.connect())
    other.add("deals.csv", b"Opportunity ID,Stage,Close Date\nO1,Closed Won,2025-01-30\n")
    other.add("orders.csv", b"Order ID,Account ID,Order Date\n1,A,2025-01-03\n")
    assert shapes.available(other.con) == ["retention_cohorts"] == covered_by_building(other.con)
    assert shapes.available(duckdb.connect()) == []
