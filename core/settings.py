"""Server settings that matter for a hosted link, read from environment variables.

Every viewer's DuckDB lives in the one server process, so each connection is capped. The defaults suit a
Streamlit Community Cloud app (about 2.7 GB shared by all sessions); raise them on a bigger host.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    duckdb_memory_limit: str = "512MB"  # per session; DuckDB spills to temp_dir beyond it
    duckdb_threads: int = 2  # per session
    duckdb_temp_limit: str = "4GB"  # per session: most spill data it may write
    temp_dir: str = tempfile.gettempdir()  # parent folder of the per-session spill folders
    max_files: int = 30  # uploads a session may hold at once
    max_tables: int = 60  # loaded tables (files, sheets, zip members) a session may hold at once
    max_columns: int = 10_000  # columns one loaded table may have
    max_sheet_cells: int = 2_000_000  # cells (rows x columns) one Excel sheet may have; its text is held in the server
    uploads_at_once: int = 2  # uploads over 1 MB read at once, all sessions together (smaller: twice as many)
    sql_memory_mb: int = 256  # memory of one Explore query's process
    sql_timeout_s: float = 10  # an Explore query still running after this is stopped
    sql_row_limit: int = 5_000  # rows an Explore query returns at most
    sql_queries_at_once: int = 4  # Explore queries running at the same time, all sessions together
    sql_column_limit: int = 200  # columns an Explore result may have (with the row limit: cells held per result)
    # A file's reading worker may use this much CPU time and take this long (wall clock) per MB of the file, and
    # at least the minimum: about 5x and 15x the 1 s of CPU per MB it takes, since at a lower priority on a busy
    # machine it gets a fraction of a core.
    reader_cpu_s_per_mb: float = 5
    reader_cpu_min_s: float = 30
    reader_wall_s_per_mb: float = 15
    reader_wall_min_s: float = 90

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        default = cls()
        return cls(
            duckdb_memory_limit=env("GTM_DUCKDB_MEMORY_LIMIT", default.duckdb_memory_limit),
            duckdb_threads=int(env("GTM_DUCKDB_THREADS", default.duckdb_threads)),
            duckdb_temp_limit=env("GTM_DUCKDB_TEMP_LIMIT", default.duckdb_temp_limit),
            temp_dir=env("GTM_TEMP_DIR", default.temp_dir),
            max_files=int(env("GTM_MAX_FILES", default.max_files)),
            max_tables=int(env("GTM_MAX_TABLES", default.max_tables)),
            max_columns=int(env("GTM_MAX_COLUMNS", default.max_columns)),
            max_sheet_cells=int(env("GTM_MAX_SHEET_CELLS", default.max_sheet_cells)),
            uploads_at_once=int(env("GTM_UPLOADS_AT_ONCE", default.uploads_at_once)),
            sql_memory_mb=int(env("GTM_SQL_MEMORY_MB", default.sql_memory_mb)),
            sql_timeout_s=float(env("GTM_SQL_TIMEOUT_S", default.sql_timeout_s)),
            sql_row_limit=int(env("GTM_SQL_ROW_LIMIT", default.sql_row_limit)),
            sql_queries_at_once=int(env("GTM_SQL_QUERIES_AT_ONCE", default.sql_queries_at_once)),
            sql_column_limit=int(env("GTM_SQL_COLUMN_LIMIT", default.sql_column_limit)),
            reader_cpu_s_per_mb=float(env("GTM_READER_CPU_S_PER_MB", default.reader_cpu_s_per_mb)),
            reader_cpu_min_s=float(env("GTM_READER_CPU_MIN_S", default.reader_cpu_min_s)),
            reader_wall_s_per_mb=float(env("GTM_READER_WALL_S_PER_MB", default.reader_wall_s_per_mb)),
            reader_wall_min_s=float(env("GTM_READER_WALL_MIN_S", default.reader_wall_min_s)),
        )

    def duckdb_config(self, spill_dir: str) -> dict[str, str]:
        """Connection config: capped memory, threads and spill size, spilling into this session's own folder."""
        return {
            "memory_limit": self.duckdb_memory_limit,
            "threads": str(self.duckdb_threads),
            "temp_directory": spill_dir,
            "max_temp_directory_size": self.duckdb_temp_limit,
            "preserve_insertion_order": "false",
        }
