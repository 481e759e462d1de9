"""Data-quality report: what was lost, what could not be read, and what does not fit together.

Every problem is said in plain language with what to do about it. Per-file checks run over the file's typed
rows (a SELECT the ingest builds); cross-table checks run over the canonical tables.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import duckdb
import pandas as pd

from core import fx
from core.formatting import counted
from core.fx import Conversion
from core.imports.build import RowsMerged
from core.imports.casting import quote
from core.schema import TABLE_KINDS

EXAMPLES = 5
ENTITY_KEYS = {  # kinds with one row per entity: their id must not repeat
    "leads": "lead_id",
    "opportunities": "opportunity_id",
    "activities": "activity_id",
    "products": "product",
    "accounts": "account_id",
    "headcount": "employee_id",
    "nps": "respondent_id",
}


@dataclass
class Problem:
    severity: str  # error | warning | info
    table: str  # the file (or canonical table, for cross-table checks) it is about
    column: str | None
    message: str
    advice: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def rejected_frame(rejected: list[tuple[int, str, str]]) -> pd.DataFrame:
    """Rejected rows as a downloadable table: line, reason, content."""
    return pd.DataFrame(rejected, columns=["line", "reason", "content"])


def totals_frame(kind: str, totals: dict) -> pd.DataFrame:
    """A file's totals (see `Workspace._totals`) for a person: each money field's sum to the cent per currency,
    each date field's range, by the field's label."""
    spec = TABLE_KINDS[kind]
    rows = []
    for name, sums in totals["money"].items():
        label = spec.field(name).label
        rows += [(label, f"{total:,.2f} {currency}".rstrip()) for currency, total in sums.items()] or [
            (label, "no values")
        ]
    rows += [
        (spec.field(name).label, f"{span['min']} to {span['max']}" if span["min"] else "no dates")
        for name, span in totals["dates"].items()
    ]
    return pd.DataFrame(rows, columns=["field", "total or range"])


def rejection_problems(source: str, reasons: list[str]) -> list[Problem]:
    counts = pd.Series(reasons, dtype=object).value_counts()
    return [
        Problem(
            "warning" if reason.startswith("no ") else "info",
            source,
            None,
            f"{counted(count, 'row')} not loaded: {reason}.",
            "Download the rejected rows to see them; fix them at the source or in the column mapping.",
        )
        for reason, count in counts.items()
    ]


@dataclass
class FieldCheck:
    """One mapped field of one file: its typed expression and the cleaned source text it came from."""

    name: str
    column: str
    typed: str
    source_text: str  # SQL: the source text (needed only where it could not be read into `typed`)
    duck_type: str
    symbol: str | None = None  # SQL: the number's currency symbol; None to read it from `source_text`


def field_problems(
    con: duckdb.DuckDBPyConnection, source: str, kind: str, raw_table: str, checks: list[FieldCheck], loaded: str
) -> list[Problem]:
    """Unparseable values, empty fields, date ranges, duplicate ids and mixed currencies of one file.
    `loaded` is the SQL condition of the rows that went into the canonical table."""
    if not checks:
        return []
    aggregates = []
    for check in checks:
        aggregates += [
            f"count(*) FILTER (WHERE {_failed(check)})",
            f"count({check.typed})",
            f"min({check.typed})" if check.duck_type == "TIMESTAMP" else "NULL",
            f"max({check.typed})" if check.duck_type == "TIMESTAMP" else "NULL",
        ]
    row = con.execute(f"SELECT count(*), {', '.join(aggregates)} FROM {quote(raw_table)} WHERE {loaded}").fetchall()[0]
    total, values = row[0], row[1:]
    examples = _unread_examples(con, raw_table, [c for i, c in enumerate(checks) if values[4 * i]], loaded)
    problems = []
    for index, check in enumerate(checks):
        bad, filled, first, last = values[4 * index : 4 * index + 4]
        nulls = total - filled
        label = TABLE_KINDS[kind].field(check.name).label
        if bad:
            shown = ", ".join(repr(v) for v in examples[check.name])
            problems.append(
                Problem(
                    "warning",
                    source,
                    check.column,
                    f"{counted(bad, 'value')} in '{check.column}' ({label}) could not be read as "
                    f"{_type_words(check.duck_type)} and {'is' if bad == 1 else 'are'} left empty (unparseable values), e.g. {shown}.",
                    "Check that this column is the right one for the field, or change the date order or decimal "
                    "mark of this file; otherwise fix the values at the source.",
                )
            )
        if total and nulls == total:
            problems.append(
                Problem(
                    "warning",
                    source,
                    check.column,
                    f"'{check.column}' ({label}) is empty on every row.",
                    "Map another column to this field, or leave it unmapped.",
                )
            )
        elif total and nulls:
            problems.append(
                Problem(
                    "info",
                    source,
                    check.column,
                    f"'{check.column}' ({label}) is empty on {nulls:,} of {total:,} rows ({nulls / total:.0%}).",
                    "Metrics that need it leave those rows out.",
                )
            )
        if first is not None:
            problems.append(
                Problem(
                    "info",
                    source,
                    check.column,
                    f"'{check.column}' ({label}) runs from {first:%Y-%m-%d} to {last:%Y-%m-%d}.",
                    "If these dates look wrong, change the date order of this file.",
                )
            )
    problems += _duplicates(con, source, kind, raw_table, checks, loaded)
    problems += _currencies(con, source, raw_table, checks, loaded)
    return problems


def _failed(check: FieldCheck) -> str:
    """SQL: the row's source text could not be read as the field's type."""
    return f"({check.source_text}) IS NOT NULL AND ({check.typed}) IS NULL"


def _unread_examples(con, raw_table: str, checks: list[FieldCheck], loaded: str) -> dict[str, list[str]]:
    """A few distinct unread values per field, looked up only for fields that have some: a DISTINCT list per
    field in the main aggregate cost as much as all its counts."""
    if not checks:
        return {}
    lists = ", ".join(
        f"(list(DISTINCT {check.source_text}) FILTER (WHERE {_failed(check)}))[1:{EXAMPLES}]" for check in checks
    )
    row = con.execute(f"SELECT {lists} FROM {quote(raw_table)} WHERE {loaded}").fetchall()[0]
    return {check.name: examples for check, examples in zip(checks, row, strict=True)}


def _type_words(duck_type: str) -> str:
    return {"TIMESTAMP": "dates", "DOUBLE": "numbers", "BOOLEAN": "yes/no values"}.get(duck_type, "text")


def _duplicates(con, source, kind, raw_table, checks, loaded) -> list[Problem]:
    key = next((check for check in checks if check.name == ENTITY_KEYS.get(kind)), None)
    if key is None:
        return []
    repeated, extra = con.execute(
        f"SELECT count(*), coalesce(sum(_n) - count(*), 0) FROM (SELECT _key, count(*) AS _n FROM "
        f"(SELECT {key.typed} AS _key FROM {quote(raw_table)} WHERE {loaded}) GROUP BY _key HAVING _n > 1)"
    ).fetchall()[0]
    if not repeated:
        return []
    return [
        Problem(
            "warning",
            source,
            key.column,
            f"{counted(repeated, 'value')} of '{key.column}' {'appears' if repeated == 1 else 'appear'} more than once "
            f"({counted(extra, 'extra row')}); each row "
            f"should be a different {TABLE_KINDS[kind].row_is}.",
            "Remove the duplicates at the source, or check that this column really is the id.",
        )
    ]


def _currencies(con, source, raw_table, checks, loaded) -> list[Problem]:
    """Amounts whose text carries different currency signs in a file with no currency column (a file with one is
    converted per row: see `conversion_problems`)."""
    if any(check.name == "currency" for check in checks):
        return []
    problems = []
    for check in checks:
        if check.duck_type != "DOUBLE":
            continue
        symbol = check.symbol or currency_symbol_sql(check.source_text)
        symbols = [
            symbol
            for (symbol,) in con.execute(
                f"SELECT DISTINCT _symbol FROM (SELECT {symbol} AS _symbol FROM {quote(raw_table)} WHERE {loaded}) "
                "WHERE _symbol IS NOT NULL ORDER BY 1"
            ).fetchall()
        ]
        if len(symbols) > 1:
            problems.append(_mixed_signs(source, check.column, symbols))
    return problems


def currency_symbol_sql(text: str) -> str:
    """SQL: the currency a money text names ($ € £ ¥, or a code such as USD), else NULL. Plain `contains` tests
    first and the regular expression only for text with letters, because it runs on every amount of a file.
    A text DuckDB reads as a number names none (only digits, sign, point, `_`, exponent, `inf` or `nan`): most
    amounts are plain numbers, and that one cast costs half the tests it skips."""
    number = f"WHEN {text} IS NULL OR TRY_CAST({text} AS DOUBLE) IS NOT NULL THEN NULL"
    symbols = " ".join(f"WHEN contains({text}, '{symbol}') THEN '{symbol}'" for symbol in "$€£¥")
    code = f"nullif(upper(regexp_extract({text}, '(?i)\\b(USD|EUR|GBP|CAD|AUD)\\b')), '')"
    return f"CASE {number} {symbols} WHEN lower({text}) <> upper({text}) THEN {code} END"


def _mixed_signs(source: str, column: str, currencies: list[str]) -> Problem:
    return Problem(
        "warning",
        source,
        column,
        f"'{column}' mixes currency signs ({', '.join(currencies)}) but the file has no currency column, so every "
        "amount is taken to be in the company profile's currency.",
        "Add a column with each row's currency code (EUR, GBP, ...) and map it: the amounts are then converted.",
    )


def conversion_problems(source: str, column: str, report: list[Conversion], reporting: str) -> list[Problem]:
    """What the conversion into the reporting currency did to one table (nothing to say when every amount was
    in it already)."""
    foreign = [line for line in report if line.currency != reporting]
    converted = [line for line in foreign if line.converted]
    problems = [_converted(source, column, converted, reporting)] if converted else []
    for currency in dict.fromkeys(line.currency for line in foreign if not line.converted):
        lines = [line for line in foreign if line.currency == currency]
        problems.append(_not_converted(source, column, lines, reporting))
    return problems


def _converted(source: str, column: str, lines: list[Conversion], reporting: str) -> Problem:
    rows = sum(line.rows for line in lines)
    used = dict.fromkeys(f"{rate.text()}" for line in lines for rate in line.rates)
    sources = ", ".join(dict.fromkeys(rate.source for line in lines for rate in line.rates))
    moved = [line for line in lines if line.rate_year != line.year]
    nearest = (
        " Rows of years the rates do not give (or with no date) use the nearest year's rate: "
        + ", ".join(f"{line.currency} {line.year or 'no date'} at {line.rate_year}" for line in moved)
        + "."
        if moved
        else ""
    )
    return Problem(
        "info",
        source,
        column,
        f"{counted(rows, 'row')} in {', '.join(dict.fromkeys(line.currency for line in lines))} "
        f"{'was' if rows == 1 else 'were'} converted to "
        f"{reporting} at the yearly average rate of their year ({'; '.join(used)}; source: {sources}).{nearest} "
        "The preview shows each row's own amount and currency.",
        "To use other rates, upload a rates file with the company profile.",
    )


def _not_converted(source: str, column: str, lines: list[Conversion], reporting: str) -> Problem:
    currency, table = lines[0].currency, lines[0].table
    rows = sum(line.rows for line in lines)
    total = sum(line.sums.get("amount") or 0 for line in lines)
    return Problem(
        "warning",
        source,
        column,
        f"{rows:,} {fx.ROWS_ARE[table]} in {currency} (amounts {total:,.2f} {currency} in all) have no exchange rate "
        f"to {reporting}: they are loaded with an empty converted amount, and these metrics are unavailable until "
        f"they have one: {', '.join(fx.affected_metrics(table))}.",
        "Upload a rates file (currency, year, per_usd) with the company profile, or convert these amounts at the "
        "source.",
    )


# ---- across tables ----------------------------------------------------------------------------------------

# (table, column, referenced table, referenced column, what the rows are)
REFERENCES = (
    ("opportunities", "lead_id", "leads", "lead_id", "deals"),
    ("opportunities", "account_id", "accounts", "account_id", "deals"),
    ("activities", "lead_id", "leads", "lead_id", "activities"),
    ("activities", "opportunity_id", "opportunities", "opportunity_id", "activities"),
    ("activities", "account_id", "accounts", "account_id", "activities"),
    ("stage_history", "opportunity_id", "opportunities", "opportunity_id", "stage changes"),
    ("orders", "account_id", "accounts", "account_id", "order lines"),
    ("orders", "product", "products", "product", "order lines"),
    ("opportunities", "product", "products", "product", "deals"),
    ("nps", "account_id", "accounts", "account_id", "survey responses"),
    ("leads", "account_id", "accounts", "account_id", "leads"),
)
SPELLING_KEY = "regexp_replace(lower({column}), '[^a-z0-9]', '', 'g')"


def merged_problem(merged: RowsMerged) -> Problem:
    """Rows that were parts of others (see core.imports.build): order headers that completed their lines, or a
    deal's product lines made one deal."""
    if merged.kind == "orders":
        fields = ", ".join(TABLE_KINDS["orders"].field(name).label for name in merged.fields)
        return Problem(
            "info",
            "orders",
            None,
            f"{counted(merged.parts, 'order row')} with no amount, quantity or price (order headers) completed the "
            f"{counted(merged.into, 'line')} of the same orders ({fields}, where a line had none); the headers are "
            "not counted as lines themselves.",
            "Nothing to do if one file holds the orders and another their lines; otherwise check that the rows "
            "with no amount are meant to have none.",
        )
    several = " A deal of several products keeps none of them as its product." if merged.fields else ""
    return Problem(
        "info",
        "opportunities",
        None,
        f"{counted(merged.parts + merged.into, 'row')} were the product lines of {counted(merged.into, 'deal')} "
        f"(each line repeats its deal's id, stage, amount and dates), so their repeated ids are expected: each "
        f"deal is counted once.{several}",
        "Nothing to do for a report of deals with their products; otherwise check the repeated deal ids.",
    )


