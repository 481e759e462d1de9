"""Metrics: the metrics chosen in the sidebar, for its period and filters — overview charts of the funnel, time
to close, revenue concentration, retention and NPS, then one card per metric with its value, trend, breakdown,
definition, formula and data, or exactly what is missing."""

from functools import partial

import streamlit as st

from core import charts, view
from core.adapter import session, ui
from core.formatting import counted, format_value, literal
from core.metrics import shapes
from core.metrics.catalogue import CATALOGUE, PRESETS
from core.share import snapshot

state = session.state()

st.title("Metrics")
st.caption(
    "Pick the metrics that prove marketing's value for your business in the sidebar (or start from a preset), "
    "and narrow them with its period and filters. Click a bar of a breakdown to filter every metric to it."
)


def apply_preset(metric_ids: tuple[str, ...]) -> None:
    st.session_state[view.METRICS_KEY] = list(metric_ids)


preset_columns = st.columns(len(PRESETS))
for column, preset in zip(preset_columns, PRESETS, strict=True):
    column.button(
        preset.name, help=preset.description, on_click=apply_preset, args=(preset.metric_ids,), width="stretch"
    )

chosen = state.view_metrics()
period, filters = state.view_period(), state.view_filters()
profile = state.profile()
scope = f"Period: {view.describe_period(period)}"
if filters:
    scope += " · Filters: " + "; ".join(f"{view.filter_label(d)} = {', '.join(v)}" for d, v in filters.items())
st.caption(literal(scope))


def filter_to(dimension: str, chart_key: str) -> None:
    """A bar clicked in a breakdown: filter every metric to that key (clicking empty space clears it)."""
    picked = st.session_state[chart_key].selection.get(charts.BREAKDOWN_SELECTION) or []
    keys = [point["key"] for point in picked if point.get("key") not in (None, charts.OTHER)]
    st.session_state[view.filter_key(dimension)] = keys


def overview() -> None:
    """A tab per chart the data covers; only the chosen tab's shape is computed and drawn."""
    covered = state.overview_covered()
    if not covered:
        return
    st.subheader("Overview")
    labels = [shapes.TITLES[name] for name in covered]
    for tab, name in zip(st.tabs(labels, key="overview_tab", on_change="rerun"), covered, strict=True):
        if tab.open:
            with tab:
                overview_chart(name)


def overview_chart(name: str) -> None:
    shape = state.view_shape(name)
    if not shape.rows:  # the data has these fields, but none of its rows fall in this view
        st.info("No rows for this chart in the period and filters chosen: widen the period or clear a filter.")
        return
    make = partial(charts.overview_chart, name, shape.frame, currency=profile.currency)
    ui.chart(state.chart_spec(f"overview_{name}", make), name, key=f"overview_{name}")
    note = f"From {counted(shape.rows, 'row')}."
    if shape.unfiltered:
        dims = ", ".join(view.filter_label(d).lower() for d in shape.unfiltered)
        note += f" Not filtered by {dims}: these rows do not record it."
    st.caption(note)


def benchmark_line(metric, result) -> None:
    """Published figures for this metric, where the registry has any, with their source on hover."""
    comparison = state.view_comparison(metric.id, result.value)
    if not comparison.citation:
        return
    st.markdown(f":material/compare_arrows: **Benchmark:** {comparison.sentence}", help=comparison.citation)


