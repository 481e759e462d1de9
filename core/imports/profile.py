"""Evidence from values: one sampled DuckDB pass over a raw table gives each column's shape, uniqueness, range
and the share of its values in known vocabularies (stages, lead statuses, channels, departments, currencies,
countries). The recogniser weighs this beside the column's name; nothing here decides anything."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from core.imports.casting import CURRENCY_SIGNS, DURATION, GROUPING, quote, sql_list, sql_literal
from core.imports.names import folded, phrase
from core.imports.reading import RawTable
from core.imports.vocabulary import (
    CALL_OUTCOME_WORDS,
    CHANNEL_WORDS,
    CODE_WITH_SYMBOL,
    CURRENCY_NAMES,
    DEPARTMENT_WORDS,
    FALSE_WORDS,
    LEAD_STATUS_VALUES,
    LEAD_STATUS_WORDS,
    NULL_TOKENS,
    OPEN_STAGES,
    OUTCOME_VALUES,
    PURPOSE_WORDS,
    STAGE_WORDS,
    STATUS_CLASS_VALUES,
    TITLE_WORDS,
    TRUE_WORDS,
)

SAMPLE_ROWS = 2000
MAX_COLUMNS = 400  # columns profiled; a wider file's others are named but not profiled
DATA = Path(__file__).resolve().parents[1] / "data"
# A month's name or its abbreviation in English, Spanish, Portuguese, French, German or Italian: `Jan 2024` and
# `5-Mär-24` are dates, `INV-0231`, `CUST-0042` and `Net 30` are not.
MONTH = (
    r"(?i:(jan|feb|f[eé]v|mar|m[aä]r|apr|avr|abr|may|mai|mag|jun|jui|jul|giu|lug|aug|ago|ao[uû]|sep|set|oct|"
    r"okt|out|ott|nov|dec|d[eé]c|dez|dic|ene|gen)[a-zéû]{0,7}\.?)"
)
# A date, or a month as `2024-03` or `2024/03` (as public spending ledgers write the month of an entry).
DATE = (
    rf"^(\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.](\d{{2}}|\d{{4}})|{MONTH} \d{{1,2}},? \d{{4}}"
    rf"|\d{{1,2}}[ -]{MONTH}[ -]\d{{2,4}}|\d{{4}}-\d{{2}}|(19|20)\d{{2}}/(0?[1-9]|1[0-2])|{MONTH}[ -]\d{{2,4}}"
    r"|(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"  # 20240131
    r"|\d{4}年\d{1,2}月\d{1,2}日)([ T]\d{1,2}:\d{2}.*)?$"  # Chinese and Japanese: 2025年4月1日
)
TIME = r"[ T]\d{1,2}:\d{2}"
# `2021-07-01T00:00:00Z`, `3/2/2026 12:00 AM`: a day written as a timestamp (anchored, so cheap to test)
MIDNIGHT = r"^[^ T]{6,10}[ T](0{1,2}:00(:00(\.0+)?)?|12:00(:00)?\s?[Aa]\.?[Mm]\.?)\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
# A currency's symbol or code before or after the number: `$1,234.56`, `1.234,56 €` (as European exports write it)
NUMBER = (
    rf"^\(?[-+]?\s*([{CURRENCY_SIGNS}]|R\$|[A-Za-z]{{3}}\s)?\s*[-+]?(\d[\d,.{GROUPING}]*|\.\d+)\)?\s*%?\s*"
    rf"([A-Za-z]{{3}}|[{CURRENCY_SIGNS}]|R\$|zł|Kč|kr|TL|руб\.?|р\.)?$"
)
MONEY_MARK = rf"[{CURRENCY_SIGNS}]|R\$|^[A-Z]{{3}} |\d [A-Z]{{3}}$|\d[.,]\d{{2}}$|\d (zł|Kč|kr|TL|руб)"
INTEGER = r"^-?\d+$"
# `10 - Extremely likely`: a survey answer with its label; head-count bands past a thousand (`1,001 - 5,000`,
# `1001-5000`, `10,001+`), read as their lower bound
LEADING_NUMBER = r"^(\d{1,3}(\.\d+)?(\s*[-–:]|\s|$)|\d{1,3}(,\d{3})+\s*([-–+]|$)|\d{4,}\s*[-–]\s*\d{4,}$|\d+\+$)"
EPOCH = r"^1[0-9]{9}(\.\d+)?$"  # Unix seconds from 2001 to 2033 (`1717315200`), as APIs give timestamps
# An address, or an API's JSON list of them (`["ana@example.com"]`) whose first is the person's
EMAIL = r'^(\["|\[)?[^@\s",\[\]]+@[^@\s",\[\]]+\.[A-Za-z]{2,}("\]|"\s*,.*\]|\])?$'
UUID = r"^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?$"  # a system's GUID
JSON = r"^\s*(\[.*\]|\{.*\})\s*$"  # a list or object an API dump left in a cell (`[{"id":"com_3b2a",...}]`)
CLOCK = r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s?[AaPp]\.?[Mm]\.?)?$"  # `09:05:11`, `4:40 PM`: a time of day alone
DIALLING = r"^\+\d{1,4}$"  # `+44`: a telephone country code, which a number or a country is not
NUMBERED = r"^(#|N[°º]|No\.)\s?\d+$"  # `#1187`: a document's number as people quote it (Shopify's order `Name`)
RECORD_PREFIX = re.compile(r"^([^\W\d_][^-–:]{1,30}?)\s+[-–]\s+(\S.*)$")  # `Deal - Value`, `Negócio - Valor`
# A company's legal form closing its name (`Brauhaus Lindner GmbH`, `Acme Ltd.`, `Vireo SAS`, `Ostrau s.r.o.`)
LEGAL_FORM = (
    r"(?i)[\s,](gmbh|ag|kg|ohg|ug|se|ltd|limited|inc|llc|llp|plc|corp|sa|sas|sarl|srl|s\.r\.l|s\.r\.o|spa|s\.p\.a|"
    r"bv|b\.v|nv|n\.v|oy|ab|a/s|aps|pty ltd|kft|s\.a|sl|s\.l|ltda|gbr|e\.v)\.?$"
)
OPAQUE = (  # no spaces: codes, hashes, CRM ids (a name has spaces), and document series (`INV/24-25/0112`)
    r"^[A-Za-z0-9][A-Za-z0-9_\-:.]{5,}$|^[A-Za-z][A-Za-z0-9_\-:.]*/[A-Za-z0-9_\-:./]*\d[A-Za-z0-9_\-:./]*$"
)


@cache
def _word_list(name: str) -> tuple[str, ...]:
    lines = (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line and not line.startswith("#"))


def vocabularies() -> dict[str, tuple[str, ...]]:
    return {
        "stage": STAGE_WORDS,
        "outcome": OUTCOME_VALUES,
        "open_stage": OPEN_STAGES,
        "lead_status": LEAD_STATUS_VALUES,
        "lead_converted": LEAD_STATUS_WORDS["converted"],  # a lead that became a customer or a deal
        "channel": CHANNEL_WORDS,
        "department": DEPARTMENT_WORDS,
        "title": TITLE_WORDS,
        "currency": _word_list("currencies") + CURRENCY_NAMES,
        "purpose": tuple(word for _, words in PURPOSE_WORDS for word in words),
        "status_class": STATUS_CLASS_VALUES,
        "country": _word_list("countries"),
        "boolean": TRUE_WORDS + FALSE_WORDS,
        "call_outcome": CALL_OUTCOME_WORDS,
    }


@dataclass
class ColumnProfile:
    name: str
    phrase: str  # its header's words (core.imports.names)
    filled: int  # sampled rows holding a value
    distinct: int
    shares: dict[str, float]  # date, time, number, integer, money, percent, email, opaque: share of filled values
    vocab: dict[str, float]  # vocabulary -> share of filled values in it
    low: float | None = None  # smallest and largest number, when numbers
    high: float | None = None
    length: float = 0.0  # mean length of a value
    examples: tuple[str, ...] = ()

    @property
    def unique(self) -> float:
        return self.distinct / self.filled if self.filled else 0.0

    def share(self, shape: str) -> float:
        return self.shares.get(shape, 0.0)

    @property
    def is_date(self) -> bool:
        return self.filled > 0 and self.share("date") >= 0.6  # a report's section and total rows are not dates

    @property
    def is_number(self) -> bool:
        return self.filled > 0 and self.share("number") >= 0.8 and not self.is_date

    @property
    def is_boolean(self) -> bool:
        return self.filled > 0 and self.vocab.get("boolean", 0) >= 0.95 and self.distinct <= 3

    @property
    def is_key(self) -> bool:
        """Unique or nearly so, and not a date or a measured number: it can identify a row."""
        if self.filled < 1 or self.unique < 0.95 or self.is_date or self.share("email") >= 0.5:
            return False
        if self.is_number:
            return self.share("integer") >= 0.99
        return self.share("opaque") >= 0.8 or self.filled >= 50  # a short list of unique names is not of ids

    def words(self) -> str:
        """What its values look like, for a reason shown to the user ("dates", "unique ids", ...)."""
        if self.filled == 0:
            return "empty in the rows sampled"
        if self.is_date:
            return "timestamps" if self.share("time") >= 0.5 else "dates"
        if self.is_boolean:
            return "yes/no values"
        span = f" from {_shown(self.low)} to {_shown(self.high)}" if self.is_number and self.low is not None else ""
        if self.is_key:  # a revenue that differs on every row is no id: its numbers are shown
            return f"unique whole numbers{span}" if self.is_number else "unique ids"
        if self.is_number:
            return ("amounts" if self.share("money") >= 0.5 else "numbers") + span
        best = max(self.vocab, key=self.vocab.get, default=None)
        if best and self.vocab[best] >= 0.5:
            return f"{best.replace('_', ' ')} values such as {', '.join(repr(e) for e in self.examples[:2])}"
        return f"text such as {', '.join(repr(e) for e in self.examples[:2])}"


def _shown(number: float) -> str:
    """A number as a reason shows it: whole numbers in full (42,000,000, not 4.2e+07)."""
    return f"{number:,.0f}" if float(number).is_integer() and abs(number) < 1e15 else f"{number:,.6g}"


@dataclass
class TableProfile:
    source: str  # the file's name as the user knows it
    name_phrase: str  # the file name's words
    rows: int
    columns: list[ColumnProfile] = field(default_factory=list)
    # The number columns' values on the same sampled rows (None where blank), for evidence across columns: a
    # total that is the sum of others, an amount that is a price per unit.
    numbers: dict[str, tuple[float | None, ...]] = field(default_factory=dict)

    def column(self, name: str) -> ColumnProfile:
        return next(c for c in self.columns if c.name == name)


SHAPES = {
    "date": DATE,
    "time": TIME,
    "midnight": MIDNIGHT,
    "number": NUMBER,
    "integer": INTEGER,
    "money": MONEY_MARK,
    "percent": "%$",
    "leading_number": LEADING_NUMBER,
    "epoch": EPOCH,
    "email": EMAIL,
    "opaque": OPAQUE,
    "uuid": UUID,
    "numbered": NUMBERED,
    "dialling": DIALLING,
    "json": JSON,
    "company": LEGAL_FORM,
    "duration": DURATION,
    "clock": CLOCK,
}
COMMA_NUMBER = sql_literal(f"^[^0-9]*-?[0-9.{GROUPING}]*,[0-9]{{1,2}}[^0-9]*$")  # `1.234,56`, `1 234,56`, `2,55`
AS_NUMBER = (  # European decimal commas as well as `$1,234.56`
    f"TRY_CAST(CASE WHEN regexp_matches(v, {COMMA_NUMBER}) "
    "THEN replace(regexp_replace(v, '[^0-9,-]', '', 'g'), ',', '.') "
    "ELSE regexp_replace(v, '[^0-9.eE-]', '', 'g') END AS DOUBLE)"
)
VOCAB_LENGTH = 60  # longer values are in no vocabulary
ALIGNED_ROWS = 200  # rows whose numbers are kept side by side (TableProfile.numbers)
MAX_ALIGNED = 12  # number columns kept so


def profile_table(con: duckdb.DuckDBPyConnection, raw: RawTable) -> TableProfile:
    """Profile up to SAMPLE_ROWS sampled rows of a raw (all-text) table: the sample's distinct values per column
    with their counts, each value's shape tested once (in DuckDB) and looked up in the vocabularies (in Python)."""
    columns = raw.columns[:MAX_COLUMNS]
    name = re.sub(r"\.[A-Za-z0-9]+$", "", raw.source.split("›")[-1])
    table = TableProfile(raw.source, phrase(name), raw.rows_read)
    if not columns:
        return table
    distinct = _distinct_values(con, raw, columns)
    flags = ", ".join(
        f"regexp_matches(v, {sql_literal(pattern)}) AS {quote(shape)}" for shape, pattern in SHAPES.items()
    )
    shares = ", ".join(f"sum(n) FILTER (WHERE {quote(shape)})" for shape in SHAPES)
    rows = con.execute(
        f"SELECT col, sum(n), count(*), {shares}, min(x) FILTER (WHERE number), max(x) FILTER (WHERE number), "
        f"sum(length(v) * n) / sum(n), list(v ORDER BY n DESC, v)[:5] "
        f"FROM (SELECT *, {flags}, {AS_NUMBER} AS x FROM {distinct}) GROUP BY col"
    ).fetchall()
    found = {row[0]: row[1:] for row in rows}
    hits = _vocabulary_hits(con, distinct)
    phrases = header_phrases(columns)
    for index, column in enumerate(columns):
        table.columns.append(_column(column, phrases[index], found.get(index), hits.get(index, {})))
    table.numbers = _aligned_numbers(con, raw, [c.name for c in table.columns if c.is_number][:MAX_ALIGNED])
    return table


