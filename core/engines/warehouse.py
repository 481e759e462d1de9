"""A warehouse a deployment connects the app to: its settings (the `[connections.warehouse]` section of Streamlit's
secrets, as `st.connection` reads a SQL connection's), and the connection opened from them with the canonical
views of its tables made (core.engines.views). No streamlit here: core.adapter.session hands over the section.

Only PostgreSQL and the warehouses that speak its protocol are offered in the app; Spark and Databricks are
reached through the CLI (`python -m core metrics --engine spark`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.engines.base import Backend
from core.engines.views import ViewError, create_views
from core.imports.reading import ReadError
from core.ingest import parse_mapping_file
from core.sample import profile_from_file
from core.schema import Profile

SECTION = "connections.warehouse"  # where the settings live in .streamlit/secrets.toml
DIALECTS = ("postgresql", "postgres")
CONNECT_TIMEOUT = 10  # seconds: an unreachable server is reported, not waited for


class WarehouseError(Exception):
    """The warehouse cannot be used as configured; the message says what is wrong and where to fix it."""


@dataclass(frozen=True)
class WarehouseConfig:
    label: str  # what the Data page calls it
    conninfo: str  # libpq's connection string (holds the password: never shown)
    where: str  # host, port and database, for messages
    user: str
    schema: str | None
    mapping: Path
    tables: tuple[str, ...]  # each TABLE or NAME=TABLE, as the CLI's --source
    profile: Path | None


def config_from_secrets(section: Mapping) -> WarehouseConfig:
    """The settings of `[connections.warehouse]`: SQLConnection's keys (`dialect`, `host`, `port`, `database`,
    `username`, `password`, `query`; or a `url`) plus ours (`mapping`, `tables`, and optionally `schema`,
    `profile`, `label`). Raises WarehouseError naming the key that is missing or wrong."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo  # psycopg is needed only with a warehouse

    dialect = str(section.get("dialect") or _url_dialect(section.get("url", "")) or "")
    if dialect not in DIALECTS:
        raise WarehouseError(
            f"[{SECTION}] in .streamlit/secrets.toml has dialect {dialect!r}: the app connects to PostgreSQL and "
            'warehouses that speak its protocol (dialect = "postgresql"); Spark and Databricks through the CLI.'
        )
    for key in ("mapping", "tables"):
        if not section.get(key):
            raise WarehouseError(f"[{SECTION}] in .streamlit/secrets.toml has no `{key}`: {_KEY_HELP[key]}")
    tables = section["tables"]
    if isinstance(tables, str) or not all(isinstance(table, str) for table in tables):
        raise WarehouseError(f"[{SECTION}] `tables` must be a list of table names, such as {_KEY_HELP['tables']}")
    query = {str(key): str(value) for key, value in dict(section.get("query") or {}).items()}
    try:
        conninfo = make_conninfo(
            re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", section.get("url", "")),
            **_libpq_keywords(section),
            **query,
        )
        settings = conninfo_to_dict(conninfo)
    except Exception as error:  # psycopg.ProgrammingError: a url or query libpq cannot read
        raise WarehouseError(f"[{SECTION}] in .streamlit/secrets.toml cannot be read: {error}") from None
    settings.setdefault("connect_timeout", CONNECT_TIMEOUT)
    where = f"{settings.get('host', 'localhost')}:{settings.get('port', 5432)}/{settings.get('dbname', '')}"
    return WarehouseConfig(
        label=str(section.get("label") or "Company warehouse"),
        conninfo=make_conninfo("", **settings),
        where=where,
        user=str(settings.get("user", "")),
        schema=section.get("schema") or None,
        mapping=Path(section["mapping"]),
        tables=tuple(tables),
        profile=Path(section["profile"]) if section.get("profile") else None,
    )


_KEY_HELP = {
    "mapping": "the path of the mapping file downloaded from the Data page (all files' mappings).",
    "tables": 'tables = ["hubspot_contacts", "opportunities=crm_deals"] (a table, or NAME=TABLE with NAME a '
    "mapping entry's file name or kind).",
}


def _url_dialect(url: str) -> str:
    """`postgresql` of `postgresql+psycopg://…`."""
    return url.split("://", 1)[0].split("+", 1)[0] if "://" in url else ""


