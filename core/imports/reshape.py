"""Reshapes for exports that are not one row per entity, decided before their columns are mapped.

Two shapes are recognised in a raw all-text table (core.imports.reading.RawTable), each offered to the person as a
`Reshape` they can undo: it is plain data, so `dataclasses.asdict` saves it and `apply_reshape` replays it.

- A wide table (`find_wide`, `unpivot`): one column per month, quarter or year, or one per channel or category,
  holding amounts, beside a few identifying columns. Each non-blank amount cell becomes a row holding the
  identifying columns, what its header was and the amount. Total columns (Total, Sum, Gesamt, ...) and, beside
  month columns, quarter or year columns (subtotals) are left out and named.
- An aggregate NPS per period (`find_nps_series`, `apply_nps_series`): promoter, passive and detractor counts
  become exactly that many responses scored 10, 8 and 0; a bare NPS per period cannot honestly become
  responses, so it becomes one row per period holding it (`Period NPS`) and its responses when given.

A table of channel columns (TV, Radio, `search_spend`) may also hold other numbers, which are left out and named
(the Advertising dataset's Sales beside TV, Radio and Newspaper budgets: an outcome, not spend), and may have no
period column at all: its lines then have no period until the person gives one (every row gets it).

Refused, so that an ordinary export is never reshaped by mistake:
- a table with a numeric column that is none of: an alike value column, a total, a period part (Year, Month) or
  an identifier (id, code, account), unless its value columns are channels. Superstore's Sales, Quantity,
  Discount, Profit measure one order line; a campaign report's Impressions, Clicks, Spend measure one campaign:
  neither is a wide table;
- category columns that are not channels with no period column: columns of numbers per row are not spend lines
  unless something says when or where the money went;
- quarter headers without a year (Q1…Q4 are as often survey questions) unless a Year column gives it;
- an NPS column whose values are all whole numbers from 0 to 10: those are answers, not a period's NPS;
- a table whose body waits in a file (`RawTable.body`, a large CSV): these shapes are small sheets.

Row accounting: the reshaped RawTable counts its own rows. `rows_loaded` is its output rows (one per non-blank
amount cell, per counted response or per period); `rejected` holds the source's rejected rows and each loaded
source row that gave no output row (every value cell blank), with its source line. So `rows_read == rows_loaded +
len(rejected)` holds as for any RawTable, and since every output row keeps `_line`, its source line, the source is
accounted for too: `raw.rows_read == count(DISTINCT _line) + len(rejected)`. The Reshape gives the numbers for the
report: `rows_in` source rows → `rows_out` rows, `blank_cells` cells skipped as blank, `empty_rows` rejected.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace

import duckdb

from core.imports.casting import COMMA_DECIMAL, cleaned, quote, sql_list, sql_literal
from core.imports.names import words as header_words
from core.imports.reading import CONTENT_LIMIT, RawTable, RejectedRow

SAMPLE_ROWS = 2000  # the columns are judged from this many rows at most
NUMERIC_SHARE = 0.95  # a column whose filled cells are at least this share numbers holds numbers
MIN_VALUE_COLUMNS = 3
MAX_RESPONSES = 1_000_000  # promoter/passive/detractor counts adding up to more are refused
GRAINS = ("month", "quarter", "year")  # finest first
NPS_SCORES = (10, 8, 0)  # representative scores of a promoter, a passive and a detractor

MONTH_NAMES = (  # English, German, French, Spanish and Portuguese names and abbreviations, without accents
    "january jan januar janner jaenner janvier janv enero ene janeiro",
    "february feb februar fevrier fevr fev febrero fevereiro",
    "march mar marz maerz mrz mars marzo marco",
    "april apr avril avr abril abr",
    "may mai mayo maio",
    "june jun juni juin junio junho",
    "july jul juli juillet juil julio julho",
    "august aug aout agosto ago",
    "september sep sept septembre septiembre setiembre setembro set",
    "october oct oktober okt octobre octubre outubro out",
    "november nov novembre noviembre novembro",
    "december dec dezember dez decembre diciembre dic dezembro",
)
MONTHS = {word: number for number, words in enumerate(MONTH_NAMES, start=1) for word in words.split()}

YEAR_HEADERS = {"year", "yr", "jahr", "annee", "ano", "anio", "fy", "fiscal year", "geschaftsjahr", "ejercicio"}
PERIOD_HEADERS = {"month", "monat", "mois", "mes", "period", "periode", "periodo", "date", "datum", "fecha", "data",
                  "week", "woche", "semaine", "semana", "quarter", "quartal", "trimestre", "day", "tag", "jour",
                  "dia", "month year", "year month", "period start", "period end", "period beginning", "week start",
                  "week starting", "week of", "month start", "start of month", "start of week"}  # fmt: skip
TOTAL_WORDS = {"total", "totals", "subtotal", "sum", "summe", "gesamt", "gesamtsumme", "totale", "suma", "soma", "ytd"}
ID_WORDS = {"id", "code", "account", "acct", "konto", "compte", "cuenta", "conta", "nr", "no", "ref", "key", "index",
            "row", "sku", "zip", "postal", "gl"}  # fmt: skip
MEASURE_WORDS = {"nps", "promoters", "passives", "detractors", "responses", "respondents", "quantity", "qty", "units", "unit", "price", "prices", "cost", "costs", "count", "counts", "number",
                 "num", "year", "score", "scores", "clicks", "click", "impressions", "impression", "sales", "revenue",
                 "revenues", "profit", "margin", "discount", "amount", "amounts", "value", "values", "rate", "ratio",
                 "percent", "pct", "share", "age", "tenure", "employees", "headcount", "conversions", "conversion",
                 "leads", "orders", "deals", "spend", "spent", "budget", "actual", "actuals", "forecast", "plan",
                 "variance", "balance", "charges", "charge", "fee", "fees", "tax", "shipping", "weight", "duration",
                 "minutes", "hours", "days", "rank", "rating", "latitude", "longitude", "lat", "lon", "phone",
                 "reach", "views", "sessions", "users", "visits", "ctr", "cpc", "cpm", "roi", "roas", "debit",
                 "debits", "credit", "credits", "net", "gross", "vat", "debe", "haber", "soll", "haben", "debito",
                 "credito", "saldo", "solde", "montant", "importe", "betrag", "valor"}  # fmt: skip
CHANNEL_WORDS = {"tv", "television", "radio", "print", "newspaper", "newspapers", "magazine", "magazines", "digital",
                 "online", "social", "facebook", "meta", "google", "linkedin", "instagram", "twitter", "youtube",
                 "tiktok", "bing", "search", "sem", "seo", "ppc", "display", "programmatic", "affiliate",
                 "affiliates", "sponsorship", "sponsorships", "ooh", "outdoor", "billboard", "billboards", "email",
                 "mail", "paid", "video", "podcast", "influencer", "influencers", "referral", "partners"}  # fmt: skip
NPS_GROUP_WORDS = (
    {"promoter", "promoters", "promotores", "promoteurs", "promotoren"},
    {"passive", "passives", "neutral", "neutrals", "passivos", "passifs", "passiven"},
    {"detractor", "detractors", "detractores", "detracteurs", "detraktoren", "kritiker"},
)
NOT_SPEND_NAME_WORDS = {"sessions", "session", "traffic", "users", "visits", "visitors", "pageviews", "views", "leads",
                        "deals", "pipeline", "revenue", "revenues", "sales", "orders", "bookings", "subscribers",
                        "followers", "audience", "growth", "mrr", "arr", "signups", "installs", "downloads", "clicks",
                        "impressions", "headcount", "employees", "tickets", "umsatz", "ventas", "ingresos", "nps",
                        "promoter", "satisfaction", "csat", "score", "scores"}  # fmt: skip
SPENT_ON_WORDS = {
    "campaign",
    "campaigns",
    "ads",
    "ad",
    "media",
    "marketing",
    "advertising",
    "program",
    "programs",
    "events",
    "event",
    "agency",
    "agencies",
    "tools",
    "software",
    "travel",
}  # what money goes on
MONEY_WORDS = {"amount", "amounts", "eur", "usd", "gbp", "chf", "expenses", "expense", "ausgaben", "gasto", "gastos"}
SPEND_WORDS = {"spend", "spent", "cost", "costs", "budget", "investment", "actual", "actuals"}  # `tv_spend`: TV's
RESPONSE_WORDS = {"responses", "response", "respondents", "n", "count", "answers", "surveys", "sample", "antworten"}
SHARE_WORDS = {"pct", "percent", "percentage", "share", "rate", "ratio"}

YEAR = r"(?P<year>(?:19|20)\d{2}|\d{2})"
FULL_YEAR = r"(?P<year>(?:19|20)\d{2})"
DAY_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
UNNAMED = r"column_\d+"  # a column the reader named because its header was blank (a spreadsheet's row numbers)
PERIOD_PATTERNS = (
    ("month", re.compile(rf"^(?P<month>[a-z]+)(?:[ \-/_']*{YEAR})?$")),  # jan, jan-24, januar 2024, jan'24
    ("month", re.compile(rf"^{FULL_YEAR}[ \-/_]*(?P<month>[a-z]+)$")),  # 2024-jan
    ("month", re.compile(rf"^{FULL_YEAR}[-/_.](?P<month>\d{{1,2}})$")),  # 2024-01
    ("month", re.compile(rf"^(?P<month>\d{{1,2}})[-/_.]{FULL_YEAR}$")),  # 01/2024
    ("month", re.compile(rf"^{FULL_YEAR}-(?P<month>\d{{2}})-(?P<day>\d{{2}})$")),  # 2024-01-01: a date cell
    ("quarter", re.compile(rf"^q(?P<number>[1-4])(?:[ \-/_']*(?:fy)?{YEAR})?$")),  # q1, q1 2024, q1-24, q1 fy24
    ("quarter", re.compile(rf"^(?:fy)?{FULL_YEAR}[ \-/_]*q(?P<number>[1-4])$")),  # 2024 q1, 2024-q1
    ("year", re.compile(rf"^(?:fy|fiscal year) ?'?{YEAR}$")),  # fy24, fy 2024
    ("year", re.compile(rf"^{FULL_YEAR}(?:\.0+)?$")),  # 2024 (and 2024.0 from a spreadsheet)
)


@dataclass
class Reshape:
    """A reshape decided for one raw table: what it does, in words and as data to replay or undo."""

    name: str  # "unpivot" or "nps_series"
    variant: str  # unpivot: "periods" or "categories" (what the headers are); nps_series: "counts" or "scores"
    description: str  # one plain sentence for the person
    id_columns: list[str]  # source columns kept as they are on every output row
    value_columns: list[str]  # unpivot: the amount columns; counts: promoters, passives, detractors; scores: NPS,
    # then its responses when given
    period_columns: list[str]  # source columns read into the created period column (Year, Month); not kept
    left_out: list[str]  # source columns dropped and named in the description: totals, subtotals, numbers the
    # reshape makes redundant
    created: dict[str, str]  # role → name of each column the reshape made (period, header, amount; respondent,
    # score; nps, responses)
    rows_in: int = 0  # source rows loaded
    rows_out: int = 0  # rows of the reshaped table
    blank_cells: int = 0  # value cells that were blank or NA and gave no row (counts: read as 0)
    empty_rows: int = 0  # source rows that gave no row at all: rejected in the reshaped table
    total_rows: int = 0  # unpivot: source rows labelled as a total or subtotal of the rows above: rejected too


@dataclass
class _Profile:
    filled: int  # non-blank cells (NA, n/a, - are blank)
    numbers: int  # cells read as a number
    whole: int  # cells read as a whole, non-negative number
    low: float | None
    high: float | None

    @property
    def numeric(self) -> bool:
        return self.filled > 0 and self.numbers >= NUMERIC_SHARE * self.filled


@dataclass(frozen=True)
class _Period:
    grain: str  # month | quarter | year
    number: int  # the month (1-12) or quarter (1-4); 1 for a year
    year: int | None
    fiscal: bool

    def date(self, year: int | None = None) -> str | None:
        """The first day of the period, as text the typer reads; None without a year."""
        year = self.year or year
        if year is None:
            return None
        month = {"month": self.number, "quarter": 3 * self.number - 2, "year": 1}[self.grain]
        return f"{year:04d}-{month:02d}-01"


def apply_reshape(con: duckdb.DuckDBPyConnection, raw: RawTable, reshape: Reshape) -> RawTable:
    """Replay a saved reshape on the raw table it was decided for."""
    if reshape.name == "unpivot":
        return unpivot(con, raw, reshape)
    return apply_nps_series(con, raw, reshape)


# --- headers ------------------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Lower case without accents, so `Mär`, `Févr.` and `Año` match their plain spellings."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower().strip()


def _words(header: str) -> list[str]:
    """The header's words: `TotalCharges` and `total_charges` both give total, charges."""
    split = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)
    return re.findall(r"[a-z]+|\d+", _plain(split))


