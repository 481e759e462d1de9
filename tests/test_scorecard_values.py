"""The scorecard KPIs on the sample company, against figures computed by hand from the raw export files
with pandas (not through our ingest), over the last twelve months: November 2025 to October 2026; and the published
figures the Scorecard sets beside them, with how well each fits the company."""

from __future__ import annotations

import dataclasses

import duckdb
import pandas as pd
import pytest

from core.ingest import load_paths
from core.metrics import benchmarks, engine
from core.metrics.catalogue import SCORECARD_IDS
from core.resources import SessionResources
from core.sample import SAMPLE_DIR, sample_profile
from core.settings import Settings
from core.state import SessionState


def money(series: pd.Series) -> pd.Series:
    text = series.astype(str).str.replace(",", "").str.replace("$", "")
    return pd.to_numeric(text.str.replace(r"^\((.*)\)$", r"-\1", regex=True))


@pytest.fixture(scope="module")
def by_hand() -> dict[str, float]:
    gl = pd.read_csv(SAMPLE_DIR / "gl_sales_marketing_extract.csv", dtype=str, keep_default_na=False)
    gl["month"] = pd.to_datetime(gl["Period"], format="%b %Y")
    gl = gl[(gl["month"] >= "2025-11-01") & (gl["month"] <= "2026-10-01")]
    gl["amount"] = money(gl["Amount"])
    gl["function"] = gl["Department"].str.split(" : ").str[0]
    people = gl["Account"].str.contains("Salar|Wage|Commission|Benefit|Bonus|Payroll", case=False)
    sales = gl.loc[gl["function"] == "Sales", "amount"].sum()
    marketing = gl.loc[gl["function"] == "Marketing", "amount"].sum()
    programs = gl.loc[~people, "amount"].sum()

    invoices = pd.read_csv(SAMPLE_DIR / "erp_invoice_lines.csv", dtype=str)
    invoices["day"] = pd.to_datetime(invoices["Invoice Date"], format="%d/%m/%Y")
    window = (invoices["day"] >= "2025-11-01") & (invoices["day"] <= "2026-10-31")
    revenue = money(invoices.loc[window, "Line Amount"]).sum()

    roster = pd.read_csv(SAMPLE_DIR / "bamboohr_employees.csv", dtype=str, keep_default_na=False)
    active = roster[roster["Termination Date"] == ""]
    titles = active["Job Title"].str.lower()
    quota = titles.str.contains("account executive").sum()
    field_marketing = titles.str.contains("field marketing").sum()
    return {
        "sm_spend_pct_revenue": (sales + marketing) / revenue,
        "sales_to_marketing_spend": sales / marketing,
        "marketing_spend_per_sales_head": marketing / quota,
        "quota_to_field_marketing_ratio": quota / field_marketing,
        "program_share_of_spend": programs / (sales + marketing),
    }


@pytest.fixture(scope="module")
def computed():
    con = duckdb.connect()
    load_paths(con, [SAMPLE_DIR])
    return engine.compute(con, list(SCORECARD_IDS), sample_profile())


@pytest.mark.parametrize(
    "metric_id",
    [
        "sm_spend_pct_revenue",
        "sales_to_marketing_spend",
        "marketing_spend_per_sales_head",
        "quota_to_field_marketing_ratio",
        "program_share_of_spend",
    ],
)
def test_scorecard_kpi_matches_the_hand_computed_figure(metric_id, by_hand, computed):
    assert computed[metric_id].value == pytest.approx(by_hand[metric_id], rel=1e-9)


# --- the Scorecard's benchmarks for the sample company, as the page assembles them -------------------------------


@pytest.fixture(scope="module")
def sample_state(tmp_path_factory):
    resources = SessionResources.open(
        dataclasses.replace(Settings(), temp_dir=str(tmp_path_factory.mktemp("scorecard")))
    )
    yield SessionState({}, resources)
    resources.release()


def test_the_sample_company_is_judged_at_its_own_revenue(sample_state):
    company = sample_state.view_company()
    # the profile's segment, and the twelve months of invoices (November 2025 - October 2026): $61,500,016.53
    assert (company.gtm_model, company.industry, company.region) == ("field sales", "technology", "North America")
    assert company.revenue_usd == pytest.approx(61_500_016.53) and company.revenue_text == "$61.5M"


def test_every_kpi_covers_two_sides_of_the_sample_company_with_a_fit_label_or_says_why(sample_state):
    results = sample_state.view_results(list(SCORECARD_IDS))
    for metric_id in SCORECARD_IDS:
        card = sample_state.view_benchmark_card(metric_id, results[metric_id].value)
        sides = " ".join(entry.side for entry in card.entries)
        assert "industry (technology)" in sides and "size ($61.5M)" in sides, (metric_id, sides)
        compared = [entry.comparison for entry in card.entries if entry.comparison]
        assert compared and all(": " in c.fit.label() and c.fit.level in c.fit.label() for c in compared), metric_id
        has_range = any(benchmarks.is_range(c.reference) for c in compared)
        assert has_range or card.thin, metric_id  # a range, or the reason none is published


def test_the_sample_companys_headline_comparisons(sample_state):
    results = sample_state.view_results(list(SCORECARD_IDS))
    spend = sample_state.view_comparison("sm_spend_pct_revenue", results["sm_spend_pct_revenue"].value)
    # 12.8% of revenue against IDC's 2010 14% for IT vendors (their size not stated: a fair fit)
    assert spend.status == "near reference" and spend.reference["benchmark_id"] == "idc2010_sm_pct_revenue"
    assert spend.fit.label() == "for B2B technology companies; yours is $61.5M: fair fit"
    per_head = sample_state.view_comparison(
        "marketing_spend_per_sales_head", results["marketing_spend_per_sales_head"].value
    )
    # $92.4K per seller against IDC's $40K-$70K, from companies averaging $9.5B revenue
    assert per_head.status == "above"
    assert per_head.fit.label() == "for B2B technology companies averaging $9.5B revenue; yours is $61.5M: weak fit"
    card = sample_state.view_benchmark_card("sm_spend_pct_revenue", results["sm_spend_pct_revenue"].value)
    size = next(entry.comparison for entry in card.entries if entry.side.startswith("Your size"))
    assert size.percentile == "below the 25th percentile of the respondents to OpenView 2021 SaaS Benchmarks"
