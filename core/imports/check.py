"""Check: what a person should know about one file once its rows are staged (see core.imports.load), read from
the typed values: the rows left out and why, the totals to reconcile with the source system, values that could
not be read, duplicate ids, mixed currencies, the classes read from the values, and columns left unused.
Problems across tables (keys that do not join) are core.imports.quality's `join_problems`, once every table is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

import duckdb
import pandas as pd

from core.formatting import counted
from core.imports import quality
from core.imports.casting import TypedColumn, quote
from core.imports.mapping import EVERY_ROW, Mapping
from core.imports.plan import LoadPlan, required_sql
from core.imports.quality import FieldCheck, Problem
from core.imports.reading import RawTable
from core.schema import TABLE_KINDS

LOW_CONFIDENCE = 0.75
MONEY_DECIMALS = 10  # money is summed as decimals with this many places, so a total is exact, not float noise
PREVIEW_ROWS = 8


@dataclass
class FileReport:
    """What the check stage found in a file's staged rows."""

    missing_reasons: dict[str, int]  # why rows are not loaded, with how many
    totals: dict  # money per currency and date ranges of the loaded rows (see `totals`)
    key_counts: dict[str, dict]  # per value map, the loaded rows of each source value
    problems: list[Problem]


def file_report(
    con: duckdb.DuckDBPyConnection, plan: LoadPlan, staged: str, raw: RawTable, reshape_note: str | None
) -> FileReport:
    """The check stage of a file of a kind: everything its quality report says, from its staged rows."""
    condition, unsupplied = plan.loaded_condition(), plan.unsupplied()
    reasons = missing_reasons(con, plan, staged, condition, unsupplied, raw.rows_loaded)
    problems = read_problems(raw, reshape_note, reasons)
    problems += file_problems(con, raw, plan.mapping, plan, staged, condition, unsupplied)
    return FileReport(reasons, totals(con, plan, staged, condition), key_counts(con, plan, staged, condition), problems)


def missing_reasons(
    con: duckdb.DuckDBPyConnection, plan: LoadPlan, staged: str, condition: str, unsupplied: list[str], rows: int
) -> dict[str, int]:
    """Why rows of the file are not loaded, with how many: a required field no column supplies (every one of its
    `rows`), or per row the required fields it leaves empty."""
    if unsupplied:
        return {f"no column mapped to {', '.join(unsupplied)}": rows} if rows else {}
    found = con.execute(
        f"SELECT {required_sql(plan.kind, plan.staged_fields())[1]} AS reason, count(*) FROM {staged} "
        f"WHERE NOT ({condition}) GROUP BY reason ORDER BY reason"
    ).fetchall()
    return dict(found)


def totals(con: duckdb.DuckDBPyConnection, plan: LoadPlan, staged: str, condition: str) -> dict:
    """Over the rows the file loaded: per mapped money field its sum per currency (by the file's currency
    column, "" where it has none), per mapped date field its first and last date."""
    spec = TABLE_KINDS[plan.kind]
    mapped = [spec.field(f.name) for f in plan.mapped]
    money = [f.name for f in mapped if f.role == "money"]
    dates = [f.name for f in mapped if f.type == "TIMESTAMP"]
    ranges = "".join(f", min({quote(name)}), max({quote(name)})" for name in dates)
    count, *bounds = con.execute(f"SELECT count(*){ranges} FROM {staged} WHERE {condition}").fetchone()
    found = {
        "money": {name: {} for name in money},
        "dates": {
            name: {"min": _iso(first), "max": _iso(last)}
            for name, first, last in zip(dates, bounds[::2], bounds[1::2], strict=True)
        },
        "rows_loaded": count,
    }
    if money:
        currency = "coalesce(currency, '')" if any(f.name == "currency" for f in plan.mapped) else "''"
        sums = ", ".join(f"sum(CAST({quote(name)} AS DECIMAL(38, {MONEY_DECIMALS})))" for name in money)
        groups = f"SELECT {currency}, {sums} FROM {staged} WHERE {condition} GROUP BY ALL ORDER BY 1"
        for currency_code, *values in con.execute(groups).fetchall():
            for name, value in zip(money, values, strict=True):
                if value is not None:
                    found["money"][name][currency_code] = _exact_number(value)
    return found


def staged_preview(con: duckdb.DuckDBPyConnection, plan: LoadPlan, staged: str) -> pd.DataFrame:
    """The first rows as loaded (mapped fields by their labels, derived ones before derivation), from staged rows
    that hold their lines."""
    spec = TABLE_KINDS[plan.kind]
    columns = "".join(
        f", {quote('_base_' + f.name if f.name in plan.based else f.name)} AS {quote(spec.field(f.name).label)}"
        for f in plan.mapped
    )
    return con.execute(f"SELECT _line AS line{columns} FROM {staged} ORDER BY _line LIMIT {PREVIEW_ROWS}").df()


def raw_preview(
    con: duckdb.DuckDBPyConnection, kind: str, typed: dict[str, TypedColumn], table: str, rows: int = PREVIEW_ROWS
) -> pd.DataFrame:
    """The first rows of a raw table as they will be loaded: each mapped field (`typed`: how its column is read)
    by its label, in the canonical order. The rows are picked before they are typed: the page asks on every run."""
    fields = [f for f in TABLE_KINDS[kind].fields if f.name in typed]
    columns = "".join(f", {typed[f.name].sql} AS {quote(f.label)}" for f in fields)
    first = f"SELECT * FROM {quote(table)} ORDER BY _line LIMIT {int(rows)}"
    return con.execute(f"SELECT _line AS line{columns} FROM ({first}) ORDER BY _line").df()