def _phrase(header: str) -> str:
    return " ".join(_words(header))


def _is_year_header(header: str) -> bool:
    return _phrase(header) in YEAR_HEADERS


def _is_period_part(header: str) -> bool:
    return _phrase(header) in YEAR_HEADERS | PERIOD_HEADERS


def parse_period(text: str, *, bare_month_number: bool = False) -> _Period | None:
    """The month, quarter or year a header or value names (`Jan-24`, `Januar 2024`, `2024-01`, `Q1 2024`,
    `FY24`, `Dez`); None for anything else. `bare_month_number`: read `1`…`12` as a month (beside a Year)."""
    plain = re.sub(r"\s+", " ", re.sub(r"(?<=[a-z])\.", "", _plain(text)))
    if bare_month_number and re.fullmatch(r"\d{1,2}", plain) and 1 <= int(plain) <= 12:
        return _Period("month", int(plain), None, False)
    for grain, pattern in PERIOD_PATTERNS:
        match = pattern.match(plain)
        number = match and _period_number(grain, match)
        if number:
            year = match["year"]
            return _Period(grain, number, _full_year(year) if year else None, "fy" in plain or "fiscal" in plain)
    return None


def _period_number(grain: str, match: re.Match) -> int | None:
    if grain == "year":
        return 1
    if grain == "quarter":
        return int(match["number"])
    month = match["month"]
    if not month.isdigit():
        return MONTHS.get(month)
    if not 1 <= int(month) <= 12:
        return None
    if match.groupdict().get("day") and int(match["day"]) not in (1, _last_day(match["year"], month)):
        return None  # a date names its month only as the month's first or last day, not as one day of many
    return int(month)


