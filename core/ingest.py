"""A session's workspace: the files it loaded, what each holds, and the canonical tables built from them.

The workspace keeps the files and the person's decisions and runs the import pipeline's stages over them (see
core.imports: read → profile → recognise in `add` / `_load_all`, plan → load → check in `_insert`). A large
file's raw table is dropped once loaded and read again from the kept bytes when a decision needs it. Every user
decision (kind, mapping, value maps, parse and read options) is kept in a small dict so a session can be rebuilt
from the uploaded bytes, and a correction also under the file's header signature, for the next upload of the
same export.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from core import fx
from core.imports import build, check, load, quality
from core.imports.casting import ParseOptions, TypedColumn, quote, sql_literal
from core.imports.mapping import (
    EVERY_ROW,
    VALUE_FIELDS,
    Mapping,
    propose_mapping,
    propose_mappings,
)
from core.imports.mapping_file import MAPPINGS_FORMAT, MAPPINGS_VERSION, parse_mapping_file
from core.imports.plan import (
    LoadPlan,
    decide,
    field_typing,
    file_parse,
    filler,
    key_columns,
    key_sql,
    required_sql,
    row_key,
    unsupplied,
)
from core.imports.profile import TableProfile, profile_table
from core.imports.quality import Problem
from core.imports.reading import FileBytes, RawTable, ReadError, ReadOptions, read_upload
from core.imports.reshape import Reshape, apply_reshape, find_nps_series, find_wide
from core.schema import CLASSES, TABLE_KINDS, stored_table

MODES = ("auto", "new", "replace", "append")
SUPPORTED_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".parquet", ".zip"}
RELEASE_RAW_ROWS = 50_000  # a file with this many rows keeps no raw text table once loaded (read again on demand)
AUTO = "auto"  # a file's reshape when no decision names one: what `find_wide` / `find_nps_series` find
NPS_SERIES_FIELDS = {  # the role of each column an NPS-series reshape made → the nps field it is
    "period": "responded_at",
    "respondent": "respondent_id",
    "score": "score",
    "nps": "period_nps",
    "responses": "responses",
}


@dataclass
class LoadedFile:
    file_id: str
    raw: RawTable
    data: bytes
    read_options: ReadOptions
    mapping: Mapping
    parse: ParseOptions = field(default_factory=ParseOptions)
    value_overrides: dict[str, dict[str, str | None]] = field(default_factory=dict)  # the user's value maps
    value_maps: dict[str, dict[str, str | None]] = field(default_factory=dict)  # in effect: defaults + overrides
    rows_missing_required: int = 0
    missing_reasons: dict[str, int] = field(default_factory=dict)
    file_problems: list[Problem] = field(default_factory=list)  # about this file alone
    join_problems: list[Problem] = field(default_factory=list)  # keys of its table that do not join others
    currency_problems: list[Problem] = field(default_factory=list)  # how its table's amounts were converted
    typed: dict[str, TypedColumn] = field(default_factory=dict)  # per canonical field, decided once
    upload: str = ""  # the name the bytes were uploaded under (a zip's name for its members)
    raw_in_db: bool = True  # False once the raw text table is released (see Workspace._release_raw)
    first_rows: pd.DataFrame | None = None  # its preview as of its last load, so a released file is not read again
    key_rows: dict[str, dict[str, int]] = field(default_factory=dict)  # per value map: loaded rows of each value
    profile: TableProfile | None = None  # its sampled columns, the evidence its kind and mapping were chosen by
    proposals: dict = field(default_factory=dict)  # (profile, kind) -> what recognition proposes, for the Data page
    totals: dict = field(default_factory=dict)  # money sums and date ranges of its loaded rows (see `_totals`)
    correction_from: str | None = None  # the file whose earlier correction was applied to this one on loading
    reshape: Reshape | None = None  # the reshape its raw table came from (see core.imports.reshape), if applied
    reshape_found: Reshape | None = None  # the reshape its source table allows, applied or undone by the person
    source_columns: list[str] = field(default_factory=list)  # the source's headers (before any reshape)
    signature: str = ""  # names the source's header layout (see core.imports.reading.header_signature)

    @property
    def name(self) -> str:
        return self.raw.source

    @property
    def kind(self) -> str | None:
        return self.mapping.kind

    @property
    def problems(self) -> list[Problem]:
        return self.file_problems + self.join_problems + self.currency_problems

    @property
    def rows_read(self) -> int:
        return self.raw.rows_read

    @property
    def rows_rejected(self) -> int:
        return len(self.raw.rejected) + (self.rows_missing_required if self.kind else 0)

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_rejected


def headers_and_lines(one: LoadedFile, other: LoadedFile) -> bool:
    """Two orders files of which one holds the orders (no amount, quantity or price) and the other their lines:
    both belong in the table, the lines completed from the orders (see build.complete_lines_from_headers)."""
    priced = [bool(set(f.mapping.fields) & set(build.PRICED)) for f in (one, other)]
    return one.kind == other.kind == "orders" and priced[0] != priced[1]


def append_problem(existing: LoadedFile, new: LoadedFile) -> str | None:
    """Why `new` cannot be appended to `existing` (their mapped fields differ), or None when it can."""
    differ = sorted(set(existing.mapping.fields) ^ set(new.mapping.fields))
    if not differ:
        return None
    labels = ", ".join(TABLE_KINDS[new.kind].field(f).label for f in differ)
    return (
        f"cannot append to {existing.name}: these fields are mapped in one file but not the other: {labels}. "
        "Fix the mapping so both files map the same fields, keep it as a separate file, or export the same columns."
    )


class Workspace:
    """The files of one session and the canonical tables built from them in its DuckDB connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, base_rates: fx.Rates | None = None):
        self.con = con
        self.base_rates = base_rates or fx.bundled_rates()  # the bundled rates unless a test gives others
        self.files: list[LoadedFile] = []
        self.data_version = 0
        self.saved_mappings: dict[str, dict] = {}  # header signature -> mapping file content
        self.failures: dict[str, str] = {}  # file name -> why it could not be read (restore, load_paths)
        self.reporting_currency = "USD"  # money fields are converted into it (the company profile's currency)
        self.user_rates = fx.Rates()  # the person's own rates file, over the bundled rates
        self.conversions: dict[str, list[fx.Conversion]] = {}  # per canonical table: what was converted
        self.merged: dict[str, build.RowsMerged] = {}  # per canonical table: rows that were parts of others
        self._ids = itertools.count(1)

    def close(self) -> None:
        """The session's end: its connection closed and its files (the uploads' bytes among them) let go at once,
        whatever still refers to the workspace until the session itself is dropped."""
        self.con.close()
        self.files.clear()

    # ---- changing what is loaded -------------------------------------------------------------------------
    def add(self, name: str, data: bytes, options: ReadOptions | None = None, mode: str = "auto") -> list[LoadedFile]:
        """Read an upload (each table in it becomes a file) and map it.

        When a file of the same kind is already loaded: "replace" removes it, "append" adds these rows to its
        table after checking the same fields are mapped, "new" keeps both. "auto" replaces only a file of the
        same name (an upload repeated) and otherwise keeps both."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        options = options or ReadOptions()
        reads = [(name, raw, data, options) for raw in self._read(name, data, options, keep_body=True)]
        return self._add_reads(reads, mode)

    def add_all(self, uploads: list[tuple[str, bytes]]) -> tuple[list[LoadedFile], dict[str, str]]:
        """Uploads dropped together, read each and recognised as one decision (the links between them are
        evidence, as for the tables of one zip), each replacing an earlier upload of its name. Returns the files
        loaded and, by upload name, why an upload could not be read (the others load all the same)."""
        reads, refused = [], {}
        for name, data in uploads:
            try:
                reads += [
                    (name, raw, data, ReadOptions()) for raw in self._read(name, data, ReadOptions(), keep_body=True)
                ]
            except ReadError as error:
                refused[name] = str(error)
        return (self._add_reads(reads, "auto") if reads else []), refused

    def _add_reads(self, reads: list[tuple[str, RawTable, bytes, ReadOptions]], mode: str) -> list[LoadedFile]:
        loaded = self._load_all(reads)
        if mode == "append":
            self._check_append(reads[0][0], loaded)
        gone = [f for f in self.files if f.name in {new.name for new in loaded}]
        if mode == "replace":
            kinds = {new.kind for new in loaded if new.kind}
            gone += [f for f in self.files if f.kind in kinds and f not in gone]
        for old in gone:
            self._drop(old)
        self.files += loaded
        self._rebuild({f.kind for f in gone + loaded})
        return loaded

    def _load_all(
        self, reads: list[tuple[str, RawTable, bytes, ReadOptions]], own: dict | None = None
    ) -> list[LoadedFile]:
        """Reshape (see `_reshaped`), profile and recognise the tables read together as one upload (their links
        to each other and to the tables already loaded are evidence too), then apply any mapping saved for the
        same headers. `own`: decisions by file or upload name (a restore), whose reshape comes first."""
        shaped = []
        for upload, source, _, _ in reads:
            saved = (own or {}).get(source.source, (own or {}).get(upload)) or {}
            if "reshape" not in saved:
                saved = self.saved_mappings.get(source.signature, {})
            shaped.append((source, *self._reshaped(source, _saved_reshape(saved))))
        raws = [raw for _, raw, _, _ in shaped]
        profiles = [profile_table(self.con, raw) for raw in raws]
        mappings = propose_mappings(self.con, raws, profiles, {f.kind for f in self.files if f.kind})
        loaded = []
        for (upload, _, data, options), (source, raw, reshape, found), profile, mapping in zip(
            reads, shaped, profiles, mappings, strict=True
        ):
            mapping = _reshape_mapping(mapping, reshape)
            new = LoadedFile(f"f{next(self._ids)}", raw, data, options, mapping, upload=upload, profile=profile)
            new.reshape, new.reshape_found = reshape, found
            new.source_columns, new.signature = list(source.columns), source.signature
            saved = self.saved_mappings.get(new.signature)
            if saved:
                self._apply_saved(new, saved)
            loaded.append(new)
        return loaded

    def _reshaped(
        self, raw: RawTable, choice: Reshape | str | None = AUTO
    ) -> tuple[RawTable, Reshape | None, Reshape | None]:
        """(the raw table to load, the reshape applied, the reshape the table allows). `choice`: AUTO applies
        what `find_wide` / `find_nps_series` find, a Reshape replays it (a saved decision; the one found instead
        when it is the same shape, so its counts are this table's), None applies none (the person undid it). A
        table whose body waits in a file is never reshaped. The source table is dropped once reshaped."""
        if raw.body is not None:
            return raw, None, None
        found = find_wide(self.con, raw) or find_nps_series(self.con, raw)
        wanted = found if choice == AUTO or (found and _same_shape(found, choice)) else choice
        if wanted is None:
            return raw, None, found
        try:
            reshaped = apply_reshape(self.con, raw, wanted)
        except (duckdb.Error, KeyError, ValueError, IndexError, AttributeError):
            return raw, None, found  # a saved reshape that does not fit this table (its columns changed)
        self.con.execute(f"DROP TABLE IF EXISTS {quote(raw.table)}")
        return reshaped, wanted, found or wanted

    def _read_source(self, loaded: LoadedFile, options: ReadOptions | None = None) -> RawTable:
        """The file's source table read again from its bytes (the other tables of its upload dropped)."""
        raws = self._read(loaded.upload, loaded.data, options or loaded.read_options)
        raw = next((r for r in raws if r.source == loaded.name), raws[0])
        for extra in raws:
            if extra is not raw:
                self.con.execute(f"DROP TABLE IF EXISTS {quote(extra.table)}")
        return raw

    def _recognised(self, loaded: LoadedFile, kind: str | None = None) -> Mapping:
        """The kind (or the one given) and mapping recognised for the file's raw table, completed by its reshape."""
        if kind is None:
            others = {f.kind for f in self.files if f.kind and f is not loaded}
            mapping = propose_mappings(self.con, [loaded.raw], [self._profile(loaded)], others)[0]
        else:
            mapping = propose_mapping(self.con, loaded.raw, kind, self._profile(loaded))
        return _reshape_mapping(mapping, loaded.reshape, kind)

    def _proposed(self, loaded: LoadedFile) -> Mapping:
        """What recognition proposes for the file's kind, kept per profile: the Data page asks on every run."""
        key = (id(self._profile(loaded)), loaded.kind, loaded.reshape is not None)
        if key not in loaded.proposals:
            loaded.proposals = {key: self._recognised(loaded, loaded.kind)}
        return loaded.proposals[key]

    def _profile(self, loaded: LoadedFile) -> TableProfile:
        """The file's profile, made again from its (re-read) rows when a reread dropped it."""
        if loaded.profile is None:
            self._sample_table(loaded)
            loaded.profile = profile_table(self.con, loaded.raw)
        return loaded.profile

    def _check_append(self, name: str, loaded: list[LoadedFile]) -> None:
        for new in loaded:
            existing = next((f for f in self.files if f.kind == new.kind and f.name != new.name), None)
            if existing is None:
                continue
            problem = append_problem(existing, new)
            if problem:
                for item in loaded:
                    self._drop_raw(item)
                raise ReadError(f"{name}: {problem}")

    def _drop(self, loaded: LoadedFile) -> None:
        self.files.remove(loaded)
        self._drop_raw(loaded)

    def _drop_raw(self, loaded: LoadedFile) -> None:
        """Drop the file's raw table if it holds one (a released table's name may belong to another file now),
        and its kept body."""
        if loaded.raw_in_db:
            self.con.execute(f"DROP TABLE IF EXISTS {quote(loaded.raw.table)}")
            loaded.raw_in_db = False
        if loaded.raw.body:
            loaded.raw.body.release()
            loaded.raw.body = None

    def _tmp_dir(self) -> str | None:
        """The session's own folder for temp files: its connection's spill folder, when that exists."""
        folder = self.con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
        return folder if folder and os.path.isdir(folder) else None

    def _read(
        self, name: str, data: bytes, options: ReadOptions, *, keep_body: bool = False, origin: str | None = None
    ) -> list[RawTable]:
        return read_upload(self.con, name, data, options, tmp_dir=self._tmp_dir(), keep_body=keep_body, origin=origin)

    def _sample_table(self, loaded: LoadedFile) -> str:
        """The table a file's mapping and typing are decided from: its first rows while its body waits in a file
        (see `_stage`), else its whole raw table."""
        return loaded.raw.table if loaded.raw.body else self._raw_table(loaded)

    def _raw_table(self, loaded: LoadedFile) -> str:
        """The file's raw text table, read again from its bytes (with the same reading options, so the same
        columns and lines) when it was released after loading. A file whose body waits in a file is read whole
        again, exactly (the Python reader takes any row DuckDB's parser does not), replacing its head."""
        if loaded.raw.body or not loaded.raw_in_db:
            head_only = loaded.raw.body is not None
            self._drop_raw(loaded)
            again = self._read_source(loaded)
            if loaded.reshape:  # the same reshape again, so the same columns and rows
                again, _, _ = self._reshaped(again, loaded.reshape)
            if head_only:
                loaded.raw = again  # the whole file's counts replace the head's
            else:
                loaded.raw.table = again.table
            loaded.raw_in_db = True
        return loaded.raw.table

    def _release_raw(self, loaded: LoadedFile) -> None:
        """Drop a large file's raw text table once its rows are typed into the staged table: it is as large as
        the file, and only a change of the file's kind, mapping or options needs it again. Workbooks keep theirs
        (reading one again is slow)."""
        if loaded.raw.rows_read >= RELEASE_RAW_ROWS and loaded.raw.encoding != "xlsx":
            self._drop_raw(loaded)

    def remove(self, *file_ids: str) -> None:
        """Remove files and their rows; the tables they fed are rebuilt once, however many files go."""
        gone = [self.file(file_id) for file_id in file_ids]
        if not gone:
            return
        for loaded in gone:
            self._drop(loaded)
        self._rebuild({loaded.kind for loaded in gone})

    def clear(self) -> None:
        """Remove every file and its rows at once (the tables across files are checked once, not per file)."""
        kinds = {loaded.kind for loaded in self.files}
        for loaded in list(self.files):
            self._drop(loaded)
        self._rebuild(kinds)

    def file(self, file_id: str) -> LoadedFile:
        found = next((f for f in self.files if f.file_id == file_id), None)
        if found is None:
            raise KeyError(f"no loaded file with id {file_id!r}")
        return found

    def set_kind(self, file_id: str, kind: str | None) -> None:
        if kind is not None and kind not in TABLE_KINDS:
            raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(TABLE_KINDS)}")
        loaded = self.file(file_id)
        before = loaded.kind
        loaded.mapping = self._recognised(loaded, kind) if kind else Mapping(None)
        loaded.value_overrides, loaded.typed = {}, {}
        self._rebuild({before, kind})
        self._remember_correction(loaded)

    def set_reshape(self, file_id: str, on: bool) -> None:
        """Load the file reshaped (its wide columns unpivoted, its NPS series made rows) or as it is: the file is
        read again from its bytes, then recognised and mapped afresh."""
        loaded = self.file(file_id)
        offer = loaded.reshape or loaded.reshape_found
        if on and offer is None:
            raise ValueError(f"{loaded.name}: there is no reshape to apply to it")
        before = loaded.kind
        self._reshape_file(loaded, offer if on else None)
        self._rebuild({before, loaded.kind})
        self._remember_correction(loaded)

    def _reshape_file(self, loaded: LoadedFile, choice: Reshape | None) -> None:
        """Read the file's source again and load it reshaped by `choice` (None: as it is), recognised afresh."""
        source = self._read_source(loaded)
        self._drop_raw(loaded)
        loaded.raw, loaded.reshape, loaded.reshape_found = self._reshaped(source, choice)
        loaded.source_columns, loaded.signature = list(source.columns), source.signature
        loaded.raw_in_db, loaded.profile = True, None
        loaded.value_overrides, loaded.typed = {}, {}
        loaded.mapping = self._recognised(loaded)

    def set_constant(self, file_id: str, name: str, value: str | None) -> None:
        """Give every row of the file the value `value` in field `name` (None: take that back, so the field is
        read from the columns again, or stays empty)."""
        loaded = self.file(file_id)
        if loaded.kind is None or name not in TABLE_KINDS[loaded.kind].field_names:
            raise ValueError(f"{loaded.name}: {loaded.kind or 'a file of no kind'} has no field {name!r}")
        if value is not None and name in CLASSES and value not in CLASSES[name]:
            raise ValueError(f"{name} must be one of {', '.join(CLASSES[name])}, not {value!r}")
        if value is None:
            loaded.mapping.constants.pop(name, None)
        else:
            loaded.mapping.constants[name] = value
        loaded.typed = {}
        self._rebuild({loaded.kind})
        self._remember_correction(loaded)

    def set_surrogate(self, file_id: str, name: str | None) -> None:
        """Give each row a made-up id (from its content) in the required id field `name`; None takes it back."""
        loaded = self.file(file_id)
        if name is not None:
            spec = TABLE_KINDS[loaded.kind] if loaded.kind else None
            if spec is None or name not in spec.field_names or spec.field(name).role != "id":
                raise ValueError(f"{loaded.name}: {loaded.kind or 'a file of no kind'} has no id field {name!r}")
            if name in loaded.mapping.fields:
                raise ValueError(f"{loaded.name}: {name} is mapped to a column already")
        loaded.mapping.surrogate = name
        loaded.typed = {}
        self._rebuild({loaded.kind})
        self._remember_correction(loaded)

    def reshape_options(self, file_id: str) -> list[dict]:
        """What the import made up or reshaped for the file, each as a sentence with whether it is in effect, so
        the person can undo or redo it: the table's reshape ("table"), the made-up id ("surrogate") and each
        constant ("constant:<field>"). Those undone are the ones recognition proposes for the file's kind."""
        loaded = self.file(file_id)
        options = []
        shape = loaded.reshape or loaded.reshape_found
        if shape is not None:
            options.append({"key": "table", "sentence": shape.description, "on": loaded.reshape is not None})
        if loaded.kind is None:
            return options
        proposed = self._proposed(loaded) if loaded.raw_in_db or loaded.profile else Mapping(None)
        surrogate = loaded.mapping.surrogate or proposed.surrogate
        if surrogate and surrogate not in loaded.mapping.fields:
            sentence = reshapes(Mapping(loaded.kind, surrogate=surrogate))[0]
            options.append(
                {
                    "key": "surrogate",
                    "field": surrogate,
                    "sentence": sentence,
                    "on": surrogate == loaded.mapping.surrogate,
                }
            )
        constants = {**proposed.constants, **loaded.mapping.constants}
        for name, value in constants.items():
            if name in loaded.mapping.fields:
                continue
            sentence = reshapes(Mapping(loaded.kind, constants={name: value}))[0]
            on = loaded.mapping.constants.get(name) == value
            options.append({"key": f"constant:{name}", "field": name, "value": value, "sentence": sentence, "on": on})
        return options

    def set_mapping(self, file_id: str, fields: dict[str, str | None]) -> None:
        """Map canonical fields to source columns (None unmaps); the person's choice gets confidence 1.0."""
        loaded = self.file(file_id)
        if loaded.kind is None:
            raise ValueError(f"{loaded.name}: choose what the file holds before mapping its columns")
        spec = TABLE_KINDS[loaded.kind]
        proposed = dict(loaded.mapping.fields)
        for canonical, column in fields.items():
            if canonical not in spec.field_names:
                raise ValueError(f"{spec.label} has no field {canonical!r}")
            if column is not None and column not in loaded.raw.columns:
                raise ValueError(f"{loaded.name} has no column {column!r}")
            if column is None:
                proposed.pop(canonical, None)
            else:
                proposed[canonical] = column
        ids = [column for canonical, column in proposed.items() if spec.field(canonical).role == "id"]
        repeated = sorted({column for column in ids if ids.count(column) > 1})
        if repeated:
            raise ValueError(f"{loaded.name}: column {repeated[0]!r} cannot be two different ids; map it once")
        for canonical, column in proposed.items():
            if loaded.mapping.fields.get(canonical) != column:
                loaded.mapping.confidence[canonical] = 1.0
                loaded.mapping.reasons[canonical] = "chosen by you"
                loaded.typed.pop(canonical, None)
        loaded.mapping.fields = proposed
        loaded.mapping.confidence = {k: v for k, v in loaded.mapping.confidence.items() if k in proposed}
        loaded.mapping.reasons = {k: v for k, v in loaded.mapping.reasons.items() if k in proposed}
        self._rebuild({loaded.kind})
        self._remember_correction(loaded)

    def set_value_map(self, file_id: str, derived: str, classes: dict[str, str | None]) -> None:
        """Say which class source values belong to, e.g. {"Signed": "won"} for the opportunity outcome."""
        loaded = self.file(file_id)
        if derived not in VALUE_FIELDS.get(loaded.kind, {}):
            raise ValueError(f"{loaded.name}: {derived!r} has no value map for {loaded.kind or 'an unknown kind'}")
        wrong = sorted({c for c in classes.values() if c is not None and c not in CLASSES[derived]})
        if wrong:
            raise ValueError(f"{derived} must be one of {', '.join(CLASSES[derived])}, not {', '.join(wrong)}")
        loaded.value_overrides.setdefault(derived, {}).update(classes)
        self._rebuild({loaded.kind})
        self._remember_correction(loaded)

    def set_parse_options(self, file_id: str, options: ParseOptions) -> None:
        loaded = self.file(file_id)
        loaded.parse, loaded.typed = options, {}
        self._rebuild({loaded.kind})
        self._remember_correction(loaded)

    def reread(self, file_id: str, options: ReadOptions) -> LoadedFile:
        """Read the same bytes again with other options (encoding, delimiter, header line)."""
        loaded = self.file(file_id)
        source = self._read_source(loaded, options)
        self._drop_raw(loaded)
        before = loaded.kind
        undone = loaded.reshape is None and loaded.reshape_found is not None
        raw, loaded.reshape, loaded.reshape_found = self._reshaped(source, None if undone else AUTO)
        kept = {k: v for k, v in loaded.mapping.fields.items() if v in raw.columns}
        loaded.raw, loaded.read_options, loaded.typed, loaded.raw_in_db = raw, options, {}, True
        loaded.source_columns, loaded.signature, loaded.profile = list(source.columns), source.signature, None
        loaded.mapping = self._recognised(loaded, before) if before else self._recognised(loaded)
        if before and kept:
            loaded.mapping.fields.update(kept)
        self._rebuild({before, loaded.kind})
        return loaded

    def set_currency(self, reporting: str | None = None, user_rates: fx.Rates | None = None) -> None:
        """Change the reporting currency or the person's own rates; the tables with money are built again."""
        changed = (reporting or self.reporting_currency) != self.reporting_currency or (
            user_rates is not None and user_rates != self.user_rates
        )
        self.reporting_currency = reporting or self.reporting_currency
        self.user_rates = self.user_rates if user_rates is None else user_rates
        if changed:
            self._rebuild({f.kind for f in self.files} & set(fx.MONEY_FIELDS))

    # ---- saving and restoring decisions ------------------------------------------------------------------
    def _decision_of(self, loaded: LoadedFile) -> dict:
        """The file's kind, mapping, value maps and parse options under its header signature: what a mapping
        file holds for it, and what a later upload with the same headers gets."""
        return {
            "signature": loaded.signature,
            "file": loaded.name,
            "headers": loaded.source_columns or loaded.raw.columns,
            "kind": loaded.kind,
            "reshape": asdict(loaded.reshape) if loaded.reshape else None,
            "mapping": dict(loaded.mapping.fields),
            "constants": dict(loaded.mapping.constants),
            "surrogate": loaded.mapping.surrogate,
            "value_maps": copy.deepcopy(loaded.value_overrides),
            "parse_options": asdict(loaded.parse),
        }

    def _remember_correction(self, loaded: LoadedFile) -> None:
        """Keep the person's decision under the file's header signature, so that the next upload of the same
        export in this session gets it at once (see `_load_all`)."""
        self.saved_mappings[loaded.signature] = self._decision_of(loaded)

    def mapping_file(self, file_id: str) -> str:
        """JSON of one file's decisions, to download and upload again so the next export with the same headers
        needs no edits."""
        return json.dumps(self._decision_of(self.file(file_id)), indent=2)

    def mappings_file(self) -> str:
        """JSON of every file's decisions by header signature (and those remembered from earlier corrections),
        with its format version: one download that sets up the next session, or `python -m core --mapping`."""
        decisions = {**self.saved_mappings, **{f.signature: self._decision_of(f) for f in self.files}}
        return json.dumps({"format": MAPPINGS_FORMAT, "version": MAPPINGS_VERSION, "files": decisions}, indent=2)

    def apply_mapping_file(self, text: str) -> int:
        """Remember the decisions of a mapping file (one file's or every file's) and apply them to the loaded
        files with the same headers; returns how many. A malformed file raises ReadError and changes nothing."""
        saved = parse_mapping_file(text)
        self.saved_mappings.update(saved)
        matched = [f for f in self.files if f.signature in saved]
        kinds = {f.kind for f in matched}
        for loaded in matched:
            self._apply_saved(loaded, saved[loaded.signature])
        self._rebuild(kinds | {f.kind for f in matched})
        return len(matched)

    def _apply_saved(self, loaded: LoadedFile, saved: dict) -> None:
        """Apply a decision (a saved mapping, or a restored file's own): each part it holds. A kind without a
        mapping keeps the file's mapping when it holds that kind already, else takes the one proposed for it. A
        reshape other than the file's is applied first, as the mapping names the reshaped table's columns."""
        if "reshape" in saved:
            wanted = _saved_reshape(saved)
            if (wanted is None) != (loaded.reshape is None) or (wanted and not _same_shape(loaded.reshape, wanted)):
                self._reshape_file(loaded, wanted)
        if "kind" in saved and ("mapping" in saved or saved["kind"] != loaded.kind):
            self._apply_kind(loaded, saved["kind"], saved)
        if "value_maps" in saved:
            loaded.value_overrides = {k: dict(v) for k, v in saved["value_maps"].items()}
        if "parse_options" in saved:
            loaded.parse = ParseOptions(**saved["parse_options"])
        loaded.typed = {}
        if "file" in saved:
            loaded.correction_from = saved["file"]

    def _apply_kind(self, loaded: LoadedFile, kind: str | None, saved: dict) -> None:
        """Set the file's kind with the saved mapping (its columns that exist) and reshapes, or the proposed ones
        when it saves none."""
        if kind != loaded.kind:
            loaded.value_overrides = {}  # value maps of another kind mean nothing for this one
        loaded.mapping = Mapping(None)
        if kind:
            loaded.mapping = self._recognised(loaded, kind)
        if kind and saved.get("mapping") is not None:
            proposed = loaded.mapping.fields
            names = TABLE_KINDS[kind].field_names
            chosen = {k: v for k, v in saved["mapping"].items() if k in names and v in loaded.raw.columns}
            loaded.mapping.confidence = {
                k: loaded.mapping.confidence[k] if proposed.get(k) == v else 1.0 for k, v in chosen.items()
            }  # a column the person chose over the proposal is certain
            loaded.mapping.reasons = {
                k: loaded.mapping.reasons[k] if proposed.get(k) == v else "chosen by you" for k, v in chosen.items()
            }
            loaded.mapping.fields = chosen
            if "constants" in saved:  # files saved before reshapes existed keep what recognition proposes
                loaded.mapping.constants = {k: str(v) for k, v in saved["constants"].items() if k in names}
                surrogate = saved.get("surrogate")
                loaded.mapping.surrogate = surrogate if surrogate in names and surrogate not in chosen else None

    def decisions(self) -> dict:
        """Everything the person decided, by file name: small and JSON-serialisable."""
        return {
            f.name: {
                "kind": f.kind,
                "reshape": asdict(f.reshape) if f.reshape else None,
                "mapping": dict(f.mapping.fields),
                "constants": dict(f.mapping.constants),
                "surrogate": f.mapping.surrogate,
                "value_maps": f.value_overrides,
                "parse_options": asdict(f.parse),
                "read_options": asdict(f.read_options),
            }
            for f in self.files
        }

    def restore(self, blobs: dict[str, bytes], decisions: dict, origins: dict[str, str] | None = None) -> None:
        """Rebuild from the uploaded bytes and the person's decisions (after a reconnect or a reset).
        A blob that cannot be read is listed in `failures` with the reason. `origins`: per blob, the file on
        disk holding exactly its bytes, which a large CSV's body is then read from (see `read_upload`)."""
        for loaded in list(self.files):
            self._drop(loaded)
        for kind in TABLE_KINDS:
            self._drop_canonical(kind)
        self.failures, self.conversions, self.merged = {}, {}, {}
        reads = []
        for name, data in blobs.items():
            decision = decisions.get(name, {})
            options = ReadOptions(**decision.get("read_options", {}))
            try:
                raws = self._read(name, data, options, keep_body=True, origin=(origins or {}).get(name))
            except ReadError as error:
                self.failures[name] = str(error)
                continue
            reads += [(name, raw, data, options) for raw in raws]
        for loaded in self._load_all(reads, decisions):  # recognised together: links between the files are evidence
            if own := decisions.get(loaded.name, decisions.get(loaded.upload)):  # a table's, else its upload's
                self._apply_saved(loaded, own)
            self.files.append(loaded)
            if loaded.kind:  # each file goes in at once, so one file's whole raw table is held at a time
                self._insert(loaded, first=sum(f.kind == loaded.kind for f in self.files) == 1)
        for kind in {f.kind for f in self.files if f.kind}:
            self._finish(kind)
        self._check_files()

    def adopt(self, other: Workspace, database_path: str) -> None:
        """Become a copy of `other` on this (new, empty) connection: its tables from the DuckDB file it was saved
        to (`save`), its files and decisions as Python objects (the uploaded bytes are shared, not copied)."""
        if self.files or self.con.execute("SELECT count(*) FROM duckdb_tables() WHERE NOT temporary").fetchone()[0]:
            raise ValueError("adopt needs an empty workspace")
        self._copy_database(database_path, into_file=False)
        self.files = copy.deepcopy(other.files)
        self.data_version = other.data_version
        self.saved_mappings = copy.deepcopy(other.saved_mappings)
        self.failures = dict(other.failures)
        self.reporting_currency, self.user_rates = other.reporting_currency, other.user_rates
        self.base_rates = other.base_rates
        self.conversions = copy.deepcopy(other.conversions)
        self.merged = dict(other.merged)
        self._write_currency_report()  # a TEMP table: not in the copied database
        self._ids = itertools.count(1 + max((int(f.file_id.removeprefix("f")) for f in self.files), default=0))

    def save(self, database_path: str) -> None:
        """Write this workspace's tables to a new DuckDB file, for `adopt`."""
        self._copy_database(database_path, into_file=True)

    def _copy_database(self, database_path: str, *, into_file: bool) -> None:
        """Copy every table between this connection's database and the DuckDB file at `database_path`."""
        ours = quote(self.con.execute("SELECT current_database()").fetchone()[0])
        self.con.execute(f"ATTACH {sql_literal(database_path)} AS saved_workspace{'' if into_file else ' (READ_ONLY)'}")
        try:
            source, target = (ours, "saved_workspace") if into_file else ("saved_workspace", ours)
            self.con.execute(f"COPY FROM DATABASE {source} TO {target}")
        finally:
            self.con.execute("DETACH saved_workspace")

    @classmethod
    def from_blobs(cls, con: duckdb.DuckDBPyConnection, blobs: dict[str, bytes], decisions: dict) -> Workspace:
        workspace = cls(con)
        workspace.restore(blobs, decisions)
        return workspace

    # ---- building the canonical tables -------------------------------------------------------------------
    def rebuild(self) -> None:
        """Create every canonical table of a kind some file holds; drop the others."""
        self._rebuild(set(TABLE_KINDS))

    def _rebuild(self, kinds: set[str | None]) -> None:
        for kind in sorted(k for k in kinds if k):
            self._drop_canonical(kind)
            files = [f for f in self.files if f.kind == kind]
            for position, loaded in enumerate(files):
                self._insert(loaded, first=position == 0)
            self._finish(kind)
        self._check_files()

    def _drop_canonical(self, kind: str) -> None:
        """Remove a kind's canonical view and its stored rows (see core.imports.build) before it is built again."""
        self.con.execute(f"DROP VIEW IF EXISTS {quote(kind)}")
        self.con.execute(f"DROP TABLE IF EXISTS {quote(stored_table(kind))}")

    def _finish(self, kind: str) -> None:
        """What a table needs once all its files are in: rows that are parts of others merged into them (order
        headers into their lines, a deal's product lines into the deal), then money converted."""
        merge = {"orders": build.complete_lines_from_headers, "opportunities": build.one_row_per_deal}.get(kind)
        merged = merge(self.con) if merge and any(f.kind == kind for f in self.files) else None
        if merged:
            self.merged[kind] = merged
        else:
            self.merged.pop(kind, None)
        self._convert(kind)

    def _convert(self, kind: str) -> None:
        """Convert the money of a table just built into the reporting currency (see core.fx); a table whose
        files map no currency column holds amounts in the reporting currency only, so it is not read."""
        files = [f for f in self.files if f.kind == kind]
        if files and any("currency" in f.mapping.fields for f in files):
            self.conversions[kind] = fx.convert_table(self.con, kind, self.reporting_currency, self.rates)
        else:
            self.conversions.pop(kind, None)
        self._write_currency_report()

    def _write_currency_report(self) -> None:
        report = [line for lines in self.conversions.values() for line in lines]
        fx.write_report(self.con, report, self.reporting_currency)

    @property
    def rates(self) -> fx.Rates:
        return self.base_rates.merged(self.user_rates)

    def _check_files(self) -> None:
        """The problems of files of no kind and those across tables, once the canonical tables are built."""
        for loaded in self.files:
            if loaded.kind is None:
                self._raw_table(loaded)  # read whole, so its rows are counted exactly
                loaded.file_problems = check.read_problems(
                    loaded.raw, _reshape_rows(loaded.reshape, None) if loaded.reshape else None, {}
                ) + [check.unrecognised_problem(loaded.name)]
        cross = quality.join_problems(self.con, {f.kind for f in self.files if f.kind})
        for loaded in self.files:
            first_of_kind = next(f for f in self.files if f.kind == loaded.kind)
            loaded.join_problems = [p for p in cross if p.table == loaded.kind] if loaded is first_of_kind else []
            if loaded is first_of_kind and loaded.kind in self.merged:
                loaded.join_problems.append(quality.merged_problem(self.merged[loaded.kind]))
            loaded.currency_problems = self._currency_problems(loaded) if loaded is first_of_kind else []
        self.data_version += 1

    def _currency_problems(self, loaded: LoadedFile) -> list[Problem]:
        mapped = (f.mapping.fields for f in self.files if f.kind == loaded.kind and "currency" in f.mapping.fields)
        column = next(mapped, {}).get("currency", "currency")
        report = self.conversions.get(loaded.kind, [])
        return quality.conversion_problems(loaded.name, column, report, self.reporting_currency)

    def _typed(self, loaded: LoadedFile, canonical: str) -> TypedColumn:
        """How the file's column of a canonical field is read, decided once on its sample table."""
        if canonical not in loaded.typed:
            column = loaded.mapping.fields[canonical]
            table = self._sample_table(loaded)
            reading = file_parse(self.con, table, loaded.kind, loaded.mapping, loaded.parse)  # as the plan reads it
            loaded.typed[canonical] = field_typing(self.con, table, loaded.kind, canonical, column, reading)
        return loaded.typed[canonical]

    def _plan(self, loaded: LoadedFile) -> LoadPlan:
        """The plan stage for a file: decided on its sample table (its head while its body waits in a file)."""
        sample = self._sample_table(loaded)
        columns, parse, overrides = loaded.raw.columns, loaded.parse, loaded.value_overrides
        return decide(self.con, loaded.kind, loaded.mapping, columns, parse, sample, overrides, loaded.typed)

    def _base_expressions(self, loaded: LoadedFile) -> dict[str, str]:
        """Per canonical field, SQL over the raw table giving its typed value (before any derivation)."""
        key = row_key(loaded.raw.columns)
        return {
            spec.name: self._typed(loaded, spec.name).sql
            if spec.name in loaded.mapping.fields
            else filler(loaded.kind, loaded.mapping, spec.name, key)
            for spec in TABLE_KINDS[loaded.kind].fields
        }

    def _loaded_condition(self, loaded: LoadedFile) -> str:
        if unsupplied(loaded.kind, loaded.mapping):
            return "false"
        return required_sql(loaded.kind, self._base_expressions(loaded))[0]

    def _insert(self, loaded: LoadedFile, *, first: bool) -> None:
        """The plan, load, check and build stages of one file: its rows typed once into a staged table (in one
        pass straight from the file when its body waits in one), checked there, then made into (or added to)
        its canonical table. When the one pass did not read the body as the whole-file route would, the whole
        file is read again (the read stage, once more) and planned and staged from that."""
        staged = quote(f"_staged_{loaded.file_id}")
        held = load.stage_body(self.con, self._plan(loaded), loaded.raw.body, staged) if loaded.raw.body else None
        if held:
            plan = held
            typed = {f.name: f.typed for f in plan.mapped}  # the staged rows have no line numbers: the head's
            loaded.first_rows = check.raw_preview(self.con, plan.kind, typed, loaded.raw.table)
            self._drop_raw(loaded)  # the head table and the body file
        else:
            raw = self._raw_table(loaded)
            loaded.typed = {}
            plan = self._plan(loaded)
            load.stage(self.con, plan, quote(raw), staged)
            loaded.first_rows = check.staged_preview(self.con, plan, staged)
        loaded.value_maps = plan.value_maps
        self._release_raw(loaded)  # the staged table holds all the rest needs
        try:
            reshaped = _reshape_rows(loaded.reshape, loaded.kind) if loaded.reshape else None
            report = check.file_report(self.con, plan, staged, loaded.raw, reshaped)
            loaded.missing_reasons, loaded.totals, loaded.key_rows = (
                report.missing_reasons,
                report.totals,
                report.key_counts,
            )
            loaded.rows_missing_required = sum(report.missing_reasons.values())
            loaded.file_problems = report.problems
            build.into_canonical(self.con, plan, staged, first=first)
        finally:
            self.con.execute(f"DROP TABLE IF EXISTS {staged}")

    # ---- what a person sees ------------------------------------------------------------------------------
    def inspect(self) -> list[dict]:
        return [
            {
                "file": f.name,
                "kind": f.kind,
                "rows_read": f.rows_read,
                "rows_loaded": f.rows_loaded,
                "rows_rejected": f.rows_rejected,
                "kind_confidence": f.mapping.kind_confidence,
                "kind_reason": f.mapping.kind_reason,
                "mapping": dict(f.mapping.fields),
                "confidence": dict(f.mapping.confidence),
                "reasons": dict(f.mapping.reasons),
                "reshapes": reshapes(f.mapping),
                "reshape": _reshape_summary(f.reshape),
                "problems": [problem.as_dict() for problem in f.problems],
                "value_maps": {k: dict(v) for k, v in f.value_maps.items()},
                "totals": f.totals if f.kind else {"money": {}, "dates": {}, "rows_loaded": 0},
            }
            for f in self.files
        ]

    def rejected_rows(self, file_id: str) -> pd.DataFrame:
        """Every row not loaded, with its line in the source file, the reason and its content."""
        loaded = self.file(file_id)
        rows = [(r.line, r.reason, r.content) for r in loaded.raw.rejected]
        if loaded.kind and loaded.rows_missing_required:
            unmapped = unsupplied(loaded.kind, loaded.mapping)
            if unmapped:
                reason = sql_literal(f"no column mapped to {', '.join(unmapped)}")
            else:
                reason = required_sql(loaded.kind, self._base_expressions(loaded))[1]
            content = " || ',' || ".join(f"coalesce({quote(c)}, '')" for c in loaded.raw.columns)
            rows += self.con.execute(
                f"SELECT _line, {reason}, {content} FROM {quote(self._raw_table(loaded))} "
                f"WHERE NOT ({self._loaded_condition(loaded)}) ORDER BY _line"
            ).fetchall()
        return quality.rejected_frame(sorted(rows))

    def preview(self, file_id: str, rows: int = check.PREVIEW_ROWS) -> pd.DataFrame:
        """The first rows of a file as they will be loaded: each mapped field typed and cleaned, by its label."""
        loaded = self.file(file_id)
        if loaded.kind is None or not loaded.mapping.fields:
            return pd.DataFrame()
        if not loaded.raw_in_db and loaded.first_rows is not None and rows <= check.PREVIEW_ROWS:
            return loaded.first_rows.head(rows)
        return self._first_rows(loaded, self._raw_table(loaded), rows)

    def _first_rows(self, loaded: LoadedFile, table: str, rows: int = check.PREVIEW_ROWS) -> pd.DataFrame:
        typed = {name: self._typed(loaded, name) for name in loaded.mapping.fields}
        return check.raw_preview(self.con, loaded.kind, typed, table, rows)

    def value_counts(self, file_id: str, derived: str) -> pd.DataFrame:
        """A value map with the rows behind each source value: value, rows, class (most frequent first)."""
        loaded = self.file(file_id)
        column = key_columns(loaded.kind, loaded.mapping).get(derived)
        value_map = loaded.value_maps.get(derived, {})
        if column is None or column == EVERY_ROW:
            return pd.DataFrame(
                {"value": list(value_map), "rows": loaded.rows_loaded, "class": list(value_map.values())}
            )
        counts = loaded.key_rows.get(derived) if not loaded.raw_in_db else None
        if counts is None:
            counts = dict(
                self.con.execute(
                    f"SELECT _value, count(*) FROM (SELECT {key_sql(column, loaded.parse)} AS _value "
                    f"FROM {quote(self._raw_table(loaded))} WHERE {self._loaded_condition(loaded)}) "
                    "WHERE _value IS NOT NULL GROUP BY _value"
                ).fetchall()
            )
        frame = pd.DataFrame(
            {"value": list(value_map), "rows": [counts.get(v, 0) for v in value_map], "class": list(value_map.values())}
        )
        return frame.sort_values(["rows", "value"], ascending=[False, True], ignore_index=True)


