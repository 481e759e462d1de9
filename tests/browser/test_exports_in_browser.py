"""Exports as a person gets them: the HTML report downloaded from the Metrics page and opened offline in Chromium
with its charts drawn and the chosen metrics' names and values in it; a chart's PNG at the chart's own size; the
snapshot holding the same values; and the Explore page's quick chart."""

from __future__ import annotations

import json
import struct

import pytest
from playwright.sync_api import Page, expect

from core.metrics.catalogue import CATALOGUE
from core.view import DEFAULT_METRICS

from .conftest import open_page, screenshot

pytestmark = pytest.mark.browser


def download(page: Page, button, tmp_path):
    """Click a download button (a locator) and return the saved file's path."""
    with page.expect_download() as info:
        button.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def card_values(page: Page) -> dict[str, str]:
    """Metric name → the value its card shows."""
    values = {}
    heads = page.get_by_test_id("stMain").get_by_test_id("stHorizontalBlock")
    for head in heads.filter(has=page.get_by_test_id("stMetricValue")).all():
        name = head.get_by_test_id("stHeading").first.inner_text().strip()
        values[name] = head.get_by_test_id("stMetricValue").first.inner_text().strip()
    return values


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_html_report_opens_offline_with_every_chart_and_value(page: Page, app_url: str, browser, tmp_path):
    open_page(page, f"{app_url}/metrics")
    expect(page.get_by_test_id("stMetricValue")).to_have_count(len(DEFAULT_METRICS))
    shown = card_values(page)
    assert list(shown) == [CATALOGUE[m].name for m in DEFAULT_METRICS]
    page.get_by_role("button", name="Export and share").click()
    screenshot(page, "metrics_export")
    report = download(page, page.get_by_role("button", name="HTML report (opens offline)"), tmp_path)
    made = json.loads(download(page, page.get_by_role("button", name="Download snapshot"), tmp_path).read_text())
    assert {entry["name"]: entry["display"] for entry in made["metrics"]} == shown

    offline = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    try:
        reader = offline.new_page()
        reader.goto(report.as_uri())
        charts = reader.locator("div.chart")
        expect(charts.first.locator("svg, canvas").first).to_be_attached(timeout=30_000)
        count = charts.count()
        assert count >= 5 + len(shown)  # the overview charts and at least a trend per metric
        expect(reader.locator("div.chart:has(svg, canvas)")).to_have_count(count, timeout=30_000)
        text = reader.locator("body").inner_text()
        for name, value in shown.items():
            assert name in text and value in text, (name, value)
        assert "This chart could not be drawn" not in text
        screenshot(reader, "report_offline")
    finally:
        offline.close()


def test_a_chart_png_has_the_chart_size(page: Page, app_url: str, tmp_path):
    open_page(page, f"{app_url}/metrics")
    overview = page.get_by_test_id("stTabs").first
    png = download(page, overview.get_by_role("button", name="PNG", exact=True).first, tmp_path)
    svg = download(page, overview.get_by_role("button", name="SVG", exact=True).first, tmp_path).read_text()
    width, height = (float(svg.split(f'{side}="')[1].split('"')[0]) for side in ("width", "height"))
    assert png_size(png.read_bytes()) == (round(2 * width), round(2 * height))  # exported at twice its size
    assert width >= 300 and height >= 150


def test_explore_shows_a_quick_chart_of_the_result(page: Page, app_url: str):
    open_page(page, f"{app_url}/explore")
    page.get_by_role("tab", name="Quick chart").click()
    chart = page.get_by_test_id("stVegaLiteChart")
    expect(chart).to_have_count(1)
    expect(chart.locator("svg, canvas").first).to_be_visible()
    screenshot(page, "explore_quick_chart")
