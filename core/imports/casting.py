"""SQL expressions that turn a raw text column into its canonical type, decided per column from the data.

Every expression reads one VARCHAR column of a raw table and yields NULL for a value it cannot read; the
caller counts those as unparseable (a non-null source value that became NULL) and still loads the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from core.imports.vocabulary import CURRENCY_CODES, FALSE_WORDS, NULL_TOKENS, TRUE_WORDS

DATE_ORDERS = ("auto", "mdy", "dmy", "ymd")
DECIMAL_MARKS = ("auto", ".", ",")
SAMPLE_VALUES = 5000
FORMAT_GROUP = 16  # date formats tested together before one by one (see `_formats_in_use`)
# The last two as BigQuery's `bq extract` writes TIMESTAMP columns into CSV (`2023-09-06 15:23:12.000000 UTC`; see
# github.com/bxparks/bigquery-schema-generator/issues/19): read in UTC.
TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %I:%M%p", "T%H:%M:%S", "T%H:%M:%SZ",
         "T%H:%M:%S.%fZ", " %H:%M:%S.%f", "T%H:%M", " %H:%M:%S UTC", " %H:%M:%S.%f UTC")  # fmt: skip
MONTH_FORMATS = ("%b %Y", "%B %Y", "%b-%y", "%b-%Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%b %d, %Y", "%B %d, %Y",
                 "%d %B %Y")  # fmt: skip
ISO_WITH_OFFSET = (
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2})"  # 2024-05-15T12:36:48.000000+00:00
)
DAY_MONTH = r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b"
DOTTED_DATE = r"^\s*\d{1,2}\.\d{1,2}\.(\d{2}|\d{4})\b"  # 03.02.2025: German, Russian, Polish, Turkish, Nordic
UNIX_SECONDS = r"^\d{9,10}$"
YEAR_FIRST = r"^\d{4}[-/.年]"
DAY_MONTH_SHAPE = re.compile(r"^\s*9{1,2}[/.-]9{1,2}[/.-](99|9999)\b")  # DAY_MONTH, on a value's shape
SHAPE_BYTES = np.array(  # a value's shape, byte by byte: ASCII digits → 9, ASCII letters → a, the rest kept
    [57 if 48 <= b < 58 else 97 if 65 <= b < 91 or 97 <= b < 123 else b for b in range(256)], dtype=np.uint8
)


@dataclass
class ParseOptions:
    """How to read one file's values, when the guess from the data is wrong."""

    date_order: str = "auto"  # auto | mdy | dmy | ymd
    decimal: str = "auto"  # auto | . | ,
    null_tokens: tuple[str, ...] = ()  # extra values that mean "empty" in this file, e.g. "No internet service"

    def __post_init__(self):
        if self.date_order not in DATE_ORDERS:
            raise ValueError(f"date order must be one of {', '.join(DATE_ORDERS)}, not {self.date_order!r}")
        if self.decimal not in DECIMAL_MARKS:
            raise ValueError(f"decimal mark must be one of {', '.join(DECIMAL_MARKS)}, not {self.decimal!r}")
        self.null_tokens = tuple(self.null_tokens)


@dataclass
class TypedColumn:
    text: str  # SQL: the column's cleaned text (see `cleaned`)
    reads: Callable[[str], str]  # SQL of the canonical value, given SQL of the cleaned text
    note: str | None = None  # a doubt the person should know about (e.g. ambiguous date order)
    percent: bool = False  # a share read as 0-100 (or with %) and divided by 100

    @property
    def sql(self) -> str:
        """The expression over the raw table giving the canonical type."""
        return self.reads(self.text)

    def over(self, text: str) -> str:
        """The same expression over text cleaned elsewhere, e.g. a column of a staged table that holds it:
        cleaning costs more than typing, so a pass that needs both cleans once."""
        return self.reads(text)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_list(words) -> str:
    return ", ".join(sql_literal(word) for word in words)


