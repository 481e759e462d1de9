"""The benchmark registry: every row holds its source's own words with its figures and a segment as narrow as the
source's population; statuses respect their boundaries; rows are ordered by how well they fit the company, with a
label that says so; spreads give percentiles; a user's own file is checked row by row before it becomes a set."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from core import fx
from core.metrics import benchmarks
from core.metrics.benchmarks import (
    FIGURES,
    BenchmarkError,
    Company,
    load_registry,
    load_user_file,
    select,
    status,
    validate,
)
from core.metrics.catalogue import CATALOGUE, SCORECARD_IDS
from core.schema import Segment

from .design_ids import IDC_IDS, YOUNG_IDS

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IDC_ARTICLE = SHARED / "seeds" / "003_2333ac27f3b85dcf.txt"  # the source of the 2012 Customer Creation Scorecard

DESIGN_IDS = set(YOUNG_IDS + IDC_IDS)
UNITS = {metric_id: metric.unit for metric_id, metric in CATALOGUE.items()}
# The sample company (sample_data/company_profile.json) with its revenue of the last twelve months, $61.5M
SAMPLE = Company("field sales", "technology", "North America", "$50M-$250M", "B2B", 61_500_016.53, "$61.5M")


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    return load_registry()


def by_id(registry: pd.DataFrame) -> dict[str, dict]:
    return {row["benchmark_id"]: row for row in registry.to_dict("records")}


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
    assert benchmarks.provenance_errors(benchmarks.REGISTRY.read_text()) == []


def test_every_row_has_source_link_years_and_unit(registry):
    assert registry["source_name"].str.len().min() > 0
    assert registry["source_url"].str.startswith("http").all()
    assert (registry["reprint_url"].eq("") | registry["reprint_url"].str.startswith("http")).all()
    assert registry["survey_year"].between(2008, 2026).all()
    assert (registry["published_year"] >= registry["survey_year"]).all()
    assert registry["unit"].isin(benchmarks.UNITS).all()
    assert set(registry["metric_id"]) <= DESIGN_IDS
    assert registry["audit"].str.match("(Kept|Corrected|Re-sourced|Added)").all()


def test_figures_are_ordered_low_median_high(registry):
    for _, row in registry.iterrows():
        given = [row[c] for c in ("low", "median", "high") if not math.isnan(row[c])]
        assert given, row["benchmark_id"]
        assert given == sorted(given), row["benchmark_id"]


def numbers(text: str) -> set[float]:
    """The numbers written in a quote, read here independently of core: `1,477` → 1477, `six` → 6."""
    words = {"six": "6", "nine": "9", "twelve": "12"}
    text = re.sub(r"\b(six|nine|twelve)\b", lambda m: words[m[1]], text)
    return {float(n.replace(",", "")) for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text)}


def test_every_row_quotes_its_source_and_the_quote_holds_its_figures(registry):
    for row in registry.to_dict("records"):
        quote, stated = row["quote"], benchmarks.stated_figures(row)
        assert quote and len(quote.replace("…", " ").split()) <= 25, row["benchmark_id"]
        given = {figure: row[figure] for figure in FIGURES if not math.isnan(row[figure])}
        assert set(stated) == set(given), row["benchmark_id"]
        for figure, expression in stated.items():
            assert benchmarks.evaluate(expression) == pytest.approx(given[figure], rel=2e-3), (
                row["benchmark_id"],
                figure,
            )
            written = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", expression.replace(",", ""))} - {100.0}
            assert written <= numbers(quote), (row["benchmark_id"], expression, quote)


def test_no_segment_says_all_where_the_source_names_a_narrower_population(registry):
    narrower = {
        "size_band": r"\$\d[\d.,]*\s?(?:million|billion|bn|[MB])\b|\bARR\b|employees",
        "region": r"North America|\bU\.?S\.|\bUS\b|\bCanada\b|\bEurope\b|\bU\.?K\b",
        "market": r"\bB2B\b|\bB2C\b",
    }
    for row in registry.to_dict("records"):
        words = " ".join((row["quote"], row["population"], row["note"]))
        for column, pattern in narrower.items():
            if re.search(pattern, words):
                assert row[column] != "all", (row["benchmark_id"], column, words)


REGISTRY_TEXT = benchmarks.REGISTRY.read_text()


def broken(tmp_path: Path, old: str, new: str) -> str:
    assert REGISTRY_TEXT.count(old) >= 1, old
    (tmp_path / "benchmarks.csv").write_text(REGISTRY_TEXT.replace(old, new, 1))
    with pytest.raises(benchmarks.RegistryError) as raised:
        load_registry(tmp_path / "benchmarks.csv")
    return str(raised.value)


def row_of(benchmark_id: str) -> int:
    return 2 + list(load_registry()["benchmark_id"]).index(benchmark_id)


def test_a_row_without_a_quote_stops_the_registry_naming_its_row(tmp_path):
    quote = "Sales to marketing ratio = 4:1"
    message = broken(tmp_path, f",{quote},", ",,")
    assert f"row {row_of('idc2012_sales_to_marketing')}, column 'quote': no quote" in message


def test_a_figure_its_quote_does_not_hold_stops_the_registry(tmp_path):
    message = broken(tmp_path, ",0.106,,ratio,", ",0.107,,ratio,")  # the IDC scorecard's 10.6%, mistyped
    assert (
        f"row {row_of('idc2012_sm_pct_revenue')}, column 'median': 0.107 but the quote's 10.6% gives 0.106" in message
    )


def test_a_segment_broader_than_its_population_stops_the_registry(tmp_path):
    message = broken(tmp_path, ",>$250M,all,North America & UK,", ",all,all,North America & UK,")  # Gartner 2016
    assert f"row {row_of('gartner2016_marketing_pct_revenue')}, column 'size_band': says all" in message


def test_the_audits_corrections_hold(registry):
    rows = by_id(registry)
    # FirstPageSage's own table: B2B SaaS $164 organic, $310 paid; $164 was never an industrial figure
    cost = rows["firstpagesage2023_cost_per_lead_b2b_saas"]
    assert (cost["low"], cost["high"], cost["industry"], cost["market"]) == (164, 310, "SaaS", "B2B")
    assert not registry["quote"].str.contains("804").any() and "firstpagesage2024_cost_per_lead" not in rows
    # Gartner's own 2014 and 2015 averages, not rounded, with their samples
    assert rows["gartner2014_marketing_pct_revenue"]["median"] == 0.102
    assert rows["gartner2015_marketing_pct_revenue"]["median"] == 0.114
    gartner = registry[registry["source_name"].str.startswith("Gartner CMO Spend Survey")]
    assert not gartner["size_band"].eq("all").any() and not gartner["region"].eq("all").any()
    assert rows["gartner2016_marketing_pct_revenue"]["sample_size"] == 377
    assert rows["gartner2021_marketing_pct_revenue"]["sample_size"] == 400
    # the '<$50M' band was in neither source
    assert rows["openview2021_sm_pct_arr"]["size_band"] == "~$15M ARR"
    assert rows["bridgegroup2017_sales_cycle"]["size_band"] == "median $27M"
    assert rows["cmosurvey2014_marketing_pct_revenue"]["sample_size"] == 408
    # figures read only on scraped mirror pages are gone; ClearlyRated's HR figure is read on its own page
    assert not registry["quality"].eq("unverified").any()
    assert not registry["source_url"].str.contains("2020fj|expertindustryservices|smallfish").any()
    hr = rows["clearlyrated2022_hr_services_nps"]
    assert hr["source_url"].startswith("https://www.clearlyrated.com/") and hr["region"] == "US"


def test_every_scorecard_kpi_has_ranges_from_two_sources_or_says_why_not(registry):
    thin = []
    for metric_id in SCORECARD_IDS:
        rows = registry[registry["metric_id"] == metric_id].to_dict("records")
        ranges = [row for row in rows if benchmarks.is_range(row)]
        sources = {row["source_name"].split(",")[0].split("(")[0].strip() for row in rows}
        if not ranges or len(sources) < 2:
            thin.append(metric_id)
    assert thin == list(benchmarks.THIN_EVIDENCE)  # each thin KPI says why on its card, and no other does
    assert thin == [
        "marketing_spend_per_sales_head",
        "quota_to_field_marketing_ratio",
        "program_share_of_spend",
        "sales_enablement_score",
        "lead_management_score",
    ]


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
    article = IDC_ARTICLE.read_text()
    # "3. Investment: Marketing investment per total sales headcount = $40K to $70K": in DESIGN.md's order
    statements = re.findall(r"^\s*\d\. [^=]+= (.+)$", article, flags=re.MULTILINE)
    idc = registry[registry["set"] == "IDC 2012 Customer Creation Scorecard"].set_index("metric_id")
    assert sorted(idc.index) == sorted(IDC_IDS)
    for metric_id, statement in zip(IDC_IDS, statements, strict=True):
        stated, row = stated_figures(statement), idc.loc[metric_id]
        given = {figure: row[figure] for figure in FIGURES if not math.isnan(row[figure])}
        figures = {key: value for key, value in stated.items() if key in FIGURES}
        assert given == pytest.approx(figures), metric_id  # a single figure stays one: no invented range
        assert row["currency"] == stated.get("currency", ""), metric_id
        assert " ".join(row["quote"].split()) in " ".join(article.split()), metric_id  # the article's own words
        if "currency" in stated:
            assert row["currency_year"] == 2012, metric_id  # the article gives figures for 2012 planning
    assert "not from IDC's method" in idc.loc["sales_enablement_score", "note"]


def test_marketing_only_budgets_compare_with_marketing_spend_to_sales(registry):
    gartner = registry[registry["set"] == "Gartner CMO Spend Survey"]
    assert set(gartner["metric_id"]) == {"marketing_spend_to_sales", "program_share_of_spend"}
    assert gartner["note"].str.startswith("Marketing").all()
    programs = gartner[gartner["metric_id"] == "program_share_of_spend"]
    assert programs["scope"].eq("marketing budgets only").all()  # so they are never a strong fit for the KPI


def test_figures_given_in_months_are_the_notes_months_at_30_4_days(registry):
    converted = registry[registry["note"].str.contains("30.4")]
    assert len(converted) == 5
    for row in converted.to_dict("records"):
        months = re.search(r"(\d+(?:\.\d+)?)(?: to (\d+(?:\.\d+)?))? months", row["note"]).groups()
        given = [row[figure] for figure in FIGURES if not math.isnan(row[figure])]
        expected = [float(number) * 30.4 for number in months if number]
        assert given == pytest.approx(expected, abs=0.05), row["benchmark_id"]


def test_every_money_figure_names_its_currency_and_year_and_no_other_does(registry):
    money = registry["unit"].isin(["currency", "currency_per_head"])
    assert registry.loc[money, "currency"].str.fullmatch("[A-Z]{3}").all()
    assert registry.loc[money, "currency_year"].notna().all()
    assert (registry.loc[~money, "currency"] == "").all() and registry.loc[~money, "currency_year"].isna().all()


def test_a_money_row_without_currency_stops_the_registry_naming_its_row(tmp_path):
    broken_text = REGISTRY_TEXT.replace(",currency_per_head,USD,2012,", ",currency_per_head,,2012,")
    (tmp_path / "benchmarks.csv").write_text(broken_text)
    with pytest.raises(benchmarks.RegistryError) as raised:
        load_registry(tmp_path / "benchmarks.csv")
    assert str(raised.value) == (
        f"benchmarks.csv: row {row_of('idc2012_marketing_per_sales_head')}, column 'currency': no currency; a money "
        "figure needs the currency its source gives, e.g. USD"
    )


def test_the_methods_page_is_the_registry_written_out(registry):
    page = (ROOT / "docs" / "benchmarks.md").read_text()
    assert page == benchmarks.methods_markdown(registry), "run: python -m core.metrics.benchmarks > docs/benchmarks.md"
    for row in registry.to_dict("records"):
        assert row["quote"] in page and (row["reprint_url"] or row["source_url"]) in page and row["audit"] in page


# --- stated figures and spreads --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("10.6%", 0.106),
        ("$40K", 40_000),
        ("$164", 164),
        ("19 months", 577.6),
        ("4:1", 4),
        ("(100%-30%)/30%", 7 / 3),
        ("80%/(100%-80%)", 4),
        ("1/(1+30)", 1 / 31),
        ("46+24", 70),
    ],
)
def test_a_stated_figure_evaluates_as_written(expression, value):
    assert benchmarks.evaluate(expression) == pytest.approx(value)


def test_a_stated_figure_is_arithmetic_only():
    with pytest.raises(ValueError):
        benchmarks.evaluate("__import__('os')")
    assert benchmarks.numbers_in("cycles of six to nine months, 1,477 sales professionals") == [6, 9, 1477]


@pytest.mark.parametrize(
    ("size_band", "band"),
    [
        ("<$500M", (0, 500e6, False)),
        (">$1B", (1e9, math.inf, False)),
        ("$250M+", (250e6, math.inf, False)),
        ("$250M-$500M", (250e6, 500e6, False)),
        ("mostly >$1B", (1e9, math.inf, True)),
        ("~$15M ARR", (15e6, 15e6, True)),
        ("median $5.3B", (5.3e9, 5.3e9, True)),
        ("avg $9.5B", (9.5e9, 9.5e9, True)),
    ],
)
def test_size_bands_read_as_revenue(size_band, band):
    found = benchmarks.revenue_band(size_band)
    assert (found.low, found.high, found.approximate) == band


def test_sizes_that_are_not_revenue_have_no_band():
    assert [benchmarks.revenue_band(text) for text in ("all", "not stated", ">1,000 employees")] == [None] * 3
    assert not benchmarks.size_band_is_readable("large")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0.128, "below the 25th percentile"),  # the sample company's 12.8%
        (0.15, "about the 25th percentile"),
        (0.39, "about the 60th percentile"),  # 50 + 25 x (39 - 35) / (45 - 35)
        (0.45, "about the 75th percentile"),
        (0.50, "above the 75th percentile"),
    ],
)
def test_a_value_is_placed_on_openviews_quartiles(registry, value, words):
    row = by_id(registry)["openview2021_sm_pct_arr"]
    assert benchmarks.percentile(value, row) == f"{words} of the respondents to OpenView 2021 SaaS Benchmarks"


def test_a_value_is_placed_on_gartners_2014_spread(registry):
    row = by_id(registry)["gartner2014_marketing_pct_revenue_spread"]
    assert benchmarks.distribution_points(row) == [(46, 0.09), (70, 0.13)]
    assert benchmarks.percentile(0.11, row).startswith("about the 58th percentile")  # 46 + 24 x (11 - 9) / (13 - 9)
    assert benchmarks.percentile(0.036, row).startswith("below the 46th percentile")  # the sample's 3.6%
    assert benchmarks.percentile(None, row) is None and benchmarks.percentile(0.1, {"distribution": ""}) is None


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


# --- choosing rows for a company, and how well they fit ---------------------------------------------------------


def _row(
    benchmark_id,
    industry="all",
    gtm_model="all",
    survey_year=2020,
    quality="ok",
    median=0.1,
    set_name="Test set",
    size_band="all",
    region="all",
    **fields,
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
        "size_band": size_band,
        "industry": industry,
        "region": region,
        "market": "all",
        "scope": "",
        "survey_year": survey_year,
        "published_year": survey_year,
        "sample_size": pd.NA,
        "population": "",
        "quote": "",
        "stated": "",
        "distribution": "",
        "source_name": "Test source",
        "source_url": "https://example.org",
        "reprint_url": "",
        "source_type": "secondary",
        "quality": quality,
        "set": set_name,
        "note": "",
        "audit": "",
    } | fields


@pytest.fixture
def small_registry() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _row("aggregate_old", survey_year=2018),
            _row("aggregate_new_weak", survey_year=2024, quality="weak"),
            _row("aggregate_new_ok", survey_year=2022),
            _row("big_saas", industry="SaaS", size_band=">$1B"),
            _row("mid_saas_field", industry="SaaS", gtm_model="field sales", size_band="$50M-$250M"),
            _row("mid_retail", industry="retail", size_band="$50M-$250M"),
            _row("other_set", set_name="Other set"),
        ]
    )


def test_select_puts_the_closest_population_first(small_registry):
    chosen = select(small_registry, "close_ratio", Segment(), company=SAMPLE)
    assert list(chosen.rows["benchmark_id"]) == [
        "mid_saas_field",  # strong: size matches, SaaS is technology's relative, field sales like the company
        "aggregate_new_ok",  # fair: covers everyone; ok before weak, then newest first
        "other_set",
        "aggregate_old",
        "aggregate_new_weak",
        "mid_retail",  # weak: another industry (its size matches, so it goes first among the weak)
        "big_saas",  # weak: more than three times bigger
    ]
    assert [fit.level for fit in chosen.fits] == ["strong", "fair", "fair", "fair", "fair", "weak", "weak"]
    assert chosen.fallback is None  # the best figure fits well: nothing to warn about


def test_select_says_how_the_closest_figure_differs(small_registry):
    chosen = select(small_registry, "close_ratio", Segment(industry="retail", size_band=">$1B"), "Test set")
    assert chosen.rows.iloc[0]["benchmark_id"] == "aggregate_new_ok"
    assert chosen.fallback == "Closest published figure: for companies; yours is >$1B: fair fit."


def test_select_with_a_set_that_lacks_the_metric(registry):
    chosen = select(registry, "nps", Segment(), "IDC 2012 Customer Creation Scorecard")
    assert chosen.rows.empty
    assert (
        chosen.fallback
        == "The set 'IDC 2012 Customer Creation Scorecard' has no figure for this KPI; other sets do: NPS benchmarks."
    )


def test_a_large_company_survey_is_a_weak_fit_for_the_sample_and_says_why(registry):
    rows = by_id(registry)
    gartner_2024 = benchmarks.fit(rows["gartner2024_marketing_pct_revenue"], SAMPLE)
    assert gartner_2024.label() == (
        "for companies with median $5.3B revenue in North America & Europe; yours is $61.5M: weak fit"
    )
    idc = benchmarks.fit(rows["idc2012_sm_pct_revenue"], SAMPLE)
    assert idc.label() == "for B2B technology companies averaging $9.5B revenue; yours is $61.5M: weak fit"
    under_500m = benchmarks.fit(rows["gartner2021_marketing_pct_revenue_under_500m"], SAMPLE)
    assert under_500m.level == "fair"  # the right size and region, but every industry
    scoped = benchmarks.fit(rows["siriusdecisions2015_marketing_ops_share"], SAMPLE)
    assert scoped.level == "weak" and scoped.label().endswith("(it counts marketing staff only)")


def test_fit_reads_industries_regions_and_markets():
    mid_saas = _row("x", industry="SaaS", size_band="$50M-$250M", region="US", market="B2B")
    assert benchmarks.fit(mid_saas, SAMPLE).level == "strong"  # US is part of North America: near, not different
    several = _row("y", industry="financial services / high-tech / retail", size_band="$50M-$250M")
    assert benchmarks.fit(several, SAMPLE).population == "3-industry companies of $50M-$250M"
    assert benchmarks.fit(several, SAMPLE).level == "fair"  # high-tech is among them: it covers a technology firm
    consumer = _row("z", industry="SaaS", size_band="$50M-$250M", market="B2C")
    assert benchmarks.fit(consumer, SAMPLE).level == "weak"
    europe = _row("w", industry="SaaS", size_band="$50M-$250M", region="Europe")
    assert benchmarks.fit(europe, SAMPLE).level == "fair"  # another region weakens it, but less than size would


def test_a_company_outside_its_chosen_band_is_judged_by_the_band():
    chosen = Company.of(Segment(size_band=">$1B"), 61.5e6, "$61.5M")  # comparing with bigger peers on purpose
    assert chosen.revenue_usd is None and chosen.revenue_range() == (1e9, math.inf)
    own = Company.of(Segment(size_band="$50M-$250M"), 61.5e6, "$61.5M")
    assert own.revenue_range() == (61.5e6, 61.5e6) and own.size_words() == "$61.5M"


def test_the_sample_companys_card_for_sales_and_marketing_spend(registry):
    card = benchmarks.card(registry, CATALOGUE["sm_spend_pct_revenue"], 0.128, SAMPLE)
    lines = [benchmarks.entry_line(entry, "ratio", "USD") for entry in card.entries]
    assert lines == [
        "**Your industry (technology):** reference value 14.0% (IDC Executive Advisory Group, 2010). Yours is within "
        "10% of it. **Fair fit** — for B2B technology companies; yours is $61.5M.",
        "**Your size ($61.5M):** range 15.0% to 45.0% (OpenView 2021 SaaS Benchmarks). Yours is below it. You "
        "are below the 25th percentile of the respondents to OpenView 2021 SaaS Benchmarks. **Weak fit** — for SaaS "
        "companies around $15M ARR; yours is $61.5M, technology.",
        "**Your sales model (field sales):** No published figure for this KPI names a sales model; they all cover "
        "every one.",
    ]
    assert card.thin is None
    assert "“Answer:  35% (with 45% and 15% as the top and bottom quartiles).”" in benchmarks.entry_help(
        card.entries[1]
    )


def test_a_card_with_no_published_range_says_why(registry):
    card = benchmarks.card(registry, CATALOGUE["quota_to_field_marketing_ratio"], 24.0, SAMPLE)
    assert card.thin == benchmarks.THIN_EVIDENCE["quota_to_field_marketing_ratio"]
    assert [entry.side for entry in card.entries] == [
        "Your industry (technology) and size ($61.5M)",
        "Your sales model (field sales)",
    ]
    assert card.entries[0].comparison.status == "below" and card.entries[0].comparison.fit.level == "weak"


def test_a_card_adds_a_published_spread_for_a_percentile(registry):
    card = benchmarks.card(registry, CATALOGUE["marketing_spend_to_sales"], 0.036, SAMPLE)
    sides = {entry.side: entry.comparison for entry in card.entries}
    assert sides["Your size ($61.5M)"].reference["benchmark_id"] == "gartner2021_marketing_pct_revenue_under_500m"
    spread = sides["Published spread"]
    assert spread.percentile == "below the 50th percentile of the respondents to Gartner CMO Spend Survey 2025"


# --- describe and compare --------------------------------------------------------------------------------------


def test_describe_is_a_one_line_citation():
    row = _row("idc", industry="technology", survey_year=2012, sample_size=100, source_name="IDC Scorecard (blog)")
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
    assert "Below the reference value 19.0% (Ebsta x Pavilion 2025 GTM Benchmarks)." in comparison.sentence
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
    registry = pd.DataFrame(
        [row | {"survey_year": currency_year, "currency": currency, "currency_year": currency_year}]
    )
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
    assert _messages(errors) == {(1, "survey_year"), (1, "source_name"), (1, "source_type")}
    assert str(errors[0]) == (
        "row 1, column 'survey_year': the column 'survey_year' is missing; add it to the header row"
    )


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
        (6, "survey_year"),
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
    assert frame.loc[0, "survey_year"] == 2025 and frame.loc[0, "region"] == "all" and frame.loc[0, "quality"] == "ok"
    assert frame.loc[0, "quote"] == "" and frame.loc[0, "market"] == "all"  # quotes are ours to owe, not the user's
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
    assert frame["median"].tolist() == [0.24, 35.0] and frame["survey_year"].tolist() == [2025, 2025]


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
    assert options["size_band"] == ["all", "$250M-$1B", "$50M-$250M", "<$50M", ">$1B"]  # every row is read against them
    assert "technology" in options["industry"] and "not stated" not in options["industry"]