def join_problems(con: duckdb.DuckDBPyConnection, tables: set[str]) -> list[Problem]:
    """Keys that do not join between the uploaded canonical tables, and product names spelled two ways."""
    references: dict[str, list[tuple[str, str, str, str]]] = {}
    for table, column, target, key, rows in REFERENCES:
        if table in tables and target in tables:
            references.setdefault(table, []).append((column, target, key, rows))
    problems = []
    for table, refs in references.items():
        for (column, target, _, rows), (missing, total, examples) in zip(
            refs, _unjoined(con, table, refs), strict=True
        ):
            if missing:
                shown = ", ".join(repr(v) for v in examples)
                key_name = column.replace("_", " ")
                problems.append(
                    Problem(
                        "warning",
                        table,
                        column,
                        f"{missing:,} of {total:,} {rows} {'points' if missing == 1 else 'point'} to "
                        f"{'an' if key_name[0] in 'aeiou' else 'a'} {key_name} that is not in the "
                        f"uploaded {target} (e.g. {shown}).",
                        f"Upload the complete {target} export, or check that both files use the same ids.",
                    )
                )
    problems += _spelling_problems(con, tables)
    return problems


def _unjoined(con, table: str, refs: list[tuple[str, str, str, str]]) -> list[tuple]:
    """Per reference of one table: (keys not in the target, keys, a few of those not in it), in one scan of the
    table for all its references, each a membership test (no DISTINCT of the target table). The examples come
    from a plain list of the keys not found, made distinct afterwards: a DISTINCT aggregate per reference cost
    as much as the joins (the list holds every key not found, a few MB when a whole export is missing)."""
    found = ", ".join(
        f"{column}, {column} IN (SELECT {key} FROM {target}) AS _in_{i}"
        for i, (column, target, key, _) in enumerate(refs)
    )
    counts = ", ".join(
        f"count({column}) FILTER (WHERE NOT _in_{i}), count({column}), "
        f"list_sort(list_distinct(list({column}) FILTER (WHERE NOT _in_{i})))[1:{EXAMPLES}]"
        for i, (column, *_) in enumerate(refs)
    )
    row = con.execute(f"SELECT {counts} FROM (SELECT {found} FROM {table})").fetchall()[0]
    return [row[3 * i : 3 * i + 3] for i in range(len(refs))]


def _spelling_problems(con, tables: set[str]) -> list[Problem]:
    sources = [
        f"SELECT DISTINCT product AS name FROM {t}" for t in ("products", "opportunities", "orders") if t in tables
    ]
    if not sources:
        return []
    key = SPELLING_KEY.format(column="name")
    groups = con.execute(
        f"SELECT list(DISTINCT name ORDER BY name) FROM ({' UNION '.join(sources)}) WHERE name IS NOT NULL "
        f"GROUP BY {key} HAVING count(DISTINCT name) > 1 ORDER BY 1"
    ).fetchall()
    return [
        Problem(
            "warning",
            "products",
            "product",
            f"The same product is spelled {len(names)} ways: {' / '.join(repr(n) for n in names)}; they are counted "
            "as different products.",
            "Use one spelling in every export (or fix it in the source system) so they join.",
        )
        for (names,) in groups
    ]
