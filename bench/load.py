"""Load run: N browser sessions upload a ~50 MB CRM export at once into one `streamlit run` server on loopback.

    python bench/load.py [--sessions 20] [--size-mb 50] [--deadline-s 1500]

Each session opens the Data page, uploads the export, waits for "Loaded", goes to Metrics and waits for the first
chart and the "Qualified leads" card. Printed per session: seconds to "Loaded" and to the first chart (both from
the start of its upload), the qualified-leads figure shown and whether it equals the figure the headless engine
computes from the same file. Also: the server's RSS before, at its peak (sampled every 0.2 s) and after the
sessions closed. The table replaces the `bench:load` section of bench/RESULTS.md.

Bounded: at most 50 sessions, one overall deadline, loopback only, the server and browser are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import async_playwright, expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.results import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "sample_data" / "hubspot_contacts.csv"
RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN, END = "<!-- bench:load -->", "<!-- /bench:load -->"
CHROMIUM = os.environ.get("GTM_CHROMIUM", "/usr/bin/chromium")
MAX_SESSIONS = 50
STEP_TIMEOUT_MS = 1_800_000  # each step may take up to the whole run: the overall deadline bounds it
SESSION_TTL_S = 5  # how long a closed session's uploads are kept for a reconnect


@dataclass
class Outcome:
    session: int
    loaded_s: float | None = None
    first_chart_s: float | None = None
    shown: str | None = None
    error: str | None = None


def build_export(folder: Path, size_mb: float) -> Path:
    """The sample company's HubSpot contacts, repeated with fresh record ids until the file reaches `size_mb`."""
    with SOURCE.open(newline="") as handle:
        reader = csv.reader(handle)
        header, rows = next(reader), list(reader)
    path = folder / "hubspot_contacts_big.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        copy = 0
        while handle.tell() < size_mb * 1024**2:
            for row in rows:
                writer.writerow([f"{copy}{row[0]}", *row[1:]])
            copy += 1
    return path