def key_counts(con: duckdb.DuckDBPyConnection, plan: LoadPlan, staged: str, condition: str) -> dict[str, dict]:
    """Per value map, the loaded rows of each source value."""
    counts = {}
    for derived, column in plan.keys.items():
        if column != EVERY_ROW:
            key = quote("_key_" + derived)
            rows = con.execute(
                f"SELECT {key}, count(*) FROM {staged} WHERE {condition} AND {key} IS NOT NULL GROUP BY 1"
            ).fetchall()
            counts[derived] = dict(rows)
    return counts


def read_problems(raw: RawTable, reshape_note: str | None, reasons: dict[str, int]) -> list[Problem]:
    """The reading notes of a file, its reshape's row accounting and its rows left out, by reason."""
    problems = [Problem("info", raw.source, None, note) for note in raw.notes]
    if reshape_note:
        problems.append(Problem("info", raw.source, None, reshape_note))
    rejected = [r.reason for r in raw.rejected]
    for reason, count in reasons.items():
        rejected += [reason] * count
    return problems + quality.rejection_problems(raw.source, rejected)


def unrecognised_problem(name: str) -> Problem:
    return Problem(
        "error",
        name,
        None,
        "We could not tell what this file holds, so it is not used.",
        "Choose its kind (leads, opportunities, ...) and check the column mapping.",
    )


def file_problems(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    mapping: Mapping,
    plan: LoadPlan,
    staged: str,
    condition: str,
    unsupplied: list[str],
) -> list[Problem]:
    """What the person should know about a file of a kind, from its staged rows (after `read_problems`)."""
    name, spec = raw.source, TABLE_KINDS[plan.kind]
    problems = [
        Problem(
            "error",
            name,
            None,
            f"No column is mapped to {label}, which the {spec.label} table needs, so no row of this file is loaded.",
            "Pick the column that holds it in the column mapping.",
        )
        for label in unsupplied
    ]
    for canonical, confidence in mapping.confidence.items():
        if confidence < LOW_CONFIDENCE:
            column = mapping.fields[canonical]
            problems.append(
                Problem(
                    "warning",
                    name,
                    column,
                    f"'{column}' was taken as {spec.field(canonical).label} with low "
                    f"confidence ({confidence:.0%}): its name or its values do not clearly say so.",
                    "Check this line of the column mapping; unmap it if it is not that field.",
                )  # fmt: skip
            )
    problems += [
        Problem("info", name, mapping.fields[canonical], note) for canonical, note in plan.unit_notes().items()
    ]
    notes = plan.notes()
    for canonical in mapping.fields:
        if canonical in notes:
            problems.append(
                Problem("warning", name, mapping.fields[canonical], notes[canonical], "Set the date order if wrong.")
            )
    checks = [
        FieldCheck(
            f.name,
            f.source,
            quote("_base_" + f.name if f.name in plan.based else f.name),
            "NULL" if f.type == "VARCHAR" else quote("_bad_" + f.name),
            f.type,
            quote("_sym_" + f.name) if f.type == "DOUBLE" else None,
        )
        for f in plan.mapped
    ]
    problems += quality.field_problems(con, name, plan.kind, staged.strip('"'), checks, condition)
    problems += value_map_problems(name, plan)
    problems += _scale_problems(con, name, mapping, staged)
    unused = [c for c in raw.columns if c not in mapping.fields.values()]
    if unused:
        shown = ", ".join(f"'{c}'" for c in unused[:40]) + (" ..." if len(unused) > 40 else "")
        problems.append(
            Problem(
                "info",
                name,
                None,
                f"{counted(len(unused), 'column')} not mapped to any field, so not used: {shown}.",
                "Map one of them if it holds a field we need.",
            )  # fmt: skip
        )
    return problems


def value_map_problems(name: str, plan: LoadPlan) -> list[Problem]:
    """The classes read from each value-mapped column, in one line each, for the person to check."""
    problems = []
    for derived, values in plan.value_maps.items():
        counted: dict[str | None, list[str]] = {}
        for value, cls in values.items():
            counted.setdefault(cls, []).append(value)
        summary = "; ".join(
            f"{cls or 'no class'}: {', '.join(_shown_value(v) for v in listed[:6])}{' ...' if len(listed) > 6 else ''}"
            for cls, listed in counted.items()
        )
        label = TABLE_KINDS[plan.kind].field(derived).label
        problems.append(
            Problem(
                "info",
                name,
                None,
                f"{label} read from the values as — {summary}.",
                "If a value is in the wrong class, change it in the value map.",
            )  # fmt: skip
        )
    return problems


def _scale_problems(con: duckdb.DuckDBPyConnection, name: str, mapping: Mapping, staged: str) -> list[Problem]:
    """Annual revenue that looks like it is in thousands or millions (as in some public datasets)."""
    column = mapping.fields.get("annual_revenue")
    if column is None:
        return []
    median = con.execute(f"SELECT median(annual_revenue) FROM {staged}").fetchall()[0][0]
    if median is None or median >= 100_000:
        return []
    return [
        Problem(
            "warning",
            name,
            column,
            f"Annual revenue in '{column}' has a median of {median:,.2f}: it looks like it is in thousands "
            "or millions, not in units of currency.",
            "Multiply the column at the source (or in your spreadsheet) before uploading if revenue matters.",
        )
    ]


def _iso(moment: datetime | None) -> str | None:
    """A date as ISO text; with its time only when it has one."""
    if moment is None:
        return None
    return moment.date().isoformat() if moment.time() == time() else moment.isoformat()


def _exact_number(value: Decimal) -> int | float:
    """A decimal sum as a JSON number: an integer when whole, else the float that prints as the same digits."""
    return int(value) if value == value.to_integral_value() else float(value)


def _shown_value(value: str) -> str:
    return "every row (from the column names)" if value == EVERY_ROW else repr(value)
