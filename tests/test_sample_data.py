"""The sample company's files, read directly (not through our ingest): shape, coherence and the story figures.

The figures and tolerances asserted here are the ones sample_data/README.md promises.
"""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
LTM_START = pd.Timestamp("2025-11-01")
FIRST_DAY, LAST_DAY = pd.Timestamp("2023-11-01"), pd.Timestamp("2026-10-31 23:59")
FOOTER = [
    '""',
    '"Confidential Information - Do Not Distribute"',
    '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."',
]
SALESFORCE_FILES = [
    "salesforce_opportunities_report.csv",
    "salesforce_opportunity_history.csv",
    "salesforce_activities.csv",
    "salesforce_accounts.csv",
    "salesforce_products.csv",
]


def read(name: str) -> pd.DataFrame:
    """A sample file as text columns; Salesforce reports lose their three-line footer."""
    path = SAMPLE / name
    if name in SALESFORCE_FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[-3:] == FOOTER, f"{name} does not end with the Salesforce report footer"
        return pd.read_csv(StringIO("\n".join(lines[:-3])), dtype=str, keep_default_na=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def money(column: pd.Series) -> pd.Series:
    """'$12,500.00', '12,500.00' or accounting '(1,200.00)' as numbers."""
    text = column.str.replace(r"[$,]", "", regex=True)
    negative = text.str.startswith("(")
    value = text.str.strip("()").astype(float)
    return value.where(~negative, -value)


def dates(column: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(column.where(column != ""), format=fmt)


@pytest.fixture(scope="module")
def contacts() -> pd.DataFrame:
    frame = read("hubspot_contacts.csv")
    for col in ("Create Date", "Became a Marketing Qualified Lead Date", "Became an Opportunity Date"):
        frame[col] = dates(frame[col], "%Y-%m-%d %H:%M")
    return frame


@pytest.fixture(scope="module")
def deals() -> pd.DataFrame:
    frame = read("salesforce_opportunities_report.csv")
    for col in ("Created Date", "Close Date", "RFP Received Date", "Proposal Sent Date", "Presentation Date"):
        frame[col] = dates(frame[col], "%m/%d/%Y")
    frame["Amount"] = money(frame["Amount"])
    return frame


@pytest.fixture(scope="module")
def invoices() -> pd.DataFrame:
    frame = read("erp_invoice_lines.csv")
    frame["Invoice Date"] = dates(frame["Invoice Date"], "%d/%m/%Y")
    frame["Line Amount"] = money(frame["Line Amount"])
    return frame


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    frame = read("gl_sales_marketing_extract.csv")
    frame["Period"] = pd.to_datetime(frame["Period"], format="%b %Y")
    frame["Amount"] = money(frame["Amount"])
    frame["function"] = frame["Department"].str.split(" : ").str[0]
    frame["people"] = frame["Account"].str.contains("Salaries|Commissions|Benefits")
    return frame[frame["Period"] >= LTM_START]


@pytest.fixture(scope="module")
def staff() -> pd.DataFrame:
    """Sales and marketing people employed on the last day of the data."""
    frame = read("bamboohr_employees.csv")
    active = frame[frame["Termination Date"] == ""]
    return active[active["Department"].isin(["Sales", "Marketing"])]


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    return read("salesforce_accounts.csv")


# ---- determinism, size and shape ------------------------------------------------------------------------
def test_regenerating_gives_byte_identical_files(tmp_path: Path):
    subprocess.run([sys.executable, str(SAMPLE / "generate.py"), str(tmp_path)], check=True, timeout=120)
    for name in ("salesforce_products.csv", "bamboohr_employees.csv", "delighted_nps_responses.csv",
                 "gl_sales_marketing_extract.csv", "company_profile.json"):  # fmt: skip
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), f"{name} differs when regenerated"


def test_folder_stays_small():
    total = sum(path.stat().st_size for path in SAMPLE.iterdir())
    assert total < 30 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("hubspot_contacts.csv", 39_000, 41_000),
        ("salesforce_opportunities_report.csv", 4_000, 6_000),
        ("salesforce_accounts.csv", 2_500, 2_500),
        ("erp_invoice_lines.csv", 9_000, 13_000),
        ("salesforce_activities.csv", 60_000, 90_000),
        ("bamboohr_employees.csv", 330, 370),
        ("delighted_nps_responses.csv", 2_000, 2_000),
        ("salesforce_products.csv", 12, 12),
    ],
)
def test_row_counts(name: str, low: int, high: int):
    assert low <= len(read(name)) <= high


def test_ledger_has_every_month_of_three_years():
    frame = read("gl_sales_marketing_extract.csv")
    assert 5 <= frame["Amount"].str.startswith("(").sum() <= 10, "a few credit notes, in accounting format"
    periods = pd.to_datetime(frame["Period"], format="%b %Y")
    assert periods.nunique() == 36
    assert (periods.min(), periods.max()) == (pd.Timestamp("2023-11-01"), pd.Timestamp("2026-10-01"))


