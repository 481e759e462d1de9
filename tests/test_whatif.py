from dataclasses import replace

import pytest

from core.whatif import Plan, kpis, lever_to_reach

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
