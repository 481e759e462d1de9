"""Plan: how a recognised file's rows become rows of its canonical table, said as data.

A plan lists, per canonical field, where its value comes from (a source column read as decided from the file's
sample, a constant, a made-up id, or nothing), the derivations over the typed values (a deal's outcome from its
stage or its flags, a lead's status class from its dates, a duration in seconds as minutes), and the value maps of
the columns whose words carry a class (stage → won / lost / open). The sample decides for the whole file: its
date columns share one date order, and a duration's unit is read from its name or, failing that, its values.
`core.imports.load` runs a plan as one SQL statement and `core.imports.check` reads what it staged; the rules of
what a loaded row is (its required fields) are here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import duckdb

from core.imports.casting import DAY_MONTH, ParseOptions, TypedColumn, cleaned, quote, sql_literal, typed_column
from core.imports.mapping import EVERY_ROW, VALUE_FIELDS, Mapping, classify_value
from core.imports.names import words
from core.imports.reading import normalise_header
from core.imports.vocabulary import CODE_WITH_SYMBOL, CURRENCY_NAME_CODES, DURATION_UNIT_WORDS, MONEY_UNIT_WORDS
from core.schema import TABLE_KINDS

RATIO_FIELDS = {"probability", "margin_pct"}
MAX_VALUE_MAP = 1000  # distinct source values listed in a value map; rarer ones get the default class
# A required field another field may stand in for, per kind: a bare NPS series has no responses, only each period's
# NPS (see core.imports.reshape), so a row with a period's NPS is loaded without a score. The one place this rule is.
STAND_INS = {("nps", "score"): ("period_nps",)}
DURATIONS = {("activities", "duration_minutes")}  # fields held in minutes, which a source may give in another unit
TO_MINUTES = {"seconds": "/ 60", "milliseconds": "/ 60000", "hours": "* 60"}  # SQL after the typed value
TO_CURRENCY_UNITS = {"cents": "/ 100", "micros": "/ 1000000"}  # money an API keeps in a fraction of the unit
TO_UNIT = {**TO_MINUTES, **TO_CURRENCY_UNITS}
MILLISECONDS_MEAN = 20_000  # a mean duration this long in seconds (5.5 hours a call) is milliseconds
SECONDS_MEAN, SECONDS_MAX = 120, 720  # whole numbers averaging two hours, or one over twelve, are not minutes


@dataclass(frozen=True)
class FieldPlan:
    """One canonical field: read from `source` by `typed`, else `fill`; `derived` (SQL over the typed fields)
    gives the loaded value when the field is derived from others."""

    name: str
    type: str
    source: str | None = None
    typed: TypedColumn | None = None
    fill: str = "NULL"
    derived: str | None = None

    @property
    def stored(self) -> bool:
        """Whether the field holds anything: a column, a constant, a made-up id or a derivation. A field that holds
        nothing is not stored (an in-memory table keeps a NULL column in full); the canonical view adds it."""
        return self.source is not None or self.derived is not None or self.fill != empty(self.type)


@dataclass(frozen=True)
class LoadPlan:
    kind: str
    mapping: Mapping
    columns: list[str]  # the raw table's columns, in order (a made-up id hashes them all)
    parse: ParseOptions
    fields: list[FieldPlan]
    keys: dict[str, str]  # per derived field (outcome, status_class, ...) the column its value map reads
    value_maps: dict[str, dict[str, str | None]] = field(default_factory=dict)
    overrides: dict[str, dict[str, str | None]] = field(default_factory=dict)  # the person's own classes
    units: dict[str, tuple[str, str]] = field(default_factory=dict)  # duration or money field -> (its unit, why)

    @property
    def made_up_id(self) -> bool:
        """A field is a made-up id from the row's content."""
        return self.mapping.surrogate is not None

    @property
    def mapped(self) -> list[FieldPlan]:
        return [f for f in self.fields if f.source is not None]

    @property
    def texts(self) -> dict[str, str]:
        """Each source column read (by a field or a value map) → the name of its cleaned text in the staged pass."""
        sources = [f.source for f in self.mapped] + [c for c in self.keys.values() if c != EVERY_ROW]
        return {column: quote(f"_clean_{number}") for number, column in enumerate(dict.fromkeys(sources))}

    @property
    def stored(self) -> list[FieldPlan]:
        """The fields the staged and canonical tables hold (see FieldPlan.stored)."""
        return [f for f in self.fields if f.stored]

    @property
    def based(self) -> list[str]:
        """Mapped fields whose loaded value is derived from others: their typed value is kept as `_base_<field>`."""
        return [f.name for f in self.mapped if f.derived is not None]

    def field(self, name: str) -> FieldPlan:
        return next(f for f in self.fields if f.name == name)

    def notes(self) -> dict[str, str]:
        """Per mapped field, a doubt about how its column was read (an ambiguous date order)."""
        return {f.name: f.typed.note for f in self.mapped if f.typed and f.typed.note}

    def unit_notes(self) -> dict[str, str]:
        """Per duration field read in another unit than minutes, and money field in cents or micros, the sentence
        saying so."""
        return {
            name: f"'{self.mapping.fields[name]}' holds {unit} ({why}): its values were turned into "
            f"{'currency units' if unit in TO_CURRENCY_UNITS else 'minutes'} "
            f"({TO_UNIT[unit].replace('/', 'divided by').replace('*', 'times')})."
            for name, (unit, why) in self.units.items()
        }

    def unsupplied(self) -> list[str]:
        """The labels of the required fields no column, constant or made-up id supplies."""
        return unsupplied(self.kind, self.mapping)

    def staged_fields(self) -> dict[str, str]:
        """Per canonical field, SQL of its value in the staged rows (see load.stage): its column where it is
        stored, else NULL."""
        return {f.name: quote(f.name) if f.stored else empty(f.type) for f in self.fields}

    def loaded_condition(self) -> str:
        """SQL over the staged rows: the row is loaded (every required field holds a value)."""
        return "false" if self.unsupplied() else required_sql(self.kind, self.staged_fields())[0]

    def with_value_maps(self, value_maps: dict[str, dict[str, str | None]]) -> LoadPlan:
        """The same plan with other value maps (the whole file's instead of its head's)."""
        typed = {f.name: f.typed for f in self.mapped}
        return make_plan(
            self.kind, self.mapping, self.columns, self.parse, typed, value_maps, self.overrides, self.units
        )

    def same_classes(self, value_maps: dict[str, dict[str, str | None]]) -> bool:
        """Whether every value gets the same class from `value_maps` as from the plan's own."""
        for derived, other in value_maps.items():
            own, default = self.value_maps[derived], VALUE_FIELDS[self.kind][derived][1]
            if any(own.get(v, default) != other.get(v, default) for v in {*own, *other}):
                return False
        return True


