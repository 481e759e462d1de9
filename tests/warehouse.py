"""A local warehouse for the engine tests and benchmarks: a throwaway PostgreSQL server, and a company's exports as a
warehouse would hold them (typed columns under the export's headers, as a sync tool names them), made from the
tables DuckDB ingest built. The mapping file ingest writes then turns them back into canonical views.
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd

from core.imports.reading import normalise_header
from core.ingest import Workspace

POSTGRES_ROOT = Path("/usr/lib/postgresql")
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
POSTGRES_TYPES = {"VARCHAR": "text", "TIMESTAMP": "timestamp", "DOUBLE": "double precision", "BOOLEAN": "boolean"}
VALUE_MAPPED = {"outcome", "status_class", "role_class", "function", "category", "purpose"}
DERIVED = VALUE_MAPPED | {"is_won", "is_closed"}


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian's layout), or None."""
    found = sorted(POSTGRES_ROOT.glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its programs as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def local_postgres(password: str | None = None) -> Iterator[str]:
    """A fresh server in a temporary folder, listening on a Unix socket only (no network), with C collation
    (text sorts as DuckDB sorts it); yields its connection string and stops it, whatever happens. With a
    `password`, logins must give it (the user `postgres`'s; the connection string holds it)."""
    programs = postgres_bin()
    if programs is None:
        raise FileNotFoundError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="gtm-pg-"))
    folder.chmod(0o777)
    data, port = folder / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    auth = ["--auth=trust"]
    if password:
        (folder / "password").write_text(password)
        auth = ["--auth=scram-sha-256", f"--pwfile={folder / 'password'}"]
    subprocess.run(
        _as_postgres([str(programs / "initdb"), "-D", str(data), "-U", "postgres", *auth, "--locale=C", "-E", "UTF8"]),
        **quiet,
    )
    options = f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off -c max_parallel_workers_per_gather=0"
    subprocess.run(_as_postgres([str(programs / "pg_ctl"), "-D", str(data), "-o", options, "-w", "start"]), **quiet)
    try:
        yield f"host={folder} port={port} user=postgres dbname=postgres" + (f" password={password}" if password else "")
    finally:
        subprocess.run(_as_postgres([str(programs / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]), **quiet)
        shutil.rmtree(folder, ignore_errors=True)


def warehouse_name(header: str) -> str:
    """`Opportunity ID` as a sync tool writes it: opportunity_id."""
    return normalise_header(header).replace(" ", "_")


def export_selects(ws: Workspace) -> dict[str, str]:
    """Per loaded file, a DuckDB SELECT of its rows as a warehouse table: each mapped column under its header's
    warehouse name, holding the canonical field's typed value (for a column several fields read, a field ingest
    reads as it is, not one it derives by a value map: the view derives those again)."""
    selects = {}
    for loaded in ws.files:
        if not loaded.kind:
            continue
        assert sum(f.kind == loaded.kind for f in ws.files) == 1, "one file per kind: its rows are the table's"
        columns: dict[str, str] = {}
        for name, column in sorted(loaded.mapping.fields.items(), key=lambda item: item[0] in DERIVED):
            columns.setdefault(column, name)
        items = ", ".join(f'{_as_written(name)} AS "{warehouse_name(column)}"' for column, name in columns.items())
        selects[Path(loaded.name).stem] = f'SELECT {items} FROM "{loaded.kind}"'
    return selects


def _as_written(name: str) -> str:
    """A field ingest classed by a value map from its own column holds the class (`win_back`): the warehouse
    holds it as a word a person writes (`win back`), which the view classes again."""
    return f"replace(\"{name}\", '_', ' ')" if name in VALUE_MAPPED else f'"{name}"'


def column_types(con: duckdb.DuckDBPyConnection, select: str) -> list[tuple[str, str]]:
    described = con.execute(f"DESCRIBE {select}").fetchall()
    return [(row[0], row[1]) for row in described]


def load_into_postgres(con: duckdb.DuckDBPyConnection, selects: dict[str, str], conninfo: str, schema: str) -> None:
    """Copy each SELECT's rows into a table of `schema` (created), through CSV."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as pg, tempfile.TemporaryDirectory() as folder:
        pg.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        pg.execute(f'CREATE SCHEMA "{schema}"')
        for table, select in selects.items():
            typed = ", ".join(f'"{name}" {POSTGRES_TYPES[kind]}' for name, kind in column_types(con, select))
            pg.execute(f'CREATE TABLE "{schema}"."{table}" ({typed})')
            path = Path(folder) / f"{table}.csv"
            con.execute(f"COPY ({select}) TO '{path}' (HEADER false)")
            with (
                pg.cursor().copy(f'COPY "{schema}"."{table}" FROM STDIN (FORMAT csv)') as copy,
                path.open("rb") as rows,
            ):
                while chunk := rows.read(1 << 20):
                    copy.write(chunk)
            pg.execute(f'ANALYZE "{schema}"."{table}"')


@contextlib.contextmanager
def sample_warehouse(folder: Path, password: str) -> Iterator[tuple[Workspace, str, Path]]:
    """The sample company's exports in schema crm of a local server whose logins need `password` (plus a table no
    mapping entry reads), with the mapping file ingest writes for them, saved in `folder`: yields the DuckDB
    workspace of the sample, the server's connection string and the mapping file."""
    import psycopg

    from core.ingest import load_paths

    ws = load_paths(duckdb.connect(), sorted(SAMPLE.glob("*.csv")))
    mapping = folder / "mappings.json"
    mapping.write_text(ws.mappings_file())
    with local_postgres(password) as conninfo:
        load_into_postgres(ws.con, export_selects(ws), conninfo, "crm")
        with psycopg.connect(conninfo, autocommit=True) as pg:
            pg.execute("CREATE TABLE crm.meeting_notes (note text)")
        yield ws, conninfo, mapping