def reshapes(mapping: Mapping) -> list[str]:
    """What the recognition made up for fields no column holds, in words (each can be undone on the Data page)."""
    said = []
    if mapping.surrogate:
        label = TABLE_KINDS[mapping.kind].field(mapping.surrogate).label
        said.append(f"No column holds the {label}: each row gets a made-up id from its content.")
    for name, value in mapping.constants.items():
        said.append(f"Every row's {TABLE_KINDS[mapping.kind].field(name).label} is taken as '{value}'.")
    return said


def _reshape_summary(reshape: Reshape | None) -> dict | None:
    if reshape is None:
        return None
    parts = ("name", "variant", "description", "value_columns", "period_columns", "created", "rows_in", "rows_out")
    parts += ("blank_cells", "empty_rows", "total_rows")
    return {part: getattr(reshape, part) for part in parts}


def _reshape_rows(reshape: Reshape, kind: str | None) -> str:
    """The row accounting of a reshape in one sentence: '12 source rows became 108 spend lines'."""
    rows = "row" if reshape.rows_in == 1 else "rows"
    noun = {"nps": "responses" if "score" in reshape.created else "period NPS rows", "spend": "spend lines"}
    sentence = f"{reshape.rows_in:,} source {rows} became {reshape.rows_out:,} {noun.get(kind, 'rows')}"
    unused = reshape.empty_rows + reshape.total_rows  # all blank, or a total of the rows above
    if unused:
        one = unused == 1
        sentence += f"; {unused:,} source {'row' if one else 'rows'} gave none and "
        sentence += f"{'is' if one else 'are'} listed as rejected"
    return sentence + "."


