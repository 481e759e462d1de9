"""A snapshot: the computed aggregates of one view, without the rows behind them, as a JSON file to share.

A colleague opens it on the Snapshot page (or reads the HTML report made from it) and sees the same numbers and
charts without the exports. It holds, per metric, the value, its trend by month, its breakdowns (top keys with
their values) and the benchmark sentence; and the overview charts' aggregates. Everything in it is shown to
the person before they download it. The metric table, the HTML report and the Snapshot page are all built from
a snapshot, so they always agree.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import altair as alt
import jsonschema
import pandas as pd

from core import charts
from core.formatting import format_value, shortened
from core.metrics import shapes
from core.metrics.catalogue import CATALOGUE, SOURCE_LINKS, SOURCES

FORMAT = "gtm-scorecard-snapshot"
VERSION = 1
MAX_BYTES = 5 * 1024 * 1024


class SnapshotError(ValueError):
    """A file that is not a snapshot this version can show; the message says what to do."""


def build(
    *,
    company: str,
    currency: str,
    view: dict[str, str],
    metric_ids: list[str],
    results: dict,
    comparisons: dict,
    overview: dict,
) -> dict:
    """The snapshot of a view. `results` are engine MetricResults, `comparisons` benchmark Comparisons (or None)
    by metric id, `overview` core.metrics.shapes Shapes (or None) by name; `view` describes period, filters and segment."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "company": company,
        "currency": currency,
        "view": dict(view),
        "metrics": [_metric_entry(CATALOGUE[i], results[i], comparisons.get(i), currency) for i in metric_ids],
        "overview": {
            name: {"title": shapes.TITLES[name], "rows": shape.rows, "data": _records(shape.frame)}
            for name, shape in overview.items()
            if shape is not None and shape.rows
        },
    }


def _metric_entry(metric, result, comparison, currency: str) -> dict:
    benchmark = None
    if comparison is not None and comparison.citation:  # a published figure, compared or with why it was not
        benchmark = {"sentence": comparison.sentence, "citation": comparison.citation}
    return {
        "id": metric.id,
        "name": metric.name,
        "stage": metric.stage_label,
        "unit": metric.unit,
        "value": _number(result.value),
        "display": format_value(result.value, metric.unit, currency),
        "available": result.available,
        "missing": list(result.missing),
        "rows_used": int(result.rows_used),
        "note": result.note,
        "definition": metric.definition,
        "formula": metric.formula,
        "source": SOURCES[metric.source],
        "source_link": SOURCE_LINKS[metric.source],
        "benchmark": benchmark,
        "trend": _records(result.trend) if result.trend is not None else [],
        "breakdowns": {
            dim: _records(charts.shown_keys(frame, metric.unit)) for dim, frame in result.breakdowns.items()
        },
    }


