"""A person's corrections are kept: by header signature for the next upload of the same export, and in mapping
files (one file's or every file's) that are checked whole before any of them is used. And each file's totals, to
reconcile with the source system, are exact."""

from __future__ import annotations

import json

import duckdb
import pytest

from core import explore, ingest
from core.imports import reading
from core.imports.casting import ParseOptions
from core.imports.reading import ReadError
from core.ingest import MAPPINGS_VERSION, Workspace

# Vendor invoices for ad spend: the recogniser takes them for orders (an invoice id, its date and an amount).
INVOICES = b"""Invoice ID,Invoice Date,Amount,Vendor,Campaign
I1,2024-01-02,100.50,Google,Brand
I2,2024-02-03,250.25,Meta,Retarget
I3,2024-03-04,40,LinkedIn,ABM
"""
INVOICES_NEXT = b"""Invoice ID,Invoice Date,Amount,Vendor,Campaign
I4,2024-04-05,10,Google,Brand
I5,2024-05-06,20.5,Meta,Retarget
"""
DEALS = b"""Opportunity ID,Stage,Amount,Close Date,Product
O1,Closed Won,1000,04/01/2024,GTX
O2,Prospecting,500,05/02/2024,MG
"""
DEALS_NEXT = b"""Opportunity ID,Stage,Amount,Close Date,Product
O3,Prospecting,70,03/01/2024,GTX
O4,Closed Won,30,12/02/2024,MG
"""
# Sums a float would get wrong: 0.1 + 0.2 + 0.3 is 0.6000000000000001 in binary floating point.
ORDERS = b"""Order ID,Order Date,Amount,Currency,Profit
A1,2024-03-01,0.1,EUR,0.05
A2,2024-01-15,0.2,EUR,
A3,2024-02-29,0.3,EUR,0.01
B1,2023-12-31,1000.10,USD,-5
B2,2024-06-30,2000.20,,1
,2025-01-01,999,USD,999
"""
ORDERS_TOTALS = {
    "money": {
        "amount": {"": 2000.2, "EUR": 0.6, "USD": 1000.1},  # the row with no Order ID is rejected, not summed
        "margin": {"": 1, "EUR": 0.06, "USD": -5},
    },
    "dates": {"order_date": {"min": "2023-12-31", "max": "2024-06-30"}},
    "rows_loaded": 5,
}


@pytest.fixture(params=["raw kept", "raw released"])
def ws(request, monkeypatch) -> Workspace:
    if request.param == "raw released":
        monkeypatch.setattr(ingest, "RELEASE_RAW_ROWS", 0)
    return Workspace(duckdb.connect())


def rows(ws: Workspace, sql: str) -> list[tuple]:
    return ws.con.execute(sql).fetchall()


def test_a_corrected_kind_is_applied_to_the_next_upload_with_the_same_headers(ws):
    (first,) = ws.add("invoices_q1.csv", INVOICES)
    assert first.kind == "orders"
    ws.set_kind(first.file_id, "spend")
    (second,) = ws.add("invoices_q2.csv", INVOICES_NEXT)
    assert (second.kind, second.correction_from) == ("spend", "invoices_q1.csv")
    assert second.mapping.fields == first.mapping.fields
    assert rows(ws, "SELECT count(*), sum(amount) FROM spend") == [(5, 421.25)]  # 390.75 + 30.5


def test_corrected_mapping_value_map_and_date_order_are_applied_to_the_next_upload(ws):
    (first,) = ws.add("deals.csv", DEALS)
    ws.set_mapping(first.file_id, {"name": "Product", "product": None})
    ws.set_value_map(first.file_id, "outcome", {"Prospecting": "lost"})
    ws.set_parse_options(first.file_id, ParseOptions(date_order="dmy"))
    ws.remove(first.file_id)
    (second,) = ws.add("deals_next.csv", DEALS_NEXT)
    assert second.correction_from == "deals.csv"
    assert second.mapping.fields["name"] == "Product" and "product" not in second.mapping.fields
    assert rows(ws, "SELECT opportunity_id, name, outcome, close_date::DATE::VARCHAR FROM opportunities") == [
        ("O3", "GTX", "lost", "2024-01-03"),  # Prospecting means lost here; 03/01/2024 read day-first
        ("O4", "MG", "won", "2024-02-12"),
    ]


def test_a_file_with_other_headers_gets_no_correction(ws):
    (first,) = ws.add("invoices.csv", INVOICES)
    ws.set_kind(first.file_id, "spend")
    (deals,) = ws.add("deals.csv", DEALS)
    assert (deals.kind, deals.correction_from) == ("opportunities", None)


def test_the_all_files_mapping_file_sets_up_a_fresh_session(ws):
    (invoices,) = ws.add("invoices.csv", INVOICES)
    (deals,) = ws.add("deals.csv", DEALS)
    ws.set_kind(invoices.file_id, "spend")
    ws.set_value_map(deals.file_id, "outcome", {"Prospecting": "lost"})
    text = ws.mappings_file()
    content = json.loads(text)
    assert (content["format"], content["version"]) == ("gtm-scorecard-mappings", MAPPINGS_VERSION)
    assert {entry["file"]: entry["kind"] for entry in content["files"].values()} == {
        "invoices.csv": "spend",
        "deals.csv": "opportunities",
    }
    fresh = Workspace(duckdb.connect())
    assert fresh.apply_mapping_file(text) == 0  # remembered for the files to come
    fresh.add("invoices.csv", INVOICES)
    fresh.add("deals.csv", DEALS)
    assert [(f.kind, f.mapping.fields) for f in fresh.files] == [(f.kind, f.mapping.fields) for f in ws.files]
    assert rows(fresh, "SELECT count(*) FROM spend") == [(3,)]
    assert rows(fresh, "SELECT count(*) FROM opportunities WHERE outcome = 'lost'") == [(1,)]


