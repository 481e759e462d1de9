"""The headless contract of DESIGN.md: python -m core inspect|metrics PATH... --json, --mapping FILE, --kind FILE=KIND."""

from __future__ import annotations

import json

import duckdb
import pytest

from core.__main__ import main
from core.imports.casting import ParseOptions
from core.ingest import Workspace
from core.metrics.catalogue import CATALOGUE
from core.sample import SAMPLE_DIR

LEADS_CSV = (
    "Lead ID,Created Date,Lead Source,Lead Status,Became a Marketing Qualified Lead Date,First Meeting Booked Date\n"
    "L1,2025-01-05,Events,Qualified,2025-01-09,2025-01-20\n"
    "L2,2025-01-09,Paid Search,Qualified,2025-02-01,\n"
    "L3,2025-02-11,Events,Unqualified,,\n"
    "L4,2025-03-02,Paid Social,New,,\n"
)


def run(capsys, *argv) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_metrics_on_a_folder_with_only_leads(tmp_path, capsys):
    (tmp_path / "leads.csv").write_text(LEADS_CSV)
    payload = run(capsys, "metrics", str(tmp_path), "--json")
    by_id = {item["id"]: item for item in payload["metrics"]}
    assert set(by_id) == set(CATALOGUE)
    assert set(by_id["qualified_leads"]) == {"id", "name", "stage", "value", "unit", "available", "missing", "details"}
    assert by_id["qualified_leads"]["available"] and by_id["qualified_leads"]["value"] == 2
    assert by_id["lead_to_appointment_rate"]["value"] == 0.25  # 1 of the 4 leads got a first meeting
    closing = by_id["time_to_close"]
    assert not closing["available"] and closing["value"] is None
    assert any("opportunities" in text for text in closing["missing"])
    unavailable = [item for item in payload["metrics"] if not item["available"]]
    assert unavailable and all(item["missing"] for item in unavailable)


def test_inspect_reports_kind_mapping_and_row_accounting(capsys):
    payload = run(capsys, "inspect", str(SAMPLE_DIR / "salesforce_opportunities_report.csv"), "--json")
    (entry,) = payload["files"]
    assert entry["kind"] == "opportunities"
    assert entry["mapping"]["opportunity_id"] == "Opportunity ID"
    assert entry["mapping"]["lead_id"] == "HubSpot Contact ID"
    assert entry["rows_read"] == entry["rows_loaded"] + entry["rows_rejected"]
    assert entry["rows_rejected"] == 3  # the Salesforce report footer: blank line, confidentiality, copyright


def test_metrics_reads_the_company_profile_beside_the_exports(capsys):
    payload = run(capsys, "metrics", str(SAMPLE_DIR), "--json")
    by_id = {item["id"]: item for item in payload["metrics"]}
    assert by_id["market_share"]["available"]  # needs the market size from sample_data/company_profile.json
    assert round(by_id["sales_enablement_score"]["value"]) == 54