def cleaned(column: str, extra_nulls: tuple[str, ...] = ()) -> str:
    """The column's trimmed text, NULL for null tokens (blank, a lone space, NA, N/A, null, \\N, -, ...).

    Most values are longer than any token and hold no outer space: they are kept as they are, and only the
    others are trimmed and matched (case-insensitively, in one regular expression). `lower(trim(x)) IN (...)`
    on every value cost four times as much as reading the column (DuckDB's trim strips only spaces). A short
    value that starts with a digit cannot be a token unless one starts with a digit: it skips the regular
    expression (short numbers, `0`/`1` flags and counts, are whole columns)."""
    tokens = NULL_TOKENS + tuple(token.strip().lower() for token in extra_nulls)
    longest = max(len(token) if token.isascii() else 4 * len(token) for token in tokens)  # in UTF-8 bytes
    alternatives = "|".join(re.escape(token) for token in tokens if token)
    value = quote(column)
    token = f"regexp_full_match({value}, {sql_literal(f'(?i) *({alternatives})? *')})"
    plain = f"strlen({value}) > {longest} AND NOT ({value} LIKE ' %' OR {value} LIKE '% ')"
    digit_first = f"{value} >= '0' AND {value} < ':'"  # the first byte is 0-9 (':' follows '9')
    number = "" if any(token[:1].isdigit() for token in tokens) else f" WHEN {digit_first} THEN trim({value})"
    return f"CASE WHEN {plain} THEN {value}{number} WHEN {token} THEN NULL ELSE trim({value}) END"


def typed_column(
    con: duckdb.DuckDBPyConnection,
    table: str,
    column: str,
    duck_type: str,
    options: ParseOptions | None = None,
    *,
    ratio: bool = False,
    leading_number: bool = False,
    duration: bool = False,
) -> TypedColumn:
    """The expression that reads `column` as `duck_type` (TIMESTAMP, DOUBLE, BOOLEAN or VARCHAR).

    `ratio`: the canonical field is a 0-1 share, so `62%` and a 0-100 column are divided by 100.
    `leading_number`: read the number a label starts with (`9 - Extremely likely` → 9).
    `duration`: the field is a duration in minutes, so durations written with units (`1h 5m`) are read as such.
    """
    options = options or ParseOptions()
    text = cleaned(column, options.null_tokens)
    if duck_type == "TIMESTAMP":
        return date_column(con, table, column, text, options.date_order)
    if duck_type == "DOUBLE":
        return number_column(
            con, table, text, options.decimal, ratio=ratio, leading_number=leading_number, duration=duration
        )
    if duck_type == "BOOLEAN":
        return TypedColumn(text, boolean_sql)
    return TypedColumn(text, _as_is)


def _as_is(text: str) -> str:
    return text


def _distinct_sample(con, table: str, text: str) -> list[str]:
    rows = con.execute(
        f"SELECT DISTINCT _value FROM (SELECT {text} AS _value FROM {quote(table)}) WHERE _value IS NOT NULL "
        f"LIMIT {SAMPLE_VALUES}"
    ).fetchall()
    return [value for (value,) in rows]


def _value_shapes(con, table: str, text: str) -> list[tuple[str, str]]:
    """(shape, one example) of each shape of value in the column (digits as 9, letters as a), most frequent
    first: every format the column uses is among them, however rare, and there are few of them.

    Shapes are made in Arrow, each byte of the column's text mapped through SHAPE_BYTES in one vectorised pass:
    two regular-expression replacements per value in SQL cost ten times as much on a million rows."""
    values = (
        con.sql(f"SELECT _value FROM (SELECT {text} AS _value FROM {quote(table)}) WHERE _value IS NOT NULL")
        .to_arrow_table()
        .column(0)
        .combine_chunks()
    )
    if len(values) == 0:
        return []
    if values.type != pa.string():
        values = values.cast(pa.string())
    validity, offsets, data = values.buffers()
    shaped_bytes = pa.py_buffer(SHAPE_BYTES[np.frombuffer(data, dtype=np.uint8)])
    shapes = pa.Array.from_buffers(pa.string(), len(values), [validity, offsets, shaped_bytes], offset=values.offset)
    grouped = (
        pa.table({"value": values, "shape": shapes}).group_by("shape").aggregate([("value", "min"), ("value", "count")])
    )
    rows = grouped.sort_by([("value_count", "descending"), ("shape", "ascending")]).slice(0, SAMPLE_VALUES)
    return list(zip(rows.column("shape").to_pylist(), rows.column("value_min").to_pylist(), strict=True))


def _one_value_per_shape(con, table: str, text: str) -> list[str]:
    return [example for _, example in _value_shapes(con, table, text)]