def _saved_reshape(saved: dict) -> Reshape | str | None:
    """The reshape a decision names: AUTO when it names none (saved before reshapes were, or nothing saved)."""
    if "reshape" not in saved:
        return AUTO
    return Reshape(**saved["reshape"]) if saved["reshape"] else None


def _same_shape(found: Reshape, saved: Reshape | str | None) -> bool:
    """Whether a saved reshape is the one found (its counts aside)."""
    if not isinstance(saved, Reshape):
        return False
    parts = ("name", "variant", "id_columns", "value_columns", "period_columns", "created")
    return all(getattr(found, part) == getattr(saved, part) for part in parts)


def _reshape_mapping(mapping: Mapping, reshape: Reshape | None, kind: str | None = None) -> Mapping:
    """The recognised mapping completed by what the reshape knows of the columns it made. An NPS series is an
    nps table whatever its columns look like: its period, responses or period NPS (and counts) are mapped, and a
    bare series, whose rows are periods, not respondents, gets a made-up respondent id. An unpivoted table's
    period and amount are the spend line's when it is read as spend (or as nothing else)."""
    if reshape is None or (kind is not None and kind != ("nps" if reshape.name == "nps_series" else "spend")):
        return mapping
    created = reshape.created
    if reshape.name == "nps_series":
        made = {NPS_SERIES_FIELDS[role]: column for role, column in created.items()}
        kept = {k: v for k, v in mapping.fields.items() if mapping.kind == "nps" and v not in made.values()}
        kept = {k: v for k, v in kept.items() if k not in made}
        what = "promoter, passive and detractor counts" if reshape.variant == "counts" else "an NPS per period"
        result = Mapping(
            "nps",
            {**made, **kept},
            {**{k: 1.0 for k in made}, **{k: mapping.confidence.get(k, 1.0) for k in kept}},
            kind_confidence=1.0,
            reasons={
                **{
                    k: f"made by the reshape from {_quoted(reshape.value_columns)}" for k in made if k != "responded_at"
                },
                **(
                    {"responded_at": f"made by the reshape from {_quoted(reshape.period_columns)}"}
                    if "period" in created
                    else {}
                ),
                **{k: mapping.reasons.get(k, "") for k in kept},
            },
            kind_reason=f"it holds {what} (see the reshape)",
        )
        if "respondent" not in created:
            result.surrogate = "respondent_id"
        return result
    if mapping.kind not in (None, "spend"):
        return mapping
    # a table of channel columns may have no period: the person gives it
    made = {role: created[role] for role in ("period", "amount") if role in created}
    fields = {k: v for k, v in mapping.fields.items() if v not in made.values() and k not in made}
    source = _quoted(reshape.value_columns[:1] + reshape.value_columns[-1:])
    made_from = {"amount": f"made by the reshape from the amounts of {source.replace(' and ', ' … ')}"}
    if "period" in made:
        where = "column headers" if reshape.variant == "periods" else _quoted(reshape.period_columns)
        made_from = {"period": f"made by the reshape from the {where}", **made_from}
    result = Mapping(
        "spend",
        {**made, **fields},
        {**{k: 1.0 for k in made}, **{k: mapping.confidence.get(k, 1.0) for k in fields}},
        kind_confidence=mapping.kind_confidence if mapping.kind == "spend" else 0.6,
        reasons={**made_from, **{k: mapping.reasons.get(k, "") for k in fields}},
        kind_reason=mapping.kind_reason
        if mapping.kind == "spend"
        else f"amounts per {'period' if 'period' in made else 'channel'}, as a budget sheet holds them (see the reshape)",
        constants=dict(mapping.constants),
        surrogate=mapping.surrogate,
    )
    return result


