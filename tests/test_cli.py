"""The headless contract of DESIGN.md: python -m core inspect|metrics PATH... --json."""

from __future__ import annotations

import json

from core.__main__ import main
from core.catalogue import CATALOGUE
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
