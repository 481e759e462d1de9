"""A browser session's state without a browser or AppTest: core.state over a plain dict and its own resources.

What the app relies on: uploads and decisions are kept in the mapping, so a fresh connection (a websocket blip
drops the session's resources, not its state) rebuilds the same tables; the view's period and filters are read
from the same keys the sidebar writes; removing a file forgets its upload.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from core import explore, view
from core.metrics import engine
from core.metrics.engine import Period
from core.resources import SessionResources
from core.settings import Settings
from core.state import UPLOADS_KEY, SessionState

LEADS = (
    b"Lead ID,Created Date,Lead Status,Lead Source\n"
    b"L1,2024-01-05,Qualified,Webinar\n"
    b"L2,2024-02-10,Open,Webinar\n"
    b"L3,2024-02-11,Qualified,Paid Search\n"
    b"L4,2024-03-01,Converted,Paid Search\n"
)


@pytest.fixture
def resources(tmp_path):
    opened: list[SessionResources] = []

    def open_new() -> SessionResources:
        opened.append(SessionResources.open(dataclasses.replace(Settings(), temp_dir=str(tmp_path))))
        return opened[-1]

    yield open_new
    for each in opened:
        each.release()


def test_an_upload_is_kept_and_rebuilt_on_a_fresh_connection(resources):
    store: dict = {}
    state = SessionState(store, resources())
    ws = state.workspace()
    [loaded] = state.add_upload(ws, "leads.csv", LEADS)
    assert (loaded.kind, loaded.rows_loaded) == ("leads", 4)
    assert not state.using_sample() and store[UPLOADS_KEY] == {"leads.csv": LEADS}
    # qualified by status: L1, L3 (qualified) and L4 (converted)
    assert state.results(["qualified_leads"])["qualified_leads"].value == 3

    again = SessionState(store, resources())  # the session's resources were dropped; its state was not
    assert [f.name for f in again.workspace().files] == ["leads.csv"]
    assert again.results(["qualified_leads"])["qualified_leads"].value == 3


def test_the_view_is_read_from_the_sidebars_keys(resources):
    store: dict = {}
    state = SessionState(store, resources())
    state.add_upload(state.workspace(), "leads.csv", LEADS)
    store[view.filter_key("source")] = ["Paid Search"]
    store[view.PERIOD_KEY] = "custom"
    store[view.FROM_KEY], store[view.TO_KEY] = dt.date(2024, 2, 1), dt.date(2024, 3, 31)  # as the date inputs hold them
    assert state.view_filters() == {"source": ("Paid Search",)}
    assert state.view_period() == Period(dt.date(2024, 2, 1), dt.date(2024, 3, 31))
    # in February-March, from Paid Search: L3 (qualified) and L4 (converted)
    assert state.view_results(["qualified_leads"])["qualified_leads"].value == 2


def test_removing_the_last_table_of_an_upload_forgets_it(resources):
    store: dict = {}
    state = SessionState(store, resources())
    ws = state.workspace()
    [loaded] = state.add_upload(ws, "leads.csv", LEADS)
    state.remove_file(ws, loaded.file_id)
    assert ws.files == [] and store[UPLOADS_KEY] == {}
    assert [f.name for f in SessionState(store, resources()).workspace().files] == []


def test_leaving_the_sample_company_empties_the_workspace_at_once(resources):
    store: dict = {}
    state = SessionState(store, resources())
    ws = state.workspace()
    assert state.using_sample() and len(ws.files) == 10
    state.add_upload(ws, "leads.csv", LEADS)
    assert [f.name for f in ws.files] == ["leads.csv"] and "opportunities" not in explore.canonical_tables(ws.con)
    assert ws.con.execute("SELECT count(*) FROM leads").fetchone()[0] == 4
    state.back_to_sample(ws)
    assert state.using_sample() and len(ws.files) == 10
    assert ws.con.execute("SELECT count(*) FROM leads").fetchone()[0] == 40_007


@pytest.fixture
def computed(monkeypatch) -> list:
    """Each metric computation the state asks the engine for: (metric ids, with breakdowns?)."""
    calls: list = []
    compute = engine.compute

    def counted(source, metric_ids, *args, breakdowns=True, **kwargs):
        calls.append((list(metric_ids), breakdowns))
        return compute(source, metric_ids, *args, breakdowns=breakdowns, **kwargs)

    monkeypatch.setattr(engine, "compute", counted)
    return calls


def test_breakdowns_are_computed_when_first_asked_for_and_the_figures_stay(resources, computed):
    state = SessionState({}, resources())
    state.add_upload(state.workspace(), "leads.csv", LEADS)
    lean = state.view_results(["qualified_leads"], breakdowns=False)["qualified_leads"]
    assert (lean.value, lean.breakdowns) == (3, {})
    # by source: Paid Search L3 and L4, Webinar L1
    found = state.view_breakdowns("qualified_leads")["source"]
    assert dict(zip(found["key"], found["value"], strict=True)) == {"Paid Search": 2.0, "Webinar": 1.0}
    assert state.view_results(["qualified_leads"], breakdowns=False)["qualified_leads"].value == 3
    assert computed == [(["qualified_leads"], False), (["qualified_leads"], True)]  # then kept, with breakdowns


def test_the_benchmarks_revenue_of_the_data_leaves_the_views_results_in_place(resources, computed):
    # the sample company's profile gives no annual revenue: the benchmarks' size band comes from its data, over
    # the last twelve months whatever the view, and that must not empty the store of the view's results
    state = SessionState({}, resources())
    for _ in range(2):
        state.view_results(["close_ratio"])
        assert state.view_company().revenue_text == "$61.5M"
    assert computed == [(["close_ratio"], True), (["sm_spend_pct_revenue"], False)]


COMPANIES = (
    b"name,industry,numberofemployees,domain\n"
    b"Acme Corp,Software,120,acmecorp.example\n"
    b"Globex Inc,Retail,45,globex.example\n"
    b"Initech LLC,Finance,800,initech.example\n"
)
DEALS = (
    b"dealname,dealstage,amount,closedate,Company Domain Name\n"
    b"Acme renewal,Closed Won,12000,2025-02-10,acmecorp.example\n"
    b"Globex pilot,Closed Lost,5000,2025-03-01,globex.example\n"
    b"Initech suite,Closed Won,30000,2025-04-15,initech.example\n"
)


def test_files_dropped_together_are_recognised_as_one_decision(resources):
    """The deals' `Company Domain Name` holds the companies' domains: dropped together, the domain keys the
    companies and the deals join them, as `python -m core inspect` of the folder decides; dropped apart, the
    companies were keyed by name and no deal found its company."""
    state = SessionState({}, resources())
    ws = state.workspace()
    loaded, refused = state.add_uploads(ws, [("companies.csv", COMPANIES), ("deals.csv", DEALS), ("x.csv", b"")])
    assert refused == {"x.csv": "x.csv: the file is empty (0 bytes). Export it again and upload the new file."}
    found = {f.name: f.mapping.fields for f in loaded}
    assert found["companies.csv"]["account_id"] == "domain"
    assert found["deals.csv"]["account_id"] == "Company Domain Name"
    joined = ws.con.execute("SELECT count(*) FROM opportunities JOIN accounts USING (account_id)").fetchone()
    assert joined == (3,)
    assert set(state.store[UPLOADS_KEY]) == {"companies.csv", "deals.csv"}


def test_an_unforeseen_failure_in_one_file_leaves_the_others_loaded(resources, monkeypatch):
    state = SessionState({}, resources())
    ws = state.workspace()
    monkeypatch.setattr(type(ws), "add_all", lambda self, uploads: 1 / 0)  # the joint decision fails
    original = type(ws).add

    def add(self, name, data, options=None, mode="auto"):
        return 1 / 0 if name == "deals.csv" else original(self, name, data, options, mode)

    monkeypatch.setattr(type(ws), "add", add)
    loaded, refused = state.add_uploads(ws, [("companies.csv", COMPANIES), ("deals.csv", DEALS)])
    assert [f.name for f in loaded] == ["companies.csv"]
    assert refused["deals.csv"].startswith("Something went wrong while reading deals.csv.")


def test_orders_and_their_lines_dropped_together_are_both_kept_without_asking(resources):
    """Northwind's orders (customer, date) and order lines (quantity, price) are both Orders: the lines need the
    orders, so neither replaces the other and nothing is asked; two files of lines still ask."""
    state = SessionState({}, resources())
    ws = state.workspace()
    orders = b"orderID,customerID,orderDate\n10248,VINET,1996-07-04\n10249,TOMSP,1996-07-05\n"
    lines = b"orderID,productID,unitPrice,quantity\n10248,11,14,12\n10249,14,18.6,9\n"
    state.add_uploads(ws, [("orders.csv", orders), ("order_details.csv", lines)])
    assert state.same_kind(ws) == []
    assert ws.con.execute("SELECT account_id, quantity * unit_price FROM orders ORDER BY 1").fetchall() == [
        ("TOMSP", pytest.approx(167.4)),
        ("VINET", 168.0),
    ]
    state.add_uploads(ws, [("more_details.csv", b"orderID,productID,unitPrice,quantity\n10250,41,7.7,10\n")])
    assert [(new.name, old.name) for new, old in state.same_kind(ws)] == [("more_details.csv", "order_details.csv")]
