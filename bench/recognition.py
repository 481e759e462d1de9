"""How well recognition generalises: kind accuracy and field precision and recall on the corpus of real export
headers (tests/recognition_corpus), per part, through the whole import (reading, profiling, links, recognition).

    python bench/recognition.py [--part train|holdout|both] [--failures]

`--failures` lists what went wrong, file by file; use it on the train part only (the holdout part is looked at
as aggregate scores, so that no rule is tuned to it)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.ingest import load_paths  # noqa: E402

CORPUS = ROOT / "tests" / "recognition_corpus"


@dataclass
class Score:
    files: int = 0
    kinds_right: int = 0
    predicted: int = 0  # field pairs mapped, in files whose kind is right
    correct: int = 0
    expected: int = 0  # field pairs a person mapped
    empty: list[str] = field(default_factory=list)  # files with a kind and no field mapped
    unaccounted: list[str] = field(default_factory=list)  # rows neither loaded nor rejected
    failures: list[str] = field(default_factory=list)
    reshaped: int = 0  # files the import reshaped (wide table, NPS series)
    reshapes_right: int = 0  # ... as the person said

    @property
    def kind_accuracy(self) -> float:
        return self.kinds_right / self.files if self.files else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 0.0


def uploads(part: str) -> list[Path]:
    return sorted(path for path in (CORPUS / part).iterdir() if (path / "expected.json").is_file())


def score_upload(folder: Path, score: Score) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    ws = load_paths(duckdb.connect(), [folder / name for name in expected])
    found = {entry["file"]: entry for entry in ws.inspect()}
    for name, want in expected.items():
        score.files += 1
        got = found.get(name)
        label = f"{folder.name}/{name}"
        if got is None:
            score.failures.append(f"{label}: not read ({ws.failures.get(name, 'unknown')})")
            score.expected += len(want["mapping"])
            continue
        if got["rows_read"] != got["rows_loaded"] + got["rows_rejected"]:
            score.unaccounted.append(label)
        if got["kind"] and not got["mapping"] and not got.get("reshapes"):
            score.empty.append(label)
        score.expected += len(want["mapping"])
        if got["kind"] != want["kind"]:
            score.failures.append(f"{label}: kind {got['kind']} (expected {want['kind']})")
            continue
        score.kinds_right += 1
        got_pairs, want_pairs = _comparable(got, want, score, label)
        score.expected -= len(want["mapping"]) - len(want_pairs)
        score.predicted += len(got_pairs)
        right = {k for k, v in got_pairs.items() if want_pairs.get(k) == v}
        score.correct += len(right)
        wrong = {k: (v, want_pairs.get(k)) for k, v in got_pairs.items() if k not in right}
        missed = {k: v for k, v in want_pairs.items() if k not in got_pairs}
        if wrong or missed:
            parts = [f"{k}: {v!r} (expected {w!r})" for k, (v, w) in wrong.items()]
            parts += [f"{k} not mapped (expected {v!r})" for k, v in missed.items()]
            score.failures.append(f"{label} [{got['kind']}]: " + "; ".join(parts))


def _comparable(got: dict, want: dict, score: Score, label: str) -> tuple[dict, dict]:
    """The pairs to compare. A reshaped file (a wide table unpivoted, an NPS series) is judged by its reshape:
    the columns it made are not in the source, and the source columns it consumed are not mapped one by one."""
    reshape = got.get("reshape")
    if not reshape:
        return got["mapping"], want["mapping"]
    score.reshaped += 1
    if reshape["name"] == want.get("reshape") and (
        reshape["name"] != "unpivot" or set(reshape["value_columns"]) == set(want.get("unpivot", []))
    ):
        score.reshapes_right += 1
    else:
        score.failures.append(f"{label}: reshaped as {reshape['name']} (expected {want.get('reshape')})")
    made = set(reshape["created"].values())
    consumed = set(reshape["value_columns"]) | set(reshape["period_columns"])
    got_pairs = {k: v for k, v in got["mapping"].items() if v not in made}
    want_pairs = {k: v for k, v in want["mapping"].items() if v not in consumed}
    return got_pairs, want_pairs


def score_part(part: str) -> Score:
    score = Score()
    for folder in uploads(part):
        score_upload(folder, score)
    return score


def table(scores: dict[str, Score]) -> str:
    lines = [
        "| part | uploads | files | kind right | field precision | field recall | reshapes right | empty mappings "
        "| rows unaccounted |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for part, s in scores.items():
        lines.append(
            f"| {part} | {len(uploads(part))} | {s.files} | {s.kind_accuracy:.1%} ({s.kinds_right}/{s.files}) | "
            f"{s.precision:.1%} ({s.correct}/{s.predicted}) | {s.recall:.1%} ({s.correct}/{s.expected}) | "
            f"{s.reshapes_right}/{s.reshaped} | {len(s.empty)} | {len(s.unaccounted)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=("train", "holdout", "both"), default="train")
    parser.add_argument("--failures", action="store_true", help="list each file's errors (train part only)")
    args = parser.parse_args()
    parts = ("train", "holdout") if args.part == "both" else (args.part,)
    scores = {part: score_part(part) for part in parts}
    print(table(scores))
    if args.failures and "train" in scores:
        print("\n".join(["", *scores["train"].failures, *(f"empty: {e}" for e in scores["train"].empty)]))


if __name__ == "__main__":
    main()
