"""A straightforward pandas version of ingest + five metrics, to compare speed and check our results.

It is what an analyst would write in a notebook for these exports: read the whole files as text, drop the report
footers, parse the dates and money of the columns the metrics use, then group and merge. The value maps
(which lead statuses and stages mean what) are written by hand, as that analyst would.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

LEADS = "hubspot_contacts.csv"
DEALS = "salesforce_opportunities_report.csv"
ORDERS = "erp_invoice_lines.csv"
FILES = (LEADS, DEALS, ORDERS)
QUALIFIED_STATUSES = ("Connected", "Open Deal")  # HubSpot lead statuses meaning qualified or converted
WON, LOST = "Closed Won", "Closed Lost"
METRIC_IDS = ("close_ratio", "qualified_leads", "time_to_close", "funnel_value", "order_size")


def money(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.str.replace(r"[$,\s]", "", regex=True), errors="coerce")


def load(folder: Path) -> dict[str, pd.DataFrame]:
    """The three exports, with the dates and amounts the five metrics use parsed."""
    leads = pd.read_csv(folder / LEADS, dtype=str)
    leads["created_at"] = pd.to_datetime(leads["Create Date"], format="%Y-%m-%d %H:%M")
    leads["qualified_at"] = pd.to_datetime(leads["Became a Marketing Qualified Lead Date"], format="%Y-%m-%d %H:%M")
    leads["converted_at"] = pd.to_datetime(leads["Became an Opportunity Date"], format="%Y-%m-%d %H:%M")
    deals = pd.read_csv(folder / DEALS, dtype=str)
    deals = deals[deals["Stage"].notna()].copy()  # the Salesforce report footer fills only the first column
    deals["created_at"] = pd.to_datetime(deals["Created Date"], format="%m/%d/%Y")
    deals["close_date"] = pd.to_datetime(deals["Close Date"], format="%m/%d/%Y")
    deals["amount"] = money(deals["Amount"])
    deals["probability"] = pd.to_numeric(deals["Probability (%)"]) / 100
    orders = pd.read_csv(folder / ORDERS, dtype=str)
    orders["amount"] = money(orders["Line Amount"])
    return {"leads": leads, "deals": deals, "orders": orders}


def metrics(data: dict[str, pd.DataFrame]) -> dict[str, object]:
    leads, deals, orders = data["leads"], data["deals"], data["orders"]
    won = deals[deals["Stage"] == WON]
    return {
        "close_ratio": leads["Record ID"].isin(won["HubSpot Contact ID"].dropna()).mean(),
        **qualified_leads(leads),
        "time_to_close": time_to_close(leads, won),
        "funnel_value": funnel_value(deals),
        "top20_customer_share": top20_share(orders),
    }


def qualified_leads(leads: pd.DataFrame) -> dict[str, object]:
    qualified = leads[
        leads["qualified_at"].notna() | leads["converted_at"].notna() | leads["Lead Status"].isin(QUALIFIED_STATUSES)
    ]
    event_at = qualified["qualified_at"].fillna(qualified["converted_at"]).fillna(qualified["created_at"])
    month = event_at.dt.to_period("M").dt.start_time
    by_month_and_source = qualified.groupby([month, qualified["Original Source"]]).size()
    return {
        "qualified_leads": len(qualified),
        "qualified_by_month": by_month_and_source.groupby(level=0).sum().to_dict(),
        "qualified_by_source": by_month_and_source.groupby(level=1).sum().to_dict(),
    }


def time_to_close(leads: pd.DataFrame, won: pd.DataFrame) -> float:
    joined = won.merge(
        leads[["Record ID", "created_at"]].rename(columns={"created_at": "lead_created"}),
        how="left",
        left_on="HubSpot Contact ID",
        right_on="Record ID",
    )
    start = joined[["lead_created", "created_at"]].min(axis=1).dt.normalize()
    days = (joined["close_date"].dt.normalize() - start).dt.days
    return float(days[joined["close_date"].notna() & start.notna() & (days >= 0)].median())


def funnel_value(deals: pd.DataFrame) -> float:
    closed = deals[deals["Stage"].isin([WON, LOST])]
    win_rate = (closed["Stage"] == WON).mean()
    open_deals = deals[~deals["Stage"].isin([WON, LOST]) & deals["amount"].notna()]
    return float((open_deals["probability"].fillna(win_rate) * open_deals["amount"]).sum())


def top20_share(orders: pd.DataFrame) -> float:
    lines = orders[orders["amount"].notna()]
    per_order = lines.groupby(["Invoice No", "Customer ID"])["amount"].sum()
    per_customer = per_order[per_order > 0].groupby(level="Customer ID").sum().sort_values(ascending=False)
    top = max(int(0.2 * len(per_customer)), 1)
    return float(per_customer.iloc[:top].sum() / per_customer.sum())


def ours(results: dict) -> dict[str, object]:
    """Our engine's results for the same five figures, in the shape `metrics` returns."""
    qualified = results["qualified_leads"]
    return {
        "close_ratio": results["close_ratio"].value,
        "qualified_leads": int(qualified.value),
        "qualified_by_month": dict(zip(qualified.trend["period"], qualified.trend["value"].astype(int), strict=True)),
        "qualified_by_source": dict(
            zip(qualified.breakdowns["source"]["key"], qualified.breakdowns["source"]["value"].astype(int), strict=True)
        ),
        "time_to_close": results["time_to_close"].value,
        "funnel_value": results["funnel_value"].value,
        "top20_customer_share": results["order_size"].details["top20_customer_share"],
    }


def differences(theirs: dict[str, object], mine: dict[str, object], tolerance: float = 1e-9) -> list[str]:
    """Every figure where pandas and our engine disagree (empty when all agree)."""
    problems = []
    for name, expected in theirs.items():
        got = mine.get(name)
        if isinstance(expected, dict):
            expected = {str(pd.Timestamp(k).date()) if name.endswith("month") else k: v for k, v in expected.items()}
            got = {str(pd.Timestamp(k).date()) if name.endswith("month") else k: v for k, v in (got or {}).items()}
            if expected != got:
                wrong = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))[:5]
                problems.append(f"{name}: differ at {wrong}")
        elif got is None or abs(float(expected) - float(got)) > tolerance * max(1.0, abs(float(expected))):
            problems.append(f"{name}: pandas {expected!r}, ours {got!r}")
    return problems
