"""The benchmark registry: the committed file is clean, statuses respect their boundaries, segments fall back in
plain words, and a user's own file is checked row by row before it becomes a selectable set."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from core import fx
from core.metrics import benchmarks
from core.metrics.benchmarks import FIGURES, BenchmarkError, load_registry, load_user_file, select, status, validate
from core.metrics.catalogue import CATALOGUE
from core.schema import Segment

from .design_ids import IDC_IDS, YOUNG_IDS

SHARED = Path(__file__).resolve().parents[2] / "shared"
IDC_ARTICLE = SHARED / "seeds" / "003_2333ac27f3b85dcf.txt"  # the source of the 2012 Customer Creation Scorecard

DESIGN_IDS = set(YOUNG_IDS + IDC_IDS)
UNITS = {metric_id: metric.unit for metric_id, metric in CATALOGUE.items()}


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    return load_registry()


# --- the committed registry ------------------------------------------------------------------------------------


def test_design_ids_match_the_shared_design_document():
    design = SHARED / "DESIGN.md"
    if not design.is_file():
        pytest.skip(f"DESIGN.md not found at {design} (it lives in the project's shared folder)")
    section = design.read_text().split("## The catalogue: stable metric ids")[1].split("A few meanings")[0]
    assert set(re.findall(r"`([a-z_]+)`", section)) == DESIGN_IDS


def test_committed_registry_validates_clean(registry):
    assert validate(registry, DESIGN_IDS, UNITS) == []
    assert validate(benchmarks.REGISTRY.read_text(), DESIGN_IDS, UNITS) == []


def test_every_row_has_source_link_year_and_unit(registry):
    assert registry["source_name"].str.len().min() > 0
    assert registry["source_url"].str.startswith("http").all()
    assert registry["year"].notna().all() and registry["year"].between(2009, 2026).all()
    assert registry["unit"].isin(benchmarks.UNITS).all()
    assert set(registry["metric_id"]) <= DESIGN_IDS


def test_figures_are_ordered_low_median_high(registry):
    for _, row in registry.iterrows():
        given = [row[c] for c in ("low", "median", "high") if not math.isnan(row[c])]
        assert given, row["benchmark_id"]
        assert given == sorted(given), row["benchmark_id"]


def stated_figures(text: str) -> dict:
    """A KPI figure as the IDC article writes it: `$40K to $70K`, `4:1`, `10.6% of ...`, `47 out of 100`."""
    if found := re.match(r"\$(\d+)K to \$(\d+)K", text):
        return {"low": 1_000 * float(found[1]), "high": 1_000 * float(found[2]), "currency": "USD"}
    if found := re.match(r"(\d+):1", text):
        return {"median": float(found[1])}
    if found := re.match(r"(\d+(?:\.\d+)?)%", text):
        return {"median": float(found[1]) / 100}
    if found := re.match(r"(\d+) out of 100", text):
        return {"median": float(found[1])}
    raise AssertionError(f"no figure in {text!r}")


def test_the_idc_2012_set_carries_the_figures_its_article_states(registry):
    if not IDC_ARTICLE.is_file():
        pytest.skip(f"the IDC article is not at {IDC_ARTICLE} (it lives in the project's shared folder)")
    # "3. Investment: Marketing investment per total sales headcount = $40K to $70K": in DESIGN.md's order
    statements = re.findall(r"^\s*\d\. [^=]+= (.+)$", IDC_ARTICLE.read_text(), flags=re.MULTILINE)
    idc = registry[registry["set"] == "IDC 2012 Customer Creation Scorecard"].set_index("metric_id")
    assert sorted(idc.index) == sorted(IDC_IDS)
    for metric_id, statement in zip(IDC_IDS, statements, strict=True):
        stated, row = stated_figures(statement), idc.loc[metric_id]
        given = {figure: row[figure] for figure in FIGURES if not math.isnan(row[figure])}
        figures = {key: value for key, value in stated.items() if key in FIGURES}
        assert given == pytest.approx(figures), metric_id  # a single figure stays one: no invented range
        assert row["currency"] == stated.get("currency", ""), metric_id
        if "currency" in stated:
            assert row["currency_year"] == 2012, metric_id  # the article gives figures for 2012 planning
    assert "not from IDC's method" in idc.loc["sales_enablement_score", "note"]


def test_marketing_only_budgets_compare_with_marketing_spend_to_sales(registry):
    gartner = registry[registry["set"] == "Gartner CMO Spend Survey"]
    assert set(gartner["metric_id"]) == {"marketing_spend_to_sales"}
    assert gartner["note"].str.contains("Marketing budget only").all()


def test_figures_given_in_months_are_the_notes_months_at_30_4_days(registry):
    converted = registry[registry["note"].str.contains("30.4")]
    assert not converted.empty
    for row in converted.to_dict("records"):
        months = re.search(r"(\d+(?:\.\d+)?)(?: to (\d+(?:\.\d+)?))? months", row["note"]).groups()
        given = [row[figure] for figure in FIGURES if not math.isnan(row[figure])]
        expected = [float(number) * 30.4 for number in months if number]
        assert given == pytest.approx(expected, abs=0.05), row["benchmark_id"]


def test_figures_quoted_on_mirror_pages_are_flagged_unverified(registry):
    mirrored = registry[registry["note"].str.contains("mirror")]
    assert not mirrored.empty
    for row in mirrored.to_dict("records"):
        assert row["quality"] == "unverified", row["benchmark_id"]
        assert "unverified (check before relying on it)" in benchmarks.describe(row)


def test_every_money_figure_names_its_currency_and_year_and_no_other_does(registry):
    money = registry["unit"].isin(["currency", "currency_per_head"])
    assert registry.loc[money, "currency"].str.fullmatch("[A-Z]{3}").all()
    assert registry.loc[money, "currency_year"].notna().all()
    assert (registry.loc[~money, "currency"] == "").all() and registry.loc[~money, "currency_year"].isna().all()


def test_a_money_row_without_currency_stops_the_registry_naming_its_row(tmp_path):
    broken = benchmarks.REGISTRY.read_text().replace(",currency_per_head,USD,2012,", ",currency_per_head,,2012,")
    (tmp_path / "benchmarks.csv").write_text(broken)
    with pytest.raises(benchmarks.RegistryError) as raised:
        load_registry(tmp_path / "benchmarks.csv")
    row = 2 + list(load_registry()["benchmark_id"]).index("idc2012_marketing_per_sales_head")
    assert str(raised.value) == (
        f"benchmarks.csv: row {row}, column 'currency': no currency; a money figure needs the currency its source "
        "gives, e.g. USD"
    )


# --- status boundaries -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (39_999.99, "below"),
        (40_000, "within"),
        (40_000.01, "within"),
        (69_999.99, "within"),
        (70_000, "within"),
        (70_000.01, "above"),
    ],
)
def test_status_inclusive_band(value, expected):
    assert status(value, 40_000, None, 70_000) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(89.99, "below"), (90, "near reference"), (100, "near reference"), (110, "near reference"), (110.01, "above")],
)
def test_status_single_reference_within_ten_percent(value, expected):
    assert status(value, None, 100, None) == expected


def test_status_tolerance_edges_survive_float_rounding():
    assert status(0.047 * 1.1, float("nan"), 0.047, float("nan")) == "near reference"
    assert status(0.047 * 0.9, None, 0.047, None) == "near reference"
    assert status(0.047 * 0.89, None, 0.047, None) == "below"


def test_status_negative_reference_and_one_sided_bands():
    assert status(-10.5, None, -10, None) == "near reference"
    assert status(-11.5, None, -10, None) == "below"
    assert status(5, 10, None, None) == "below"
    assert status(10, 10, None, None) == "within"
    assert status(1_000, 10, None, None) == "within"
    assert status(31, None, 25, 30) == "above"


def test_status_without_value_or_benchmark():
    assert status(None, 1, 2, 3) == "no value"
    assert status(float("nan"), 1, 2, 3) == "no value"
    assert status(5, None, float("nan"), None) == "no benchmark"


# --- segment selection -----------------------------------------------------------------------------------------


def _row(
    benchmark_id, industry="all", gtm_model="all", year=2020, quality="ok", median=0.1, set_name="Test set", **fields
):
    return {
        "benchmark_id": benchmark_id,
        "metric_id": "close_ratio",
        "low": math.nan,
        "median": median,
        "high": math.nan,
        "unit": "ratio",
        "currency": "",
        "currency_year": pd.NA,
        "gtm_model": gtm_model,
        "size_band": "all",
        "industry": industry,
        "region": "all",
        "year": year,
        "sample_size": pd.NA,
        "source_name": "Test source",
        "source_url": "https://example.org",
        "source_type": "secondary",
        "quality": quality,
        "set": set_name,
        "note": "",
    } | fields


@pytest.fixture
def small_registry() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _row("aggregate_old", year=2018),
            _row("aggregate_new_weak", year=2024, quality="weak"),
            _row("aggregate_new_ok", year=2022),
            _row("saas", industry="SaaS"),
            _row("saas_field", industry="SaaS", gtm_model="field sales"),
            _row("other_set", set_name="Other set"),
        ]
    )


def test_select_prefers_the_exact_segment(small_registry):
    chosen = select(small_registry, "close_ratio", Segment(industry="SaaS", gtm_model="field sales"))
    assert list(chosen.rows["benchmark_id"]) == ["saas_field"]
    assert chosen.fallback is None


def test_select_falls_back_to_the_aggregate_and_says_so(small_registry):
    chosen = select(small_registry, "close_ratio", Segment(industry="technology"), "Test set")
    assert list(chosen.rows["benchmark_id"]) == ["aggregate_new_ok", "aggregate_old", "aggregate_new_weak"]
    assert chosen.fallback == "No technology-specific figure for this KPI; showing the all-industry aggregate."


def test_select_partial_match_names_the_missing_dimension(small_registry):
    chosen = select(small_registry, "close_ratio", Segment(industry="SaaS", gtm_model="inside sales"), "Test set")
    assert list(chosen.rows["benchmark_id"]) == ["saas"]
    assert chosen.fallback == "No inside sales-specific figure for this KPI; showing the all-models aggregate."


def test_select_for_all_prefers_aggregates(small_registry):
    chosen = select(small_registry, "close_ratio", Segment(), "Test set")
    assert set(chosen.rows["benchmark_id"]) == {"aggregate_old", "aggregate_new_weak", "aggregate_new_ok"}
    assert chosen.fallback is None


def test_select_names_a_narrower_figure_when_no_aggregate_exists(registry):
    chosen = select(registry, "sales_enablement_score", Segment())
    assert list(chosen.rows["benchmark_id"]) == ["idc2012_sales_enablement_index"]
    assert chosen.fallback == "No figure covering all industries for this KPI; showing the figure for technology."


def test_select_when_nothing_fits(registry):
    chosen = select(registry, "sales_enablement_score", Segment(industry="retail"))
    assert chosen.rows.empty
    assert chosen.fallback.startswith("No figure for this KPI fits the segment retail")
    assert "technology" in chosen.fallback


def test_select_with_a_set_that_lacks_the_metric(registry):
    chosen = select(registry, "nps", Segment(), "IDC 2012 Customer Creation Scorecard")
    assert chosen.rows.empty
    assert (
        chosen.fallback
        == "The set 'IDC 2012 Customer Creation Scorecard' has no figure for this KPI; other sets do: NPS benchmarks."
    )


def test_select_committed_registry_for_technology(registry):
    chosen = select(registry, "sm_spend_pct_revenue", Segment(industry="technology"))
    assert list(chosen.rows["benchmark_id"]) == ["idc2012_sm_pct_revenue", "idc2010_sm_pct_revenue"]
    assert chosen.fallback is None


# --- describe and compare --------------------------------------------------------------------------------------


def test_describe_is_a_one_line_citation():
    row = _row("idc", industry="technology", year=2012, sample_size=100, source_name="IDC Scorecard (blog)")
    assert (
        benchmarks.describe(row)
        == "IDC Scorecard (blog), 2012, n≈100, technology — secondary source: https://example.org"
    )
    unverified = _row("mirror", quality="unverified", source_url="http://mirror.example")
    assert benchmarks.describe(unverified).endswith(
        "secondary source, unverified (check before relying on it): http://mirror.example"
    )


def test_compare_sentence_and_chart_arguments(registry):
    metric = CATALOGUE["marketing_spend_per_sales_head"]
    comparison = benchmarks.compare(75_000, metric, select(registry, metric.id, Segment(industry="technology")))
    assert comparison.status == "above"
    assert comparison.sentence.startswith("Above the range $40.0K to $70.0K (IDC Customer Creation Scorecard, 2012).")
    assert comparison.chart_arguments["low"] == 40_000 and comparison.chart_arguments["high"] == 70_000
    assert comparison.chart_arguments["citation"].startswith("IDC Customer Creation Scorecard")


def test_compare_says_which_side_is_better_and_carries_the_caveat(registry):
    metric = CATALOGUE["close_ratio"]
    comparison = benchmarks.compare(0.10, metric, select(registry, metric.id, Segment(industry="SaaS")))
    assert comparison.status == "below"
    assert "Below the reference value 19.0% (Ebsta x Pavilion 2025 GTM Benchmarks, 2025)." in comparison.sentence
    assert "higher is better, so this is a gap" in comparison.sentence
    assert "Indicative only" in comparison.sentence


def test_compare_without_benchmark():
    metric = CATALOGUE["rfp_count"]
    empty = benchmarks.Selection(load_registry().iloc[0:0], None)
    assert benchmarks.compare(3, metric, empty).status == "no benchmark"


# --- money figures in the view's currency

COST = CATALOGUE["cost_per_qualified_lead"]  # a money metric where lower is better


def money_benchmark(currency: str = "USD", currency_year: int = 2012) -> benchmarks.Selection:
    """A published cost of 10,000 in `currency` of `currency_year`."""
    row = _row("cost", metric_id=COST.id, unit="currency", median=10_000.0, source_name="Cost Survey")
    registry = pd.DataFrame([row | {"year": currency_year, "currency": currency, "currency_year": currency_year}])
    return select(registry, COST.id, Segment())


def test_a_usd_benchmark_in_a_euro_view_is_converted_at_its_years_average_rate():
    comparison = benchmarks.compare(8_800.0, COST, money_benchmark("USD", 2012), "EUR")
    # core/data/fx_rates.csv, EUR 2012: the Federal Reserve's G.5A gives 1.2859 US dollars per euro
    in_euros = 10_000 / 1.2859  # = 7,776.65 euros
    assert comparison.reference["median"] == pytest.approx(in_euros)
    assert comparison.chart_arguments["median"] == pytest.approx(in_euros)
    assert comparison.chart_arguments["currency"] == "EUR"
    assert comparison.status == "above"  # 8,800 euros against 7,776.65 (in dollars it would have been below)
    assert comparison.sentence.startswith(
        "Above the reference value €7.8K (Cost Survey, 2012). Converted from USD at the 2012 average rate, "
        "1 USD = 0.7777 EUR (Federal Reserve G.5A annual averages)."
    )


def test_a_figure_in_another_currency_than_the_dollar_goes_through_both_dollar_rates():
    comparison = benchmarks.compare(None, COST, money_benchmark("GBP", 2012), "EUR")
    # 2012: 1.5853 US dollars per pound, 1.2859 US dollars per euro
    assert comparison.reference["median"] == pytest.approx(10_000 * 1.5853 / 1.2859)  # = 12,328.33 euros
    assert "1 GBP = 1.2328 EUR" in comparison.sentence


def test_no_rate_for_the_benchmarks_year_means_no_comparison_and_says_why():
    comparison = benchmarks.compare(8_800.0, COST, money_benchmark("USD", 2024), "EUR")
    assert comparison.status == "no rate"
    assert comparison.reference is None and comparison.chart_arguments == {}
    assert comparison.sentence.startswith(
        "Not compared: the published reference value $10.0K (Cost Survey, 2024) is in USD of 2024, and there is no "
        "2024 average exchange rate between USD and EUR to convert it."
    )
    assert comparison.citation.startswith("Cost Survey, 2024")
    own_rates = fx.bundled_rates().merged(fx.read_rates("rates.csv", b"currency,year,per_usd\nEUR,2024,0.9\n"))
    with_rate = benchmarks.compare(8_800.0, COST, money_benchmark("USD", 2024), "EUR", own_rates)
    assert with_rate.reference["median"] == pytest.approx(10_000 * 0.9)  # = 9,000 euros
    assert with_rate.status == "near reference"


def test_a_benchmark_in_the_views_currency_and_a_ratio_are_not_converted():
    same = benchmarks.compare(8_800.0, COST, money_benchmark("EUR", 2012), "EUR")
    assert same.reference["median"] == 10_000.0 and "Converted" not in same.sentence
    ratios = select(pd.DataFrame([_row("share")]), "close_ratio", Segment())
    ratio = benchmarks.compare(0.2, CATALOGUE["close_ratio"], ratios, "JPY")
    assert ratio.reference["median"] == 0.1 and "Converted" not in ratio.sentence


# --- a user's own benchmark file -------------------------------------------------------------------------------

GOOD_FILE = (
    "metric_id,low,median,high,unit,year,source_name,source_type,set,industry\n"
    "close_ratio,0.18,0.24,0.31,ratio,2025,Acme Peer Survey 2025,primary,Acme peers,SaaS\n"
    "nps,,35,,score,2025,Acme Peer Survey 2025,primary,Acme peers,SaaS\n"
)


def _messages(errors: list[BenchmarkError]) -> set[tuple]:
    return {(e.row, e.column) for e in errors}


def test_user_file_missing_columns_is_rejected_naming_them():
    data = b"metric_id,median,unit\nclose_ratio,0.2,ratio\n"
    frame, errors = load_user_file("peers.csv", data, DESIGN_IDS, UNITS)
    assert frame is None
    assert _messages(errors) == {(1, "year"), (1, "source_name"), (1, "source_type")}
    assert str(errors[0]) == "row 1, column 'year': the column 'year' is missing; add it to the header row"


def test_user_file_row_errors_name_row_and_column():
    data = (
        b"metric_id,low,median,high,unit,year,source_name,source_type\n"
        b"close_ratio,0.2,0.25,0.3,ratio,2025,Peers,primary\n"  # row 2: fine
        b"close_ratio,0.4,,0.3,ratio,2025,Peers,primary\n"  # row 3: low > high
        b"nps,,about 30,,score,2025,Peers,primary\n"  # row 4: text in a number
        b"close_rate,,0.2,,ratio,2025,Peers,primary\n"  # row 5: unknown metric id
        b"nps,,30,,score,,,tertiary\n"  # row 6: no year, no source, bad source type
        b"close_ratio,,25,,ratio,2025,Peers,primary\n"  # row 7: a percentage typed as a ratio
        b"time_to_close,,3,,months,2025,Peers,primary\n"  # row 8: unknown unit
    )
    frame, errors = load_user_file("peers.csv", data, DESIGN_IDS, UNITS)
    assert frame is None
    assert _messages(errors) == {
        (3, "high"),
        (4, "median"),
        (5, "metric_id"),
        (6, "year"),
        (6, "source_name"),
        (6, "source_type"),
        (7, "unit"),
        (8, "unit"),
    }
    by_place = {(e.row, e.column): e.message for e in errors}
    assert by_place[(3, "high")] == "low (0.4) is greater than high (0.3)"
    assert by_place[(4, "median")].startswith("'about 30' is not a number")
    assert by_place[(5, "metric_id")] == "unknown metric id 'close_rate'. Did you mean 'close_ratio'?"
    assert by_place[(6, "source_type")] == "'tertiary' is not a source type; write primary or secondary"


def test_user_file_unit_must_match_the_catalogue():
    data = b"metric_id,median,unit,year,source_name,source_type\nnps,0.3,ratio,2025,Peers,primary\n"
    _, errors = load_user_file("peers.csv", data, DESIGN_IDS, UNITS)
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "unit", "nps is measured in 'score', not 'ratio'; convert the figures")
    ]


def test_user_file_money_rows_need_a_currency_and_its_year_and_other_rows_none():
    data = (
        b"metric_id,median,unit,currency,currency_year,year,source_name,source_type\n"
        b"cost_per_qualified_lead,250,currency,,2025,2025,Peers,primary\n"  # row 2: no currency
        b"cost_per_qualified_lead,250,currency,usd dollars,,2025,Peers,primary\n"  # row 3: no code, no year
        b"close_ratio,0.2,ratio,EUR,,2025,Peers,primary\n"  # row 4: a ratio has no currency
        b"cost_per_qualified_lead,250,currency,EUR,2025,2025,Peers,primary\n"  # row 5: fine
    )
    frame, errors = load_user_file("peers.csv", data, DESIGN_IDS, UNITS)
    assert frame is None
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "currency", "no currency; a money figure needs the currency its source gives, e.g. USD"),
        (3, "currency", "'usd dollars' is not a three-letter currency code such as USD or EUR"),
        (3, "currency_year", "no currency year; this figure needs one"),
        (4, "currency", "a figure in 'ratio' has no currency; leave currency empty"),
    ]


def test_unreadable_user_files_get_a_file_level_message():
    assert load_user_file("peers.pdf", b"%PDF", DESIGN_IDS)[1][0].message.endswith(
        "only .csv and .xlsx benchmark files are accepted"
    )
    assert "could not be read as an .xlsx workbook" in load_user_file("peers.xlsx", b"nope", DESIGN_IDS)[1][0].message
    assert "is empty" in load_user_file("peers.csv", b"", DESIGN_IDS)[1][0].message


def test_valid_user_file_loads_with_defaults_and_becomes_a_set(registry):
    frame, errors = load_user_file("peers.csv", GOOD_FILE.encode(), DESIGN_IDS, UNITS)
    assert errors == []
    assert list(frame["benchmark_id"]) == ["peers-2", "peers-3"]
    assert frame.loc[0, ["low", "median", "high"]].tolist() == [0.18, 0.24, 0.31]
    assert math.isnan(frame.loc[1, "low"]) and frame.loc[1, "median"] == 35
    assert frame.loc[0, "year"] == 2025 and frame.loc[0, "region"] == "all" and frame.loc[0, "quality"] == "ok"
    combined = benchmarks.add_user_set(registry, frame)
    assert benchmarks.reference_sets(combined)[-1] == "Acme peers"
    chosen = select(combined, "close_ratio", Segment(industry="SaaS"), "Acme peers")
    assert list(chosen.rows["benchmark_id"]) == ["peers-2"]
    assert status(0.31, *chosen.rows.iloc[0][["low", "median", "high"]]) == "within"


def test_valid_user_xlsx_loads_the_same():
    workbook = io.BytesIO()
    pd.read_csv(io.StringIO(GOOD_FILE)).to_excel(workbook, index=False)
    frame, errors = load_user_file("peers.xlsx", workbook.getvalue(), DESIGN_IDS, UNITS)
    assert errors == []
    assert frame["median"].tolist() == [0.24, 35.0] and frame["year"].tolist() == [2025, 2025]


def test_user_set_that_clashes_with_ours_is_renamed(registry):
    clashing = GOOD_FILE.replace("Acme peers", "NPS benchmarks")
    frame, _ = load_user_file("peers.csv", clashing.encode(), DESIGN_IDS, UNITS)
    combined = benchmarks.add_user_set(registry, frame)
    assert "NPS benchmarks (your file)" in benchmarks.reference_sets(combined)
    assert len(combined[combined["set"] == "NPS benchmarks"]) == len(registry[registry["set"] == "NPS benchmarks"])


def test_segment_options_offer_standard_and_registry_values(registry):
    options = {dimension: choices for dimension, _, choices in benchmarks.segment_options(registry)}
    assert list(options) == ["gtm_model", "size_band", "industry"]
    assert options["gtm_model"] == ["all", "channel", "field sales", "inside sales", "self-serve"]
    assert options["size_band"][0] == "all" and {"$50M-$250M", ">1,000 employees"} <= set(options["size_band"])
    assert "technology" in options["industry"]