# ---- what a loaded row is --------------------------------------------------------------------------------------
def required_groups(kind: str) -> list[tuple[str, ...]]:
    """Each required field of a kind with the fields that may stand in for it (see STAND_INS): a row is loaded
    when each group holds a value in at least one of its fields."""
    return [(f.name, *STAND_INS.get((kind, f.name), ())) for f in TABLE_KINDS[kind].fields if f.required]


def unsupplied(kind: str, mapping: Mapping) -> list[str]:
    """The labels of the required fields no column, constant or made-up id supplies (nor a stand-in)."""
    groups = required_groups(kind)
    return [TABLE_KINDS[kind].field(g[0]).label for g in groups if not any(mapping.supplies(n) for n in g)]


def required_sql(kind: str, expression: dict[str, str] | None = None) -> tuple[str, str]:
    """SQL over a file's rows: (the row is loaded, why it is not: 'no Lead ID, Created')."""
    expression = expression or {}
    loaded, missing = [], []
    for group in required_groups(kind):
        present = " OR ".join(f"({expression.get(name, quote(name))}) IS NOT NULL" for name in group)
        loaded.append(f"({present})")
        missing.append(f"CASE WHEN NOT ({present}) THEN {sql_literal(TABLE_KINDS[kind].field(group[0]).label)} END")
    return " AND ".join(loaded), f"'no ' || concat_ws(', ', {', '.join(missing)})"


# ---- deciding on a sample --------------------------------------------------------------------------------------
def decide(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    mapping: Mapping,
    columns: list[str],
    parse: ParseOptions,
    sample: str,
    overrides: dict[str, dict[str, str | None]],
    typed: dict[str, TypedColumn],
) -> LoadPlan:
    """A file's plan decided on `sample` (a table of its rows: its head, or all of them): how each mapped column
    is read (kept in `typed`, so a field is decided once), the classes of the value-mapped columns and the unit
    of a duration."""
    reading = file_parse(con, sample, kind, mapping, parse)
    for name, column in mapping.fields.items():
        if name not in typed:
            typed[name] = field_typing(con, sample, kind, name, column, reading)
    value_maps = {
        derived: value_map(
            con, kind, mapping, derived, _sample_values(sample, column, parse), overrides.get(derived, {})
        )
        for derived, column in key_columns(kind, mapping).items()
    }
    units = {
        name: unit
        for name, column in mapping.fields.items()
        if (kind, name) in DURATIONS and (unit := duration_unit(con, sample, column, typed[name]))
    }
    units |= {name: unit for name, column in mapping.fields.items() if (unit := money_unit(kind, name, column))}
    return make_plan(kind, mapping, columns, parse, dict(typed), value_maps, overrides, units)


