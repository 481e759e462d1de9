"""A sample of the hostile-input corpus, uploaded the way a person would: each file is loaded or gets a clear
message naming it, the same outcome the engine gives without a browser, and the page never shows a traceback.
Names full of Markdown stay literal text."""

from __future__ import annotations

import duckdb
import pytest
from playwright.sync_api import Page, expect

from core.imports.reading import ReadError
from core.ingest import Workspace
from tests.corpus import HOSTILE_NAME, build

from .conftest import open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser

SAMPLE = [
    "empty.csv",
    "binary_junk.csv",
    "png_named.csv",
    "excel_zip_bomb.xlsx",
    "zip_in_zip.zip",
    "zip_with_bad_member.zip",
    "very_long_line.csv",
    "utf16_no_bom.csv",
    "unclosed_quote.csv",
    HOSTILE_NAME,
]
MARKDOWN_NAME = "**bold** [link](https://example.com) :red[red] <b>tag</b>.csv"
BARE_LINKS_NAME = "www.example.com me@example.com.csv"


def engine_outcome(name: str, data: bytes) -> tuple[str, str]:
    """("loaded", first success line) or ("refused", the reader's message), from the engine alone."""
    ws = Workspace(duckdb.connect())
    try:
        loaded = ws.add(name, data)
    except ReadError as error:
        return "refused", str(error)
    return "loaded", f"{loaded[0].name}: "


def upload(page: Page, name: str, data: bytes) -> None:
    dropzone = page.get_by_role("region", name="Upload exports").get_by_test_id("stFileUploaderDropzoneInput")
    dropzone.set_input_files([{"name": name, "mimeType": "text/csv", "buffer": data}])
    wait_for_app(page)


@pytest.mark.parametrize("corpus_name", SAMPLE)
def test_each_hostile_file_is_loaded_or_refused_with_its_name(page: Page, app_url: str, corpus_name: str):
    # the browser keeps only the last part of a path-like name and sends a double quote as %22
    name = corpus_name.rsplit("/", 1)[-1]
    data = build(corpus_name)
    outcome, text = engine_outcome(name.replace('"', "%22"), data)
    open_page(page, f"{app_url}/data")
    upload(page, name, data)
    main = page.get_by_test_id("stMain")
    if outcome == "loaded":
        expect(main.get_by_test_id("stAlertContentSuccess")).to_contain_text(text, timeout=60_000)
    else:
        expect(main.get_by_test_id("stAlertContentError").first).to_contain_text(text, timeout=60_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Something went wrong")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    screenshot(page, f"hostile_{SAMPLE.index(corpus_name):02d}")


@pytest.mark.parametrize("name", [MARKDOWN_NAME, BARE_LINKS_NAME])
def test_a_name_full_of_markdown_is_shown_as_typed(page: Page, app_url: str, name: str):
    open_page(page, f"{app_url}/data")
    upload(page, name, b"Lead ID,Lead Source\nL-1,Events\nL-2,Web\n")
    main = page.get_by_test_id("stMain")
    # an invisible word joiner keeps bare URLs and addresses from being auto-linked
    shown = name.replace("://", ":\u2060//").replace("www.", "www\u2060.").replace("@", "@\u2060")
    expect(main.get_by_test_id("stAlertContentSuccess")).to_contain_text(f"{shown}: Leads, 2 of 2 rows")
    expect(main.locator("a[href*='example.com']")).to_have_count(0)
    expect(main.locator("strong", has_text="bold")).to_have_count(0)
    expect(main.locator("b", has_text="tag")).to_have_count(0)
    wait_for_app(page)
    screenshot(page, f"hostile_markdown_name_{[MARKDOWN_NAME, BARE_LINKS_NAME].index(name)}")