def _aligned_numbers(con: duckdb.DuckDBPyConnection, raw: RawTable, names: list[str]) -> dict[str, tuple]:
    """The first ALIGNED_ROWS rows of the number columns, row by row, read as numbers (the first rows, not a
    sample: no second pass over a large file)."""
    if len(names) < 2:
        return {}
    read = ", ".join(AS_NUMBER.replace("(v,", f"(trim({quote(name)}),") for name in names)
    rows = con.execute(f"SELECT {read} FROM {quote(raw.table)} LIMIT {ALIGNED_ROWS}").fetchall()
    return {name: tuple(row[index] for row in rows) for index, name in enumerate(names)}


def header_phrases(columns: list[str]) -> list[str]:
    """Each header's words. Where headers carry the record they belong to as a prefix (Pipedrive's `Deal - Value`
    beside `Organization - Name`), the prefix most of them share names the row and goes; another prefix names a
    related record and stays: `Organization - Name` in a deals file is the organization's name, not the deal's."""
    prefixes = [RECORD_PREFIX.match(c) for c in columns]
    said = [m.group(1).strip().casefold() for m in prefixes if m]
    row = max(set(said), key=said.count) if said else None
    if row is None or said.count(row) * 2 < len(columns) or len(set(said)) < 2:
        return [phrase(c) for c in columns]
    return [
        phrase(f"{m.group(1)} {m.group(2)}") if m and m.group(1).strip().casefold() != row else phrase(c)
        for c, m in zip(columns, prefixes, strict=True)
    ]


