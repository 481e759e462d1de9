"""The catalogue: 33 entries with the ids of DESIGN.md; each declaration is what the engine computes (its
alternatives by name, its dimensions as breakdowns and filters) and what docs/metrics.md shows, run for real."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from core.ingest import load_paths
from core.metrics import engine, relations
from core.metrics.catalogue import CATALOGUE, METRICS, PRESETS, SCORECARD_IDS, STAGES, Alternative
from core.metrics.context import context
from core.metrics.docs import markdown_reference, metric_sql
from core.sample import profile_from_file
from core.schema import TABLE_KINDS, Profile

from .design_ids import IDC_IDS, YOUNG_IDS
from .test_engine import database

ROOT = Path(__file__).resolve().parents[1]
DESIGN = Path(__file__).resolve().parents[2] / "shared" / "DESIGN.md"


def test_ids_are_the_33_of_the_design_in_order():
    assert [m.id for m in METRICS] == YOUNG_IDS + IDC_IDS
    assert len(CATALOGUE) == 33
    assert tuple(IDC_IDS) == SCORECARD_IDS


def test_ids_match_design_md_when_present():
    if not DESIGN.exists():
        pytest.skip(f"DESIGN.md not found at {DESIGN} (it lives in the project's shared folder)")
    text = DESIGN.read_text()
    catalogue_section = text[text.index("## The catalogue") : text.index("A few meanings")]
    assert re.findall(r"`([a-z0-9_]+)`", catalogue_section) == YOUNG_IDS + IDC_IDS


def test_stages_follow_the_seed_articles():
    counts = {stage: sum(m.stage == stage for m in METRICS) for stage in STAGES}
    # Young 2007: 5 lead generation, 7 lead management, 9 closing, 4 retention; IDC 2012: 3 + 2 + 3.
    assert counts == {
        "lead_generation": 5,
        "lead_management": 7,
        "closing": 9,
        "retention": 4,
        "investment": 3,
        "staffing": 2,
        "productivity": 3,
    }
    assert {m.source for m in METRICS if m.id in YOUNG_IDS} == {"young_2007"}
    assert {m.source for m in METRICS if m.id in IDC_IDS} == {"idc_2012"}


@pytest.mark.parametrize("metric", METRICS, ids=lambda m: m.id)
def test_every_need_names_a_field_the_schema_has(metric):
    """A need naming a field no table has would leave its alternative never chosen, silently."""
    profile_fields = set(Profile.__dataclass_fields__)
    for option in metric.needs:
        assert option
        for need in option:
            table, name = need.split(".", 1)
            assert name in (profile_fields if table == "profile" else TABLE_KINDS[table].field_names), need


def test_an_alternative_is_chosen_by_its_needs_not_its_position():
    """Deals alone give order size from won deals; the same deals with orders give it from orders."""
    deals = [
        {"opportunity_id": "O1", "account_id": "A", "amount": 300.0, "outcome": "won", "close_date": "2024-02-01"},
        {"opportunity_id": "O2", "account_id": "B", "amount": 100.0, "outcome": "won", "close_date": "2024-03-01"},
    ]
    orders = [{"order_id": "X", "account_id": "A", "order_date": "2024-02-03", "amount": 50.0}]
    by_deals = engine.compute(database(opportunities=deals), ["order_size"])["order_size"]
    by_orders = engine.compute(database(opportunities=deals, orders=orders), ["order_size"])["order_size"]
    assert (by_deals.value, by_deals.details["order_source"]) == (200.0, "won deals")
    assert (by_orders.value, by_orders.details["order_source"]) == (50.0, "orders")


def test_an_alternative_may_only_change_how_a_metric_is_computed():
    with pytest.raises(TypeError, match="cannot change name"):
        Alternative(("leads.lead_id",), name="Other")
    changed = CATALOGUE["order_size"].choose("won_deals")
    assert changed.rows.source == "{deals}" and changed.facts == {"order_source": "won deals"}
    assert CATALOGUE["order_size"].rows is None  # the entry itself is unchanged


@pytest.fixture(scope="module")
def sample():
    ws = load_paths(duckdb.connect(), sorted((ROOT / "sample_data").glob("*.csv")))
    return ws.con, profile_from_file(ROOT / "sample_data" / "company_profile.json")


def test_breakdowns_are_the_declared_dimensions(sample):
    con, profile = sample
    results = engine.compute(con, None, profile)
    for metric_id, result in results.items():
        assert set(result.breakdowns) <= set(CATALOGUE[metric_id].dims), metric_id
    assert list(results["qualified_leads"].breakdowns) == ["source", "campaign", "owner"]
    assert list(results["time_to_close"].breakdowns) == ["source", "owner", "product", "region"]


def test_a_filter_applies_only_to_a_declared_dimension(sample):
    con, profile = sample
    source = engine.filter_options(con)["source"][0]
    results = engine.compute(con, ["qualified_leads", "sm_spend_pct_revenue"], profile, filters={"source": (source,)})
    assert results["qualified_leads"].unfiltered == []
    assert results["sm_spend_pct_revenue"].unfiltered == ["source"]  # no dimension: said, not silently ignored


def test_a_placeholder_no_declaration_may_use_is_refused(sample):
    con, profile = sample
    values = engine.Placeholders(context(con, profile), {})
    assert values["idle_days"] == "90" and values["deals"].startswith("(SELECT *")
    with pytest.raises(KeyError, match="not a placeholder"):
        values["salary"]


def _documented_value(con, profile, metric_id: str, alternative: str) -> float:
    """The metric's value from the SQL docs/metrics.md shows, run with each relation as a view of its documented
    SQL and each `$setting` filled from the profile."""
    ctx = context(con, profile)
    ctx.plain = True
    for name, build in relations.RELATIONS.items():
        if name != "accounts":  # the loaded table itself
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {build(ctx)}")
    sql = metric_sql(CATALOGUE[metric_id], alternative)
    base, rest = sql.removeprefix("-- base rows\n").split("\n-- figures over b", 1)
    figures = rest.split("\n", 1)[1].split("\n-- ")[0]
    for setting in ("idle_days", "appointment_window_days", "high_margin_pct", "new_product_months", "lapse_months"):
        base = base.replace(f"${setting}", str(getattr(profile, setting)))
    base = base.replace("$as_of", f"DATE '{ctx.as_of.isoformat()}'")
    periods = ", date_trunc('month', event_at) AS _month, date_trunc('quarter', event_at) AS _quarter"
    frame = con.execute(f"WITH b AS (SELECT *{periods} FROM ({base})) {figures}").df()
    total = frame[(frame.filter(like="g_") == 1).all(axis=1)]
    return float(total["value"].iloc[0])


@pytest.mark.parametrize(
    ("metric_id", "alternative"),
    [
        ("qualified_leads", "qualified_date"),
        ("lead_leakage_rate", "leads"),
        ("meetings_to_close", "activities"),
        ("time_to_close", "deal_created"),
        ("relationship_depth", "orders"),
    ],
)
def test_the_documented_sql_gives_the_engines_figure(sample, metric_id, alternative):
    con, profile = sample
    result = engine.compute(con, [metric_id], profile)[metric_id]
    assert engine._availability(context(con, profile), CATALOGUE[metric_id])[0] == alternative
    assert _documented_value(con, profile, metric_id, alternative) == pytest.approx(result.value, rel=1e-9)


def test_presets_only_use_catalogue_ids():
    assert all(set(preset.metric_ids) <= set(CATALOGUE) for preset in PRESETS)


def test_self_assessments_never_claim_to_be_idc_scores():
    for metric_id in ("sales_enablement_score", "lead_management_score"):
        text = CATALOGUE[metric_id].definition
        assert "self-assessment" in text and "not the same as" in text


def test_docs_metrics_md_is_the_generated_reference():
    committed = (ROOT / "docs" / "metrics.md").read_text()
    assert committed == markdown_reference(), "run: python -m core.metrics.docs > docs/metrics.md"
    printed = subprocess.run(
        [sys.executable, "-m", "core.metrics.docs"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert printed == committed
    assert committed.count("\n### ") == 33 + len(relations.RELATIONS)
