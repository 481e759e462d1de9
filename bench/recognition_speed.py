"""How long recognition (profiling a file's values and deciding its kind and mapping) takes in a real load, for a
HubSpot contacts export of 100k and 1M leads (and 10M with --10m).

    python bench/recognition_speed.py [--sizes 100k,1m] [--10m] [--runs 3] [--write]

Per size, the median of `--runs` runs, each on a fresh connection set up as the app's (bench/steps.connect):

* read alone: `read_upload` of the file as `load_paths` reads it (large bodies left in a file, read in one pass);
* load_paths: the whole load of the file, recognition included, and load − read (recognition, typing, checks and
  building the canonical table);
* profile + recognise alone: `profile_table` and `recognise` on the raw table the read gave (what recognition
  itself costs inside the load), and their share of the load.

The file is the sample company's HubSpot contacts (sample_data/hubspot_contacts.csv, written by
sample_data/generate.py), repeated with fresh record ids up to the size, generated once into
bench/data/recognition/. `--write` puts the table into bench/RESULTS.md under "Recognition"."""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.datagen import parse_size, size_label  # noqa: E402
from bench.results import write_section  # noqa: E402
from bench.steps import connect  # noqa: E402
from core.imports.profile import profile_table  # noqa: E402
from core.imports.reading import FileBytes, ReadOptions  # noqa: E402
from core.imports.recognise import recognise  # noqa: E402
from core.ingest import Workspace, load_paths  # noqa: E402

TEMPLATE = ROOT / "sample_data" / "hubspot_contacts.csv"
DATA_DIR = ROOT / "bench" / "data" / "recognition"
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "recognition"
BEGIN, END = f"<!-- bench:{SECTION} -->", f"<!-- /bench:{SECTION} -->"
MEMORY_LIMIT = "4GB"


def export(leads: int) -> Path:
    """hubspot_contacts.csv with `leads` rows: the sample's rows again and again, each copy with new record ids."""
    path = DATA_DIR / size_label(leads) / "hubspot_contacts.csv"
    if path.is_file() and path.with_suffix(".done").is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open(newline="") as handle:
        reader = csv.reader(handle)
        header, rows = next(reader), list(reader)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        written, copy = 0, 0
        while written < leads:
            for row in rows[: leads - written]:
                writer.writerow([f"{copy}{row[0]}", *row[1:]])
            written += min(len(rows), leads - written)
            copy += 1
    path.with_suffix(".done").write_text(f"{leads}\n")
    return path


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def one_run(path: Path, spill: Path) -> dict[str, float]:
    """Seconds of each measured step in one run, each on its own fresh connection."""
    con = connect(MEMORY_LIMIT, spill)
    ws = Workspace(con)
    read_s, raws = timed(
        lambda: ws._read(path.name, FileBytes.of(path), ReadOptions(), keep_body=True, origin=str(path.resolve()))
    )
    (raw,) = raws
    profile_s, profile = timed(lambda: profile_table(con, raw))
    recognise_s, recognition = timed(lambda: recognise(profile))
    assert recognition.kind == "leads", recognition.kind
    con.close()
    con = connect(MEMORY_LIMIT, spill)
    load_s, loaded = timed(lambda: load_paths(con, [path]))
    (entry,) = loaded.inspect()
    assert entry["kind"] == "leads" and entry["rows_loaded"] > 0, entry["kind"]
    con.close()
    return {"read": read_s, "load": load_s, "profile": profile_s, "recognise": recognise_s, "rows": raw.rows_read}


def seconds(value: float) -> str:
    return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:,.2f} s"


def measure(sizes: list[int], runs: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="gtm-recognition-bench-") as spill:
        for leads in sizes:
            path = export(leads)
            results = [one_run(path, Path(spill)) for _ in range(runs)]
            median = {key: statistics.median(r[key] for r in results) for key in ("read", "load", "profile")}
            median["recognise"] = statistics.median(r["recognise"] for r in results)
            median["alone"] = statistics.median(r["profile"] + r["recognise"] for r in results)
            median["load_minus_read"] = statistics.median(r["load"] - r["read"] for r in results)
            rows.append({"leads": leads, "mb": path.stat().st_size / 1024**2, **median})
            print(f"{size_label(leads)}: done ({runs} runs)", flush=True)
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| leads | file | read alone | load_paths (with recognition) | load − read | profile_table + recognise "
        "alone | of which profile_table | recognition / load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {size_label(r['leads'])} | {r['mb']:,.0f} MB | {seconds(r['read'])} | {seconds(r['load'])} | "
            f"{seconds(r['load_minus_read'])} | {seconds(r['alone'])} | {seconds(r['profile'])} | "
            f"{r['alone'] / r['load']:.1%} |"
        )
    return "\n".join(lines)


def machine() -> str:
    return (
        f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}, duckdb {duckdb.__version__}"
    )


def load_average() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def section(text: str, command: str, before: str, after: str, runs: int) -> str:
    return "\n".join(
        [
            BEGIN,
            "## Recognition",
            "",
            f"Recognition speed, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {machine()}; load average "
            f"(1 min) {before} at the start of the run, {after} at its end. Command: `{command}`.",
            "",
            text,
            "",
            f"Median of {runs} runs, each on a fresh connection set up as the app's ({MEMORY_LIMIT} `memory_limit`). "
            "The file is the sample company's HubSpot contacts repeated with fresh record ids. *Read alone* is "
            "`read_upload` as `load_paths` calls it (a large body is left in a file and read in one pass with the "
            "typing, so the raw table holds its first 50,000 rows); *load − read* is everything else the load does "
            "(profiling, recognition, typing, checks, building the canonical table); *profile_table + recognise "
            "alone* is recognition's own cost, measured on the raw table the read gave (a 2,000-row sample).",
            END,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1m", help="lead counts, comma-separated (100k, 1m, ...)")
    parser.add_argument("--10m", dest="ten_million", action="store_true", help="also 10 million leads (2.5 GB)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="put the table into bench/RESULTS.md")
    args = parser.parse_args()
    sizes = [parse_size(size) for size in args.sizes.split(",") if size.strip()]
    if args.ten_million and 10_000_000 not in sizes:
        sizes.append(10_000_000)
    before = load_average()
    print(f"Machine: {machine()}; load average (1 min) {before}")
    rows = measure(sizes, args.runs)
    after = load_average()
    text = table(rows)
    print(text)
    print(f"Load average (1 min) at the end: {after}")
    if args.write:
        command = "python bench/recognition_speed.py " + " ".join(sys.argv[1:])
        write_section(RESULTS, SECTION, section(text, command.strip(), before, after, args.runs))


if __name__ == "__main__":
    main()
