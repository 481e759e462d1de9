"""The scorecard KPIs on the sample company, against figures computed by hand from the raw export files
with pandas (not through our ingest), over the last twelve months: November 2025 to October 2026."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from core.ingest import load_paths
from core.metrics import engine
from core.metrics.catalogue import SCORECARD_IDS
from core.sample import SAMPLE_DIR, sample_profile


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