def file_parse(
    con: duckdb.DuckDBPyConnection, sample: str, kind: str, mapping: Mapping, parse: ParseOptions
) -> ParseOptions:
    """The parse options with the file's date order when its date columns prove one together: a file is written
    in one convention, so day-first dates in one column (31/01/2024) settle the columns whose days are all 12 or
    less, and where values prove both orders the one more distinct values prove wins (a stray value is a slip,
    not a convention). Left to each column (`auto`) when nothing proves an order or the person chose one."""
    columns = [c for name, c in mapping.fields.items() if TABLE_KINDS[kind].field(name).type == "TIMESTAMP"]
    if parse.date_order != "auto" or not columns:
        return parse
    first_words = " UNION ALL ".join(
        f"SELECT split_part({cleaned(column, parse.null_tokens)}, ' ', 1) AS _word FROM {quote(sample)}"
        for column in columns
    )
    day, month = (f"TRY_CAST(regexp_extract(_word, {sql_literal(DAY_MONTH)}, {n}) AS INTEGER)" for n in (1, 2))
    day_first, month_first = con.execute(
        f"SELECT count(DISTINCT _word) FILTER (WHERE {day} > 12), count(DISTINCT _word) FILTER (WHERE {month} > 12) "
        f"FROM ({first_words})"
    ).fetchall()[0]
    if day_first > month_first:
        return replace(parse, date_order="dmy")
    if month_first > day_first > 0:
        return replace(parse, date_order="mdy")
    return parse


def duration_unit(
    con: duckdb.DuckDBPyConnection, sample: str, column: str, typed: TypedColumn
) -> tuple[str, str] | None:
    """(unit, why) of a duration column that is not in minutes: the unit its name says (`CallDurationInSeconds`,
    `Duration (s)`, `Hours`), or, when its name says none, the unit its values can only be in (calls of whole
    numbers averaging hours are seconds, averaging days milliseconds). None for minutes."""
    said = next((DURATION_UNIT_WORDS[w] for w in words(column) if w in DURATION_UNIT_WORDS), None)
    if said:
        return None if said == "minutes" else (said, "its name says so")
    mean, high, whole = con.execute(
        f"SELECT avg(_v), max(_v), bool_and(_v = round(_v)) FROM (SELECT {typed.sql} AS _v FROM {quote(sample)}) "
        "WHERE _v IS NOT NULL"
    ).fetchall()[0]
    if mean is None:
        return None
    if mean >= MILLISECONDS_MEAN:
        return "milliseconds", f"its name gives no unit and its values average {mean:,.0f}, too long for seconds"
    if whole and (mean > SECONDS_MEAN or high > SECONDS_MAX):
        return "seconds", f"its name gives no unit and its whole numbers, up to {high:,.0f}, are too long for minutes"
    return None


def money_unit(kind: str, name: str, column: str) -> tuple[str, str] | None:
    """(unit, why) of a money column whose name says it holds cents or micros of the currency (`total_amount_cents`,
    `amount.amountMicros`), as APIs keep money in whole numbers; None for currency units."""
    if TABLE_KINDS[kind].field(name).role != "money":
        return None
    said = next((MONEY_UNIT_WORDS[w] for w in words(column) if w in MONEY_UNIT_WORDS), None)
    return (said, "its name says so") if said else None


def field_typing(con: duckdb.DuckDBPyConnection, table: str, kind: str, name: str, column: str, parse: ParseOptions):
    """How `column` of `table` is read as the canonical field `name` (see core.imports.casting)."""
    return typed_column(
        con,
        table,
        column,
        TABLE_KINDS[kind].field(name).type,
        parse,
        ratio=name in RATIO_FIELDS,
        leading_number=(kind, name) == ("nps", "score") or name == "employees",
        duration=(kind, name) in DURATIONS,
    )


def _sample_values(sample: str, column: str, parse: ParseOptions) -> str | None:
    if column == EVERY_ROW:
        return None  # the class is read from the column names, the same for every row
    return f"SELECT {key_sql(column, parse)} AS _value FROM {quote(sample)}"


