"""Benchmark of the data path: floor, our ingest, all metrics, a warm rerun of the Metrics page and a pandas
reference, at several sizes of the sample company, in one run.

    python bench/run.py --sizes 100k,1m [--with-10m] [--runs 3]

Each step runs in a child process of its own (see bench/steps.py for what each measures and how memory is
taken). The table is printed and written to bench/RESULTS.md between the data-path markers; the rest of that
file is left as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import datagen, pandas_ref  # noqa: E402
from bench.results import write_section  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "data-path"
BEGIN, END = f"<!-- bench:{SECTION} -->", f"<!-- /bench:{SECTION} -->"
STEP_ORDER = ("floor", "ingest", "metrics", "rerun", "pandas", "ours_subset")
DEFAULT_MEMORY_LIMIT = "4GB"
ROW_NAMES = (
    "(a) floor: DuckDB read_csv of every file, nothing cleaned",
    "(b) our full ingest",
    "(b) peak memory of our ingest",
    "(c) all 33 catalogue entries: value, details, trend",
    "(c) all 33 entries with every breakdown too",
    "(d) Metrics page rerun after a metric selection change",
    "(d) Metrics page rerun after a filter change (recomputes)",
    "(e) pandas: read + clean leads, deals, orders",
    "(e) ours: ingest of the same three files",
    "(e) pandas: five metrics",
    "(e) ours: the same five metrics",
    "(e) pandas results equal ours",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1m", help="comma-separated lead counts, e.g. 100k,1m")
    parser.add_argument("--with-10m", action="store_true", help="also the 10 million lead size")
    parser.add_argument("--runs", type=int, default=3, help="runs per step; the median is reported")
    parser.add_argument("--memory-limit", default=DEFAULT_MEMORY_LIMIT, help="DuckDB memory_limit of every step")
    parser.add_argument("--data-dir", type=Path, default=datagen.DATA_DIR, help="where generated exports go")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown file to write the table into")
    parser.add_argument("--child", choices=STEP_ORDER, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args)
    args.load_before = os.getloadavg()[0]
    sizes = [datagen.parse_size(size) for size in args.sizes.split(",") if size.strip()]
    if args.with_10m:
        sizes.append(10_000_000)
    measured = {}
    for leads in sizes:
        folder = datagen.ensure(leads, args.data_dir)
        measured[leads] = {"folder": folder, **{step: _spawn(step, folder, args) for step in STEP_ORDER}}
    table = table_lines(measured)
    print("\n".join(table))
    write_section(args.results, SECTION, section(table, args))
    return 0


def _spawn(step: str, folder: Path, args: argparse.Namespace) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", step, "--data", str(folder)]
    command += ["--runs", str(args.runs), "--memory-limit", args.memory_limit]
    print(f"  {folder.name}: {step} ...", file=sys.stderr, flush=True)
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise RuntimeError(f"step {step} on {folder} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child(args: argparse.Namespace) -> int:
    from bench import steps

    with tempfile.TemporaryDirectory(prefix="bench-spill-") as spill:
        result = steps.STEPS[args.child](args.data, args.runs, args.memory_limit, Path(spill))
    print(json.dumps(result, default=str))
    return 0


# ---- the table ---------------------------------------------------------------------------------------------


def _seconds(value: float) -> str:
    return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:,.2f} s"


def _megabytes(value: float) -> str:
    return f"{value:,.0f} MB"


def _verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def size_rows(leads: int, m: dict) -> list[tuple[str, str, str, str, str]]:
    """(step, median, peak memory, ratio, target met) for one size, in ROW_NAMES order."""
    files_mb = sum(path.stat().st_size for path in datagen.csv_files(m["folder"])) / 1024**2
    floor, ingest, metrics, rerun = m["floor"], m["ingest"], m["metrics"], m["rerun"]
    breakdowns = metrics["with_breakdowns"]
    pandas, ours = m["pandas"], m["ours_subset"]
    ingest_ratio = ingest["median_s"] / floor["median_s"]
    memory_ratio = ingest["peak_mb"] / files_mb
    load_ratio = pandas["load"]["median_s"] / ours["load"]["median_s"]
    metric_ratio = pandas["metrics"]["median_s"] / ours["metrics"]["median_s"]
    problems = pandas_ref.differences(pandas["values"], ours["values"])
    return [
        (ROW_NAMES[0], _seconds(floor["median_s"]), _megabytes(floor["peak_mb"]), "", ""),
        (ROW_NAMES[1], _seconds(ingest["median_s"]), _megabytes(ingest["peak_mb"]),
         f"ours/floor {ingest_ratio:.2f}x", f"≤ 1.5x: {_verdict(ingest_ratio <= 1.5)}"),
        (ROW_NAMES[2], "", _megabytes(ingest["peak_mb"]), f"peak/files {memory_ratio:.2f}x ({files_mb:,.0f} MB files)",
         f"< 3x: {_verdict(memory_ratio < 3)}"),
        (ROW_NAMES[3], _seconds(metrics["median_s"]), _megabytes(metrics["peak_mb"]),
         f"{metrics['available']} of {metrics['entries']} available; first compute after ingest (builds the "
         f"derived tables) {_seconds(metrics['first_s'])}", f"≤ 1 s: {_verdict(metrics['median_s'] <= 1)}"),
        (ROW_NAMES[4], _seconds(breakdowns["median_s"]), _megabytes(breakdowns["peak_mb"]), "", ""),
        (ROW_NAMES[5], _seconds(rerun["median_s"]), _megabytes(rerun["peak_mb"]),
         f"first open {_seconds(rerun['cold_s'])}", f"≤ 150 ms: {_verdict(rerun['median_s'] <= 0.15)}"),
        (ROW_NAMES[6], _seconds(rerun["filter_change_s"]), "", "", ""),
        (ROW_NAMES[7], _seconds(pandas["load"]["median_s"]), _megabytes(pandas["load"]["peak_mb"]), "", ""),
        (ROW_NAMES[8], _seconds(ours["load"]["median_s"]), _megabytes(ours["load"]["peak_mb"]),
         f"pandas/ours {load_ratio:.2f}x", f"> 1x: {_verdict(load_ratio > 1)}"),
        (ROW_NAMES[9], _seconds(pandas["metrics"]["median_s"]), _megabytes(pandas["metrics"]["peak_mb"]), "", ""),
        (ROW_NAMES[10], _seconds(ours["metrics"]["median_s"]), _megabytes(ours["metrics"]["peak_mb"]),
         f"pandas/ours {metric_ratio:.2f}x", f"> 1x: {_verdict(metric_ratio > 1)}"),
        (ROW_NAMES[11], "yes" if not problems else "; ".join(problems), "", "", ""),
    ]  # fmt: skip


def table_lines(measured: dict[int, dict]) -> list[str]:
    lines = [
        "| leads | step | median | peak memory | ratio | target met |",
        "|---|---|---|---|---|---|",
    ]
    for leads, m in measured.items():
        for row in size_rows(leads, m):
            lines.append(f"| {datagen.size_label(leads)} | " + " | ".join(row) + " |")
    return lines


def machine() -> str:
    import duckdb
    import pandas
    import streamlit

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown",
    )
    return (
        f"{os.cpu_count()} CPUs ({model}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, duckdb {duckdb.__version__}, pandas {pandas.__version__}, "
        f"streamlit {streamlit.__version__}"
    )


def section(table: list[str], args: argparse.Namespace) -> str:
    command = f"python bench/run.py --sizes {args.sizes}{' --with-10m' if args.with_10m else ''} --runs {args.runs}"
    return "\n".join(
        [
            BEGIN,
            "## Data path",
            "",
            f"Machine: {machine()}. Load average (1 min) {args.load_before:.1f} at the start of the run, "
            f"{os.getloadavg()[0]:.1f} at its end.",
            f"Command: `{command}` (DuckDB `memory_limit` {args.memory_limit} per connection, "
            "2 threads and the app's other connection settings).",
            "",
            *table,
            "",
            "Median of the runs of each step; each step runs in a fresh child process. *Peak memory* is the rise of "
            "the process's resident-set high-water mark over its size before the run (reset per run through "
            "`/proc/self/clear_refs`), so it counts DuckDB, Python and the file bytes held during the step. "
            "The floor reads every CSV with `read_csv(path, null_padding = true)` (types sniffed, nothing "
            "cleaned, report footers kept as rows). The rerun is `AppTest.run()` of the Metrics page after the "
            "sidebar's metric selection switches between two presets already seen in the session.",
            END,
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