def _last_day(year: str, month: str) -> int:
    return calendar.monthrange(int(year), int(month))[1]


def _full_year(year: str) -> int:
    return int(year) if len(year) == 4 else (2000 if int(year) < 70 else 1900) + int(year)


def period_date(year_text: str | None, period_text: str | None) -> str | None:
    """The date text (`2024-01-01`) of a period given by a Year value and/or a month, quarter or date text."""
    year_period = parse_period(year_text) if year_text else None
    year = year_period.year if year_period and year_period.grain == "year" else None
    if period_text is None:
        return year_period.date() if year_period and year_period.grain == "year" else None
    if DAY_DATE.match(period_text):
        return None  # a value's own date is kept as it is: only a header date stands for its month
    period = parse_period(period_text, bare_month_number=year is not None)
    return period.date(year) if period else None


def _period_label(year_text: str | None, period_text: str | None) -> str | None:
    """The period's date text, or its own text when it names no date the reader knows (a full date such as
    `2024-01-15` is left to the typer)."""
    return period_date(year_text, period_text) or " ".join(t for t in (period_text, year_text) if t) or None


def _number(text: str) -> str:
    """SQL: the number a cleaned text holds, for judging a column (the typer reads the values later): symbols,
    currency codes, spaces and brackets removed, with a decimal comma where the value can only have one (`30,5`,
    `1.000,50`). Lighter than core.imports.casting.number_sql, whose plan costs ten times as much per column."""
    bare = f"regexp_replace({text}, '\\s+[A-Z]{{3}}$|^[A-Z]{{3}}\\s+|[\\s$€£¥%()]', '', 'g')"  # a code beside a space: ABC123 stays text
    comma = f"regexp_full_match({bare}, {sql_literal(COMMA_DECIMAL.pattern)})"
    plain = f"CASE WHEN {comma} THEN replace(replace({bare}, '.', ''), ',', '.') ELSE replace({bare}, ',', '') END"
    return f"TRY_CAST({plain} AS DOUBLE)"


# --- profile ------------------------------------------------------------------------------------------------


