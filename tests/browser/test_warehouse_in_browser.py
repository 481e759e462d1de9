"""A deployment with a warehouse, as a person meets it: a local PostgreSQL holding the sample company's exports
under warehouse names, a mapping file, and a server whose secrets name them. The Data page offers the warehouse
beside uploads; once chosen, the Metrics and Scorecard pages show the figures DuckDB gives on the same exports."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from core.formatting import format_value
from core.metrics import engine
from core.metrics.catalogue import CATALOGUE, SCORECARD_IDS
from core.sample import profile_from_file
from core.view import DEFAULT_METRICS
from tests.warehouse import SAMPLE, postgres_bin, sample_warehouse, secrets_section

from .conftest import open_page, screenshot, serve, wait_for_app
from .test_app_in_browser import expect_no_exception
from .test_exports_in_browser import card_values

pytestmark = pytest.mark.browser

PASSWORD = "browser-reader"


def secrets_toml(section: dict) -> str:
    """The section as .streamlit/secrets.toml holds it (a JSON string, number or list of strings is TOML too)."""
    return "[connections.warehouse]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in section.items())


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """The warehouse, and a server reading its secrets; yields the server's address and DuckDB's figures."""
    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed (scripts/run-tests.sh installs Debian's postgresql)")
    folder = tmp_path_factory.mktemp("deployment")
    with sample_warehouse(folder, PASSWORD) as (ws, conninfo, mapping):
        secrets = folder / "secrets.toml"
        secrets.write_text(secrets_toml(secrets_section(conninfo, mapping)))
        profile = profile_from_file(SAMPLE / "company_profile.json")
        ids = list(dict.fromkeys([*DEFAULT_METRICS, *SCORECARD_IDS]))
        expected = {
            metric_id: format_value(result.value, CATALOGUE[metric_id].unit, profile.currency)
            for metric_id, result in engine.compute(ws.con, ids, profile).items()
        }
        with serve(folder / "streamlit.log", "--secrets.files", str(secrets)) as server:
            yield server.url, expected


@pytest.fixture
def warehouse_page(browser, request) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    if getattr(request.node, "call_failed", False):
        screenshot(page, f"FAILED_{request.node.name}")
    context.close()


def go_to(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    wait_for_app(page)


def test_the_metrics_and_scorecard_pages_compute_on_the_warehouse(warehouse_page: Page, deployment):
    url, expected = deployment
    page = warehouse_page
    open_page(page, url)  # from the home page: a first visit to /data itself reruns once under the navigation
    go_to(page, "Data")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Brightline warehouse").first).to_be_visible()
    expect(main.get_by_role("button", name="Use the warehouse")).to_be_visible()
    expect(main.get_by_test_id("stDataFrame").first).to_be_visible()
    screenshot(page, "warehouse_data_offered")

    main.get_by_role("button", name="Use the warehouse").click()
    wait_for_app(page)
    expect(
        main.get_by_text("In use: the Metrics, Scorecard and Snapshot pages compute in the warehouse")
    ).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_text("Showing the warehouse")).to_be_visible()
    expect(main.get_by_text("Loaded files")).to_have_count(0)
    expect(main.get_by_text("In the warehouse nothing is converted")).to_be_visible()
    expect(main.get_by_text("Your exchange rates (optional)")).to_have_count(0)
    expect_no_exception(page)
    screenshot(page, "warehouse_data_in_use", height=2400)
    page.set_viewport_size({"width": 1400, "height": 1000})

    go_to(page, "Metrics")
    expect(page.get_by_test_id("stMetricValue")).to_have_count(len(DEFAULT_METRICS))
    shown = card_values(page)
    assert shown == {CATALOGUE[m].name: expected[m] for m in DEFAULT_METRICS}
    assert shown["Qualified leads"] == "12,271"  # the sample company's, as DuckDB counts them
    expect_no_exception(page)
    screenshot(page, "warehouse_metrics")

    go_to(page, "Scorecard")
    values = page.get_by_test_id("stMain").get_by_test_id("stMetricValue")
    expect(values).to_have_count(len(SCORECARD_IDS))
    assert [value.strip() for value in values.all_inner_texts()] == [expected[m] for m in SCORECARD_IDS]
    assert sum(expected[m] != "—" for m in SCORECARD_IDS) >= 6  # real figures, not a page of blanks
    expect_no_exception(page)
    screenshot(page, "warehouse_scorecard", height=2600)
