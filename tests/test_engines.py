"""The catalogue on PostgreSQL: the sample company's exports in a local server as a warehouse holds them, read
through canonical views made from the mapping file ingest writes, give every figure DuckDB gives (values,
details, trends, breakdowns, chart shapes), and only aggregates come back. Plus the translation's own rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from core.__main__ import main
from core.engines import DuckDBBackend
from core.engines.base import plain_value
from core.engines.translate import TRANSLATED_ONLY, Untranslatable, parses, translate
from core.engines.views import ViewError, create_views
from core.ingest import load_paths, parse_mapping_file
from core.metrics import engine, shapes, whatif
from core.metrics.catalogue import CATALOGUE, SCORECARD_IDS
from core.sample import profile_from_file
from core.schema import TABLE_KINDS
from tests.warehouse import (
    POSTGRES_TYPES,
    assert_same_figure,
    assert_same_frame,
    assert_same_json,
    assert_same_results,
    export_selects,
    load_into_postgres,
    local_postgres,
    postgres_bin,
)

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
LARGEST_CHART = shapes.LORENZ_STEPS + 1  # the Lorenz curve: a point per 0.1% of customers, from 0 to 100%


@pytest.fixture(scope="module")
def sample():
    ws = load_paths(duckdb.connect(), sorted(SAMPLE.glob("*.csv")))
    return ws, profile_from_file(SAMPLE / "company_profile.json")


@pytest.fixture(scope="module")
def postgres(sample):
    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed (scripts/run-tests.sh installs Debian's postgresql)")
    from core.engines.postgres import PostgresBackend

    ws, _ = sample
    with local_postgres() as conninfo:
        selects = export_selects(ws)
        load_into_postgres(ws.con, selects, conninfo, "crm")
        backend = PostgresBackend(conninfo, "crm")
        views = create_views(backend, parse_mapping_file(ws.mappings_file()), list(selects))
        yield backend, views, conninfo
        backend.close()


def test_every_export_becomes_its_canonical_view(postgres):
    _, views, _ = postgres
    assert views == {
        "headcount": ["bamboohr_employees"],
        "nps": ["delighted_nps_responses"],
        "orders": ["erp_invoice_lines"],
        "spend": ["gl_sales_marketing_extract"],
        "leads": ["hubspot_contacts"],
        "accounts": ["salesforce_accounts"],
        "activities": ["salesforce_activities"],
        "opportunities": ["salesforce_opportunities_report"],
        "stage_history": ["salesforce_opportunity_history"],
        "products": ["salesforce_products"],
    }


def _profile_sql(kind: str) -> str:
    """Rows, and per field its count of values and its sum (numbers), its range (dates) or its distinct values."""
    items = ["count(*)"]
    for field in TABLE_KINDS[kind].fields:
        name = f'"{field.name}"'
        items.append(f"count({name})")
        if field.type == "DOUBLE":
            items.append(f"sum({name})")
        elif field.type == "TIMESTAMP":
            items += [f"min({name})", f"max({name})"]
        else:
            items.append(f"count(DISTINCT {name})")
    return f'SELECT {", ".join(items)} FROM "{kind}"'


@pytest.mark.parametrize("kind", sorted(TABLE_KINDS))
def test_the_views_hold_what_ingest_loaded(sample, postgres, kind):
    ws, _ = sample
    backend, _, _ = postgres
    expected, found = ws.con.execute(_profile_sql(kind)).fetchall()[0], backend.rows(_profile_sql(kind))[0]
    for number, (mine, theirs) in enumerate(zip(expected, found, strict=True)):
        assert_same_figure(mine, theirs, f"{kind} figure {number}")
    assert expected[0] > 0


def test_every_metric_agrees_with_duckdb(sample, postgres):
    ws, profile = sample
    backend, _, _ = postgres
    expected = engine.compute(ws.con, None, profile)
    found = engine.compute(backend, None, profile)
    assert sum(result.available for result in found.values()) == len(CATALOGUE) == 33
    assert found["qualified_leads"].breakdowns["source"]["n"].sum() == found["qualified_leads"].value
    assert_same_results(expected, found)


def test_a_period_and_filters_agree(sample, postgres):
    ws, profile = sample
    backend, _, _ = postgres
    period, filters = engine.Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30)), {"source": ("Organic Search",)}
    expected = engine.compute(ws.con, None, profile, period, filters)
    found = engine.compute(backend, None, profile, period, filters)
    assert found["qualified_leads"].unfiltered == [] and found["nps"].unfiltered == ["source"]
    assert_same_results(expected, found)
    assert engine.filter_options(backend) == engine.filter_options(ws.con)


def test_the_what_if_plan_agrees(sample, postgres):
    ws, profile = sample
    backend, _, _ = postgres
    ids = list(SCORECARD_IDS)
    expected = whatif.current_plan(ws.con, engine.compute(ws.con, ids, profile, breakdowns=False))
    found = whatif.current_plan(backend, engine.compute(backend, ids, profile, breakdowns=False))
    assert expected is not None and expected.marketing_programs > 0
    for field in dataclasses.fields(expected):
        assert_same_figure(getattr(expected, field.name), getattr(found, field.name), field.name)


def test_the_overview_shapes_agree(sample, postgres):
    ws, _ = sample
    backend, _, _ = postgres
    expected, found = shapes.all_shapes(ws.con, engine.Period(), {}), shapes.all_shapes(backend, engine.Period(), {})
    for name, shape in expected.items():
        assert shape is not None, name
        assert shape.rows == found[name].rows, name
        assert_same_frame(shape.frame, found[name].frame, name)


def test_only_aggregates_travel(sample, postgres):
    """No query of the metrics, the shapes or the filters brings back more rows than the largest chart draws
    (the sample's 40,007 leads and 79,802 activities stay where they are)."""
    ws, profile = sample
    backend, _, _ = postgres
    for side in (backend, DuckDBBackend(ws.con)):
        side.largest = 0
        engine.compute(side, None, profile)
        shapes.all_shapes(side, engine.Period(), {})
        engine.filter_options(side)
        assert 0 < side.largest <= LARGEST_CHART, side.name


def test_a_breakdown_of_thousands_of_owners_brings_back_the_fifty_it_shows(postgres):
    """Canonical tables kept in the warehouse itself (no views needed): 3,000 leads with an owner each."""
    _, _, conninfo = postgres
    from core.engines.postgres import PostgresBackend

    backend = PostgresBackend(conninfo, "wide")
    columns = ", ".join(f'"{f.name}" {POSTGRES_TYPES[f.type]}' for f in TABLE_KINDS["leads"].fields)
    backend.con.execute("DROP SCHEMA IF EXISTS wide CASCADE; CREATE SCHEMA wide")
    backend.con.execute(f"CREATE TABLE wide.leads ({columns})")
    backend.con.execute(
        "INSERT INTO wide.leads (lead_id, created_at, owner, qualified_at) SELECT 'L' || i, "
        "TIMESTAMP '2025-01-01' + i * INTERVAL '1 hour', 'owner ' || i, "
        "CASE WHEN i % 2 = 0 THEN TIMESTAMP '2025-06-01' END FROM generate_series(1, 3000) AS i"
    )
    result = engine.compute(backend, ["qualified_leads"])["qualified_leads"]
    backend.close()
    assert result.value == 1500
    owners = result.breakdowns["owner"]
    assert owners["key"].tolist() == sorted(f"owner {i}" for i in range(2, 3001, 2))[:50]  # ties by name
    assert owners["n"].tolist() == [1] * 50
    assert backend.largest <= LARGEST_CHART


def test_deals_known_only_from_their_stage_history_are_found_by_an_anti_join(postgres):
    """20,000 deals and 20,005 deals' stage changes, five of them of deals the deals table lacks, with PostgreSQL's
    work_mem too small to hash the deals' ids: the milestones are an anti-join, not a NOT IN run row by row
    (quadratic: the 10M-lead benchmark never finished), and the five deals still count."""
    _, _, conninfo = postgres
    from core.engines.postgres import PostgresBackend
    from core.metrics import relations
    from core.metrics.context import context

    backend = PostgresBackend(conninfo, "history")
    backend.con.execute("DROP SCHEMA IF EXISTS history CASCADE; CREATE SCHEMA history; SET work_mem = '64kB'")
    for kind in ("opportunities", "stage_history"):
        columns = ", ".join(f'"{f.name}" {POSTGRES_TYPES[f.type]}' for f in TABLE_KINDS[kind].fields)
        backend.con.execute(f"CREATE TABLE history.{kind} ({columns})")
    backend.con.execute(
        "INSERT INTO history.opportunities (opportunity_id, created_at) "
        "SELECT 'D' || i, TIMESTAMP '2025-01-01' FROM generate_series(1, 20000) AS i"
    )
    backend.con.execute(
        "INSERT INTO history.stage_history (opportunity_id, stage, changed_at) "
        "SELECT 'D' || i, CASE WHEN i % 4 = 0 THEN 'RFP sent' ELSE 'Discovery' END, TIMESTAMP '2025-02-01' "
        "FROM generate_series(1, 20005) AS i"
    )
    milestones = translate(relations._milestones_sql(context(backend), ("rfp_at",)), "postgres")
    plan = "\n".join(row[0] for row in backend.con.execute("EXPLAIN " + milestones).fetchall())
    result = engine.compute(backend, ["rfp_count"])["rfp_count"]
    backend.close()
    assert "Anti Join" in plan and "SubPlan" not in plan
    assert result.value == 5001  # deals 4, 8, ..., 20004: 20,000 of the table's and 20,004 of the history's alone


def test_views_from_a_mapping_written_by_hand(postgres):
    """Renamed columns, a stage the person classed as won ('Signed'), a row without its id left out, and a roster
    whose id column names the role of every row."""
    _, _, conninfo = postgres
    from core.engines.postgres import PostgresBackend

    backend = PostgresBackend(conninfo, "hand")
    backend.con.execute("DROP SCHEMA IF EXISTS hand CASCADE; CREATE SCHEMA hand")
    backend.con.execute("CREATE TABLE hand.deals (deal_id text, deal_stage text, value numeric, closed date)")
    backend.con.execute(
        "INSERT INTO hand.deals VALUES ('D1', 'Signed', 100, '2025-03-01'), ('D2', 'Closed Lost', 50, '2025-03-02'), "
        "('D3', 'Signed', 30, '2025-04-01'), ('D4', 'Negotiation', 70, '2025-05-01'), (NULL, 'Signed', 1, '2025-05-02')"
    )
    backend.con.execute("CREATE TABLE hand.sales_agents (sales_agent text, hired date)")
    backend.con.execute("INSERT INTO hand.sales_agents VALUES ('Ana', '2020-01-01'), ('Bo', '2021-01-01')")
    deals = {"kind": "opportunities", "file": "deals.csv", "headers": ["Deal ID", "Deal Stage", "Value", "Closed"]}
    deals |= {
        "mapping": {"opportunity_id": "Deal ID", "stage": "Deal Stage", "amount": "Value", "close_date": "Closed"}
    }
    deals |= {"value_maps": {"outcome": {"Signed": "won"}}}
    roster = {"kind": "headcount", "headers": ["Sales Agent", "Hired"]}
    roster |= {"mapping": {"employee_id": "Sales Agent", "hire_date": "Hired"}}
    text = json.dumps({"format": "gtm-scorecard-mappings", "version": 1, "files": {"a": deals, "b": roster}})
    made = create_views(backend, parse_mapping_file(text), ["deals", "sales_agents"])
    assert made == {"opportunities": ["deals"], "headcount": ["sales_agents"]}
    outcomes = backend.rows("SELECT opportunity_id, outcome, is_won, amount FROM opportunities ORDER BY 1")
    assert outcomes == [
        ("D1", "won", True, 100.0),
        ("D2", "lost", False, 50.0),
        ("D3", "won", True, 30.0),
        ("D4", "open", False, 70.0),
    ]
    assert backend.rows("SELECT role_class, count(*) FROM headcount GROUP BY 1") == [("quota_seller", 2)]
    results = engine.compute(backend, ["close_ratio", "funnel_value"])
    backend.close()
    assert results["close_ratio"].value == pytest.approx(2 / 3)  # D1, D3 won; D2 lost
    assert results["funnel_value"].details["open_amount"] == 70


def test_a_table_no_mapping_entry_fits_is_named(sample, postgres):
    ws, _ = sample
    backend, _, _ = postgres
    with pytest.raises(ViewError, match="pg_class: no mapping entry fits its columns"):
        create_views(backend, parse_mapping_file(ws.mappings_file()), ["pg_class"])
    with pytest.raises(ViewError, match="no mapping entry is named 'invoices'"):
        create_views(backend, parse_mapping_file(ws.mappings_file()), ["invoices=erp_invoice_lines"])


def run(capsys, *argv) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_the_cli_gives_the_same_json_on_postgres(sample, postgres, tmp_path, capsys):
    ws, _ = sample
    _, views, conninfo = postgres
    mapping = tmp_path / "mapping.json"
    mapping.write_text(ws.mappings_file())
    sources = [f"--source={table}" for kind, tables in views.items() if kind != "leads" for table in tables]
    here = run(capsys, "metrics", str(SAMPLE), "--json")
    there = run(
        capsys,
        *("metrics", "--engine", "postgres", "--connect", conninfo, "--schema", "crm", "--json"),
        *(sources + ["--source", "leads=hubspot_contacts", "--mapping", str(mapping)]),
        *("--profile", str(SAMPLE / "company_profile.json")),
    )
    assert sum(item["available"] for item in there["metrics"]) == 33
    assert_same_json(here, there)


def test_the_cli_names_a_warehouse_table_that_fits_no_mapping(sample, postgres, tmp_path, capsys):
    ws, _ = sample
    _, _, conninfo = postgres
    mapping = tmp_path / "mapping.json"
    mapping.write_text(ws.mappings_file())
    with pytest.raises(SystemExit) as stopped:
        main(
            [
                "metrics",
                "--engine",
                "postgres",
                "--connect",
                conninfo,
                "--source",
                "pg_class",
                "--mapping",
                str(mapping),
            ]
        )
    assert stopped.value.code == 2
    assert "--source: pg_class: no mapping entry fits its columns" in capsys.readouterr().err


# ---- translation -----------------------------------------------------------------------------------------------
def test_a_word_boundary_is_postgres_own():
    assert (
        translate(r"SELECT regexp_matches(lower(o), '\bno\b') FROM t", "postgres")
        == r"SELECT LOWER(o) ~ '\yno\y' FROM t"
    )


def test_spark_divides_decimal_literals_as_doubles():
    assert translate("SELECT x / 8.0 FROM t", "spark") == "SELECT x / CAST(8.0 AS DOUBLE) FROM t"


def test_spark_quantiles_are_exact():
    assert translate("SELECT quantile_cont(d, 0.25), quantile_disc(d, 0.99) FROM t", "spark") == (
        "SELECT PERCENTILE(d, 0.25), PERCENTILE_DISC(0.99) WITHIN GROUP (ORDER BY d NULLS LAST) FROM t"
    )


def test_numerics_come_back_as_duckdb_gives_them():
    assert [plain_value(Decimal(text)) for text in ("12", "1.50", "2.0000")] == [12, 1.5, 2.0]
    assert isinstance(plain_value(Decimal("2.0000")), float)


def test_postgres_15_gets_aliases_and_no_any_value():
    assert (
        translate("SELECT any_value(a) FROM (SELECT 1 AS a)", "postgres") == "SELECT MIN(a) FROM (SELECT 1 AS a) AS _q0"
    )


def test_snowflake_and_bigquery_read_back_what_is_written_for_them(sample):
    ws, profile = sample
    written = []

    class Recording(DuckDBBackend):
        def rows(self, sql, parameters=None):
            written.append(sql)
            return super().rows(sql, parameters)

        def frame(self, sql):
            written.append(sql)
            return super().frame(sql)

        def temp_table(self, name, select):
            written.append(select())
            return super().temp_table(name, lambda: written[-1])

    backend = Recording(ws.con)
    backend.plain = True
    engine.compute(backend, None, profile)
    assert len(written) > 50 and any("first_meeting_at" in sql for sql in written)  # the lead facts too
    for dialect in TRANSLATED_ONLY:
        assert all(parses(translate(sql, dialect), dialect) for sql in written)


def test_what_does_not_translate_leaves_the_metric_unavailable_with_the_reason(sample):
    ws, profile = sample

    class NoMedian(DuckDBBackend):
        plain = True

        def frame(self, sql):
            if "median(" in sql:
                raise Untranslatable("postgres has no equivalent of part of this query: median")
            return super().frame(sql)

    results = engine.compute(NoMedian(ws.con), ["time_to_close", "close_ratio"], profile)
    assert not results["time_to_close"].available
    assert results["time_to_close"].missing == [
        "This metric cannot be computed on duckdb: postgres has no equivalent of part of this query: median"
    ]
    assert results["close_ratio"].available