def test_company_profile():
    profile = json.loads((SAMPLE / "company_profile.json").read_text())
    assert profile["company_name"] == "Brightline Systems"
    assert profile["segment"] == {"gtm_model": "field sales", "size_band": "$50M-$250M", "industry": "technology",
                                  "region": "North America"}  # fmt: skip
    # every self-assessment question answered (0-4), so both scores are available on the sample
    from core.metrics.questionnaire import ASSESSMENTS, score

    for assessment_id in ASSESSMENTS:
        assert score(assessment_id, profile["questionnaire"]) is not None
    assert round(score("sales_enablement_score", profile["questionnaire"])) == 54  # 15 of 28 points
    assert round(score("lead_management_score", profile["questionnaire"])) == 46  # 13 of 28 points


# ---- coherence ----------------------------------------------------------------------------------------
def test_ids_join_across_files(contacts, deals, invoices, accounts):
    account_ids = set(accounts["Account ID"])
    deal_ids = set(deals["Opportunity ID"])
    lead_ids = set(contacts["Record ID"])
    orphans = set(deals["Account ID"]) - account_ids
    assert len(orphans) == 15, "the deliberate finding: 15 deals whose account is not in the accounts export"
    assert all(len(i) == 18 and i.startswith("001") for i in account_ids | orphans)
    assert all(len(i) == 18 and i.startswith("006") for i in deal_ids)
    linked = deals["HubSpot Contact ID"][deals["HubSpot Contact ID"] != ""]
    assert set(linked) <= lead_ids
    assert 0.07 <= 1 - len(linked) / len(deals) <= 0.13, "about 10% of deals come from outbound, without a lead"
    activities = read("salesforce_activities.csv")
    assert set(activities["Lead ID"]) - {""} <= lead_ids
    assert set(activities["Opportunity ID"]) - {""} <= deal_ids
    assert set(activities["Account ID"]) <= account_ids | orphans
    assert set(contacts["Associated Company ID"]) - {""} <= account_ids | orphans
    assert set(invoices["Customer ID"]) <= account_ids
    assert set(read("delighted_nps_responses.csv")["Company ID"]) <= account_ids
    assert set(read("salesforce_opportunity_history.csv")["Opportunity ID"]) == deal_ids
    products = read("salesforce_products.csv")
    assert set(invoices["Item"]) - set(products["Product Name"]) == {"InsightCloud"}
    launched = pd.to_datetime(products.set_index("Product Name")["Launch Date"], format="%m/%d/%Y")
    assert (invoices["Invoice Date"] >= invoices["Item"].replace("InsightCloud", "Insight Cloud").map(launched)).all()


def test_deal_dates_follow_the_lead_and_each_other(contacts, deals):
    created = contacts.drop_duplicates("Record ID").set_index("Record ID")["Create Date"]
    linked = deals[deals["HubSpot Contact ID"] != ""]
    lead_created = linked["HubSpot Contact ID"].map(created).dt.normalize()
    assert (lead_created.dropna() <= linked["Created Date"][lead_created.notna()]).all()
    assert (deals["Close Date"] >= deals["Created Date"]).all()
    for earlier, later in (("RFP Received Date", "Proposal Sent Date"), ("Proposal Sent Date", "Presentation Date"),
                           ("Presentation Date", "Close Date")):  # fmt: skip
        both = deals[[earlier, later]].dropna()
        assert (both[earlier] <= both[later]).all(), f"{earlier} after {later}"
    won = deals[deals["Stage"] == "Closed Won"]
    complete = won[["RFP Received Date", "Proposal Sent Date", "Presentation Date"]].notna().all(axis=1)
    assert 0.4 <= complete.mean() < 1, "most won deals, not all, carry RFP, proposal and presentation dates"
    proposals = deals[deals["Proposal Sent Date"].notna()]
    assert 0.65 <= proposals["Presentation Date"].notna().mean() <= 0.75


def test_stage_history_ends_in_the_deal_stage(deals):
    history = read("salesforce_opportunity_history.csv")
    history["Edit Date"] = pd.to_datetime(history["Edit Date"], format="%m/%d/%Y %I:%M %p")
    history = history.sort_values(["Opportunity ID", "Edit Date"], kind="stable")
    last = history.groupby("Opportunity ID")["To Stage"].last()
    first = history.groupby("Opportunity ID")["From Stage"].first()
    assert (last == deals.set_index("Opportunity ID")["Stage"].reindex(last.index)).all()
    assert (first == "").all()
    assert history["Edit Date"].max() <= LAST_DAY


