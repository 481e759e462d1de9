"""Strangers sharing one hosted link: two, then ten browser sessions upload different files at once into one
`streamlit run` server. Each sees only its own tables and figures; once they close, their temp folders are gone
and the server's memory is back within 10 % of where it started."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import open_page, screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser

SESSION_TTL_S = 2  # a closed session's uploads are dropped this long after it disconnects
RSS_TOLERANCE = 0.10
WAIT_MS = 180_000  # ten sessions at once on a 2-core machine: generous, never a timed assertion


def leads_csv(session: int) -> bytes:
    """Session n's own leads: 23 + n of them, 6 + n qualified, all from source "Source-n"."""
    rows = ["Lead ID,Created Date,Lead Source,Lead Status"]
    for k in range(23 + session):
        status = "Qualified" if k < 6 + session else "Open"
        rows.append(f"S{session}-L{k},2025-0{1 + k % 9}-1{k % 9},Source-{session},{status}")
    return ("\n".join(rows) + "\n").encode()


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) / 1024


def session_folders(temp_dir: Path) -> list[Path]:
    return sorted(temp_dir.glob("gtm-session-*"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    temp_dir = tmp_path_factory.mktemp("spill")
    log = tmp_path_factory.mktemp("isolation_server") / "streamlit.log"
    options = ("--server.disconnectedSessionTTL", str(SESSION_TTL_S))
    with serve(log, *options, env={"GTM_TEMP_DIR": str(temp_dir)}) as proc:
        proc.temp_dir = temp_dir
        yield proc


def run_sessions(browser: Browser, server, sessions: list[int]) -> float:
    """Open every session, start every upload, check what each one sees; returns the server's RSS (MB) while
    they are all open."""
    url = server.url
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in sessions]
    pages: list[Page] = [context.new_page() for context in contexts]
    try:
        for page in pages:
            page.set_default_timeout(120_000)
            open_page(page, f"{url}/data")
        for page, n in zip(pages, sessions, strict=True):
            dropzone = page.get_by_role("region", name="Upload exports").get_by_test_id("stFileUploaderDropzoneInput")
            dropzone.set_input_files([{"name": f"leads_{n}.csv", "mimeType": "text/csv", "buffer": leads_csv(n)}])
        for page, n in zip(pages, sessions, strict=True):
            check_own_data(page, n, others=[other for other in sessions if other != n])
        screenshot(pages[-1], f"isolation_{len(sessions)}_sessions_metrics")
        return rss_mb(server.pid)
    finally:
        for context in contexts:
            context.close()


def check_own_data(page: Page, n: int, others: list[int]) -> None:
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(f"leads_{n}.csv: Leads, {23 + n} of {23 + n} rows")).to_be_visible(timeout=WAIT_MS)
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("1 file loaded")).to_be_visible(timeout=WAIT_MS)
    text = main.inner_text()
    assert not [other for other in others if f"leads_{other}.csv" in text]
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Metrics").click()
    wait_for_app(page)
    heading = page.get_by_role("heading", name="Qualified leads")
    card = main.get_by_test_id("stVerticalBlock").filter(has=heading).filter(has=page.get_by_test_id("stMetricValue"))
    expect(card.last.get_by_test_id("stMetricValue").first).to_have_text(str(6 + n), timeout=WAIT_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def settle(server, browser: Browser) -> float:
    """Wait until every closed session is released, then return the server's RSS in MB."""
    deadline = time.monotonic() + 60
    while session_folders(server.temp_dir) and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(SESSION_TTL_S + 1)
    # Streamlit drops expired sessions (and their uploads) when another session disconnects, after our release
    # hook ran for that one: the first short visit drops them, the second one's release collects and trims.
    for _ in range(2):
        context = browser.new_context()
        open_page(context.new_page(), server.url)
        context.close()
        time.sleep(2)
    return rss_mb(server.pid)


def test_two_then_ten_sessions_see_only_their_own_data_and_leave_nothing_behind(server, browser: Browser):
    run_sessions(browser, server, [0])  # warm-up: imports, caches and allocator pools of one upload
    baseline = settle(server, browser)
    peaks = {}
    for sessions in ([1, 2], list(range(1, 11))):
        peaks[len(sessions)] = round(run_sessions(browser, server, sessions))
        after = settle(server, browser)
        assert session_folders(server.temp_dir) == [], "a closed session left its temp folder behind"
        assert after <= baseline * (1 + RSS_TOLERANCE), (
            f"server RSS {after:.0f} MB after {len(sessions)} sessions closed, started at {baseline:.0f} MB"
        )
    print(f"server RSS: baseline {baseline:.0f} MB, with sessions open {peaks}")
