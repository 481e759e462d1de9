"""Export folders of the sample company at benchmark sizes, generated once into bench/data/ and reused.

Up to PART_LEADS leads, one run of sample_data/generate.py writes the folder. Larger sizes are generated as
parts of PART_LEADS leads (each with its own seed and id block, two at a time) and concatenated file by file into
one export, so the generator's memory stays that of one part. Company-wide files (products, staff roster, ledger,
profile) come from the first part.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "sample_data" / "generate.py"
DATA_DIR = ROOT / "bench" / "data"
PART_LEADS = 1_000_000
SEED = 20261101
COMPANY_WIDE = {"salesforce_products.csv", "bamboohr_employees.csv", "gl_sales_marketing_extract.csv"}
MARKER = "generated.json"


def parse_size(text: str) -> int:
    """`100k` → 100000, `1m` → 1000000, `2500` → 2500."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor > 1 else text
    return int(float(number) * factor)


def size_label(leads: int) -> str:
    if leads % 1_000_000 == 0:
        return f"{leads // 1_000_000}m"
    return f"{leads // 1_000}k" if leads % 1_000 == 0 else str(leads)


def ensure(leads: int, data_dir: Path = DATA_DIR, part_leads: int = PART_LEADS) -> Path:
    """The folder of exports with `leads` leads, generated unless a complete one is already there."""
    folder = data_dir / size_label(leads)
    marker = folder / MARKER
    if marker.is_file() and json.loads(marker.read_text()).get("leads") == leads:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    if leads <= part_leads:
        _generate(folder, leads, 0)
    else:
        _generate_in_parts(folder, leads, part_leads)
    marker.write_text(json.dumps({"leads": leads}) + "\n")
    return folder


def csv_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv"))


def _generate(folder: Path, leads: int, part: int) -> None:
    command = [sys.executable, str(GENERATOR), str(folder), "--leads", str(leads), "--part", str(part)]
    subprocess.run([*command, "--seed", str(SEED + part)], check=True)


def _generate_in_parts(folder: Path, leads: int, part_leads: int) -> None:
    sizes = [part_leads] * (leads // part_leads) + ([leads % part_leads] if leads % part_leads else [])
    parts = [folder / "parts" / f"part{k}" for k in range(len(sizes))]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(_generate, parts, sizes, range(len(sizes))))
    for first in csv_files(parts[0]):
        chosen = parts[:1] if first.name in COMPANY_WIDE else parts
        _concatenate([part / first.name for part in chosen], folder / first.name)
    shutil.copy(parts[0] / "company_profile.json", folder / "company_profile.json")
    shutil.rmtree(folder / "parts")


def _concatenate(paths: list[Path], target: Path) -> None:
    """One export from parts: the first header, every body, and a report footer (Salesforce) once at the end."""
    footer = _footer(paths[0])
    with target.open("wb") as out:
        for index, path in enumerate(paths):
            with path.open("rb") as source:
                header = source.readline()
                if index == 0:
                    out.write(header)
                remaining = path.stat().st_size - len(header) - len(footer)
                while remaining > 0:
                    chunk = source.read(min(remaining, 1 << 24))
                    out.write(chunk)
                    remaining -= len(chunk)
        out.write(footer)


def _footer(path: Path) -> bytes:
    """The Salesforce report footer the file ends with (a blank line and two notices), or nothing."""
    with path.open("rb") as source:
        source.seek(max(path.stat().st_size - 4096, 0))
        tail = source.read()
    start = tail.rfind(b'\r\n""\r\n')
    return tail[start + 2 :] if start >= 0 and b"Confidential" in tail[start:] else b""
