"""What a computation knows about the data before it runs a metric: which canonical fields hold values, the
as-of date, the view's period and filters, the company profile, and the values a declaration's SQL may name.

Results depend only on (data, metric ids, profile, period): the as-of date used for "idle" and "lapsed" is the
latest event date in the data, never today's date.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from core.engines import Backend, backend_of
from core.schema import TABLE_KINDS, Profile

# Dates that record something that happened (open deals' expected close dates and budgets may lie ahead).
AS_OF_FIELDS = (
    "leads.created_at",
    "leads.qualified_at",
    "leads.converted_at",
    "leads.disqualified_at",
    "leads.last_activity_at",
    "opportunities.created_at",
    "opportunities.engaged_at",
    "stage_history.changed_at",
    "activities.occurred_at",
    "orders.order_date",
    "nps.responded_at",
)
AS_OF_FALLBACK = ("opportunities.close_date", "spend.period", "headcount.hire_date")
EQUIVALENT = {"opportunities.outcome": ("opportunities.is_won",)}  # ingest may give only the won flag
# The profile's settings a declaration may name, with the type its SQL and details use.
SETTINGS = {
    "idle_days": int,
    "appointment_window_days": int,
    "lapse_months": int,
    "new_product_months": int,
    "high_margin_pct": float,
    "market_size": float,
    "annual_revenue": float,
}


@dataclass(frozen=True)
class Period:
    """Inclusive date range; None on a side means unbounded."""

    start: dt.date | None = None
    end: dt.date | None = None

    def sql(self, column: str) -> str:
        conditions = []
        if self.start:
            conditions.append(f"{column} >= DATE '{self.start.isoformat()}'")
        if self.end:
            conditions.append(f"{column} < DATE '{(self.end + dt.timedelta(days=1)).isoformat()}'")
        return " AND ".join(conditions) or "TRUE"

    @property
    def bounded(self) -> bool:
        return bool(self.start or self.end)


@dataclass
class MetricResult:
    id: str
    value: float | None
    available: bool
    missing: list[str] = field(default_factory=list)
    details: dict[str, float | int | str | None] = field(default_factory=dict)
    rows_used: int = 0
    trend: pd.DataFrame | None = None  # columns: period (month or quarter start), value, n
    breakdowns: dict[str, pd.DataFrame] = field(default_factory=dict)  # columns: key, value, n
    note: str = ""
    unfiltered: list[str] = field(default_factory=list)  # filter dimensions this metric has not, so not applied


def unavailable(metric_id: str, missing: list[str], details: dict | None = None) -> MetricResult:
    return MetricResult(metric_id, None, False, missing, details or {})


def clean(value):
    """JSON- and display-safe scalar: numpy → Python, NaN → None, dates → ISO strings."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()[:10]
    return value


def literal(value) -> str:
    """`value` written as SQL: text quoted, dates as DATE literals, None as NULL."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    return repr(value)


@dataclass
class Context:
    backend: Backend | None  # None: SQL is only written, never run (the docs)
    profile: Profile
    period: Period
    coverage: dict[str, set[str]]
    as_of: dt.date | None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    filtered: set[str] = field(default_factory=set)  # filter dimensions applied to the metric being computed
    distinct: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # a text column's values, by table
    breakdowns: bool = True  # False: headline, details and trend only (a page asks for breakdowns when it shows them)
    plain: bool = False  # True: relations as plain SQL (no ENUM casts of the data's values): docs, other engines

    def table(self, name: str) -> bool:
        return name in self.coverage

    def covered(self, need: str) -> bool:
        table, name = need.split(".", 1)
        if table == "profile":
            value = getattr(self.profile, name)
            return bool(value) if name == "questionnaire" else value is not None
        if name in self.coverage.get(table, set()):
            return True
        return any(self.covered(other) for other in EQUIVALENT.get(need, ()))

    def has(self, *needs: str) -> bool:
        return all(self.covered(need) for need in needs)

    def rows(self, sql: str, parameters: list | None = None) -> list[tuple]:
        return self.backend.rows(sql, parameters)

    def frame(self, sql: str) -> pd.DataFrame:
        return self.backend.frame(sql)

    def scalar(self, sql: str):
        return self.rows(sql)[0][0]

    def setting(self, name: str):
        return SETTINGS[name](getattr(self.profile, name))

    def derived_table(self, name: str, select) -> str:
        """A derived table of the engine's session (see core.engines), built once per data version. Without an
        engine (the docs) the table's query itself."""
        if self.backend is None:
            return f"({select()})"
        return self.backend.temp_table(name, select)


def field_coverage(source: Backend | duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Canonical tables present, each with its fields that hold at least one non-null value (counted once per
    data version: a row per covered field, and one with no field per table present)."""
    backend = backend_of(source)
    coverage: dict[str, set[str]] = {}
    for table, name in backend.rows(f"SELECT * FROM {backend.temp_table('coverage', lambda: _coverage_sql(backend))}"):
        coverage.setdefault(table, set()).update([name] if name else [])
    return coverage


def _coverage_sql(backend: Backend) -> str:
    present = backend.tables()
    rows = ["SELECT NULL::VARCHAR AS table_name, NULL::VARCHAR AS field WHERE FALSE"]
    for kind in TABLE_KINDS.values():
        if kind.name not in present:
            continue
        counts = backend.rows(
            "SELECT " + ", ".join(f'count("{name}")' for name in kind.field_names) + f' FROM "{kind.name}"'
        )[0]
        covered = [name for name, count in zip(kind.field_names, counts, strict=True) if count]
        rows += [f"SELECT '{kind.name}', NULL"] + [f"SELECT '{kind.name}', '{name}'" for name in covered]
    return " UNION ALL ".join(rows)


def as_of_date(source: Backend | duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest date on which something happened in the data: "last 12 months" counts back from it."""
    backend = backend_of(source)
    return latest_event(backend, field_coverage(backend))


def latest_event(backend: Backend, coverage: dict[str, set[str]]) -> dt.date | None:
    """The latest of the dates that record events, else of the fallback dates (found once per data version)."""
    latest = backend.rows(f"SELECT d FROM {backend.temp_table('as_of', lambda: _latest_event_sql(coverage))}")[0][0]
    return latest.date() if isinstance(latest, dt.datetime) else latest


def _latest_event_sql(coverage: dict[str, set[str]]) -> str:
    latest = []
    for candidates in (AS_OF_FIELDS, AS_OF_FALLBACK):
        parts = [
            f'SELECT max("{name}") AS d FROM "{table}"'
            for table, name in (need.split(".") for need in candidates)
            if name in coverage.get(table, set())
        ]
        if parts:
            latest.append("(SELECT max(d) FROM (" + " UNION ALL ".join(parts) + "))")
    return f"SELECT coalesce({', '.join(latest)}) AS d" if latest else "SELECT NULL::DATE AS d"


def context(
    source: Backend | duckdb.DuckDBPyConnection,
    profile: Profile | None = None,
    period: Period | None = None,
    filters: dict[str, tuple[str, ...]] | None = None,
) -> Context:
    """What a computation on `source` (an engine, or a session's DuckDB connection) knows before it starts."""
    backend = backend_of(source)
    coverage = field_coverage(backend)
    filters = {dim: tuple(values) for dim, values in (filters or {}).items() if values}
    as_of = latest_event(backend, coverage)
    return Context(backend, profile or Profile(), period or Period(), coverage, as_of, filters, plain=backend.plain)
