"""The benchmark registry (core/data/benchmarks.csv): published reference figures with their provenance, chosen for
a segment and compared honestly with a company's value. A single reference value stays a point, never a range.

A money figure carries the currency its source gives it in and the year its amounts are in. It is compared in the
view's currency, converted at the average rate of that year (core.fx), and the comparison says so; with no rate
for that year there is no comparison, and the sentence says why.

Users may upload their own file in the same shape; `load_user_file` checks it and names the row and column of every
problem, counting rows as a spreadsheet does (the header is row 1, the first data row is row 2).
"""

from __future__ import annotations

import difflib
import io
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
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
    "year",
    "sample_size",
    "source_name",
    "source_url",
    "source_type",
    "quality",
    "set",
    "note",
)
FIGURES = ("low", "median", "high")
UNITS = ("ratio", "ratio_to_1", "currency", "currency_per_head", "days", "score", "count", "minutes")
SOURCE_TYPES = ("primary", "secondary")
QUALITIES = ("ok", "weak", "unverified")
SEGMENT_DIMENSIONS = (("gtm_model", "Go-to-market model"), ("size_band", "Company size"), ("industry", "Industry"))
MATCH_DIMENSIONS = (*SEGMENT_DIMENSIONS, ("region", "Region"))
AGGREGATE_NAMES = {
    "gtm_model": "all-models",
    "size_band": "all-sizes",
    "industry": "all-industry",
    "region": "all-region",
}
PLURALS = {
    "gtm_model": "go-to-market models",
    "size_band": "company sizes",
    "industry": "industries",
    "region": "regions",
}
# The values core.schema.Segment documents, offered even where no benchmark row uses them yet.
STANDARD_SEGMENT_VALUES = {
    "gtm_model": ("field sales", "inside sales", "channel", "self-serve"),
    "size_band": ("<$50M", "$50M-$250M", "$250M-$1B", ">$1B"),
}
NEAR = 0.10  # a value within ±10% of a single reference value counts as "near reference"
MAX_USER_FILE_BYTES = 2_000_000
# Columns a user's file must have; the others get the defaults below (the set defaults to the file's name).
USER_REQUIRED = ("metric_id", "unit", "year", "source_name", "source_type")
USER_DEFAULTS = {
    "currency": "",
    "currency_year": "",
    "gtm_model": "all",
    "size_band": "all",
    "industry": "all",
    "region": "all",
    "sample_size": "",
    "source_url": "",
    "quality": "ok",
    "note": "",
}
QUALITY_RANK = {quality: rank for rank, quality in enumerate(QUALITIES)}
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
YEARS = (1950, 2100)


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


@dataclass
class Selection:
    rows: pd.DataFrame  # the best-matching rows, most trustworthy and newest first
    fallback: str | None  # plain words when the rows are not specific to the chosen segment


@dataclass
class Comparison:
    status: str  # below | within | above | near reference | no benchmark | no value | no rate
    sentence: str
    reference: dict | None  # the row compared with, its figures in the view's currency; None when none was
    chart_arguments: dict  # for charts.bullet_chart; empty when there is nothing to draw
    citation: str = ""  # the source of the published figure, also when it could not be compared


