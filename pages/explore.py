"""Explore: read-only SQL over this session's tables, for analysts."""

import streamlit as st

from core import charts, explore
from core.adapter import session, ui
from core.formatting import literal
from core.schema import TABLE_KINDS

state = session.state()

st.title("Explore")
st.caption(
    "Ask your own questions in SQL (DuckDB dialect) over the tables built from your exports. Read-only: queries "
    "run on a locked copy that cannot change your data or reach files, the network or settings."
)

if state.using_warehouse():
    st.info(
        "The SQL box reads uploaded exports. The warehouse in use is read by the Metrics, Scorecard and Snapshot "
        "pages only, which bring back totals, never its rows.",
        icon=":material/info:",
    )
    st.stop()

box = state.sandbox()
tables = explore.table_rows(box)
if not tables:
    st.info("No tables yet: load some exports on the Data page first.")
    st.page_link("pages/data.py", label="Go to Data", icon=":material/upload_file:")
    st.stop()


def show_result(result: explore.QueryResult) -> None:
    """The rows as a table, a quick chart of them, and downloads (formulas neutralised)."""
    shown = f"{len(result.frame):,} rows" + (" (first rows only; add LIMIT or aggregate)" if result.truncated else "")
    st.caption(shown)
    table_tab, chart_tab = st.tabs(["Table", "Quick chart"])
    with table_tab:
        st.dataframe(result.frame, width="stretch", hide_index=True)
    with chart_tab:
        quick_chart(result.frame)
    ui.table_downloads(result.frame, "query_result", "Query")


def quick_chart(frame) -> None:
    x_guess, y_guess = charts.quick_chart_columns(frame)
    if x_guess is None:
        st.caption("Nothing to chart: the result has no number column. Count or sum something, e.g. count(*).")
        return
    columns = list(frame.columns)
    shape = abs(hash(tuple(columns)))  # a new result's columns get fresh pickers
    left, right = st.columns(2)
    x = left.selectbox("X axis", columns, index=columns.index(x_guess), key=f"explore_x_{shape}")
    y_options = [None, *columns]
    y = right.selectbox(
        "Y axis (a number)",
        y_options,
        index=y_options.index(y_guess),
        key=f"explore_y_{shape}",
        format_func=lambda column: "(count of rows)" if column is None else column,
    )
    if y is not None and not charts.is_number(frame[y]):
        st.caption(f"{literal(y)} holds no numbers; pick a number column for the Y axis.")
        return
    if y is None and not charts.is_number(frame[x]):
        st.caption("Pick a number column for the X axis to see its distribution, or a Y axis.")
        return
    ui.chart(charts.quick_chart(frame, x, y), "query_chart", key="explore_chart")


query_column, schema_column = st.columns([3, 1])
with schema_column:
    st.markdown("**Tables**")
    for table, rows in tables.items():
        with st.expander(f"{table} ({rows:,} rows)"):
            st.caption(TABLE_KINDS[table].label + " — one row per " + TABLE_KINDS[table].row_is)
            st.dataframe(
                [{"column": f.name, "type": f.type} for f in TABLE_KINDS[table].fields],
                hide_index=True,
                width="stretch",
            )

with query_column:
    sql = st.text_area("SQL", value=explore.example_query(list(tables)), height=160, key="explore_sql")
    if st.button("Run query", type="primary") or "explore_result" not in st.session_state:
        try:
            st.session_state["explore_result"] = explore.run_query(box, sql)
            st.session_state.pop("explore_error", None)
        except explore.SqlRefused as refused:
            st.session_state["explore_error"] = str(refused)
    if error := st.session_state.get("explore_error"):
        st.error(literal(error), icon=":material/block:")  # DuckDB quotes the query and its values
    result = st.session_state.get("explore_result")
    if result is not None:
        show_result(result)
