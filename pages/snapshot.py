"""Snapshot: open a snapshot file someone shared and see their view — numbers and charts, never their rows."""

import streamlit as st

from core.adapter import session, ui
from core.formatting import literal
from core.share import snapshot

session.state()  # a first run after a restart hands over to the app's navigation (see core.adapter.session)

OPENED_KEY = "opened_snapshot"

st.title("Snapshot")
st.caption(
    "A snapshot is a small file made with **Export and share** on the Metrics page: the figures and charts of one "
    "view, without the exports behind them. Open one here to see what a colleague saw. It does not touch your "
    "own data."
)

upload = st.file_uploader("Snapshot file (.json)", type=["json"], key="snapshot_upload")
if upload is not None:
    try:
        st.session_state[OPENED_KEY] = snapshot.load(upload.getvalue())
    except snapshot.SnapshotError as problem:
        st.session_state.pop(OPENED_KEY, None)
        st.error(
            f"{literal(upload.name)}: {literal(problem)}", icon=":material/error:"
        )  # it may quote a name from the file

opened = st.session_state.get(OPENED_KEY)
if opened is None:
    st.info("No snapshot open. Choose a snapshot file above, or make one on the Metrics page.")
    st.stop()

st.subheader(literal(opened["company"] or "A company"), divider="gray")
st.caption(
    f"Made on {literal(snapshot.made_on(opened))} · "
    + " · ".join(f"{literal(name)}: {literal(value)}" for name, value in opened["view"].items())
    + ". The sidebar's view controls do not change a snapshot."
)
shown = ["metric", "shown as", "rows used", "status", "benchmark"]
st.dataframe(snapshot.metric_table(opened)[shown], hide_index=True, width="stretch")
ui.report_button(opened, "HTML report of this snapshot")

if opened["overview"]:
    st.subheader("Overview")
    drawn = snapshot.overview_charts(opened)
    for tab, (name, _, chart) in zip(st.tabs([literal(title) for _, title, _ in drawn]), drawn, strict=True):
        with tab:
            ui.chart(chart, name, key=f"snapshot_overview_{name}")

st.subheader("Metrics")
for position, entry in enumerate(opened["metrics"]):
    with st.container(border=True):
        head, value = st.columns([3, 1])
        head.markdown(f"#### {literal(entry['name'])}")
        head.caption(literal(entry.get("stage", "")))
        value.metric("Value", literal(entry.get("display", "—")), label_visibility="collapsed")
        if not entry.get("available"):
            st.warning("Not available in the data behind this snapshot. " + literal(" ".join(entry["missing"])))
        if benchmark := entry.get("benchmark"):
            st.markdown(f":material/compare_arrows: **Benchmark:** {literal(benchmark['sentence'])}")
            st.caption(f"Source: {literal(benchmark['citation'])}")
        with st.expander("Definition and charts"):
            st.markdown(f"**What it is.** {literal(entry.get('definition', ''))}")
            st.markdown(f"**Formula.** {literal(entry.get('formula', ''))}")
            for name, chart in snapshot.metric_charts(entry, opened["currency"]):
                ui.chart(chart, name, key=f"snapshot_{position}_{name}")