def staged_value_maps(con: duckdb.DuckDBPyConnection, plan: LoadPlan, staged: str) -> dict[str, dict[str, str | None]]:
    """The value maps from every staged row's keys (the whole file), where the plan's came from its head."""
    return {
        derived: value_map(
            con,
            plan.kind,
            plan.mapping,
            derived,
            None if column == EVERY_ROW else f"SELECT {quote('_key_' + derived)} AS _value FROM {staged}",
            plan.overrides.get(derived, {}),
        )
        for derived, column in plan.keys.items()
    }


# ---- value maps -----------------------------------------------------------------------------------------------
def key_columns(kind: str | None, mapping: Mapping) -> dict[str, str]:
    """Per derived field (outcome, status_class, ...), the source column its classes are read from."""
    keys = {}
    for derived, (sources, _) in VALUE_FIELDS.get(kind, {}).items():
        column = next((mapping.fields[s] for s in sources if s in mapping.fields), None)
        if column is None and derived == "role_class":
            column = _roster_role_column(mapping)
        if column is not None:
            keys[derived] = column
    return keys


def _roster_role_column(mapping: Mapping) -> str | None:
    """A roster with no title or department, whose id column names the role (`sales_agent`)."""
    id_column = mapping.fields.get("employee_id")
    if id_column and classify_value("headcount", "role_class", normalise_header(id_column)) != "other":
        return EVERY_ROW
    return None


def key_sql(column: str, parse: ParseOptions) -> str:
    """SQL of the cleaned text a value map reads from `column`."""
    return sql_literal(EVERY_ROW) if column == EVERY_ROW else cleaned(column, parse.null_tokens)


def value_map(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    mapping: Mapping,
    derived: str,
    values_sql: str | None,
    overrides: dict[str, str | None],
) -> dict[str, str | None]:
    """Source value → class, for the MAX_VALUE_MAP most frequent values of `values_sql` (SQL of one column
    `_value`; None for a class read from the column names, see `_roster_role_column`), then the person's own."""
    rows = None if values_sql is None else con.execute(frequent_values_sql(values_sql)).fetchall()
    return classes_of(kind, mapping, derived, rows, overrides)


def frequent_values_sql(values_sql: str) -> str:
    """The MAX_VALUE_MAP most frequent values of `values_sql`'s column `_value`, the most frequent first (in the
    SQL every engine reads: core.engines.views asks a warehouse the same)."""
    return (
        f"SELECT _value FROM ({values_sql}) AS k WHERE _value IS NOT NULL GROUP BY _value "
        f"ORDER BY count(*) DESC, _value LIMIT {MAX_VALUE_MAP}"
    )


def classes_of(
    kind: str, mapping: Mapping, derived: str, rows: list[tuple] | None, overrides: dict[str, str | None]
) -> dict[str, str | None]:
    """Source value → class for the rows of `frequent_values_sql` (None: the class read from a roster's id column
    name, one for every row), then the person's own classes over them."""
    if rows is None:
        values = {EVERY_ROW: classify_value(kind, derived, normalise_header(mapping.fields["employee_id"]))}
    else:
        values = {value: classify_value(kind, derived, value) for (value,) in rows}
    return values | overrides


def class_case(kind: str, derived: str, values: dict[str, str | None]) -> str:
    """SQL over `_key_<derived>`: the class of each value by the value map, the kind's default for the rest."""
    default = VALUE_FIELDS[kind][derived][1]
    if EVERY_ROW in values:
        default = values[EVERY_ROW]
    whens = " ".join(
        f"WHEN {sql_literal(value)} THEN {sql_literal(cls) if cls else 'NULL'}"
        for value, cls in values.items()
        if value != EVERY_ROW
    )
    fallback = sql_literal(default) if default else "NULL"
    key = quote("_key_" + derived)
    chosen = f"CASE {key} {whens} ELSE {fallback} END" if whens else fallback
    return f"CASE WHEN {key} IS NULL THEN NULL ELSE {chosen} END"


