"""GTM Scorecard — entry point: page config, navigation and the sidebar shared by every page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core import session
from core.formatting import literal

HERE = Path(__file__).parent


def page(file: str, title: str, icon: str, **kwargs) -> st.Page:
    return st.Page(HERE / "app_pages" / file, title=title, icon=icon, **kwargs)


PAGES = [
    page("home.py", "Home", ":material/home:", default=True),
    page("data.py", "Data", ":material/upload_file:", url_path="data"),
    page("metrics.py", "Metrics", ":material/monitoring:", url_path="metrics"),
    page("scorecard.py", "Scorecard", ":material/speed:", url_path="scorecard"),
    page("explore.py", "Explore", ":material/database_search:", url_path="explore"),
]


def sidebar() -> None:
    ws = session.workspace()
    with st.sidebar:
        if session.using_sample():
            st.caption("Showing the sample company")
            st.markdown(f"**{literal(session.profile().company_name or 'Sample company')}**")
        else:
            st.caption("Showing your data")
            st.markdown(f"**{len(ws.files)} file(s) loaded**")
        st.caption("Your uploads stay in this browser session only and are gone when you close the tab.")


def run() -> None:
    st.set_page_config(page_title="GTM Scorecard", page_icon=":material/speed:", layout="wide")
    navigation = st.navigation(PAGES)
    sidebar()
    navigation.run()


if __name__ == "__main__":
    run()
