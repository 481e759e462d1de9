"""The heavy attacks of the security review, against a live `streamlit run` server on loopback.

    python bench/attacks.py [--only NAME ...] [--cr-mb 40] [--no-write]

Per attack, a fresh browser session (headless Chromium, the browser tests' flags) does what an attacker did: runs
an Explore query whose result is nested values, or uploads a hostile file (a CSV whose header ends in a lone CR,
a zip of 4,000 CSVs, a workbook of 300 sheets, a 60 KB Parquet file that unpacks to 1.9 GB, a CSV of 50,000
columns). One second after it starts, a second visitor uploads a two-row CSV. Printed per attack: what the
attacker saw, its seconds, the server's RSS before, at its peak (sampled every 0.2 s) and after both sessions
ended (and the server's clean-up a few seconds after a session ends has run), with its anonymous part before and
after (RssAnon: what sessions can hold; the rest is mostly shared-library code mapped from files the first time a
page runs it, once per server process), and the second visitor's upload time beside the same upload on the idle
server; below the table, the peak
RSS of the server's worker processes (Explore queries, the Python CSV reader), which is not the server's own. The table replaces the
`bench:attacks` section of bench/RESULTS.md. Asserts nothing: the limits it watches are tested in tests/.

Bounded: one server, one attack at a time, each at most ATTACK_TIMEOUT_S, loopback only; the server and browser
are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import async_playwright, expect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import CHROMIUM, SESSION_TTL_S, RssSampler, rss_mb, start_server, visit, wait_for_app  # noqa: E402
from bench.results import write_section  # noqa: E402
from core.resources import SWEEP_AGAIN_AFTER  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
BROWSER_ARGS = [*CHROMIUM_ARGS, "--disable-dev-shm-usage"]
ATTACK_TIMEOUT_S = 300
VICTIM_DELAY_S = 1.0  # the second visitor uploads this long after the attack starts
SMALL = b"Lead ID,Lead Source\nL-1,Events\nL-2,Web\n"
NESTED_QUERY = "SELECT list_transform(range(4000), lambda x: {'a': true}) AS s FROM range(5000)"


@dataclass
class Attack:
    name: str
    page: str  # where the attacker starts
    act: Callable[[object], Awaitable[str]]  # does it on the page; returns what the attacker saw


@dataclass
class Outcome:
    name: str
    seen: str
    seconds: float
    rss_before: float
    rss_peak: float
    rss_after: float
    anon_before: float
    anon_after: float
    victim_s: float | None
    workers_peak: float = 0.0  # the server's child processes together (Explore queries, the text worker)


class FamilySampler(RssSampler):
    """The server's RSS peak, and its child processes' together (they read and query for it, outside its
    interpreter), sampled every 0.2 s."""

    def __init__(self, pid: int):
        super().__init__(pid)
        self.children_peak_mb = 0.0

    def run(self) -> None:
        while self.running:
            self.peak_mb = max(self.peak_mb, rss_mb(self.pid))
            self.children_peak_mb = max(self.children_peak_mb, sum(map(rss_if_running, children(self.pid))))
            time.sleep(0.2)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def anon_mb(pid: int) -> float:
    """The process's anonymous resident memory (heap, arenas, DuckDB's and Arrow's pools), not its mapped files."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_if_running(pid: int) -> float:
    try:
        return rss_mb(pid)
    except OSError:  # ended meanwhile
        return 0.0


# --- the files -------------------------------------------------------------------------------------------------


