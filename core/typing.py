"""SQL expressions that turn raw text into canonical types, with the date order decided from the data."""

from __future__ import annotations

import re
from datetime import datetime

import duckdb

from core.vocabulary import FALSE_WORDS, NULL_TOKENS, TRUE_WORDS

DATE_FORMATS = {
    "ymd": ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y.%m.%d"],
    "mdy": ["%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y"],
    "dmy": ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y"],
    "month": ["%b %Y", "%B %Y", "%Y-%m"],
}
SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})")


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def cleaned(column: str) -> str:
    """The column's text with null tokens (blank, NA, N/A, null, -, ...) turned into NULL."""
    tokens = ", ".join(sql_literal(token) for token in NULL_TOKENS)
    return f"CASE WHEN lower(trim({quote(column)})) IN ({tokens}) THEN NULL ELSE trim({quote(column)}) END"


def date_order(con: duckdb.DuckDBPyConnection, table: str, column: str) -> tuple[str, bool]:
    """Whether slashed dates are month-first or day-first, decided by values whose first or second part
    exceeds 12. Returns (order, ambiguous): ambiguous when no value could tell."""
    rows = con.execute(
        f"SELECT DISTINCT {quote(column)} FROM {quote(table)} WHERE {quote(column)} IS NOT NULL LIMIT 5000"
    ).fetchall()
    first_big = second_big = False
    for (value,) in rows:
        match = SLASHED.match(value)
        if match:
            first_big |= int(match.group(1)) > 12
            second_big |= int(match.group(2)) > 12
    if first_big and not second_big:
        return "dmy", False
    return "mdy", not second_big and any(SLASHED.match(value) for (value,) in rows)


def date_formats(con: duckdb.DuckDBPyConnection, table: str, column: str, order: str) -> list[str]:
    """The formats (of the date order's candidates) that sampled values of the column actually use."""
    candidates = DATE_FORMATS["ymd"] + DATE_FORMATS[order] + DATE_FORMATS["month"]
    values = [
        v
        for (v,) in con.execute(
            f"SELECT {cleaned(column)} AS v FROM {quote(table)} WHERE v IS NOT NULL USING SAMPLE 2000 ROWS"
        ).fetchall()
    ]
    used = [fmt for fmt in candidates if any(_parses(value, fmt) for value in values)]
    return used or candidates


def _parses(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value, fmt)
        return True
    except ValueError:
        return False


def date_sql(column: str, formats: list[str]) -> str:
    listed = ", ".join(sql_literal(fmt) for fmt in formats)
    return f"try_strptime({cleaned(column)}, [{listed}])"


def number_sql(column: str, *, percent_to_ratio: bool = False) -> str:
    """Currency symbols, thousands separators, accounting negatives `(1,234)` and `%` handled."""
    text = cleaned(column)
    negative = f"regexp_replace({text}, '^\\((.*)\\)$', '-\\1')"
    digits = f"TRY_CAST(regexp_replace({negative}, '[^0-9.eE+-]', '', 'g') AS DOUBLE)"
    if percent_to_ratio:
        return f"CASE WHEN {text} LIKE '%\\%%' ESCAPE '\\' OR {digits} > 1 THEN {digits} / 100 ELSE {digits} END"
    return digits


def boolean_sql(column: str) -> str:
    text = f"lower({cleaned(column)})"
    true = ", ".join(sql_literal(word) for word in TRUE_WORDS)
    false = ", ".join(sql_literal(word) for word in FALSE_WORDS)
    return f"CASE WHEN {text} IN ({true}) THEN true WHEN {text} IN ({false}) THEN false END"
