"""Time to the first chart: one browser session uploads an export folder and opens Metrics.

    python bench/first_chart.py [--leads 400k] [--runs 3] [--folder DIR]

The folder is the Salesforce-report-style lead and deal pair of bench/stages.py (400k leads make about 70 MB)
unless one is given. Per run, a fresh `streamlit run` server on loopback and headless Chromium: the seconds from
dropping every CSV of the folder on the Data page's uploader to "Loaded", and to the first chart of the Metrics
page; beside them, DuckDB's own read of the same files into tables (a fresh Python process, `read_csv` with
types sniffed). Median of the runs; prints a Markdown table and asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright, expect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import datagen  # noqa: E402
from bench.load import CHROMIUM, STEP_TIMEOUT_MS, start_server, visit, wait_for_app  # noqa: E402
from bench.stages import FLOOR, report_pair  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402

BROWSER_ARGS = [*CHROMIUM_ARGS, "--disable-dev-shm-usage"]  # the browser tests' flags


async def upload_and_chart(url: str, files: list[Path]) -> tuple[float, float]:
    """Seconds from the upload to "Loaded" and to the first Metrics chart."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = await browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(STEP_TIMEOUT_MS)
        await page.goto(f"{url}/data")
        await wait_for_app(page)
        began = time.monotonic()
        dropzone = page.get_by_role("region", name="Upload exports").get_by_test_id("stFileUploaderDropzoneInput")
        await dropzone.set_input_files([str(path) for path in files])
        main = page.get_by_test_id("stMain")
        await expect(main.get_by_text("Loaded:", exact=True).first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        await wait_for_app(page)
        loaded = time.monotonic() - began
        await page.get_by_test_id("stSidebarNav").get_by_role("link", name="Metrics").click()
        await expect(main.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=STEP_TIMEOUT_MS)
        first_chart = time.monotonic() - began
        await browser.close()
        return loaded, first_chart


def floor_seconds(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR, str(folder)], check=True, cwd=ROOT)
    return time.perf_counter() - start


def one_run(files: list[Path]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="gtm-first-chart-") as work:
        server, url = start_server(Path(work), Path(work) / "streamlit.log")
        try:
            asyncio.run(visit(url))  # warm the server up (imports, the sample company) before measuring
            return asyncio.run(upload_and_chart(url, files))
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", default="400k", help="leads of the generated report pair")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="upload this folder's CSV files instead")
    args = parser.parse_args()
    folder = args.folder or report_pair(datagen.parse_size(args.leads))
    files = sorted(folder.glob("*.csv"))
    megabytes = sum(path.stat().st_size for path in files) / 1e6
    floors, loads, charts = [], [], []
    for _ in range(args.runs):
        floors.append(floor_seconds(folder))
        loaded, chart = one_run(files)
        loads.append(loaded)
        charts.append(chart)
    floor, chart = statistics.median(floors), statistics.median(charts)
    print(f"{len(files)} files, {megabytes:.0f} MB ({folder}); median of {args.runs} runs\n")
    print("| step | median | ratio to DuckDB's read |\n|---|---|---|")
    print(f"| DuckDB read_csv of the files into tables (a fresh process) | {floor:.2f} s | 1.00x |")
    print(f"| upload → Loaded on the Data page | {statistics.median(loads):.2f} s | |")
    print(f"| upload → first Metrics chart | {chart:.2f} s | {chart / floor:.2f}x |")


if __name__ == "__main__":
    main()