def test_a_mapping_file_changes_files_already_loaded(ws):
    (invoices,) = ws.add("invoices.csv", INVOICES)
    ws.set_kind(invoices.file_id, "spend")
    saved = ws.mapping_file(invoices.file_id)
    other = Workspace(duckdb.connect())
    other.add("invoices.csv", INVOICES)
    assert other.apply_mapping_file(saved) == 1
    assert other.files[0].kind == "spend"
    assert rows(other, "SELECT count(*) FROM spend") == [(3,)]
    assert "orders" not in explore.canonical_tables(other.con)


def all_files(*entries: dict) -> str:
    return json.dumps({"format": "gtm-scorecard-mappings", "version": 1, "files": dict(enumerate(map(dict, entries)))})


GOOD = {"signature": "x", "headers": ["Invoice ID"], "kind": "spend", "mapping": {}}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "Expecting property name"),
        ("[1, 2]", "it holds no JSON object"),
        ('{"kind": "leads"}', "has neither a header signature nor headers"),
        ('{"headers": ["a"], "mapping": {}}', "names no kind"),
        ('{"headers": ["a"], "kind": "deals"}', "kind 'deals', which is none of leads, opportunities"),
        ('{"headers": ["a"], "kind": "leads", "mapping": {"lead_key": "a"}}', "leads has no field 'lead_key'"),
        ('{"headers": ["a"], "kind": "leads", "mapping": {"lead_id": "b"}}', "column 'b', which is not among"),
        ('{"headers": ["a"], "kind": "leads", "value_maps": {"status_class": {"x": "hot"}}}', "not 'hot'"),
        ('{"headers": ["a"], "kind": "leads", "parse_options": {"date_order": "dym"}}', "date order must be"),
        ('{"headers": ["a"], "kind": "leads", "parse_options": {"colour": 1}}', "unexpected keyword"),
        ('{"version": 2, "files": {}}', "format version 2; this app reads 1"),
        (all_files(GOOD, {**GOOD, "file": "b.csv", "kind": "leads", "mapping": {"amount": "Invoice ID"}}), "b.csv"),
    ],
)
def test_a_malformed_mapping_file_is_refused_whole_and_changes_nothing(ws, text, says):
    (invoices,) = ws.add("invoices.csv", INVOICES)
    ws.set_kind(invoices.file_id, "spend")
    before = (json.loads(ws.mappings_file()), ws.decisions())
    with pytest.raises(ReadError, match="This is not a mapping file saved by this app") as refused:
        ws.apply_mapping_file(text)
    assert says in str(refused.value)
    assert (json.loads(ws.mappings_file()), ws.decisions()) == before


def test_totals_are_exact_sums_per_currency_and_date_ranges(ws):
    (orders,) = ws.add("orders.csv", ORDERS)
    assert orders.kind == "orders" and orders.mapping.fields["currency"] == "Currency"
    (entry,) = ws.inspect()
    assert entry["totals"] == ORDERS_TOTALS
    assert entry["totals"]["rows_loaded"] == entry["rows_loaded"]
    ws.set_mapping(orders.file_id, {"currency": None, "margin": None})  # a change loads the file again
    (entry,) = ws.inspect()
    assert entry["totals"]["money"] == {"amount": {"": 3000.9}}  # 0.6 + 1000.1 + 2000.2, one currency unknown
    ws.set_kind(orders.file_id, None)
    assert ws.inspect()[0]["totals"] == {"money": {}, "dates": {}, "rows_loaded": 0}  # a file not used loads none


def test_totals_of_a_file_large_enough_to_release_its_raw_table(monkeypatch):
    """Read in one pass from its first rows (as a large CSV is), its raw table released: the totals are kept
    from the staged rows, and a change that reads it again gives the same."""
    monkeypatch.setattr(reading, "HEAD_ROWS", 3)
    monkeypatch.setattr(reading, "FAST_PATH_MIN_BYTES", 0)
    monkeypatch.setattr(reading, "TAIL_LINES", 2)
    monkeypatch.setattr(ingest, "RELEASE_RAW_ROWS", 4)
    lines = [f"D{n},2024-{n:02d}-1{n % 10},{n}.01,{'EUR' if n % 2 else 'USD'}" for n in range(1, 13)]
    data = ("Opportunity ID,Close Date,Amount,Currency\n" + "\n".join(lines) + "\n").encode()
    ws = Workspace(duckdb.connect())
    (deals,) = ws.add("deals.csv", data)
    assert deals.rows_loaded == 12 and not deals.raw_in_db
    expected = {
        "money": {"amount": {"EUR": 36.06, "USD": 42.06}},  # 1+3+5+7+9+11 and 2+4+...+12, each .01 six times
        "dates": {"close_date": {"min": "2024-01-11", "max": "2024-12-12"}},
        "rows_loaded": 12,
    }
    assert ws.inspect()[0]["totals"] == expected
    ws.set_parse_options(deals.file_id, ParseOptions(null_tokens=("n/a",)))  # read again from the bytes
    assert not ws.file(deals.file_id).raw_in_db
    assert ws.inspect()[0]["totals"] == expected