def _profile(con: duckdb.DuckDBPyConnection, raw: RawTable) -> dict[str, _Profile]:
    """Each column's filled cells, numbers, whole non-negative numbers and range, in one pass over a sample.

    The sample is unpivoted into one column of cells, so the cleaning and number reading are planned once, not
    once per column: their plans cost more than reading 2,000 rows of a 40-column sheet."""
    sample = (
        f"SELECT * EXCLUDE (_line) FROM {quote(raw.table)} USING SAMPLE reservoir({SAMPLE_ROWS} ROWS) REPEATABLE (7)"
    )
    cells = f"SELECT _column, {cleaned('_value')} AS _text FROM (UNPIVOT _sample ON COLUMNS(*) INTO NAME _column VALUE _value)"
    rows = con.execute(
        f"WITH _sample AS MATERIALIZED ({sample}), _cells AS MATERIALIZED ({cells}), "
        f"_numbers AS (SELECT _column, _text, {_number('_text')} AS _n FROM _cells) "
        "SELECT _column, count(_text), count(_n), count(*) FILTER (WHERE _n >= 0 AND _n = round(_n)), min(_n), max(_n) "
        "FROM _numbers GROUP BY _column"
    ).fetchall()
    found = {column: _Profile(*numbers) for column, *numbers in rows}
    return {column: found.get(column, _Profile(0, 0, 0, None, None)) for column in raw.columns}


# --- wide tables --------------------------------------------------------------------------------------------


def find_wide(con: duckdb.DuckDBPyConnection, raw: RawTable) -> Reshape | None:
    """An unpivot for a table with a column per period or per channel/category holding amounts, or None."""
    if raw.body is not None or not raw.rows_loaded or _names_other_measure(raw.source):
        return None
    profiles = _profile(con, raw)
    roles = {column: _role(column, profiles[column]) for column in raw.columns}
    if "unclear" in roles.values():
        return None
    reshape = _period_headers(roles) or _category_headers(roles)
    if reshape is None or not any(profiles[column].numbers for column in reshape.value_columns):
        return None
    return _counted_wide(con, raw, reshape)


def _names_other_measure(source: str) -> bool:
    """The file's name says its numbers count or measure something other than money spent (`revenue_by_region`,
    `channel_sessions`, `audience_growth`, `Pipeline by stage`): a wide table of those is no spend."""
    name = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.split("›")[-1])
    words = set(_words(name))
    return bool(words & NOT_SPEND_NAME_WORDS) and not words & (SPEND_WORDS | MONEY_WORDS)


def _role(header: str, profile: _Profile) -> str:
    """What a column is in a wide table: period | category (a value column), total, period_part, label (kept as
    it is), measure (a number of another kind) or unclear (a period header over text). An empty column is judged
    by its header alone: a channel with no spend this year is still a channel."""
    if _is_period_part(header):
        return "period_part"
    if profile.filled and not profile.numeric:
        return "unclear" if parse_period(header) else "label"
    words = set(_words(header))
    if words & TOTAL_WORDS:
        return "total"
    if words & ID_WORDS or re.fullmatch(UNNAMED, header):
        return "label"
    if parse_period(header):
        return "period"
    if words & CHANNEL_WORDS and not words & (MEASURE_WORDS - SPEND_WORDS):
        return "category"  # a channel's spend (`tv_spend`, `Facebook Cost`), not its clicks
    if (words | set(header_words(header))) & MEASURE_WORDS or not any(word.isalpha() for word in words):
        return "measure"  # also in the words it stands for: German `Nettoumsatz` is net revenue
    return "category"


def _of_role(roles: dict[str, str], role: str) -> list[str]:
    return [column for column, its_role in roles.items() if its_role == role]


def _period_headers(roles: dict[str, str]) -> Reshape | None:
    """Month, quarter or year headers: the finest grain with enough columns; coarser ones are its subtotals."""
    periods = {column: parse_period(column) for column in _of_role(roles, "period")}
    grains = [period.grain for period in periods.values()]
    grain = next((g for g in GRAINS if grains.count(g) >= MIN_VALUE_COLUMNS), None)
    if grain is None or _of_role(roles, "category") or _of_role(roles, "measure"):
        return None
    if set(grains) & set(GRAINS[: GRAINS.index(grain)]):
        return None
    year, other = _year_and_period(_of_role(roles, "period_part"))
    if other:  # a Month or Date column beside period headers: which one dates the amount?
        return None
    values = [column for column, period in periods.items() if period.grain == grain]
    yearless = any(periods[column].year is None for column in values)
    if grain == "quarter" and yearless and not year:
        return None
    subtotals = [column for column, period in periods.items() if period.grain != grain]
    years = [year] if year and yearless else []  # a Year beside headers that carry their own is kept as it is
    labels = [column for column in roles if roles[column] == "label" or column == year and not years]
    period_name = "Month" if grain == "month" else "Period"
    return Reshape(
        name="unpivot",
        variant="periods",
        description="",
        id_columns=labels,
        value_columns=values,
        period_columns=years,
        left_out=_of_role(roles, "total") + subtotals,
        created=dict(zip(("period", "amount"), _free_names([period_name, "Amount"], labels), strict=True)),
    )


def _period_header_notes(reshape: Reshape) -> list[str]:
    periods = [parse_period(column) for column in reshape.value_columns]
    grain = periods[0].grain
    if reshape.period_columns:
        notes = [f"{_listed(reshape.period_columns)} gave the {grain}s their year"]
    elif any(period.year is None for period in periods):
        notes = [f"the {grain} columns carry no year, so '{reshape.created['period']}' holds their names, not dates"]
    else:
        notes = []
    if any(period.fiscal for period in periods):
        notes.append("fiscal years (FY) were read as calendar years")
    return notes


