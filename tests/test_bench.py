"""A smoke run of the data-path benchmark at a tiny size, so the script cannot rot. No timing is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench import datagen
from bench.results import write_section
from bench.run import BEGIN, END, ROW_NAMES, SECTION

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_script_writes_every_row_and_pandas_agrees(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# Results\n\nkept above\n\n{BEGIN}\nold table\n{END}\n\nkept below\n")
    command = [sys.executable, "bench/run.py", "--sizes", "2k", "--runs", "1", "--memory-limit", "1GB"]
    command += ["--results", str(results), "--data-dir", str(tmp_path / "data")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    text = results.read_text()
    assert "kept above" in text and "kept below" in text and "old table" not in text
    rows = [line for line in text.splitlines() if line.startswith("| 2k |")]
    assert [row.split(" | ")[1] for row in rows] == list(ROW_NAMES)
    equal = next(row for row in rows if "pandas results equal ours" in row)
    assert equal.split(" | ")[2] == "yes", equal
    metrics = next(row for row in rows if "all 33 catalogue entries" in row)
    assert "of 33 available" in metrics
    leads = (tmp_path / "data" / "2k" / "hubspot_contacts.csv").read_text().count("\n") - 1
    assert 2_000 <= leads <= 2_010  # 2,000 leads plus the contacts the generator exports twice


def test_sizes_parse_and_label():
    assert [datagen.parse_size(s) for s in ("100k", "1m", "2500", "1.5m")] == [100_000, 1_000_000, 2_500, 1_500_000]
    assert [datagen.size_label(n) for n in (100_000, 1_000_000, 10_000_000, 2_500)] == ["100k", "1m", "10m", "2500"]


def test_write_section_creates_the_file_and_replaces_only_its_section(tmp_path):
    path = tmp_path / "RESULTS.md"
    write_section(path, SECTION, f"{BEGIN}\none\n{END}")
    assert path.read_text().startswith("# Benchmark results")
    path.write_text(path.read_text() + "\n<!-- bench:other -->\nother\n<!-- /bench:other -->\n")
    write_section(path, SECTION, f"{BEGIN}\ntwo\n{END}")
    text = path.read_text()
    assert "two" in text and "one" not in text and "other" in text


def test_large_sizes_are_parts_concatenated_into_one_export(tmp_path):
    folder = datagen.ensure(3_000, tmp_path, part_leads=1_500)
    deals = (folder / "salesforce_opportunities_report.csv").read_bytes().decode().split("\r\n")
    assert deals[0].startswith('"Opportunity ID"') and sum(line.startswith('"Opportunity ID"') for line in deals) == 1
    assert sum("Confidential Information" in line for line in deals) == 1 and "Copyright" in deals[-2]
    ids = [line.split(",")[0] for line in deals[1:-4]]
    assert len(ids) == len(set(ids)) > 100
    leads = (folder / "hubspot_contacts.csv").read_text().splitlines()[1:]
    assert 3_000 <= len(leads) <= 3_010
    products = (folder / "salesforce_products.csv").read_text()
    assert products.count("Insight Cloud Analytics") == 1  # company-wide files come from the first part only