def _quoted(columns: list[str]) -> str:
    quoted = [f"'{column}'" for column in columns]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def load_paths(
    con: duckdb.DuckDBPyConnection,
    paths: list[str | Path],
    *,
    saved: dict[str, dict] | None = None,
    kinds: dict[str, str] | None = None,
    reporting: str = "USD",
    user_rates: fx.Rates | None = None,
) -> Workspace:
    """A workspace with every supported file under the given files or folders (folders read recursively,
    in sorted order). Files that cannot be read are listed in `workspace.failures` with the reason.

    `saved`: decisions by header signature (see `parse_mapping_file`), applied to each file with those headers;
    `kinds`: a kind by file (its name as `inspect` lists it, its basename, or its path), which overrides them.
    Both are applied as each file is loaded, before its table is built. Money is converted into the `reporting`
    currency (with the person's own rates over the bundled ones). Raises ValueError for an unknown kind or
    a file in `kinds` that matches none loaded, naming the choices."""
    kinds = kinds or {}
    unknown = [kind for kind in kinds.values() if kind not in TABLE_KINDS]
    if unknown:
        raise ValueError(f"unknown kind {unknown[0]!r}; choose one of {', '.join(TABLE_KINDS)}")
    workspace = Workspace(con)
    workspace.reporting_currency, workspace.user_rates = reporting, user_rates or fx.Rates()
    workspace.saved_mappings = dict(saved or {})
    blobs, origins = _blobs(paths)
    names = {spec: _loaded_name(spec, origins) for spec in kinds}
    workspace.restore(blobs, {names[spec]: {"kind": kind} for spec, kind in kinds.items()}, origins)
    unmatched = [spec for spec, name in names.items() if not any(name in (f.name, f.upload) for f in workspace.files)]
    if unmatched:
        choices = ", ".join(f.name for f in workspace.files) or "none"
        raise ValueError(f"{unmatched[0]!r} matches no loaded file; the files are: {choices}")
    return workspace


def _blobs(paths: list[str | Path]) -> tuple[dict[str, FileBytes], dict[str, str]]:
    """Each supported file under the paths by the name it is loaded under (its basename, or its path when two
    share one), and the file on disk each came from."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            files.append(path)
    blobs, origins = {}, {}
    for path in files:
        name = path.name if path.name not in blobs else str(path)
        blobs[name], origins[name] = FileBytes.of(path), str(path.resolve())
    return blobs, origins


def _loaded_name(spec: str, origins: dict[str, str]) -> str:
    """The name a file given by `spec` is loaded under: `spec` names it already (an upload, or a table of one as
    `inspect` lists it, `book.xlsx › Sheet1`), or is its basename or its path."""
    if spec in origins:
        return spec
    path = str(Path(spec).resolve())
    return next((name for name, origin in origins.items() if path == origin or spec == Path(origin).name), spec)