def _libpq_keywords(section: Mapping) -> dict[str, str]:
    """SQLConnection's names for libpq's: username is user, database is dbname."""
    names = {"host": "host", "port": "port", "database": "dbname", "username": "user", "password": "password"}
    return {libpq: str(section[key]) for key, libpq in names.items() if section.get(key) not in (None, "")}


@dataclass
class WarehouseTable:
    name: str  # schema.table
    becomes: str | None  # the canonical table it is read as, or None (not named in `tables`)


@dataclass
class Warehouse:
    """An open connection with the canonical views of the configured tables; closed with the session."""

    config: WarehouseConfig
    backend: Backend
    views: dict[str, list[str]]  # canonical table → the warehouse tables it reads
    seen: list[WarehouseTable]  # the tables this login can read, those read first

    def profile(self) -> Profile:
        return profile_from_file(self.config.profile) if self.config.profile else Profile()

    def close(self) -> None:
        self.backend.close()


def open_warehouse(config: WarehouseConfig) -> Warehouse:
    """Connect, list the tables the login sees and make the canonical views of the configured ones. Raises
    WarehouseError saying what failed: the mapping file, the server, the login, a table or a column."""
    decisions = _decisions(config.mapping)
    profile_problem = _profile_problem(config.profile)
    if profile_problem:
        raise WarehouseError(profile_problem)
    backend = _connect(config)
    try:
        seen = backend.source_tables()
        views = _views(backend, config, decisions, seen)
    except BaseException:
        backend.close()
        raise
    tables = [WarehouseTable(name, _becomes(name, views, config.schema or "public")) for name in seen]
    return Warehouse(config, backend, views, sorted(tables, key=lambda table: (table.becomes is None, table.name)))


def _decisions(path: Path) -> dict[str, dict]:
    try:
        return parse_mapping_file(path.read_text(encoding="utf-8", errors="replace"))
    except OSError as error:
        raise WarehouseError(
            f"The mapping file {path} ([{SECTION}] `mapping`) cannot be read ({error.strerror}). Put the mapping "
            "file downloaded from the Data page there, or correct the path."
        ) from None
    except ReadError as error:
        raise WarehouseError(f"The mapping file {path} ([{SECTION}] `mapping`): {error}") from None


def _profile_problem(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        profile_from_file(path)
    except (OSError, ValueError, TypeError) as error:
        return f"The company profile {path} ([{SECTION}] `profile`) cannot be read: {error}."
    return None


def _connect(config: WarehouseConfig) -> Backend:
    import psycopg

    from core.engines.postgres import PostgresBackend

    try:
        return PostgresBackend(config.conninfo, config.schema)
    except psycopg.Error as error:
        reason = " ".join(str(error).split())
        if "password authentication failed" in reason or "no password supplied" in reason:
            raise WarehouseError(
                f"The warehouse at {config.where} refused the login of {config.user or 'the default user'}: check "
                f"`username` and `password` in [{SECTION}] ({reason})."
            ) from None
        raise WarehouseError(
            f"Could not connect to the warehouse at {config.where}: {_sentence(reason)} Check `host`, `port` and "
            f"`database` in [{SECTION}], and that the server accepts connections from this app."
        ) from None


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _views(backend: Backend, config: WarehouseConfig, decisions: dict, seen: list[str]) -> dict[str, list[str]]:
    try:
        return create_views(backend, decisions, list(config.tables))
    except ViewError as error:
        raise WarehouseError(
            f"{error}. Correct the mapping file {config.mapping} or `tables` in [{SECTION}]."
        ) from None
    except backend.errors as error:
        reason = " ".join(str(error).split())
        searched = f" (schema {config.schema} is searched first, then public)" if config.schema else ""
        shown = ", ".join(seen[:20]) + (f" and {len(seen) - 20} more" if len(seen) > 20 else "")
        raise WarehouseError(
            f"[{SECTION}] `tables` cannot be read: {reason}{searched}. Tables this login sees: {shown or 'none'}."
        ) from None


def _becomes(name: str, views: dict[str, list[str]], schema: str) -> str | None:
    """The canonical table a seen table (schema.table) is read as: `tables` names it whole, or by its bare name
    when it is in the schema searched first."""
    named = {name} | ({name.split(".", 1)[1]} if name.startswith(f"{schema}.") else set())
    return next((kind for kind, tables in views.items() if named & set(tables)), None)
