"""The import pipeline stage by stage, and the whole command-line run against DuckDB's own read of the same files.

    python bench/stages.py [--sizes 100k,1m] [--with-10m] [--runs 3] [--folder DIR ...]

Per export folder (the sample company at a size from bench/datagen.py, or a Salesforce-report-style pair of a
leads and a deals report generated here with DuckDB, or any folder given), in fresh child processes:

* the floor: a Python process that reads every CSV into a DuckDB table with `read_csv` (types sniffed, nothing
  cleaned) — what DuckDB alone does with the files;
* the whole run: `python -m core metrics FOLDER --json`, wall time and peak resident memory;
* the stages of one in-process load and compute, each timed where the workspace calls it: read, reshape search,
  profile, recognise, plan (typing and value-map decisions), load (the staging statement and the canonical
  table), check (quality report and totals), build (the canonical table, currency, keys across tables), compute
  of every catalogue entry. Only the outermost of nested stage calls is timed, so nothing counts twice.

Median of the runs. Prints a Markdown table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import datagen  # noqa: E402

PAIR_DIR = datagen.DATA_DIR / "pairs"
FOOTER = (
    '""\n"Confidential Information - Do Not Distribute"\n'
    '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
)
FLOOR = (
    "import duckdb, sys, pathlib\n"
    "con = duckdb.connect()\n"
    "for i, f in enumerate(sorted(pathlib.Path(sys.argv[1]).rglob('*.csv'))):\n"
    "    con.execute(f\"CREATE TABLE t{i} AS SELECT * FROM read_csv('{f}', null_padding = true)\")\n"
)


def report_pair(leads: int) -> Path:
    """A leads report and a deals report (a fifth as many deals, each naming its lead) as a CRM's report export
    writes them: every value quoted, dates as M/D/YYYY, amounts as "$1,234.00", a three-line footer."""
    import duckdb

    folder = PAIR_DIR / datagen.size_label(leads)
    leads_file, deals_file = folder / "salesforce_leads_report.csv", folder / "salesforce_opportunities_report.csv"
    if leads_file.is_file() and deals_file.is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    day = "strftime(DATE '2024-01-01' + CAST((i * 37) % 700 AS INTEGER), '%-m/%-d/%Y')"
    con.execute(
        f"""COPY (SELECT '00Q5g' || lpad(CAST(i AS VARCHAR), 10, '0') AS "Lead ID",
        (['Ana','Ben','Chloe','Dev','Eli','Fay','Gus','Hana'])[1 + i % 8] AS "First Name",
        (['Smith','Ng','Olsen','Garcia','Kim','Patel'])[1 + i % 6] AS "Last Name",
        'Company ' || CAST(i % 50000 AS VARCHAR) AS "Company",
        (['VP Sales','CFO','Head of Ops','Analyst','Director IT'])[1 + i % 5] AS "Title",
        (['Web','Paid Search','Events','Partner','Outbound','Organic Search'])[1 + (i * 7) % 6] AS "Lead Source",
        (['Open - Not Contacted','Working - Contacted','Closed - Converted','Closed - Not Converted'])[1 + (i * 13) % 4]
            AS "Lead Status",
        {day} AS "Created Date",
        CASE WHEN (i * 13) % 4 = 2 THEN '1' ELSE '0' END AS "Converted",
        CASE WHEN (i * 13) % 4 = 2 THEN strftime(DATE '2024-01-01' + CAST((i * 37) % 700 + 20 AS INTEGER),
            '%-m/%-d/%Y') ELSE '' END AS "Converted Date",
        (['United States','Germany','France','United Kingdom'])[1 + i % 4] AS "Country",
        (['Lena Ross','Omar Hayes','Wei Brown'])[1 + i % 3] AS "Lead Owner"
        FROM range({leads}) t(i)) TO '{leads_file}' (HEADER, QUOTE '"', FORCE_QUOTE *)"""
    )
    con.execute(
        f"""COPY (SELECT '0065g' || lpad(CAST(i AS VARCHAR), 10, '0') AS "Opportunity ID",
        'Deal ' || CAST(i AS VARCHAR) AS "Opportunity Name",
        '0015g' || lpad(CAST(i % 50000 AS VARCHAR), 10, '0') AS "Account ID",
        '00Q5g' || lpad(CAST(i * 5 + 2 AS VARCHAR), 10, '0') AS "Lead ID",
        (['Prospecting','Needs Analysis','Proposal','Closed Won','Closed Lost'])[1 + i % 5] AS "Stage",
        '$' || format('{{:,}}', 1000 + (i * 97) % 90000) || '.00' AS "Amount",
        {day} AS "Created Date",
        strftime(DATE '2024-01-01' + CAST((i * 37) % 700 + 45 AS INTEGER), '%-m/%-d/%Y') AS "Close Date",
        (['Web','Paid Search','Events','Partner','Outbound'])[1 + i % 5] AS "Lead Source",
        (['Lena Ross','Omar Hayes','Wei Brown'])[1 + i % 3] AS "Opportunity Owner"
        FROM range({leads // 5}) t(i)) TO '{deals_file}' (HEADER, QUOTE '"', FORCE_QUOTE *)"""
    )
    for path in (leads_file, deals_file):
        with path.open("a") as handle:
            handle.write(FOOTER)
    return folder


def timed_process(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of a child process (its own, from wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    return wall, usage.ru_maxrss / 1024


def stage_times(folder: Path) -> dict[str, float]:
    """Seconds per stage of one load and compute of `folder` in this process, timed where the workspace calls
    each stage (the stage functions are wrapped, not changed)."""
    import duckdb

    from core import fx, ingest
    from core.imports import build, check, load, quality
    from core.metrics import engine
    from core.settings import Settings

    spent: dict[str, float] = defaultdict(float)
    depth = [0]  # wrapped calls open: only the outermost is timed, so a stage calling another counts once

    @contextmanager
    def wrapped(module, name: str, stage: str):
        original = getattr(module, name)

        def timer(*args, **kwargs):
            depth[0] += 1
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    spent[stage] += time.perf_counter() - start

        setattr(module, name, timer)
        try:
            yield
        finally:
            setattr(module, name, original)

    wraps = [
        (ingest, "read_upload", "1 read"),
        (ingest, "find_wide", "2 reshape search"),
        (ingest, "find_nps_series", "2 reshape search"),
        (ingest, "profile_table", "3 profile"),
        (ingest, "propose_mappings", "4 recognise"),
        (ingest.Workspace, "_plan", "5 plan (typing, value maps)"),
        (load, "stage", "6 load (staging statement)"),
        (load, "stage_body", "6 load (staging statement)"),
        (check, "file_report", "7 check"),
        (check, "staged_preview", "7 check"),
        (check, "raw_preview", "7 check"),
        (build, "into_canonical", "8 build (canonical table, currency, keys across tables)"),
        (fx, "convert_table", "8 build (canonical table, currency, keys across tables)"),
        (quality, "join_problems", "8 build (canonical table, currency, keys across tables)"),
    ]
    settings = Settings.from_env()
    con = duckdb.connect(":memory:", config=settings.duckdb_config(tempfile.mkdtemp()))
    with _all(wrapped(module, name, stage) for module, name, stage in wraps):
        start = time.perf_counter()
        ingest.load_paths(con, [folder])
        spent["total import"] = time.perf_counter() - start
        start = time.perf_counter()
        engine.compute(con, None, None, breakdowns=False)
        spent["9 compute (every entry)"] = time.perf_counter() - start
    return dict(spent)


@contextmanager
def _all(managers):
    entered = []
    try:
        for manager in managers:
            manager.__enter__()
            entered.append(manager)
        yield
    finally:
        for manager in reversed(entered):
            manager.__exit__(None, None, None)


def measure(folder: Path, runs: int) -> dict:
    files_mb = sum(p.stat().st_size for p in folder.rglob("*.csv")) / 1e6
    floor, whole, peaks, stages = [], [], [], defaultdict(list)
    for _ in range(runs):  # alternating, so a busy moment of the machine falls on both
        floor.append(timed_process([sys.executable, "-c", FLOOR, str(folder)])[0])
        wall, peak = timed_process([sys.executable, "-m", "core", "metrics", str(folder), "--json"])
        whole.append(wall)
        peaks.append(peak)
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(folder)], check=True, capture_output=True, text=True, cwd=ROOT
        )
        for stage, seconds in json.loads(child.stdout).items():
            stages[stage].append(seconds)
    return {
        "files_mb": files_mb,
        "floor": statistics.median(floor),
        "whole": statistics.median(whole),
        "peak_mb": max(peaks),
        "stages": {stage: statistics.median(values) for stage, values in sorted(stages.items())},
    }


def table(results: dict[str, dict]) -> str:
    lines = ["| export | step | median | note |", "|---|---|---|---|"]
    for label, m in results.items():
        ratio = m["whole"] / m["floor"]
        lines.append(
            f"| {label} | floor: DuckDB read_csv of every file | {m['floor']:.2f} s | {m['files_mb']:.0f} MB |"
        )
        lines.append(
            f"| {label} | whole `python -m core metrics --json` | {m['whole']:.2f} s | "
            f"{ratio:.2f}x the floor; peak {m['peak_mb']:,.0f} MB = {m['peak_mb'] / m['files_mb']:.1f}x the files |"
        )
        for stage, seconds in m["stages"].items():
            lines.append(f"| {label} | {stage} | {seconds:.2f} s | in process |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1m", help="lead counts of the sample company and of the pair")
    parser.add_argument("--with-10m", action="store_true", help="also 10 million leads")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", action="append", type=Path, default=[], help="another export folder")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(stage_times(args.child)))
        return
    sizes = [datagen.parse_size(s) for s in args.sizes.split(",")] + ([10_000_000] if args.with_10m else [])
    folders = {}
    for leads in sizes:
        folders[f"report pair, {datagen.size_label(leads)} leads"] = report_pair(leads)
        folders[f"sample company, {datagen.size_label(leads)} leads"] = datagen.ensure(leads)
    folders |= {str(folder): folder for folder in args.folder}
    results = {label: measure(folder, args.runs) for label, folder in folders.items()}
    print(table(results))


if __name__ == "__main__":
    main()