def secrets_section(conninfo: str, mapping_file: Path, **changes) -> dict:
    """A `[connections.warehouse]` section as a deployment writes it, for the server of `conninfo`."""
    from psycopg.conninfo import conninfo_to_dict

    server = conninfo_to_dict(conninfo)
    section = {
        "dialect": "postgresql",
        "host": server["host"],
        "port": int(server["port"]),
        "database": server["dbname"],
        "username": server["user"],
        "password": server["password"],
        "schema": "crm",
        "mapping": str(mapping_file),
        "tables": [
            "hubspot_contacts",
            "salesforce_opportunities_report",
            "salesforce_opportunity_history",
            "salesforce_accounts",
            "salesforce_activities",
            "salesforce_products",
            "erp_invoice_lines",
            "gl_sales_marketing_extract",
            "bamboohr_employees",
            "delighted_nps_responses",
        ],
        "profile": str(SAMPLE / "company_profile.json"),
        "label": "Brightline warehouse",
    }
    return section | changes


# ---- comparing results ------------------------------------------------------------------------------------------
def assert_same_figure(expected, found, where: str) -> None:
    """Counts (whole numbers) exactly, other figures to 1e-9 relative (1e-12 absolute for a figure that is zero
    but for the last bits of a floating sum); text, dates and flags as they are."""
    if isinstance(expected, bool) or not isinstance(expected, int | float) or not isinstance(found, int | float):
        assert expected == found, f"{where}: {expected!r} here, {found!r} there"
    elif math.isnan(expected) or math.isnan(found):
        assert math.isnan(expected) and math.isnan(found), f"{where}: {expected!r} here, {found!r} there"
    elif float(expected).is_integer() and float(found).is_integer():
        assert expected == found, f"{where}: {expected!r} here, {found!r} there"
    else:
        assert math.isclose(expected, found, rel_tol=1e-9, abs_tol=1e-12), (
            f"{where}: {expected!r} here, {found!r} there"
        )


def assert_same_frame(expected: pd.DataFrame | None, found: pd.DataFrame | None, where: str) -> None:
    if expected is None or found is None:
        assert expected is None and found is None, f"{where}: one side has no rows"
        return
    assert list(expected.columns) == list(found.columns), where
    assert len(expected) == len(found), f"{where}: {len(expected)} rows here, {len(found)} there"
    for column in expected.columns:
        mine, theirs = expected[column].tolist(), found[column].tolist()
        if column == "period":
            mine, theirs = [pd.Timestamp(v) for v in mine], [pd.Timestamp(v) for v in theirs]
        for row, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            assert_same_figure(a, b, f"{where} row {row} {column}")


def assert_same_results(expected: dict, found: dict) -> None:
    """Every metric's availability, value, details, trend and breakdowns."""
    assert list(expected) == list(found)
    for metric_id, mine in expected.items():
        theirs = found[metric_id]
        assert (mine.available, mine.missing) == (theirs.available, theirs.missing), metric_id
        assert_same_figure(mine.value, theirs.value, f"{metric_id} value")
        assert set(mine.details) == set(theirs.details), metric_id
        for name, figure in mine.details.items():
            assert_same_figure(figure, theirs.details[name], f"{metric_id} {name}")
        assert mine.rows_used == theirs.rows_used, metric_id
        assert_same_frame(mine.trend, theirs.trend, f"{metric_id} trend")
        assert set(mine.breakdowns) == set(theirs.breakdowns), metric_id
        for dim, table in mine.breakdowns.items():
            assert_same_frame(table, theirs.breakdowns[dim], f"{metric_id} by {dim}")


def assert_same_json(here: dict, there: dict) -> None:
    """Two outputs of `python -m core metrics --json`: every entry's words alike, its figures as assert_same_figure
    compares them."""
    assert [item["id"] for item in here["metrics"]] == [item["id"] for item in there["metrics"]]
    for mine, theirs in zip(here["metrics"], there["metrics"], strict=True):
        words = ("name", "stage", "unit", "available", "missing")
        assert {k: mine[k] for k in words} == {k: theirs[k] for k in words}
        assert_same_figure(mine["value"], theirs["value"], mine["id"])
        assert mine["details"].keys() == theirs["details"].keys()
        for name, figure in mine["details"].items():
            assert_same_figure(figure, theirs["details"][name], f"{mine['id']} {name}")


def load_into_spark(con: duckdb.DuckDBPyConnection, selects: dict[str, str], spark, folder: Path) -> None:
    """Each SELECT's rows as a Parquet file in `folder`, read by `spark` as a temporary view of its name (a table
    of the lakehouse)."""
    for table, select in selects.items():
        path = folder / f"{table}.parquet"
        con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
        spark.read.parquet(str(path)).createOrReplaceTempView(table)


def spark_missing() -> str | None:
    """Why Spark cannot run here, or None."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (requirements-test.txt)"
    if shutil.which("java") is None:
        return "no Java runtime (scripts/run-tests.sh installs Debian's openjdk-17-jre-headless)"
    return None
