"""The canonical tables as views over a warehouse's own tables, from a mapping file: nothing is copied out.

A mapping file (the one the Data page downloads, or one written by hand) holds, per export, its kind, which
column gives each canonical field, its constants and the person's value maps. A warehouse table that holds
such an export, synced under its own name, is matched to its entry by its columns (the header signature, so a
sync that writes `opportunity_id` for `Opportunity ID` still matches) or named by hand as `NAME=TABLE` (NAME: the
entry's file name, its stem, or its kind). Each canonical view then reads its tables as ingest reads a file:
columns renamed and cast to the canonical types, the derived fields (a deal's outcome from its stage, a lead's
status class, a role class from a job title) by the same rules and value maps (core.imports.plan), rows without
a required field left out. The value maps are read from the warehouse as they are from an upload: each key
column's most frequent values, classified by the vocabularies, with the person's own classes over them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from core.engines.base import Backend
from core.imports.casting import quote, sql_list, sql_literal
from core.imports.mapping import EVERY_ROW, Mapping
from core.imports.plan import classes_of, derivations, filler, frequent_values_sql, key_columns, required_sql
from core.imports.reading import header_signature, normalise_header
from core.imports.vocabulary import CURRENCY_NAME_CODES, NULL_TOKENS
from core.schema import TABLE_KINDS


class ViewError(ValueError):
    """A table that no mapping entry fits, or a mapped column a table does not have; the message says which."""


@dataclass(frozen=True)
class Source:
    table: str  # as the warehouse names it, maybe qualified: crm.hubspot_contacts
    decision: dict  # its mapping file entry


def create_views(backend: Backend, decisions: dict[str, dict], tables: list[str]) -> dict[str, list[str]]:
    """Create the canonical views of `tables` (each `TABLE` or `NAME=TABLE`) on `backend` from the decisions of
    a mapping file (core.imports.mapping_file.parse_mapping_file); returns each view's tables by kind."""
    decisions = list(decisions.values())
    by_kind: dict[str, list[Source]] = {}
    for spec in tables:
        source = _source(backend, decisions, spec)
        by_kind.setdefault(source.decision["kind"], []).append(source)
    for kind, sources in by_kind.items():
        backend.create_view(kind, " UNION ALL ".join(source_sql(backend, kind, source) for source in sources))
    return {kind: [source.table for source in sources] for kind, sources in by_kind.items()}


def _source(backend: Backend, decisions: list[dict], spec: str) -> Source:
    name, _, table = spec.rpartition("=")
    if name:
        found = [d for d in decisions if name in (d.get("file"), PurePath(d.get("file") or "").stem, d["kind"])]
        if len(found) != 1:
            raise ViewError(f"{spec}: {'no' if not found else 'more than one'} mapping entry is named {name!r}")
    else:
        found = _fitting(decisions, backend.columns(table))
        if len(found) != 1:
            named = ", ".join(d.get("file") or d["kind"] for d in found)
            raise ViewError(
                f"{table}: {'more than one mapping entry (' + named + ')' if found else 'no mapping entry'} fits its "
                "columns; name the entry as NAME=TABLE (its file name or its kind)"
            )
    if not found[0]["kind"]:
        raise ViewError(f"{spec}: its mapping entry holds no kind (a file that is not used)")
    return Source(table, found[0])


def _fitting(decisions: list[dict], columns: list[str]) -> list[dict]:
    """The entry of the export with these headers; else those whose mapped columns the table all has, the ones
    mapping the most (a warehouse often syncs only some of an export's columns)."""
    exact = [d for d in decisions if d["signature"] == header_signature(columns)]
    if exact:
        return exact
    present = {normalise_header(column) for column in columns}
    fitting = [
        d for d in decisions if d.get("mapping") and {normalise_header(c) for c in d["mapping"].values()} <= present
    ]
    most = max((len(d["mapping"]) for d in fitting), default=0)
    return [d for d in fitting if len(d["mapping"]) == most]


