"""The catalogue on three engines at benchmark sizes of the sample company: DuckDB (the uploads' engine), a local
PostgreSQL and Spark in local mode, each reading the same exports (PostgreSQL and Spark as a warehouse holds them,
through canonical views from the mapping file ingest writes).

    python bench/engines.py --sizes 1m [--with-10m] [--spark-master local[2]]

Per engine: *setup* (DuckDB: our ingest of the CSVs; PostgreSQL: COPY of the typed tables and the views;
Spark: Parquet files and the views), then all 33 entries with value, details and trend as the CLI computes them,
*cold* (a fresh session, so its derived tables are built) and *warm* (again, on the same session), and how many
entries agree with DuckDB. Reported, never asserted: the figures depend on the machine and on what else runs on
it. The table is printed and written to bench/RESULTS.md between the engines markers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from bench import datagen  # noqa: E402
from bench.results import write_section  # noqa: E402
from core.engines.views import create_views  # noqa: E402
from core.ingest import load_paths, parse_mapping_file  # noqa: E402
from core.metrics import engine  # noqa: E402
from core.sample import profile_from_file  # noqa: E402
from tests.warehouse import export_selects, load_into_postgres, load_into_spark, local_postgres  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "engines"


def timed(step):
    started = time.perf_counter()
    value = step()
    return value, time.perf_counter() - started


def computed(source, profile) -> dict:
    """Cold and warm seconds of all entries (value, details, trend), and the JSON of the cold run."""
    results, cold = timed(lambda: engine.compute(source, None, profile, breakdowns=False))
    _, warm = timed(lambda: engine.compute(source, None, profile, breakdowns=False))
    return {"cold": cold, "warm": warm, "json": engine.to_json(results)["metrics"]}


def agreeing(expected: list[dict], found: list[dict]) -> int:
    """Entries whose availability, value and details are those of DuckDB (1e-9 relative)."""

    def same(a, b) -> bool:
        if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
            return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-12
        return a == b

    return sum(
        mine["available"] == theirs["available"]
        and same(mine["value"], theirs["value"])
        and all(same(figure, theirs["details"].get(name)) for name, figure in mine["details"].items())
        for mine, theirs in zip(expected, found, strict=True)
    )


def measure(leads: int, master: str) -> list[tuple]:
    folder = datagen.ensure(leads)
    profile = profile_from_file(folder / "company_profile.json")
    con = duckdb.connect(config={"memory_limit": "4GB", "threads": 2})
    ws, ingest = timed(lambda: load_paths(con, datagen.csv_files(folder)))
    duck = computed(ws.con, profile)
    rows = [("DuckDB", ingest, duck, len(duck["json"]))]
    selects, decisions = export_selects(ws), parse_mapping_file(ws.mappings_file())
    with local_postgres() as conninfo:
        rows.append(("PostgreSQL 15", *_postgres(ws, selects, decisions, conninfo, profile, duck)))
    rows.append((f"Spark {master}", *_spark(ws, selects, decisions, master, profile, duck)))
    return rows


def _postgres(ws, selects, decisions, conninfo, profile, duck) -> tuple:
    from core.engines.postgres import PostgresBackend

    started = time.perf_counter()
    load_into_postgres(ws.con, selects, conninfo, "crm")
    backend = PostgresBackend(conninfo, "crm")
    create_views(backend, decisions, list(selects))
    setup = time.perf_counter() - started
    found = computed(backend, profile)
    backend.close()
    return setup, found, agreeing(duck["json"], found["json"])


def _spark(ws, selects, decisions, master, profile, duck) -> tuple:
    from core.engines.spark import SparkBackend, local_session

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        session = local_session(master)
        load_into_spark(ws.con, selects, session, Path(folder))
        backend = SparkBackend(session)
        create_views(backend, decisions, list(selects))
        setup = time.perf_counter() - started
        found = computed(backend, profile)
        backend.close()
        session.stop()
    return setup, found, agreeing(duck["json"], found["json"])


def table_lines(measured: dict[int, list[tuple]]) -> list[str]:
    lines = [
        "| leads | engine | setup | all entries, cold | all entries, warm | entries agreeing with DuckDB |",
        "|---|---|---|---|---|---|",
    ]
    for leads, rows in measured.items():
        for name, setup, figures, agree in rows:
            lines.append(
                f"| {datagen.size_label(leads)} | {name} | {setup:.1f} s | {figures['cold']:.1f} s | "
                f"{figures['warm']:.1f} s | {agree} of 33 |"
            )
    return lines


def growth_lines(measured: dict[int, list[tuple]]) -> list[str]:
    """How each engine's cold time grows from the smallest size to the largest."""
    sizes = sorted(measured)
    if len(sizes) < 2:
        return []
    label = f"{datagen.size_label(sizes[0])} → {datagen.size_label(sizes[-1])}"
    return [
        f"- {small[0]}, {label}: cold {small[2]['cold']:.1f} s → {large[2]['cold']:.1f} s "
        f"({large[2]['cold'] / small[2]['cold']:.1f}× the time for {sizes[-1] / sizes[0]:.0f}× the leads)"
        for small, large in zip(measured[sizes[0]], measured[sizes[-1]], strict=True)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1m", help="lead counts, comma-separated (100k, 1m, ...)")
    parser.add_argument("--with-10m", action="store_true", help="add 10m leads")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the RESULTS.md to write the section into")
    args = parser.parse_args(argv)
    sizes = [datagen.parse_size(size) for size in args.sizes.split(",")] + ([10_000_000] if args.with_10m else [])
    load = os.getloadavg()[0]
    measured = {leads: measure(leads, args.spark_master) for leads in sizes}
    command = f"python bench/engines.py --sizes {args.sizes}{' --with-10m' if args.with_10m else ''}"
    text = "\n".join(
        [
            f"<!-- bench:{SECTION} -->",
            "## Engines: DuckDB, PostgreSQL, Spark",
            "",
            f"Command: `{command}`. {os.cpu_count()} CPUs; load average (1 min) {load:.1f} at the start, "
            f"{os.getloadavg()[0]:.1f} at the end (other work on the machine slows every engine alike).",
            "",
            *table_lines(measured),
            *([""] + growth_lines(measured) if len(measured) > 1 else []),
            "",
            "Setup: DuckDB reads and cleans the CSVs (our ingest); PostgreSQL gets the typed tables by COPY and makes "
            "its views; Spark gets them as Parquet files and makes its views. *Cold*: the first computation of "
            "the session, building its derived tables; *warm*: the same again. Value, details and trend of every "
            "entry, as `python -m core metrics` computes them.",
            f"<!-- /bench:{SECTION} -->",
        ]
    )
    print(text)
    write_section(args.results, SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
