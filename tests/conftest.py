"""Shared fixtures. AppTest runs every app in one process with one fixed session id, so session-scoped
caches would leak from one test to the next: clear them around each test. AppTest also forgets before every
run that the app calls `st.navigation`, so each run would start as a first run after a server restart (served
from pages/ on its own, then handed over to app.py with a rerun that drops the widget clicks of that run): the
app's runs are tested as a server runs them after its first (tests/browser/test_navigation.py tests that one)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL_EXPORTS = SHARED / "real_exports"


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(autouse=True)
def _served_under_the_apps_navigation(monkeypatch):
    opened = PagesManager.__init__

    def after_navigation(self, *args, **kwargs):
        opened(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # as `st.navigation` leaves it for the rest of a server's life

    monkeypatch.setattr(PagesManager, "__init__", after_navigation)


@pytest.fixture
def real_exports() -> Path:
    if not REAL_EXPORTS.is_dir():
        pytest.skip(f"real exports not found at {REAL_EXPORTS} (they live in the project's shared folder)")
    return REAL_EXPORTS