def _category_headers(roles: dict[str, str]) -> Reshape | None:
    """Channel or category headers beside a period column (Date, Month, Year and Month). Headers that are all
    channels need no period column and may sit beside other numbers (an outcome such as Sales), left out."""
    values = _of_role(roles, "category")
    parts = _of_role(roles, "period_part")
    channels = sum(bool(set(_words(column)) & CHANNEL_WORDS) for column in values)
    if len(values) < MIN_VALUE_COLUMNS or _of_role(roles, "period"):
        return None
    if channels < len(values) and (not parts or _of_role(roles, "measure")):
        return None
    if _shared_measure(values):
        return None
    period_columns = _period_sources(parts)
    ids = [column for column in roles if roles[column] in ("label", "period_part") and column not in period_columns]
    roles_made = ("period", "header", "amount") if period_columns else ("header", "amount")
    header = "Channel" if 2 * channels >= len(values) else "Category"
    names = _free_names(["Period", header, "Amount"][-len(roles_made) :], ids)
    return Reshape(
        name="unpivot",
        variant="categories",
        description="",
        id_columns=ids,
        value_columns=values,
        period_columns=period_columns,
        left_out=_of_role(roles, "total") + _of_role(roles, "measure"),
        created=dict(zip(roles_made, names, strict=True)),
    )


def _shared_measure(values: list[str]) -> str | None:
    """The last word every value header shares when it names a measure other than money (`Organic followers`,
    `Sponsored followers`: a count broken down, not spend per category), or None."""
    last = {(_words(column) or [""])[-1] for column in values}
    shared = last.pop() if len(last) == 1 else None
    return shared if shared and shared not in SPEND_WORDS | CHANNEL_WORDS | MONEY_WORDS | SPENT_ON_WORDS else None


def _period_sources(parts: list[str]) -> list[str]:
    """The Year column (first) and the month, date or period column that together name the period."""
    return [column for column in _year_and_period(parts) if column]


def _year_and_period(columns: list[str]) -> tuple[str | None, str | None]:
    """The first Year column and the first month, date or period column among period columns."""
    year = next((column for column in columns if _is_year_header(column)), None)
    period = next((column for column in columns if not _is_year_header(column)), None)
    return year, period


def _combined_note(period_columns: list[str], period: str) -> str:
    if len(period_columns) == 2:
        return f"{_listed(period_columns)} became one '{period}' date"
    return f"'{period_columns[0]}' became the '{period}' column"


def _counted_wide(con: duckdb.DuckDBPyConnection, raw: RawTable, reshape: Reshape) -> Reshape:
    """The reshape with its row counts over the whole table, and its description."""
    values = [cleaned(column) for column in reshape.value_columns]
    total = _total_row(reshape)
    filled = " + ".join(f"count({value}) FILTER (WHERE NOT ({total}))" for value in values)
    all_blank = " AND ".join(f"({value}) IS NULL" for value in values)
    rows_out, empty, totals = con.execute(
        f"SELECT {filled}, count(*) FILTER (WHERE {all_blank} AND NOT ({total})), count(*) FILTER (WHERE {total}) "
        f"FROM {quote(raw.table)}"
    ).fetchall()[0]
    blank = (raw.rows_loaded - totals) * len(values) - rows_out
    counted = replace(
        reshape, rows_in=raw.rows_loaded, rows_out=rows_out, blank_cells=blank, empty_rows=empty, total_rows=totals
    )
    counted.description = _wide_description(counted)
    return counted


def _total_row(reshape: Reshape) -> str:
    """SQL: the row's label says it is a total or subtotal (`Programs subtotal`, `TOTAL MARKETING`, `Total Income`):
    the sum of lines above it, which as a line of its own would count them twice."""
    words = "|".join(sorted(TOTAL_WORDS))
    said = [
        f"regexp_matches(lower(coalesce({quote(column)}, '')), '(^|[^a-z])({words})([^a-z]|$)')"
        for column in reshape.id_columns
    ]
    return " OR ".join(said) or "false"


def _wide_notes(reshape: Reshape) -> list[str]:
    if reshape.variant == "periods":
        notes = _period_header_notes(reshape)
    elif reshape.period_columns:
        notes = [_combined_note(reshape.period_columns, reshape.created["period"])]
    else:
        notes = ["no column says when the money went: give the period every line has"]
    subtotals = [column for column in reshape.left_out if parse_period(column)]
    totals = [column for column in reshape.left_out if set(_words(column)) & TOTAL_WORDS]
    others = [column for column in reshape.left_out if column not in subtotals + totals]
    if totals:
        notes.append(f"{_listed(totals)} {_was(totals)} left out as {'a total' if len(totals) == 1 else 'totals'}")
    if others:
        notes.append(
            f"{_listed(others)} {_was(others)} left out: {'it is' if len(others) == 1 else 'they are'} no spend"
        )
    if subtotals:
        grain = parse_period(reshape.value_columns[0]).grain
        subtotal = "a subtotal" if len(subtotals) == 1 else "subtotals"
        notes.append(f"{_listed(subtotals)} {_was(subtotals)} left out as {subtotal} of the {grain}s")
    return notes


def _wide_description(reshape: Reshape) -> str:
    columns = reshape.value_columns
    if reshape.variant == "periods":
        noun = parse_period(columns[0]).grain
        per = f"a row per source row and {noun}"
    else:
        noun = reshape.created["header"].lower()
        per = f"a row per {'period' if reshape.period_columns else 'source row'} and {noun}"
    shown = f"{columns[0]} … {columns[-1]}"
    clauses = [
        f"Each of the {len(columns)} {noun} columns ({shown}) became {per}: "
        f"{reshape.rows_in:,} {_rows(reshape.rows_in)} → {reshape.rows_out:,} lines",
        *_wide_notes(reshape),
    ]
    if reshape.blank_cells:
        clauses.append(f"{reshape.blank_cells:,} blank {'cell' if reshape.blank_cells == 1 else 'cells'} gave no line")
    if reshape.empty_rows:
        clauses.append(f"{_counted_rows(reshape.empty_rows)} with every amount blank listed as rejected")
    if reshape.total_rows:
        clauses.append(
            f"{_counted_rows(reshape.total_rows)} labelled as a total or subtotal of the lines above listed as "
            "rejected, so that no amount counts twice"
        )
    return "; ".join(clauses) + "."


