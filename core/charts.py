"""Altair chart builders shared by every page, the HTML report and the exports.

Every builder takes a small aggregated frame (the engine aggregates in DuckDB; never pass raw rows) and returns a
plain Altair chart. The look is one and the same everywhere: the Okabe-Ito colour-blind-safe palette for marks,
while axes, labels and backgrounds are left to the renderer so that Streamlit's light and dark themes both read
well (pages call `st.altair_chart(chart, theme="streamlit")`). Every mark carries a tooltip with formatted values.
Charts that can filter a page declare a named point selection with explicit fields, so that Streamlit's
`on_select` returns our own values, e.g. `event.selection[BREAKDOWN_SELECTION] == [{"key": "Webinar"}]`.

Money is drawn in the view's currency, which every builder of a chart in a unit takes from the page: `$` in a d3
format means "the locale's currency", so each such chart carries a number locale whose currency is the view's
(`€1,200`, `CHF 1,200`), and its money axis titles name it ("Amount (€)").
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import vl_convert

from core.formatting import MONEY_UNITS, currency_prefix, currency_symbol
from core.metrics import rules

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
NEUTRAL = "#999999"  # mid grey: visible on light and dark backgrounds alike
LABEL_GREY = "#808080"  # text on the chart's background: about 4:1 contrast on Streamlit's light and dark themes
STATUS_COLOURS = {
    "within": PALETTE[2],
    "near reference": PALETTE[4],
    "below": PALETTE[1],
    "above": PALETTE[5],
    "no value": NEUTRAL,
    "no benchmark": PALETTE[0],
}
REFERENCE_COLOUR = PALETTE[3]
BREAKDOWN_SELECTION = "pick"
TOP_N = 15
OTHER = "Other"
PRIOR_SERIES = "Prior period (a year earlier)"
# Line samples in the legend: a dashed outline around a filled dot reads as a blob, a dashed line as "dashed".
SERIES_LEGEND = alt.Legend(symbolType="stroke", symbolSize=400, symbolStrokeWidth=2.5)
CURRENT_SERIES = "This period"
MAX_LORENZ_POINTS = 101
MAX_LABELLED_CELLS = 150
NPS_GROUPS = {"Detractor (0–6)": PALETTE[5], "Passive (7–8)": NEUTRAL, "Promoter (9–10)": PALETTE[2]}

_FORMATS = {
    "ratio": ".1%",
    "currency": "$,.0f",
    "currency_per_head": "$,.0f",
    "days": ",.0f",
    "minutes": ",.0f",
    "count": ",.0f",
    "score": ",.0f",
    "ratio_to_1": ",.1f",
}
_SUFFIXES = {"days": "days", "minutes": "minutes", "score": "points", "ratio_to_1": "to 1"}
_AXIS_FORMATS = {"ratio": ".0%", "currency": "$~s", "currency_per_head": "$~s"}
_AXIS_TITLES = {
    "ratio": "Share (%)",
    "currency": "Amount ({currency})",
    "currency_per_head": "Amount per head ({currency})",
    "days": "Days",
    "minutes": "Minutes",
    "count": "Count",
    "score": "Score (points)",
    "ratio_to_1": "Ratio (x to 1)",
}


def unit_format(unit: str) -> str:
    """The d3 format for exact values of `unit` (tooltips, labels): `unit_format("ratio") == ".1%"`; unknown units
    read as plain numbers with two decimals. In a money format `$` is the chart's currency (see `_in_currency`)."""
    return _FORMATS.get(unit, ",.2f")


def axis_format(unit: str) -> str:
    """The d3 format for axis ticks: coarser than `unit_format` (whole percents, compact money like €1.2M)."""
    return _AXIS_FORMATS.get(unit, unit_format(unit))


def count_axis() -> alt.Axis:
    """An axis of counts ticks at whole numbers only: up to 3, not "0 0 1 1 1 2 2 3" (fractions rounded)."""
    return alt.Axis(format=",.0f", tickMinStep=1)


def value_axis(unit: str) -> alt.Axis:
    """An axis whose labels drop decimals (counts, days) ticks at whole numbers, for the same reason."""
    return count_axis() if axis_format(unit) == ",.0f" else alt.Axis(format=axis_format(unit))


