"""Widgets more than one page uses. With core/session.py, the only modules in core that import streamlit."""

from __future__ import annotations

import altair as alt
import streamlit as st

from core import charts


def chart(figure: alt.TopLevelMixin, name: str, key: str, **altair_kwargs):
    """An Altair chart with PNG and SVG downloads under it (rendered only when clicked)."""
    event = st.altair_chart(figure, key=key, **altair_kwargs)
    png, svg, _ = st.columns([1, 1, 6])
    png.download_button(
        "PNG",
        data=lambda: charts.to_png(figure),
        file_name=f"{name}.png",
        mime="image/png",
        on_click="ignore",
        key=f"{key}_png",
        icon=":material/download:",
        width="stretch",
    )
    svg.download_button(
        "SVG",
        data=lambda: charts.to_svg(figure).encode(),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        on_click="ignore",
        key=f"{key}_svg",
        icon=":material/download:",
        width="stretch",
    )
    return event
