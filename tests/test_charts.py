"""Chart builders, checked through their Vega-Lite dicts: marks, encodings, titles, formats, selections and the
(small, aggregated) inline data."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from core import charts


def rows(spec: dict, view: dict | None = None) -> list[dict]:
    """The inline rows a view draws: its own data, else the data it inherits from the top-level chart."""
    source = view if view is not None and "data" in view else spec
    return spec["datasets"][source["data"]["name"]]


def layer_with_mark(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if _mark_type(layer) == mark]


def _mark_type(view: dict) -> str:
    mark = view["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def tooltip_formats(view: dict) -> dict[str, str]:
    return {t["field"]: t.get("format") for t in view["encoding"]["tooltip"]}


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("ratio", ".1%"), ("currency", "$,.0f"), ("days", ",.0f"), ("nonsense", ",.2f")],
)
def test_unit_format(unit, expected):
    assert charts.unit_format(unit) == expected


def test_axis_formats_are_coarser_than_tooltips():
    assert charts.axis_format("ratio") == ".0%"
    assert charts.axis_format("currency") == "$~s"
    assert charts.axis_format("days") == ",.0f"
    assert charts.axis_title("days", "EUR") == "Days"


# --- trend


def monthly(prior: bool) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"period": pd.date_range("2024-01-01", periods=4, freq="MS"), "value": [0.1, 0.2, 0.3, 0.4], "n": [5, 6, 7, 8]}
    )
    return frame.assign(prior_value=[0.05, None, 0.15, 0.2]) if prior else frame


def test_trend_without_prior_is_one_solid_line_with_points():
    spec = charts.trend_chart(monthly(prior=False), "Close ratio over time", "ratio", currency="USD").to_dict()
    assert spec["mark"] == {"type": "line", "point": True}
    assert spec["title"] == "Close ratio over time"
    enc = spec["encoding"]
    assert (enc["x"]["field"], enc["x"]["type"]) == ("period", "temporal")
    assert (enc["y"]["field"], enc["y"]["type"], enc["y"]["axis"]["format"]) == ("value", "quantitative", ".0%")
    assert enc["y"]["title"] == "Share (%)"
    assert tooltip_formats(spec)["value"] == ".1%"
    data = rows(spec)
    assert len(data) == 4
    assert {row["series"] for row in data} == {charts.CURRENT_SERIES}


def test_trend_with_prior_adds_a_dashed_prior_series_without_its_missing_month():
    spec = charts.trend_chart(monthly(prior=True), "Close ratio over time", "ratio", currency="USD").to_dict()
    data = rows(spec)
    assert len(data) == 4 + 3  # the prior month with no value is left out
    prior = [row["value"] for row in data if row["series"] == charts.PRIOR_SERIES]
    assert prior == [0.05, 0.15, 0.2]
    dash = spec["encoding"]["strokeDash"]
    assert dash["scale"]["domain"] == [charts.CURRENT_SERIES, charts.PRIOR_SERIES]
    assert dash["scale"]["range"][1] == [6, 4]
    # one legend, with line samples (solid, dashed), not dots with a dashed outline
    assert dash["legend"]["symbolType"] == spec["encoding"]["color"]["legend"]["symbolType"] == "stroke"


# --- breakdown


def keyed(count: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"key": [f"k{i:02d}" for i in range(count)], "value": [float(i + 1) for i in range(count)], "n": [2] * count}
    )


def test_top_n_folds_the_rest_into_other_with_summed_value():
    folded = charts.top_n(keyed(17), 15)
    assert len(folded) == 16
    assert list(folded["key"][:3]) == ["k16", "k15", "k14"]
    other = folded.iloc[-1]
    assert other["key"] == "Other"
    assert other["value"] == 1.0 + 2.0  # the two smallest keys
    assert other["n"] == 4


def test_top_n_averages_rates_weighted_by_rows_and_drops_medians():
    frame = pd.DataFrame({"key": list("abcd"), "value": [0.9, 0.8, 0.5, 0.2], "n": [1, 1, 1, 3]})
    folded = charts.top_n(frame, 2, fold="weighted_mean")
    assert folded.iloc[-1]["value"] == pytest.approx((0.5 * 1 + 0.2 * 3) / 4)
    assert list(charts.top_n(frame, 2, fold=None)["key"]) == ["a", "b"]
    assert len(charts.top_n(frame, 4)) == 4


def test_breakdown_is_selectable_horizontal_bars_sorted_by_value():
    spec = charts.breakdown_chart(keyed(17), "Leads by source", "count", "Source", currency="USD").to_dict()
    assert spec["mark"]["type"] == "bar"
    enc = spec["encoding"]
    assert (enc["y"]["field"], enc["y"]["type"], enc["y"]["title"]) == ("key", "nominal", "Source")
    assert (enc["x"]["field"], enc["x"]["type"]) == ("value", "quantitative")
    assert enc["y"]["sort"][0] == "k16" and enc["y"]["sort"][-1] == "Other"
    assert spec["title"]["text"] == "Leads by source"
    assert "other 2 added up" in spec["title"]["subtitle"]
    [param] = spec["params"]
    assert param["name"] == charts.BREAKDOWN_SELECTION
    assert param["select"] == {"type": "point", "fields": ["key"]}
    assert enc["opacity"]["condition"]["param"] == charts.BREAKDOWN_SELECTION
    data = rows(spec)
    assert len(data) == 16
    assert data[-1] == {"key": "Other", "value": 3.0, "n": 4}


def test_breakdown_can_be_static():
    spec = charts.breakdown_chart(
        keyed(3), "Close ratio by source", "ratio", "Source", selectable=False, currency="USD"
    ).to_dict()
    assert "params" not in spec
    assert spec["title"] == "Close ratio by source"
    assert tooltip_formats(spec)["value"] == ".1%"


# --- bullet


BULLET = {
    "value": 0.12,
    "unit": "ratio",
    "low": 0.08,
    "median": 0.10,
    "high": 0.14,
    "label": "Sales & marketing spend, share of revenue",
    "status": "within",
    "citation": "IDC, 2012: https://example.org",
    "currency": "USD",
}


def bullet(**overrides) -> dict:
    return charts.bullet_chart(**{**BULLET, **overrides}).to_dict()


def test_bullet_with_all_three_draws_band_median_tick_and_status_bar():
    spec = bullet()
    assert "title" not in spec  # the Scorecard card above names the KPI; the label is in the bar's tooltip
    [band] = [layer for layer in layer_with_mark(spec, "bar") if "x2" in layer["encoding"]]
    assert rows(spec, band) == [
        {"low": 0.08, "high": 0.14, "what": "Benchmark range", "citation": "IDC, 2012: https://example.org"}
    ]
    [tick] = layer_with_mark(spec, "tick")
    assert [row["reference"] for row in rows(spec, tick)] == [0.10]
    assert tooltip_formats(tick)["citation"] is None and "citation" in tooltip_formats(tick)
    [mine] = [layer for layer in layer_with_mark(spec, "bar") if "x2" not in layer["encoding"]]
    assert rows(spec, mine)[0]["value"] == 0.12
    assert rows(spec, mine)[0]["label"] == "Sales & marketing spend, share of revenue"
    colour = spec["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Benchmark range", "Benchmark value", "Your value (within)"]
    assert colour["range"][2] == charts.STATUS_COLOURS["within"]
    assert band["encoding"]["x"]["axis"]["format"] == ".0%"


def test_bullet_with_a_single_reference_has_no_band_only_a_tick():
    spec = bullet(value=3.0, unit="ratio_to_1", low=None, median=2.5, high=float("nan"), status="above")
    marks = [_mark_type(layer) for layer in spec["layer"]]
    assert marks == ["tick", "bar"]
    assert all("x2" not in layer["encoding"] for layer in spec["layer"])
    [tick] = layer_with_mark(spec, "tick")
    assert rows(spec, tick)[0]["reference"] == 2.5
    assert spec["encoding"]["color"]["scale"]["range"][-1] == charts.STATUS_COLOURS["above"]


def test_bullet_with_low_and_high_only_has_a_band_and_no_tick():
    spec = bullet(value=None, median=None, status="no value")
    assert [_mark_type(layer) for layer in spec["layer"]] == ["bar"]
    assert "x2" in spec["layer"][0]["encoding"]


def test_bullet_domain_includes_value_and_references_with_padding():
    spec = bullet(value=-12.0, unit="score", low=None, median=40.0, high=None, status="below")
    domain = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert domain == pytest.approx([-12 - 5.2, 40 + 5.2])  # 10% of the span 52 on each side
    domain = bullet(value=0.2)["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert domain == pytest.approx([0.0, 0.22])


def test_bullet_on_a_short_percent_scale_keeps_a_decimal_so_ticks_do_not_repeat():
    spec = bullet(value=0.049, low=None, median=0.047, high=None, status="near reference")  # operations staff
    assert spec["layer"][0]["encoding"]["x"]["axis"]["format"] == ".1%"  # 0.0% 0.5% … 5.0%, not 0% 1% 1% 2%
    assert bullet()["layer"][0]["encoding"]["x"]["axis"]["format"] == ".0%"  # 0% to 15.4%: whole percents


# --- funnel


def test_funnel_table_computes_step_and_cumulative_conversion_and_leakage():
    table = charts.funnel_table(pd.DataFrame({"step": ["Leads", "Qualified", "Won"], "count": [1000, 250, 50]}))
    assert list(table["step_conversion"].round(4)) == [1.0, 0.25, 0.2]
    assert list(table["cumulative_conversion"]) == [1.0, 0.25, 0.05]
    assert list(table["lost"]) == [0.0, 750.0, 200.0]
    assert table["label"][1] == "250 · 25% of previous · 25% of first"


def test_funnel_chart_stacks_reached_and_lost_and_labels_conversions():
    spec = charts.funnel_chart(pd.DataFrame({"step": ["Leads", "Qualified"], "count": [1000, 250]})).to_dict()
    bars, labels = spec["layer"]
    assert _mark_type(bars) == "bar" and _mark_type(labels) == "text"
    assert bars["encoding"]["y"]["sort"] == ["Leads", "Qualified"]
    parts = {(row["step"], row["part"]): row["amount"] for row in rows(spec, bars)}
    assert parts == {
        ("Leads", "Reached this step"): 1000,
        ("Qualified", "Reached this step"): 250,
        ("Qualified", "Lost since previous step"): 750,
    }
    qualified = rows(spec, labels)[1]
    assert qualified["cumulative_conversion"] == 0.25
    assert qualified["step_conversion"] == 0.25
    assert tooltip_formats(bars)["cumulative_conversion"] == ".1%"
    assert spec["title"].startswith("Funnel")
    # The Qualified label starts at 1,000 (where its lost segment ends): the axis runs to 1,600 to hold it.
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1600.0]


# --- distribution


def test_distribution_from_prebinned_counts_with_median_rule():
    bins = pd.DataFrame({"bin_start": [0, 30, 60], "bin_end": [30, 60, 90], "count": [4, 9, 2]})
    spec = charts.distribution_chart(bins, "Days to close", "days", marker=52.4, currency="USD").to_dict()
    bars, rule, label = spec["layer"]
    assert [_mark_type(v) for v in (bars, rule, label)] == ["bar", "rule", "text"]
    assert bars["title"] == "Days to close"
    assert (bars["encoding"]["x"]["field"], bars["encoding"]["x2"]["field"]) == ("bin_start", "bin_end")
    assert bars["encoding"]["x"]["title"] == "Days"
    assert len(rows(spec, bars)) == 3
    assert rows(spec, rule) == [{"marker": 52.4, "text": "median 52 days"}]


def test_distribution_without_marker_is_bars_only():
    bins = pd.DataFrame({"bin_start": [0.0], "bin_end": [0.1], "count": [3]})
    spec = charts.distribution_chart(bins, "Deal discount", "ratio", currency="USD").to_dict()
    assert _mark_type(spec) == "bar"
    assert tooltip_formats(spec)["bin_start"] == ".1%"


# --- pareto


def test_pareto_marks_the_top_20_percent_and_the_line_of_equality():
    curve = pd.DataFrame({"customer_share": [0.1, 0.3, 1.0], "revenue_share": [0.4, 0.6, 1.0]})
    assert charts.share_at(curve) == pytest.approx(0.5)  # halfway between 40% at 10% and 60% at 30%
    spec = charts.pareto_chart(curve).to_dict()
    diagonal, lorenz, point, label = spec["layer"]
    assert rows(spec, diagonal)[1]["customer_share"] == 1.0 and rows(spec, diagonal)[1]["revenue_share"] == 1.0
    assert diagonal["mark"]["strokeDash"] == [4, 4]
    assert [row["customer_share"] for row in rows(spec, lorenz)] == [0.0, 0.1, 0.3, 1.0]
    assert rows(spec, label)[0]["text"] == "top 20% of customers = 50%"
    assert _mark_type(point) == "point"
    assert lorenz["encoding"]["x"]["axis"]["format"] == ".0%"


def test_pareto_resamples_one_point_per_customer():
    shares = [i / 1000 for i in range(1, 1001)]
    curve = pd.DataFrame({"customer_share": shares, "revenue_share": [math.sqrt(s) for s in shares]})
    spec = charts.pareto_chart(curve).to_dict()
    assert len(rows(spec, spec["layer"][1])) == charts.MAX_LORENZ_POINTS
    assert charts.share_at(curve) == pytest.approx(math.sqrt(0.2), abs=1e-3)


# --- cohorts


def cohort_grid(cohorts: int, months: int) -> pd.DataFrame:
    starts = pd.date_range("2024-01-01", periods=cohorts, freq="MS")
    return pd.DataFrame(
        [{"cohort": c, "months_since": m, "retention": 1 / (m + 1)} for c in starts for m in range(months)]
    )


def test_small_cohort_heatmap_has_cells_and_text():
    spec = charts.cohort_heatmap(cohort_grid(2, 3)).to_dict()
    cells, text = spec["layer"]
    assert _mark_type(cells) == "rect" and _mark_type(text) == "text"
    colour = cells["encoding"]["color"]
    assert colour["field"] == "retention" and colour["scale"]["scheme"] == "viridis"
    assert cells["encoding"]["y"]["field"] == "cohort" and cells["encoding"]["x"]["type"] == "ordinal"
    data = rows(spec, cells)
    assert len(data) == 6
    assert data[0]["cohort"] == "2024-01" and data[1]["retention"] == 0.5
    assert text["encoding"]["text"]["format"] == ".0%"


def test_large_cohort_heatmap_drops_the_cell_text():
    spec = charts.cohort_heatmap(cohort_grid(13, 12)).to_dict()
    assert _mark_type(spec) == "rect"
    assert len(rows(spec)) == 156


# --- NPS


def test_nps_distribution_fills_all_scores_and_groups_them():
    scores = pd.DataFrame({"score": [0, 5, 7, 8, 9, 10], "count": [2, 3, 5, 5, 10, 5]})
    assert charts.net_promoter_score(scores) == pytest.approx(100 * (15 - 5) / 30)
    spec = charts.nps_distribution(scores).to_dict()
    assert spec["title"] == "How likely customers are to recommend us (NPS +33)"
    data = rows(spec)
    assert [row["score"] for row in data] == list(range(11))
    assert data[1]["count"] == 0
    assert [data[s]["group"] for s in (6, 7, 8, 9)] == [
        "Detractor (0–6)",
        "Passive (7–8)",
        "Passive (7–8)",
        "Promoter (9–10)",
    ]
    colour = spec["encoding"]["color"]
    assert colour["scale"]["domain"] == list(charts.NPS_GROUPS)
    assert colour["legend"]["orient"] == "bottom"


def test_nps_without_answers_has_no_score():
    assert charts.net_promoter_score(pd.DataFrame({"score": [], "count": []})) is None


# --- currency: money is drawn in the view's currency


def drawn_texts(chart) -> list[str]:
    """Every text the rendered chart shows (axis labels, titles, labels on marks)."""
    return re.findall(r">([^<>]+)</text>", charts.to_svg(chart))


def money_by_month(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"period": pd.date_range("2024-01-01", periods=len(values), freq="MS"), "value": values})


def test_a_euro_view_draws_money_in_euros_on_axis_tooltip_and_title():
    chart = charts.trend_chart(money_by_month([1_200.0, 35_000.0, 52_000.0]), "Spend", "currency", currency="EUR")
    spec = chart.to_dict()
    # `$` in a d3 format is the locale's currency: the chart's locale makes it the euro, in tooltips and on axes
    assert spec["config"]["locale"]["number"]["currency"] == ["€", ""]
    assert tooltip_formats(spec)["value"] == "$,.0f" and spec["encoding"]["y"]["axis"]["format"] == "$~s"
    assert spec["encoding"]["y"]["title"] == "Amount (€)"
    texts = drawn_texts(chart)
    assert {"€0k", "€50k", "Amount (€)"} <= set(texts)
    assert not any("$" in text for text in texts)


def test_a_currency_without_a_symbol_is_written_as_its_code():
    frame = pd.DataFrame({"key": ["Field", "Inside"], "value": [52_000.0, 1_200.0], "n": [3, 4]})
    chart = charts.breakdown_chart(frame, "Spend per head", "currency_per_head", "Team", currency="CHF")
    texts = drawn_texts(chart)
    assert {"CHF 50k", "Amount per head (CHF)"} <= set(texts)
    assert not any("$" in text for text in texts)


def test_a_bullet_and_a_marker_label_carry_the_views_currency():
    money = {"value": 45_000.0, "unit": "currency_per_head", "low": 31_107.0, "median": None, "high": 54_437.0}
    bullet_chart = charts.bullet_chart(**{**BULLET, **money, "currency": "GBP"})
    assert "Amount per head (£)" in drawn_texts(bullet_chart)
    bins = pd.DataFrame({"bin_start": [0, 1_000], "bin_end": [1_000, 2_000], "count": [3, 4]})
    histogram = charts.distribution_chart(bins, "Deal size", "currency", marker=1_234.4, currency="GBP")
    assert "median £1,234" in drawn_texts(histogram)


# --- exports


def test_png_and_svg_exports():
    chart = charts.breakdown_chart(keyed(3), "Leads by source", "count", "Source", currency="USD")
    assert charts.to_png(chart).startswith(b"\x89PNG\r\n\x1a\n")
    svg = charts.to_svg(chart)
    assert "<svg" in svg and "Leads by source" in svg


def test_add_prior_year_takes_the_same_month_a_year_earlier():
    trend = pd.DataFrame(
        {"period": pd.to_datetime(["2024-01-01", "2024-02-01", "2025-01-01"]), "value": [10.0, 12.0, 15.0]}
    )
    assert charts.add_prior_year(trend)["prior_value"].tolist()[2] == 10.0
    assert charts.add_prior_year(trend)["prior_value"].isna().tolist() == [True, True, False]
    spec = charts.trend_chart(charts.add_prior_year(trend), "Leads", "count", currency="USD").to_dict()
    series = {row["series"] for row in next(iter(spec["datasets"].values()))}
    assert series == {charts.CURRENT_SERIES, charts.PRIOR_SERIES}


def test_median_of_bins_interpolates_inside_the_middle_bin():
    bins = pd.DataFrame({"bin_start": [0, 10, 20], "bin_end": [10, 20, 30], "count": [2, 4, 2]})
    assert charts.median_of_bins(bins) == 15.0  # 4 of 8 below 15: half way through the 10–20 bin
    assert charts.median_of_bins(bins.assign(count=0)) is None


def test_funnel_bars_get_a_band_height_per_step():
    spec = charts.funnel_chart(pd.DataFrame({"step": ["Leads", "Won"], "count": [10, 2]})).to_dict()
    assert spec["height"] == {"step": 40}
    labels = spec["layer"][1]["mark"]
    assert labels["type"] == "text" and labels["color"] == "#808080"  # readable on light and dark themes


def test_quick_chart_picks_text_against_number_and_keeps_odd_column_names_as_titles():
    result = pd.DataFrame({"lead.source[0]": ["Web", "Events", "Partners"], "count_star()": [30, 12, 5]})
    assert charts.quick_chart_columns(result) == ("lead.source[0]", "count_star()")
    spec = charts.quick_chart(result, "lead.source[0]", "count_star()").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"] | {"sort": None} == {
        "field": "x",
        "type": "nominal",
        "title": "lead.source[0]",
        "sort": None,
    }
    assert spec["encoding"]["x"]["field"] == "y" and spec["encoding"]["x"]["title"] == "count_star()"
    values = spec["datasets"][spec["data"]["name"]]
    assert [row["x"] for row in values] == ["Web", "Events", "Partners"]


def test_quick_chart_draws_a_line_over_dates_points_for_two_numbers_and_a_histogram_for_one():
    monthly = pd.DataFrame({"month": pd.to_datetime(["2026-01-01", "2026-02-01"]), "leads": [3, 4]})
    assert charts.quick_chart_columns(monthly) == ("month", "leads")
    assert charts.quick_chart(monthly, "month", "leads").to_dict()["encoding"]["x"]["type"] == "temporal"
    pairs = pd.DataFrame({"amount": [1.0, 2.0], "days": [10, 20]})
    assert charts.quick_chart_columns(pairs) == ("amount", "days")
    assert charts.quick_chart(pairs, "amount", "days").to_dict()["mark"]["type"] == "circle"
    single = pd.DataFrame({"amount": [1.0, 2.0, 2.5]})
    assert charts.quick_chart_columns(single) == ("amount", None)
    histogram = charts.quick_chart(single, "amount", None).to_dict()
    assert histogram["encoding"]["x"]["bin"] == {"maxbins": 40} and histogram["encoding"]["y"]["aggregate"] == "count"
    assert charts.quick_chart_columns(pd.DataFrame({"name": ["a"], "flag": [True]})) == (None, None)


def test_quick_chart_bars_keep_the_thirty_largest():
    many = pd.DataFrame({"owner": [f"rep {i}" for i in range(50)], "deals": list(range(50))})
    spec = charts.quick_chart(many, "owner", "deals").to_dict()
    values = spec["datasets"][spec["data"]["name"]]
    assert len(values) == 30 and values[0] == {"x": "rep 49", "y": 49}
    assert spec["title"]["subtitle"] == "Top 30"


def test_breakdown_and_quick_bars_get_a_band_height_per_bar():
    frame = pd.DataFrame({"key": ["a", "b"], "value": [2.0, 1.0], "n": [2, 1]})
    assert charts.breakdown_chart(frame, "t", "count", "Source", currency="USD").to_dict()["height"] == {"step": 24}
    result = pd.DataFrame({"owner": ["a", "b"], "deals": [1, 2]})
    assert charts.quick_chart(result, "owner", "deals").to_dict()["height"] == {"step": 22}


def test_count_axes_tick_at_whole_numbers_only_and_other_units_do_not():
    """A breakdown of 3 and 3 leads, or a funnel of 8 to 2, had ticks every 0.2, rounded: "0 0 0 1 1 1 2 2 3";
    so had days to close. Axes whose labels drop decimals tick at whole numbers; shares and money do not."""
    small = pd.DataFrame({"key": ["Kiran", "Meera"], "value": [3.0, 3.0], "n": [3, 3]})
    breakdown = charts.breakdown_chart(small, "Qualified leads by owner", "count", "Owner", currency="USD").to_dict()
    assert breakdown["encoding"]["x"]["axis"] == {"format": ",.0f", "tickMinStep": 1}
    funnel = charts.funnel_chart(pd.DataFrame({"step": ["Leads", "Won"], "count": [8, 2]})).to_dict()
    assert funnel["layer"][0]["encoding"]["x"]["axis"]["tickMinStep"] == 1
    ratios = charts.breakdown_chart(small.assign(value=[0.5, 0.25]), "Close ratio", "ratio", "Owner", currency="USD")
    assert "tickMinStep" not in ratios.to_dict()["encoding"]["x"]["axis"]
    one_deal = pd.DataFrame({"bin_start": [63], "bin_end": [70], "count": [1]})  # read "63 63 63 64 64 ..."
    histogram = charts.distribution_chart(one_deal, "Won deals by days to close", "days", currency="USD").to_dict()
    assert histogram["encoding"]["x"]["axis"] == {"format": ",.0f", "tickMinStep": 1}
    assert histogram["encoding"]["y"]["axis"]["tickMinStep"] == 1