def expected_qualified_leads(path: Path) -> str:
    """The figure the headless engine computes from the same file, formatted as the Metrics page shows it."""
    sys.path.insert(0, str(ROOT))
    from core.formatting import format_value

    done = subprocess.run(
        [sys.executable, "-m", "core", "metrics", str(path.parent), "--json"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        text=True,
    )
    metric = next(m for m in json.loads(done.stdout)["metrics"] if m["id"] == "qualified_leads")
    return format_value(metric["value"], metric["unit"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(temp_dir: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--server.disconnectedSessionTTL", str(SESSION_TTL_S),
    ]  # fmt: skip
    env = {**os.environ, "GTM_TEMP_DIR": str(temp_dir)}
    proc = subprocess.Popen(command, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


class RssSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.running = pid, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak_mb = max(self.peak_mb, rss_mb(self.pid))
            time.sleep(0.2)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def wait_for_app(page) -> None:
    await page.wait_for_timeout(200)
    app = page.locator("[data-testid='stApp']")
    await expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=STEP_TIMEOUT_MS)
    await expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=STEP_TIMEOUT_MS)


async def one_session(browser, url: str, export: Path, number: int, start: asyncio.Event) -> Outcome:
    outcome = Outcome(number)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        await page.goto(f"{url}/data")
        await wait_for_app(page)
        await start.wait()
        began = time.monotonic()
        dropzone = page.get_by_role("region", name="Upload exports").get_by_test_id("stFileUploaderDropzoneInput")
        await dropzone.set_input_files(str(export))
        main = page.get_by_test_id("stMain")
        await expect(main.get_by_text("Loaded:", exact=True)).to_be_visible(timeout=STEP_TIMEOUT_MS)
        outcome.loaded_s = time.monotonic() - began
        await wait_for_app(page)
        await page.get_by_test_id("stSidebarNav").get_by_role("link", name="Metrics").click()
        await expect(main.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        outcome.first_chart_s = time.monotonic() - began
        await wait_for_app(page)  # every card drawn: while one is not, an outer block's first value is another's
        heading = page.get_by_role("heading", name="Qualified leads")
        card = (
            main.get_by_test_id("stVerticalBlock").filter(has=heading).filter(has=page.get_by_test_id("stMetricValue"))
        )
        value = card.last.get_by_test_id("stMetricValue").first
        await expect(value).to_be_visible(timeout=STEP_TIMEOUT_MS)
        outcome.shown = (await value.inner_text()).strip()
    except Exception as error:  # one failed session is reported in the table, not a crashed run
        outcome.error = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    finally:
        await context.close()
    return outcome


async def visit(url: str) -> None:
    """One short visit: it warms the app up before measuring, and afterwards makes Streamlit drop the sessions
    whose reconnect window has passed (it does so when another session disconnects)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = await browser.new_page()
        await page.goto(url)
        await wait_for_app(page)
        await browser.close()


async def drive(url: str, export: Path, sessions: int, deadline_s: float) -> list[Outcome]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        start = asyncio.Event()
        tasks = [asyncio.create_task(one_session(browser, url, export, n, start)) for n in range(1, sessions + 1)]
        await asyncio.sleep(5)  # let every session open its Data page, then upload all at once
        start.set()
        done, pending = await asyncio.wait(tasks, timeout=deadline_s)
        for task in pending:
            task.cancel()
        await browser.close()
        late = [Outcome(n, error="not finished by the deadline") for n, t in enumerate(tasks, 1) if t in pending]
        return sorted([task.result() for task in done] + late, key=lambda outcome: outcome.session)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def report(outcomes: list[Outcome], expected: str, facts: dict) -> str:
    lines = [
        f"Load run, {facts['when']}: {facts['sessions']} browser sessions upload the same {facts['size_mb']:.1f} MB "
        f"CRM export ({facts['rows']:,} leads) at once into one `streamlit run` server on loopback; "
        f"{facts['machine']}, load average {facts['load_before']:.1f} before the run (other jobs on the machine count). "
        f"Command: `python bench/load.py --sessions {facts['sessions']}`.",
        "",
        "| session | upload → Loaded (s) | upload → first chart (s) | qualified leads shown | expected | correct |",
        "|---:|---:|---:|---:|---:|:---:|",
    ]
    for o in outcomes:
        loaded = f"{o.loaded_s:.1f}" if o.loaded_s is not None else "—"
        chart = f"{o.first_chart_s:.1f}" if o.first_chart_s is not None else "—"
        ok = "yes" if o.shown == expected else f"no{': ' + o.error if o.error else ''}"
        lines.append(f"| {o.session} | {loaded} | {chart} | {o.shown or '—'} | {expected} | {ok} |")
    charts = [o.first_chart_s for o in outcomes if o.first_chart_s is not None]
    correct = sum(o.shown == expected for o in outcomes)
    lines += [
        "",
        f"- Correct figures: **{correct} of {len(outcomes)}** sessions.",
        f"- Time to first chart: median **{median(charts):.1f} s**, max **{max(charts):.1f} s**."
        if charts
        else "- No session reached a chart.",
        f"- Server RSS: **{facts['rss_before']:.0f} MB** before (app warmed up by one visit), peak **{facts['rss_peak']:.0f} MB** with all "
        f"sessions loaded, **{facts['rss_after']:.0f} MB** after they closed (reconnect window {SESSION_TTL_S} s); session temp folders left: "
        f"{facts['folders_left']}. Wall time {facts['wall_s']:.0f} s.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--size-mb", type=float, default=50)
    parser.add_argument("--deadline-s", type=float, default=1800)
    args = parser.parse_args()
    sessions = min(args.sessions, MAX_SESSIONS)
    with tempfile.TemporaryDirectory(prefix="gtm-load-") as work:
        work = Path(work)
        (work / "export").mkdir()
        (work / "spill").mkdir()
        export = build_export(work / "export", args.size_mb)
        rows = sum(1 for _ in export.open()) - 1
        expected = expected_qualified_leads(export)
        load_before = os.getloadavg()[0]
        server, url = start_server(work / "spill", work / "streamlit.log")
        try:
            asyncio.run(visit(url))
            time.sleep(SESSION_TTL_S + 2)  # past the reconnect window of the warm-up visit
            asyncio.run(visit(url))
            rss_before = rss_mb(server.pid)
            sampler = RssSampler(server.pid)
            sampler.start()
            began = time.monotonic()
            outcomes = asyncio.run(drive(url, export, sessions, args.deadline_s))
            wall = time.monotonic() - began
            time.sleep(10)  # sessions release their DuckDB and temp folder on disconnect
            sampler.running = False
            asyncio.run(visit(url))
            time.sleep(3)
            facts = {
                "when": time.strftime("%Y-%m-%d"),
                "sessions": sessions,
                "size_mb": export.stat().st_size / 1024**2,
                "rows": rows,
                "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
                "load_before": load_before,
                "rss_before": rss_before,
                "rss_peak": sampler.peak_mb,
                "rss_after": rss_mb(server.pid),
                "folders_left": len(list((work / "spill").glob("gtm-session-*"))),
                "wall_s": wall,
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = report(outcomes, expected, facts)
    print(text)
    write_section(RESULTS, "load", f"{BEGIN}\n## Load: many sessions uploading a large export at once\n\n{text}\n{END}")


if __name__ == "__main__":
    main()
