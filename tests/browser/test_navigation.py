"""The pages live in pages/, which Streamlit also reads as a multipage app of file names until a script of the
server process calls `st.navigation`. A fresh server whose first visit opens a page's link (a shared link after a
restart) must still show our navigation and sidebar — and keep them over a rerun and a reload."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import screenshot, serve, wait_for_app
from .test_app_in_browser import expect_our_navigation


def test_a_fresh_server_opened_at_a_page_link_shows_our_navigation(browser, tmp_path):
    with serve(tmp_path / "streamlit.log") as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page: Page = context.new_page()
        page.goto(f"{server.url}/metrics")
        wait_for_app(page)
        expect_our_navigation(page)
        expect(page.get_by_role("heading", name="Metrics", exact=True, level=1)).to_be_visible(timeout=120_000)
        expect(page.get_by_test_id("stSidebar").get_by_text("Showing the sample company")).to_be_visible()
        page.reload()
        wait_for_app(page)
        expect_our_navigation(page)
        screenshot(page, "navigation_fresh_server_metrics_link")
        context.close()