def lone_cr_csv(folder: Path, megabytes: int) -> Path:
    path = folder / "lone_cr.csv"
    line = b"ab,cd\n"
    with path.open("wb") as handle:
        handle.write(b"lead_id,source\r")
        handle.write(line * (megabytes * 1024**2 // len(line)))
    return path


def zip_of_csvs(folder: Path, members: int = 4_000) -> Path:
    path = folder / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(members):
            archive.writestr(f"leads_{number}.csv", f"lead_id,source\nL{number},Web\n")
    return path


def workbook_of_sheets(folder: Path, sheets: int = 300) -> Path:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for number in range(sheets):
        sheet = book.create_sheet(f"Leads {number}")
        sheet.append(["Lead ID", "Lead Source"])
        sheet.append([f"L-{number}", "Events"])
    path = folder / "sheets.xlsx"
    book.save(path)
    return path


def parquet_bomb(folder: Path) -> Path:
    """20,000 rows of one 100,000-character text, dictionary-encoded and zstd-compressed (the issue's file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 20_000
    notes = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()), pa.array(["x" * 100_000]))
    path = folder / "notes.parquet"
    pq.write_table(pa.table({"lead_id": range(rows), "notes": notes}), path, compression="zstd")
    return path


def wide_csv(folder: Path, columns: int = 50_000, rows: int = 100) -> Path:
    path = folder / "wide.csv"
    buffer = io.StringIO()
    buffer.write(",".join(f"c{number}" for number in range(columns)) + "\n")
    for _ in range(rows):
        buffer.write(",".join(["1"] * columns) + "\n")
    path.write_text(buffer.getvalue())
    return path


# --- what a visitor does ---------------------------------------------------------------------------------------


async def upload(page, file: Path | bytes, name: str = "small.csv") -> str:
    """Drop a file on the Data page's uploader; the first message it shows ("Loaded: …" or an error)."""
    dropzone = page.get_by_role("region", name="Upload exports").get_by_test_id("stFileUploaderDropzoneInput")
    if isinstance(file, Path):
        await dropzone.set_input_files(str(file))
    else:
        await dropzone.set_input_files([{"name": name, "mimeType": "text/csv", "buffer": file}])
    main = page.get_by_test_id("stMain")
    error = main.get_by_test_id("stAlertContentError").get_by_test_id("stMarkdownContainer")
    shown = main.get_by_text("Loaded:", exact=True).or_(error)
    await expect(shown.first).to_be_visible(timeout=ATTACK_TIMEOUT_S * 1000)
    await wait_for_app(page)
    return (await shown.first.inner_text()).strip()


async def run_query(page, sql: str) -> str:
    await page.get_by_label("SQL").fill(sql)
    await page.get_by_role("button", name="Run query").click()
    await wait_for_app(page)
    errors = page.get_by_test_id("stMain").get_by_test_id("stAlertContentError").get_by_test_id("stMarkdownContainer")
    if await errors.count():
        return (await errors.first.inner_text()).strip()
    return (await page.get_by_test_id("stMain").get_by_test_id("stCaption").first.inner_text()).strip()


def attacks(folder: Path, cr_mb: int) -> list[Attack]:
    def uploading(path: Path) -> Callable[[object], Awaitable[str]]:
        async def act(page) -> str:
            return await upload(page, path)

        return act

    async def nested(page) -> str:
        return await run_query(page, NESTED_QUERY)

    return [
        Attack("Explore nested result", "/explore", nested),
        Attack(f"lone-CR CSV, {cr_mb} MB", "/data", uploading(lone_cr_csv(folder, cr_mb))),
        Attack("zip of 4,000 CSVs", "/data", uploading(zip_of_csvs(folder))),
        Attack("xlsx of 300 sheets", "/data", uploading(workbook_of_sheets(folder))),
        Attack("Parquet dictionary bomb", "/data", uploading(parquet_bomb(folder))),
        Attack("CSV of 50,000 columns", "/data", uploading(wide_csv(folder))),
    ]


# --- the run ---------------------------------------------------------------------------------------------------


async def opened(browser, url: str):
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(ATTACK_TIMEOUT_S * 1000)
    await page.goto(url)
    await wait_for_app(page)
    return context, page


async def small_upload(browser, url: str, ready: asyncio.Event | None = None, delay: float = 0.0) -> float:
    """Seconds for a second visitor's two-row upload, from dropping it to "Loaded"."""
    context, page = await opened(browser, f"{url}/data")
    try:
        if ready is not None:
            await ready.wait()
        await asyncio.sleep(delay)
        began = time.monotonic()
        await upload(page, SMALL)
        return time.monotonic() - began
    finally:
        await context.close()


async def one_attack(browser, url: str, pid: int, attack: Attack) -> Outcome:
    before, anon_before = rss_mb(pid), anon_mb(pid)
    sampler = FamilySampler(pid)
    sampler.start()
    context, page = await opened(browser, url + attack.page)
    started = asyncio.Event()
    victim = asyncio.create_task(small_upload(browser, url, started, VICTIM_DELAY_S))
    await asyncio.sleep(3)  # the second visitor's page is open before the attack starts
    began = time.monotonic()
    started.set()
    try:
        seen = await asyncio.wait_for(attack.act(page), ATTACK_TIMEOUT_S)
    except Exception as error:  # reported in the table, not a crashed run
        seen = f"{type(error).__name__}: {str(error).splitlines()[0][:80]}"
    seconds = time.monotonic() - began
    try:
        victim_s = await asyncio.wait_for(victim, ATTACK_TIMEOUT_S)
    except Exception:
        victim_s = None
    await context.close()
    sampler.running = False
    await asyncio.sleep(SESSION_TTL_S + 1)
    await visit(url)  # Streamlit drops sessions past their reconnect window when another one disconnects
    await asyncio.sleep(SWEEP_AGAIN_AFTER[0] + 3)  # the visit's end, then the server's first later clean-up
    peak = max(sampler.peak_mb, before)
    rss_after, anon_after = rss_mb(pid), anon_mb(pid)
    return Outcome(
        attack.name, seen, seconds, before, peak, rss_after, anon_before, anon_after, victim_s, sampler.children_peak_mb
    )


async def drive(url: str, pid: int, chosen: list[Attack]) -> tuple[float, list[Outcome]]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        await small_upload(browser, url)  # warm-up: the first upload after a start imports the pipeline
        unloaded = statistics.median([await small_upload(browser, url) for _ in range(3)])
        outcomes = [await one_attack(browser, url, pid, attack) for attack in chosen]
        await browser.close()
    return unloaded, outcomes


def table(unloaded: float, outcomes: list[Outcome]) -> str:
    lines = [
        "| attack | what the attacker saw | seconds | server RSS before / peak / after (MB) "
        "| of it anonymous before / after (MB) | second visitor's upload (s) | × idle |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        seen = o.seen.replace("\n", " ").replace("|", "\\|")
        seen = seen if len(seen) <= 90 else seen[:89] + "…"
        victim = f"{o.victim_s:.1f}" if o.victim_s is not None else "did not finish"
        ratio = f"{o.victim_s / unloaded:.1f}" if o.victim_s is not None else "—"
        rss = f"{o.rss_before:,.0f} / {o.rss_peak:,.0f} / {o.rss_after:,.0f}"
        anon = f"{o.anon_before:,.0f} / {o.anon_after:,.0f}"
        lines.append(f"| {o.name} | {seen} | {o.seconds:.1f} | {rss} | {anon} | {victim} | {ratio} |")
    lines.append(f"\nThe second visitor's two-row upload on the idle server: {unloaded:.1f} s (median of 3).")
    helped = [f"{o.name} {o.workers_peak:,.0f} MB" for o in outcomes if o.workers_peak]
    if helped:
        lines.append(f"Peak RSS of the server's worker processes together: {'; '.join(helped)}.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="attacks whose name contains one of these words")
    parser.add_argument("--cr-mb", type=int, default=40, help="size of the lone-CR CSV")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gtm-attacks-") as temp:
        folder = Path(temp)
        chosen = [a for a in attacks(folder, args.cr_mb) if not args.only or any(w in a.name for w in args.only)]
        server, url = start_server(folder, folder / "streamlit.log")
        try:
            unloaded, outcomes = asyncio.run(drive(url, server.pid, chosen))
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = table(unloaded, outcomes)
    print(text)
    if not args.no_write:
        note = (
            "`python bench/attacks.py`: each attack in its own browser session against one `streamlit run` server "
            "(2 cores, default settings); a second visitor uploads a two-row CSV one second after it starts."
        )
        write_section(RESULTS, "attacks", f"<!-- bench:attacks -->\n{note}\n\n{text}\n<!-- /bench:attacks -->")


if __name__ == "__main__":
    main()
