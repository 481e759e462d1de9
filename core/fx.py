"""Exchange rates, and the conversion of every money field into the session's reporting currency.

Amounts in several currencies are never added up as one. After ingest builds a canonical table that has a
currency field (deals, orders, spend), each row in another currency is converted at the yearly average rate of
the year of its date (the nearest year the rates give when outside them); a row with no currency is taken to be
in the reporting currency. A row whose currency has no rate keeps its place (nothing is lost) with an empty
amount, and the engine leaves every metric that sums or averages that table's money unavailable, with the
per-currency figures in its details. What was done is kept per table, currency and year in `Conversion` rows,
written to the connection's TEMP table `currency_report` for the engine (and for a person in the SQL explorer).

The bundled rates are the Federal Reserve's G.5A annual averages (core/data/fx_rates.csv, each row with its
release, URL and the table row it was read from); a person's own rates file overrides them year by year.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from core.imports import build
from core.imports.casting import quote, sql_literal
from core.imports.reading import ReadError
from core.metrics.catalogue import CATALOGUE
from core.schema import stored_table

BUNDLED_FILE = Path(__file__).resolve().parent / "data" / "fx_rates.csv"
BUNDLED_SOURCE = "Federal Reserve G.5A annual averages"
REPORT_TABLE = "currency_report"
MONEY_FIELDS = {"opportunities": ("amount",), "orders": ("amount", "margin", "unit_price"), "spend": ("amount",)}
RATE_DATES = {"opportunities": "close_date", "orders": "order_date", "spend": "period"}
ROWS_ARE = {"opportunities": "deals", "orders": "order lines", "spend": "spend lines"}
CODE = re.compile(r"^[A-Z]{3}$")
RATE_COLUMN = re.compile(r"^(?:units_|rate_)?per_([a-z]{3})$")
PLAIN_RATE = "rate"  # a rate column with no currency in its name is per USD


class RatesError(ReadError):
    """A rates file that cannot be used; the message names the file, the row and the column."""


@dataclass(frozen=True)
class Rate:
    currency: str
    year: int
    units: float  # units of `currency` per one unit of `base`
    base: str
    source: str

    def text(self) -> str:
        return f"{self.year}: 1 {self.base} = {self.units:,.4f} {self.currency}"


@dataclass(frozen=True)
class Rates:
    entries: dict[tuple[str, str, int], Rate] = field(default_factory=dict)  # (currency, base, year) -> rate

    def merged(self, other: Rates) -> Rates:
        """These rates with `other`'s replacing them where both give the same currency, base and year."""
        return Rates({**self.entries, **other.entries})

    def nearest(self, currency: str, base: str, year: int | None) -> Rate | None:
        """The rate of the year closest to `year` (the later of two as close; the latest when no year)."""
        found = [rate for (code, of, _), rate in self.entries.items() if code == currency and of == base]
        if not found:
            return None
        if year is None:
            return max(found, key=lambda rate: rate.year)
        return min(found, key=lambda rate: (abs(rate.year - year), -rate.year))

    def factor(self, currency: str, target: str, year: int | None) -> tuple[float, list[Rate]] | None:
        """What one unit of `currency` is worth in `target` in `year`, with the rates it comes from: a rate of
        `currency` per `target` when there is one, else both currencies' rates per USD."""
        if currency == target:
            return 1.0, []
        direct = self.nearest(currency, target, year)
        if direct is not None:
            return 1.0 / direct.units, [direct]
        own, theirs = self._per_usd(currency, year), self._per_usd(target, year)
        if own is None or theirs is None:
            return None
        return theirs[0] / own[0], own[1] + theirs[1]

    def factor_in_year(self, currency: str, target: str, year: int) -> tuple[float, list[Rate]] | None:
        """Like `factor`, from rates of `year` only: a figure stated in money of one year (a benchmark's) is not
        converted at another year's rate."""
        of_year = Rates({key: rate for key, rate in self.entries.items() if key[2] == year})
        return of_year.factor(currency, target, year)

    def _per_usd(self, currency: str, year: int | None) -> tuple[float, list[Rate]] | None:
        if currency == "USD":
            return 1.0, []
        rate = self.nearest(currency, "USD", year)
        return None if rate is None else (rate.units, [rate])


@lru_cache(maxsize=1)
def bundled_rates() -> Rates:
    """The rates shipped with the app (our data, not a user's: cached for the process)."""
    frame = pd.read_csv(BUNDLED_FILE, dtype={"currency": str})
    return Rates(
        {
            (row.currency, "USD", int(row.year)): Rate(
                row.currency, int(row.year), float(row.units_per_usd), "USD", BUNDLED_SOURCE
            )
            for row in frame.itertuples()
        }
    )


