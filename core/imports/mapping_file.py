"""A mapping file: a session's decisions (kind, mapping, reshape, value maps, parse options) by header signature,
downloaded to set up the next session or the CLI. What comes in is checked whole before any of it is used: first
its shape and sizes against a JSON Schema (`SCHEMA`), then each part against the canonical model; a refused file
changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import jsonschema

from core.formatting import shortened
from core.imports.casting import ParseOptions
from core.imports.mapping import VALUE_FIELDS
from core.imports.reading import ReadError, header_signature
from core.imports.reshape import Reshape
from core.schema import CLASSES, TABLE_KINDS

MAPPINGS_FORMAT = "gtm-scorecard-mappings"  # the all-files mapping file (`Workspace.mappings_file`)
MAPPINGS_VERSION = 1


def parse_mapping_file(text: str) -> dict[str, dict]:
    """The decisions of a mapping file by header signature, each checked against the canonical model before any
    is used: one file's (`Workspace.mapping_file`) or every file's (`Workspace.mappings_file`). Raises ReadError
    saying what is wrong."""
    try:
        content = json.loads(text)
        if not isinstance(content, dict):
            raise ValueError("it holds no JSON object")
        if "files" in content and content.get("version") != MAPPINGS_VERSION:
            raise ValueError(f"it is of format version {content.get('version')!r}; this app reads {MAPPINGS_VERSION}")
        _check_shape(content)
        if "files" not in content:
            decision = _checked_decision(content, content.get("signature"))
            return {decision["signature"]: decision}
        return {signature: _checked_decision(entry, signature) for signature, entry in content["files"].items()}
    except ValueError as error:  # a JSONDecodeError is one
        raise ReadError(f"This is not a mapping file saved by this app: {error}. Download it again.") from None


def _check_shape(content: dict) -> None:
    """The file against SCHEMA: a ValueError naming the first part that is not what this app writes (the part,
    never the value found)."""
    problem = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(content))
    if problem is None:
        return
    path = list(problem.absolute_path)
    part = "".join(f"[{step + 1}]" if isinstance(step, int) else f".{step}" for step in path[2:])
    where = f"the entry for {_entry_name(content['files'], path[1])}" if path[:1] == ["files"] and path[1:] else ""
    if not where:
        where = "the file" if "files" in content else f"the entry for {_entry_name({None: content}, None)}"
        part = "".join(f"[{step + 1}]" if isinstance(step, int) else f".{step}" for step in path)
    where += f": its {part.removeprefix('.')}" if part else ""
    expected = problem.validator_value
    what = {
        "type": f"is not {_KINDS.get(str(expected), str(expected))}",
        "maxItems": f"holds more than {expected:,} entries" if isinstance(expected, int) else "holds too many entries",
        "maxProperties": f"holds more than {expected:,} parts" if isinstance(expected, int) else "is too large",
        "maxLength": f"is longer than {expected:,} characters" if isinstance(expected, int) else "is too long",
        "required": "lacks a part this app needs",
    }.get(problem.validator, "is not what this app writes")
    raise ValueError(f"{where} {what}")


def _entry_name(files: dict, key: object) -> str:
    entry = files[key]
    named = entry.get("file") if isinstance(entry, dict) and isinstance(entry.get("file"), str) else None
    signature = entry.get("signature") if isinstance(entry, dict) else None
    return shortened(named or key or signature or "a file", 80)


def _checked_decision(entry: object, signature: object) -> dict:
    """One file's decision, its parts each checked; `signature`: the header signature it is filed under (else
    computed from its headers)."""
    if not isinstance(entry, dict):
        raise ValueError(f"the entry for {signature} is not an object")
    where = f"the entry for {entry.get('file') or signature or 'a file'}"
    headers = entry.get("headers")
    if headers is not None and not _strings(headers):
        raise ValueError(f"{where}: its headers are not a list of column names")
    signature = signature or (header_signature(headers) if headers else None)
    if not isinstance(signature, str):
        raise ValueError(f"{where} has neither a header signature nor headers")
    if "kind" not in entry:
        raise ValueError(f"{where} names no kind (null for a file that is not used)")
    kind = entry["kind"]
    if kind is not None and kind not in TABLE_KINDS:
        raise ValueError(f"{where} has kind {kind!r}, which is none of {', '.join(TABLE_KINDS)}")
    decision = {"signature": signature, "kind": kind}
    decision |= {part: entry[part] for part in ("file", "headers") if entry.get(part) is not None}
    columns = headers
    if "reshape" in entry:
        reshape = _checked_reshape(entry["reshape"], headers, where)
        decision["reshape"] = asdict(reshape) if reshape else None
        if reshape and headers is not None:  # the mapping names the columns of the reshaped table
            columns = [*reshape.id_columns, *reshape.created.values()]
    if "mapping" in entry:
        decision["mapping"] = _checked_mapping(entry["mapping"], kind, columns, where)
    if "value_maps" in entry:
        decision["value_maps"] = _checked_value_maps(entry["value_maps"], kind, where)
    if "constants" in entry:
        decision["constants"] = _checked_reshapes(entry["constants"], entry.get("surrogate"), kind, where)
        decision["surrogate"] = entry.get("surrogate")
    if "parse_options" in entry:
        decision["parse_options"] = _checked_parse_options(entry["parse_options"], where)
    return decision


NAME = {"type": "string", "maxLength": 1_000}  # a column name, a file name, a value
NAMES = {"type": "array", "maxItems": 10_000, "items": NAME}
MAPS = {"type": "object", "maxProperties": 500, "additionalProperties": NAME}  # field → column, field → constant
DECISION = {
    "type": "object",
    "maxProperties": 20,
    "properties": {
        "signature": {"type": "string", "maxLength": 64},
        "file": NAME,
        "headers": NAMES,
        "kind": {"type": ["string", "null"], "maxLength": 40},
        "mapping": MAPS,
        "constants": MAPS,
        "surrogate": {"type": ["string", "null"], "maxLength": 100},
        "value_maps": {
            "type": "object",
            "maxProperties": 20,
            "additionalProperties": {
                "type": "object",
                "maxProperties": 10_000,
                "additionalProperties": {"type": ["string", "null"], "maxLength": 100},
            },
        },
        "parse_options": {
            "type": "object",
            "maxProperties": 10,
            "properties": {
                "date_order": {"type": "string", "maxLength": 10},
                "decimal": {"type": "string", "maxLength": 10},
                "null_tokens": {"type": "array", "maxItems": 100, "items": NAME},
            },
        },
        "reshape": {
            "type": ["object", "null"],
            "maxProperties": 20,
            "properties": {
                "name": {"type": "string", "maxLength": 40},
                "description": {"type": "string", "maxLength": 5_000},
                **{part: NAMES for part in ("id_columns", "value_columns", "period_columns", "left_out")},
                "created": MAPS,
            },
        },
    },
}
# What this app writes (see `Workspace.mapping_file` and `mappings_file`), with room to spare: one file's decision,
# or every file's under "files". The meaning of each part (kinds, fields, columns, classes) is checked after it.
SCHEMA = {
    "if": {"type": "object", "required": ["files"]},
    "then": {
        "type": "object",
        "properties": {
            "format": {"const": MAPPINGS_FORMAT},
            "files": {"type": "object", "maxProperties": 1_000, "additionalProperties": DECISION},
        },
    },
    "else": DECISION,
}
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
_KINDS = {"string": "text", "object": "an object", "array": "a list", "['string', 'null']": "text or null"}
_KINDS |= {"['object', 'null']": "an object or null"}


def _strings(values: object) -> bool:
    return isinstance(values, list) and all(isinstance(value, str) for value in values)


def _checked_mapping(mapping: object, kind: str | None, headers: list[str] | None, where: str) -> dict[str, str]:
    if not isinstance(mapping, dict) or not _strings(list(mapping.values())):
        raise ValueError(f"{where}: its mapping is not an object of field names and column names")
    fields = TABLE_KINDS[kind].field_names if kind else ()
    unknown = [name for name in mapping if name not in fields]
    if unknown:
        raise ValueError(f"{where}: {kind or 'a file of no kind'} has no field {unknown[0]!r}")
    absent = [column for column in mapping.values() if headers is not None and column not in headers]
    if absent:
        raise ValueError(f"{where}: its mapping names column {absent[0]!r}, which is not among its headers")
    return dict(mapping)


def _checked_reshape(reshape: object, headers: list[str] | None, where: str) -> Reshape | None:
    """A saved reshape (see core.imports.reshape.Reshape), or None for a file loaded as it is."""
    if reshape is None:
        return None
    try:
        if not isinstance(reshape, dict):
            raise TypeError("it is not an object")
        checked = Reshape(**reshape)
    except TypeError as error:
        raise ValueError(f"{where}: its reshape is not one this app saves ({error})") from None
    lists = (checked.id_columns, checked.value_columns, checked.period_columns, checked.left_out)
    if checked.name not in ("unpivot", "nps_series") or not all(map(_strings, lists)):
        raise ValueError(f"{where}: its reshape is not one this app saves")
    if not isinstance(checked.created, dict) or not _strings(list(checked.created.values())):
        raise ValueError(f"{where}: its reshape's created columns are not an object of roles and names")
    used = [*checked.id_columns, *checked.value_columns, *checked.period_columns]
    absent = [column for column in used if headers is not None and column not in headers]
    if absent:
        raise ValueError(f"{where}: its reshape names column {absent[0]!r}, which is not among its headers")
    return checked


def _checked_reshapes(constants: object, surrogate: object, kind: str | None, where: str) -> dict[str, str]:
    fields = TABLE_KINDS[kind].field_names if kind else ()
    if not isinstance(constants, dict) or not all(isinstance(v, str) for v in constants.values()):
        raise ValueError(f"{where}: its constants are not an object of field names and values")
    unknown = [name for name in [*constants, *([surrogate] if surrogate else [])] if name not in fields]
    if unknown or not (surrogate is None or isinstance(surrogate, str)):
        raise ValueError(f"{where}: {kind or 'a file of no kind'} has no field {(unknown or [surrogate])[0]!r}")
    return dict(constants)


def _checked_value_maps(value_maps: object, kind: str | None, where: str) -> dict[str, dict[str, str | None]]:
    if not isinstance(value_maps, dict) or not all(isinstance(v, dict) for v in value_maps.values()):
        raise ValueError(f"{where}: its value maps are not objects of source values and classes")
    for derived, classes in value_maps.items():
        if derived not in VALUE_FIELDS.get(kind, {}):
            raise ValueError(f"{where}: {kind or 'a file of no kind'} has no value map {derived!r}")
        wrong = [c for c in classes.values() if c is not None and c not in CLASSES[derived]]
        if wrong:
            raise ValueError(f"{where}: {derived} must be one of {', '.join(CLASSES[derived])}, not {wrong[0]!r}")
    return {derived: dict(classes) for derived, classes in value_maps.items()}


def _checked_parse_options(options: object, where: str) -> dict:
    if not isinstance(options, dict) or not _strings(options.get("null_tokens", [])):
        raise ValueError(f"{where}: its parse options are not an object with a list of empty-value words")
    try:
        return asdict(ParseOptions(**options))
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: {error}") from None
