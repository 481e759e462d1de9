"""The Python CSV reader over one file, in its own process: `python -I core/imports/text_worker.py < request.json`.

Started by core.imports.workers for a file DuckDB cannot read where it lies. It lowers its priority, caps its
address space, reads the file at `request["path"]` exactly as the server would (core.imports.reading), writes the
loaded rows to the Parquet file `request["output"]` batch by batch and prints one JSON line: `{"table": ...}`, the
rest of the RawTable (rejected rows, notes, counts), or `{"refused": message}` when the file is over a budget
(exit 1), or `{"error": "memory"}` (exit 2). A worker killed half way leaves a Parquet file that nobody reads.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import sys
from pathlib import Path

NICENESS = 10  # behind the server's own work: a long read slows pages and small uploads little

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `python -I` leaves the project off the path

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
    os.nice(NICENESS)
    try:
        result = answer(request)
    except reading.ReadError as error:
        print(json.dumps({"refused": str(error)}), flush=True)
        return 1
    except MemoryError:
        print(json.dumps({"error": "memory"}), flush=True)
        return 2
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
