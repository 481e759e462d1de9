"""One DuckDB per browser session — the only module in core that must import streamlit.

The connection lives in a session-scoped `st.cache_resource`, so it is closed (and its spill folder removed)
as soon as the browser session disconnects, and no other viewer can ever reach it. A session-scoped cache
is also dropped on a websocket blip, while `st.session_state` survives it: so everything needed to rebuild
the workspace — the uploaded bytes and the user's mapping decisions — is kept in `st.session_state`, and a
fresh connection replays it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import pandas as pd
import streamlit as st

from core import benchmarks, engine, explore
from core.catalogue import CATALOGUE
from core.engine import MetricResult, Period
from core.ingest import Workspace
from core.sample import sample_blobs, sample_profile
from core.schema import Profile
from core.settings import Settings

UPLOADS_KEY = "uploaded_blobs"  # {file name: bytes} of the user's own exports
DECISIONS_KEY = "workspace_decisions"  # the user's kinds, mappings and overrides (small, serialisable)
SOURCE_KEY = "data_source"  # "sample" or "uploads"


@dataclass
class _Holder:
    workspace: Workspace
    spill_dir: str
    restored: bool = False
    sandbox: duckdb.DuckDBPyConnection | None = None
    sandbox_version: int | None = None

    def release(self) -> None:
        if self.sandbox is not None:
            self.sandbox.close()
        self.workspace.con.close()
        shutil.rmtree(self.spill_dir, ignore_errors=True)


@st.cache_resource(scope="session", on_release=lambda holder: holder.release(), show_spinner=False)
def _holder() -> _Holder:
    settings = Settings.from_env()
    spill_dir = tempfile.mkdtemp(prefix="gtm-session-", dir=settings.temp_dir)
    con = duckdb.connect(":memory:", config=settings.duckdb_config(spill_dir))
    return _Holder(Workspace(con), spill_dir)


def using_sample() -> bool:
    return st.session_state.get(SOURCE_KEY, "sample") == "sample"


def workspace() -> Workspace:
    """This session's workspace, rebuilt from session state when the connection is new."""
    holder = _holder()
    if not holder.restored:
        _restore(holder.workspace)
        holder.restored = True
    return holder.workspace


def _restore(ws: Workspace) -> None:
    blobs = sample_blobs() if using_sample() else st.session_state.get(UPLOADS_KEY, {})
    ws.restore(blobs, st.session_state.get(DECISIONS_KEY, {}))


def remember(ws: Workspace) -> None:
    """Store what a reconnect would need to rebuild this workspace (call after every change)."""
    st.session_state[DECISIONS_KEY] = ws.decisions()


def switch_to_uploads(ws: Workspace) -> None:
    """Leave the sample company: the workspace is emptied so the user's own files stand alone."""
    if using_sample():
        for loaded in list(ws.files):
            ws.remove(loaded.file_id)
        st.session_state[SOURCE_KEY] = "uploads"
        st.session_state[UPLOADS_KEY] = {}
        st.session_state[PROFILE_KEY] = Profile()
        remember(ws)


def add_upload(ws: Workspace, name: str, data: bytes, mode: str = "auto") -> list:
    switch_to_uploads(ws)
    loaded = ws.add(name, data, mode=mode)
    st.session_state[UPLOADS_KEY][name] = data
    remember(ws)
    return loaded


def back_to_sample(ws: Workspace) -> None:
    for loaded in list(ws.files):
        ws.remove(loaded.file_id)
    st.session_state[SOURCE_KEY] = "sample"
    st.session_state[UPLOADS_KEY] = {}
    st.session_state[DECISIONS_KEY] = {}
    st.session_state.pop(PROFILE_KEY, None)
    ws.restore(sample_blobs(), {})
    remember(ws)


PROFILE_KEY = "company_profile"
RESULTS_KEY = "metric_results"


def profile() -> Profile:
    """The company profile of this session: the sample's own, or what the user typed in."""
    if PROFILE_KEY not in st.session_state:
        st.session_state[PROFILE_KEY] = sample_profile() if using_sample() else Profile()
    return st.session_state[PROFILE_KEY]


def set_profile(new: Profile) -> None:
    st.session_state[PROFILE_KEY] = new


def results(metric_ids: list[str], period: Period | None = None) -> dict[str, MetricResult]:
    """Metric results for this session, computed once per data version, profile and period.

    Changing only what is displayed (which metrics are picked, a chart option) computes nothing new:
    already computed metrics come from this per-session store.
    """
    ws = workspace()
    key = (ws.data_version, repr(profile()), repr(period))
    store = st.session_state.get(RESULTS_KEY)
    if store is None or store["key"] != key:
        store = {"key": key, "results": {}}
        st.session_state[RESULTS_KEY] = store
    todo = [metric_id for metric_id in metric_ids if metric_id not in store["results"]]
    if todo:
        store["results"].update(engine.compute(ws.con, todo, profile(), period))
    return {metric_id: store["results"][metric_id] for metric_id in metric_ids}


def sandbox() -> duckdb.DuckDBPyConnection:
    """The locked copy of this session's tables that the Explore page queries, rebuilt when data changes."""
    ws = workspace()
    holder = _holder()
    if holder.sandbox is None or holder.sandbox_version != ws.data_version:
        if holder.sandbox is not None:
            holder.sandbox.close()
        holder.sandbox = explore.sandbox(ws.con)
        holder.sandbox_version = ws.data_version
    return holder.sandbox


USER_BENCHMARKS_KEY = "user_benchmarks"


def benchmark_registry() -> pd.DataFrame:
    """Our registry of published benchmarks, plus the user's own benchmark file for this session."""
    user = st.session_state.get(USER_BENCHMARKS_KEY)
    return _registry() if user is None else benchmarks.add_user_set(_registry(), user)


def add_user_benchmarks(name: str, data: bytes) -> list:
    """Validate and keep a user's benchmark file for this session; returns the errors (empty when accepted)."""
    frame, errors = benchmarks.load_user_file(name, data, set(CATALOGUE))
    if frame is not None and not errors:
        st.session_state[USER_BENCHMARKS_KEY] = frame
    return errors


@lru_cache(maxsize=1)
def _registry() -> pd.DataFrame:
    return benchmarks.load_registry()