def read_rates(name: str, data: bytes) -> Rates:
    """A person's rates file: columns `currency`, `year` (or `date`: rates of one year are averaged) and the rate
    as units of the currency per USD (`per_usd`, `units_per_usd`, `rate_per_usd` or plain `rate`), or per another
    currency named the same way (`per_eur`). Raises RatesError naming the file, row and column of a bad value."""
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise RatesError(f"{name}: this is not a CSV file ({error}). Save the rates as CSV.") from None
    frame.columns = [str(column).strip().lower().replace(" ", "_") for column in frame.columns]
    when = "year" if "year" in frame.columns else "date" if "date" in frame.columns else None
    rate_columns = [c for c in frame.columns if c == PLAIN_RATE or RATE_COLUMN.match(c)]
    if "currency" not in frame.columns or when is None or len(rate_columns) != 1:
        raise RatesError(
            f"{name}: a rates file needs the columns currency, year (or date) and one rate column, e.g. per_usd "
            f"(units of the currency per US dollar) or per_eur; it has {', '.join(frame.columns) or 'no columns'}."
        )
    column = rate_columns[0]
    base = "USD" if column == PLAIN_RATE else RATE_COLUMN.match(column)[1].upper()
    values: dict[tuple[str, int], list[float]] = {}
    for index, row in frame.iterrows():
        line = index + 2  # the header is line 1
        code = _code(name, line, row["currency"])
        year = _year(name, line, when, row[when])
        values.setdefault((code, year), []).append(_rate(name, line, column, row[column]))
    return Rates(
        {
            (code, base, year): Rate(code, year, sum(rates) / len(rates), base, f"your rates file {name}")
            for (code, year), rates in values.items()
        }
    )


def _code(name: str, line: int, text: str) -> str:
    code = text.strip().upper()
    if not CODE.match(code):
        raise RatesError(f"{name}, row {line}, column currency: {text!r} is not a three-letter currency code (EUR).")
    return code


def _year(name: str, line: int, column: str, text: str) -> int:
    if column == "year" and text.strip().isdigit() and 1900 <= int(text) <= 2100:
        return int(text)
    day = pd.to_datetime(text.strip(), errors="coerce") if column == "date" else None
    if day is None or pd.isna(day):
        raise RatesError(f"{name}, row {line}, column {column}: {text!r} is not a {column} (2024 or 2024-06-30).")
    return day.year


def _rate(name: str, line: int, column: str, text: str) -> float:
    try:
        rate = float(text.strip().replace(",", ""))
    except ValueError:
        rate = 0.0
    if not rate > 0:
        raise RatesError(f"{name}, row {line}, column {column}: {text!r} is not a number above 0.")
    return rate


# ---- converting a canonical table ---------------------------------------------------------------------------


@dataclass
class Conversion:
    """The rows of one table in one currency and one year, and how they were converted (one report line)."""

    table: str
    currency: str
    year: int | None
    rows: int
    sums: dict[str, float | None]  # per money field, in the rows' own currency
    factor: float | None  # one unit of the currency in the reporting currency; None: no rate
    rates: list[Rate] = field(default_factory=list)

    @property
    def converted(self) -> bool:
        return self.factor is not None

    @property
    def rate_year(self) -> int | None:
        return self.rates[0].year if self.rates else None


def normalised_code(column: str) -> str:
    """SQL: the currency code of a row as written (trimmed, upper case), NULL when empty."""
    return f"nullif(upper(trim({column})), '')"


def convert_table(con: duckdb.DuckDBPyConnection, table: str, reporting: str, rates: Rates) -> list[Conversion]:
    """Convert the money fields of a freshly built canonical table in place and say what was done. Rows in
    another currency get the converted amount (empty when no rate) and the reporting currency's code when
    converted; rows with no currency or the reporting one are left as they are."""
    if table not in MONEY_FIELDS:
        return []
    fields = MONEY_FIELDS[table]
    code = normalised_code("currency")
    found = con.execute(
        f"SELECT coalesce({code}, {sql_literal(reporting)}) AS code, year({quote(RATE_DATES[table])}) AS year, "
        f"count(*), {', '.join(f'sum({quote(name)})' for name in fields)} FROM {quote(table)} GROUP BY ALL ORDER BY 1, 2"
    ).fetchall()
    report = []
    for currency, year, rows, *sums in found:
        factor = rates.factor(currency, reporting, year)
        report.append(
            Conversion(table, currency, year, rows, dict(zip(fields, sums, strict=True)), *(factor or (None, [])))
        )
    foreign = [line for line in report if line.currency != reporting]
    if foreign:
        _update(con, table, reporting, foreign)
    return report