def _number(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows of an aggregate as JSON-ready dicts: dates as ISO text, missing numbers as null."""
    out = []
    for row in frame.to_dict(orient="records"):
        out.append({str(k): _plain(v) for k, v in row.items()})
    return out


def _plain(value):
    if isinstance(value, pd.Timestamp | dt.date):
        return value.date().isoformat() if isinstance(value, pd.Timestamp) else value.isoformat()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def made_on(snapshot: dict) -> str:
    """When it was made, as a person reads it: `29 Nov 2026, 16:08 UTC` (the stored text if it is not a time)."""
    created = str(snapshot.get("created", ""))
    try:
        moment = dt.datetime.fromisoformat(created).astimezone(dt.UTC)
    except ValueError:
        return created or "an unknown date"
    return moment.strftime("%-d %b %Y, %H:%M UTC")


def to_bytes(snapshot: dict) -> bytes:
    return json.dumps(snapshot, indent=1, ensure_ascii=False).encode()


def load(data: bytes) -> dict:
    """A snapshot file, checked: a JSON object of our format and version with the parts the pages need."""
    if len(data) > MAX_BYTES:
        raise SnapshotError(f"This file is {len(data) / 1024**2:,.1f} MB; a snapshot is at most 5 MB.")
    try:
        snapshot = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SnapshotError(
            "This file is not a snapshot: snapshots are JSON files made with 'Download snapshot' on the Metrics "
            "page. To look at exports, load them on the Data page instead."
        ) from None
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise SnapshotError("This JSON file is not a GTM Scorecard snapshot (its 'format' field is not ours).")
    if snapshot.get("version") != VERSION:
        raise SnapshotError(
            f"This snapshot has version {snapshot.get('version')!r}; this app reads version {VERSION}. "
            "Ask for a snapshot made with the current app."
        )
    _check_parts(snapshot)
    return snapshot


def _check_parts(snapshot: dict) -> None:
    """The snapshot against SCHEMA; the message names the part and what it should be, never the value found."""
    problem = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(snapshot))
    if problem is None:
        return
    where = _where(snapshot, list(problem.absolute_path))
    expected = problem.validator_value
    if "propertyNames" in problem.schema_path:  # a key, not a value, is wrong
        raise SnapshotError(
            f"This snapshot is damaged: {where} names '{shortened(problem.instance, 40)}', not a part it draws."
        )
    absent = [name for name in expected if name not in problem.instance] if problem.validator == "required" else []
    what = {
        "type": f"is not {_KINDS.get(str(expected), str(expected))}",
        "required": "lacks a part this app needs: " + ", ".join(f"'{name}'" for name in absent),
        "maxItems": f"holds more than {expected} entries",
        "maxLength": f"is longer than {expected} characters",
        "minimum": f"is below {expected}",
        "enum": "is not one this app knows",
        "maxProperties": f"holds more than {expected} parts",
    }.get(problem.validator, "is not what this app writes")
    raise SnapshotError(f"This snapshot is damaged: {where} {what}.")


def _where(snapshot: dict, path: list) -> str:
    """A person's name for a place in the snapshot: "its 'company' part", "the value of 'Close ratio'"."""
    if not path:
        return "the file"
    if path[0] == "metrics" and len(path) >= 2:
        entry = snapshot["metrics"][path[1]]
        name = entry.get("name") if isinstance(entry, dict) and isinstance(entry.get("name"), str) else None
        label = f"'{shortened(name, 60)}'" if name else f"metric {path[1] + 1}"
        return f"the {path[2]} of {label}" if len(path) > 2 else label
    if path[0] == "overview" and len(path) >= 2:
        return f"the overview part '{shortened(path[1], 40)}'"
    return f"its '{path[0]}' part"


_KINDS = {"string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false"}
_KINDS |= {"array": "a list", "object": "an object", "['number', 'null']": "a number", "['string', 'null']": "text"}
TEXT = {"type": "string", "maxLength": 2000}
ROWS = {"type": "array", "maxItems": 5000, "items": {"type": "object", "maxProperties": 20}}
# What this app writes (see `build`), with room to spare; anything else is refused before a page draws it.
SCHEMA = {
    "type": "object",
    "required": ["format", "version", "company", "currency", "view", "metrics", "overview"],
    "properties": {
        "company": TEXT,
        "currency": {"type": "string", "maxLength": 3},
        "view": {"type": "object", "maxProperties": 50, "additionalProperties": TEXT},
        "metrics": {
            "type": "array",
            "maxItems": len(CATALOGUE),
            "items": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 200},
                    "value": {"type": ["number", "null"]},
                    "display": {"type": "string", "maxLength": 100},
                    "rows_used": {"type": "integer", "minimum": 0},
                    "missing": {"type": "array", "maxItems": 50, "items": TEXT},
                    "trend": ROWS,
                    "breakdowns": {"type": "object", "maxProperties": 20, "additionalProperties": ROWS},
                },
            },
        },
        "overview": {
            "type": "object",
            "propertyNames": {"enum": list(shapes.TITLES)},
            "additionalProperties": {
                "type": "object",
                "required": ["data"],
                "properties": {"title": TEXT, "rows": {"type": "integer", "minimum": 0}, "data": ROWS},
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def contents(snapshot: dict) -> pd.DataFrame:
    """What the snapshot holds, part by part, with how many aggregate rows each carries (never a raw row)."""
    rows = [{"part": "View", "what": "; ".join(f"{k}: {v}" for k, v in snapshot["view"].items()), "values": 0}]
    for entry in snapshot["metrics"]:
        breakdowns = entry.get("breakdowns", {})
        what = f"value {entry.get('display', '—')}; trend by month"
        if breakdowns:
            what += "; breakdown by " + ", ".join(breakdowns)
        if entry.get("benchmark"):
            what += "; benchmark comparison"
        count = 1 + len(entry.get("trend", [])) + sum(len(b) for b in breakdowns.values())
        rows.append({"part": f"Metric: {entry['name']}", "what": what, "values": count})
    for part in snapshot["overview"].values():
        what = f"chart aggregates from {part.get('rows', 0):,} rows"
        rows.append({"part": f"Chart: {part.get('title', '')}", "what": what, "values": len(part["data"])})
    return pd.DataFrame(rows)


def metric_table(snapshot: dict) -> pd.DataFrame:
    """One row per metric: what a person would paste into a slide or a spreadsheet."""
    view = snapshot["view"]
    return pd.DataFrame(
        [
            {
                "metric": entry["name"],
                "id": entry.get("id", ""),
                "stage": entry.get("stage", ""),
                "value": entry.get("value"),
                "shown as": entry.get("display", ""),
                "unit": entry.get("unit", ""),
                "rows used": entry.get("rows_used", 0),
                "status": "computed" if entry.get("available") else "missing: " + " ".join(entry.get("missing", [])),
                "benchmark": (entry.get("benchmark") or {}).get("sentence", ""),
                "period": view.get("Period", ""),
                "filters": view.get("Filters", ""),
            }
            for entry in snapshot["metrics"]
        ]
    )


def frame(records: list[dict]) -> pd.DataFrame:
    """An aggregate back as a frame; a 'period' or 'cohort' column of ISO dates becomes dates again."""
    result = pd.DataFrame.from_records(records)
    for column in ("period", "cohort"):
        if column in result.columns:
            result[column] = pd.to_datetime(result[column], errors="coerce")
    return result


def metric_charts(entry: dict, currency: str) -> list[tuple[str, alt.TopLevelMixin]]:
    """(name, chart) of a metric's trend with the prior year and of each breakdown, drawn from the snapshot in its
    `currency`."""
    drawn = []
    if entry.get("trend"):
        trend = charts.add_prior_year(frame(entry["trend"]))
        title = f"{entry['name']} over time"
        drawn.append((f"{entry['id']}_trend", charts.trend_chart(trend, title, entry["unit"], currency=currency)))
    for dimension, records in entry.get("breakdowns", {}).items():
        if records:
            title = f"{entry['name']} by {dimension}"
            chart = charts.breakdown_chart(
                frame(records), title, entry["unit"], dimension.capitalize(), selectable=False, currency=currency
            )
            drawn.append((f"{entry['id']}_by_{dimension}", chart))
    return drawn


def overview_charts(snapshot: dict) -> list[tuple[str, str, alt.TopLevelMixin]]:
    """(name, title, chart) of each overview chart the snapshot carries."""
    return [
        (name, part["title"], charts.overview_chart(name, frame(part["data"]), currency=snapshot["currency"]))
        for name, part in snapshot["overview"].items()
    ]
