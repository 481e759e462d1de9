"""Explore: read-only SQL over this session's tables, for analysts."""

import streamlit as st

from core import explore, session
from core.formatting import literal
from core.schema import TABLE_KINDS

st.title("Explore")
st.caption(
    "Ask your own questions in SQL (DuckDB dialect) over the tables built from your exports. Read-only: queries "
    "run on a locked copy that cannot change your data or reach files, the network or settings."
)

box = session.sandbox()
tables = explore.table_rows(box)
if not tables:
    st.info("No tables yet: load some exports on the Data page first.")
    st.page_link("app_pages/data.py", label="Go to Data", icon=":material/upload_file:")
    st.stop()

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
    default = f"SELECT *\nFROM {next(iter(tables))}\nLIMIT 100"
    sql = st.text_area("SQL", value=default, height=160, key="explore_sql")
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
        shown = f"{len(result.frame):,} rows" + (
            " (first rows only; add LIMIT or aggregate)" if result.truncated else ""
        )
        st.caption(shown)
        st.dataframe(result.frame, width="stretch", hide_index=True)
        st.download_button(
            "Download CSV",
            data=lambda: result.frame.to_csv(index=False).encode(),
            file_name="query_result.csv",
            mime="text/csv",
            on_click="ignore",
        )
