"""Headless use: `python -m core inspect PATH...` and `python -m core metrics PATH...` (see DESIGN.md).

A path is a file or a folder of exports. `--json` prints the machine-readable contract; without it, a
short report for a person.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from core import engine
from core.catalogue import CATALOGUE
from core.formatting import format_value
from core.ingest import load_paths
from core.sample import profile_from_file
from core.settings import Settings

PROFILE_FILE = "company_profile.json"


def _connect() -> duckdb.DuckDBPyConnection:
    settings = Settings.from_env()
    return duckdb.connect(":memory:", config=settings.duckdb_config(settings.temp_dir))


def inspect_command(args: argparse.Namespace) -> int:
    ws = load_paths(_connect(), args.paths)
    report = ws.inspect()
    if args.json:
        print(json.dumps({"files": report, "unreadable": ws.failures}, indent=2, default=str))
        return 0
    for name, reason in ws.failures.items():
        print(f"{name}: not read — {reason}")
    for entry in report:
        print(f"{entry['file']}: {entry['kind'] or 'not recognised'}")
        print(
            f"  rows read {entry['rows_read']:,}, loaded {entry['rows_loaded']:,}, rejected {entry['rows_rejected']:,}"
        )
        for field, column in entry["mapping"].items():
            print(f"  {field:<22} ← {column}  ({entry['confidence'].get(field, 0):.0%})")
        for problem in entry["problems"]:
            print(f"  [{problem['severity']}] {problem['message']}")
    return 0


def _profile_beside(paths: list[Path]) -> Path | None:
    """A company_profile.json inside a folder given on the command line (the sample company has one)."""
    found = [path / PROFILE_FILE for path in paths if (path / PROFILE_FILE).is_file()]
    return found[0] if found else None


def metrics_command(args: argparse.Namespace) -> int:
    ws = load_paths(_connect(), args.paths)
    profile_path = args.profile or _profile_beside(args.paths)
    profile = profile_from_file(profile_path) if profile_path else None
    results = engine.compute(ws.con, None, profile, breakdowns=False)  # the output holds no breakdowns
    payload = engine.to_json(results)
    if args.json:
        print(json.dumps(payload, indent=2))
        return 0
    for item in payload["metrics"]:
        metric = CATALOGUE[item["id"]]
        shown = format_value(item["value"], metric.unit) if item["available"] else "not available"
        print(f"{metric.name:<45} {shown}")
        if not item["available"]:
            print(f"    needs: {'; '.join(item['missing'])}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler, help_text in (
        ("inspect", inspect_command, "per file: detected kind, column mapping and quality report"),
        ("metrics", metrics_command, "every catalogue entry: value, or what is missing to compute it"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("paths", nargs="+", type=Path, help="export files or folders of exports")
        command.add_argument("--json", action="store_true", help="print JSON")
        if name == "metrics":
            command.add_argument(
                "--profile",
                type=Path,
                help=f"company profile JSON (market size, thresholds); default: a {PROFILE_FILE} in a given folder",
            )
        command.set_defaults(handler=handler)
    args = parser.parse_args(argv)
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        parser.error(f"not found: {', '.join(missing)}")
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
