import datetime as dt
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from core.ingest import load_paths
from core.metrics import engine
from core.metrics.engine import Period
from core.metrics.whatif import Plan, current_plan, kpis, lever_to_reach
from core.sample import profile_from_file
from core.schema import stored_table

PLAN = Plan(
    revenue=1000.0,
    sales_people=60.0,
    sales_programs=20.0,
    marketing_people=10.0,
    marketing_programs=10.0,
    quota_sellers=40.0,
    field_marketers=2.0,
    ops_staff=5.0,
    other_sm_staff=55.0,
)


def test_kpis_of_a_plan():
    values = kpis(PLAN)
    assert values["sm_spend_pct_revenue"] == pytest.approx(0.10)  # (80 + 20) / 1000
    assert values["sales_to_marketing_spend"] == pytest.approx(4.0)  # 80 / 20
    assert values["marketing_spend_per_sales_head"] == pytest.approx(0.5)  # 20 / 40
    assert values["quota_to_field_marketing_ratio"] == pytest.approx(20.0)  # 40 / 2
    assert values["program_share_of_spend"] == pytest.approx(0.30)  # (20 + 10) / 100
    assert values["ops_staff_share"] == pytest.approx(5 / 102)


def test_no_denominator_gives_none():
    assert kpis(replace(PLAN, field_marketers=0.0))["quota_to_field_marketing_ratio"] is None


def test_lever_to_reach_solves_each_kind_of_ratio():
    # 40 sellers / x field marketers = 32  →  x = 1.25
    assert lever_to_reach(PLAN, "quota_to_field_marketing_ratio", "field_marketers", 32) == pytest.approx(1.25)
    # (20 + x) / (90 + x) = 0.27  →  x = 4.3 / 0.73
    assert lever_to_reach(PLAN, "program_share_of_spend", "marketing_programs", 0.27) == pytest.approx(4.3 / 0.73)
    # 100 / revenue = 0.106  →  revenue = 943.40
    assert lever_to_reach(PLAN, "sm_spend_pct_revenue", "revenue", 0.106) == pytest.approx(100 / 0.106)
    # whole people: 40 / x = 13  →  x = 3.08  →  3 field marketers
    assert lever_to_reach(PLAN, "quota_to_field_marketing_ratio", "field_marketers", 13.0, whole=True) == 3.0


def test_unreachable_target_gives_none():
    # programs can never exceed 100% of spend, whatever one lever does
    assert lever_to_reach(PLAN, "program_share_of_spend", "marketing_programs", 1.5) is None
    with pytest.raises(ValueError, match="unknown lever"):
        lever_to_reach(PLAN, "ops_staff_share", "interns", 0.05)


# --- the plan moves as the engine would on the changed data ------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
KPIS = tuple(kpis(PLAN))
SPEND_LEVERS = {
    "sales_people": ("sales", "people"),
    "sales_programs": ("sales", "programs"),
    "marketing_people": ("marketing", "people"),
    "marketing_programs": ("marketing", "programs"),
}
STAFF_LEVERS = {
    "quota_sellers": "quota_seller",
    "field_marketers": "field_marketing",
    "ops_staff": "sales_ops",
    "other_sm_staff": "sales_other",
}


@pytest.fixture(scope="module")
def sample():
    ws = load_paths(duckdb.connect(), sorted((ROOT / "sample_data").glob("*.csv")))
    return ws.con, profile_from_file(ROOT / "sample_data" / "company_profile.json")


def _engine_kpis(con, profile, period) -> dict[str, float]:
    results = engine.compute(con, list(KPIS), profile, period, breakdowns=False)
    return {metric_id: results[metric_id].value for metric_id in KPIS}


def _change(con, lever: str, window: tuple[str, str]) -> None:
    """The data as it would be with the lever moved: amounts in the window × 1.25, or two more people (written to
    the tables under the canonical views)."""
    orders, spend, headcount = (stored_table(kind) for kind in ("orders", "spend", "headcount"))
    if lever == "revenue":
        con.execute(f"UPDATE {orders} SET amount = amount * 1.25 WHERE order_date::DATE BETWEEN ? AND ?", list(window))
    elif lever in SPEND_LEVERS:
        function, category = SPEND_LEVERS[lever]
        con.execute(
            f"UPDATE {spend} SET amount = amount * 1.25 WHERE lower(function) = ? AND lower(category) = ? "
            "AND period::DATE BETWEEN ? AND ?",
            [function, category, *window],
        )
    else:
        for number in (1, 2):
            con.execute(
                f"INSERT INTO {headcount} (employee_id, role_class) VALUES (?, ?)",  # no FTE, like everyone in the sample
                [f"what-if-{lever}-{number}", STAFF_LEVERS[lever]],
            )


@pytest.mark.parametrize("months", [12, 3])
@pytest.mark.parametrize("lever", ["revenue", *SPEND_LEVERS, *STAFF_LEVERS])
def test_moving_a_lever_moves_the_kpis_as_the_engine_would(sample, lever, months):
    con, profile = sample
    periods = {
        12: Period(dt.date(2025, 11, 1), dt.date(2026, 10, 31)),
        3: Period(dt.date(2026, 8, 1), dt.date(2026, 10, 31)),
    }
    period = periods[months]
    results = engine.compute(con, None, profile, period, breakdowns=False)
    today = current_plan(con, results)
    assert kpis(today) == pytest.approx(_engine_kpis(con, profile, period), rel=1e-9)
    step = getattr(today, lever) * 0.25 if lever in ("revenue", *SPEND_LEVERS) else 2
    moved = replace(today, **{lever: getattr(today, lever) + step})
    con.execute("BEGIN TRANSACTION")
    try:
        _change(con, lever, (period.start.isoformat(), period.end.isoformat()))
        assert kpis(moved) == pytest.approx(_engine_kpis(con, profile, period), rel=1e-9)
    finally:
        con.execute("ROLLBACK")
