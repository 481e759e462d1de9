"""Importing as a new user would: the sample company's ten exports and a real public export in one go, the
kinds and quality report on screen, and one column mapping fixed by hand in the editable table."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core.adapter import ui
from core.schema import TABLE_KINDS

from .conftest import ROOT, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser

SAMPLE_FILES = sorted((ROOT / "sample_data").glob("*.csv"))
REAL_EXPORT = ROOT.parent / "shared" / "real_exports" / "facebook_ads_campaign_kag" / "KAG_conversion_data.csv"
ROW_HEIGHT = 35  # st.data_editor's default row height in pixels


def file_panel(page: Page, name: str):
    return page.get_by_test_id("stExpander").filter(has_text=f"{name} —")


def open_panel(page: Page, name: str):
    panel = file_panel(page, name)
    if not panel.get_by_role("tab", name="Column mapping").is_visible():
        panel.get_by_text(f"{name} —").click()
        wait_for_app(page)
    return panel


def open_tab(page: Page, panel, name: str) -> None:
    """Choose a tab of a file panel: only the chosen tab is drawn, by the rerun the click starts."""
    panel.get_by_role("tab", name=name).click()
    wait_for_app(page)


def choose_in_grid(
    page: Page, grid, row: int, column_fraction: float, option: str, row_height: int = ROW_HEIGHT
) -> None:
    """Open a select cell of an st.data_editor (a canvas) by double-click, type the option and confirm."""
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the canvas lays out after it becomes visible
    box = grid.bounding_box()
    x = box["x"] + box["width"] * column_fraction
    y = box["y"] + ui.GRID_HEADER_HEIGHT + row_height * row + row_height / 2
    editor = page.locator("#portal .glide-select input")
    for _ in range(3):  # a double-click on a grid that has just been drawn is sometimes taken as a selection
        page.mouse.click(x, y)
        page.wait_for_timeout(300)
        page.mouse.dblclick(x, y)
        page.wait_for_timeout(500)
        if editor.count():
            break
    editor.focus()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    wait_for_app(page)


def test_upload_the_sample_exports_and_a_real_one_then_fix_a_mapping(page: Page, app_url: str):
    open_page(page, f"{app_url}/data")
    files = [str(path) for path in SAMPLE_FILES] + ([str(REAL_EXPORT)] if REAL_EXPORT.exists() else [])
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(files)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Loaded:", exact=True)).to_be_visible(timeout=180_000)
    wait_for_app(page)

    # every file recognised, with its rows accounted for
    summary = main.get_by_test_id("stAlertContentSuccess")
    for line in [
        "hubspot_contacts.csv: Leads, 40,007 of 40,007 rows",
        "salesforce_opportunities_report.csv: Opportunities (deals), 4,578 of 4,581 rows",
        "erp_invoice_lines.csv: Orders, 11,196 of 11,196 rows",
        "bamboohr_employees.csv: Headcount, 350 of 350 rows",
        "delighted_nps_responses.csv: NPS survey, 2,000 of 2,000 rows",
    ]:
        expect(summary.get_by_text(line)).to_be_visible()
    if REAL_EXPORT.exists():
        expect(summary.get_by_text("KAG_conversion_data.csv: Spend, 1,143 of 1,143 rows")).to_be_visible()
        # a second spend file: the page asks whether it replaces or joins the general-ledger extract
        expect(main.get_by_text("holds Spend, like")).to_be_visible()
        main.get_by_role("button", name="Append: one table with both").click()
        wait_for_app(page)
        expect(main.get_by_text("cannot append to gl_sales_marketing_extract.csv")).to_be_visible()
        main.get_by_role("button", name="Discard KAG_conversion_data.csv").click()
        wait_for_app(page)
        expect(file_panel(page, "KAG_conversion_data.csv")).to_have_count(0, timeout=30_000)  # tables rebuilt first
    expect(file_panel(page, "salesforce_opportunities_report.csv")).to_contain_text("4,578 rows loaded")
    screenshot(page, "data_import_sample_files", height=2600)

    # the quality report of the deals export says what was rejected and why
    deals = open_panel(page, "salesforce_opportunities_report.csv")
    open_tab(page, deals, "Quality report")
    expect(deals.get_by_text("4,581 rows read · 4,578 loaded · 3 rejected")).to_be_visible()
    expect(deals.get_by_role("button", name="Download rejected rows with reasons")).to_be_visible()

    # a stage value re-classed by hand in the value map: "Needs Analysis" (77 deals, third by count) means lost
    open_tab(page, deals, "Value meanings")
    choose_in_grid(page, deals.get_by_test_id("stDataFrame").filter(visible=True).first, 2, 0.85, "lost")
    deals = open_panel(page, "salesforce_opportunities_report.csv")
    open_tab(page, deals, "Quality report")
    expect(deals.get_by_text("lost: 'Closed Lost', 'Needs Analysis'; won: 'Closed Won'")).to_be_visible(timeout=30_000)

    # fix one mapping by hand: the lead status comes from "Lifecycle Stage", not "Lead Status"
    leads = open_panel(page, "hubspot_contacts.csv")
    open_tab(page, leads, "Quality report")
    expect(leads.get_by_text("Unqualified").first).to_be_visible()  # the status values read from Lead Status
    open_tab(page, leads, "Column mapping")
    status_row = TABLE_KINDS["leads"].field_names.index("status")
    mapping_grid = leads.get_by_test_id("stDataFrame").filter(visible=True).first
    choose_in_grid(page, mapping_grid, status_row, 0.3, "Lifecycle Stage", ui.WRAPPING_ROW_HEIGHT)
    leads = open_panel(page, "hubspot_contacts.csv")
    open_tab(page, leads, "Quality report")
    # now read from Lifecycle Stage (the table is rebuilt first: wait for it)
    expect(leads.get_by_text("marketingqualifiedlead").first).to_be_visible(timeout=30_000)
    expect(leads.get_by_text("Unqualified")).to_have_count(0)
    open_tab(page, leads, "Column mapping")
    screenshot(page, "data_mapping_fixed_by_hand", height=2600)


BUDGET = (
    "Year,Month,Total Investment,TV,Digital,Sponsorship\n"
    "2023,7,300,100,150,50\n2023,8,260,90,120,50\n2023,9,210,80,130,\n"
)
MQLS = "mql_id,first_contact_date,origin\n" + "".join(
    f"m{i:03d}x9,2024-0{1 + i % 6}-1{i % 9},{('organic_search', 'paid_search', 'email')[i % 3]}\n" for i in range(9)
)
WON = "mql_id,won_date,business_segment\n" + "".join(
    f"m{i:03d}x9,2024-0{2 + i % 6}-2{i % 9},pet\n" for i in range(0, 9, 2)
)


def test_reasons_and_reshapes_are_shown_and_can_be_undone(page: Page, app_url: str, tmp_path):
    """A monthly budget with a column per channel, MQLs and a list of their won deals, dropped together: each
    file says what it was taken as and why, and each reshape is a sentence with a box that undoes it."""
    files = {"media_budget.csv": BUDGET, "marketing_qualified_leads.csv": MQLS, "closed_deals.csv": WON}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    open_page(page, f"{app_url}/data")
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files([str(tmp_path / n) for n in files])
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Loaded:", exact=True)).to_be_visible(timeout=120_000)
    wait_for_app(page)
    summary = main.get_by_test_id("stAlertContentSuccess")
    expect(
        summary.get_by_text("media_budget.csv: Spend, 8 of 8 rows")
    ).to_be_visible()  # 3 months x 3 channels - 1 blank
    expect(summary.get_by_text("closed_deals.csv: Opportunities (deals), 5 of 5 rows")).to_be_visible()

    deals = open_panel(page, "closed_deals.csv")
    expect(deals.get_by_text("Recognised as Opportunities (deals) with")).to_be_visible()
    expect(deals.get_by_text("Every row's Outcome (won, lost, open) is taken as 'won'.")).to_be_visible()
    # the lead id, by its link to the MQLs: a cell of the mapping grid (drawn on a canvas, present for screen readers)
    expect(deals.get_by_text(re.compile(r"named 'mql_id'; 100% of its values"))).to_be_attached()

    budget = open_panel(page, "media_budget.csv")
    reshaped = budget.get_by_test_id("stCheckbox").filter(has_text="channel columns")
    expect(reshaped).to_be_visible()
    screenshot(page, "data_reasons_and_reshapes", height=3000)
    reshaped.click()
    wait_for_app(page)
    expect(file_panel(page, "media_budget.csv")).to_contain_text("0 rows loaded", timeout=30_000)
