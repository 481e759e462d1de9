"""GTM Scorecard — entry point: page config, navigation and the sidebar shared by every page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core import errors, view
from core.adapter import session
from core.engines.warehouse import WarehouseError
from core.formatting import counted, literal
from core.metrics import benchmarks
from core.state import SessionState

HERE = Path(__file__).parent


def page(file: str, title: str, icon: str, **kwargs) -> st.Page:
    return st.Page(HERE / "pages" / file, title=title, icon=icon, **kwargs)


PAGES = [
    page("home.py", "Home", ":material/home:", default=True),
    page("data.py", "Data", ":material/upload_file:", url_path="data"),
    page("metrics.py", "Metrics", ":material/monitoring:", url_path="metrics"),
    page("scorecard.py", "Scorecard", ":material/speed:", url_path="scorecard"),
    page("explore.py", "Explore", ":material/database_search:", url_path="explore"),
    page("snapshot.py", "Snapshot", ":material/photo_camera:", url_path="snapshot"),
]


def sidebar(state: SessionState) -> None:
    ws = state.workspace()
    with st.sidebar:
        if state.using_sample():
            st.caption("Showing the sample company")
            st.markdown(f"**{literal(state.profile().company_name or 'Sample company')}**")
        elif state.using_warehouse():
            st.caption("Showing the warehouse")
            st.markdown(f"**{literal(state.warehouse().config.label)}**")
            st.caption("Figures are computed in the warehouse; only totals come back to this app.")
        else:
            st.caption("Showing your data")
            st.markdown(f"**{counted(len(ws.files), 'file')} loaded**")
        if not state.using_warehouse():
            st.caption("Your uploads stay in this browser session only and are gone when you close the tab.")


def view_controls(state: SessionState) -> None:
    """The controls that define a view, in the entrypoint so they keep their values on every page, each bound
    to a URL parameter so the address (and the share link) restores the view."""
    choices = state.view_choices()
    registry = state.benchmark_registry()
    segments = benchmarks.segment_options(registry)
    valid = {
        view.METRICS_KEY: view.metric_options(),
        view.PERIOD_KEY: list(view.PERIODS),
        view.SET_KEY: [view.ALL_SETS, *benchmarks.reference_sets(registry)],
        **{view.filter_key(dim): choices["filters"].get(dim, []) for dim in view.SHOWN_FILTERS},
        **{view.SEGMENT_PREFIX + dimension: options for dimension, _, options in segments},
    }
    apply_link_once(state, valid)
    with st.sidebar:
        st.divider()
        st.markdown("**View**")
        st.multiselect(
            "Metrics",
            view.metric_options(),
            default=None if view.METRICS_KEY in st.session_state else list(view.DEFAULT_METRICS),
            format_func=view.metric_label,
            key=view.METRICS_KEY,
            bind="query-params",
            placeholder="Choose metrics",
        )
        period = st.selectbox(
            "Period", list(view.PERIODS), format_func=view.PERIODS.get, key=view.PERIOD_KEY, bind="query-params"
        )
        if period == "custom":
            start, end = st.columns(2)
            start.date_input("From", value=None, key=view.FROM_KEY, bind="query-params")
            end.date_input("To", value=choices["as_of"], key=view.TO_KEY, bind="query-params")
        filtered = sum(bool(st.session_state.get(view.filter_key(dim))) for dim in view.SHOWN_FILTERS)
        with st.expander(f"Filters ({filtered} on)" if filtered else "Filters"):
            for dim in view.SHOWN_FILTERS:
                if choices["filters"].get(dim):
                    st.multiselect(
                        view.filter_label(dim),
                        choices["filters"][dim],
                        key=view.filter_key(dim),
                        bind="query-params",
                        placeholder="All",
                    )
        with st.expander("Benchmark segment and set"):
            own = state.profile().segment
            for dimension, label, options in segments:
                default = getattr(own, dimension)
                st.selectbox(
                    label,
                    options,
                    index=options.index(default) if default in options else 0,
                    key=view.SEGMENT_PREFIX + dimension,
                    bind="query-params",
                )
            st.selectbox("Benchmark set", valid[view.SET_KEY], key=view.SET_KEY, bind="query-params")
        share_control(valid)


def apply_link_once(state: SessionState, valid: dict[str, list[str]]) -> None:
    """On a session's first run, keep the link's known values and say which were dropped (a link made on other
    data, or an old link, may name metrics or filter values that do not exist here)."""
    if "link_checked" in st.session_state:
        return
    st.session_state["link_checked"] = True
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    checked = view.check_link(params, valid, view.link_aliases())
    single = {view.PERIOD_KEY, view.SET_KEY, *(key for key in valid if key.startswith(view.SEGMENT_PREFIX))}
    for key, values in checked.values.items():
        st.session_state[key] = values[-1] if key in single else values
    if checked.dropped:
        st.session_state["link_notice"] = (
            "Parts of this link do not match what is loaded here, so defaults are used for them: "
            + "; ".join(checked.dropped)
            + "."
        )
    elif params and state.using_sample():
        st.session_state["link_notice"] = (
            "This link restores a view (metrics, period, filters, benchmarks), not data: you see it on the sample "
            "company. Upload your exports on the Data page and the same view shows your own figures."
        )


def share_control(valid: dict[str, list[str]]) -> None:
    with st.popover("Share this view", icon=":material/share:", width="stretch"):
        params = {key: st.session_state.get(key) for key in [*valid, view.FROM_KEY, view.TO_KEY]}
        defaults = {view.METRICS_KEY: list(view.DEFAULT_METRICS), view.PERIOD_KEY: "all", view.SET_KEY: view.ALL_SETS}
        defaults |= {key: "all" for key in valid if key.startswith(view.SEGMENT_PREFIX)}
        st.caption("Copy share link (the copy icon at the right of the link):")
        st.code(view.share_url(st.context.url, params, defaults), language=None, wrap_lines=True)
        st.caption(
            "The link carries the view only — page, metrics, period, filters and benchmarks — never your data. "
            "Whoever opens it sees their own data, or the sample company."
        )


def run() -> None:
    st.set_page_config(page_title="GTM Scorecard", page_icon=":material/speed:", layout="wide")
    navigation = st.navigation(PAGES)
    try:
        with session.one_run_at_a_time():
            state = session.state()
            sidebar(state)
            view_controls(state)
            if notice := st.session_state.pop("link_notice", None):
                st.info(notice, icon=":material/link:")
            navigation.run()
    except WarehouseError as error:  # the warehouse in use could not be reopened (a new connection of the session)
        st.error(literal(str(error)), icon=":material/error:")
    except Exception as error:  # st.stop and st.rerun are BaseExceptions and pass through
        incident = errors.report(error, f"showing the {navigation.title} page")
        st.error(incident.message, icon=":material/error:")


if __name__ == "__main__":
    run()
