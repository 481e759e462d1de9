"""One DuckDB per browser session — the only module in core that must import streamlit.

The connection lives in a session-scoped `st.cache_resource`, so it is closed (and its spill folder removed)
as soon as the browser session disconnects, and no other viewer can ever reach it. A session-scoped cache
is also dropped on a websocket blip, while `st.session_state` survives it: so everything needed to rebuild
the workspace — the uploaded bytes and the user's mapping decisions — is kept in `st.session_state`, and a
fresh connection replays it.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import gc
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import altair as alt
import duckdb
import pandas as pd
import streamlit as st

from core import benchmarks, engine, explore, fx, shapes, snapshot, view
from core.catalogue import CATALOGUE
from core.engine import MetricResult, Period
from core.ingest import Workspace, append_problem
from core.reading import ReadError, ReadOptions
from core.sample import load_sample, sample_blobs, sample_profile
from core.schema import Profile, Segment
from core.settings import Settings
from core.typing import ParseOptions

UPLOADS_KEY = "uploaded_blobs"  # {file name: bytes} of the user's own exports
DECISIONS_KEY = "workspace_decisions"  # the user's kinds, mappings and overrides (small, serialisable)
CORRECTIONS_KEY = "saved_mappings"  # decisions by header signature, for the next upload of the same export
SOURCE_KEY = "data_source"  # "sample" or "uploads"
REMOVED_KEY = "removed_sources"  # names of files the person removed (a sheet or zip member of a kept upload)
SAME_KIND_KEY = "same_kind_pending"  # {new file id: id of the file already holding its kind}
# Reading an export is CPU-bound: twenty sessions reading at once on two cores all finish late and together
# hold the most memory. A shared turnstile (a counter, no user data) lets a few read at a time.
_READING_TURNS = threading.BoundedSemaphore(Settings.from_env().uploads_at_once)


# Spill folders of ended sessions (paths only, no data) with when they ended. A script of the session may still be
# running when it ends and may write into its folder again (DuckDB recreates a missing temp directory when it
# spills), so released folders are swept again a little later and whenever a session starts.
SPILL_PREFIX = "gtm-session-"
_RELEASED_FOLDERS: dict[str, float] = {}
_RELEASED_LOCK = threading.Lock()
SWEEP_AGAIN_AFTER = (5.0, 30.0, 120.0)  # seconds after a session ends
FORGET_RELEASED_AFTER = 600.0  # a folder still absent this long after its session ended is forgotten


def _sweep_released_folders() -> None:
    now = time.monotonic()
    with _RELEASED_LOCK:
        for folder, ended in list(_RELEASED_FOLDERS.items()):
            shutil.rmtree(folder, ignore_errors=True)
            if now - ended > FORGET_RELEASED_AFTER and not os.path.exists(folder):
                del _RELEASED_FOLDERS[folder]


def _spill_folder(parent: str) -> str:
    """A new folder for one session's spill files, named after this server process so that a later server can
    tell which folders a killed one left behind."""
    _sweep_orphaned_folders(parent)
    return tempfile.mkdtemp(prefix=f"{SPILL_PREFIX}{os.getpid()}-", dir=parent)


@lru_cache(maxsize=8)
def _sweep_orphaned_folders(parent: str) -> None:
    """Once per server process and folder: remove session folders whose server process no longer runs."""
    for folder in Path(parent).glob(f"{SPILL_PREFIX}*-*"):
        pid = folder.name.removeprefix(SPILL_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _release_folder(folder: str) -> None:
    with _RELEASED_LOCK:
        _RELEASED_FOLDERS[folder] = time.monotonic()
    _sweep_released_folders()
    for delay in SWEEP_AGAIN_AFTER:
        timer = threading.Timer(delay, _sweep_released_folders)
        timer.daemon = True
        timer.start()


@dataclass
class _Holder:
    workspace: Workspace
    spill_dir: str
    restored: bool = False
    sandbox: explore.Sandbox | None = None
    sandbox_version: int | None = None

    def release(self) -> None:
        if self.sandbox is not None:
            self.sandbox.close()
        self.workspace.con.close()
        _release_folder(self.spill_dir)
        _return_memory()


def _return_memory() -> None:
    """Free the closed session's objects now and hand glibc's freed pages back to the system, so a hosted
    server's memory falls back when sessions end instead of staying at its high-water mark."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@st.cache_resource(scope="session", on_release=lambda holder: holder.release(), show_spinner=False)
