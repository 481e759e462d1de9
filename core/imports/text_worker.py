"""The Python CSV reader over one file, in its own process: `python -I text_worker.py PID < request.json`.

Started by core.imports.workers for a file DuckDB cannot read where it lies, with the server's process id as its
argument. It dies with that process, lowers its priority, caps its address space and CPU time, reads the file at
`request["path"]` exactly as the server would (core.imports.reading), writes the loaded rows to the Parquet file
`request["output"]` batch by batch and prints one JSON line: `{"table": ...}`, the rest of the RawTable (rejected
rows, notes, counts), or `{"refused": message}` when the file is over a budget (exit 1), or `{"error": "memory"}`
(exit 2); past its CPU time the system ends it (SIGXCPU). A worker killed half way leaves a Parquet file that
nobody reads.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `python -I` leaves the project off the path

from core.processes import die_with_parent  # noqa: E402

NICENESS = 10  # behind the server's own work: a long read slows pages and small uploads little
OUT_OF_MEMORY = json.dumps({"error": "memory"}).encode() + b"\n"  # made before the cap: no allocation after

if __name__ == "__main__":
    die_with_parent(int(sys.argv[1]))  # before the slow imports below

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from core.imports import reading  # noqa: E402


class ParquetSink:
    """The reader's batches, appended to one Parquet file (made by the first batch, even an empty one)."""

    table = ""  # the server names the table it makes from the file

    def __init__(self, path: str):
        self.path = path
        self.writer: pq.ParquetWriter | None = None

    def append(self, rows: pa.Table) -> None:
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, rows.schema)
        self.writer.write_table(rows)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def answer(request: dict) -> dict:
    sink = ParquetSink(request["output"])
    try:
        raw = reading.read_text_file(request, sink)
    finally:
        sink.close()
    fields = dataclasses.asdict(raw)
    for computed in ("table", "body"):
        del fields[computed]
    return {"table": fields}


def main() -> int:
    request = json.loads(sys.stdin.read())
    cap = request["address_space_mb"] * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    cpu_s = request["cpu_s"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))  # SIGXCPU, then SIGKILL a second later
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would dump the worker's memory into the folder
    os.nice(NICENESS)
    try:
        result = answer(request)
    except reading.ReadError as error:
        print(json.dumps({"refused": str(error)}), flush=True)
        return 1
    except MemoryError:
        result = None  # answered below: here the traceback still holds the rows, so nothing more can be allocated
    if result is None:
        os.write(sys.stdout.fileno(), OUT_OF_MEMORY)
        return 2
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
