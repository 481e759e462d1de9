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
    duckdb_memory_limit: str  # per session, e.g. "512MB"; DuckDB spills to temp_dir beyond it
    duckdb_threads: int  # per session
    temp_dir: str  # parent folder of the per-session spill folders

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            duckdb_memory_limit=os.environ.get("GTM_DUCKDB_MEMORY_LIMIT", "512MB"),
            duckdb_threads=int(os.environ.get("GTM_DUCKDB_THREADS", "2")),
            temp_dir=os.environ.get("GTM_TEMP_DIR", tempfile.gettempdir()),
        )

    def duckdb_config(self, spill_dir: str) -> dict[str, str]:
        """Connection config: capped memory and threads, spilling into this session's own folder."""
        return {
            "memory_limit": self.duckdb_memory_limit,
            "threads": str(self.duckdb_threads),
            "temp_directory": spill_dir,
            "preserve_insertion_order": "false",
        }
