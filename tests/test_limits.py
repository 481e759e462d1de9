"""A session's caps on files and tables: one more upload is refused with a message and nothing already loaded
is lost."""

from __future__ import annotations

import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

LEADS = b"Lead ID,Lead Source\nL-1,Events\nL-2,Web\n"
DEALS = b"Opportunity ID,Stage,Amount\nO-1,Closed Won,100\n"


def workbook(sheets: int) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for number in range(sheets):
        book.create_sheet(f"Leads {number}").append(["Lead ID", "Lead Source"])
        book[f"Leads {number}"].append([f"L-{number}", "Events"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def data_page() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    return at


def upload(at: AppTest, name: str, data: bytes) -> None:
    at.file_uploader(key="uploader").set_value([(name, data, "text/csv")]).run()
    assert not at.exception, at.exception


def errors_shown(at: AppTest) -> list[str]:
    """Error messages as a person reads them (the Markdown escapes of user text removed)."""
    return [error.value.replace("\\", "") for error in at.error]


def sidebar_text(at: AppTest) -> str:
    return "\n".join(element.value for element in at.sidebar.markdown)


def test_one_file_more_than_the_cap_is_refused(monkeypatch, data_page):
    monkeypatch.setenv("GTM_MAX_FILES", "2")
    upload(data_page, "leads.csv", LEADS)
    upload(data_page, "deals.csv", DEALS)
    upload(data_page, "more_leads.csv", LEADS)
    assert errors_shown(data_page) == [
        "more_leads.csv: this session already holds 2 files, the most it can. Remove one first."
    ]
    assert "**2 file(s) loaded**" in sidebar_text(data_page)
    upload(data_page, "leads.csv", LEADS)  # the same name again replaces: still allowed
    assert not data_page.error


def test_an_upload_bringing_too_many_tables_is_taken_back(monkeypatch, data_page):
    monkeypatch.setenv("GTM_MAX_TABLES", "3")
    upload(data_page, "deals.csv", DEALS)
    upload(data_page, "book.xlsx", workbook(3))
    assert errors_shown(data_page) == [
        "book.xlsx: it would bring this session to 4 tables, over the limit of 3. Remove some files, or upload "
        "fewer sheets or zip members."
    ]
    assert "**1 file(s) loaded**" in sidebar_text(data_page)