def _holder() -> _Holder:
    _sweep_released_folders()
    settings = Settings.from_env()
    spill_dir = _spill_folder(settings.temp_dir)
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
    ws.reporting_currency, ws.user_rates = profile().currency, user_rates()  # before any table is built
    _restore_files(ws)
    ws.set_currency(profile().currency, user_rates())  # the sample is copied as built: in USD at bundled rates


def _restore_files(ws: Workspace) -> None:
    if using_sample() and not st.session_state.get(DECISIONS_KEY) and not st.session_state.get(REMOVED_KEY):
        load_sample(ws)  # a new visitor: the sample company as loaded once for the server
        return
    blobs = sample_blobs() if using_sample() else st.session_state.get(UPLOADS_KEY, {})
    ws.saved_mappings = copy.deepcopy(st.session_state.get(CORRECTIONS_KEY, {}))
    ws.restore(blobs, st.session_state.get(DECISIONS_KEY, {}))
    removed = st.session_state.get(REMOVED_KEY, set())
    for loaded in [f for f in ws.files if f.name in removed]:
        ws.remove(loaded.file_id)


def remember(ws: Workspace) -> None:
    """Store what a reconnect would need to rebuild this workspace (call after every change)."""
    st.session_state[DECISIONS_KEY] = ws.decisions()
    st.session_state[CORRECTIONS_KEY] = copy.deepcopy(ws.saved_mappings)


def switch_to_uploads(ws: Workspace) -> None:
    """Leave the sample company: the workspace is emptied so the user's own files stand alone."""
    if using_sample():
        for loaded in list(ws.files):
            ws.remove(loaded.file_id)
        st.session_state[SOURCE_KEY] = "uploads"
        st.session_state[UPLOADS_KEY] = {}
        st.session_state[REMOVED_KEY] = set()
        st.session_state[PROFILE_KEY] = Profile()
        ws.set_currency(profile().currency)
        remember(ws)


def add_upload(ws: Workspace, name: str, data: bytes) -> list:
    """Load an upload; a file of the same name replaces the earlier one. A file of a kind another file
    already holds is loaded beside it and listed in `same_kind()` until the person decides.
    Raises ReadError when the session's caps on files or tables would be exceeded."""
    limits = Settings.from_env()
    held = st.session_state.get(UPLOADS_KEY, {}) if not using_sample() else {}
    if name not in held and len(held) >= limits.max_files:
        raise ReadError(f"{name}: this session already holds {len(held)} files, the most it can. Remove one first.")
    switch_to_uploads(ws)
    before = list(ws.files)
    with _READING_TURNS:
        loaded = ws.add(name, data, mode="auto")
    if (tables := len(ws.files)) > limits.max_tables:
        _undo_upload(ws, name, loaded)
        raise ReadError(
            f"{name}: it would bring this session to {tables} tables, over the limit of "
            f"{limits.max_tables}. Remove some files, or upload fewer sheets or zip members."
        )
    kept = {f.file_id for f in ws.files}
    st.session_state[UPLOADS_KEY][name] = data
    removed = st.session_state.setdefault(REMOVED_KEY, set())
    pending = st.session_state.setdefault(SAME_KIND_KEY, {})
    for new in loaded:
        removed.discard(new.name)
        existing = next((f for f in before if f.file_id in kept and f.kind and f.kind == new.kind), None)
        if existing is not None:
            pending[new.file_id] = existing.file_id
    remember(ws)
    return loaded


def _undo_upload(ws: Workspace, name: str, loaded: list) -> None:
    """Take back an upload over the caps; an earlier upload of the same name comes back as it was."""
    for new in loaded:
        ws.remove(new.file_id)
    earlier = st.session_state.get(UPLOADS_KEY, {}).get(name)
    if earlier is not None:
        ws.add(name, earlier, mode="auto")


