"""The recognition corpus is well formed, in both parts: every file is described in its upload's
`expected.json` with a system and a source, a canonical kind, fields of that kind naming columns the file
holds, and a known reshape. This reads the files as text only; nothing here runs the recogniser, so the
holdout part stays untouched by it (tests/test_recognition_corpus.py scores it, in aggregate)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.schema import TABLE_KINDS

CORPUS = Path(__file__).parent / "recognition_corpus"
RESHAPES = {None, "line_items", "unpivot", "won_only", "surrogate_id", "nps_series", "ad_spend"}
ENTRY_KEYS = {"system", "source", "kind", "mapping", "reshape", "note", "unpivot"}
UPLOADS = sorted(folder for folder in CORPUS.glob("*/*") if folder.is_dir())


def _text(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _holds(text: str, column: str) -> bool:
    """The column's name is in the file as written, or quoted the CSV way (a quote inside doubled)."""
    return column in text or column.replace('"', '""') in text


def _problems(folder: Path) -> list[str]:
    expected_file = folder / "expected.json"
    if not expected_file.exists():
        return ["no expected.json"]
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    problems = [f"{name}: not described" for name in _data_files(folder) if name not in expected]
    for name, entry in expected.items():
        problems += [f"{name}: {problem}" for problem in _entry_problems(folder / name, entry)]
    return problems


def _data_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.is_file() and p.name != "expected.json"]


def _entry_problems(path: Path, entry: dict) -> list[str]:
    if not path.exists():
        return ["no such file"]
    problems = [f"unknown key {key!r}" for key in sorted(set(entry) - ENTRY_KEYS)]
    problems += [f"no {key}" for key in ("system", "source") if not str(entry.get(key) or "").strip()]
    kind = entry.get("kind")
    if kind is not None and kind not in TABLE_KINDS:
        return [*problems, f"unknown kind {kind!r}"]
    if entry.get("reshape") not in RESHAPES:
        problems.append(f"unknown reshape {entry.get('reshape')!r}")
    text = _text(path)
    fields = TABLE_KINDS[kind].field_names if kind else ()
    for field_name, column in (entry.get("mapping") or {}).items():
        if field_name not in fields:
            problems.append(f"{field_name!r} is no field of {kind}")
        if not _holds(text, column):
            problems.append(f"column {column!r} (for {field_name}) is not in the file")
    problems += [f"unpivot column {c!r} is not in the file" for c in entry.get("unpivot") or [] if c not in text]
    return problems


@pytest.mark.parametrize("folder", UPLOADS, ids=lambda folder: f"{folder.parent.name}/{folder.name}")
def test_every_corpus_file_is_described_with_fields_of_its_kind_and_columns_it_holds(folder):
    assert _problems(folder) == []


def test_the_corpus_has_both_parts():
    parts = {folder.parent.name for folder in UPLOADS}
    assert parts == {"train", "holdout"}