def axis_title(unit: str, currency: str) -> str:
    """A plain-words value-axis title with its unit, e.g. "Days", "Share (%)" or "Amount (€)"."""
    return _AXIS_TITLES.get(unit, "Value").format(currency=currency_symbol(currency))


def _in_currency(chart: alt.TopLevelMixin, currency: str) -> alt.TopLevelMixin:
    """The chart with `$` in its number formats standing for `currency`, in English number style (`€1,200.5`)."""
    number = alt.NumberLocale(decimal=".", thousands=",", grouping=[3], currency=[currency_prefix(currency), ""])
    return chart.configure(locale=alt.Locale(number=number))


def _is_missing(value) -> bool:
    return value is None or bool(pd.isna(value))


# --------------------------------------------------------------------------------------------------------------
# Trend


def add_prior_year(trend: pd.DataFrame) -> pd.DataFrame:
    """`trend` with `prior_value`: the value of the same month (or quarter) one year earlier, where the trend has it."""
    periods = pd.to_datetime(trend["period"])
    earlier = dict(zip(periods, trend["value"], strict=True))
    prior = [earlier.get(period - pd.DateOffset(years=1)) for period in periods]
    return trend.assign(prior_value=pd.array(prior, dtype="Float64").astype(float))


def trend_chart(
    trend: pd.DataFrame, title: str, unit: str, value_label: str | None = None, *, currency: str
) -> alt.Chart:
    """Monthly (or quarterly) line with points.

    `trend` columns: `period` (month start, datetime), `value` (number), optional `prior_value` (the same month one
    year earlier; drawn as a dashed "prior period" line) and optional `n` (rows behind the value, in the tooltip).
    """
    fmt = unit_format(unit)
    value_title = value_label or axis_title(unit, currency)
    series = [("value", CURRENT_SERIES)] + ([("prior_value", PRIOR_SERIES)] if "prior_value" in trend else [])
    extra = ["n"] if "n" in trend else []
    long = pd.concat(
        [
            trend[["period", column, *extra]].rename(columns={column: "value"}).assign(series=name)
            for column, name in series
        ],
        ignore_index=True,
    ).dropna(subset=["value"])
    if extra and len(series) > 1:
        long.loc[long["series"] == PRIOR_SERIES, "n"] = None
    long["period"] = pd.to_datetime(long["period"])
    names = [name for _, name in series]
    tooltip = [
        alt.Tooltip("period:T", title="Month", format="%B %Y"),
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("value:Q", title=value_title, format=fmt),
    ] + ([alt.Tooltip("n:Q", title="Rows", format=",")] if extra else [])
    chart = (
        alt.Chart(long, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title="Month", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("value:Q", title=value_title, axis=value_axis(unit)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=names, range=[PALETTE[0], NEUTRAL][: len(names)]),
                legend=SERIES_LEGEND,
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                title=None,
                scale=alt.Scale(domain=names, range=[[1, 0], [6, 4]][: len(names)]),
                legend=SERIES_LEGEND,
            ),
            tooltip=tooltip,
        )
        .properties(height=260)
    )
    return _in_currency(chart, currency)


# --------------------------------------------------------------------------------------------------------------
# Breakdown


def top_n(frame: pd.DataFrame, n: int = TOP_N, fold: str | None = "sum") -> pd.DataFrame:
    """The `n` keys with the largest value, sorted by value, plus one "Other" row for the rest.

    `frame` columns: key, value, n (rows behind the value). How the rest is folded depends on what the value is:
    `fold="sum"` for additive values (counts, money), `fold="weighted_mean"` for rates (mean of the values
    weighted by `n`), `fold=None` when neither is honest (medians): the rest is then left out.
    """
    frame = frame.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    if len(frame) <= n:
        return frame
    head, rest = frame.head(n), frame.iloc[n:]
    if fold is None:
        return head
    if fold == "sum":
        value = rest["value"].sum()
    elif fold == "weighted_mean":
        value = (rest["value"] * rest["n"]).sum() / rest["n"].sum() if rest["n"].sum() else rest["value"].mean()
    else:
        raise ValueError(f"fold must be 'sum', 'weighted_mean' or None, not {fold!r}")
    other = pd.DataFrame({"key": [OTHER], "value": [float(value)], "n": [rest["n"].sum()]})
    return pd.concat([head, other], ignore_index=True)


