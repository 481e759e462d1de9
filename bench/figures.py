"""The equality guard: every figure the engine gives on a set of exports, as JSON, to compare before and after a
change that must keep them (a restructure, a new recogniser).

    python bench/figures.py OUT.json PATH... [--profile company_profile.json]
    python bench/figures.py --compare BEFORE.json AFTER.json


Per file: kind, mapping and rows read/loaded/rejected; per metric: value, details, trend and every breakdown,
for the whole period, for the first half of 2024 and with a filter on the first source value."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.ingest import load_paths  # noqa: E402
from core.metrics import engine  # noqa: E402
from core.sample import profile_from_file  # noqa: E402


def _frame(frame) -> list | None:
    return None if frame is None else json.loads(frame.to_json(orient="values", date_format="iso"))


def _results(con, profile, **view) -> dict:
    return {
        metric_id: {
            "value": engine.clean(result.value),
            "available": result.available,
            "missing": result.missing,
            "details": {k: engine.clean(v) for k, v in result.details.items()},
            "trend": _frame(result.trend),
            "breakdowns": {name: _frame(frame) for name, frame in result.breakdowns.items()},
        }
        for metric_id, result in engine.compute(con, None, profile, **view).items()
    }


def figures(paths: list[Path], profile_path: Path | None) -> dict:
    ws = load_paths(duckdb.connect(), paths)
    profile = profile_from_file(profile_path) if profile_path else None
    files = [
        {k: entry[k] for k in ("file", "kind", "mapping", "rows_read", "rows_loaded", "rows_rejected")}
        for entry in ws.inspect()
    ]
    sources = engine.filter_options(ws.con).get("source", [])
    half = engine.Period(dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    return {
        "files": files,
        "all": _results(ws.con, profile),
        "2024H1": _results(ws.con, profile, period=half),
        "filtered": _results(ws.con, profile, filters={"source": tuple(sources[:1])}) if sources else {},
    }


def differences(before, after, path: str = "") -> list[str]:
    """Where two dumps differ; numbers within 1e-9 relative are equal (sums over threads add in any order)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            d
            for key in sorted(set(before) | set(after))
            for d in differences(before.get(key), after.get(key), f"{path}/{key}")
        ]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            d for i, (b, a) in enumerate(zip(before, after, strict=True)) for d in differences(b, a, f"{path}[{i}]")
        ]
    numbers = (int, float)
    if isinstance(before, numbers) and isinstance(after, numbers) and not isinstance(before, bool):
        return [] if math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-12) else [f"{path}: {before} -> {after}"]
    return [] if before == after else [f"{path}: {before!r} -> {after!r}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--compare", action="store_true", help="compare two dumps: OUT is the one before")
    args = parser.parse_args()
    if args.compare:
        found = differences(json.loads(args.out.read_text()), json.loads(args.paths[0].read_text()))
        print("\n".join(found) or "identical")
        sys.exit(1 if found else 0)
    args.out.write_text(json.dumps(figures(args.paths, args.profile), indent=1, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