def test_dates_span_the_three_years(contacts, deals, invoices):
    spans = {
        "leads": contacts["Create Date"],
        "deals created": deals["Created Date"],
        "deals closed": deals.loc[deals["Closed"] == "1", "Close Date"],
        "invoices": invoices["Invoice Date"],
        "nps": pd.to_datetime(read("delighted_nps_responses.csv")["Created At"], format="%Y-%m-%dT%H:%M:%SZ"),
    }
    for name, values in spans.items():
        first_month = pd.Timedelta(days=62 if name == "deals closed" else 31)  # the first deals take weeks to close
        assert FIRST_DAY <= values.min() < FIRST_DAY + first_month, name
        assert LAST_DAY - pd.Timedelta(days=31) < values.max() <= LAST_DAY, name
    assert (deals.loc[deals["Closed"] == "0", "Close Date"] > LAST_DAY).all(), "open deals close in the future"
    assert (invoices["Invoice Date"].dt.day > 12).any(), "day-first dates must be decidable from the data"


# ---- the story figures (sample_data/README.md) -------------------------------------------------------
def test_revenue_and_growth(invoices):
    year = (invoices["Invoice Date"] - FIRST_DAY).dt.days // 365
    by_year = invoices.groupby(year.clip(upper=2))["Line Amount"].sum()
    assert 60e6 <= by_year[2] <= 70e6
    assert by_year[0] < by_year[1] < by_year[2]


def test_spend_ratios(invoices, ledger, staff):
    revenue = invoices.loc[invoices["Invoice Date"] >= LTM_START, "Line Amount"].sum()
    by_function = ledger.groupby("function")["Amount"].sum()
    total = by_function.sum()
    sellers = staff["Job Title"].str.contains("Account Executive").sum()
    assert sellers == 24
    assert (staff["Job Title"] == "Field Marketing Manager").sum() == 1
    assert 0.125 <= total / revenue <= 0.135
    assert 2.4 <= by_function["Sales"] / by_function["Marketing"] <= 2.6
    assert 85_000 <= by_function["Marketing"] / sellers <= 100_000
    assert 0.28 <= ledger.loc[~ledger["people"], "Amount"].sum() / total <= 0.32


def test_ops_staff_share(staff):
    ops = staff["Job Title"].isin(["Sales Operations Analyst", "Marketing Operations Manager"]).sum()
    assert ops == 2
    assert 0.045 <= ops / len(staff) <= 0.055


def test_funnel_conversion(contacts, deals):
    leads = contacts.drop_duplicates("Record ID")
    qualified = leads["Became a Marketing Qualified Lead Date"].notna()
    assert 0.27 <= qualified.mean() <= 0.33
    by_source = qualified.groupby(leads["Original Source"]).mean()
    assert by_source["Events"] > qualified.mean() * 1.3 and by_source["Referrals"] > qualified.mean() * 1.3
    assert by_source["Paid Social"] < qualified.mean() * 0.7
    closed = deals[deals["Closed"] == "1"]
    assert 0.22 <= (closed["Won"] == "1").mean() <= 0.28
    win_by_source = (closed["Won"] == "1").groupby(closed["Lead Source"]).mean()
    assert win_by_source["Referrals"] > win_by_source["Paid Social"] * 1.5


def test_median_days_from_lead_to_win(contacts, deals):
    created = contacts.drop_duplicates("Record ID").set_index("Record ID")["Create Date"]
    won = deals[(deals["Won"] == "1") & (deals["HubSpot Contact ID"] != "")]
    days = (won["Close Date"] - won["HubSpot Contact ID"].map(created).dt.normalize()).dt.days
    assert 80 <= days.median() <= 110


def test_nps_is_about_thirty():
    scores = read("delighted_nps_responses.csv")["Score"].astype(int)
    nps = 100 * ((scores >= 9).mean() - (scores <= 6).mean())
    assert 25 <= nps <= 35


def test_top_fifth_of_customers_bring_most_revenue(invoices):
    last_year = invoices[invoices["Invoice Date"] >= LTM_START]
    by_customer = last_year.groupby("Customer ID")["Line Amount"].sum().sort_values(ascending=False)
    top = by_customer.head(round(len(by_customer) * 0.2)).sum() / by_customer.sum()
    assert 0.60 <= top <= 0.70


def test_some_customers_lapse_and_some_come_back(invoices):
    days = invoices.drop_duplicates(["Customer ID", "Invoice Date"]).sort_values("Invoice Date")
    gaps = days.groupby("Customer ID")["Invoice Date"].diff().dt.days
    assert (gaps > 365).sum() >= 20, "win-backs: customers ordering again after more than a year"


def test_leads_grow_with_seasons(contacts):
    created = contacts["Create Date"].dropna()
    per_year = created.groupby(((created - FIRST_DAY).dt.days // 365).clip(upper=2)).size()
    assert per_year[0] < per_year[1] < per_year[2]
    per_month = created.groupby(created.dt.month).size()
    assert per_month[[3, 4, 9, 10]].mean() > 1.3 * per_month[[7, 8]].mean()


# ---- deliberate data-quality findings ---------------------------------------------------------------
def test_data_quality_findings(contacts, invoices):
    misspelled = (invoices["Item"] == "InsightCloud").mean()
    assert 0.01 <= misspelled <= 0.03
    assert 0.008 <= contacts["Create Date"].isna().mean() <= 0.012
    duplicated = contacts["Record ID"].duplicated().sum()
    assert 3 <= duplicated <= 10
