"""Metrics: choose the metrics that matter, by funnel stage; each gets a card with its value, trend,
breakdown, definition, formula and the data it used — or exactly what is missing."""

import streamlit as st

from core import benchmarks, charts, session
from core.catalogue import CATALOGUE, PICKER_GROUPS, PRESETS
from core.formatting import format_value

st.title("Metrics")
st.caption("Pick the metrics that prove marketing's value for your business. Each card shows how it was computed.")


def apply_preset(metric_ids: tuple[str, ...]) -> None:
    for group in PICKER_GROUPS:
        st.session_state[group.key] = [m for m in group.metric_ids if m in metric_ids]


preset_columns = st.columns(len(PRESETS))
for column, preset in zip(preset_columns, PRESETS, strict=True):
    column.button(
        preset.name, help=preset.description, on_click=apply_preset, args=(preset.metric_ids,), width="stretch"
    )

chosen: list[str] = []
for group in PICKER_GROUPS:
    picked = st.pills(
        group.label,
        group.metric_ids,
        selection_mode="multi",
        default=[m for m in group.metric_ids if m in PRESETS[0].metric_ids],
        format_func=lambda metric_id: CATALOGUE[metric_id].name,
        key=group.key,
        bind="query-params",
    )
    chosen.extend(picked)

if not chosen:
    st.info("Pick one or more metrics above, or start from a preset.")
    st.stop()

profile = session.profile()
registry = session.benchmark_registry()
results = session.results(chosen)


def detail_text(value) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def benchmark_line(metric, result) -> None:
    """Published figures for this metric, where the registry has any, with their source on hover."""
    selection = benchmarks.select(registry, metric.id, profile.segment)
    if selection.rows.empty:
        return
    comparison = benchmarks.compare(result.value, metric, selection, profile.currency)
    st.markdown(
        f":material/compare_arrows: **Benchmark:** {comparison.sentence}", help=comparison.chart_arguments["citation"]
    )


def metric_card(metric_id: str) -> None:
    metric, result = CATALOGUE[metric_id], results[metric_id]
    with st.container(border=True):
        head, value = st.columns([3, 1])
        head.subheader(metric.name)
        head.caption(f"{metric.stage_label} · {metric.source_label}")
        value.metric("Value", format_value(result.value, metric.unit, profile.currency), label_visibility="collapsed")
        if not result.available:
            st.warning("**Not available with the data loaded.** " + " ".join(result.missing))
        else:
            value.caption(f"from {result.rows_used:,} rows")
            if result.note:
                st.caption(result.note)
            benchmark_line(metric, result)
        trend_tab, breakdown_tab, definition_tab = st.tabs(["Trend", "Breakdown", "Definition and data"])
        with trend_tab:
            if result.trend is not None and not result.trend.empty:
                st.altair_chart(charts.trend_chart(result.trend, f"{metric.name} over time", metric.unit))
            else:
                st.caption("No trend: this metric has no dates to spread over time in the data loaded.")
        with breakdown_tab:
            if result.breakdowns:
                dimension = st.selectbox(
                    "Break down by", list(result.breakdowns), key=f"dim_{metric_id}", format_func=str.capitalize
                )
                st.altair_chart(
                    charts.breakdown_chart(
                        result.breakdowns[dimension],
                        f"{metric.name} by {dimension}",
                        metric.unit,
                        dimension.capitalize(),
                    )
                )
            else:
                st.caption("No breakdown for this metric.")
        with definition_tab:
            st.markdown(f"**What it is.** {metric.definition}")
            st.markdown(f"**Why it matters.** {metric.why_it_matters}")
            st.markdown(f"**Formula.** {metric.formula}")
            if result.details:
                st.dataframe(
                    [{"component": k.replace("_", " "), "value": detail_text(v)} for k, v in result.details.items()],
                    hide_index=True,
                    width="stretch",
                )


for metric_id in chosen:
    metric_card(metric_id)
