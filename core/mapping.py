"""Recognise which canonical table a raw table is, and which of its columns is which canonical field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from core.reading import RawTable
from core.schema import TABLE_KINDS
from core.vocabulary import KIND_HINTS, SYNONYMS

ENTITY_PREFIX = re.compile(r"^(deal|obchod|lead|contact|person|organization|properties)\s*[-:]\s+", re.IGNORECASE)


@dataclass
class Mapping:
    kind: str | None
    fields: dict[str, str] = field(default_factory=dict)  # canonical field -> source column
    confidence: dict[str, float] = field(default_factory=dict)
    kind_confidence: float = 0.0


def normalise_header(text: str) -> str:
    """`Deal - Créated  Date` → `created date`: no accents, case, punctuation or entity prefix."""
    text = ENTITY_PREFIX.sub("", text.strip())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^0-9a-z#%]+", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def _match(columns: list[str], kind: str) -> dict[str, tuple[str, float]]:
    """Best source column per canonical field: exact synonym (1.0) beats a synonym contained in a header (0.6)."""
    normalised = {column: normalise_header(column) for column in columns}
    matches: dict[str, tuple[str, float]] = {}
    used: set[str] = set()
    for canonical, variants in SYNONYMS[kind].items():
        best: tuple[str, float] | None = None
        for rank, variant in enumerate(variants):
            for column, norm in normalised.items():
                if column in used:
                    continue
                score = 1.0 - rank * 0.01 if norm == variant else (0.6 if len(variant) > 4 and variant in norm else 0)
                if score and (best is None or score > best[1]):
                    best = (column, score)
        if best:
            matches[canonical] = best
            used.add(best[0])
    return matches


def detect_kind(raw: RawTable) -> list[tuple[str, float]]:
    """Kinds ranked by fit: the share of the file's columns the kind explains, the share of the kind's fields
    found, and its distinctive headers; halved when the kind's required id is not among the columns."""
    headers = {normalise_header(column) for column in raw.columns}
    scores = []
    for kind in SYNONYMS:
        matches = _match(raw.columns, kind)
        matched = sum(score for _, score in matches.values())
        explained = matched / max(len(raw.columns), 1)
        coverage = matched / len(SYNONYMS[kind])
        hints = sum(1 for hint in KIND_HINTS[kind] if hint in headers) / len(KIND_HINTS[kind])
        score = 0.45 * explained + 0.35 * coverage + 0.2 * hints
        if any(spec.required and spec.name not in matches for spec in TABLE_KINDS[kind].fields):
            score /= 2
        scores.append((kind, round(score, 3)))
    return sorted(scores, key=lambda item: item[1], reverse=True)


def propose_mapping(raw: RawTable, kind: str | None = None) -> Mapping:
    ranked = detect_kind(raw)
    if kind is None:
        kind, score = ranked[0]
        if score < 0.15:
            return Mapping(None, kind_confidence=score)
    else:
        score = dict(ranked)[kind]
    matches = _match(raw.columns, kind)
    return Mapping(
        kind,
        fields={canonical: column for canonical, (column, _) in matches.items()},
        confidence={canonical: round(conf, 2) for canonical, (_, conf) in matches.items()},
        kind_confidence=score,
    )