# ---- derivations and fillers -----------------------------------------------------------------------------------
def derivations(
    kind: str,
    mapping: Mapping,
    value_maps: dict[str, dict[str, str | None]],
    units: dict[str, tuple[str, str]] | None = None,
) -> dict[str, str]:
    """Per derived field, SQL over the typed fields and value-map keys giving its loaded value."""
    derived = {name: class_case(kind, name, values) for name, values in value_maps.items()}
    for name, (unit, _) in (units or {}).items():
        derived[name] = f"{quote(name)} {TO_UNIT[unit]}"  # a duration in seconds as minutes, cents as units
    if kind == "opportunities":
        flags = "CASE WHEN is_won THEN 'won' WHEN is_closed THEN 'lost' WHEN NOT is_closed THEN 'open' END"
        outcome = f"coalesce({derived['outcome']}, {flags})" if "outcome" in derived else flags
        if "outcome" in mapping.constants:  # a list of won deals: every row's outcome is said once
            outcome = sql_literal(mapping.constants["outcome"])
        derived["outcome"] = outcome
        derived["is_won"] = f"coalesce(is_won, ({outcome}) = 'won')"
        derived["is_closed"] = f"coalesce(is_closed, ({outcome}) <> 'open')"
        if "stage" not in mapping.fields:
            derived["stage"] = (
                f"CASE ({outcome}) WHEN 'won' THEN 'Closed Won' WHEN 'lost' THEN 'Closed Lost' "
                "WHEN 'open' THEN 'Open' END"
            )
    for name, value in mapping.constants.items():
        if name in derived:  # a reshape's constant (every row a won deal) over the derivation
            derived[name] = sql_literal(value)
    if "currency" in mapping.fields:  # a currency spelled out (`US Dollar`) is loaded as its code, as rates know it
        names = ", ".join(f"{sql_literal(name)}: {sql_literal(code)}" for name, code in CURRENCY_NAME_CODES.items())
        code = f"upper(regexp_extract(currency, {sql_literal(CODE_WITH_SYMBOL)}, 1))"  # `USD-$`: USD
        with_symbol = f"CASE WHEN regexp_full_match(currency, {sql_literal(CODE_WITH_SYMBOL)}) THEN {code} END"
        derived["currency"] = f"coalesce(MAP {{{names}}}[lower(currency)], {with_symbol}, currency)"
    if kind == "orders" and "unit_price" in mapping.fields:
        derived["amount"] = "coalesce(amount, quantity * unit_price)"  # line items: quantity x unit price
    if kind == "leads":
        by_dates = (
            "CASE WHEN is_converted OR converted_at IS NOT NULL THEN 'converted' WHEN disqualified_at IS NOT NULL "
            "THEN 'disqualified' WHEN is_qualified OR qualified_at IS NOT NULL THEN 'qualified' ELSE 'open' END"
        )
        derived["status_class"] = f"coalesce({derived['status_class']}, {by_dates})" if value_maps else by_dates
    return derived


def filler(kind: str, mapping: Mapping, name: str, row_key: str) -> str:
    """SQL of a field no column holds: the reshape's constant, a made-up id from the row's content (the same row
    always gets the same id; `row_key` is SQL of its hash), or NULL."""
    spec = TABLE_KINDS[kind].field(name)
    if name in mapping.constants:
        return f"CAST({sql_literal(mapping.constants[name])} AS {spec.type})"
    if name == mapping.surrogate:
        return f"'row-' || substr({row_key}, 1, 16)"
    return empty(spec.type)


def empty(sql_type: str) -> str:
    """SQL of a field nothing supplies."""
    return f"CAST(NULL AS {sql_type})"


def row_key(columns: list[str]) -> str:
    """SQL: a hash of a row's content, the stable basis of a made-up id (identical rows share it, and are then
    reported as duplicate ids)."""
    return f"md5(concat_ws(chr(31), {', '.join(f'coalesce({quote(c)}, chr(30))' for c in columns)}))"


def make_plan(
    kind: str,
    mapping: Mapping,
    columns: list[str],
    parse: ParseOptions,
    typed: dict[str, TypedColumn],
    value_maps: dict[str, dict[str, str | None]],
    overrides: dict[str, dict[str, str | None]] | None = None,
    units: dict[str, tuple[str, str]] | None = None,
) -> LoadPlan:
    """The plan of a file: `typed` holds the typing decided for each mapped field, `value_maps` the classes of
    each derived field's values (see `key_columns`), `units` the duration and money fields to turn into minutes
    and currency units."""
    derived = derivations(kind, mapping, value_maps, units)
    fields = []
    for spec in TABLE_KINDS[kind].fields:
        source = mapping.fields.get(spec.name)
        fields.append(
            FieldPlan(
                spec.name,
                spec.type,
                source,
                typed.get(spec.name) if source else None,
                "NULL" if source else filler(kind, mapping, spec.name, "_row_key"),
                derived.get(spec.name),
            )
        )
    keys = key_columns(kind, mapping)
    return LoadPlan(kind, mapping, list(columns), parse, fields, keys, value_maps, overrides or {}, units or {})