def decide_date_order(con, table: str, text: str, shapes: list[str] | None = None) -> tuple[str, bool]:
    """Month-first or day-first, from the whole column: a first part above 12 can only be a day, and so can a
    second part; dates written with dots are day-first too (no convention writes months first with dots), even when
    no day is above 12. Returns (order, ambiguous); ambiguous when slashed dates exist but none could tell.

    `shapes` (the column's value shapes, when known) skip the scan for a column without slashed dates. The scan
    reads the distinct first words of the values: a slashed date never holds a space, so it is all there."""
    if shapes is not None and not any(DAY_MONTH_SHAPE.match(shape) for shape in shapes):
        return "mdy", False
    word = f"split_part({text}, ' ', 1)"
    first = f"TRY_CAST(regexp_extract(_word, '{DAY_MONTH}', 1) AS INTEGER)"
    second = f"TRY_CAST(regexp_extract(_word, '{DAY_MONTH}', 2) AS INTEGER)"
    day_first, month_first, slashed, dotted = con.execute(
        f"SELECT coalesce(bool_or({first} > 12), false), coalesce(bool_or({second} > 12), false), "
        f"coalesce(bool_or(regexp_matches(_word, '{DAY_MONTH}')), false), "
        f"coalesce(bool_and(regexp_matches(_word, '{DOTTED_DATE}')), false) "
        f"FROM (SELECT DISTINCT {word} AS _word FROM {quote(table)} WHERE {text} IS NOT NULL)"
    ).fetchall()[0]
    if (day_first or dotted) and not month_first:
        return "dmy", False
    return "mdy", slashed and not month_first


def candidate_formats(order: str) -> tuple[list[str], list[str]]:
    """strptime formats to try: for values starting with a four-digit year, and for the others (two-digit
    years before four-digit ones, since `%Y` would read `19` as the year 19)."""
    days = []
    for sep in "/-.":
        pairs = {"mdy": ("%m", "%d"), "dmy": ("%d", "%m")}.get(order)
        if pairs:
            days += [f"{pairs[0]}{sep}{pairs[1]}{sep}%y", f"{pairs[0]}{sep}{pairs[1]}{sep}%Y"]
    iso = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]  # the last as Chinese and Japanese write it
    return [day + time for day in iso for time in TIMES] + ["%Y-%m", "%Y/%m", "%Y%m%d"], [
        day + time for day in days for time in TIMES
    ] + [month + time for month in MONTH_FORMATS for time in TIMES]  # Magento's `Jan 3, 2024 1:00:05 PM`


def date_column(con, table: str, column: str, text: str, order: str = "auto") -> TypedColumn:
    shapes = _value_shapes(con, table, text)
    values = [example for _, example in shapes]
    if values and all(re.fullmatch(UNIX_SECONDS, value) for value in values):
        return TypedColumn(text, lambda t: f"make_timestamp(TRY_CAST({t} AS BIGINT) * 1000000)")
    if values and all(re.fullmatch(ISO_WITH_OFFSET, value) for value in values):  # API exports: read in UTC
        if _all_at_midnight(con, table, text):  # `2019-02-04T00:00:00+11:00`: a day in its place, not a moment
            return TypedColumn(text, lambda t: f"TRY_CAST(left({t}, 10) AS TIMESTAMP)")
        return TypedColumn(text, lambda t: f"timezone('UTC', TRY_CAST({t} AS TIMESTAMPTZ))")
    note = None
    if order == "auto":
        order, ambiguous = decide_date_order(con, table, text, [shape for shape, _ in shapes])
        if ambiguous:
            note = (
                f"Dates in '{column}' could be month-first or day-first; we read them as month-first. "
                "Change the date order of this file if that is wrong."
            )
    year_first, others = candidate_formats(order)
    starts_with_year = [v for v in values if re.match(YEAR_FIRST, v)]
    other_values = [v for v in values if not re.match(YEAR_FIRST, v)]
    year_first = _formats_in_use(con, starts_with_year, year_first)
    others = _formats_in_use(con, other_values, others)
    if values and not other_values:  # the shapes cover every value: one list of formats reads them all
        return TypedColumn(text, lambda t: f"try_strptime({t}, [{sql_list(year_first)}])", note)
    if values and not starts_with_year:
        return TypedColumn(text, lambda t: f"try_strptime({t}, [{sql_list(others)}])", note)
    return TypedColumn(
        text,
        lambda t: (
            f"CASE WHEN regexp_matches({t}, '{YEAR_FIRST}') THEN try_strptime({t}, [{sql_list(year_first)}]) "
            f"ELSE try_strptime({t}, [{sql_list(others)}]) END"
        ),
        note,
    )


def _all_at_midnight(con, table: str, text: str) -> bool:
    """Every value at midnight of its own time zone: days (a hire date, a close date) that an API wrote as
    timestamps, which read in UTC would fall on the day before east of Greenwich."""
    midnight = sql_literal(r"^\S{10}[T ]00:00(:00(\.0+)?)?[+-]")
    return con.execute(
        f"SELECT coalesce(bool_and(regexp_matches(_v, {midnight})), false) "
        f"FROM (SELECT {text} AS _v FROM {quote(table)}) WHERE _v IS NOT NULL"
    ).fetchall()[0][0]