def _distinct_values(con: duckdb.DuckDBPyConnection, raw: RawTable, columns: list[str]) -> str:
    """A temp table of (column position, trimmed value, rows) over the sample, null tokens left out."""
    positions = ", ".join(f"trim({quote(c)}) AS {quote(str(i))}" for i, c in enumerate(columns))
    sample = f"SELECT {positions} FROM {quote(raw.table)} USING SAMPLE reservoir({SAMPLE_ROWS} ROWS) REPEATABLE (7)"
    name = "_profile_values"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT CAST(col AS INTEGER) AS col, v, count(*) AS n "
        f"FROM (UNPIVOT ({sample}) ON COLUMNS(*) INTO NAME col VALUE v) "
        f"WHERE lower(v) NOT IN ({sql_list(NULL_TOKENS)}) GROUP BY ALL"
    )
    return name


@cache
def _vocabularies_of() -> dict[str, tuple[str, ...]]:
    """Each known word → the vocabularies it is in."""
    found: dict[str, list[str]] = {}
    for key, words in vocabularies().items():
        for word in dict.fromkeys(words):
            found.setdefault(folded(word), []).append(key)
    return {word: tuple(keys) for word, keys in found.items()}


def _vocabulary_hits(con: duckdb.DuckDBPyConnection, distinct: str) -> dict[int, dict[str, int]]:
    """Per column position, rows whose value is in each vocabulary; an API's enum value (`in_progress`,
    `NO_ANSWER`) counts as its words."""
    vocabularies_of = _vocabularies_of()
    hits: dict[int, dict[str, int]] = {}
    rows = con.execute(f"SELECT col, lower(v), n FROM {distinct} WHERE length(v) <= {VOCAB_LENGTH}").fetchall()
    con.execute(f"DROP TABLE {distinct}")
    for col, value, n in rows:
        keys = vocabularies_of.get(value) or vocabularies_of.get(folded(value).replace("_", " "), ())
        symbol = re.fullmatch(CODE_WITH_SYMBOL, value) if not keys else None
        if symbol and symbol.group(1) != value and "currency" in vocabularies_of.get(symbol.group(1), ()):
            keys = ("currency",)  # Agile CRM's `USD-$`: the code with its symbol
        for key in keys:
            counts = hits.setdefault(col, {})
            counts[key] = counts.get(key, 0) + n
    return hits


def _column(name: str, words: str, found: tuple | None, hits: dict[str, int]) -> ColumnProfile:
    if found is None:  # every sampled value blank
        return ColumnProfile(name, words, 0, 0, {}, {})
    filled, distinct, *rest = found
    counts, (low, high, length, examples) = rest[: len(SHAPES)], rest[len(SHAPES) :]
    return ColumnProfile(
        name=name,
        phrase=words,
        filled=int(filled),
        distinct=distinct,
        shares={shape: (n or 0) / filled for shape, n in zip(SHAPES, counts, strict=True)},
        vocab={key: n / filled for key, n in hits.items()},
        low=low,
        high=high,
        length=float(length or 0),
        examples=tuple(examples or ()),
    )