def unpivot(con: duckdb.DuckDBPyConnection, raw: RawTable, reshape: Reshape) -> RawTable:
    """A new raw table with a row per non-blank value cell: the period, the identifying columns, what the header
    was (for channel/category headers) and the amount, each row keeping its source `_line`."""
    table = f"{raw.table}_unpivot"
    periods = f"{table}_periods"
    year, text = _year_and_period(reshape.period_columns)
    cleaned_columns = [*reshape.period_columns, *reshape.value_columns]  # period keys match the map's cleaned text
    inner = ", ".join(
        ["_line", *(quote(c) for c in reshape.id_columns), *(f"{cleaned(c)} AS {quote(c)}" for c in cleaned_columns)]
    )
    text_sql = "u.__header" if reshape.variant == "periods" else _column_or_null("u", text)
    _create_period_map(con, periods, _period_pairs(con, raw, reshape, year, text))
    created = reshape.created
    period = [f"p.period AS {quote(created['period'])}"] if "period" in created else []
    header = [f"u.__header AS {quote(created['header'])}"] if "header" in created else []
    selected = ", ".join(
        [
            *period,
            *(f"u.{quote(c)}" for c in reshape.id_columns),
            *header,
            f"u.__amount AS {quote(created['amount'])}",
            "u._line",
        ]
    )
    total = _total_row(reshape)
    con.execute(
        f"CREATE OR REPLACE TABLE {quote(table)} AS SELECT {selected} "
        f"FROM (UNPIVOT (SELECT {inner} FROM {quote(raw.table)} WHERE NOT ({total})) "
        f"ON {', '.join(map(quote, reshape.value_columns))} "
        f"INTO NAME __header VALUE __amount) u "
        f"LEFT JOIN {quote(periods)} p ON {_period_join('p', _column_or_null('u', year), text_sql)} "
        f"ORDER BY u._line, list_position([{sql_list(reshape.value_columns)}], u.__header)"
    )
    con.execute(f"DROP TABLE {quote(periods)}")
    all_blank = " AND ".join(f"({cleaned(c)}) IS NULL" for c in reshape.value_columns)
    empty = _rejected_rows(
        con, raw, f"({all_blank}) AND NOT ({total})", f"every one of its {len(reshape.value_columns)} amounts is blank"
    )
    totals = _rejected_rows(con, raw, total, "its label says it is a total or subtotal of the lines above")
    return _reshaped(con, raw, table, empty + totals, reshape)


def _period_pairs(con, raw: RawTable, reshape: Reshape, year: str | None, text: str | None) -> list[tuple]:
    """The distinct (year, period text) pairs the rows hold: with period headers, each year with each header."""
    if reshape.variant != "periods":
        return _distinct_pairs(con, raw, year, text)
    years = [y for y, _ in _distinct_pairs(con, raw, year, None)]
    return [(y, header) for y in years for header in reshape.value_columns]


def _distinct_pairs(con, raw: RawTable, year: str | None, text: str | None) -> list[tuple]:
    columns = ", ".join(cleaned(column) if column else "NULL" for column in (year, text))
    return con.execute(f"SELECT DISTINCT {columns} FROM {quote(raw.table)}").fetchall()


def _create_period_map(con, table: str, pairs: list[tuple]) -> None:
    """A table from each (year, period text) pair to its date text: the periods are few, and reading month
    names in five languages is clearer in Python than in SQL."""
    years = [year for year, _ in pairs]
    texts = [text for _, text in pairs]
    labels = [_period_label(year, text) for year, text in pairs]
    con.execute(
        f"CREATE OR REPLACE TABLE {quote(table)} AS SELECT unnest(?::VARCHAR[]) AS year, "
        "unnest(?::VARCHAR[]) AS text, unnest(?::VARCHAR[]) AS period",
        [years, texts, labels],
    )


def _column_or_null(alias: str, column: str | None) -> str:
    return f"{alias}.{quote(column)}" if column else "NULL"


def _period_join(alias: str, year_sql: str, text_sql: str) -> str:
    return f"{alias}.year IS NOT DISTINCT FROM {year_sql} AND {alias}.text IS NOT DISTINCT FROM {text_sql}"


# --- NPS series ---------------------------------------------------------------------------------------------


def find_nps_series(con: duckdb.DuckDBPyConnection, raw: RawTable) -> Reshape | None:
    """A reshape for an aggregate NPS per period (promoter/passive/detractor counts, or the NPS itself), or None."""
    if raw.body is not None or not raw.rows_loaded:
        return None
    profiles = _profile(con, raw)
    parts = [column for column in raw.columns if _is_period_part(column)]
    texts = [c for c in raw.columns if c not in parts and not profiles[c].numeric and profiles[c].filled]
    if not parts or any(set(_words(c)) & ID_WORDS for c in raw.columns if profiles[c].filled):
        return None  # no period, or one row per respondent
    counts = _count_columns(raw.columns, profiles)
    nps = next((c for c in raw.columns if _is_nps_header(c) and _period_nps(profiles[c])), None)
    period_columns = _period_sources(parts)
    ids = [column for column in raw.columns if column in parts + texts and column not in period_columns]
    if not (counts or nps) or not _one_row_per_period(con, raw, period_columns + ids):
        return None  # the headers are checked first: the rows are counted only for a likely NPS series
    if counts:
        return _counts_reshape(con, raw, profiles, period_columns, ids, counts)
    return _scores_reshape(con, raw, profiles, period_columns, ids, nps)


