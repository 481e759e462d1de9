"""The Streamlit adapter of a browser session — with core.adapter.ui, where core meets streamlit.

Each browser session gets its resources (core.resources: its DuckDB, spill folder, Explore sandbox) from a
session-scoped `st.cache_resource`, so they are released as soon as the session disconnects and no other viewer
can ever reach them (that includes its connection to a warehouse the deployment configures in its secrets, as
`st.connection` reads them); its state (core.state: data source, uploads, decisions, profile, view) lives in
`st.session_state`, which survives a websocket blip, so a fresh connection replays it. app.py runs each script run
inside `one_run_at_a_time()`; pages call `state()` and nothing else of this module.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from core.engines.warehouse import SECTION
from core.resources import SessionResources
from core.settings import Settings
from core.state import SessionState

# Streamlit collects garbage after every script run (its runner.postScriptGC), a full collection that walks every
# object of the server: 0.2 s a run once pandas, Altair and DuckDB are imported, three times on the way from an
# upload to the first chart. What exists once the app's modules are imported lasts as long as the process, so it is
# put out of the collector's sight here, once; each collection then walks only what runs made since, and still
# frees their cycles. No session holds data yet when this module is first imported. At exit it is given back, so
# the interpreter's last collection finalises it as before (DuckDB's bindings report leaks otherwise).
gc.freeze()
atexit.register(gc.unfreeze)


@st.cache_resource(scope="session", on_release=lambda resources: resources.release(), show_spinner=False)
def _resources() -> SessionResources:
    return SessionResources.open(Settings.from_env())


@contextmanager
def one_run_at_a_time() -> Iterator[None]:
    """Hold the session's resources for a whole script run. A widget changed during a run makes Streamlit start
    the next run at once (its runner.fastReruns) while the one it stops finishes its current step, which may be
    a query on the session's DuckDB: two threads on one connection. The next run waits for it instead."""
    with _resources().turn:
        yield


def state() -> SessionState:
    """This browser session's state over its resources (every page asks for it first)."""
    _hand_over_to_app()
    return SessionState(st.session_state, _resources(), _warehouse_settings())


def _warehouse_settings() -> Mapping | None:
    """The deployment's `[connections.warehouse]` section of its secrets (see core.engines.warehouse), or None."""
    try:
        section = st.secrets
        for name in SECTION.split("."):
            section = section.get(name)
            if section is None:
                return None
    except FileNotFoundError:  # no secrets.toml at all: no warehouse
        return None
    return section


def _hand_over_to_app() -> None:
    """Until a script of the server process has called `st.navigation`, Streamlit serves a URL that names a file
    of pages/ by running that file alone, under a navigation of file names (its multipage mode of old): the first
    visit after a restart that opens a page's link would lose our sidebar and navigation. Such a run hands over at
    once: the flag flipped as `st.navigation` flips it, and the rerun runs app.py on the same page."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
