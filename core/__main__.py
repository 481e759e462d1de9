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

from core import engine, fx
from core.catalogue import CATALOGUE
from core.formatting import format_value
from core.ingest import Workspace, load_paths
from core.sample import profile_from_file
from core.schema import Profile
from core.settings import Settings

PROFILE_FILE = "company_profile.json"


def _connect() -> duckdb.DuckDBPyConnection:
    settings = Settings.from_env()
    return duckdb.connect(":memory:", config=settings.duckdb_config(settings.temp_dir))


def _profile(args: argparse.Namespace) -> Profile | None:
    path = args.profile or _profile_beside(args.paths)
    return profile_from_file(path) if path else None


def _workspace(args: argparse.Namespace, profile: Profile | None) -> Workspace:
    """The exports loaded with their money in the profile's currency (USD without one), at the bundled rates
    under the person's own (--rates)."""
    rates = fx.read_rates(args.rates.name, args.rates.read_bytes()) if args.rates else None
    return load_paths(_connect(), args.paths, (profile or Profile()).currency, rates)


def inspect_command(args: argparse.Namespace) -> int:
    ws = _workspace(args, _profile(args))
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
    profile = _profile(args)
    ws = _workspace(args, profile)
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
        command.add_argument(
            "--profile",
            type=Path,
            help=f"company profile JSON (currency, market size, thresholds); default: a {PROFILE_FILE} in a given "
            "folder",
        )
        command.add_argument(
            "--rates",
            type=Path,
            help="your exchange rates CSV (currency, year or date, per_usd or per_<your currency>); over the "
            "bundled yearly averages",
        )
        command.set_defaults(handler=handler)
    args = parser.parse_args(argv)
    missing = [str(path) for path in [*args.paths, *filter(None, [args.rates])] if not path.exists()]
    if missing:
        parser.error(f"not found: {', '.join(missing)}")
    try:
        return args.handler(args)
    except fx.RatesError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