def _one_row_per_period(con, raw: RawTable, columns: list[str]) -> bool:
    keys = ", ".join(f"coalesce({cleaned(column)}, '')" for column in columns)
    distinct, rows = con.execute(f"SELECT count(DISTINCT ({keys})), count(*) FROM {quote(raw.table)}").fetchall()[0]
    return distinct == rows


def _is_nps_header(header: str) -> bool:
    words = set(_words(header))
    return ("nps" in words or {"net", "promoter"} <= words) and not words & (RESPONSE_WORDS | SHARE_WORDS)


def _count_columns(columns: list[str], profiles: dict[str, _Profile]) -> list[str] | None:
    """The promoter, passive and detractor count columns (whole numbers, not shares), or None."""
    found = []
    for group in NPS_GROUP_WORDS:
        column = next(
            (
                c
                for c in columns
                if set(_words(c)) & group
                and not set(_words(c)) & SHARE_WORDS
                and "%" not in c
                and not _is_nps_header(c)
                and _whole_numbers(profiles[c])
            ),
            None,
        )
        found.append(column)
    return found if all(found) else None


def _whole_numbers(profile: _Profile) -> bool:
    return not profile.filled or (profile.numeric and profile.whole == profile.numbers == profile.filled)


def _counts_reshape(con, raw, profiles, period_columns, ids, counts) -> Reshape | None:
    numbers = [f"coalesce({_number(cleaned(column))}, 0)" for column in counts]
    total = " + ".join(numbers)
    bad = " OR ".join(f"{n} < 0 OR {n} <> round({n})" for n in numbers)
    blank = " + ".join(f"count(*) - count({cleaned(column)})" for column in counts)
    responses, invalid, empty, blank_cells = con.execute(
        f"SELECT sum({total}), count(*) FILTER (WHERE {bad}), count(*) FILTER (WHERE {total} = 0), {blank} "
        f"FROM {quote(raw.table)}"
    ).fetchall()[0]
    if invalid or not responses or responses > MAX_RESPONSES:
        return None
    used = [*period_columns, *ids, *counts]
    left_out = [column for column in raw.columns if column not in used and profiles[column].filled]
    names = _free_names(["Period", "Response ID", "Score"], ids)
    reshape = Reshape(
        name="nps_series",
        variant="counts",
        description="",
        id_columns=ids,
        value_columns=counts,
        period_columns=period_columns,
        left_out=left_out,
        created=dict(zip(("period", "respondent", "score"), names, strict=True)),
        rows_in=raw.rows_loaded,
        rows_out=int(responses),
        blank_cells=blank_cells,
        empty_rows=empty,
    )
    reshape.description = _counts_description(reshape)
    return reshape


def _counts_description(reshape: Reshape) -> str:
    promoters, passives, detractors = reshape.value_columns
    clauses = [
        f"Each row's counts of {promoters}, {passives} and {detractors} became exactly that many responses, "
        f"scored 10, 8 and 0: {reshape.rows_in:,} {_rows(reshape.rows_in)} → {reshape.rows_out:,} responses, so "
        "the NPS is exact while each score only stands for its group",
        _combined_note(reshape.period_columns, reshape.created["period"]),
    ]
    if reshape.left_out:
        clauses.append(f"{_listed(reshape.left_out)} {_was(reshape.left_out)} left out, as the counts give it")
    if reshape.empty_rows:
        clauses.append(f"{_counted_rows(reshape.empty_rows)} with no responses listed as rejected")
    return "; ".join(clauses) + "."


def _scores_reshape(con, raw, profiles, period_columns, ids, nps) -> Reshape:
    responses = next((c for c in raw.columns if _is_responses_header(c) and _whole_numbers(profiles[c])), None)
    values = [nps, responses] if responses and profiles[responses].filled else [nps]
    left_out = [c for c in raw.columns if c not in [*period_columns, *ids, *values] and profiles[c].filled]
    (filled,) = con.execute(f"SELECT count({cleaned(nps)}) FROM {quote(raw.table)}").fetchall()[0]
    names = _free_names(["Period", "Period NPS", "Responses"][: len(values) + 1], ids)
    reshape = Reshape(
        name="nps_series",
        variant="scores",
        description="",
        id_columns=ids,
        value_columns=values,
        period_columns=period_columns,
        left_out=left_out,
        created=dict(zip(("period", "nps", "responses"), names, strict=False)),
        rows_in=raw.rows_loaded,
        rows_out=filled,
        blank_cells=raw.rows_loaded - filled,
        empty_rows=raw.rows_loaded - filled,
    )
    reshape.description = _scores_description(reshape)
    return reshape


def _period_nps(profile: _Profile) -> bool:
    """An NPS from -100 to 100 that is not an answer: answers are all whole numbers from 0 to 10."""
    if not profile.numeric or profile.low < -100 or profile.high > 100:
        return False
    return not (profile.whole == profile.numbers and profile.high <= 10)


def _is_responses_header(header: str) -> bool:
    words = set(_words(header))
    return bool(words & RESPONSE_WORDS) and not words & SHARE_WORDS and "%" not in header


def _scores_description(reshape: Reshape) -> str:
    created = reshape.created
    held, weighted = f"'{created['nps']}'", ""
    if "responses" in created:
        held, weighted = f"{held} and its responses in '{created['responses']}'", ", weighted by responses"
    clauses = [
        f"Each of the {reshape.rows_out:,} periods' NPS ('{reshape.value_columns[0]}') became one row with its NPS in "
        f"{held}: a period's NPS is not a set of responses, so the NPS shown is the average of the periods' "
        f"NPS{weighted}",
        _combined_note(reshape.period_columns, created["period"]),
    ]
    if reshape.left_out:
        clauses.append(f"{_listed(reshape.left_out)} {_was(reshape.left_out)} left out")
    if reshape.empty_rows:
        clauses.append(f"{_counted_rows(reshape.empty_rows)} with no NPS listed as rejected")
    return "; ".join(clauses) + "."


