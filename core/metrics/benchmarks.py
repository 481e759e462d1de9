"""The benchmark registry (core/data/benchmarks.csv): published reference figures with their provenance, chosen for
a company and compared honestly with its value. A single reference value stays a point, never a range.

Every committed row carries the source's own words holding its figures (`quote`, at most 25 words, read at
`reprint_url` or else `source_url`), how those words give the figures (`stated`, e.g. `median=(100%-30%)/30%`),
the population the source describes (`population`) and the segment exactly as narrow as that population: revenue
band, industry, go-to-market model, region and market (B2B / B2C), with `not stated` where the source does not say.
`provenance_errors` checks all of this; `load_registry` refuses a file that breaks it.

How well a row fits a company is judged dimension by dimension (`fit`): the company's revenue against the row's
revenue band, its industry, sales model, region and market against the row's. Where a source publishes a spread
(quartiles, or shares of respondents below a level: `distribution`), `percentile` places a value on it.

A money figure carries the currency its source gives it in and the year its amounts are in. It is compared in the
view's currency, converted at the average rate of that year (core.fx), and the comparison says so; with no rate
for that year there is no comparison, and the sentence says why.

Users may upload their own file in the same shape; `load_user_file` checks it and names the row and column of every
problem, counting rows as a spreadsheet does (the header is row 1, the first data row is row 2). Their quotes and
populations are optional.

`python -m core.metrics.benchmarks > docs/benchmarks.md` writes the methods page from the registry.
"""

from __future__ import annotations

import ast
import difflib
import io
import math
import operator
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core import fx
from core.formatting import MONEY_UNITS, format_value
from core.metrics.catalogue import CATALOGUE, Metric
from core.schema import Segment

REGISTRY = Path(__file__).parents[1] / "data" / "benchmarks.csv"
COLUMNS = (
    "benchmark_id",
    "metric_id",
    "low",
    "median",
    "high",
    "unit",
    "currency",
    "currency_year",
    "gtm_model",
    "size_band",
    "industry",
    "region",
    "market",
    "scope",
    "survey_year",
    "published_year",
    "sample_size",
    "population",
    "quote",
    "stated",
    "distribution",
    "source_name",
    "source_url",
    "reprint_url",
    "source_type",
    "quality",
    "set",
    "note",
    "audit",
)
FIGURES = ("low", "median", "high")
UNITS = ("ratio", "ratio_to_1", "currency", "currency_per_head", "days", "score", "count", "minutes")
SOURCE_TYPES = ("primary", "secondary")
QUALITIES = ("ok", "weak", "unverified")
MARKETS = ("all", "not stated", "B2B", "B2C")
NOT_STATED = "not stated"
SEGMENT_DIMENSIONS = (("gtm_model", "Go-to-market model"), ("size_band", "Company size"), ("industry", "Industry"))
MATCH_DIMENSIONS = (*SEGMENT_DIMENSIONS, ("region", "Region"))
# The values core.schema.Segment documents, offered even where no benchmark row uses them yet.
STANDARD_SEGMENT_VALUES = {
    "gtm_model": ("field sales", "inside sales", "channel", "self-serve"),
    "size_band": ("<$50M", "$50M-$250M", "$250M-$1B", ">$1B"),
}
NEAR = 0.10  # a value within ±10% of a single reference value counts as "near reference"
MAX_QUOTE_WORDS = 25
MAX_USER_FILE_BYTES = 2_000_000
# Columns a user's file must have (`year` is read as survey_year); the others get the defaults below.
USER_REQUIRED = ("metric_id", "unit", "survey_year", "source_name", "source_type")
USER_ALIASES = {"year": "survey_year"}
USER_DEFAULTS = {
    "currency": "",
    "currency_year": "",
    "gtm_model": "all",
    "size_band": "all",
    "industry": "all",
    "region": "all",
    "market": "all",
    "scope": "",
    "published_year": "",
    "sample_size": "",
    "population": "",
    "quote": "",
    "stated": "",
    "distribution": "",
    "source_url": "",
    "reprint_url": "",
    "quality": "ok",
    "note": "",
    "audit": "",
}
QUALITY_RANK = {quality: rank for rank, quality in enumerate(QUALITIES)}
AUDIT_OPENINGS = ("Kept", "Corrected", "Re-sourced", "Added")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
YEARS = (1950, 2100)
DAYS_PER_MONTH = 30.4


class RegistryError(ValueError):
    """The committed registry breaks its own rules; the message names every row and column at fault."""


@dataclass(frozen=True)
class BenchmarkError:
    row: int | None  # spreadsheet row: 1 is the header, 2 the first data row; None for the whole file
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        where += [f"column '{self.column}'"] if self.column else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


# --- what a company is, and how well a row fits it --------------------------------------------------------------


@dataclass(frozen=True)
class Company:
    """Who the benchmarks are chosen for: the profile's segment, and its revenue when the data gives it."""

    gtm_model: str = "all"
    industry: str = "all"
    region: str = "all"
    size_band: str = "all"
    market: str = "B2B"  # the app is built for B2B leaders; the profile does not ask
    revenue_usd: float | None = None  # annual revenue in US dollars, the unit of every size band
    revenue_text: str = ""  # the same revenue as the person reads it, in the view's currency: `$61.5M`

    @classmethod
    def of(cls, segment: Segment, revenue_usd: float | None = None, revenue_text: str = "") -> Company:
        """The company of `segment`; its own revenue counts where it lies in the segment's band (or the band is
        'all'), otherwise the band chosen stands for it (a person comparing themselves with a bigger peer group)."""
        band = revenue_band(segment.size_band)
        if revenue_usd is not None and band is not None and not band.holds(revenue_usd):
            revenue_usd, revenue_text = None, ""
        return cls(
            segment.gtm_model, segment.industry, segment.region, segment.size_band, "B2B", revenue_usd, revenue_text
        )

    def revenue_range(self) -> tuple[float, float] | None:
        if self.revenue_usd is not None:
            return self.revenue_usd, self.revenue_usd
        band = revenue_band(self.size_band)
        return None if band is None else (band.low, band.high)

    def size_words(self) -> str:
        if self.revenue_text:
            return self.revenue_text
        return self.size_band if self.size_band not in ("all", "") else "of unknown size"


@dataclass(frozen=True)
class Band:
    """The company revenue (USD) a row's population covers; `approximate` when the source gives a median, average
    or 'mostly', so the population straddles it."""

    low: float
    high: float
    approximate: bool

    def holds(self, revenue: float) -> bool:
        return self.low <= revenue <= self.high


_AMOUNT = r"\$(\d+(?:\.\d+)?)([KMB])"
_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9}
SIZE_FORMS = "all, not stated, <$50M, >$1B, $250M+, $50M-$250M, mostly >$1B, ~$15M ARR, median $27M, avg $9.5B"


def _amount(number: str, scale: str) -> float:
    return float(number) * _SCALE[scale]


