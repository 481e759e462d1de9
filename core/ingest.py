"""A session's workspace: the files it loaded, what each holds, and the canonical tables built from them."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from core import typing as types
from core.mapping import Mapping, normalise_header, propose_mapping
from core.reading import RawTable, ReadOptions, read_upload
from core.schema import TABLE_KINDS, create_table_sql
from core.vocabulary import LEAD_STATUS_WORDS, OUTCOME_WORDS, PEOPLE_COST_WORDS, ROLE_WORDS

SUPPORTED = {".csv", ".tsv", ".txt"}


@dataclass
class Problem:
    severity: str  # error | warning | info
    message: str
    advice: str = ""
    column: str | None = None


@dataclass
class LoadedFile:
    file_id: str
    raw: RawTable
    mapping: Mapping
    rows_rejected_typing: int = 0
    problems: list[Problem] = field(default_factory=list)
    date_orders: dict[str, str] = field(default_factory=dict)
    date_formats: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.raw.source

    @property
    def kind(self) -> str | None:
        return self.mapping.kind


class Workspace:
    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.files: list[LoadedFile] = []
        self.data_version = 0
        self._ids = itertools.count(1)

    # ---- changing what is loaded ---------------------------------------------------------------------
    def add(self, name: str, data: bytes, options: ReadOptions | None = None, mode: str = "new") -> list[LoadedFile]:
        """Read a file and map it. `mode` says what to do when a file of the same kind is already loaded:
        "replace" it, "append" to it (kept as another file of that kind), or keep both ("new")."""
        loaded = [self._load(raw) for raw in read_upload(self.con, name, data, options)]
        if mode == "replace":
            kinds = {item.kind for item in loaded}
            for old in [f for f in self.files if f.kind in kinds and f.name != name]:
                self.files.remove(old)
        self.files = [f for f in self.files if f.name != name] + loaded
        self.rebuild()
        return loaded

    def _load(self, raw: RawTable) -> LoadedFile:
        return LoadedFile(f"f{next(self._ids)}", raw, propose_mapping(raw))

    def remove(self, file_id: str) -> None:
        self.files = [f for f in self.files if f.file_id != file_id]
        self.rebuild()

    def set_kind(self, file_id: str, kind: str) -> None:
        loaded = self.file(file_id)
        loaded.mapping = propose_mapping(loaded.raw, kind)
        self.rebuild()

    def set_mapping(self, file_id: str, fields: dict[str, str | None]) -> None:
        loaded = self.file(file_id)
        for canonical, column in fields.items():
            if column is None:
                loaded.mapping.fields.pop(canonical, None)
                loaded.mapping.confidence.pop(canonical, None)
            elif loaded.mapping.fields.get(canonical) != column:
                if column not in loaded.raw.columns:
                    raise ValueError(f"{loaded.name} has no column {column!r}")
                loaded.mapping.fields[canonical] = column
                loaded.mapping.confidence[canonical] = 1.0  # chosen by the user
        self.rebuild()

    def file(self, file_id: str) -> LoadedFile:
        return next(f for f in self.files if f.file_id == file_id)

    # ---- saving and restoring decisions --------------------------------------------------------------
    def mapping_file(self, file_id: str) -> str:
        loaded = self.file(file_id)
        return json.dumps(
            {"headers": loaded.raw.columns, "kind": loaded.kind, "mapping": loaded.mapping.fields}, indent=2
        )

    def apply_mapping_file(self, text: str) -> int:
        """Apply a saved mapping to every loaded file with the same headers; returns how many matched."""
        saved = json.loads(text)
        matched = [f for f in self.files if f.raw.columns == saved.get("headers")]
        for loaded in matched:
            loaded.mapping = propose_mapping(loaded.raw, saved["kind"])
            loaded.mapping.fields = {k: v for k, v in saved["mapping"].items() if v in loaded.raw.columns}
            loaded.mapping.confidence = dict.fromkeys(loaded.mapping.fields, 1.0)
        self.rebuild()
        return len(matched)

    def decisions(self) -> dict:
        return {f.name: {"kind": f.kind, "mapping": f.mapping.fields} for f in self.files}

    def restore(self, blobs: dict[str, bytes], decisions: dict) -> None:
        """Rebuild from the uploaded bytes and the user's decisions (after a reconnect or a reset)."""
        self.files = []
        for name, data in blobs.items():
            self.files.extend(self._load(raw) for raw in read_upload(self.con, name, data))
        for loaded in self.files:
            decision = decisions.get(loaded.name)
            if decision and decision["kind"]:
                loaded.mapping = propose_mapping(loaded.raw, decision["kind"])
                loaded.mapping.fields = decision["mapping"]
        self.rebuild()

    # ---- building the canonical tables ---------------------------------------------------------------
    def rebuild(self) -> None:
        present = {row[0] for row in self.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        for kind in TABLE_KINDS:
            if kind in present:
                self.con.execute(f'DROP TABLE "{kind}"')
            files = [f for f in self.files if f.kind == kind]
            if files:
                self.con.execute(create_table_sql(kind))
                for loaded in files:
                    self._insert(loaded)
        for loaded in self.files:
            loaded.problems = self._problems(loaded)
        self.data_version += 1

    def _insert(self, loaded: LoadedFile) -> None:
        kind = TABLE_KINDS[loaded.kind]
        expressions = self._expressions(loaded)
        required = [f.name for f in kind.fields if f.required]
        keep = " AND ".join(f"({expressions[name]}) IS NOT NULL" for name in required) or "true"
        columns = ", ".join(f'"{f.name}"' for f in kind.fields)
        selected = ", ".join(expressions[f.name] for f in kind.fields)
        raw = types.quote(loaded.raw.table)
        self.con.execute(f'INSERT INTO "{loaded.kind}" ({columns}) SELECT {selected} FROM {raw} WHERE {keep}')
        dropped = self.con.execute(f"SELECT count(*) FROM {raw} WHERE NOT ({keep})").fetchall()[0][0]
        loaded.rows_rejected_typing = dropped
        self._derive(loaded.kind)

    def _expressions(self, loaded: LoadedFile) -> dict[str, str]:
        expressions = {}
        for spec in TABLE_KINDS[loaded.kind].fields:
            column = loaded.mapping.fields.get(spec.name)
            if column is None:
                expressions[spec.name] = f"CAST(NULL AS {spec.type})"
            elif spec.type == "TIMESTAMP":
                if column not in loaded.date_formats:
                    order, _ = types.date_order(self.con, loaded.raw.table, column)
                    loaded.date_orders[column] = order
                    loaded.date_formats[column] = types.date_formats(self.con, loaded.raw.table, column, order)
                expressions[spec.name] = types.date_sql(column, loaded.date_formats[column])
            elif spec.type == "DOUBLE":
                ratio = spec.name in ("probability", "margin_pct")
                expressions[spec.name] = types.number_sql(column, percent_to_ratio=ratio)
            elif spec.type == "BOOLEAN":
                expressions[spec.name] = types.boolean_sql(column)
            else:
                expressions[spec.name] = types.cleaned(column)
        return expressions

    def _derive(self, kind: str) -> None:
        """Fill the classes that canonical queries rely on from the words the export used."""
        derive = {
            "opportunities": self._derive_outcome,
            "leads": self._derive_lead_status,
            "headcount": self._derive_roles,
            "spend": self._derive_spend_classes,
        }.get(kind)
        if derive:
            derive()

    def _derive_outcome(self) -> None:
        won = _in_list("lower(stage)", OUTCOME_WORDS["won"])
        lost = _in_list("lower(stage)", OUTCOME_WORDS["lost"])
        self.con.execute(
            f"""UPDATE opportunities SET outcome = CASE
                  WHEN is_won THEN 'won' WHEN {won} THEN 'won'
                  WHEN is_closed AND is_won IS NOT NULL THEN 'lost' WHEN {lost} THEN 'lost' ELSE 'open' END
                WHERE outcome IS NULL"""
        )
        self.con.execute(
            "UPDATE opportunities SET is_won = coalesce(is_won, outcome = 'won'), "
            "is_closed = coalesce(is_closed, outcome <> 'open')"
        )

    def _derive_lead_status(self) -> None:
        status = "lower(status)"
        self.con.execute(
            f"""UPDATE leads SET status_class = CASE
                  WHEN converted_at IS NOT NULL OR {_in_list(status, LEAD_STATUS_WORDS["converted"])} THEN 'converted'
                  WHEN disqualified_at IS NOT NULL OR {_in_list(status, LEAD_STATUS_WORDS["disqualified"])}
                    THEN 'disqualified'
                  WHEN qualified_at IS NOT NULL OR {_in_list(status, LEAD_STATUS_WORDS["qualified"])} THEN 'qualified'
                  ELSE 'open' END
                WHERE status_class IS NULL"""
        )

    def _derive_roles(self) -> None:
        text = "lower(coalesce(title, '') || ' ' || coalesce(department, ''))"
        cases = " ".join(
            f"WHEN {' OR '.join(_word_match(text, word) for word in words)} THEN '{role}'" for role, words in ROLE_WORDS
        )
        self.con.execute(f"UPDATE headcount SET role_class = CASE {cases} ELSE 'other' END WHERE role_class IS NULL")
        self.con.execute("UPDATE headcount SET fte = 1.0 WHERE fte IS NULL")

    def _derive_spend_classes(self) -> None:
        text = "lower(coalesce(department, '') || ' ' || coalesce(account, ''))"
        people = " OR ".join(f"{text} LIKE '%{word}%'" for word in PEOPLE_COST_WORDS)
        self.con.execute(
            f"""UPDATE spend SET
                  function = coalesce(function, CASE WHEN {text} LIKE '%marketing%' THEN 'marketing'
                                                     WHEN {text} LIKE '%sales%' THEN 'sales' ELSE 'other' END),
                  category = coalesce(category, CASE WHEN {people} THEN 'people' ELSE 'programs' END),
                  purpose = CASE WHEN lower(purpose) LIKE 'win%back' THEN 'win_back' ELSE lower(purpose) END"""
        )

    # ---- what a person sees --------------------------------------------------------------------------
    def inspect(self) -> list[dict]:
        return [
            {
                "file": f.name,
                "kind": f.kind,
                "rows_read": f.raw.rows_read,
                "rows_loaded": f.raw.rows_loaded - f.rows_rejected_typing if f.kind else f.raw.rows_loaded,
                "rows_rejected": len(f.raw.rejected) + (f.rows_rejected_typing if f.kind else 0),
                "mapping": dict(f.mapping.fields),
                "confidence": dict(f.mapping.confidence),
                "problems": [problem.__dict__ for problem in f.problems],
            }
            for f in self.files
        ]

    def rejected_rows(self, file_id: str) -> pd.DataFrame:
        loaded = self.file(file_id)
        rows = [{"line": r.line, "reason": r.reason, "content": r.content} for r in loaded.raw.rejected]
        if loaded.kind and loaded.rows_rejected_typing:
            required = [f for f in TABLE_KINDS[loaded.kind].fields if f.required]
            expressions = self._expressions(loaded)
            condition = " OR ".join(f"({expressions[f.name]}) IS NULL" for f in required)
            missing = ", ".join(f.label for f in required)
            for (line,) in self.con.execute(
                f"SELECT _line FROM {types.quote(loaded.raw.table)} WHERE {condition} ORDER BY _line"
            ).fetchall():
                rows.append({"line": line, "reason": f"no {missing}", "content": ""})
        return pd.DataFrame(rows, columns=["line", "reason", "content"])

    def _problems(self, loaded: LoadedFile) -> list[Problem]:
        problems = [Problem("info", note) for note in loaded.raw.notes]
        if loaded.raw.rejected:
            reasons = pd.Series([r.reason for r in loaded.raw.rejected]).value_counts()
            for reason, count in reasons.items():
                problems.append(
                    Problem(
                        "info", f"{count} row(s) not loaded: {reason}.", "Download the rejected rows to check them."
                    )
                )
        if loaded.kind is None:
            problems.append(Problem("error", "We could not tell what this file holds.", "Choose its kind."))
            return problems
        kind = TABLE_KINDS[loaded.kind]
        for spec in kind.fields:
            if spec.required and spec.name not in loaded.mapping.fields:
                problems.append(
                    Problem("error", f"No column is mapped to {spec.label}.", "Pick the column that holds it.")
                )
        if loaded.rows_rejected_typing:
            problems.append(
                Problem(
                    "warning",
                    f"{loaded.rows_rejected_typing} row(s) have no {', '.join(f.label for f in kind.fields if f.required)}"
                    " and were not loaded.",
                    "Fill them in the source system or check the column mapping.",
                )
            )
        problems.extend(self._unparseable(loaded))
        for column in loaded.date_orders:
            _, ambiguous = types.date_order(self.con, loaded.raw.table, column)
            if ambiguous:
                problems.append(
                    Problem(
                        "warning",
                        f"Dates in '{column}' could be month-first or day-first; we read them as month-first.",
                        "If that is wrong, correct the export's date format.",
                        column,
                    )
                )
        return problems

    def _unparseable(self, loaded: LoadedFile) -> list[Problem]:
        """One pass over the raw table: per typed field, the values that did not parse (left empty)."""
        expressions = self._expressions(loaded)
        typed = [
            (spec, loaded.mapping.fields[spec.name])
            for spec in TABLE_KINDS[loaded.kind].fields
            if spec.name in loaded.mapping.fields and spec.type != "VARCHAR"
        ]
        if not typed:
            return []
        checks = ", ".join(
            f"count(*) FILTER (WHERE {types.cleaned(column)} IS NOT NULL AND ({expressions[spec.name]}) IS NULL), "
            f"list(DISTINCT {types.quote(column)}) FILTER "
            f"(WHERE {types.cleaned(column)} IS NOT NULL AND ({expressions[spec.name]}) IS NULL)[1:3]"
            for spec, column in typed
        )
        counts = self.con.execute(f"SELECT {checks} FROM {types.quote(loaded.raw.table)}").fetchall()[0]
        problems = []
        for index, (spec, column) in enumerate(typed):
            bad, examples = counts[2 * index], counts[2 * index + 1]
            if bad:
                shown = ", ".join(repr(v) for v in examples or [])
                problems.append(
                    Problem(
                        "warning",
                        f"{bad} value(s) in '{column}' are not a valid {spec.type.lower()} (e.g. {shown}); "
                        "they are left empty.",
                        "Check the column mapping, or fix the values at the source.",
                        column,
                    )
                )
        return problems


def _in_list(expression: str, words) -> str:
    return f"{expression} IN ({', '.join(types.sql_literal(word) for word in words)})"


def _word_match(text: str, word: str) -> str:
    pattern = types.sql_literal(r"\b" + word + r"\b")
    return f"regexp_matches({text}, {pattern})"


def load_paths(con: duckdb.DuckDBPyConnection, paths: list[str | Path]) -> Workspace:
    """A workspace with every supported file under the given files or folders (folders read recursively)."""
    ws = Workspace(con)
    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    blobs = {str(p.name): p.read_bytes() for p in files if p.suffix.lower() in SUPPORTED}
    ws.restore(blobs, {})
    return ws


__all__ = ["LoadedFile", "Problem", "Workspace", "load_paths", "normalise_header"]
