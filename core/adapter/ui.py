"""Widgets more than one page uses. With core/adapter/session.py, the only modules in core that import streamlit."""

from __future__ import annotations

import altair as alt
import streamlit as st

from core import charts, errors
from core.share import exports, report

GRID_HEADER_HEIGHT = 35  # pixels: the header row of an st.dataframe / st.data_editor
WRAPPING_ROW_HEIGHT = 66  # Streamlit wraps a cell's text only in rows taller than 4rem (64 px)


def chart(figure: alt.TopLevelMixin | dict, name: str, key: str, **chart_kwargs):
    """A chart — an Altair chart or its Vega-Lite spec — with PNG and SVG downloads under it (made on click)."""
    spec = figure if isinstance(figure, dict) else figure.to_dict()
    event = st.vega_lite_chart(spec, key=key, **chart_kwargs)
    png, svg, _ = st.columns([1, 1, 6])
    with png:
        download("PNG", lambda: charts.to_png(spec), f"{name}.png", "image/png", key=f"{key}_png")
    with svg:
        download("SVG", lambda: charts.to_svg(spec).encode(), f"{name}.svg", "image/svg+xml", key=f"{key}_svg")
    return event


def report_button(snapshot: dict, label: str) -> None:
    """A download of the one-file HTML report of a snapshot, made only when clicked."""
    data = lambda: report.html_report(snapshot).encode()  # noqa: E731 - made on click only
    download(label, data, "gtm-scorecard-report.html", "text/html", icon=":material/description:")


def download(label: str, data, file_name: str, mime: str, key: str | None = None, icon=":material/download:") -> None:
    """A download button that does not rerun the page; `data` may be a callable, run only when clicked (an error
    in it is logged without values, see core.errors)."""
    if callable(data):
        data = errors.quietly(data, f"making the download {file_name}")
    st.download_button(
        label, data=data, file_name=file_name, mime=mime, on_click="ignore", key=key, icon=icon, width="stretch"
    )


def table_downloads(frame, name: str, sheet: str) -> None:
    """CSV and Excel downloads of a table, text that would run as a formula neutralised (see core.share.exports)."""
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    csv, excel, _ = st.columns([1, 1, 3])
    with csv:
        download("CSV", lambda: exports.to_csv(frame), f"{name}.csv", "text/csv", key=f"{name}_csv")
    with excel:
        download("Excel", lambda: exports.to_excel(frame, sheet), f"{name}.xlsx", xlsx, key=f"{name}_xlsx")
