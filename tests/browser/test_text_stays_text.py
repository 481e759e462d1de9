"""Text from outside stays text in the browser: a link's parameters and a shared snapshot carrying Markdown and
HTML (an image that would call a server, a phishing link, raw HTML) are shown as typed, and the browser never
requests the image nor shows the link."""

from __future__ import annotations

import json
from urllib.parse import quote

import duckdb
import pytest
from playwright.sync_api import Page, expect

from core.ingest import load_paths
from core.metrics import engine, shapes
from core.share import snapshot

from .conftest import ROOT, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser

BEACON_HOST = "http://127.0.0.1:9/"  # nothing listens on port 9: a request to it is only recorded
BEACON = BEACON_HOST + "beacon.png"
PAYLOAD = f"![b]({BEACON}) [Session expired](https://evil.example/login) <img src='{BEACON}'>"


def requests_to_beacon(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if request.url.startswith(BEACON_HOST) else None)
    return seen


def assert_shown_as_text(page: Page, seen: list[str]) -> None:
    page.wait_for_timeout(1000)  # time for an image the page drew to be requested
    assert seen == []
    main = page.get_by_test_id("stMain")
    assert main.locator("img[src*='beacon']").count() == 0
    assert main.locator("a[href*='evil.example']").count() == 0
    expect(main.get_by_text("[Session expired]", exact=False).first).to_be_visible()


def test_a_link_carrying_markdown_is_named_as_text(page: Page, app_url: str):
    seen = requests_to_beacon(page)
    open_page(page, f"{app_url}/metrics?m={quote(PAYLOAD)}&f_source={quote(PAYLOAD)}")
    notice = page.get_by_test_id("stAlert").filter(has_text="Parts of this link do not match")
    expect(notice).to_be_visible(timeout=60_000)  # the first run after the server starts is slower
    assert "![b](http:" in notice.inner_text()  # the payload as typed, quoted and cut at 60 characters
    assert_shown_as_text(page, seen)
    screenshot(page, "text_link_payload")


@pytest.fixture(scope="module")
def hostile_snapshot() -> bytes:
    ws = load_paths(duckdb.connect(), sorted((ROOT / "sample_data").glob("*.csv")))
    ids = ["qualified_leads", "close_ratio"]
    made = snapshot.build(
        company=PAYLOAD,
        currency="USD",
        view={"period": PAYLOAD},
        metric_ids=ids,
        results=engine.compute(ws.con, ids),
        comparisons={},
        overview={"funnel": shapes.funnel(ws.con, engine.Period(), {})},
    )
    made["overview"]["funnel"]["title"] = PAYLOAD
    for entry in made["metrics"]:
        entry["display"] = f"![b]({BEACON})"  # a display is at most 100 characters (a longer one is refused)
        entry["name"] = PAYLOAD
    return json.dumps(made).encode()


def test_a_snapshot_carrying_markdown_shows_it_as_text(page: Page, app_url: str, hostile_snapshot: bytes):
    seen = requests_to_beacon(page)
    open_page(page, f"{app_url}/snapshot")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        [{"name": "shared.json", "mimeType": "application/json", "buffer": hostile_snapshot}]
    )
    wait_for_app(page)
    expect(page.get_by_test_id("stTab").first).to_be_visible(timeout=60_000)
    assert "[Session expired]" in page.get_by_test_id("stTab").first.inner_text()
    shown = page.get_by_test_id("stMetricValue").first.inner_text().replace("\u2060", "")  # an invisible joiner
    assert shown == f"![b]({BEACON})"
    assert_shown_as_text(page, seen)
    screenshot(page, "text_snapshot_payload")