def source_sql(backend: Backend, kind: str, source: Source) -> str:
    """One table's rows as canonical rows of `kind`, in DuckDB's dialect: the mapped columns cast, the others
    filled (constants, made-up ids, NULL), the value-map keys read, then the derived fields over them."""
    mapping = _mapping(kind, source.decision)
    columns = _columns(backend, source.table)
    table = ".".join(quote(part) for part in source.table.split("."))
    keys = {
        derived: None if name == EVERY_ROW else _key_text(_column(source.table, columns, name))
        for derived, name in key_columns(kind, mapping).items()
    }
    overrides = source.decision.get("value_maps", {})
    value_maps = {
        derived: value_map(backend, table, kind, derived, key, mapping, overrides.get(derived, {}))
        for derived, key in keys.items()
    }
    fields = TABLE_KINDS[kind].fields
    row_key = "md5(concat_ws(chr(31), " + ", ".join(_text_or_mark(c) for c in columns.values()) + "))"
    inner = [
        f"CAST({_column(source.table, columns, mapping.fields[f.name])} AS {f.type})"
        if f.name in mapping.fields
        else filler(kind, mapping, f.name, row_key)
        for f in fields
    ]
    inner = [f"{sql} AS {quote(f.name)}" for sql, f in zip(inner, fields, strict=True)]
    inner += [f"{key or sql_literal(EVERY_ROW)} AS {quote('_key_' + derived)}" for derived, key in keys.items()]
    derived = _portable(derivations(kind, mapping, value_maps), mapping)
    outer = [f"{derived.get(f.name, quote(f.name))} AS {quote(f.name)}" for f in fields]
    return f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {table}) AS t WHERE {required_sql(kind)[0]}"


def _mapping(kind: str, decision: dict) -> Mapping:
    mapping = Mapping(kind, dict(decision.get("mapping", {})), constants=dict(decision.get("constants", {})))
    mapping.surrogate = decision.get("surrogate")
    return mapping


def _column(table: str, columns: dict[str, str], name: str) -> str:
    """The table's column for a mapped header, quoted."""
    if normalise_header(name) not in columns:
        raise ViewError(f"{table} has no column {name!r}, which its mapping entry names")
    return quote(columns[normalise_header(name)])


def _text_or_mark(column: str) -> str:
    """A column as text for a row's made-up id, an empty value marked so that it differs from an empty text."""
    return f"coalesce(CAST({quote(column)} AS VARCHAR), chr(30))"


def _columns(backend: Backend, table: str) -> dict[str, str]:
    """The table's columns by their normalised header (`opportunity_id` and `Opportunity ID` alike)."""
    return {normalise_header(name): name for name in backend.columns(table)}


def _key_text(column: str) -> str:
    """A value-map key as ingest reads it: trimmed text, NULL for an empty value or a null word (n/a, -)."""
    text = f"trim(CAST({column} AS VARCHAR))"
    return f"CASE WHEN lower({text}) IN ({sql_list(NULL_TOKENS)}) THEN NULL ELSE {text} END"


def value_map(
    backend: Backend,
    table: str,
    kind: str,
    derived: str,
    key: str | None,
    mapping: Mapping,
    overrides: dict[str, str | None],
) -> dict[str, str | None]:
    """Source value → class for the most frequent values of `key` (SQL of a key's text), as ingest classes a
    file's (core.imports.plan); a roster whose id column names the role (key None) gets one class for every row."""
    rows = None if key is None else backend.rows(frequent_values_sql(f"SELECT {key} AS _value FROM {table}"))
    return classes_of(kind, mapping, derived, rows, overrides)


def _portable(derived: dict[str, str], mapping: Mapping) -> dict[str, str]:
    """The derivations with a spelled-out currency read by CASE instead of a DuckDB MAP."""
    if "currency" in mapping.fields:
        whens = " ".join(
            f"WHEN {sql_literal(name)} THEN {sql_literal(code)}" for name, code in CURRENCY_NAME_CODES.items()
        )
        derived["currency"] = f"CASE lower(currency) {whens} ELSE currency END"
    return derived
