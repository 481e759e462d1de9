"""docs/metrics.md, generated from the catalogue's declarations: each metric's words, and per alternative the SQL
the engine runs for it (`python -m core.metrics.docs > docs/metrics.md`).

The SQL is written by the engine's own functions. Relations are shown by name (their SQL is listed at the end,
as they read when every canonical field holds values); profile settings, the as-of date, scalars and the window
as `$name` parameters.
"""

from __future__ import annotations

import inspect
import re

from core.metrics import relations, rules
from core.metrics.catalogue import METRICS, SOURCE_LINKS, SOURCES, STAGES, Metric
from core.metrics.context import Context, Period
from core.metrics.engine import Placeholders, Prepared, figures_sql
from core.schema import TABLE_KINDS, Profile

TOP_LEVEL = re.compile(r" (FROM|WHERE|UNION ALL|LEFT JOIN|JOIN|GROUP BY) ")


class _Named(Placeholders):
    """Relations by their names and the data's values as parameters, instead of what one dataset gives."""

    def __missing__(self, name: str) -> str:
        if name in self.defined:
            value = self.defined[name].format_map(self)
        elif name in relations.RELATIONS:
            value = name
        elif name == "is_marketing_spend":
            value = rules.MARKETING_SPEND
        elif name == "in_window":
            value = "event_at BETWEEN $window_start AND $window_end"
        else:
            value = f"${name}"
        self[name] = value
        return value


def _every_field() -> Context:
    coverage = {name: set(kind.field_names) for name, kind in TABLE_KINDS.items()}
    return Context(None, Profile(), Period(), coverage, None, plain=True)


def layout(sql: str) -> str:
    """One clause per line at the top level of a statement (subqueries stay on their clause's line)."""
    lines, depth, start, index = [], 0, 0, 0
    while index < len(sql):
        depth += {"(": 1, ")": -1}.get(sql[index], 0)
        clause = TOP_LEVEL.match(sql, index) if depth == 0 and sql[index] == " " else None
        if clause:
            lines.append(sql[start:index])
            start = index + 1
            index = clause.end(1)
        index += 1
    return "\n".join(lines + [sql[start:]])


def metric_sql(metric: Metric, alternative: str) -> str:
    """The base rows and the figures over them, as the engine writes them for `alternative`."""
    chosen = metric.choose(alternative)
    if chosen.rows is None:
        return ""
    prepared = Prepared(_every_field(), metric, alternative, chosen, _Named(None, dict(chosen.define)), Period())
    parts = [f"-- base rows\n{layout(prepared.base())}"]
    if chosen.value:
        parts.append(
            "-- figures over b, the base rows in the view's period and filters: whole, by month, by dimension\n"
            + layout(figures_sql(prepared, chosen.dims))
        )
    parts += [f"-- {name}\n{layout(prepared.sql(sql))}" for name, sql in chosen.scalars.items()]
    parts += [f"-- {name}, over the period's rows\n{layout(prepared.sql(sql))}" for name, sql in chosen.of_rows.items()]
    return "\n".join(parts)


def _needs_text(needs: tuple[str, ...]) -> str:
    return ", ".join(f"`{need}`" for need in needs)


def _metric_section(m: Metric) -> list[str]:
    lines = [
        f"### {m.name} (`{m.id}`)",
        "",
        m.definition,
        "",
        f"- **Why it matters:** {m.why_it_matters}",
        f"- **Formula:** {m.formula}",
        f"- **Usually from:** {m.where_from}",
        f"- **Unit:** {m.unit}; **good is:** {m.direction}"
        + (f"; **settings:** {', '.join(m.settings)}" if m.settings else ""),
        f"- **Source:** {m.source_label}",
    ]
    if m.dims:
        lines.append(f"- **Breakdowns and filters:** {', '.join(m.dims)}")
    lines.append("")
    written: dict[str, str] = {}
    for name, alternative in m.alternatives.items():
        chosen = m.choose(name)
        hook = f" Computed by the hook `{chosen.custom}` (core/metrics/engine.py)." if chosen.custom else ""
        sql = metric_sql(m, name)
        same = f" Its SQL is that of `{written[sql]}`." if sql in written else ""
        lines += [f"**`{name}`** needs {_needs_text(alternative.needs)}.{hook}{same}", ""]
        if sql and not same:
            lines += ["```sql", sql, "```", ""]
            written[sql] = name
    return lines


def _relations_section() -> list[str]:
    ctx = _every_field()
    lines = ["## Relations", "", "The named row sets the metrics read (core/metrics/relations.py).", ""]
    for name, build in relations.RELATIONS.items():
        sql = build(ctx)
        sql = sql[1:-1] if sql.startswith("(") and sql.endswith(")") else f"SELECT * FROM {sql}"
        lines += [f"### `{name}`", "", inspect.cleandoc(build.__doc__ or ""), "", "```sql", layout(sql), "```", ""]
    return lines


def markdown_reference() -> str:
    lines = [
        "# Metric reference",
        "",
        "Generated from the declarations in `core/metrics/catalogue.py` by "
        "`python -m core.metrics.docs > docs/metrics.md`; do not edit by hand.",
        "",
        "Sources: "
        + "; ".join(f"[{label}]({SOURCE_LINKS[key]}) (`{key}`)" for key, label in SOURCES.items())
        + ". Definitions are our own words.",
        "",
        "Each metric lists its alternatives in the order they are tried: the first one the data covers is used. "
        "The SQL is what the engine runs; `$name` marks a value it fills in (a profile setting, the as-of date, "
        "a scalar computed first, the window).",
        "",
    ]
    for stage, label in STAGES.items():
        lines += [f"## {label}", ""]
        for metric in (m for m in METRICS if m.stage == stage):
            lines += _metric_section(metric)
    return "\n".join(lines + _relations_section()).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(markdown_reference(), end="")