def _formats_in_use(con, values: list[str], formats: list[str]) -> list[str]:
    """The candidate formats (in their order) that read at least one sampled value; all when none does. Tested
    in groups first (a list of formats reads a value when one of them does), then one by one in the groups that
    read some: binding one expression per format cost 40 ms for the 208 month-first formats, the groups 9 ms."""
    if not values:
        return formats
    groups = [formats[i : i + FORMAT_GROUP] for i in range(0, len(formats), FORMAT_GROUP)]
    read = _reads(con, values, [f"[{sql_list(group)}]" for group in groups])
    candidates = [fmt for group, hit in zip(groups, read, strict=True) if hit for fmt in group]
    read = _reads(con, values, [sql_literal(fmt) for fmt in candidates]) if candidates else []
    used = [fmt for fmt, hit in zip(candidates, read, strict=True) if hit]
    return used or formats


def _reads(con, values: list[str], formats: list[str]) -> list[bool]:
    """Per strptime format (SQL: one format or a list of them), whether it reads at least one of the values."""
    counts = ", ".join(f"count(try_strptime(v, {fmt}))" for fmt in formats)
    hits = con.execute(f"SELECT {counts} FROM (SELECT unnest(?::VARCHAR[]) AS v)", [values]).fetchall()[0]
    return [bool(hit) for hit in hits]


# Spaces that group thousands as French, Nordic, Polish and Russian spreadsheets write them (`1 234,56`, with a
# no-break, narrow no-break or thin space), and the Swiss apostrophe (`1'234.50`).
GROUPING = " \u00a0\u202f\u2009'’"
# Currency signs beside the number: symbols, and the letters of local ones (`R$ 1.234,56`, `1 234,56 zł`, `₺12.500`).
CURRENCY_SIGNS = "$€£¥₽₺₹₩₪￥"
LOCAL_SIGNS = ("r$", "zł", "zl", "kč", "kr", "tl", "руб", "р.", "lei", "ft")
COMMA_DECIMAL = re.compile(  # `1.234,56`, `1 234,56`, `12,5`, and `4.500.000` (dots that can only group thousands)
    rf"^\D*\d{{1,3}}([.{GROUPING}]\d{{3}})+,\d+\D*$|^\D*\d+,(\d{{1,2}}|\d{{4,}})\D*$|^\D*\d{{1,3}}(\.\d{{3}}){{2,}}\D*$"
)
DOT_DECIMAL = re.compile(r"^\D*\d{1,3}(,\d{3})+\.\d+\D*$|^\D*\d+\.(\d{1,2}|\d{4,})\D*$")


def decide_decimal(values: list[str]) -> str:
    """`,` when some value can only be read with a decimal comma (`1.234,56`, `12,5`) and none only with a dot."""
    comma = any(COMMA_DECIMAL.match(value) for value in values)
    dot = any(DOT_DECIMAL.match(value) for value in values)
    return "," if comma and not dot else "."


_SIGNS = "|".join(re.escape(sign) for sign in (*CURRENCY_CODES, *LOCAL_SIGNS))
NOT_DIGITS = sql_literal(rf"(?i)({_SIGNS})|[{CURRENCY_SIGNS}{GROUPING}%\s]")  # what a number is written with