def revenue_band(size_band: str) -> Band | None:
    """`>$1B` → Band(1e9, inf); `median $27M` → an approximate point; None for all, not stated, an employee count
    or anything else that is not a revenue (see SIZE_FORMS)."""
    text = str(size_band).strip()
    if found := re.fullmatch(rf"<{_AMOUNT}", text):
        return Band(0.0, _amount(*found.groups()), False)
    if (found := re.fullmatch(rf">{_AMOUNT}", text)) or (found := re.fullmatch(rf"{_AMOUNT}\+", text)):
        return Band(_amount(*found.groups()), math.inf, False)
    if found := re.fullmatch(rf"mostly >{_AMOUNT}", text):
        return Band(_amount(*found.groups()), math.inf, True)
    if found := re.fullmatch(rf"{_AMOUNT}-{_AMOUNT}", text):
        return Band(_amount(*found.groups()[:2]), _amount(*found.groups()[2:]), False)
    if found := re.fullmatch(rf"(?:~|median ~?|avg ){_AMOUNT}(?: ARR)?", text):
        point = _amount(*found.groups())
        return Band(point, point, True)
    return None


def size_band_is_readable(size_band: str) -> bool:
    text = str(size_band).strip()
    return text in ("all", NOT_STATED) or text.endswith(" employees") or revenue_band(text) is not None


# Industries that say something about each other: a SaaS figure tells a technology company more than a retail one.
INDUSTRY_LIST = " / "  # `financial services / high-tech / retail`: a population of several named industries
INDUSTRY_FAMILIES = (
    {"technology", "high-tech", "tech products", "software", "SaaS", "IT services", "IT & business services"},
    {"B2B services", "IT services", "IT & business services", "HR services", "services"},
)
BROADER_INDUSTRIES = {"products": {"technology", "tech products", "software", "SaaS", "manufacturing", "pharma"}}
REGION_PARTS = {"North America": ("US", "Canada"), "Europe": ("UK", "France", "Germany")}


@dataclass(frozen=True)
class Fit:
    """How well a row's population fits a company: `level` strong, fair or weak, and the words that say so."""

    level: str
    population: str  # `>$1B companies in North America & Europe`
    yours: str  # `$61.5M, field sales`
    differences: tuple[str, ...] = ()
    scope: str = ""  # what the figure measures where that differs from the KPI: `marketing staff only`

    def label(self) -> str:
        """`for >$1B companies in North America & Europe; yours is $61.5M: weak fit`, and what the figure measures
        when that is not the KPI itself."""
        return f"for {self.population}; yours is {self.yours}: {self.level} fit{self._measures()}"

    def words(self) -> str:
        """The label without its verdict: `for >$1B companies in North America & Europe; yours is $61.5M`."""
        return f"for {self.population}; yours is {self.yours}{self._measures()}"

    def _measures(self) -> str:
        return f" (it counts {self.scope})" if self.scope else ""


FIT_RANK = {"strong": 0, "fair": 1, "weak": 2}


def _status(dimension: str, row_value: str, company: Company) -> str:
    """match (specific and the same), near, broad (the row covers everyone), unknown, or differs."""
    row_value = str(row_value)
    if row_value == NOT_STATED:
        return "unknown"
    if row_value == "all":
        return "broad"
    if dimension == "size_band":
        return _size_status(row_value, company)
    mine = getattr(company, dimension)
    if mine in ("all", ""):
        return "unknown"
    if dimension == "industry":
        if INDUSTRY_LIST in row_value:  # several named industries: it covers yours when one of them is yours
            inside = any(_industry_status(part, mine) != "differs" for part in row_value.split(INDUSTRY_LIST))
            return "broad" if inside else "differs"
        return _industry_status(row_value, mine)
    if dimension == "region":
        if mine.lower() in row_value.lower():
            return "match"
        parts = REGION_PARTS.get(mine, ())
        return "near" if any(re.search(rf"\b{part}\b", row_value) for part in parts) else "differs"
    return "match" if row_value.lower() == mine.lower() else "differs"


def _industry_status(industry: str, mine: str) -> str:
    if industry.lower() == mine.lower():
        return "match"
    related = any(industry in family and mine in family for family in INDUSTRY_FAMILIES)
    return "near" if related or mine in BROADER_INDUSTRIES.get(industry, ()) else "differs"


def size_gap(size_band: str, company: Company) -> float | None:
    """How many times the company's revenue is off the row's band (1 inside it); None when either is unknown."""
    band, mine = revenue_band(size_band), company.revenue_range()
    if band is None or mine is None:
        return None
    if mine[1] < band.low:
        return band.low / max(mine[1], 1.0)
    if mine[0] > band.high:
        return mine[0] / max(band.high, 1.0)
    return 1.0


def _size_status(size_band: str, company: Company) -> str:
    gap, band = size_gap(size_band, company), revenue_band(size_band)
    if gap is None or band is None:
        return "unknown"
    if gap <= (1.5 if band.approximate else 1.0):
        return "match"
    return "near" if gap <= 3.0 else "differs"


def fit(row: Mapping, company: Company) -> Fit:
    """The row's population against the company, dimension by dimension.

    weak: the size is more than three times off, the industry, sales model or market differs, or the figure
    measures something narrower than the KPI (`scope`); strong: the size and industry match (or the industry is a
    close relative) and nothing differs; fair: everything else."""
    market = str(row.get("market", "all") or "all")
    statuses = {dimension: _status(dimension, row[dimension], company) for dimension, _ in MATCH_DIMENSIONS}
    statuses["market"] = {NOT_STATED: "unknown", "all": "broad", company.market: "match"}.get(market, "differs")
    scope = str(row.get("scope", "") or "").strip()
    severe = [d for d in ("size_band", "industry", "gtm_model", "market") if statuses[d] == "differs"]
    if severe or scope:
        level = "weak"
    elif statuses["size_band"] == "match" and statuses["industry"] in ("match", "near"):
        level = "strong" if "differs" not in statuses.values() else "fair"
    else:
        level = "fair"
    differences = tuple(
        _difference_words(d, row, company, statuses[d]) for d in ("size_band", "industry", "gtm_model", "region")
    )
    shown = {"industry": ("differs", "near"), "gtm_model": ("differs",), "region": ("differs",)}
    yours = [company.size_words()] + [
        getattr(company, dimension) for dimension, when in shown.items() if statuses[dimension] in when
    ]
    return Fit(level, population_words(row), ", ".join(yours), tuple(d for d in differences if d), scope)


def _difference_words(dimension: str, row: Mapping, company: Company, status: str) -> str:
    if status == "unknown" and dimension in ("size_band", "industry"):
        return f"the source does not state the companies' {'size' if dimension == 'size_band' else 'industry'}"
    if status != "differs":
        return ""
    if dimension == "size_band":
        return f"companies of {row['size_band']}, yours is {company.size_words()}"
    return f"{row[dimension]}, yours is {getattr(company, dimension)}"


