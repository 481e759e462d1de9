"""The app as a person meets it: a real server, Chromium, the sample company, and a real upload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser

PAGES = [
    ("", "GTM Scorecard"),
    ("data", "Data"),
    ("metrics", "Metrics"),
    ("scorecard", "Scorecard"),
    ("explore", "Explore"),
    ("snapshot", "Snapshot"),
]


NAVIGATION = ["Home", "Data", "Metrics", "Scorecard", "Explore", "Snapshot"]


def expect_our_navigation(page: Page) -> None:
    """The sidebar lists our pages once, by their titles: never Streamlit's file-based listing of pages/."""
    titles = [re.compile(f"{title}$") for title in NAVIGATION]  # each link's text is its icon's name, then its title
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link")).to_have_text(titles)


def expect_no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)


def test_first_visit_shows_the_sample_company_with_charts(page: Page, app_url: str):
    open_page(page, app_url)
    expect(page.get_by_text("Brightline Systems").first).to_be_visible()
    expect(page.get_by_text("fictional sample company")).to_be_visible()
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 2
    expect(page.get_by_role("link", name="Upload your own exports instead")).to_be_visible()
    expect_no_exception(page)
    screenshot(page, "home")


@pytest.mark.parametrize(("path", "heading"), PAGES[1:])
def test_every_page_renders_from_the_navigation(page: Page, app_url: str, path: str, heading: str):
    open_page(page, app_url)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=heading).click()
    wait_for_app(page)
    expect(page).to_have_url(f"{app_url}/{path}")
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    expect_no_exception(page)
    screenshot(page, path)


def test_uploading_a_csv_lists_it_with_its_kind(page: Page, app_url: str):
    open_page(page, f"{app_url}/data")
    csv = (
        "Lead ID,Created Date,Lead Source,Lead Status\n"
        "L-1,2025-01-05,Events,Qualified\n"
        "L-2,2025-01-09,Paid Search,Open\n"
        "L-3,2025-02-11,Events,Unqualified\n"
    )
    uploader = page.get_by_role("region", name="Upload exports")
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        [{"name": "my_leads.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    wait_for_app(page)
    loaded = page.get_by_test_id("stMain")
    expect(loaded.get_by_text("my_leads.csv").first).to_be_visible()
    expect(loaded.get_by_text("Leads", exact=False).first).to_be_visible()
    expect(loaded.get_by_text("3 rows loaded").first).to_be_visible()
    expect(loaded.get_by_text("my_leads.csv: Leads, 3 of 3 rows")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_text("Showing your data")).to_be_visible()
    expect(loaded.get_by_text("You are looking at the sample company")).to_have_count(0)
    expect_our_navigation(page)  # the upload reran the app (st.rerun) with the pages in pages/
    page.reload()
    wait_for_app(page)
    expect_our_navigation(page)
    expect_no_exception(page)
    screenshot(page, "data_after_upload")
