"""One Explore query, run in its own short-lived process: `python -I core/sandbox_worker.py PID < request.json`.

Started by core.explore with the server's process id as its argument, the process dies with that process
(core.processes), opens the session's sandbox file read-only with external access disabled and the configuration
locked, caps its own address space and CPU time, runs the query and writes an Arrow IPC stream to stdout, or
one JSON line `{"error": kind, "message": text}`. Every column it sends is flat: numbers, text, true/false, dates
and times as they are, anything else (lists, structs, maps, unions, bits, intervals, blobs) as DuckDB's own text
for it, so the app server never turns a nested value into Python objects one element at a time. A query that builds values outside DuckDB's memory
accounting (a string grown by nested `replace`, `repeat`, `lpad`) hits the address-space cap here, not the
app server; a query that ignores interrupts is killed by the parent, and past its CPU time by the system.
Imports only the standard library, core.processes, duckdb and pyarrow so that it starts fast.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `python -I` leaves the project off the path

from core.processes import die_with_parent  # noqa: E402

if __name__ == "__main__":
    die_with_parent(int(sys.argv[1]))  # before the slower imports below

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

MB = 2**20
ADDRESS_SPACE_HEADROOM_MB = 1024  # interpreter, duckdb, pyarrow and thread stacks, beyond DuckDB's own limit
NICENESS = 10  # queries run behind the app server's own work: a runaway query slows pages and uploads little


# Types sent as they are: each value is one flat cell a table can show. Every other type is sent as text.
FLAT_TYPES = {
    "boolean", "tinyint", "smallint", "integer", "bigint", "utinyint", "usmallint", "uinteger", "ubigint",
    "float", "double", "decimal", "varchar", "date", "time", "timestamp", "timestamp with time zone",
    "timestamp_s", "timestamp_ms", "timestamp_ns",
}  # fmt: skip


class ResultTooLarge(Exception):
    pass


class ResultTooWide(Exception):
    pass


def connect(request: dict) -> duckdb.DuckDBPyConnection:
    config = {
        "memory_limit": f"{request['memory_mb']}MB",
        "threads": "1",
        "temp_directory": request["temp_dir"],
        "max_temp_directory_size": f"{request['temp_mb']}MB",
        "python_enable_replacements": "false",
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
    }
    con = duckdb.connect(request["database"], read_only=True, config=config)
    con.execute("SET enable_external_access = false")  # after temp_directory, which it would otherwise forbid
    con.execute("SET lock_configuration = true")
    return con


def error_kind(error: Exception) -> str:
    if isinstance(error, duckdb.PermissionException):
        return "permission"
    if isinstance(error, (duckdb.OutOfMemoryException, MemoryError)):
        return "memory"
    return "error"


def answer(request: dict) -> pa.Table:
    con = connect(request)
    relation = con.sql(request["sql"])
    if len(relation.columns) > request["column_limit"]:
        raise ResultTooWide(f"{len(relation.columns)} columns")
    table = flat(relation).limit(request["row_limit"] + 1).to_arrow_table()
    if table.nbytes > request["result_mb"] * MB:
        raise ResultTooLarge(f"result larger than {request['result_mb']} MB")
    return table


def flat(relation: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """The relation with every column not of a flat type cast to text, by position (names may repeat)."""
    if all(kind.id in FLAT_TYPES for kind in relation.types):
        return relation
    columns = [
        f"#{position}" if kind.id in FLAT_TYPES else f"CAST(#{position} AS VARCHAR)"
        for position, kind in enumerate(relation.types, start=1)
    ]
    named = [f"{column} AS {_quote(name)}" for column, name in zip(columns, relation.columns, strict=True)]
    return relation.project(", ".join(named))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def main() -> int:
    request = json.loads(sys.stdin.read())
    cap = (request["memory_mb"] + ADDRESS_SPACE_HEADROOM_MB) * MB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    seconds = int(request["timeout_s"]) + 2  # a backstop: the server kills the query after timeout_s of wall clock
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))  # SIGXCPU, then SIGKILL a second later
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would dump the query's memory into the folder
    os.nice(NICENESS)
    try:
        table = answer(request)
    except ResultTooLarge as error:
        print(json.dumps({"error": "too_large", "message": str(error)}), flush=True)
        return 1
    except ResultTooWide as error:
        print(json.dumps({"error": "too_wide", "message": str(error)}), flush=True)
        return 1
    except (duckdb.Error, MemoryError) as error:
        message = str(error).split("\n")[0]
        print(json.dumps({"error": error_kind(error), "message": message}), flush=True)
        return 1
    with pa.ipc.new_stream(sys.stdout.buffer, table.schema) as stream:
        stream.write_table(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
