"""Shared fixtures. AppTest runs every app in one process with one fixed session id, so session-scoped
caches would leak from one test to the next: clear them around each test."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

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


@pytest.fixture
def real_exports() -> Path:
    if not REAL_EXPORTS.is_dir():
        pytest.skip(f"real exports not found at {REAL_EXPORTS} (they live in the project's shared folder)")
    return REAL_EXPORTS
