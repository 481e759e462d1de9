"""What defines a view — metrics, period, filters, benchmark segment and set — as URL parameters.

The sidebar widgets of app.py are bound to these parameter names, so a view lives in the page's URL and
survives page switches; this module holds their names, choices and defaults, checks the values a shared link
brings, and writes the share link. No streamlit here: pages and tests use it alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from core.formatting import literal, shortened
from core.metrics.catalogue import CATALOGUE, PRESETS
from core.metrics.engine import FILTER_DIMENSIONS, Period

METRICS_KEY = "m"
PERIOD_KEY = "period"
FROM_KEY = "from"
TO_KEY = "to"
SET_KEY = "benchmark_set"
ALL_SETS = "All sets"
FILTER_PREFIX = "f_"
SEGMENT_PREFIX = "segment_"
SHOWN_FILTERS = ("source", "owner", "product", "region", "segment")  # the filters offered in the sidebar

PERIODS = {
    "all": "All time",
    "12m": "Last 12 months",
    "6m": "Last 6 months",
    "3m": "Last 3 months",
    "ytd": "Year to date",
    "custom": "Custom range",
}
PERIOD_MONTHS = {"12m": 12, "6m": 6, "3m": 3}
DEFAULT_METRICS = PRESETS[0].metric_ids


def filter_key(dimension: str) -> str:
    return FILTER_PREFIX + dimension


def filter_label(dimension: str) -> str:
    return FILTER_DIMENSIONS[dimension]


def metric_options() -> list[str]:
    """Every catalogue id, grouped by funnel stage as the catalogue orders them."""
    return list(CATALOGUE)


def metric_label(metric_id: str) -> str:
    metric = CATALOGUE[metric_id]
    return f"{metric.name} ({metric.stage_label})"


def period_for(choice: str, as_of: dt.date | None, start: dt.date | None = None, end: dt.date | None = None) -> Period:
    """The date range of a period choice, counted back from `as_of` (the latest date in the data, so a view of
    last year's exports means the same thing next month)."""
    if choice == "custom":
        return Period(start, end)
    if choice == "all" or as_of is None:
        return Period()
    if choice == "ytd":
        return Period(dt.date(as_of.year, 1, 1), as_of)
    months = PERIOD_MONTHS[choice]
    first = dt.date(as_of.year, as_of.month, 1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return Period(first, as_of)


def describe_period(period: Period) -> str:
    if not period.bounded:
        return "all dates"
    start = period.start.isoformat() if period.start else "the start"
    end = period.end.isoformat() if period.end else "the latest date"
    return f"{start} to {end}"


@dataclass(frozen=True)
class LinkCheck:
    """A shared link's parameters after checking: what to apply, and what was dropped (for a short notice)."""

    values: dict[str, list[str]]
    dropped: list[str]


def link_aliases() -> dict[str, dict[str, str]]:
    """Per parameter, the labels that stand for a value. The browser writes a bound widget's label into the
    address bar (`m=Close+ratio+%28Closing%29`), while share links carry ids (`m=close_ratio`): both must work."""
    return {
        METRICS_KEY: {metric_label(metric_id): metric_id for metric_id in CATALOGUE},
        PERIOD_KEY: {label: choice for choice, label in PERIODS.items()},
    }


def check_link(
    params: Mapping[str, Sequence[str]],
    choices: Mapping[str, Sequence[str]],
    aliases: Mapping[str, Mapping[str, str]] | None = None,
) -> LinkCheck:
    """Keep the values of each known parameter that are among its current choices (or are a label of one, per
    `aliases`); describe the others.

    `choices` maps a parameter name to its valid values (a filter's come from the data loaded, so a link made
    on someone else's data may name values that do not exist here)."""
    values, dropped = {}, []
    aliases = aliases or {}
    for key, valid in choices.items():
        named = aliases.get(key, {})
        given = [named.get(value, value) for value in params.get(key, []) if value != ""]
        if not given:
            continue
        kept = [value for value in given if value in valid]
        unknown = [value for value in given if value not in valid]
        if kept:
            values[key] = kept
        if unknown:
            # Shown in Markdown: what a link says stays text (no image, link or emphasis can come from it).
            named = ", ".join(f"“{literal(shortened(value, LINK_VALUE_CHARS))}”" for value in unknown[:5])
            dropped.append(f"{_parameter_label(key)}: {named}")
    return LinkCheck(values, dropped)


LINK_VALUE_CHARS = 60  # a dropped value is quoted this far, so a long one cannot fill the page


def _parameter_label(key: str) -> str:
    if key == METRICS_KEY:
        return "metric"
    if key.startswith(FILTER_PREFIX):
        return filter_label(key.removeprefix(FILTER_PREFIX)).lower()
    if key.startswith(SEGMENT_PREFIX):
        return "benchmark segment"
    return {PERIOD_KEY: "period", SET_KEY: "benchmark set"}.get(key, key)


def share_url(page_url: str | None, params: Mapping[str, object], defaults: Mapping[str, object]) -> str:
    """The page's URL with every view parameter that differs from its default (lists as repeated keys); only
    the query when the page's URL is unknown (as in a test without a browser)."""
    pairs = []
    for key, value in params.items():
        if value in (None, [], ()) or value == defaults.get(key):
            continue
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append((key, item.isoformat() if isinstance(item, dt.date) else str(item)))
    if not page_url:
        return "?" + urlencode(pairs)
    scheme, netloc, path, _, _ = urlsplit(page_url)
    return urlunsplit((scheme, netloc, path, urlencode(pairs), ""))
