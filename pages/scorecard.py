"""Scorecard: the eight investment and staffing KPIs against benchmark ranges for your segment."""

from dataclasses import replace

import streamlit as st

from core import charts
from core.adapter import session
from core.formatting import format_value, literal
from core.metrics import benchmarks, questionnaire, whatif
from core.metrics.catalogue import CATALOGUE, SCORECARD_IDS

state = session.state()

st.title("Scorecard")
st.caption(
    "Where your money and people go, against published figures for companies like yours: the eight KPIs of "
    "IDC's Customer Creation Scorecard (2012), each drawn against the published figure closest to your company, "
    "with the figures nearest your industry, size and sales model beneath it and how well each fits. Hover a "
    "chart or a line for the source and its own words."
)

registry = state.benchmark_registry()
profile = state.profile()
segment, set_name, company = state.view_segment(), state.view_set(), state.view_company()
st.caption(
    f"Benchmarks for: {benchmarks.describe_segment(segment)} · revenue {company.size_words()} · set: "
    f"{set_name or 'all sets'}. Change them under **Benchmark segment and set** in the sidebar."
)

results = state.view_results(list(SCORECARD_IDS), breakdowns=False)  # no breakdown is drawn here
for metric_id in SCORECARD_IDS:
    metric, result = CATALOGUE[metric_id], results[metric_id]
    comparison = state.view_comparison(metric_id, result.value)
    scorecard = state.view_benchmark_card(metric_id, result.value)
    with st.container(border=True):
        text, chart = st.columns([2, 3])
        text.markdown(f"**{metric.name}**")
        text.metric(
            metric.name, format_value(result.value, metric.unit, profile.currency), label_visibility="collapsed"
        )
        text.markdown(comparison.sentence)
        if comparison.fit:
            text.caption(f"Compared with the closest published figure, {comparison.fit.label()}.")
        if not result.available:
            text.caption("Needs: " + " ".join(result.missing))
        if comparison.chart_arguments:
            chart.altair_chart(charts.bullet_chart(**comparison.chart_arguments), height=charts.BULLET_FRAME_HEIGHT)
        for entry in scorecard.entries:
            chart.markdown(
                benchmarks.entry_line(entry, metric.unit, profile.currency), help=benchmarks.entry_help(entry) or None
            )
        if scorecard.thin:
            chart.caption(f"Thin evidence: {scorecard.thin}")

with st.expander("How these benchmarks are chosen, and every source"):
    st.markdown(
        "Each published figure is judged against your company: your revenue against the size of the companies the "
        "source surveyed, and your industry, sales model, region and market against theirs. **Weak fit** means the "
        "size is more than three times off, or the industry, sales model or market differs, or the figure counts "
        "something narrower than the KPI; **strong fit** means size and industry match and nothing differs. Where a "
        "source publishes a spread, your value is placed on it as a percentile. Every figure below carries the "
        "source's own words and the page they were read on; the audit column says what was checked or changed."
    )
    st.dataframe(benchmarks.methods_table(registry), hide_index=True, width="stretch")

with st.expander("Use your own benchmark file"):
    st.caption(
        "A CSV or Excel file in the shape of our registry (metric_id, low, median, high, unit, year, source_name, "
        "source_type, and optionally segment columns and a set name), for example from a survey you subscribe to. "
        "Money figures also need their currency (USD) and currency_year (the year the amounts are in), so they can "
        "be converted into yours. Once accepted it appears in the sidebar's Benchmark set list, for this session only."
    )
    own = st.file_uploader("Benchmark file", type=["csv", "xlsx"], key="benchmark_upload")
    if own is not None:
        problems = state.add_user_benchmarks(own.name, own.getvalue())
        if problems:
            st.error(f"{literal(own.name)} was not accepted:", icon=":material/error:")
            st.dataframe(
                [{"row": p.row, "column": p.column, "problem": p.message} for p in problems],
                hide_index=True,
                width="stretch",
            )
        else:
            st.success(f"{literal(own.name)} accepted; choose it under Benchmark set in the sidebar.")

st.subheader("Self-assessment")
st.caption(
    questionnaire.LABEL + ". IDC reported 47/100 for sales enablement and 52/100 for lead management in 2012, "
    "from its own survey; your score here is your own judgement, answered below."
)
with st.form("self_assessment"):
    answers = dict(profile.questionnaire)
    for assessment_id, questions in questionnaire.ASSESSMENTS.items():
        st.markdown(f"**{CATALOGUE[assessment_id].name}**")
        for question in questions:
            answers[question.id] = st.select_slider(
                question.text,
                options=list(range(len(questionnaire.SCALE))),
                value=answers.get(question.id, 2),
                format_func=lambda answer: questionnaire.SCALE[answer],
                key=f"q_{question.id}",
            )
    if st.form_submit_button("Score my answers", type="primary"):
        state.set_profile(replace(profile, questionnaire=answers))
        st.rerun()

plan = state.current_plan(results)
st.subheader("What-if planning")
if plan is None:
    st.info("What-if planning needs spend by function and a roster with job titles: load them on the Data page.")
    st.stop()
st.caption("Change a budget line or headcount and see the six data-driven KPIs move. Figures are annual.")
levers = st.columns(3)
changes = {
    "marketing_programs": levers[0].number_input(
        "Marketing programs", 0.0, value=plan.marketing_programs, step=50_000.0
    ),
    "marketing_people": levers[0].number_input(
        "Marketing people cost", 0.0, value=plan.marketing_people, step=50_000.0
    ),
    "sales_programs": levers[1].number_input("Sales programs", 0.0, value=plan.sales_programs, step=50_000.0),
    "sales_people": levers[1].number_input("Sales people cost", 0.0, value=plan.sales_people, step=50_000.0),
    "quota_sellers": levers[2].number_input("Quota-bearing sellers", 0.0, value=plan.quota_sellers, step=1.0),
    "field_marketers": levers[2].number_input("Field marketers", 0.0, value=plan.field_marketers, step=1.0),
    "ops_staff": levers[2].number_input("Sales and marketing ops staff", 0.0, value=plan.ops_staff, step=1.0),
}
planned = replace(plan, **changes)
st.dataframe(
    whatif.comparison_table(plan, planned, registry, segment, set_name, profile.currency, state.user_rates()),
    hide_index=True,
    width="stretch",
)
for line in whatif.what_it_takes(planned, registry, segment, set_name, profile.currency, state.user_rates()):
    st.markdown(f"- {line}")