def _fold_for(unit: str) -> str | None:
    if unit in ("count", "currency"):
        return "sum"
    if unit == "ratio":
        return "weighted_mean"
    return None


def shown_keys(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The keys a breakdown chart of this unit shows: the top 15 and, where it is honest, "Other"."""
    return top_n(frame, fold=_fold_for(unit))


def breakdown_chart(
    frame: pd.DataFrame, title: str, unit: str, dimension_label: str, selectable: bool = True, *, currency: str
) -> alt.Chart:
    """Horizontal bars by key, largest first, at most 15 bars plus "Other".

    `frame` columns: key (text), value (number), n (rows behind the value). When `selectable`, clicking a bar
    selects its key: the chart's selection `BREAKDOWN_SELECTION` returns `[{"key": ...}]`.
    """
    fmt = unit_format(unit)
    value_title = axis_title(unit, currency)
    fold = _fold_for(unit)
    data = shown_keys(frame, unit)
    data = data.assign(key=data["key"].astype(str))
    subtitle = _breakdown_subtitle(len(frame), fold)
    tooltip = [
        alt.Tooltip("key:N", title=dimension_label),
        alt.Tooltip("value:Q", title=value_title, format=fmt),
        alt.Tooltip("n:Q", title="Rows", format=","),
    ]
    chart = (
        alt.Chart(data, title=alt.Title(title, subtitle=subtitle) if subtitle else title)
        .mark_bar(color=PALETTE[0])
        .encode(
            y=alt.Y("key:N", title=dimension_label, sort=list(data["key"])),
            x=alt.X("value:Q", title=value_title, axis=value_axis(unit)),
            tooltip=tooltip,
        )
        .properties(height=alt.Step(24))  # a band per bar: a fixed height is squeezed in Streamlit
    )
    if selectable:
        pick = alt.selection_point(name=BREAKDOWN_SELECTION, fields=["key"])
        chart = chart.add_params(pick).encode(opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)))
    return _in_currency(chart, currency)


def _breakdown_subtitle(keys: int, fold: str | None) -> str | None:
    if keys <= TOP_N:
        return None
    if fold is None:
        return f"The {TOP_N} largest of {keys}"
    how = "added up" if fold == "sum" else "averaged"
    return f"The {TOP_N} largest of {keys}; the other {keys - TOP_N} {how} as {OTHER}"


# --------------------------------------------------------------------------------------------------------------
# Bullet (your value against the benchmark)


def bullet_chart(
    value: float | None,
    unit: str,
    low: float | None,
    median: float | None,
    high: float | None,
    label: str,
    status: str,
    citation: str,
    *,
    currency: str,
) -> alt.LayerChart:
    """Your value against the benchmark for one KPI.

    A shaded band from low to high only when the source gives both; a median, or a single reference value when
    that is all the source gives, is a tick (never an invented range); your value is a bar from zero coloured by
    `status` (below / within / above / near reference / no value). Any of value, low, median, high may be None
    or NaN. Every reference mark's tooltip names its source and year (`citation`).
    """
    fmt = unit_format(unit)
    low, median, high = (None if _is_missing(x) else float(x) for x in (low, median, high))
    value = None if _is_missing(value) else float(value)
    domain = _padded_domain([value, low, median, high])
    x_scale = alt.Scale(domain=domain, nice=False)
    # whole percents repeat on a short scale (0% 1% 1% 2% … up to 5%): a tenth of a percent there
    narrow = unit == "ratio" and domain[1] - domain[0] < 0.1
    x_axis = alt.Axis(format=".1%" if narrow else axis_format(unit))
    x_title = axis_title(unit, currency)
    legend: dict[str, str] = {}
    layers = []

    if low is not None and high is not None:
        legend["Benchmark range"] = NEUTRAL
        band = pd.DataFrame({"low": [low], "high": [high], "what": ["Benchmark range"], "citation": [citation]})
        layers.append(
            alt.Chart(band)
            .mark_bar(size=34, opacity=0.4)
            .encode(
                x=alt.X("low:Q", scale=x_scale, axis=x_axis, title=x_title),
                x2="high:Q",
                tooltip=[
                    alt.Tooltip("low:Q", title="Benchmark low", format=fmt),
                    alt.Tooltip("high:Q", title="Benchmark high", format=fmt),
                    alt.Tooltip("citation:N", title="Source"),
                ],
            )
        )
    references = _reference_points(low, median, high)
    if references:
        legend["Benchmark value"] = REFERENCE_COLOUR
        points = pd.DataFrame(
            {"reference": [x for _, x in references], "which": [w for w, _ in references], "citation": citation}
        ).assign(what="Benchmark value")
        layers.append(
            alt.Chart(points)
            .mark_tick(thickness=3, size=34)
            .encode(
                x=alt.X("reference:Q", scale=x_scale, axis=x_axis, title=x_title),
                tooltip=[
                    alt.Tooltip("which:N", title="Benchmark"),
                    alt.Tooltip("reference:Q", title="Value", format=fmt),
                    alt.Tooltip("citation:N", title="Source"),
                ],
            )
        )
    if value is not None:
        you = f"Your value ({status})"
        legend[you] = STATUS_COLOURS.get(status, PALETTE[0])
        mine = pd.DataFrame({"value": [value], "status": [status], "label": [label], "what": [you]})
        layers.append(
            alt.Chart(mine)
            .mark_bar(size=12)
            .encode(
                x=alt.X("value:Q", scale=x_scale, axis=x_axis, title=x_title),
                tooltip=[
                    alt.Tooltip("label:N", title="KPI"),
                    alt.Tooltip("value:Q", title="Your value", format=fmt),
                    alt.Tooltip("status:N", title="Status"),
                ],
            )
        )
    if not layers:
        empty = pd.DataFrame({"value": [0.0], "what": ["No value and no benchmark"]})
        layers.append(alt.Chart(empty).mark_tick(opacity=0).encode(x=alt.X("value:Q", scale=x_scale, title=x_title)))
        legend["No value and no benchmark"] = NEUTRAL
    colour_scale = alt.Scale(domain=list(legend), range=list(legend.values()))
    colour = alt.Color("what:N", title=None, scale=colour_scale, legend=alt.Legend(orient="bottom"))
    # No title of its own: the Scorecard's card names the KPI above it (a chart title was clipped there).
    return _in_currency(alt.layer(*layers).encode(color=colour).properties(height=50), currency)


BULLET_FRAME_HEIGHT = 200  # 50 px of plot, axis and legend: Streamlit squeezes this chart to nothing unless
# it is given the whole height


def _reference_points(low: float | None, median: float | None, high: float | None) -> list[tuple[str, float]]:
    """Ticks for reference values: the median, or whichever single bound the source gives without its pair."""
    if median is not None:
        return [("Median", median)]
    if low is not None and high is None:
        return [("Low", low)]
    if high is not None and low is None:
        return [("High", high)]
    return []


def _padded_domain(values: list[float | None]) -> list[float]:
    """Zero plus every known value, widened by 10% of the span so nothing sits on the chart's edge."""
    known = [x for x in values if x is not None] + [0.0]
    lowest, highest = min(known), max(known)
    pad = 0.1 * ((highest - lowest) or 1.0)
    return [lowest - pad if lowest < 0 else 0.0, highest + pad]


# --------------------------------------------------------------------------------------------------------------
# Funnel


def funnel_table(funnel: pd.DataFrame) -> pd.DataFrame:
    """Per step: count, the conversion from the previous step and from the first, and the count lost since the
    previous step. `funnel` columns: step, count, in funnel order."""
    counts = funnel["count"].astype(float).reset_index(drop=True)
    previous = counts.shift(1).fillna(counts)
    first = counts.iloc[0] if len(counts) else 0.0
    table = pd.DataFrame(
        {
            "step": funnel["step"].astype(str).reset_index(drop=True),
            "count": counts,
            "previous": previous,
            "step_conversion": counts.div(previous).where(previous > 0),
            "cumulative_conversion": counts / first if first else np.nan,
            "lost": previous - counts,
        }
    )
    table["label"] = [_funnel_label(row) for row in table.itertuples()]
    return table


def _funnel_label(row) -> str:
    if row.Index == 0:
        return f"{row.count:,.0f}"
    step = "—" if pd.isna(row.step_conversion) else f"{row.step_conversion:.0%}"
    total = "—" if pd.isna(row.cumulative_conversion) else f"{row.cumulative_conversion:.0%}"
    return f"{row.count:,.0f} · {step} of previous · {total} of first"


LABEL_ROOM = 1.6  # the funnel's axis runs to 1.6 × its longest bar


def funnel_chart(funnel: pd.DataFrame, title: str = "Funnel: how many move on at each step") -> alt.LayerChart:
    """Horizontal bars per step (`funnel` columns: step, count, in funnel order). Each bar is the step's count, with
    a lighter segment for those lost since the previous step, and a label with step and cumulative conversion."""
    table = funnel_table(funnel)
    order = list(table["step"])
    parts = pd.concat(
        [
            table.assign(part="Reached this step", amount=table["count"], rank=0),
            table.assign(part="Lost since previous step", amount=table["lost"], rank=1),
        ],
        ignore_index=True,
    )
    parts = parts[parts["amount"] > 0]
    tooltip = [
        alt.Tooltip("step:N", title="Step"),
        alt.Tooltip("count:Q", title="Reached", format=",.0f"),
        alt.Tooltip("lost:Q", title="Lost since previous step", format=",.0f"),
        alt.Tooltip("step_conversion:Q", title="Conversion from previous step", format=".1%"),
        alt.Tooltip("cumulative_conversion:Q", title="Conversion from first step", format=".1%"),
    ]
    y = alt.Y("step:N", title=None, sort=order)
    bars = (
        alt.Chart(parts)
        .mark_bar()
        .encode(
            y=y,
            # Room right of the longest bar for its step's label (count and conversions, about 40 characters).
            x=alt.X(
                "amount:Q",
                title="Count",
                stack="zero",
                axis=count_axis(),
                scale=alt.Scale(domain=[0, float(table["previous"].max()) * LABEL_ROOM]),
            ),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(
                    domain=["Reached this step", "Lost since previous step"], range=[PALETTE[0], PALETTE[4]]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            opacity=alt.Opacity(
                "part:N",
                scale=alt.Scale(domain=["Reached this step", "Lost since previous step"], range=[1, 0.45]),
                legend=None,
            ),
            order=alt.Order("rank:Q"),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart(table)
        .mark_text(align="left", dx=4, color=LABEL_GREY)
        .encode(y=y, x=alt.X("previous:Q"), text="label:N", tooltip=tooltip)
    )
    # a band height per step: Streamlit's theme collapses a fixed height on a layered chart with a nominal axis
    return alt.layer(bars, labels, title=title).properties(height=alt.Step(40))


# --------------------------------------------------------------------------------------------------------------
# Distribution


def median_of_bins(bins: pd.DataFrame) -> float | None:
    """The median of pre-binned counts, interpolated within its bin (`bins` columns: bin_start, bin_end, count)."""
    total = bins["count"].sum()
    if not total:
        return None
    below = bins["count"].cumsum() - bins["count"]
    row = bins[(below < total / 2) & (below + bins["count"] >= total / 2)].iloc[0]
    share = (total / 2 - (below[row.name])) / row["count"]
    return float(row["bin_start"] + share * (row["bin_end"] - row["bin_start"]))


def distribution_chart(
    bins: pd.DataFrame,
    title: str,
    unit: str,
    marker: float | None = None,
    marker_label: str = "median",
    count_label: str = "Number of deals",
    *,
    currency: str,
) -> alt.Chart | alt.LayerChart:
    """Histogram from pre-binned counts (`bins` columns: bin_start, bin_end, count), e.g. days to close.

    With `marker`, a vertical rule at that value (the median, by default) labelled with it.
    """
    fmt = unit_format(unit)
    value_title = axis_title(unit, currency)
    bars = (
        alt.Chart(bins[["bin_start", "bin_end", "count"]], title=title)
        .mark_bar(color=PALETTE[0], binSpacing=1)
        .encode(
            x=alt.X("bin_start:Q", bin="binned", title=value_title, axis=value_axis(unit)),
            x2="bin_end:Q",
            y=alt.Y("count:Q", title=count_label, axis=count_axis()),
            tooltip=[
                alt.Tooltip("bin_start:Q", title="From", format=fmt),
                alt.Tooltip("bin_end:Q", title="To (not included)", format=fmt),
                alt.Tooltip("count:Q", title=count_label, format=",.0f"),
            ],
        )
        .properties(height=260)
    )
    if _is_missing(marker):
        return _in_currency(bars, currency)
    text = f"{marker_label} {_format_number(marker, unit, currency)}"
    line = pd.DataFrame({"marker": [float(marker)], "text": [text]})
    rule = alt.Chart(line).mark_rule(color=PALETTE[5], strokeWidth=2, strokeDash=[4, 3])
    rule = rule.encode(x="marker:Q", tooltip=[alt.Tooltip("text:N", title=marker_label.capitalize())])
    label = alt.Chart(line).mark_text(align="left", dx=4, baseline="top", y=4, color=PALETTE[5], fontWeight="bold")
    label = label.encode(x="marker:Q", text="text:N")
    return _in_currency(alt.layer(bars, rule, label), currency)


def _format_number(value: float, unit: str, currency: str) -> str:
    """Python formatting matching `unit_format`, for text drawn on charts."""
    if unit == "ratio":
        return f"{value:.1%}"
    if unit in MONEY_UNITS:
        return f"{'-' if value < 0 else ''}{currency_prefix(currency)}{abs(value):,.0f}"
    number = f"{value:,.1f}" if unit == "ratio_to_1" else f"{value:,.0f}" if unit in _FORMATS else f"{value:,.2f}"
    return f"{number} {_SUFFIXES.get(unit, '')}".strip()


# --------------------------------------------------------------------------------------------------------------
# Pareto / Lorenz


def share_at(curve: pd.DataFrame, customer_share: float = 0.2) -> float:
    """Cumulative revenue share of the top `customer_share` of customers, interpolated on the curve."""
    curve = _lorenz_points(curve)
    return float(np.interp(customer_share, curve["customer_share"], curve["revenue_share"]))


def _lorenz_points(curve: pd.DataFrame) -> pd.DataFrame:
    """The curve sorted and anchored at (0, 0) and (1, 1); resampled on a 1% grid when it has more points than
    that (one point per customer would make a large chart for nothing)."""
    points = curve[["customer_share", "revenue_share"]].astype(float).sort_values("customer_share")
    anchors = pd.DataFrame({"customer_share": [0.0, 1.0], "revenue_share": [0.0, 1.0]})
    points = pd.concat([anchors.head(1), points, anchors.tail(1)]).drop_duplicates("customer_share", keep="last")
    if len(points) > MAX_LORENZ_POINTS:
        grid = np.linspace(0, 1, MAX_LORENZ_POINTS)
        points = pd.DataFrame(
            {
                "customer_share": grid,
                "revenue_share": np.interp(grid, points["customer_share"], points["revenue_share"]),
            }
        )
    return points.reset_index(drop=True)


def pareto_chart(curve: pd.DataFrame, title: str = "How concentrated is revenue?") -> alt.LayerChart:
    """Lorenz curve: cumulative share of revenue against cumulative share of customers, largest customers first.

    `curve` columns: customer_share, revenue_share (both 0–1, cumulative). Draws the 45° line of equality (every
    customer buying the same) and marks the top 20% of customers with the share of revenue they bring.
    """
    points = _lorenz_points(curve)
    top = share_at(points)
    x = alt.X("customer_share:Q", title="Share of customers, largest first (%)", axis=alt.Axis(format=".0%"))
    y = alt.Y("revenue_share:Q", title="Share of revenue (%)", axis=alt.Axis(format=".0%"))
    tooltip = [
        alt.Tooltip("customer_share:Q", title="Top customers", format=".0%"),
        alt.Tooltip("revenue_share:Q", title="Their share of revenue", format=".1%"),
    ]
    lorenz = alt.Chart(points).mark_line(color=PALETTE[0], strokeWidth=2).encode(x=x, y=y, tooltip=tooltip)
    equality = pd.DataFrame({"customer_share": [0.0, 1.0], "revenue_share": [0.0, 1.0], "what": "equal spread"})
    diagonal = (
        alt.Chart(equality)
        .mark_line(color=NEUTRAL, strokeDash=[4, 4])
        .encode(x=x, y=y, tooltip=[alt.Tooltip("what:N", title="Line of equality")])
    )
    mark = pd.DataFrame(
        {"customer_share": [0.2], "revenue_share": [top], "text": [f"top 20% of customers = {top:.0%}"]}
    )
    point = alt.Chart(mark).mark_point(filled=True, size=90, color=PALETTE[5]).encode(x=x, y=y, tooltip=tooltip)
    label = alt.Chart(mark).mark_text(align="left", dx=8, dy=10, color=PALETTE[5], fontWeight="bold")
    label = label.encode(x=x, y=y, text="text:N")
    return alt.layer(diagonal, lorenz, point, label, title=title).properties(height=300)


# --------------------------------------------------------------------------------------------------------------
# Cohorts


def cohort_heatmap(cohorts: pd.DataFrame, title: str = "Customers still buying, by first-purchase month") -> alt.Chart:
    """Grid of first-purchase month (rows) × months since first purchase (columns), coloured by the share of the
    cohort still buying. `cohorts` columns: cohort (month start or text), months_since (int), retention (0–1).

    Small grids get the percentage written on each cell, in dark or light text by cell shade for contrast (the
    text sits on the cell's own colour, not on the page background).
    """
    data = cohorts[["cohort", "months_since", "retention"]].copy()
    if pd.api.types.is_datetime64_any_dtype(data["cohort"]):
        data["cohort"] = data["cohort"].dt.strftime("%Y-%m")
    data["cohort"] = data["cohort"].astype(str)
    data["months_since"] = data["months_since"].astype(int)
    x = alt.X("months_since:O", title="Months since first purchase", axis=alt.Axis(labelAngle=0))
    y = alt.Y("cohort:O", title="First-purchase month", sort="ascending")
    tooltip = [
        alt.Tooltip("cohort:O", title="First-purchase month"),
        alt.Tooltip("months_since:O", title="Months since"),
        alt.Tooltip("retention:Q", title="Still buying", format=".1%"),
    ]
    cells = (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "retention:Q",
                title="Still buying (%)",
                scale=alt.Scale(scheme="viridis", domain=[0, 1]),
                legend=alt.Legend(format=".0%"),
            ),
            tooltip=tooltip,
        )
    )
    size = {"height": alt.Step(26), "width": alt.Step(44)}
    if len(data) > MAX_LABELLED_CELLS:
        return cells.properties(title=title, **size)
    text = (
        alt.Chart(data)
        .mark_text(fontSize=10)
        .encode(
            x=x,
            y=y,
            text=alt.Text("retention:Q", format=".0%"),
            color=alt.condition("datum.retention > 0.6", alt.value("#1a1a1a"), alt.value("#ffffff")),
            tooltip=tooltip,
        )
    )
    return alt.layer(cells, text, title=title).properties(**size)


# --------------------------------------------------------------------------------------------------------------
# NPS


def nps_groups(scores: pd.DataFrame) -> pd.DataFrame:
    """All eleven scores 0–10 with their counts (missing scores count 0) and their NPS group.
    `scores` columns: score (0–10), count."""
    counts = scores.groupby(scores["score"].astype(int))["count"].sum()
    table = pd.DataFrame({"score": range(11)})
    table["count"] = table["score"].map(counts).fillna(0).astype(int)
    detractor, passive, promoter = NPS_GROUPS
    labels = {"detractor": detractor, "passive": passive, "promoter": promoter}
    table["group"] = [labels[rules.nps_group(score)] for score in table["score"]]
    return table


def net_promoter_score(scores: pd.DataFrame) -> float | None:
    """Share of promoters (9–10) minus share of detractors (0–6), in points from -100 to 100."""
    table = nps_groups(scores)
    total = table["count"].sum()
    if not total:
        return None
    promoters = table.loc[table["score"] >= rules.PROMOTER_MIN, "count"].sum()
    detractors = table.loc[table["score"] <= rules.DETRACTOR_MAX, "count"].sum()
    return float(rules.net_promoter_score(promoters, detractors, total))


def nps_distribution(scores: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Bars of answers per score 0–10, coloured detractor / passive / promoter, with the NPS in the title.
    `scores` columns: score (0–10), count."""
    table = nps_groups(scores)
    total = table["count"].sum()
    table["share"] = table["count"] / total if total else 0.0
    nps = net_promoter_score(scores)
    if title is None:
        title = "How likely customers are to recommend us" + ("" if nps is None else f" (NPS {nps:+.0f})")
    return (
        alt.Chart(table, title=title)
        .mark_bar()
        .encode(
            x=alt.X(
                "score:O", title="Score (0 = not at all likely, 10 = extremely likely)", axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("count:Q", title="Answers", axis=count_axis()),
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(domain=list(NPS_GROUPS), range=list(NPS_GROUPS.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("score:O", title="Score"),
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("count:Q", title="Answers", format=",.0f"),
                alt.Tooltip("share:Q", title="Share of answers", format=".1%"),
            ],
        )
        .properties(height=260)
    )


def overview_chart(name: str, frame: pd.DataFrame, *, currency: str) -> alt.TopLevelMixin:
    """The chart of one of core.metrics.shapes' overview aggregates, by its name, in the view's currency."""
    if name == "funnel":
        return funnel_chart(frame)
    if name == "time_to_close":
        return distribution_chart(
            frame, "Won deals by days to close", "days", marker=median_of_bins(frame), currency=currency
        )
    if name == "revenue_concentration":
        return pareto_chart(frame)
    if name == "retention_cohorts":
        return cohort_heatmap(frame)
    if name == "nps_answers":
        return nps_distribution(frame)
    raise ValueError(f"no overview chart called {name!r}")


# --------------------------------------------------------------------------------------------------------------
# Quick chart of a query result (Explore page)

QUICK_BARS = 30


def is_number(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def quick_chart_columns(frame: pd.DataFrame) -> tuple[str | None, str | None]:
    """A sensible (x, y) for a query result: a date or text column against the first number column; two number
    columns when there is nothing else; (None, None) when the result has no number to draw."""
    numbers = [c for c in frame.columns if is_number(frame[c])]
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    others = [c for c in frame.columns if c not in numbers and c not in dates]
    if not numbers:
        return None, None
    x = next(iter(dates + others), None)
    if x is None:
        return (numbers[0], numbers[1]) if len(numbers) > 1 else (numbers[0], None)
    return x, numbers[0]


def quick_chart(frame: pd.DataFrame, x: str, y: str | None) -> alt.Chart:
    """Line over dates, bars over text (the 30 largest), points for two numbers, a histogram for one number.

    Columns are renamed to `x` and `y` inside the chart, so a column name with dots, brackets or colons (which
    Vega-Lite would read as a path or a type) is only ever a title."""
    title = f"{y} by {x}" if y else f"Distribution of {x}"
    if y is None:
        return (
            alt.Chart(pd.DataFrame({"x": frame[x]}), title=title)
            .mark_bar(color=PALETTE[0])
            .encode(x=alt.X("x:Q", bin=alt.Bin(maxbins=40), title=x), y=alt.Y("count():Q", title="Rows"))
        )
    data = pd.DataFrame({"x": frame[x], "y": frame[y]})
    tooltip = [alt.Tooltip("x", title=x), alt.Tooltip("y:Q", title=y)]
    if pd.api.types.is_datetime64_any_dtype(frame[x]):
        return (
            alt.Chart(data, title=title)
            .mark_line(point=True, color=PALETTE[0])
            .encode(x=alt.X("x:T", title=x), y=alt.Y("y:Q", title=y), tooltip=tooltip)
        )
    if pd.api.types.is_numeric_dtype(frame[x]):
        return (
            alt.Chart(data, title=title)
            .mark_circle(color=PALETTE[0], opacity=0.6)
            .encode(x=alt.X("x:Q", title=x), y=alt.Y("y:Q", title=y), tooltip=tooltip)
        )
    bars = data.assign(x=data["x"].astype(str)).nlargest(QUICK_BARS, "y")
    return (
        alt.Chart(bars, title=title if len(data) <= QUICK_BARS else alt.Title(title, subtitle=f"Top {QUICK_BARS}"))
        .mark_bar(color=PALETTE[0])
        .encode(y=alt.Y("x:N", sort="-x", title=x), x=alt.X("y:Q", title=y), tooltip=tooltip)
        .properties(height=alt.Step(22))
    )


# --------------------------------------------------------------------------------------------------------------
# Exports


def to_png(chart: alt.TopLevelMixin | dict, scale: float = 2.0) -> bytes:
    """The chart (or its Vega-Lite spec) as a PNG image, rendered without a browser, `scale` times its pixel
    size for sharp prints."""
    return vl_convert.vegalite_to_png(_spec(chart), scale=scale)


def to_svg(chart: alt.TopLevelMixin | dict) -> str:
    """The chart (or its Vega-Lite spec) as an SVG document."""
    return vl_convert.vegalite_to_svg(_spec(chart))


def _spec(chart: alt.TopLevelMixin | dict) -> dict:
    return chart if isinstance(chart, dict) else chart.to_dict()