def same_kind(ws: Workspace) -> list[tuple]:
    """(new file, file already holding that kind) pairs still waiting for replace-or-append."""
    pending = st.session_state.get(SAME_KIND_KEY, {})
    ids = {f.file_id: f for f in ws.files}
    pairs = [(ids[new], ids[old]) for new, old in pending.items() if new in ids and old in ids]
    st.session_state[SAME_KIND_KEY] = {new.file_id: old.file_id for new, old in pairs if new.kind == old.kind}
    return [(new, old) for new, old in pairs if new.kind == old.kind]


def settle_same_kind(ws: Workspace, new_id: str, choice: str) -> str | None:
    """Apply the person's choice for a file of an already loaded kind: "replace" removes the earlier file,
    "append" keeps both in one table after checking they map the same fields, "cancel" removes the new one.
    Returns why the choice could not be applied, or None."""
    pending = st.session_state.get(SAME_KIND_KEY, {})
    new, old = ws.file(new_id), ws.file(pending[new_id])
    if choice == "append" and (problem := append_problem(old, new)):
        return f"{new.name}: {problem}"
    pending.pop(new_id)
    if choice == "replace":
        remove_file(ws, old.file_id)
    elif choice == "cancel":
        remove_file(ws, new.file_id)
    return None


def change_reading(ws: Workspace, file_id: str, read: ReadOptions, parse: ParseOptions) -> str | None:
    """Re-read a file with the person's encoding/delimiter/header choice and re-type it with their date order,
    decimal mark and empty-value words. Returns why the file could not be read that way, or None."""
    loaded = ws.file(file_id)
    try:
        if read != loaded.read_options:
            ws.reread(file_id, read)
        if parse != loaded.parse:
            ws.set_parse_options(file_id, parse)
    except ReadError as error:
        return str(error)
    remember(ws)
    return None


def change_reshape(ws: Workspace, file_id: str, option: dict, on: bool) -> str | None:
    """Undo or redo one thing the import reshaped or made up for a file (see `Workspace.reshape_options`): the
    table's reshape, the made-up id or a constant. Returns why it could not be done, or None."""
    try:
        if option["key"] == "table":
            ws.set_reshape(file_id, on)
        elif option["key"] == "surrogate":
            ws.set_surrogate(file_id, option["field"] if on else None)
        else:
            ws.set_constant(file_id, option["field"], option["value"] if on else None)
    except (ReadError, ValueError) as error:
        return str(error)
    remember(ws)
    return None


def remove_file(ws: Workspace, file_id: str) -> None:
    """Remove a file and its rows; it stays removed after a reconnect (its upload is forgotten once no
    other table of the same upload — another sheet, another zip member — is still loaded)."""
    name = ws.file(file_id).name
    ws.remove(file_id)
    uploads = st.session_state.get(UPLOADS_KEY, {})
    upload = next((u for u in uploads if name == u or name.startswith(u + " › ")), None)
    still_used = any(f.name == upload or f.name.startswith(f"{upload} › ") for f in ws.files)
    if upload is not None and not using_sample() and not still_used:
        del uploads[upload]
    else:
        st.session_state.setdefault(REMOVED_KEY, set()).add(name)
    remember(ws)


def back_to_sample(ws: Workspace) -> None:
    for loaded in list(ws.files):
        ws.remove(loaded.file_id)
    st.session_state[SOURCE_KEY] = "sample"
    st.session_state[UPLOADS_KEY] = {}
    st.session_state[DECISIONS_KEY] = {}
    st.session_state[REMOVED_KEY] = set()
    st.session_state[SAME_KIND_KEY] = {}
    st.session_state.pop(PROFILE_KEY, None)
    ws.set_currency(profile().currency)  # the workspace is empty here: nothing is built twice
    ws.restore(sample_blobs(), {})
    remember(ws)


PROFILE_KEY = "company_profile"
RESULTS_KEY = "metric_results"
CHARTS_KEY = "chart_specs"
CHOICES_KEY = "view_choices"
SHAPES_KEY = "overview_shapes"


def profile() -> Profile:
    """The company profile of this session: the sample's own, or what the user typed in."""
    if PROFILE_KEY not in st.session_state:
        st.session_state[PROFILE_KEY] = sample_profile() if using_sample() else Profile()
    return st.session_state[PROFILE_KEY]


def set_profile(new: Profile) -> None:
    """Keep the profile; a new currency converts the money of the loaded tables into it."""
    st.session_state[PROFILE_KEY] = new
    workspace().set_currency(new.currency)