def population_words(row: Mapping) -> str:
    """The row's segment in a phrase: `B2B technology companies averaging $9.5B revenue`."""
    size, industry, model = str(row["size_band"]), str(row["industry"]), str(row["gtm_model"])
    market, region = str(row.get("market", "all") or "all"), str(row["region"])
    words = []
    if market in ("B2B", "B2C"):
        words.append(market)
    if INDUSTRY_LIST in industry:
        words.append(f"{len(industry.split(INDUSTRY_LIST))}-industry")
    elif industry not in ("all", NOT_STATED):
        words.append(industry)
    if model not in ("all", NOT_STATED):
        words.append(f"{model}")
    subject = " ".join(words + ["companies"])
    if size.startswith(("<", ">", "mostly")):
        subject = f"{size} {subject}"
    elif size.startswith("avg "):
        subject += f" averaging {size[4:]} revenue"
    elif size.startswith("median"):
        subject += f" with {size} revenue"
    elif size.startswith("~"):
        subject += f" around {size[1:]}"
    elif size.startswith("$"):
        subject += f" of {size}" if not size.endswith("+") else f" of {size} revenue"
    elif size.endswith("employees"):
        subject += f" with {size}"
    if region not in ("all", NOT_STATED):
        subject += f" in {region}"
    return subject


# --- spreads: where a value sits among the respondents ----------------------------------------------------------


def distribution_points(row: Mapping) -> list[tuple[float, float]]:
    """The row's `distribution` as (percentile, value) pairs, e.g. `25=15%;50=35%;75=45%` → [(25, .15), ...]."""
    text = str(row.get("distribution", "") or "").strip()
    if not text:
        return []
    points = []
    for part in text.split(";"):
        share, _, value = part.partition("=")
        points.append((evaluate(share), evaluate(value)))
    return sorted(points, key=lambda point: point[1])


def percentile(value: float | None, row: Mapping) -> str | None:
    """Where `value` sits among the source's respondents, in words, when the row gives a spread:
    `about the 60th percentile of the respondents to OpenView 2021 SaaS Benchmarks`; None without a value or a
    spread."""
    points = distribution_points(row)
    if not points or _missing(value):
        return None
    who = f"the respondents to {short_source(row)}"
    (first_share, first_value), (last_share, last_value) = points[0], points[-1]
    if value < first_value:
        return f"below the {_ordinal(first_share)} percentile of {who}"
    if value > last_value:
        return f"above the {_ordinal(last_share)} percentile of {who}"
    for (share_a, value_a), (share_b, value_b) in zip(points, points[1:], strict=False):
        if value_a <= value <= value_b:
            share = (
                share_a
                if value_b == value_a
                else share_a + (share_b - share_a) * (value - value_a) / (value_b - value_a)
            )
            return f"about the {_ordinal(round(share))} percentile of {who}"
    return f"about the {_ordinal(round(first_share))} percentile of {who}"  # a single point, met exactly


def _ordinal(number: float) -> str:
    number = int(round(number))
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def short_source(row: Mapping) -> str:
    """`Gartner CMO Spend Survey 2024 (Gartner release, …)` → `Gartner CMO Spend Survey 2024`."""
    return str(row["source_name"]).split(",")[0].split("(")[0].strip()


# --- how the quote gives the figures ----------------------------------------------------------------------------

_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_NUMBER_WORDS = {
    word: str(number)
    for number, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"],
        start=0,
    )
}
# numbers a stated figure may use without the quote holding them: 100% in `100%-30%` (the rest of a share), and
# the quartiles' percentiles where the quote speaks of quartiles or a median
STATED_CONSTANTS = {100.0}
QUARTILE_SHARES = {25.0, 50.0, 75.0}


