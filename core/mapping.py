"""Recognise which canonical table a raw table is, which of its columns is which canonical field, and what
the values of a varying-meaning column (stage, lead status, job title, GL line) stand for."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import duckdb

from core.reading import RawTable
from core.schema import TABLE_KINDS
from core.typing import looks_like, quote
from core.vocabulary import (
    GENERIC_HEADERS,
    KIND_HINTS,
    LEAD_STATUS_WORDS,
    OUTCOME_WORDS,
    PEOPLE_COST_WORDS,
    PURPOSE_WORDS,
    ROLE_WORDS,
    SPEND_FUNCTION_WORDS,
    SYNONYMS,
    USUAL_IN_KIND,
)

ENTITY_PREFIX = re.compile(
    r"^(deal|obchod|lead|contact|person|organization|organisation|company|properties|opportunity product)"
    r"\s*[-–:]\s*(?=\S)",
    re.IGNORECASE,
)
SAMPLE_ROWS = 500
MIN_KIND_SCORE = 0.2
VALUE_FIT = 0.8  # share of sampled values that must look like the field's type
EXACT, GENERIC, CONTAINED, VALUE_ONLY = 1.0, 0.7, 0.6, 0.4
ENTITY_KINDS = ("leads", "opportunities", "activities", "products", "accounts", "headcount", "nps")


@dataclass
class Mapping:
    kind: str | None
    fields: dict[str, str] = field(default_factory=dict)  # canonical field -> source column
    confidence: dict[str, float] = field(default_factory=dict)  # canonical field -> 0..1
    kind_confidence: float = 0.0


def normalise_header(text: str) -> str:
    """`Deal - Créated  Date` → `created date`: no accents, case, punctuation or entity prefix."""
    text = ENTITY_PREFIX.sub("", text.strip())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^0-9a-z#%]+", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def sample_values(con: duckdb.DuckDBPyConnection, raw: RawTable) -> dict[str, list[str]]:
    """Up to SAMPLE_ROWS rows of the raw table, as the non-blank values of each column."""
    if not raw.columns:
        return {}
    columns = ", ".join(quote(column) for column in raw.columns)
    rows = con.execute(
        f"SELECT {columns} FROM {quote(raw.table)} USING SAMPLE reservoir({SAMPLE_ROWS} ROWS) REPEATABLE (7)"
    ).fetchall()
    return {
        column: [row[i].strip() for row in rows if row[i] is not None and row[i].strip()]
        for i, column in enumerate(raw.columns)
    }


def _header_score(kind: str, header: str, variant: str) -> float:
    if header == variant:
        generic = variant in GENERIC_HEADERS and variant not in USUAL_IN_KIND.get(kind, ())
        return GENERIC if generic else EXACT
    if len(variant) > 4 and re.search(rf"\b{re.escape(variant)}\b", header):
        return CONTAINED
    return 0.0


def _value_fit(kind: str, canonical: str, values: list[str]) -> float:
    """1.0 when sampled values fit the field (dates for a date, numbers for money, distinct ids for the key)."""
    if not values:
        return 1.0
    spec = TABLE_KINDS[kind].field(canonical)
    if spec.type != "VARCHAR":
        share = sum(looks_like(spec.type, value) for value in values) / len(values)
        return 1.0 if share >= VALUE_FIT else 0.5
    if spec.required and kind in ENTITY_KINDS and spec.role == "id":
        return 1.0 if len(set(values)) / len(values) >= 0.9 else 0.7
    return 1.0


def _match(
    kind: str, columns: list[str], samples: dict[str, list[str]], *, by_values: bool = True
) -> dict[str, tuple[str, float]]:
    """Canonical field → (source column, confidence). Best pairs first, each field and each column used once;
    `by_values` also fills a required date field from the values when no header names it."""
    normalised = {column: normalise_header(column) for column in columns}
    candidates = []
    for canonical, variants in SYNONYMS[kind].items():
        for rank, variant in enumerate(variants):
            for position, column in enumerate(columns):
                score = _header_score(kind, normalised[column], variant)
                if score:
                    candidates.append((-score, rank, position, canonical, column))
    matches: dict[str, tuple[str, float]] = {}
    used: set[str] = set()
    for negative_score, _, _, canonical, column in sorted(candidates):
        if canonical in matches or column in used:
            continue
        fit = _value_fit(kind, canonical, samples.get(column, []))
        matches[canonical] = (column, round(-negative_score * fit, 2))
        used.add(column)
    if by_values:
        _match_required_by_values(kind, columns, samples, matches, used)
    return matches


def _match_required_by_values(kind, columns, samples, matches, used) -> None:
    """A required date field no header named: the only unused column whose values fit, if exactly one."""
    for spec in TABLE_KINDS[kind].fields:
        if not spec.required or spec.name in matches or spec.type != "TIMESTAMP":
            continue
        fitting = [
            column
            for column in columns
            if column not in used
            and samples.get(column)
            and all(looks_like(spec.type, value) for value in samples[column])
        ]
        if len(fitting) == 1:
            matches[spec.name] = (fitting[0], VALUE_ONLY)
            used.add(fitting[0])


def _kind_score(kind: str, columns: list[str], matches: dict[str, tuple[str, float]]) -> float:
    """Share of the kind's fields found (weighted by confidence; of the columns, when a narrow file has fewer
    columns than the kind has fields) and its distinctive headers seen, halved for each required field not found."""
    headers = {normalise_header(column) for column in columns}
    coverage = sum(confidence for _, confidence in matches.values()) / min(len(SYNONYMS[kind]), len(columns))
    hints = min(sum(1 for hint in KIND_HINTS[kind] if hint in headers), 3) / 3
    score = 0.6 * coverage + 0.4 * hints
    missing = sum(1 for f in TABLE_KINDS[kind].fields if f.required and f.name not in matches)
    return round(score / 2**missing, 3)


def detect_kind(con: duckdb.DuckDBPyConnection, raw: RawTable) -> list[tuple[str, float]]:
    """Every kind with its score (0..1), best first: header synonyms, confirmed by sampled values."""
    samples = sample_values(con, raw)
    return _ranked_kinds(raw.columns, samples)


def _ranked_kinds(columns: list[str], samples: dict[str, list[str]]) -> list[tuple[str, float]]:
    scores = [(k, _kind_score(k, columns, _match(k, columns, samples, by_values=False))) for k in SYNONYMS]
    return sorted(scores, key=lambda item: item[1], reverse=True)


def propose_mapping(con: duckdb.DuckDBPyConnection, raw: RawTable, kind: str | None = None) -> Mapping:
    """The likely kind (or the one given) and its column mapping; kind None when nothing fits well enough."""
    samples = sample_values(con, raw)
    if kind is None:
        kind, score = _ranked_kinds(raw.columns, samples)[0]
        if score < MIN_KIND_SCORE:
            return Mapping(None, kind_confidence=score)
    matches = _match(kind, raw.columns, samples)
    ordered = [name for name in TABLE_KINDS[kind].field_names if name in matches]
    return Mapping(
        kind,
        fields={canonical: matches[canonical][0] for canonical in ordered},
        confidence={canonical: matches[canonical][1] for canonical in ordered},
        kind_confidence=_kind_score(kind, raw.columns, matches),
    )


# ---- values whose meaning varies ---------------------------------------------------------------------------

# Derived field → (the fields whose column it is read from, first mapped wins; the class when no word matches).
VALUE_FIELDS: dict[str, dict[str, tuple[tuple[str, ...], str | None]]] = {
    "opportunities": {"outcome": (("outcome", "stage"), "open")},
    "leads": {"status_class": (("status_class", "status"), "open")},
    "headcount": {"role_class": (("role_class", "title", "department"), "other")},
    "spend": {
        "function": (("function", "department", "account"), "other"),
        "category": (("category", "account", "memo"), "programs"),
        "purpose": (("purpose",), None),
    },
}
EVERY_ROW = "*"  # value-map key for a class that holds for every row (e.g. a roster of sales agents)


def _contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None


def _first_class(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    return next((cls for cls, words in table if any(_contains_word(text, word) for word in words)), None)


def classify_value(kind: str, derived: str, value: str) -> str | None:
    """Our default class for one source value (a stage, a lead status, a title, a GL line)."""
    text = " ".join(unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower().split())
    default = VALUE_FIELDS[kind][derived][1]
    if derived == "outcome":
        return next((cls for cls, words in OUTCOME_WORDS.items() if text in words), default)
    if derived == "status_class":
        return next((cls for cls, words in LEAD_STATUS_WORDS.items() if text in words), default)
    if derived == "role_class":
        return _first_class(text.replace("_", " "), ROLE_WORDS) or default
    if derived == "function":
        return _first_class(text, SPEND_FUNCTION_WORDS) or default
    if derived == "category":
        return "people" if any(word in text for word in PEOPLE_COST_WORDS) else default
    if derived == "purpose":
        return _first_class(text.replace("-", " "), PURPOSE_WORDS) or _first_class(text, PURPOSE_WORDS)
    raise ValueError(f"{kind}.{derived} has no value vocabulary")