RATES_KEY = "user_rates"  # (file name, bytes) of the person's own exchange rates
RATES_CLEARED = "user_rates_cleared"  # how often they were put aside: a new uploader forgets the file


def rates_uploader_key() -> str:
    return f"rates_upload_{st.session_state.get(RATES_CLEARED, 0)}"


def user_rates() -> fx.Rates:
    kept = st.session_state.get(RATES_KEY)
    return fx.read_rates(*kept) if kept else fx.Rates()


def user_rates_name() -> str | None:
    kept = st.session_state.get(RATES_KEY)
    return kept[0] if kept else None


def set_user_rates(name: str | None, data: bytes = b"") -> str | None:
    """Use a person's rates file over the bundled rates (None: stop using it). Returns why the file cannot be
    used (naming its row and column), or None."""
    try:
        rates = fx.read_rates(name, data) if name else fx.Rates()
    except fx.RatesError as error:
        return str(error)
    if name:
        st.session_state[RATES_KEY] = (name, data)
    else:
        st.session_state.pop(RATES_KEY, None)
        st.session_state[RATES_CLEARED] = st.session_state.get(RATES_CLEARED, 0) + 1
    workspace().set_currency(user_rates=rates)
    return None


def currency_report() -> pd.DataFrame:
    """How the loaded money was converted into the profile's currency (see core.fx)."""
    return fx.read_report(workspace().con)


def results(
    metric_ids: list[str], period: Period | None = None, filters: dict[str, tuple[str, ...]] | None = None
) -> dict[str, MetricResult]:
    """Metric results for this session, computed once per data version, profile, period and filters.

    Changing only what is displayed (which metrics are picked, a chart option) computes nothing new:
    already computed metrics come from this per-session store.
    """
    ws = workspace()
    filters = {dim: tuple(values) for dim, values in (filters or {}).items() if values}
    key = (ws.data_version, repr(profile()), repr(period), repr(sorted(filters.items())))
    store = _kept(RESULTS_KEY, key)
    todo = [metric_id for metric_id in metric_ids if metric_id not in store]
    if todo:
        store.update(engine.compute(ws.con, todo, profile(), period, filters))
    return {metric_id: store[metric_id] for metric_id in metric_ids}


def _kept(name: str, key) -> dict:
    """A per-session dict under `name` that lasts while `key` (what its contents depend on) is unchanged and
    starts empty when it changes: how results, charts and choices are computed once per view."""
    store = st.session_state.get(name)
    if store is None or store["key"] != key:
        store = {"key": key, "items": {}}
        st.session_state[name] = store
    return store["items"]


def view_choices() -> dict:
    """Per data version: the latest date in the data and each filter's values (what the sidebar offers)."""
    ws = workspace()
    store = _kept(CHOICES_KEY, ws.data_version)
    if not store:
        store.update(as_of=engine.as_of_date(ws.con), filters=engine.filter_options(ws.con))
    return store


def view_period() -> Period:
    state = st.session_state
    choice = state.get(view.PERIOD_KEY) or "all"
    return view.period_for(choice, view_choices()["as_of"], state.get(view.FROM_KEY), state.get(view.TO_KEY))


def view_filters() -> dict[str, tuple[str, ...]]:
    return {dim: tuple(values) for dim in view.SHOWN_FILTERS if (values := st.session_state.get(view.filter_key(dim)))}


def view_segment() -> Segment:
    """The benchmark segment chosen in the sidebar; the profile's own until the person chooses."""
    own = profile().segment
    return Segment(
        **{
            name: st.session_state.get(view.SEGMENT_PREFIX + name) or getattr(own, name)
            for name in Segment.__dataclass_fields__
        }
    )


def view_set() -> str | None:
    chosen = st.session_state.get(view.SET_KEY)
    return None if chosen in (None, view.ALL_SETS) else chosen


def view_metrics() -> list[str]:
    return list(st.session_state.get(view.METRICS_KEY, view.DEFAULT_METRICS))


def view_results(metric_ids: list[str]) -> dict[str, MetricResult]:
    """Results for the sidebar's period and filters."""
    return results(metric_ids, view_period(), view_filters())