def _update(con: duckdb.DuckDBPyConnection, table: str, reporting: str, foreign: list[Conversion]) -> None:
    values = ", ".join(
        f"({sql_literal(line.currency)}, {'NULL' if line.year is None else line.year}, "
        f"{'NULL' if line.factor is None else repr(line.factor)}::DOUBLE)"
        for line in foreign
    )
    stored = quote(stored_table(table))  # the canonical view's rows (see core.imports.build)
    held = set(build.columns(con, stored))
    scaled = [f"{quote(name)} = {quote(name)} * f.factor" for name in MONEY_FIELDS[table] if name in held]
    date = RATE_DATES[table]
    year = f"year(t.{quote(date)})" if date in held else "NULL"
    con.execute(
        f"UPDATE {stored} t SET {''.join(s + ', ' for s in scaled)}currency = CASE WHEN f.factor IS NULL "
        f"THEN t.currency ELSE {sql_literal(reporting)} END FROM (VALUES {values}) f(code, year, factor) "
        f"WHERE {normalised_code('t.currency')} = f.code AND {year} IS NOT DISTINCT FROM f.year"
    )


REPORT_COLUMNS = {
    "reporting": "VARCHAR",
    "table_name": "VARCHAR",
    "currency": "VARCHAR",
    "year": "INTEGER",
    "rows": "BIGINT",
    "amount": "DOUBLE",
    "margin": "DOUBLE",
    "unit_price": "DOUBLE",
    "factor": "DOUBLE",
    "rate_year": "INTEGER",
    "rates": "VARCHAR",
    "converted": "BOOLEAN",
}


def write_report(con: duckdb.DuckDBPyConnection, report: list[Conversion], reporting: str) -> None:
    """The report as the connection's TEMP table `currency_report`, one row per table, currency and year (sums
    in the rows' own currency); none when there is nothing to report."""
    if not report:
        con.execute(f"DROP TABLE IF EXISTS temp.main.{REPORT_TABLE}")
        return
    rows = [
        (
            reporting,
            line.table,
            line.currency,
            line.year,
            line.rows,
            line.sums.get("amount"),
            line.sums.get("margin"),
            line.sums.get("unit_price"),
            line.factor,
            line.rate_year,
            "; ".join(f"{rate.text()} ({rate.source})" for rate in line.rates),
            line.converted,
        )
        for line in report
    ]
    frame = pd.DataFrame(rows, columns=list(REPORT_COLUMNS), dtype=object)
    typed = ", ".join(f"{quote(name)}::{kind} AS {quote(name)}" for name, kind in REPORT_COLUMNS.items())
    con.register("_currency_report_frame", frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {REPORT_TABLE} AS SELECT {typed} FROM _currency_report_frame")
    finally:
        con.unregister("_currency_report_frame")


def read_report(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The connection's currency report (empty when no table has been converted)."""
    present = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [REPORT_TABLE]
    ).fetchone()[0]
    if not present:
        return pd.DataFrame(columns=list(REPORT_COLUMNS))
    return con.execute(f"SELECT * FROM {REPORT_TABLE} ORDER BY table_name, currency, year").df()


# ---- what it means for the metrics --------------------------------------------------------------------------


def money_tables(needs: tuple[str, ...]) -> list[str]:
    """The tables with a currency whose money fields these needs read."""
    tables = [need.split(".")[0] for need in needs if need.split(".")[-1] in MONEY_FIELDS.get(need.split(".")[0], ())]
    return list(dict.fromkeys(tables))


def affected_metrics(table: str) -> list[str]:
    """The names of the metrics that may read the money of `table` (in one of their alternatives)."""
    return [
        metric.name for metric in CATALOGUE.values() if any(table in money_tables(option) for option in metric.needs)
    ]


def unconverted_reason(table: str, currency: str, rows: int, reporting: str) -> str:
    return (
        f"Amounts in {currency} ({rows:,} {ROWS_ARE[table]}) have no exchange rate to {reporting}: upload a rates "
        "file with the company profile (Data page) or convert them at the source; amounts in different currencies "
        "are never added up as one."
    )
