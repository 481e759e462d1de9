"""Snapshots and the HTML report, on small exports whose figures are computed by hand: aggregates only, the
same numbers in the snapshot, its metric table and the report, and damaged files refused with a clear reason."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from core.ingest import Workspace
from core.metrics import benchmarks, engine, shapes
from core.metrics.catalogue import CATALOGUE
from core.metrics.engine import MetricResult
from core.schema import Profile, Segment
from core.share import report, snapshot

from .test_shapes import DEALS, LEADS, ORDERS

NPS = b"Response ID,Response Date,Score\nR1,2025-01-10,10\nR2,2025-02-11,3\nR3,2025-02-12,10\n"
IDS = ["close_ratio", "nps", "time_to_close", "cost_per_qualified_lead"]
VIEW = {"Period": "all dates", "Filters": "none"}


@pytest.fixture(scope="module")
def made() -> dict:
    ws = Workspace(duckdb.connect())
    for name, data in (("leads.csv", LEADS), ("deals.csv", DEALS), ("orders.csv", ORDERS), ("nps.csv", NPS)):
        ws.add(name, data)
    results = engine.compute(ws.con, IDS, Profile(), engine.Period(), {})
    overview = shapes.all_shapes(ws.con, engine.Period(), {})
    return snapshot.build(
        company="Acme <b>Ltd</b>",
        currency="USD",
        view=VIEW,
        metric_ids=IDS,
        results=results,
        comparisons={},
        overview=overview,
    )


def test_a_snapshot_holds_each_metric_value_trend_and_breakdown(made):
    by_id = {entry["id"]: entry for entry in made["metrics"]}
    assert [entry["id"] for entry in made["metrics"]] == IDS
    close = by_id["close_ratio"]  # 1 won of 4 leads; Events 1 of 2, Web 0 of 2
    assert (close["value"], close["display"], close["rows_used"]) == (0.25, "25.0%", 4)
    assert close["breakdowns"]["source"] == [
        {"key": "Events", "value": 0.5, "n": 2},
        {"key": "Web", "value": 0.0, "n": 2},
    ]
    assert close["trend"] == [{"period": "2025-01-01", "value": 0.25, "n": 4}]
    assert by_id["nps"]["value"] == pytest.approx(100 * (2 - 1) / 3)  # two 10s, one 3
    assert by_id["time_to_close"]["value"] == 25.0  # L1 created 5 Jan, its deal won 30 Jan
    spend = by_id["cost_per_qualified_lead"]
    assert spend["available"] is False and spend["value"] is None and spend["missing"]


def test_a_snapshot_carries_aggregates_never_rows(made):
    data = snapshot.to_bytes(made)
    for raw_id in (b'"L2"', b'"L4"', b'"O2"', b'"R2"'):
        assert raw_id not in data
    overview = made["overview"]
    assert overview["funnel"]["data"] == [
        {"step": "Leads", "count": 4},
        {"step": "Qualified", "count": 2},
        {"step": "Opportunity", "count": 2},
        {"step": "Won", "count": 1},
    ]
    assert overview["nps_answers"]["rows"] == 3


def test_contents_lists_every_part_with_its_count_of_values(made):
    contents = snapshot.contents(made)
    assert contents["part"].tolist() == [
        "View",
        "Metric: Close ratio",
        "Metric: Net Promoter Score",
        "Metric: Time to close",
        "Metric: Cost per qualified lead",
        "Chart: Funnel",
        "Chart: Time to close",
        "Chart: Revenue concentration",
        "Chart: Retention cohorts",
        "Chart: NPS answers",
    ]
    close = contents.set_index("part").loc["Metric: Close ratio"]
    assert close["values"] == 1 + 1 + 2  # the value, one trend point, two breakdown keys
    assert "breakdown by source" in close["what"]


def test_a_snapshot_survives_its_file_and_makes_the_same_table(made):
    opened = snapshot.load(snapshot.to_bytes(made))
    assert opened == json.loads(json.dumps(made))
    table = snapshot.metric_table(opened)
    assert table["metric"].tolist() == ["Close ratio", "Net Promoter Score", "Time to close", "Cost per qualified lead"]
    assert table["shown as"].tolist()[:3] == ["25.0%", "33", "25 days"]
    assert table["status"].iloc[3].startswith("missing: ")
    assert [name for name, _ in snapshot.metric_charts(opened["metrics"][0], opened["currency"])] == [
        "close_ratio_trend",
        "close_ratio_by_source",
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Lead ID,Created\nL1,2025-01-01\n", "This file is not a snapshot"),
        (b'{"format": "something else"}', "is not a GTM Scorecard snapshot"),
        (b'{"format": "gtm-scorecard-snapshot", "version": 99}', "version 99; this app reads version 1"),
        (
            b'{"format": "gtm-scorecard-snapshot", "version": 1, "company": "", "currency": "USD", "view": {},'
            b' "metrics": [{"name": "X", "value": "1; DROP"}], "overview": {}}',
            "the value of 'X' is not a number.",
        ),
        (
            b'{"format": "gtm-scorecard-snapshot", "version": 1, "company": "", "currency": "USD", "view": {},'
            b' "metrics": [], "overview": {"evil": {"data": []}}}',
            "its 'overview' part names 'evil', not a part it draws",
        ),
        (
            b'{"format": "gtm-scorecard-snapshot", "version": 1, "company": "", "currency": "USD", "view": {}}',
            "the file lacks a part this app needs: 'metrics', 'overview'",
        ),
        (
            b'{"format": "gtm-scorecard-snapshot", "version": 1, "company": 5, "currency": "USD", "view": {},'
            b' "metrics": [], "overview": {}}',
            "its 'company' part is not text",
        ),
        (  # the value found is never quoted: it may be data, and the message reaches the log of a failure
            b'{"format": "gtm-scorecard-snapshot", "version": 1, "company": "", "currency": "USD", "view": {},'
            b' "metrics": [{"name": "X", "rows_used": "abc"}], "overview": {}}',
            "the rows_used of 'X' is not a whole number.",
        ),
        (
            b'{"format": "gtm-scorecard-snapshot", "version": 1, "company": "", "currency": "USD", "view": {},'
            b' "metrics": [' + b", ".join([b'{"name": "X"}'] * 2500) + b'], "overview": {}}',
            "its 'metrics' part holds more than 33 entries",
        ),
        (b" " * (snapshot.MAX_BYTES + 1), "a snapshot is at most 5 MB"),
    ],
)
def test_a_file_that_is_not_a_sound_snapshot_is_refused_with_the_reason(data, reason):
    with pytest.raises(snapshot.SnapshotError, match=re.escape(reason)):
        snapshot.load(data)


def _rows_of(spec: dict) -> list[dict]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_the_html_report_holds_names_values_definitions_and_charts_and_escapes_text(made):
    hostile = json.loads(json.dumps(made))
    hostile["metrics"][0]["breakdowns"]["source"][0]["key"] = "</script><script>alert(1)</script>"
    hostile["metrics"][0]["breakdowns"]["source"][1]["key"] = "<!--<script>\u2028 & \u2029"
    page = report.html_report(hostile)
    for name, value in (("Close ratio", "25.0%"), ("Net Promoter Score", "33"), ("Time to close", "25 days")):
        assert f'>{name}</a></td><td class="value">{value}</td>' in page
    assert "Acme &lt;b&gt;Ltd&lt;/b&gt;" in page and "<b>Ltd</b>" not in page
    assert "<script>alert(1)</script>" not in page and "<!--" not in page and "\u2028" not in page
    blocks = re.findall(r'<script type="application/json" data-chart="[^"]+">(.*?)</script>', page, re.S)
    keys = {row["key"] for block in blocks for row in _rows_of(json.loads(block)) if "key" in row}
    assert {"</script><script>alert(1)</script>", "<!--<script>\u2028 & \u2029"} <= keys  # the same text again
    assert 'Roy Young, "Marketing Drives Sales: 25 Metrics"' in page.replace("&quot;", '"')
    charts_drawn = 5 + sum(len(snapshot.metric_charts(entry, "USD")) for entry in hostile["metrics"])
    assert page.count('<div class="chart" id="chart-') == charts_drawn
    assert page.count('<script type="application/json" data-chart=') == charts_drawn
    assert not re.search(r"<script[^>]+src=", page)  # everything inline: opens offline
    assert "window.vegaEmbed" in page


def test_a_euro_snapshot_draws_its_money_charts_in_euros(made):
    euro = json.loads(json.dumps(made)) | {"currency": "EUR"}
    close = next(entry for entry in euro["metrics"] if entry["id"] == "close_ratio")
    euro["metrics"] = [{**close, "id": "order_size", "name": "Order size", "unit": "currency"}]
    [(_, trend), (_, by_source)] = snapshot.metric_charts(euro["metrics"][0], euro["currency"])
    assert trend.to_dict()["encoding"]["y"]["title"] == "Amount (€)"
    assert by_source.to_dict()["config"]["locale"]["number"]["currency"] == ["€", ""]
    assert '"currency": ["€", ""]' in report.html_report(euro)  # the report's charts read € as well


def test_a_snapshot_keeps_why_a_benchmark_was_not_compared():
    metric = CATALOGUE["cost_per_qualified_lead"]
    published = benchmarks.load_registry().query("metric_id == @metric.id").head(1)
    published = published.assign(currency_year=2024)  # its range as if in 2024 US dollars: no 2024 rate bundled
    selection = benchmarks.select(published, metric.id, Segment())
    made = snapshot.build(
        company="Acme",
        currency="EUR",
        view=VIEW,
        metric_ids=[metric.id],
        results={metric.id: MetricResult(metric.id, 120.0, True)},
        comparisons={metric.id: benchmarks.compare(120.0, metric, selection, "EUR")},
        overview={},
    )
    benchmark = made["metrics"][0]["benchmark"]
    assert benchmark["sentence"].startswith("Not compared: the published range $164 to $310")
    assert benchmark["citation"].startswith("First Page Sage, Average Cost Per Lead by Industry 2023")


def test_the_time_a_snapshot_was_made_reads_as_a_person_writes_it():
    assert snapshot.made_on({"created": "2026-11-29T16:08:55+00:00"}) == "29 Nov 2026, 16:08 UTC"
    assert snapshot.made_on({"created": "2026-11-29T17:08:55+01:00"}) == "29 Nov 2026, 16:08 UTC"
    assert snapshot.made_on({"created": "last Tuesday"}) == "last Tuesday"
    assert snapshot.made_on({}) == "an unknown date"