def number_sql(text: str, decimal: str = ".", *, leading_number: bool = False) -> str:
    """Currency symbols and codes, spaces, thousands separators, `%`, accounting negatives `(1,234)` and
    trailing minus signs removed; the decimal mark made a dot; then read as DOUBLE (NULL when not a number)."""
    bare = f"regexp_replace({text}, {NOT_DIGITS}, '', 'g')"
    signed = f"regexp_replace(regexp_replace({bare}, '^\\((.*)\\)$', '-\\1'), '^([^-].*)-$', '-\\1')"
    plain = f"replace(replace({signed}, '.', ''), ',', '.')" if decimal == "," else f"replace({signed}, ',', '')"
    number = f"TRY_CAST({plain} AS DOUBLE)"
    if decimal != ",":  # most amounts take the plain route: the regular expressions cost more than the rest
        removed = text
        for mark in ("$", "€", "£", "¥", " ", "%", ","):
            removed = f"replace({removed}, '{mark}', '')"
        awkward = " OR ".join(
            f"contains({text}, {mark})" for mark in ("'('", "')'", "chr(9)", "chr(10)", "chr(12)", "chr(13)")
        )
        simple = f"lower({text}) = upper({text}) AND NOT ({awkward} OR ends_with({text}, '-'))"
        # a sign the plain removals leave (`₹1,23,456.00`, `8 215.20` with a no-break space) takes the long route
        number = f"coalesce(CASE WHEN {simple} THEN TRY_CAST({removed} AS DOUBLE) END, {number})"
        # A value DuckDB reads as it is (`128`, `-3.5`, `1e5`) reads the same after the removals above; coalesce
        # looks at the rest only where that fails, sparing most values the lower/upper copies.
        number = f"coalesce(TRY_CAST({text} AS DOUBLE), {number})"
    if leading_number:  # `10 - Extremely likely` → 10; a head-count band `1,000 - 5,000` → its lower bound
        first = f"regexp_extract({text}, '^\\s*(\\d{{1,3}}(,\\d{{3}})+|\\d+(\\.\\d+)?)', 1)"
        number = f"coalesce({number}, TRY_CAST(replace({first}, ',', '') AS DOUBLE))"
    return number


# A duration written with its units, as CRMs and dialers show it (`15m`, `1h 5m`, `6 min 52 sec`, `2 Std.`): read
# in minutes. Each unit's words, longest first, with the minutes one of it makes.
DURATION_UNITS = (
    (r"d|days?|tage?|d[ií]as?|jours?|giorni|dagen", 1440.0),
    (r"h|hrs?|hours?|std|stunden?|horas?|heures?|ore|uur", 60.0),
    (r"m|mins?|minutes?|minuten|minutos?|minuti", 1.0),
    (r"s|secs?|seconds?|segs?|segundos?|sek|sekunden?|secondes?|secondi", 1 / 60),
)
_DURATION_PART = rf"\d+([.,]\d+)?\s*({'|'.join(words for words, _ in DURATION_UNITS)})\.?"
DURATION = rf"(?i)^\s*({_DURATION_PART}\s*,?\s*)+$"
DURATION_SHARE = 0.8  # of a column's distinct values, for it to be read as durations


def duration_minutes_sql(text: str) -> str:
    """SQL: the minutes a duration written with units stands for (`1h 5m` → 65), NULL for any other text."""
    parts = " + ".join(
        f"coalesce(TRY_CAST(replace(regexp_extract(lower({text}), {sql_literal(_unit_amount(words))}, 1), ',', '.') "
        f"AS DOUBLE), 0) * {factor!r}"
        for words, factor in DURATION_UNITS
    )
    return f"CASE WHEN regexp_full_match({text}, {sql_literal(DURATION)}) THEN {parts} END"


def number_column(
    con, table: str, text: str, decimal: str = "auto", *, ratio=False, leading_number=False, duration=False
):
    if duration and _mostly_durations(_distinct_sample(con, table, text)):
        return TypedColumn(text, duration_minutes_sql)
    if decimal == "auto":
        decimal = decide_decimal(_distinct_sample(con, table, text))

    def number(t: str) -> str:
        return number_sql(t, decimal, leading_number=leading_number)

    if not ratio:
        return TypedColumn(text, number)
    percent, above_one = con.execute(
        f"SELECT coalesce(bool_or(contains(_text, '%')), false), coalesce(max({number('_text')}) > 1, false) "
        f"FROM (SELECT {text} AS _text FROM {quote(table)})"
    ).fetchall()[0]
    if percent or above_one:
        return TypedColumn(text, lambda t: f"({number(t)}) / 100", percent=True)
    return TypedColumn(text, number)


def _unit_amount(words: str) -> str:
    """The number before one unit's words (`5` of `1h 5m` for minutes), the unit ending where letters do."""
    return rf"(\d+(?:[.,]\d+)?)\s*(?:{words})(?:[^a-z]|$)"


def _mostly_durations(values: list[str]) -> bool:
    return bool(values) and sum(bool(re.match(DURATION, v)) for v in values) >= DURATION_SHARE * len(values)


def boolean_sql(text: str) -> str:
    """SQL: true or false by the word, NULL for any other. A map lookup: DuckDB plans `IN (...)` lists as joins,
    which on a million rows cost as much as reading the column."""
    words = [f"{sql_literal(word)}: true" for word in TRUE_WORDS] + [
        f"{sql_literal(word)}: false" for word in FALSE_WORDS
    ]
    return f"MAP {{{', '.join(words)}}}[lower({text})]"
