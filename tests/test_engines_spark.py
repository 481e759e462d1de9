"""The catalogue on Apache Spark in local mode: the sample company's exports as Parquet tables of a lakehouse,
read through canonical views from the mapping file ingest writes, give every figure DuckDB gives, and
`python -m core metrics --engine spark --json` the JSON DuckDB gives. Skipped, with the reason, where pyspark or a
Java runtime is missing."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from core.__main__ import main
from core.engines.views import create_views
from core.ingest import load_paths, parse_mapping_file
from core.metrics import engine, shapes
from core.sample import profile_from_file
from tests.warehouse import (
    assert_same_frame,
    assert_same_json,
    assert_same_results,
    export_selects,
    load_into_spark,
    spark_missing,
)

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
LARGEST_CHART = shapes.LORENZ_STEPS + 1


@pytest.fixture(scope="module")
def sides(tmp_path_factory):
    """(the sample's DuckDB workspace, its profile, a Spark backend over the same data)."""
    if reason := spark_missing():
        pytest.skip(reason)
    from core.engines.spark import SparkBackend, local_session

    ws = load_paths(duckdb.connect(), sorted(SAMPLE.glob("*.csv")))
    session = local_session("local[2]")
    selects = export_selects(ws)
    load_into_spark(ws.con, selects, session, tmp_path_factory.mktemp("lakehouse"))
    backend = SparkBackend(session)
    for kind in create_views(backend, parse_mapping_file(ws.mappings_file()), list(selects)):
        session.sql(f"CACHE TABLE `{kind}`")  # read once from Parquet, not again for each of the 70 queries
    yield ws, profile_from_file(SAMPLE / "company_profile.json"), backend
    backend.close()
    session.stop()


def test_every_metric_and_shape_agrees_with_duckdb_and_only_aggregates_travel(sides, tmp_path, capsys):
    """One test, so that a parallel run starts one Spark session for it, not one per worker: the CLI's local
    session is that one too (Spark hands a process its running session), holding the lakehouse's tables."""
    ws, profile, backend = sides
    expected, found = engine.compute(ws.con, None, profile), engine.compute(backend, None, profile)
    assert sum(result.available for result in found.values()) == 33
    assert_same_results(expected, found)
    charts, drawn = shapes.all_shapes(ws.con, engine.Period(), {}), shapes.all_shapes(backend, engine.Period(), {})
    for name, shape in charts.items():
        assert shape.rows == drawn[name].rows, name
        assert_same_frame(shape.frame, drawn[name].frame, name)
    assert 0 < backend.largest <= LARGEST_CHART

    mapping = tmp_path / "mappings.json"
    mapping.write_text(ws.mappings_file())
    sources = [f"--source={table}" for table in export_selects(ws) if table != "hubspot_contacts"]
    here = cli_json(capsys, "metrics", str(SAMPLE), "--json")
    there = cli_json(
        capsys,
        *("metrics", "--engine", "spark", "--json", "--mapping", str(mapping), "--source", "leads=hubspot_contacts"),
        *(sources + ["--profile", str(SAMPLE / "company_profile.json")]),
    )
    assert sum(item["available"] for item in there["metrics"]) == 33
    assert_same_json(here, there)


def cli_json(capsys, *argv: str) -> dict:
    capsys.readouterr()  # what Spark printed before
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)