def apply_nps_series(con: duckdb.DuckDBPyConnection, raw: RawTable, reshape: Reshape) -> RawTable:
    """Counts: a row per counted response (its period, a response id `line-n`, the score 10, 8 or 0). Scores:
    a row per period with an NPS. Each row keeps its source `_line`."""
    table = f"{raw.table}_nps"
    periods = f"{table}_periods"
    year, text = _year_and_period(reshape.period_columns)
    _create_period_map(con, periods, _distinct_pairs(con, raw, year, text))
    keys = [f"{cleaned(column)} AS {quote(column)}" for column in reshape.period_columns]
    source = ", ".join(["_line", *(quote(c) for c in reshape.id_columns), *keys])
    if reshape.variant == "counts":
        rows, empty_reason = _response_rows_sql(raw, reshape, source), "no responses were counted in it"
    else:
        rows, empty_reason = _period_rows_sql(raw, reshape, source), "it has no NPS"
    created = reshape.created
    join = _period_join("p", _column_or_null("r", year), _column_or_null("r", text))
    selected = ", ".join(
        [
            f"p.period AS {quote(created['period'])}",
            *(f"r.{quote(c)}" for c in reshape.id_columns),
            *(f"r.{quote(name)}" for role, name in created.items() if role != "period"),
            "r._line",
        ]
    )
    con.execute(
        f"CREATE OR REPLACE TABLE {quote(table)} AS SELECT {selected} FROM ({rows}) r "
        f"LEFT JOIN {quote(periods)} p ON {join} ORDER BY r._line, r.__order"
    )
    con.execute(f"DROP TABLE {quote(periods)}")
    empty = _rejected_rows(con, raw, _no_rows_condition(reshape), empty_reason)
    return _reshaped(con, raw, table, empty, reshape)


def _response_rows_sql(raw: RawTable, reshape: Reshape, source: str) -> str:
    """A row per counted response: each group's count unnested into that many rows of its score."""
    counts = ", ".join(f"coalesce(CAST({_number(cleaned(c))} AS BIGINT), 0)" for c in reshape.value_columns)
    scores = ", ".join(str(score) for score in NPS_SCORES)
    groups = f"SELECT {source}, unnest([{scores}]) AS __score, unnest([{counts}]) AS __count FROM {quote(raw.table)}"
    respondent, score = quote(reshape.created["respondent"]), quote(reshape.created["score"])
    numbered = "row_number() OVER (PARTITION BY _line ORDER BY __score DESC, __k)"
    return (
        f"SELECT *, CAST(_line AS VARCHAR) || '-' || CAST({numbered} AS VARCHAR) AS {respondent}, "
        f"CAST(__score AS VARCHAR) AS {score}, {numbered} AS __order "
        f"FROM (SELECT *, unnest(range(__count)) AS __k FROM ({groups}))"
    )


def _period_rows_sql(raw: RawTable, reshape: Reshape, source: str) -> str:
    names = [reshape.created["nps"], reshape.created.get("responses")]
    values = ", ".join(f"{cleaned(c)} AS {quote(name)}" for c, name in zip(reshape.value_columns, names, strict=False))
    return (
        f"SELECT {source}, {values}, 0 AS __order FROM {quote(raw.table)} "
        f"WHERE {cleaned(reshape.value_columns[0])} IS NOT NULL"
    )


def _no_rows_condition(reshape: Reshape) -> str:
    if reshape.variant == "counts":
        return " + ".join(f"coalesce({_number(cleaned(c))}, 0)" for c in reshape.value_columns) + " = 0"
    return f"{cleaned(reshape.value_columns[0])} IS NULL"


# --- shared -------------------------------------------------------------------------------------------------


def _rejected_rows(con, raw: RawTable, condition: str, reason: str) -> list[RejectedRow]:
    """The source rows that give no output row, as rejected rows with their line and text."""
    cells = ", ".join(f"coalesce({quote(column)}, '')" for column in raw.columns)
    rows = con.execute(
        f"SELECT _line, concat_ws({sql_literal(raw.delimiter or ',')}, {cells}) FROM {quote(raw.table)} "
        f"WHERE {condition} ORDER BY _line"
    ).fetchall()
    return [RejectedRow(line, reason, content[:CONTENT_LIMIT]) for line, content in rows]


def _reshaped(con, raw: RawTable, table: str, empty: list[RejectedRow], reshape: Reshape) -> RawTable:
    columns = [row[0] for row in con.execute(f"DESCRIBE {quote(table)}").fetchall() if row[0] != "_line"]
    (rows,) = con.execute(f"SELECT count(*) FROM {quote(table)}").fetchall()[0]
    rejected = sorted([*raw.rejected, *empty], key=lambda row: row.line)
    return RawTable(
        source=raw.source,
        table=table,
        columns=columns,
        original_columns=columns,
        rows_read=rows + len(rejected),
        rows_loaded=rows,
        rejected=rejected,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        header_line=raw.header_line,
        notes=[*raw.notes, reshape.description],
    )


def _free_names(names: list[str], taken: list[str]) -> list[str]:
    """The created column names, each made distinct from the kept columns' names (case-insensitively, as
    DuckDB compares them)."""
    used = {name.lower() for name in taken}
    free = []
    for name in names:
        candidate = name if name.lower() not in used else f"{name} (reshaped)"
        used.add(candidate.lower())
        free.append(candidate)
    return free


def _listed(columns: list[str]) -> str:
    quoted = [f"'{column}'" for column in columns]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _was(columns: list[str]) -> str:
    return "was" if len(columns) == 1 else "were"


def _rows(count: int) -> str:
    return "row" if count == 1 else "rows"


def _counted_rows(count: int) -> str:
    return f"{count:,} {_rows(count)}"
