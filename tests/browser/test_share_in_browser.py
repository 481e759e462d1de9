"""A shared view in a real browser: three metrics, a period and a benchmark segment chosen, the share link
copied and opened in a fresh browser context, and a link with a stale metric id."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core.metrics.catalogue import CATALOGUE

from .conftest import open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser

CHOSEN = ["nps", "close_ratio", "time_to_close"]


def sidebar(page: Page):
    return page.get_by_test_id("stSidebar")


def choose_metrics(page: Page, metric_ids: list[str]) -> None:
    metrics = sidebar(page).get_by_test_id("stMultiSelect").filter(has_text="Metrics")
    metrics.get_by_role("button", name="Clear all").click()
    wait_for_app(page)
    for metric_id in metric_ids:
        metrics.get_by_role("combobox").fill(CATALOGUE[metric_id].name)
        page.get_by_role("option").filter(has_text=CATALOGUE[metric_id].name).first.click()
        wait_for_app(page)
    page.keyboard.press("Escape")


def choose(page: Page, label: str, option: str) -> None:
    box = sidebar(page).get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(box).to_have_value(option)


def card_titles(page: Page) -> list[str]:
    headings = page.get_by_test_id("stMain").get_by_test_id("stHeading")
    names = {metric.name for metric in CATALOGUE.values()}
    return [text for text in headings.all_inner_texts() if text in names]


def test_a_share_link_restores_metrics_period_and_segment_in_a_new_browser(page: Page, app_url: str, browser):
    open_page(page, f"{app_url}/metrics")
    choose_metrics(page, CHOSEN)
    choose(page, "Period", "Last 12 months")
    sidebar(page).get_by_text("Benchmark segment and set").click()
    choose(page, "Go-to-market model", "inside sales")
    expect(page.get_by_test_id("stMain").get_by_text("Period: 2025-11-01 to 2026-10-31")).to_be_visible()
    assert card_titles(page) == [CATALOGUE[m].name for m in CHOSEN]

    for heading, path in (("Scorecard", "scorecard"), ("Metrics", "metrics")):  # the view survives page switches
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=heading).click()
        wait_for_app(page)
        expect(page).to_have_url(re.compile(rf"/{path}\?.*m=Net\+Promoter\+Score"))
    assert card_titles(page) == [CATALOGUE[m].name for m in CHOSEN]
    address_bar = page.url  # the browser writes labels, not ids: that address restores the view too

    sidebar(page).get_by_role("button", name="Share this view").click()
    link = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode").inner_text().strip()
    assert link.startswith(f"{app_url}/metrics?")
    screenshot(page, "share_link")

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = fresh.new_page()
        other.set_default_timeout(30_000)
        open_page(other, link)
        assert card_titles(other) == [CATALOGUE[m].name for m in CHOSEN]
        expect(other.get_by_test_id("stMain").get_by_text("Period: 2025-11-01 to 2026-10-31")).to_be_visible()
        sidebar(other).get_by_text("Benchmark segment and set").click()
        segment = sidebar(other).get_by_role("combobox", name="Go-to-market model")
        expect(segment).to_have_value("inside sales")
        expect(other.get_by_text("This link restores a view")).to_be_visible()  # on the sample company
        screenshot(other, "share_link_opened")
        open_page(other, address_bar)
        assert card_titles(other) == [CATALOGUE[m].name for m in CHOSEN]
        expect(other.get_by_text("Parts of this link do not match")).to_have_count(0)
    finally:
        fresh.close()


def test_a_link_with_an_unknown_metric_falls_back_with_a_notice(page: Page, app_url: str):
    open_page(page, f"{app_url}/metrics?m=no_such_metric&m=nps&period=fortnight")
    expect(page.get_by_text("Parts of this link do not match")).to_be_visible()
    expect(page.get_by_text("metric: “no_such_metric”")).to_be_visible()  # quoted as text, see core.view
    assert card_titles(page) == [CATALOGUE["nps"].name]
    expect(sidebar(page).get_by_role("combobox", name="Period")).to_have_value("All time")
    expect(page.get_by_test_id("stException")).to_have_count(0)
