"""Home: what this is, the sample company at a glance, and the three steps."""

import streamlit as st

from core import charts
from core.adapter import session
from core.formatting import format_value
from core.metrics.catalogue import CATALOGUE

state = session.state()

HEADLINE_METRICS = ["qualified_leads", "close_ratio", "time_to_close", "nps", "sm_spend_pct_revenue"]

st.title("GTM Scorecard")
st.markdown(
    "See whether your marketing and sales investment pays off: load the exports you already have from your "
    "CRM, finance and HR systems, pick the funnel metrics that prove marketing's value, and compare how you "
    "spend and staff with published benchmarks for companies like yours."
)

profile = state.profile()
if state.using_sample():
    with st.container(border=True):
        st.markdown(
            f":material/info: You are looking at **{profile.company_name}**, a fictional sample company with "
            "three years of CRM, finance, HR and survey exports. Every figure below is computed from its files."
        )
        st.page_link("pages/data.py", label="Upload your own exports instead", icon=":material/upload_file:")

steps = st.columns(3)
steps[0].markdown("**1. Load your exports**  \nDrop CSV, Excel or Parquet files; we recognise and map them.")
steps[1].markdown("**2. Pick what matters**  \nChoose from 25 funnel metrics, each with its formula and data.")
steps[2].markdown("**3. Compare and share**  \nSee your spend and staffing ratios against sourced ranges.")

# The one breakdown drawn here is asked for first, so that its metric is computed once; the others without any.
close_by_source = state.view_breakdowns("close_ratio").get("source")
results = state.view_results(HEADLINE_METRICS, breakdowns=False)
tiles = st.columns(len(HEADLINE_METRICS))
for tile, metric_id in zip(tiles, HEADLINE_METRICS, strict=True):
    metric, result = CATALOGUE[metric_id], results[metric_id]
    tile.metric(metric.name, format_value(result.value, metric.unit, profile.currency), help=metric.definition)

left, right = st.columns(2)
qualified = results["qualified_leads"]
if qualified.trend is not None and not qualified.trend.empty:
    left.altair_chart(
        charts.trend_chart(qualified.trend, "Qualified leads per month", "count", currency=profile.currency)
    )
if close_by_source is not None:
    right.altair_chart(
        charts.breakdown_chart(
            close_by_source, "Close ratio by lead source", "ratio", "Source", currency=profile.currency
        )
    )

st.page_link("pages/metrics.py", label="See all metrics", icon=":material/monitoring:")
st.page_link("pages/scorecard.py", label="Open the scorecard", icon=":material/speed:")