def test_inspect_names_files_it_could_not_read(tmp_path, capsys):
    (tmp_path / "leads.csv").write_text(LEADS_CSV)
    (tmp_path / "junk.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    payload = run(capsys, "inspect", str(tmp_path), "--json")
    assert [entry["file"] for entry in payload["files"]] == ["leads.csv"]
    assert set(payload["unreadable"]) == {"junk.csv"}
    assert "junk.csv" in payload["unreadable"]["junk.csv"]  # the message names the file


# Vendor invoices for ad spend, which the recogniser takes for orders (an invoice id, its date and an amount).
INVOICES = "Invoice ID,Invoice Date,Amount,Vendor,Campaign\nI1,2024-01-02,100.50,Google,Brand\nI2,2024-02-03,250.25,Meta,Retarget\nI3,2024-03-04,40,LinkedIn,ABM\n"
DEALS = "Opportunity ID,Stage,Amount,Close Date,Product\nO1,Closed Won,1000,04/01/2024,GTX\nO2,Prospecting,500,05/02/2024,MG\n"
DEALS_NEXT = "Opportunity ID,Stage,Amount,Close Date,Product\nO3,Prospecting,70,03/01/2024,GTX\n"


def refused(capsys, *argv) -> str:
    """The argparse error of a command line that must be refused."""
    with pytest.raises(SystemExit) as exit_code:
        main(list(argv))
    assert exit_code.value.code == 2
    return capsys.readouterr().err


def test_kind_overrides_a_wrong_detection(tmp_path, capsys, monkeypatch):
    (tmp_path / "invoices.csv").write_text(INVOICES)
    inserted, insert = [], Workspace._insert

    def counted_insert(ws, loaded, *, first):
        inserted.append(loaded.kind)
        insert(ws, loaded, first=first)

    monkeypatch.setattr(Workspace, "_insert", counted_insert)
    (detected,) = run(capsys, "inspect", str(tmp_path), "--json")["files"]
    assert detected["kind"] == "orders"
    for given in ("invoices.csv", str(tmp_path / "invoices.csv")):  # its name as inspect lists it, or its path
        (forced,) = run(capsys, "inspect", str(tmp_path), "--json", "--kind", f"{given}=spend")["files"]
        assert (forced["kind"], forced["rows_loaded"]) == ("spend", 3)
        assert forced["mapping"] == {"period": "Invoice Date", "amount": "Amount", "campaign": "Campaign"}
        assert forced["totals"]["money"] == {"amount": {"": 390.75}}  # 100.50 + 250.25 + 40
    assert inserted == ["orders", "spend", "spend"]  # the kind is set before the table is built: loaded once a run
    assert main(["inspect", str(tmp_path), "--kind", "invoices.csv=spend"]) == 0
    printed = capsys.readouterr().out
    assert "invoices.csv: spend" in printed
    assert "totals to reconcile with your source system (3 rows loaded):" in printed
    assert "390.75" in printed and "2024-01-02 to 2024-03-04" in printed


def test_a_downloaded_mapping_file_applies_to_a_fresh_run(tmp_path, capsys):
    ws = Workspace(duckdb.connect())
    (deals,) = ws.add("deals.csv", DEALS.encode())
    ws.set_mapping(deals.file_id, {"name": "Product", "product": None})
    ws.set_value_map(deals.file_id, "outcome", {"Prospecting": "lost"})
    ws.set_parse_options(deals.file_id, ParseOptions(date_order="dmy"))
    (tmp_path / "one.json").write_text(ws.mapping_file(deals.file_id))
    (tmp_path / "all.json").write_text(ws.mappings_file())
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "deals_next_month.csv").write_text(DEALS_NEXT)
    for mapping_file in ("one.json", "all.json"):
        argv = ("inspect", str(exports), "--json", "--mapping", str(tmp_path / mapping_file))
        (entry,) = run(capsys, *argv)["files"]
        assert entry["mapping"] == deals.mapping.fields
        assert entry["value_maps"]["outcome"] == {"Prospecting": "lost"}
        assert entry["totals"]["dates"] == {"close_date": {"min": "2024-01-03", "max": "2024-01-03"}}  # day-first
    payload = run(capsys, "metrics", str(exports), "--json", "--mapping", str(tmp_path / "all.json"))
    close_ratio = next(item for item in payload["metrics"] if item["id"] == "close_ratio")
    assert close_ratio["details"]["closed_deals"] == 1  # Prospecting, which this mapping calls lost (else open: 0)
    assert close_ratio["value"] == 0


def test_a_bad_kind_is_refused_with_the_choices(tmp_path, capsys):
    (tmp_path / "invoices.csv").write_text(INVOICES)
    error = refused(capsys, "inspect", str(tmp_path), "--kind", "invoices.csv=invoices")
    assert "unknown kind 'invoices'" in error and "choose one of leads, opportunities, stage_history" in error
    error = refused(capsys, "inspect", str(tmp_path), "--kind", "invoice.csv=spend")
    assert "'invoice.csv' matches no loaded file; the files are: invoices.csv" in error
    assert "is not FILE=KIND" in refused(capsys, "metrics", str(tmp_path), "--kind", "spend")


def test_a_bad_mapping_file_is_refused_naming_it(tmp_path, capsys):
    (tmp_path / "invoices.csv").write_text(INVOICES)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"headers": ["Invoice ID"], "kind": "spend", "mapping": {"period": "When"}}))
    error = refused(capsys, "inspect", str(tmp_path / "invoices.csv"), "--mapping", str(bad))
    assert f"--mapping {bad}: This is not a mapping file saved by this app" in error
    assert "column 'When', which is not among its headers" in error
    error = refused(capsys, "inspect", str(tmp_path / "invoices.csv"), "--mapping", str(tmp_path / "gone.json"))
    assert f"--mapping {tmp_path / 'gone.json'}: not found" in error


def test_real_exports_totals_reconcile_with_their_known_figures(real_exports, capsys):
    payload = run(capsys, "inspect", str(real_exports / "tableau_superstore_orders"), "--json")
    (superstore,) = payload["files"]
    assert (superstore["mapping"]["amount"], superstore["mapping"]["margin"]) == ("Sales", "Profit")
    money = superstore["totals"]["money"]
    assert round(money["amount"][""], 2) == 2_326_534.35 and round(money["margin"][""], 2) == 292_296.81
    assert superstore["totals"]["dates"]["order_date"] == {"min": "2019-01-03", "max": "2022-12-30"}
    assert superstore["totals"]["rows_loaded"] == 10_194
    (facebook,) = run(capsys, "inspect", str(real_exports / "facebook_ads_campaign_kag"), "--json")["files"]
    assert facebook["mapping"]["amount"] == "Spent"
    assert round(facebook["totals"]["money"]["amount"][""], 2) == 58_705.23
