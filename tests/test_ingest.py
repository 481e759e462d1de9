"""The workspace: files in, canonical tables out, every row accounted for, every decision reversible."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from core import ingest
from core.imports.casting import ParseOptions
from core.imports.reading import ReadError, ReadOptions
from core.ingest import Workspace, append_problem, load_paths
from core.metrics.context import Context, Period, field_coverage
from core.schema import TABLE_KINDS, Profile, stored_table

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"

DEALS = b"""Opportunity ID,Stage,Amount,Close Date,Account ID,Lead ID,Currency,Product
O1,Closed Won,"$1,000.00",01/15/2024,A1,L1,USD,GTX Pro
O2,Closed Lost,500,02/20/2024,A2,L2,USD,GTXPro
O3,Prospecting,abc,03/05/2024,A9,L1,EUR,GTX Pro
,Closed Won,700,03/06/2024,A1,L1,USD,GTX Pro
O1,Closed Won,100,04/01/2024,A1,L1,USD,GTX Pro
"""
ACCOUNTS = b"Account ID,Account Name,Industry,Wallet Estimate\nA1,Acme,Tech,1000\nA2,Beta,Retail,2000\n"
LEADS = b"Record ID,Create Date,Lead Status,Lifecycle Stage\nL1,2024-01-01,Open Deal,opportunity\n"
PRODUCTS = b"Product Name,Gross Margin %,Launch Date\nGTX Pro,62%,2020-01-01\n"
MORE_DEALS = b"Opportunity ID,Stage,Amount,Close Date,Account ID,Lead ID,Currency,Product\nO7,Closed Won,50,01/02/2024,A1,L1,USD,X\n"


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def accounted(ws: Workspace) -> None:
    for entry in ws.inspect():
        assert entry["rows_read"] == entry["rows_loaded"] + entry["rows_rejected"], entry["file"]


@pytest.fixture(params=["raw kept", "raw released"])
def ws(request, monkeypatch) -> Workspace:
    """Every workspace test runs twice: with the raw text tables kept, and with each released once its rows are
    loaded (as a large file's is), so every later step must read the file again from its bytes."""
    if request.param == "raw released":
        monkeypatch.setattr(ingest, "RELEASE_RAW_ROWS", 0)
    return Workspace(duckdb.connect())


def raw_tables(ws: Workspace) -> list[str]:
    return [t for (t,) in rows(ws.con, "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'raw%'")]


def messages(ws: Workspace, name: str) -> list[str]:
    return [p["message"] for e in ws.inspect() if e["file"] == name for p in e["problems"]]


def test_deals_are_typed_derived_and_accounted_for(ws):
    (loaded,) = ws.add("deals.csv", DEALS)
    assert loaded.kind == "opportunities"
    assert (loaded.rows_read, loaded.rows_loaded, loaded.rows_rejected) == (5, 4, 1)
    assert rows(ws.con, "SELECT opportunity_id, outcome, is_won, is_closed, amount, close_date FROM opportunities") == [
        ("O1", "won", True, True, 1000.0, datetime(2024, 1, 15)),
        ("O2", "lost", False, True, 500.0, datetime(2024, 2, 20)),
        ("O3", "open", False, False, None, datetime(2024, 3, 5)),
        ("O1", "won", True, True, 100.0, datetime(2024, 4, 1)),
    ]
    rejected = ws.rejected_rows(loaded.file_id)
    assert rejected[["line", "reason"]].values.tolist() == [[5, "no Opportunity ID"]]
    assert rejected["content"][0].startswith(",Closed Won,700")
    entry = ws.inspect()[0]
    assert set(entry) == {"file", "kind", "rows_read", "rows_loaded", "rows_rejected", "mapping", "confidence",
                          "problems", "value_maps", "totals", "kind_confidence", "kind_reason", "reasons",
                          "reshapes", "reshape"}  # fmt: skip
    assert entry["reasons"]["close_date"] == "dates, named 'Close Date'"
    assert entry["reshapes"] == []
    assert entry["value_maps"]["outcome"] == {"Closed Won": "won", "Closed Lost": "lost", "Prospecting": "open"}
    assert entry["totals"] == {
        "money": {"amount": {"USD": 1600}},  # 1,000 + 500 + 100; O3's EUR amount "abc" is unread, the blank id rejected
        "dates": {"close_date": {"min": "2024-01-15", "max": "2024-04-01"}},
        "rows_loaded": 4,
    }


def test_quality_report_finds_the_known_defects(ws):
    for name, data in [("deals.csv", DEALS), ("accounts.csv", ACCOUNTS), ("leads.csv", LEADS), ("p.csv", PRODUCTS)]:
        ws.add(name, data)
    found = messages(ws, "deals.csv")
    assert any("1 row not loaded: no Opportunity ID" in m for m in found)
    assert any(
        "1 value in 'Amount' (Amount) could not be read as numbers and is left empty" in m and "'abc'" in m
        for m in found
    )
    assert any("1 value of 'Opportunity ID' appears more than once (1 extra row)" in m for m in found)
    assert any("1 row in EUR was converted to USD at the yearly average rate of their year" in m for m in found)
    assert any("'Close Date' (Close date) runs from 2024-01-15 to 2024-04-01" in m for m in found)
    assert any(
        "1 of 4 deals points to an account id that is not in the uploaded accounts (e.g. 'A9')" in m for m in found
    )
    assert any("1 of 4 deals points to a lead id that is not in the uploaded leads (e.g. 'L2')" in m for m in found)
    assert any("'GTX Pro' / 'GTXPro'" in m for m in messages(ws, "p.csv"))
    problem = next(p for e in ws.inspect() for p in e["problems"] if "converted to USD" in p["message"])
    assert problem["severity"] == "info" and problem["column"] == "Currency" and problem["advice"]
    assert "EUR 2024 at 2023" in problem["message"]  # the bundled rates end in 2023: the nearest year is said


def test_modes_new_replace_append_and_remove(ws):
    ws.add("deals.csv", DEALS)
    ws.add("more.csv", MORE_DEALS, mode="new")
    assert rows(ws.con, "SELECT count(*) FROM opportunities") == [(5,)]
    ws.add("more.csv", MORE_DEALS)  # the same name again: replaced, not doubled
    assert rows(ws.con, "SELECT count(*) FROM opportunities") == [(5,)]
    ws.add("again.csv", MORE_DEALS, mode="replace")
    assert [f.name for f in ws.files] == ["again.csv"]
    assert rows(ws.con, "SELECT opportunity_id FROM opportunities") == [("O7",)]
    ws.add("deals.csv", DEALS, mode="append")
    assert rows(ws.con, "SELECT count(*) FROM opportunities") == [(5,)]
    with pytest.raises(ReadError, match="cannot append to again.csv.*Stage"):
        ws.add("other.csv", b"Opportunity ID,Amount,Close Date\nO9,5,2024-01-01\n", mode="append")
    assert [f.name for f in ws.files] == ["again.csv", "deals.csv"]
    for loaded in list(ws.files):
        ws.remove(loaded.file_id)
    assert rows(ws.con, "SELECT count(*) FROM duckdb_tables()") == [(0,)]  # canonical and raw tables gone


def test_set_mapping_value_map_and_parse_options_change_the_table(ws):
    (loaded,) = ws.add("deals.csv", DEALS)
    version = ws.data_version
    ws.set_mapping(loaded.file_id, {"amount": None})
    assert rows(ws.con, "SELECT count(amount) FROM opportunities") == [(0,)]
    assert "amount" not in ws.inspect()[0]["reasons"]
    assert ws.data_version > version
    ws.set_mapping(loaded.file_id, {"name": "Account ID"})
    assert ws.inspect()[0]["confidence"]["name"] == 1.0
    assert ws.inspect()[0]["reasons"]["name"] == "chosen by you"
    assert rows(ws.con, "SELECT name FROM opportunities ORDER BY name LIMIT 1") == [("A1",)]
    with pytest.raises(ValueError, match="no column 'Nope'"):
        ws.set_mapping(loaded.file_id, {"amount": "Nope"})
    with pytest.raises(ValueError, match="cannot be two different ids"):
        ws.set_mapping(loaded.file_id, {"lead_id": "Account ID"})
    ws.set_value_map(loaded.file_id, "outcome", {"Prospecting": "won"})
    assert rows(ws.con, "SELECT count(*) FROM opportunities WHERE outcome = 'won'") == [(3,)]
    with pytest.raises(ValueError, match="must be one of won, lost, open"):
        ws.set_value_map(loaded.file_id, "outcome", {"Prospecting": "maybe"})
    ws.set_parse_options(loaded.file_id, ParseOptions(date_order="ymd"))  # no month-first formats any more
    assert rows(ws.con, "SELECT count(close_date) FROM opportunities") == [(0,)]
    ws.set_kind(loaded.file_id, "stage_history")
    assert "opportunities" not in {t for (t,) in rows(ws.con, "SELECT table_name FROM duckdb_tables()")}
    accounted(ws)


def test_flags_only_give_stage_and_outcome(ws):
    ws.add("sf.csv", b"Id,Name,IsWon,IsClosed,Amount\n1,a,true,true,5\n2,b,false,true,6\n3,c,false,false,7\n")
    assert rows(ws.con, "SELECT stage, outcome FROM opportunities ORDER BY name") == [
        ("Closed Won", "won"), ("Closed Lost", "lost"), ("Open", "open")
    ]  # fmt: skip


def test_leads_roles_and_spend_classes(ws):
    ws.add("leads.csv", b"Record ID,Lead Status,Became an Opportunity Date\n1,Unqualified,\n2,,2024-01-02\n3,New,\n")
    assert rows(ws.con, "SELECT status_class FROM leads ORDER BY lead_id") == [
        ("disqualified",),
        ("converted",),
        ("open",),
    ]
    ws.add(
        "roster.csv", b"Employee #,Job Title,Department\n1,Account Executive,Sales\n2,Sales Ops Lead,Sales\n3,Chef,\n"
    )
    assert rows(ws.con, "SELECT role_class FROM headcount ORDER BY employee_id") == [
        ("quota_seller",), ("sales_ops",), ("other",)
    ]  # fmt: skip
    ws.add(
        "gl.csv",
        b'Period,Account,Department,Class,Amount\nJan 2024,6010 Salaries,Marketing : Field Marketing,,"1,000.00"\n'
        b"Feb 2024,6310 Paid Media,Sales : Inside Sales,Win-back,(250.00)\n",
    )
    assert rows(ws.con, "SELECT period, amount, function, category, purpose FROM spend ORDER BY period") == [
        (datetime(2024, 1, 1), 1000.0, "marketing", "people", None),
        (datetime(2024, 2, 1), -250.0, "sales", "programs", "win_back"),
    ]
    assert [c for (c, *_) in rows(ws.con, "DESCRIBE spend")] == list(TABLE_KINDS["spend"].field_names)


def test_an_unmapped_required_field_rejects_every_row_with_the_reason(ws):
    (loaded,) = ws.add("spend.csv", b"Spent,campaign,Impressions,Clicks\n1.5,916,10,1\n2.5,917,20,2\n")
    assert loaded.kind == "spend" and "period" not in loaded.mapping.fields
    assert (loaded.rows_loaded, loaded.rows_rejected) == (0, 2)
    assert set(ws.rejected_rows(loaded.file_id)["reason"]) == {"no column mapped to Period / date"}
    assert any("No column is mapped to Period / date" in m for m in messages(ws, "spend.csv"))


def test_mapping_file_is_reused_on_the_next_upload_with_the_same_headers(ws):
    (loaded,) = ws.add("deals.csv", DEALS)
    ws.set_mapping(loaded.file_id, {"name": "Product", "product": None})
    ws.set_value_map(loaded.file_id, "outcome", {"Prospecting": "lost"})
    saved = ws.mapping_file(loaded.file_id)
    assert json.loads(saved)["mapping"]["name"] == "Product"
    fresh = Workspace(duckdb.connect())
    assert fresh.apply_mapping_file(saved) == 0
    (again,) = fresh.add("deals_next_month.csv", DEALS)
    assert again.mapping.fields == loaded.mapping.fields
    assert rows(fresh.con, "SELECT count(*) FROM opportunities WHERE outcome = 'lost'") == [(2,)]
    with pytest.raises(ReadError, match="not a mapping file"):
        fresh.apply_mapping_file("{not json")


def test_decisions_restore_a_session(ws):
    (loaded,) = ws.add("deals.csv", DEALS)
    ws.set_mapping(loaded.file_id, {"amount": None})
    ws.set_parse_options(loaded.file_id, ParseOptions(date_order="dmy"))
    decisions = json.loads(json.dumps(ws.decisions()))  # serialisable
    restored = Workspace.from_blobs(duckdb.connect(), {"deals.csv": DEALS}, decisions)
    assert restored.files[0].mapping.fields == loaded.mapping.fields
    assert rows(restored.con, "SELECT count(amount), min(close_date) FROM opportunities") == [
        (0, datetime(2024, 1, 4))
    ]  # 04/01/2024 read day-first


def test_reread_with_other_read_options(ws):
    data = b"Opportunity ID;Stage;Amount\nO1;Won;5\nO2;Lost;6\n"
    (loaded,) = ws.add("semi.csv", data)
    assert loaded.kind == "opportunities"
    ws.reread(loaded.file_id, ReadOptions(delimiter=","))
    assert ws.files[0].raw.columns == ["Opportunity ID;Stage;Amount"]
    ws.reread(loaded.file_id, ReadOptions(delimiter=";"))
    assert rows(ws.con, "SELECT count(*) FROM opportunities") == [(2,)]
    accounted(ws)


def test_sample_company_loads_with_every_kind():
    if not SAMPLE_DIR.is_dir():
        pytest.skip("sample_data/ not generated yet")
    ws = load_paths(duckdb.connect(), [SAMPLE_DIR])
    kinds = {entry["file"]: entry["kind"] for entry in ws.inspect()}
    assert kinds == {
        "bamboohr_employees.csv": "headcount",
        "delighted_nps_responses.csv": "nps",
        "erp_invoice_lines.csv": "orders",
        "gl_sales_marketing_extract.csv": "spend",
        "hubspot_contacts.csv": "leads",
        "salesforce_accounts.csv": "accounts",
        "salesforce_activities.csv": "activities",
        "salesforce_opportunities_report.csv": "opportunities",
        "salesforce_opportunity_history.csv": "stage_history",
        "salesforce_products.csv": "products",
    }
    accounted(ws)
    leads = next(e for e in ws.inspect() if e["kind"] == "leads")["mapping"]
    assert leads["appointment_at"] == "First Meeting Booked Date" and leads["first_touch_at"] == "First Engagement Date"
    active = "SELECT role_class, count(*) FROM headcount WHERE termination_date IS NULL GROUP BY 1"
    roles = dict(rows(ws.con, active))
    assert (roles["quota_seller"], roles["field_marketing"], roles["sales_ops"], roles["marketing_ops"]) == (
        24,
        1,
        1,
        1,
    )
    assert rows(ws.con, "SELECT min(period) FROM spend") == [(datetime(2023, 11, 1),)]


def test_join_problems_follow_the_data(ws):
    ws.add("deals.csv", DEALS)
    ws.add("accounts.csv", ACCOUNTS)
    assert any("not in the uploaded accounts (e.g. 'A9')" in m for m in messages(ws, "deals.csv"))
    ws.add("accounts.csv", ACCOUNTS + b"A9,Gamma,Tech,5\n")  # the same name: replaces the accounts
    assert not any("not in the uploaded accounts" in m for m in messages(ws, "deals.csv"))


def test_load_paths_reads_folders_recursively_and_lists_what_it_cannot_read(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deals.csv").write_bytes(DEALS)
    (tmp_path / "a_accounts.csv").write_bytes(ACCOUNTS)
    (tmp_path / "junk.csv").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "notes.md").write_text("not an export")
    ws = load_paths(duckdb.connect(), [tmp_path])
    assert [f.name for f in ws.files] == ["a_accounts.csv", "deals.csv"]
    assert list(ws.failures) == ["junk.csv"] and "junk.csv" in ws.failures["junk.csv"]
    accounted(ws)


def test_quotes_and_sql_in_headers_and_values_are_only_text(ws):
    data = b'Opportunity ID,Stage,"Amount""; DROP TABLE x; --"\nO1,"Won\'t close\'); DROP TABLE opportunities; --",5\n'
    (loaded,) = ws.add("odd.csv", data)
    ws.set_mapping(loaded.file_id, {"amount": 'Amount"; DROP TABLE x; --'})
    ws.set_value_map(loaded.file_id, "outcome", {"Won't close'); DROP TABLE opportunities; --": "lost"})
    assert rows(ws.con, "SELECT stage, outcome, amount FROM opportunities") == [
        ("Won't close'); DROP TABLE opportunities; --", "lost", 5.0)
    ]


def test_value_counts_list_each_source_value_with_its_loaded_rows_and_class(ws):
    (loaded,) = ws.add("deals.csv", DEALS)
    counts = ws.value_counts(loaded.file_id, "outcome")
    # the row with no Opportunity ID is rejected, so Closed Won counts O1 twice, not three times
    assert counts.to_dict("records") == [
        {"value": "Closed Won", "rows": 2, "class": "won"},
        {"value": "Closed Lost", "rows": 1, "class": "lost"},
        {"value": "Prospecting", "rows": 1, "class": "open"},
    ]
    ws.set_value_map(loaded.file_id, "outcome", {"Prospecting": "lost"})
    assert ws.value_counts(loaded.file_id, "outcome")["class"].tolist() == ["won", "lost", "lost"]
    assert rows(ws.con, "SELECT outcome, count(*) FROM opportunities GROUP BY 1 ORDER BY 1") == [
        ("lost", 2),
        ("won", 2),
    ]


def test_preview_shows_the_first_rows_typed_by_field_label(ws):
    (loaded,) = ws.add("deals.csv", DEALS)
    preview = ws.preview(loaded.file_id, rows=3)
    assert preview["line"].tolist() == [2, 3, 4]
    assert preview["Opportunity ID"].tolist() == ["O1", "O2", "O3"]
    assert preview["Amount"].tolist()[:2] == [1000.0, 500.0] and preview["Amount"].isna().tolist()[2]
    assert [d.date().isoformat() for d in preview["Close date"]] == ["2024-01-15", "2024-02-20", "2024-03-05"]
    ws.set_parse_options(loaded.file_id, ParseOptions(date_order="dmy"))  # 01/15/2024 cannot be day-first
    assert ws.preview(loaded.file_id, rows=1)["Close date"].isna().tolist() == [True]


def test_append_problem_names_the_fields_mapped_in_only_one_file(ws):
    (deals,) = ws.add("deals.csv", DEALS)
    (more,) = ws.add("more.csv", MORE_DEALS)
    assert append_problem(deals, more) is None
    (short,) = ws.add("short.csv", b"Opportunity ID,Amount,Close Date\nO9,5,2024-01-01\n")
    problem = append_problem(deals, short)
    assert problem.startswith("cannot append to deals.csv") and "Stage" in problem and "Product" in problem


def test_a_large_file_keeps_no_raw_table_and_is_read_again_only_when_needed(monkeypatch):
    monkeypatch.setattr(ingest, "RELEASE_RAW_ROWS", 3)
    ws = Workspace(duckdb.connect())
    (deals,) = ws.add("deals.csv", DEALS)  # 5 rows: released
    (accounts,) = ws.add("accounts.csv", ACCOUNTS)  # 2 rows: kept
    assert raw_tables(ws) == [accounts.raw.table]
    assert not deals.raw_in_db and accounts.raw_in_db
    assert ws.rejected_rows(deals.file_id)["reason"].tolist() == ["no Opportunity ID"]
    assert deals.raw_in_db  # read again for the rows no table holds
    ws.set_mapping(deals.file_id, {"amount": None})
    assert not deals.raw_in_db and raw_tables(ws) == [accounts.raw.table]
    assert rows(ws.con, "SELECT count(*), count(amount) FROM opportunities") == [(4, 0)]
    # what the Data page shows on every run comes without reading the file again
    assert ws.preview(deals.file_id)["Opportunity ID"].fillna("").tolist() == ["O1", "O2", "O3", "", "O1"]
    assert ws.preview(deals.file_id, rows=2)["line"].tolist() == [2, 3]
    assert ws.value_counts(deals.file_id, "outcome")["rows"].tolist() == [2, 1, 1]
    assert not deals.raw_in_db
    accounted(ws)


def test_a_released_zip_member_is_read_again_from_its_own_zip(monkeypatch, tmp_path):
    import io
    import zipfile

    monkeypatch.setattr(ingest, "RELEASE_RAW_ROWS", 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("accounts.csv", ACCOUNTS)
        archive.writestr("deals.csv", DEALS)
    ws = Workspace(duckdb.connect())
    accounts, deals = ws.add("exports.zip", buffer.getvalue())
    assert (accounts.name, deals.name) == ("exports.zip › accounts.csv", "exports.zip › deals.csv")
    assert raw_tables(ws) == []
    ws.set_value_map(deals.file_id, "outcome", {"Prospecting": "won"})
    assert rows(ws.con, "SELECT count(*) FROM opportunities WHERE outcome = 'won'") == [(3,)]
    assert ws.preview(deals.file_id, rows=1)["Opportunity ID"].tolist() == ["O1"]
    assert ws.rejected_rows(deals.file_id)["line"].tolist() == [5]
    assert raw_tables(ws) == [deals.raw.table]  # read again for its rejected row: only that member
    accounted(ws)


def test_removing_files_rebuilds_their_table_once(monkeypatch):
    # Four lead files; removing three leaves one: its rows are inserted once (one at a time took 3 + 2 + 1).
    ws = Workspace(duckdb.connect())
    for number in range(4):
        ws.add(f"leads_{number}.csv", f"Lead ID,Created Date\nL{number},2025-01-0{number + 1}\n".encode(), mode="new")
    inserted = []
    original = Workspace._insert
    monkeypatch.setattr(
        Workspace, "_insert", lambda self, loaded, **kw: inserted.append(loaded.name) or original(self, loaded, **kw)
    )
    ws.remove(*(loaded.file_id for loaded in ws.files[:3]))
    assert inserted == ["leads_3.csv"]
    assert ws.con.execute("SELECT list(lead_id) FROM leads").fetchall()[0][0] == ["L3"]


def test_a_mapping_file_with_bad_empty_words_leaves_the_sample_company_as_it_was():
    from core.sample import load_sample

    ws = Workspace(duckdb.connect())
    load_sample(ws)
    (leads,) = [f for f in ws.files if f.kind == "leads"]
    before = (rows(ws.con, "SELECT count(*) FROM leads"), ws.decisions())
    entry = {"file": leads.name, "kind": "leads", "parse_options": {"null_tokens": [1, None]}}
    bad = json.dumps({"format": "gtm-scorecard-mappings", "version": 1, "files": {leads.signature: entry}})
    with pytest.raises(ReadError) as refused:
        ws.apply_mapping_file(bad)
    assert str(refused.value) == (
        f"This is not a mapping file saved by this app: the entry for {leads.name}: its parse_options.null_tokens[2] "
        "is not text. Download it again."
    )
    assert before == (rows(ws.con, "SELECT count(*) FROM leads"), ws.decisions()) and before[0] == [(40_007,)]


def stored_columns(ws: Workspace) -> dict[str, list[str]]:
    """The columns of the session's stored (not temporary) tables but the raw text of its files, by table."""
    found = rows(
        ws.con,
        "SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN duckdb_tables() t USING (table_oid) "
        "WHERE NOT t.temporary AND t.table_name NOT LIKE 'raw%' ORDER BY c.table_name, c.column_index",
    )
    return {table: [column for t, column in found if t == table] for table in dict.fromkeys(t for t, _ in found)}


def test_fields_a_file_does_not_supply_take_no_memory_but_read_as_absent(ws):
    ws.add("leads.csv", b"Lead ID,Created Date,Lead Source\nL1,2024-01-05,Web\nL2,2024-02-07,Events\n")
    # the three columns and the status class every lead gets: no column for the 15 fields nothing supplies
    assert stored_columns(ws) == {stored_table("leads"): ["lead_id", "created_at", "source", "status_class"]}
    assert [c for (c, *_) in rows(ws.con, "DESCRIBE leads")] == list(TABLE_KINDS["leads"].field_names)
    assert rows(ws.con, "SELECT lead_id, source, status_class, qualified_at, company FROM leads ORDER BY 1") == [
        ("L1", "Web", "open", None, None),
        ("L2", "Events", "open", None, None),
    ]
    coverage = field_coverage(ws.con)
    assert coverage == {"leads": {"lead_id", "created_at", "source", "status_class"}}
    ctx = Context(None, Profile(), Period(None, None), coverage, None)
    assert ctx.has("leads.lead_id", "leads.source") and not ctx.has("leads.qualified_at")
    assert not ctx.has("leads.company")
    # a second file of the kind that supplies one more field adds only that column
    ws.add("more.csv", b"Lead ID,Created Date,Company\nL3,2024-03-09,Acme\n", mode="new")
    assert stored_columns(ws)[stored_table("leads")] == ["lead_id", "created_at", "source", "status_class", "company"]
    assert rows(ws.con, "SELECT lead_id, source, company FROM leads ORDER BY 1") == [
        ("L1", "Web", None),
        ("L2", "Events", None),
        ("L3", None, "Acme"),
    ]
    assert "company" in field_coverage(ws.con)["leads"]
    # unmapping a field drops its column when the table is built again; removing every file leaves nothing
    ws.set_mapping(ws.files[1].file_id, {"company": None})
    assert "company" not in stored_columns(ws)[stored_table("leads")]
    assert rows(ws.con, "SELECT count(company) FROM leads") == [(0,)]
    ws.clear()
    assert stored_columns(ws) == {}
    assert rows(ws.con, "SELECT count(*) FROM duckdb_views() WHERE NOT internal") == [(0,)]