def load_registry(path: Path = REGISTRY) -> pd.DataFrame:
    """The committed registry, checked and typed: figures as floats (NaN when the source gives none), years and
    sample as Int64. Raises RegistryError naming every row that breaks a rule (a money figure without currency)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    units = {metric_id: metric.unit for metric_id, metric in CATALOGUE.items()}
    errors = validate(frame, CATALOGUE, units)
    if errors:
        raise RegistryError(f"{path.name}: " + "; ".join(str(error) for error in errors))
    return _typed(frame)


def reference_sets(registry: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(registry["set"]))


def segment_options(registry: pd.DataFrame) -> list[tuple[str, str, list[str]]]:
    """(dimension, label, choices) for the segment picker: 'all' first, then the standard values of core.schema's
    Segment and every value the registry uses (a standard value without rows falls back to the aggregate)."""
    options = []
    for dimension, label in SEGMENT_DIMENSIONS:
        values = {*STANDARD_SEGMENT_VALUES.get(dimension, ()), *registry[dimension].unique()} - {"all"}
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


# --- choosing rows for a segment -------------------------------------------------------------------------------


def select(registry: pd.DataFrame, metric_id: str, segment: Segment, set_name: str | None = None) -> Selection:
    """The rows for `metric_id` that fit `segment` best.

    A row fits when, for every dimension the segment names, it has that value or the aggregate 'all'. Among fitting
    rows the ones matching the segment on the most dimensions win ('all' chosen and 'all' given counts as a match),
    then ok before weak before unverified, then the newest year. `fallback` says in plain words when the best rows
    are an aggregate instead of the chosen value, or narrower than an 'all' choice, or when nothing fits."""
    rows = registry[registry["metric_id"] == metric_id]
    if set_name:
        in_set = rows[rows["set"] == set_name]
        if in_set.empty:
            other_sets = reference_sets(rows)
            note = f"; other sets do: {', '.join(other_sets)}" if other_sets else ""
            return Selection(in_set, f"The set '{set_name}' has no figure for this KPI{note}." if note else None)
        rows = in_set
    wanted = {dimension: getattr(segment, dimension) for dimension, _ in MATCH_DIMENSIONS}
    fits = pd.Series(True, index=rows.index)
    for dimension, value in wanted.items():
        if value != "all":
            fits &= rows[dimension].isin([value, "all"])
    if rows.empty:
        return Selection(rows, None)
    if not fits.any():
        return Selection(rows.iloc[0:0], _nothing_fits(rows, wanted))
    candidates = rows[fits]
    score = sum((candidates[dimension] == value).astype(int) for dimension, value in wanted.items())
    best = candidates[score == score.max()]
    ordered = best.assign(_rank=best["quality"].map(QUALITY_RANK).fillna(len(QUALITIES)))
    ordered = ordered.sort_values(["_rank", "year"], ascending=[True, False], kind="stable").drop(columns="_rank")
    return Selection(ordered, _fallback_sentence(ordered.iloc[0], wanted))


def _fallback_sentence(row: pd.Series, wanted: dict[str, str]) -> str | None:
    missing = [(d, v) for d, v in wanted.items() if v != "all" and row[d] == "all"]
    narrower = [(d, row[d]) for d, v in wanted.items() if v == "all" and row[d] != "all"]
    parts = []
    if missing:
        values = " / ".join(v for _, v in missing)
        aggregates = ", ".join(AGGREGATE_NAMES[d] for d, _ in missing)
        parts.append(f"No {values}-specific figure for this KPI; showing the {aggregates} aggregate.")
    if narrower:
        scopes = " or ".join(PLURALS[d] for d, _ in narrower)
        values = ", ".join(v for _, v in narrower)
        parts.append(f"No figure covering all {scopes} for this KPI; showing the figure for {values}.")
    return " ".join(parts) or None


def _nothing_fits(rows: pd.DataFrame, wanted: dict[str, str]) -> str:
    chosen = ", ".join(v for v in wanted.values() if v != "all")
    available = sorted({_segment_label(row) for _, row in rows.iterrows()})
    return (
        f"No figure for this KPI fits the segment {chosen}, and no aggregate covers it. Published figures exist for: "
        f"{'; '.join(available)}. Set a segment choice back to 'all' to see them."
    )


def _segment_label(row: pd.Series) -> str:
    return ", ".join(str(row[d]) for d, _ in MATCH_DIMENSIONS if row[d] != "all") or "all companies"


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
    parts = [str(row["source_name"]), str(row["year"])]
    if not _missing(row.get("sample_size")):
        parts.append(f"n≈{int(row['sample_size']):,}")
    segment = _segment_label(pd.Series(row))
    if segment != "all companies":
        parts.append(segment)
    flag = {"weak": ", weak (indicative only)", "unverified": ", unverified (check before relying on it)"}
    kind = f"{row['source_type']} source{flag.get(row['quality'], '')}"
    link = row.get("source_url") or "no link given"
    return f"{', '.join(parts)} — {kind}: {link}"


def compare(
    value: float | None, metric: Metric, selection: Selection, currency: str = "USD", rates: fx.Rates | None = None
) -> Comparison:
    """The verdict, a plain sentence and the bullet-chart arguments for the first (best) selected row, in
    `currency` (the view's): a money figure in another currency is converted with `rates` (the bundled ones when
    None) at the average rate of the year its amounts are in, and compared only when that rate exists."""
    if selection.rows.empty:
        return Comparison("no benchmark", "No published benchmark for this KPI in the chosen set.", None, {})
    row = selection.rows.iloc[0].to_dict()
    citation = describe(row)
    conversion = ""
    if metric.unit in MONEY_UNITS and row["currency"] != currency:
        year = int(row["currency_year"])
        found = (rates or fx.bundled_rates()).factor_in_year(row["currency"], currency, year)
        if found is None:
            return Comparison("no rate", _no_rate_sentence(row, metric.unit, currency), None, {}, citation)
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
    sentence = " ".join(
        part
        for part in (
            opening,
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


def _reference_text(row: dict, unit: str, currency: str) -> str:
    shown = {k: format_value(row[k], unit, currency) for k in FIGURES if not _missing(row[k])}
    if "low" in shown and "high" in shown:
        figure = f"range {shown['low']} to {shown['high']}"
    elif "low" in shown:
        figure = f"floor of {shown['low']}"
    elif "high" in shown:
        figure = f"ceiling of {shown['high']}"
    else:
        figure = f"reference value {shown['median']}"
    source = row["source_name"].split(",")[0].split("(")[0].strip()
    return f"{figure} ({source}, {row['year']})"


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


def load_user_file(
    name: str, data: bytes, catalogue_ids: Collection[str], units: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame | None, list[BenchmarkError]]:
    """A user's benchmark file (CSV or .xlsx, the registry's shape) as a typed frame, or None and every problem.

    Only metric_id, unit, year, source_name, source_type and at least one of low / median / high are required;
    missing segment columns mean 'all', a missing set is named after the file, missing ids are made from it."""
    if len(data) > MAX_USER_FILE_BYTES:
        return None, [BenchmarkError(None, None, f"{name} is larger than 2 MB; a benchmark file has a few rows")]
    frame, problem = _read_user_file(name, data)
    if problem:
        return None, [BenchmarkError(None, None, problem)]
    frame.columns = [_normalise_header(c) for c in frame.columns]
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
    _check_whole_number(record, "year", row, errors, required=True, bounds=YEARS)
    _check_whole_number(record, "sample_size", row, errors, required=False, bounds=(1, 10**9))
    if not record["source_name"]:
        problem("source_name", "no source; name the study or survey the figure comes from")
    if record["source_type"] not in SOURCE_TYPES:
        problem("source_type", f"'{record['source_type']}' is not a source type; write primary or secondary")
    if record["quality"] not in QUALITIES:
        problem("quality", f"'{record['quality']}' is not a quality flag; write ok, weak or unverified")
    for column in ("benchmark_id", "set", "gtm_model", "size_band", "industry", "region"):
        if not record[column]:
            problem(column, "empty; " + ("write all for an aggregate" if column in AGGREGATE_NAMES else "give a name"))
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
    except ValueError:
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
    for column in ("year", "currency_year", "sample_size"):
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    return frame
