"""The catalogue: 33 entries with the ids of DESIGN.md, every field filled, needs that exist in the schema,
a query for each, and a committed docs/metrics.md that matches the generated reference."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from core import engine
from core.catalogue import (
    BREAKDOWNS,
    CATALOGUE,
    CHARTS,
    DIRECTIONS,
    METRICS,
    PICKER_GROUPS,
    PRESETS,
    SCORECARD_IDS,
    SETTINGS,
    SOURCES,
    STAGES,
    UNITS,
    Metric,
    markdown_reference,
)
from core.schema import TABLE_KINDS, Profile

from .design_ids import IDC_IDS, YOUNG_IDS

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
def test_entry_is_complete_and_consistent(metric: Metric):
    for f in fields(Metric):
        if f.name not in ("settings", "breakdowns"):
            assert getattr(metric, f.name), f"{metric.id}.{f.name} is empty"
    assert metric.stage in STAGES and metric.source in SOURCES
    assert metric.unit in UNITS and metric.direction in DIRECTIONS and metric.chart in CHARTS
    assert set(metric.settings) <= set(SETTINGS)
    assert set(metric.breakdowns) <= set(BREAKDOWNS)
    assert metric.query in engine.QUERIES
    assert metric.needs and all(option for option in metric.needs)
    profile_fields = set(Profile.__dataclass_fields__)
    for option in metric.needs:
        for need in option:
            table, name = need.split(".", 1)
            if table == "profile":
                assert name in profile_fields, need
            else:
                assert name in TABLE_KINDS[table].field_names, need


def test_every_engine_query_belongs_to_an_entry():
    assert set(engine.QUERIES) == {m.query for m in METRICS}


def test_pickers_and_presets_only_use_catalogue_ids():
    picked = [metric_id for group in PICKER_GROUPS for metric_id in group.metric_ids]
    assert sorted(picked) == sorted(CATALOGUE)
    assert all(set(preset.metric_ids) <= set(CATALOGUE) for preset in PRESETS)


def test_self_assessments_never_claim_to_be_idc_scores():
    for metric_id in ("sales_enablement_score", "lead_management_score"):
        text = CATALOGUE[metric_id].definition
        assert "self-assessment" in text and "not the same as" in text


def test_docs_metrics_md_is_the_generated_reference():
    committed = (ROOT / "docs" / "metrics.md").read_text()
    assert committed == markdown_reference(), "run: python -m core.catalogue > docs/metrics.md"
    printed = subprocess.run(
        [sys.executable, "-m", "core.catalogue"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert printed == committed
    assert committed.count("\n### ") == 33