def _as_python(expression: str) -> str:
    text = expression.strip()
    text = re.sub(r"\$(\d[\d,]*(?:\.\d+)?)([KMB])", lambda m: f"({m[1].replace(',', '')}*{_SCALE[m[2]]:g})", text)
    text = re.sub(r"\$(\d[\d,]*(?:\.\d+)?)", lambda m: m[1].replace(",", ""), text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s*months?", rf"(\1*{DAYS_PER_MONTH})", text)
    text = re.sub(r"(\d+(?:\.\d+)?)%", r"(\1/100)", text)
    return re.sub(r"(\d+(?:\.\d+)?):1\b", r"\1", text)


def evaluate(expression: str) -> float:
    """A stated figure's value: `10.6%` → 0.106, `$40K` → 40000, `19 months` → 577.6 (days), `4:1` → 4, and
    + - * / between them: `(100%-30%)/30%` → 2.33. Raises ValueError for anything else."""

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError(f"'{expression}' is not a figure such as 10.6%, $40K, 19 months or (100%-30%)/30%")

    try:
        return walk(ast.parse(_as_python(expression), mode="eval"))
    except (SyntaxError, ZeroDivisionError) as error:
        raise ValueError(f"'{expression}' is not a figure such as 10.6%, $40K, 19 months or 4:1") from error


def numbers_in(text: str) -> list[float]:
    """Every number written in `text`, `1,477` and `six` included, as floats."""
    words = re.sub(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", lambda m: _NUMBER_WORDS[m[1].lower()], text, flags=re.I)
    return [float(number.replace(",", "")) for number in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", words)]


def stated_figures(row: Mapping) -> dict[str, str]:
    """The row's `stated` as {figure: expression}: `low=$40K;high=$70K` → {'low': '$40K', 'high': '$70K'}."""
    parts = [part for part in str(row.get("stated", "") or "").split(";") if part.strip()]
    return {name.strip(): expression.strip() for name, _, expression in (part.partition("=") for part in parts)}


def quote_words(quote: str) -> int:
    return len([word for word in re.split(r"\s+", quote.replace("…", " ")) if word])


# --- loading ----------------------------------------------------------------------------------------------------


def load_registry(path: Path = REGISTRY) -> pd.DataFrame:
    """The committed registry, checked and typed: figures as floats (NaN when the source gives none), years and
    sample as Int64. Raises RegistryError naming every row that breaks a rule (a money figure without currency, a
    figure its quote does not hold, a segment broader than the source's population)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    units = {metric_id: metric.unit for metric_id, metric in CATALOGUE.items()}
    errors = validate(frame, CATALOGUE, units)
    errors += [] if errors else provenance_errors(frame)
    if errors:
        raise RegistryError(f"{path.name}: " + "; ".join(str(error) for error in errors))
    return _typed(frame)


def reference_sets(registry: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(registry["set"]))


def segment_options(registry: pd.DataFrame) -> list[tuple[str, str, list[str]]]:
    """(dimension, label, choices) for the segment picker: 'all' first, then the standard values of core.schema's
    Segment and every value the registry uses (sizes: the standard revenue bands, which every row is measured
    against)."""
    options = []
    for dimension, label in SEGMENT_DIMENSIONS:
        used = set() if dimension == "size_band" else set(registry[dimension].unique())
        values = {*STANDARD_SEGMENT_VALUES.get(dimension, ()), *used} - {"all", NOT_STATED}
        options.append((dimension, label, ["all", *sorted(values)]))
    return options


def describe_segment(segment: Segment) -> str:
    """`field sales · $50M-$250M · all industries`: the chosen segment in words."""
    parts = [getattr(segment, dimension) for dimension, _ in SEGMENT_DIMENSIONS]
    names = {"gtm_model": "all models", "size_band": "all sizes", "industry": "all industries"}
    return " · ".join(
        names[dimension] if value == "all" else value
        for (dimension, _), value in zip(SEGMENT_DIMENSIONS, parts, strict=True)
    )


def add_user_set(registry: pd.DataFrame, user: pd.DataFrame) -> pd.DataFrame:
    """The registry plus a validated user file; a user set or id that clashes with ours is renamed, never merged."""
    user = user.copy()
    clashing_sets = user["set"].isin(set(registry["set"]))
    user.loc[clashing_sets, "set"] = user.loc[clashing_sets, "set"] + " (your file)"
    clashing_ids = user["benchmark_id"].isin(set(registry["benchmark_id"]))
    user.loc[clashing_ids, "benchmark_id"] = "user:" + user.loc[clashing_ids, "benchmark_id"]
    return pd.concat([registry, user], ignore_index=True)


# --- choosing rows for a company ------------------------------------------------------------------------------


@dataclass
class Selection:
    rows: pd.DataFrame  # the rows for the metric, closest to the company first
    fallback: str | None  # plain words when the best row does not fit the company well
    fits: list[Fit] = field(default_factory=list)  # one per row, in the same order


def select(
    registry: pd.DataFrame,
    metric_id: str,
    segment: Segment,
    set_name: str | None = None,
    company: Company | None = None,
) -> Selection:
    """The rows for `metric_id`, closest to the company first.

    Every row of the metric (of `set_name`, when given) is a candidate; they are ordered by fit to the company
    (strong, fair, weak; `Company.of(segment)` when no company is given), then by how many dimensions match
    exactly, then ok before weak before unverified, then the newest survey. `fallback` says in plain words how
    the first row's population differs when its fit is not strong."""
    company = company or Company.of(segment)
    rows = registry[registry["metric_id"] == metric_id]
    if set_name:
        in_set = rows[rows["set"] == set_name]
        if in_set.empty:
            other_sets = reference_sets(rows)
            note = f"; other sets do: {', '.join(other_sets)}" if other_sets else ""
            return Selection(in_set, f"The set '{set_name}' has no figure for this KPI{note}." if note else None)
        rows = in_set
    if rows.empty:
        return Selection(rows, None)
    records = rows.to_dict("records")
    fits = [fit(record, company) for record in records]
    keys = [
        (
            FIT_RANK[one.level],
            -sum(_status(d, record[d], company) == "match" for d, _ in MATCH_DIMENSIONS),
            QUALITY_RANK.get(record["quality"], len(QUALITIES)),
            -int(record["survey_year"]),
        )
        for record, one in zip(records, fits, strict=True)
    ]
    order = sorted(range(len(records)), key=lambda i: keys[i])
    best = fits[order[0]]
    fallback = None if best.level == "strong" else f"Closest published figure: {best.label()}."
    return Selection(rows.iloc[order], fallback, [fits[i] for i in order])


# --- comparing a value -----------------------------------------------------------------------------------------


def status(value: float | None, low: float | None, median: float | None, high: float | None) -> str:
    """Where `value` sits against a benchmark row's figures.

    - no value (None or NaN): "no value".
    - low and high both given: the inclusive band [low, high]; below low → "below", above high → "above", on either
      edge or between → "within". The median, if any, does not change the verdict.
    - only low (a floor) or only high (a ceiling), with or without a median: the open band [low, ∞) or (-∞, high].
    - only a single reference value m: within ±10% of |m|, edges included (up to floating-point rounding) →
      "near reference"; further away → "below" or "above". A reference of 0 is only met exactly.
    - no figure at all: "no benchmark".
    """
    if _missing(value):
        return "no value"
    low, median, high = (None if _missing(x) else float(x) for x in (low, median, high))
    if low is not None or high is not None:
        if low is not None and value < low:
            return "below"
        if high is not None and value > high:
            return "above"
        return "within"
    if median is None:
        return "no benchmark"
    if abs(value - median) <= NEAR * abs(median) * (1 + 1e-9):
        return "near reference"
    return "below" if value < median else "above"


def describe(row: Mapping) -> str:
    """One-line citation, e.g. 'IDC …, 2012, n≈100, technology — secondary source: https://…'."""
    parts = [str(row["source_name"]), str(row["survey_year"])]
    if not _missing(row.get("sample_size")):
        parts.append(f"n≈{int(row['sample_size']):,}")
    segment = _segment_label(pd.Series(row))
    if segment != "all companies":
        parts.append(segment)
    flag = {"weak": ", weak (indicative only)", "unverified": ", unverified (check before relying on it)"}
    kind = f"{row['source_type']} source{flag.get(row['quality'], '')}"
    link = row.get("reprint_url") or row.get("source_url") or "no link given"
    return f"{', '.join(parts)} — {kind}: {link}"


def _segment_label(row: pd.Series) -> str:
    values = [str(row[d]) for d, _ in MATCH_DIMENSIONS]
    return ", ".join(value for value in values if value not in ("all", NOT_STATED, "")) or "all companies"


@dataclass
class Comparison:
    status: str  # below | within | above | near reference | no benchmark | no value | no rate
    sentence: str
    reference: dict | None  # the row compared with, its figures in the view's currency; None when none was
    chart_arguments: dict  # for charts.bullet_chart; empty when there is nothing to draw
    citation: str = ""  # the source of the published figure, also when it could not be compared
    fit: Fit | None = None  # how well the row compared with fits the company
    percentile: str | None = None  # where the value sits among the source's respondents, when it gives a spread


def compare(
    value: float | None, metric: Metric, selection: Selection, currency: str = "USD", rates: fx.Rates | None = None
) -> Comparison:
    """The verdict, a plain sentence and the bullet-chart arguments for the first (best) selected row, in
    `currency` (the view's): a money figure in another currency is converted with `rates` (the bundled ones when
    None) at the average rate of the year its amounts are in, and compared only when that rate exists."""
    if selection.rows.empty:
        return Comparison("no benchmark", "No published benchmark for this KPI in the chosen set.", None, {})
    row = selection.rows.iloc[0].to_dict()
    one_fit = selection.fits[0] if selection.fits else None
    return _compare_row(value, metric, row, one_fit, currency, rates)


def _compare_row(
    value: float | None, metric: Metric, row: dict, one_fit: Fit | None, currency: str, rates: fx.Rates | None
) -> Comparison:
    citation = describe(row)
    conversion = ""
    if metric.unit in MONEY_UNITS and row["currency"] != currency:
        year = int(row["currency_year"])
        found = (rates or fx.bundled_rates()).factor_in_year(row["currency"], currency, year)
        if found is None:
            return Comparison("no rate", _no_rate_sentence(row, metric.unit, currency), None, {}, citation, one_fit)
        factor, used = found
        conversion = _conversion_sentence(row["currency"], currency, year, factor, used)
        row = {**row, **{figure: row[figure] * factor for figure in FIGURES}}
    verdict = status(value, row["low"], row["median"], row["high"])
    reference = _reference_text(row, metric.unit, currency)
    opening = {
        "within": f"Within the {reference}.",
        "near reference": f"Close to the {reference} (within ±10%).",
        "below": f"Below the {reference}.",
        "above": f"Above the {reference}.",
        "no value": f"Not computed from your data yet; the {reference}.",
    }[verdict]
    caveats = {
        "weak": "Indicative only: a secondary source quoting the study.",
        "unverified": "Unverified figure: check the source before relying on it.",
    }
    placed = percentile(value, row)
    sentence = " ".join(
        part
        for part in (
            opening,
            f"You are {placed}." if placed else "",
            conversion,
            _reading(verdict, metric.direction),
            row["note"],
            caveats.get(row["quality"]),
        )
        if part
    )
    return Comparison(
        verdict,
        sentence,
        row,
        {
            "value": value,
            "unit": metric.unit,
            "low": row["low"],
            "median": row["median"],
            "high": row["high"],
            "label": metric.name,
            "status": verdict,
            "citation": citation,
            "currency": currency,
        },
        citation,
        one_fit,
        placed,
    )


def _conversion_sentence(source: str, target: str, year: int, factor: float, rates: list[fx.Rate]) -> str:
    """`Converted from USD at the 2012 average rate, 1 USD = 0.7777 EUR (Federal Reserve G.5A annual averages).`"""
    sources = "; ".join(dict.fromkeys(rate.source for rate in rates))
    return f"Converted from {source} at the {year} average rate, 1 {source} = {factor:,.4f} {target} ({sources})."


def _no_rate_sentence(row: dict, unit: str, currency: str) -> str:
    year = int(row["currency_year"])
    published = _reference_text(row, unit, row["currency"])
    return (
        f"Not compared: the published {published} is in {row['currency']} of {year}, and there is no {year} "
        f"average exchange rate between {row['currency']} and {currency} to convert it. A rates file with "
        f"{year} rates (Data page, Exchange rates) makes the comparison."
    )


def _reading(verdict: str, direction: str) -> str:
    """Whether the side the value falls on is the good one, for KPIs where more (or less) is better."""
    good_side = {"higher": "above", "lower": "below"}.get(direction)
    if good_side is None or verdict not in ("below", "above"):
        return ""
    better = "higher" if direction == "higher" else "lower"
    return f"For this KPI {better} is better, so this is {'a strength' if verdict == good_side else 'a gap'}."


def figure_text(row: Mapping, unit: str, currency: str) -> str:
    """`range 15.0% to 45.0%`, `floor of …`, `ceiling of …` or `reference value 10.6%`, in `currency`."""
    shown = {k: format_value(row[k], unit, currency) for k in FIGURES if not _missing(row[k])}
    if "low" in shown and "high" in shown:
        return f"range {shown['low']} to {shown['high']}"
    if "low" in shown:
        return f"floor of {shown['low']}"
    if "high" in shown:
        return f"ceiling of {shown['high']}"
    return f"reference value {shown['median']}"


def _reference_text(row: dict, unit: str, currency: str) -> str:
    """`range 3.0 : 1 to 5.0 : 1 (IDC Tech Marketing Benchmarks 2012)`: the year once, also where the name holds it."""
    source, year = short_source(row), str(row["survey_year"])
    return f"{figure_text(row, unit, currency)} ({source if year in source else f'{source}, {year}'})"


def is_range(row: Mapping) -> bool:
    return not _missing(row["low"]) or not _missing(row["high"]) or bool(distribution_points(row))


# --- the Scorecard card: published figures for each side of the company --------------------------------------

# Why the published evidence for a KPI is thin (no range, or a single source), in our words: shown on its card so
# a lone point or a lone band is not passed off as a norm.
THIN_EVIDENCE = {
    "marketing_spend_per_sales_head": (
        "IDC's 2012 band is the only published figure we found for marketing spend per seller; no survey we could "
        "verify breaks it down by company size or sales model."
    ),
    "quota_to_field_marketing_ratio": (
        "IDC gives one aggregate ratio for 2012 and no spread; we found no other public source for sellers per "
        "field marketer."
    ),
    "program_share_of_spend": (
        "IDC's 27% is one aggregate with no spread; the other published programs shares (IDC 2008, Gartner) cover "
        "marketing budgets only, not sales people."
    ),
    "sales_enablement_score": (
        "IDC's index is proprietary and published as a single aggregate for the technology industry; no spread "
        "and no comparable public index exist."
    ),
    "lead_management_score": (
        "IDC's index is proprietary and published as a single aggregate for the technology industry; no spread "
        "and no comparable public index exist."
    ),
}


@dataclass
class Entry:
    """One published figure on a KPI's card, for one side of the company (its industry, size or sales model)."""

    side: str  # `Your industry (technology)`
    comparison: Comparison | None  # None: nothing published for this side
    gap: str = ""  # why there is nothing, when comparison is None


@dataclass
class Card:
    metric_id: str
    entries: list[Entry]
    thin: str | None  # why the published evidence for this KPI is thin (no range, or one source), when it is


def card(
    registry: pd.DataFrame,
    metric: Metric,
    value: float | None,
    company: Company,
    currency: str = "USD",
    rates: fx.Rates | None = None,
    set_name: str | None = None,
) -> Card:
    """The published figures nearest each side of the company (its industry, revenue and sales model), each
    compared with the value and labelled with how well it fits; a side no figure names says so. Where a source
    publishes a spread and none of those figures does, the best-fitting such row is added, to give a percentile;
    likewise the best-fitting range where the sides found only single values."""
    selection = select(registry, metric.id, Segment(), set_name, company)
    pairs = list(zip(selection.rows.to_dict("records"), selection.fits, strict=True))
    if not pairs:
        return Card(metric.id, [], "No published benchmark for this KPI.")
    sides = (
        ("industry", f"Your industry ({company.industry})", company.industry),
        ("size_band", f"Your size ({company.size_words()})", company.size_words()),
        ("gtm_model", f"Your sales model ({company.gtm_model})", company.gtm_model),
    )
    entries = []
    for dimension, side, mine in sides:
        if mine in ("all", "", "of unknown size"):
            continue
        named = [(record, one) for record, one in pairs if str(record[dimension]) not in ("all", NOT_STATED)]
        if not named:
            noun = {"industry": "an industry", "size_band": "a company size", "gtm_model": "a sales model"}[dimension]
            entries.append(
                Entry(side, None, f"No published figure for this KPI names {noun}; they all cover every one.")
            )
            continue
        record, one = min(named, key=lambda pair: _side_key(dimension, pair, company))
        shown = [
            e for e in entries if e.comparison and e.comparison.reference["benchmark_id"] == record["benchmark_id"]
        ]
        same = shown[0] if shown else None
        if same:  # one figure speaks for two sides: `Your industry (technology) and size ($61.5M)`
            same.side += " and " + side.removeprefix("Your ")
        else:
            entries.append(Entry(side, _compare_row(value, metric, dict(record), one, currency, rates)))
    shown = {entry.comparison.reference["benchmark_id"] for entry in entries if entry.comparison}
    if not any(entry.comparison and entry.comparison.percentile for entry in entries):
        spread = [(record, one) for record, one in pairs if distribution_points(record) and not _missing(value)]
        if spread and spread[0][0]["benchmark_id"] not in shown:
            record, one = spread[0]
            entries.append(Entry("Published spread", _compare_row(value, metric, dict(record), one, currency, rates)))
    if not any(entry.comparison and is_range(entry.comparison.reference) for entry in entries):
        ranges = [(record, one) for record, one in pairs if is_range(record)]
        if ranges:  # a range exists but fits no side best: show the closest, not only points
            record, one = ranges[0]
            entries.append(Entry("Published range", _compare_row(value, metric, dict(record), one, currency, rates)))
    if not shown:
        record, one = pairs[0]
        entries.append(
            Entry("Closest published figure", _compare_row(value, metric, dict(record), one, currency, rates))
        )
    return Card(metric.id, entries, THIN_EVIDENCE.get(metric.id))


VERDICT_WORDS = {
    "below": "Yours is below it.",
    "above": "Yours is above it.",
    "within": "Yours is within it.",
    "near reference": "Yours is within 10% of it.",
    "no value": "Not computed from your data yet.",
}


def entry_line(entry: Entry, unit: str, currency: str) -> str:
    """A card line in words: `**Your industry (technology):** range 3.0 : 1 to 5.0 : 1 (IDC …, 2012). Yours is
    below it. Fair fit: for B2B technology companies; yours is $61.5M.`"""
    found = entry.comparison
    if found is None:
        return f"**{entry.side}:** {entry.gap}"
    if found.reference is None:  # no rate to convert it: the comparison's sentence says why
        return f"**{entry.side}:** {found.sentence}"
    verdict = VERDICT_WORDS.get(found.status, "")
    placed = f" You are {found.percentile}." if found.percentile else ""
    fitted = f" **{found.fit.level.capitalize()} fit** — {found.fit.words()}." if found.fit else ""
    return f"**{entry.side}:** {_reference_text(found.reference, unit, currency)}. {verdict}{placed}{fitted}"


def entry_help(entry: Entry) -> str:
    """The tooltip of a card line: the source's own words and where to read them."""
    if entry.comparison is None or entry.comparison.reference is None:
        return ""
    row = entry.comparison.reference
    quote = f"“{row['quote']}”\n\n" if row.get("quote") else ""
    return f"{quote}{entry.comparison.citation}"


_SIDE_RANK = {"match": 0, "near": 1, "broad": 2, "unknown": 3, "differs": 4}


def _side_key(dimension: str, pair: tuple[dict, Fit], company: Company) -> tuple:
    record, one = pair
    gap = size_gap(record["size_band"], company) if dimension == "size_band" else None
    return (
        _SIDE_RANK[_status(dimension, record[dimension], company)],
        gap if gap is not None else math.inf,
        FIT_RANK[one.level],
        QUALITY_RANK.get(record["quality"], len(QUALITIES)),
        -int(record["survey_year"]),
    )


# --- the methods page --------------------------------------------------------------------------------------------


def methods_table(registry: pd.DataFrame) -> pd.DataFrame:
    """One line per row: what it says, of whom, from where, and what the audit did to it."""
    lines = []
    for row in registry.to_dict("records"):
        metric = CATALOGUE.get(row["metric_id"])
        unit = metric.unit if metric else row["unit"]
        lines.append(
            {
                "KPI": metric.name if metric else row["metric_id"],
                "Figure": figure_text(row, unit, row["currency"] or "USD"),
                "Source": row["source_name"],
                "Survey year": _int_text(row["survey_year"]),
                "Published": _int_text(row["published_year"]),
                "Sample": _int_text(row["sample_size"], thousands=True) or "not given",
                "Segment": population_words(row),
                "Population": row["population"],
                "Quote": row["quote"],
                "Address": row["reprint_url"] or row["source_url"],
                "Type": f"{row['source_type']}, {row['quality']}",
                "Audit": row["audit"],
            }
        )
    return pd.DataFrame(lines)


def _int_text(value: object, thousands: bool = False) -> str:
    if _missing(value) or value == "":
        return ""
    return f"{int(value):,}" if thousands else str(int(value))


METHODS_INTRO = """# Benchmark methods and sources

Generated from `core/data/benchmarks.csv` by `python -m core.metrics.benchmarks > docs/benchmarks.md`; a test keeps
this page and the registry the same.

## How a figure gets into the registry

- Every row holds the source's own words with its figures (`quote`, at most 25 words), read on the page given
  under *Address*. `stated` says how those words give the row's figures (`median=(100%-30%)/30%`: a 70/30 split is
  2.33 : 1); a test recomputes every figure from it and checks each number appears in the quote.
- The segment is as narrow as the population the source describes: revenue band, industry, sales model, region and
  market (B2B / B2C). Where the source does not say, the row says *not stated*, never *all*; a test fails a row
  that says *all* where its quote, population or note names a narrower group.
- Survey year is the year the figures describe, published year the year the page appeared; an undated page carries
  the year it was read, and its note says so. Sample sizes are the source's own; where two reports disagree, the
  note gives both.
- *primary* means the researcher's own page or release; *secondary* a page quoting or summarising it. *weak* marks
  a figure read on a summary, a chart, an undated page, or with an inferred year: indicative only.
- Money figures keep the currency their source gives and the year their amounts are in; the app converts them at
  that year's average rate.

## How the Scorecard uses them

- **Fit.** Each row is judged against the company: its revenue (from the data, in US dollars) against the row's
  revenue band, and its industry, sales model, region and market against the row's. *Weak*: the size is more than
  three times off, or the industry, sales model or market differs. *Strong*: size and industry match (or the
  industry is a close relative, such as SaaS for technology) and nothing differs. *Fair*: the rest, including rows
  whose population is not stated. Each card names the population and the company side by side, e.g. "for >$1B
  companies in North America & Europe; yours is $61.5M: weak fit".
- **Sides.** For each KPI the card shows, for the company's industry, its size and its sales model, the closest
  figure that speaks to that side, or says none is published.
- **Percentiles.** Where a source publishes a spread (quartiles, or the share of respondents below a level), the
  value is placed on it by straight-line interpolation between the published points, and beyond them only as
  "below" or "above" the outermost one.

## Dropped in the audit

- ClearlyRated 2022 IT services NPS (44) and Retently 2022 B2B software NPS (40): read only on scraped mirror
  pages; neither publisher's own page is stored, so they are not used.
- Shno's "opportunity to close 20-30%": the page states it as 70-80% of opportunities not closing; the same band is
  kept from the SiriusDecisions waterfall and an enterprise-software article, which state it directly.
- ClearlyRated 2022 NPS by industry (23% to 60%) and Gartner 2025 labour share (21.9%): candidates from the earlier
  audit that no stored page confirms.
"""


def methods_markdown(registry: pd.DataFrame) -> str:
    """The methods page: how rows are chosen and checked, then every source with year, sample, segment and audit."""
    table = methods_table(registry)
    lines = [METHODS_INTRO, "## Every row", ""]
    for kpi, group in table.groupby("KPI", sort=False):
        lines += [f"### {kpi}", ""]
        for row in group.to_dict("records"):
            sample = f"n = {row['Sample']}" if row["Sample"] != "not given" else "sample not given"
            lines += [
                f"- **{row['Figure']}** — {row['Source']}; survey {row['Survey year']}, published "
                f"{row['Published']}; {sample}; {row['Type']}.",
                f"  - Segment: {row['Segment']}. Population: {row['Population']}",
                f"  - Quote: “{row['Quote']}” — {row['Address']}",
                f"  - Audit: {row['Audit']}",
            ]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- validating a registry or a user's file --------------------------------------------------------------------


def validate(
    source: pd.DataFrame | str, catalogue_ids: Collection[str], units: Mapping[str, str] | None = None
) -> list[BenchmarkError]:
    """Every problem in a benchmark table (a frame or CSV text), each naming its spreadsheet row and column.

    `units`, when given, maps metric id → the catalogue's unit, so a figure in the wrong unit is caught."""
    frame = _as_text_frame(source)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        return [
            BenchmarkError(1, column, f"the column '{column}' is missing; add it to the header row")
            for column in missing
        ]
    if frame.empty:
        return [BenchmarkError(None, None, "the file has a header but no benchmark rows")]
    errors = []
    seen_ids: dict[str, int] = {}
    for position, record in enumerate(frame.to_dict("records")):
        row = position + 2
        errors += _row_errors(record, row, catalogue_ids, units)
        benchmark_id = record["benchmark_id"]
        if benchmark_id in seen_ids:
            errors.append(
                BenchmarkError(row, "benchmark_id", f"'{benchmark_id}' is already used on row {seen_ids[benchmark_id]}")
            )
        elif benchmark_id:
            seen_ids[benchmark_id] = row
    return errors


# Words that name a narrower population, by segment column: a row whose quote, population or note uses them may
# not say 'all' there.
POPULATION_WORDS = {
    "size_band": re.compile(
        r"\$\s?\d[\d.,]*\s?(?:million|billion|bn|[MB])\b|\bARR\b|\bemployees\b|\blarge (?:companies|enterprises)\b"
        r"|\bFortune\b",
        re.I,
    ),
    "region": re.compile(
        r"North America|\bU\.?S\.?(?!\w)|United States|\bCanada\b|\bEurope\b|\bU\.?K\.?(?!\w)|\bFrance\b|\bGermany\b"
        r"|\bEMEA\b|\bAPAC\b"
    ),
    "industry": re.compile(
        r"(?<!marketing )\btech(?:nology)?\b|\bSaaS\b|\bsoftware\b|\b(?:B2B|IT|HR|business|professional) services\b|\bmanufactur"
        r"|\bpharma|\bconsumer products\b|\bhealthcare\b|\bfinancial services\b|\bretail\b",
        re.I,
    ),
    "gtm_model": re.compile(r"\bfield sales\b|\binside sales\b|\binternet sales|\bself-serve\b", re.I),
    "market": re.compile(r"\bB2B\b|\bB2C\b|business-to-business|business-to-consumer"),
}


def provenance_errors(source: pd.DataFrame | str) -> list[BenchmarkError]:
    """What our own registry owes on top of `validate`, per row: a quote of at most 25 words that holds every
    number its `stated` figures use; stated figures that recompute to the row's figures; a population; a readable
    revenue band; survey and published years; where the quote was read; an audit line; and no segment column saying
    'all' where the quote, population or note names a narrower group."""
    frame = _as_text_frame(source)
    errors = []
    for position, record in enumerate(frame.to_dict("records")):
        row = position + 2

        def problem(column: str, message: str, at: int = row) -> None:
            errors.append(BenchmarkError(at, column, message))

        quote = record["quote"].strip()
        if not quote:
            problem("quote", "no quote: give the source's own words that hold the figures")
        elif quote_words(quote) > MAX_QUOTE_WORDS:
            problem("quote", f"{quote_words(quote)} words; quote at most {MAX_QUOTE_WORDS} of the source's words")
        stated = stated_figures(record)
        given = {figure: _number(record[figure]) for figure in FIGURES if record[figure].strip()}
        if not stated:
            problem(
                "stated", "no stated figures: say how the quote gives them, e.g. median=10.6% or low=$40K;high=$70K"
            )
        if set(stated) != set(given):
            problem("stated", f"states {sorted(stated) or 'nothing'} but the row gives {sorted(given)}")
        quoted = numbers_in(quote)
        expressions = list(stated.items())
        for share, _, value in (part.partition("=") for part in record["distribution"].split(";") if part.strip()):
            expressions += [("distribution", share), ("distribution", value)]
        for figure, expression in expressions:
            try:
                worked = evaluate(expression)
            except ValueError as error:
                problem("stated" if figure != "distribution" else "distribution", str(error))
                continue
            if figure in given and given[figure] is not None and not math.isclose(worked, given[figure], rel_tol=2e-3):
                problem(figure, f"{record[figure]} but the quote's {expression} gives {worked:.6g}")
            implied = STATED_CONSTANTS | (QUARTILE_SHARES if re.search(r"quartile|median", quote, re.I) else set())
            missing = [n for n in numbers_in(expression) if n not in quoted and n not in implied]
            if missing:
                problem("quote", f"the quote does not hold {', '.join(f'{n:g}' for n in missing)} ({expression})")
        for column in ("population", "audit", "published_year"):
            if not record[column].strip():
                problem(column, f"no {column.replace('_', ' ')}")
        if record["audit"].strip() and not record["audit"].startswith(AUDIT_OPENINGS):
            problem("audit", f"start with one of {', '.join(AUDIT_OPENINGS)} and say what the audit did")
        if not (record["reprint_url"] or record["source_url"]).startswith("http"):
            problem("source_url", "no address where the quote can be read")
        if not size_band_is_readable(record["size_band"]):
            problem("size_band", f"'{record['size_band']}' is not a size this app can read; write one of {SIZE_FORMS}")
        if record["market"] not in MARKETS:
            problem("market", f"'{record['market']}' is not a market; write one of {', '.join(MARKETS)}")
        text = " ".join((quote, record["population"], record["note"]))
        for column, words in POPULATION_WORDS.items():
            named = words.search(text)
            if named and record[column] == "all":
                problem(column, f"says all, but the row names a narrower population ('{named[0]}'); narrow it")
    return errors


def load_user_file(
    name: str, data: bytes, catalogue_ids: Collection[str], units: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame | None, list[BenchmarkError]]:
    """A user's benchmark file (CSV or .xlsx, the registry's shape) as a typed frame, or None and every problem.

    Only metric_id, unit, survey_year (or year), source_name, source_type and at least one of low / median / high
    are required; missing segment columns mean 'all', a missing set is named after the file, missing ids are made
    from it. Quotes and populations are optional."""
    if len(data) > MAX_USER_FILE_BYTES:
        return None, [BenchmarkError(None, None, f"{name} is larger than 2 MB; a benchmark file has a few rows")]
    frame, problem = _read_user_file(name, data)
    if problem:
        return None, [BenchmarkError(None, None, problem)]
    frame.columns = [_normalise_header(c) for c in frame.columns]
    frame = frame.rename(columns={k: v for k, v in USER_ALIASES.items() if v not in frame.columns})
    missing = [c for c in USER_REQUIRED if c not in frame.columns]
    errors = [BenchmarkError(1, c, f"the column '{c}' is missing; add it to the header row") for c in missing]
    if not any(c in frame.columns for c in FIGURES):
        errors.append(BenchmarkError(1, "median", "no figure columns: add 'median', or 'low' and 'high'"))
    if errors:
        return None, errors
    stem = Path(name).stem
    defaults = {
        **USER_DEFAULTS,
        "low": "",
        "median": "",
        "high": "",
        "set": f"Your file: {name}",
        "benchmark_id": [f"{stem}-{row}" for row in range(2, len(frame) + 2)],
    }
    for column, default in defaults.items():
        if column not in frame.columns:
            frame[column] = default
    frame = frame[list(COLUMNS)]
    errors = validate(frame, catalogue_ids, units)
    return (None, errors) if errors else (_typed(frame), [])


def _read_user_file(name: str, data: bytes) -> tuple[pd.DataFrame | None, str | None]:
    suffix = Path(name).suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            text = data.decode("utf-8-sig")
            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False), None
        if suffix == ".xlsx":
            frame = pd.read_excel(io.BytesIO(data), dtype=str, sheet_name=0, engine="openpyxl")
            return frame.fillna(""), None
    except UnicodeDecodeError:
        return None, f"{name} is not UTF-8 text; save it again as 'CSV UTF-8'"
    except pd.errors.EmptyDataError:
        return None, f"{name} is empty; it needs a header row and at least one benchmark row"
    except pd.errors.ParserError as error:
        return None, f"{name} is not a well-formed CSV ({error}); check the commas and quotes on that line"
    except Exception:  # openpyxl and zipfile raise many kinds for a damaged workbook
        return None, f"{name} could not be read as an .xlsx workbook; open it in Excel and save it again as .xlsx"
    return None, f"{name}: only .csv and .xlsx benchmark files are accepted"


def _normalise_header(column: object) -> str:
    return str(column).strip().lower().replace(" ", "_").replace("-", "_")


def _as_text_frame(source: pd.DataFrame | str) -> pd.DataFrame:
    if isinstance(source, str):
        return pd.read_csv(io.StringIO(source), dtype=str, keep_default_na=False)
    return source.apply(lambda column: column.map(_as_text)).rename(columns=_normalise_header)


def _as_text(value: object) -> str:
    if _missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _row_errors(
    record: dict, row: int, catalogue_ids: Collection[str], units: Mapping[str, str] | None
) -> list[BenchmarkError]:
    errors = []

    def problem(column: str, message: str) -> None:
        errors.append(BenchmarkError(row, column, message))

    record = {k: str(v).strip() for k, v in record.items()}
    metric_id = record["metric_id"]
    if not metric_id:
        problem("metric_id", "no metric id; write one of the catalogue ids, e.g. close_ratio")
    elif metric_id not in catalogue_ids:
        close = difflib.get_close_matches(metric_id, list(catalogue_ids), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else " See docs/metrics.md for the catalogue ids."
        problem("metric_id", f"unknown metric id '{metric_id}'.{hint}")
    figures = {}
    for column in FIGURES:
        text = record[column]
        if text:
            number = _number(text)
            if number is None:
                problem(column, f"'{text}' is not a number; write a plain number such as 0.106 (for 10.6%) or 40000")
            else:
                figures[column] = number
    if not any(record[c] for c in FIGURES):
        problem("median", "no figure: give a median (a single reference value), or a low and a high")
    for smaller, larger in (("low", "median"), ("median", "high"), ("low", "high")):
        if smaller in figures and larger in figures and figures[smaller] > figures[larger]:
            problem(larger, f"{smaller} ({record[smaller]}) is greater than {larger} ({record[larger]})")
    unit = record["unit"]
    if not unit:
        problem("unit", f"no unit; write one of {', '.join(UNITS)}")
    elif unit not in UNITS:
        problem("unit", f"unknown unit '{unit}'; write one of {', '.join(UNITS)}")
    elif units and metric_id in units and units[metric_id] != unit:
        problem("unit", f"{metric_id} is measured in '{units[metric_id]}', not '{unit}'; convert the figures")
    if unit == "ratio" and any(abs(v) >= 10 for v in figures.values()):
        problem("unit", "a ratio above 10 looks like a percentage; write 0.35 for 35%")
    if unit in MONEY_UNITS:
        if not record["currency"]:
            problem("currency", "no currency; a money figure needs the currency its source gives, e.g. USD")
        elif not CURRENCY_CODE.match(record["currency"]):
            problem("currency", f"'{record['currency']}' is not a three-letter currency code such as USD or EUR")
        _check_whole_number(record, "currency_year", row, errors, required=True, bounds=YEARS)
    elif unit:
        for column in ("currency", "currency_year"):
            if record[column]:
                problem(column, f"a figure in '{unit}' has no currency; leave {column} empty")
    _check_whole_number(record, "survey_year", row, errors, required=True, bounds=YEARS)
    _check_whole_number(record, "published_year", row, errors, required=False, bounds=YEARS)
    survey, published = _number(record["survey_year"]), _number(record["published_year"])
    if survey is not None and published is not None and published < survey:
        problem(
            "published_year", f"published in {record['published_year']}, before its survey year {record['survey_year']}"
        )
    _check_whole_number(record, "sample_size", row, errors, required=False, bounds=(1, 10**9))
    if not record["source_name"]:
        problem("source_name", "no source; name the study or survey the figure comes from")
    if record["source_type"] not in SOURCE_TYPES:
        problem("source_type", f"'{record['source_type']}' is not a source type; write primary or secondary")
    if record["quality"] not in QUALITIES:
        problem("quality", f"'{record['quality']}' is not a quality flag; write ok, weak or unverified")
    if record["market"] and record["market"] not in MARKETS:
        problem("market", f"'{record['market']}' is not a market; write one of {', '.join(MARKETS)}")
    for column in ("benchmark_id", "set", "gtm_model", "size_band", "industry", "region"):
        if not record[column]:
            named = column in ("benchmark_id", "set")
            problem(column, "empty; " + ("give a name" if named else "write all for an aggregate"))
    if record["distribution"]:
        try:
            distribution_points(record)
        except ValueError:
            problem("distribution", "write percentile=value pairs such as 25=15%;50=35%;75=45%")
    return errors


def _check_whole_number(
    record: dict, column: str, row: int, errors: list, required: bool, bounds: tuple[int, int]
) -> None:
    text = record[column]
    if not text:
        if required:
            errors.append(BenchmarkError(row, column, f"no {column.replace('_', ' ')}; this figure needs one"))
        return
    number = _number(text)
    if number is None or not number.is_integer() or not bounds[0] <= number <= bounds[1]:
        errors.append(
            BenchmarkError(row, column, f"'{text}' is not a whole number between {bounds[0]} and {bounds[1]}")
        )


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in FIGURES:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("float64")
    for column in ("survey_year", "published_year", "currency_year", "sample_size"):
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    return frame


if __name__ == "__main__":
    print(methods_markdown(load_registry()), end="")