def detail_text(value) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def metric_card(metric_id: str, result) -> None:
    metric = CATALOGUE[metric_id]
    with st.container(border=True):
        head, value = st.columns([3, 1])
        head.subheader(metric.name)
        head.caption(f"{metric.stage_label} · {metric.source_label}")
        value.metric("Value", format_value(result.value, metric.unit, profile.currency), label_visibility="collapsed")
        if not result.available:
            st.warning("**Not available with the data loaded.** " + " ".join(result.missing))
        else:
            value.caption(f"from {counted(result.rows_used, 'row')}")
            if result.note:
                st.caption(result.note)
            if result.unfiltered:
                dims = ", ".join(view.filter_label(d).lower() for d in result.unfiltered)
                st.caption(f":material/filter_alt_off: Not filtered by {dims}: this metric's rows do not record it.")
            benchmark_line(metric, result)
        trend_tab, breakdown_tab, definition_tab = st.tabs(
            ["Trend", "Breakdown", "Definition and data"], key=f"card_tab_{metric_id}", on_change="rerun"
        )
        for tab, draw in ((trend_tab, trend), (breakdown_tab, breakdown), (definition_tab, definition)):
            if tab.open:  # only the chosen tab is drawn
                with tab:
                    draw(metric, result)


def trend(metric, result) -> None:
    if result.trend is None or result.trend.empty:
        st.caption("No trend: this metric has no dates to spread over time in the data loaded.")
        return
    spec = state.chart_spec(
        f"trend_{metric.id}",
        lambda: charts.trend_chart(
            charts.add_prior_year(result.trend), f"{metric.name} over time", metric.unit, currency=profile.currency
        ),
    )
    ui.chart(spec, f"{metric.id}_trend", key=f"trend_{metric.id}")


def definition(metric, result) -> None:
    st.markdown(f"**What it is.** {metric.definition}")
    st.markdown(f"**Why it matters.** {metric.why_it_matters}")
    st.markdown(f"**Formula.** {metric.formula}")
    if result.details:
        st.dataframe(
            [{"component": k.replace("_", " "), "value": detail_text(v)} for k, v in result.details.items()],
            hide_index=True,
            width="stretch",
        )


def breakdown(metric, result) -> None:
    found = state.view_breakdowns(metric.id)  # computed the first time this tab is opened
    if not found:
        st.caption("No breakdown for this metric.")
        return
    dimension = st.selectbox("Break down by", list(found), key=f"dim_{metric.id}", format_func=str.capitalize)
    key = f"breakdown_{metric.id}_{dimension}"
    figure = state.chart_spec(
        key,
        lambda: charts.breakdown_chart(
            found[dimension],
            f"{metric.name} by {dimension}",
            metric.unit,
            dimension.capitalize(),
            currency=profile.currency,
        ),
    )
    if dimension in view.SHOWN_FILTERS:
        on_select = partial(filter_to, dimension, key)
        ui.chart(figure, key, key=key, on_select=on_select, selection_mode=charts.BREAKDOWN_SELECTION)
        st.caption(f"Click a bar to filter every metric to that {dimension}.")
    else:
        ui.chart(figure, key, key=key)


def export_control() -> None:
    """Downloads of this view: the metric table, a one-file HTML report, and a snapshot (aggregates, no rows)."""
    popover = st.popover("Export and share", icon=":material/ios_share:", key="export", on_change="rerun")
    if not popover.open:  # the snapshot is made only when the person opens this
        return
    with popover:
        made = state.view_snapshot(chosen)
        table = snapshot.metric_table(made)
        st.markdown("**Metric table**")
        ui.table_downloads(table, "metrics", "Metrics")
        st.markdown("**Report**")
        ui.report_button(made, "HTML report (opens offline)")
        st.markdown("**Snapshot** — the numbers and charts of this view, without your rows")
        st.caption(
            "A colleague opens it on the Snapshot page and sees this view without your exports. It contains "
            "exactly this:"
        )
        st.dataframe(snapshot.contents(made), hide_index=True, width="stretch")
        ui.download(
            "Download snapshot", lambda: snapshot.to_bytes(made), "gtm-scorecard-snapshot.json", "application/json"
        )


if not chosen:
    st.info("Choose one or more metrics under **Metrics** in the sidebar, or start from a preset above.")
    st.stop()

export_control()
overview()
results = state.view_results(chosen, breakdowns=False)  # a card's breakdowns are computed when its tab opens
st.subheader("Metrics")
for metric_id in chosen:
    metric_card(metric_id, results[metric_id])