def view_shapes() -> dict:
    """The overview charts' aggregates for the sidebar's period and filters, computed once per view."""
    ws = workspace()
    period, filters = view_period(), view_filters()
    key = (ws.data_version, repr(period), repr(sorted(filters.items())))
    store = _kept(SHAPES_KEY, key)
    if not store:
        store.update(shapes.all_shapes(ws.con, period, filters))
    return store


def view_comparison(metric_id: str, value: float | None) -> benchmarks.Comparison | None:
    """The metric against the sidebar's benchmark segment and set; None where the registry has no figure.
    Kept per session until the segment, set, currency or the user's benchmark file change."""
    key = (repr(view_segment()), view_set(), profile().currency, st.session_state.get(USER_BENCHMARKS_VERSION, 0))
    store = _kept(COMPARISONS_KEY, key)
    if (metric_id, value) not in store:
        metric = CATALOGUE[metric_id]
        selection = benchmarks.select(benchmark_registry(), metric_id, view_segment(), view_set())
        found = None if selection.rows.empty else benchmarks.compare(value, metric, selection, profile().currency)
        store[(metric_id, value)] = found
    return store[(metric_id, value)]


def view_description() -> dict[str, str]:
    """The view in words, as a snapshot or report states it."""
    filters = view_filters()
    return {
        "Data": "the sample company" if using_sample() else f"{len(workspace().files)} uploaded file(s)",
        "Period": view.describe_period(view_period()),
        "Filters": "; ".join(f"{view.filter_label(d)} = {', '.join(v)}" for d, v in filters.items()) or "none",
        "Benchmark segment": benchmarks.describe_segment(view_segment()),
        "Benchmark set": view_set() or view.ALL_SETS,
    }


def chart_spec(name: str, make: Callable[[], alt.TopLevelMixin]) -> dict:
    """The Vega-Lite spec of a chart of the current view, built once per view: a rerun that only changes which
    metrics are shown draws the others from this per-session store instead of building them again."""
    key = (workspace().data_version, repr(profile()), repr(view_period()), repr(sorted(view_filters().items())))
    store = _kept(CHARTS_KEY, key)
    if name not in store:
        store[name] = make().to_dict()
    return store[name]


def view_snapshot(metric_ids: list[str]) -> dict:
    """The current view's aggregates (no rows) as a snapshot; see core.snapshot."""
    found = view_results(metric_ids)
    return snapshot.build(
        company=profile().company_name or "",
        currency=profile().currency,
        view=view_description(),
        metric_ids=metric_ids,
        results=found,
        comparisons={i: view_comparison(i, found[i].value) for i in metric_ids},
        overview=view_shapes(),
    )


def sandbox() -> explore.Sandbox:
    """The locked copy of this session's tables that the Explore page queries, rebuilt when data changes; it
    lives in the session's spill folder, so it goes with the session."""
    ws = workspace()
    holder = _holder()
    if holder.sandbox is None or holder.sandbox_version != ws.data_version:
        if holder.sandbox is not None:
            holder.sandbox.close()
        holder.sandbox = explore.sandbox(ws.con, holder.spill_dir)
        holder.sandbox_version = ws.data_version
    return holder.sandbox


USER_BENCHMARKS_KEY = "user_benchmarks"
USER_BENCHMARKS_VERSION = "user_benchmarks_version"  # counts the user's benchmark files, for cached comparisons
COMPARISONS_KEY = "benchmark_comparisons"


def benchmark_registry() -> pd.DataFrame:
    """Our registry of published benchmarks, plus the user's own benchmark file for this session."""
    user = st.session_state.get(USER_BENCHMARKS_KEY)
    return _registry() if user is None else benchmarks.add_user_set(_registry(), user)


def add_user_benchmarks(name: str, data: bytes) -> list:
    """Validate and keep a user's benchmark file for this session; returns the errors (empty when accepted)."""
    frame, errors = benchmarks.load_user_file(name, data, set(CATALOGUE))
    if frame is not None and not errors:
        st.session_state[USER_BENCHMARKS_KEY] = frame
        st.session_state[USER_BENCHMARKS_VERSION] = st.session_state.get(USER_BENCHMARKS_VERSION, 0) + 1
    return errors


@lru_cache(maxsize=1)
def _registry() -> pd.DataFrame:
    return benchmarks.load_registry()
