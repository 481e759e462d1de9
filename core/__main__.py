"""Headless use: `python -m core inspect PATH...` and `python -m core metrics PATH...` (see DESIGN.md).

A path is a file or a folder of exports. `--json` prints the machine-readable contract; without it, a
short report for a person. `--mapping FILE` applies a mapping file downloaded from the Data page (one file's or
all files') to the files with the same headers, and `--kind FILE=KIND` sets a file's kind by hand; both before
the tables are built.

`metrics --engine postgres|spark` computes the catalogue where the data lives instead: `--connect` names the
database or cluster, each `--source TABLE` a table holding an export (or `NAME=TABLE`, NAME being the mapping
entry's file or kind), and the `--mapping` files turn them into canonical views there (core.engines.views).
Only aggregates come back.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from core import engines, fx
from core.engines.views import ViewError, create_views
from core.formatting import format_value
from core.imports.reading import ReadError
from core.ingest import Workspace, load_paths, parse_mapping_file
from core.metrics import engine
from core.metrics.catalogue import CATALOGUE
from core.sample import profile_from_file
from core.schema import TABLE_KINDS, Profile
from core.settings import Settings

PROFILE_FILE = "company_profile.json"


def _connect() -> duckdb.DuckDBPyConnection:
    settings = Settings.from_env()
    return duckdb.connect(":memory:", config=settings.duckdb_config(settings.temp_dir))


def _profile(args: argparse.Namespace) -> Profile | None:
    path = args.profile or _profile_beside(args.paths)
    return profile_from_file(path) if path else None


def inspect_command(args: argparse.Namespace, ws: Workspace) -> int:
    report = ws.inspect()
    if args.json:
        print(json.dumps({"files": report, "unreadable": ws.failures}, indent=2, default=str))
        return 0
    for name, reason in ws.failures.items():
        print(f"{name}: not read — {reason}")
    for entry in report:
        print(
            f"{entry['file']}: {entry['kind'] or 'not recognised'} ({entry['kind_confidence']:.0%}: {entry['kind_reason']})"
        )
        for sentence in entry["reshapes"]:
            print(f"  reshaped: {sentence}")
        print(
            f"  rows read {entry['rows_read']:,}, loaded {entry['rows_loaded']:,}, rejected {entry['rows_rejected']:,}"
        )
        for field, column in entry["mapping"].items():
            why = entry["reasons"].get(field, "")
            print(f"  {field:<22} ← {column}  ({entry['confidence'].get(field, 0):.0%}{': ' + why if why else ''})")
        _print_totals(entry["totals"])
        for problem in entry["problems"]:
            print(f"  [{problem['severity']}] {problem['message']}")
    return 0


def _print_totals(totals: dict) -> None:
    """Money to the cent and dates, to reconcile with the source system (the JSON holds the exact sums)."""
    lines = [
        f"    {field:<20} {f'{total:,.2f}':>18} {currency}".rstrip()
        for field, by_currency in totals["money"].items()
        for currency, total in by_currency.items()
    ]
    lines += [f"    {field:<20} {span['min']} to {span['max']}" for field, span in totals["dates"].items()]
    if lines:
        print(f"  totals to reconcile with your source system ({totals['rows_loaded']:,} rows loaded):")
        print("\n".join(lines))


def _profile_beside(paths: list[Path]) -> Path | None:
    """A company_profile.json inside a folder given on the command line (the sample company has one)."""
    found = [path / PROFILE_FILE for path in paths if (path / PROFILE_FILE).is_file()]
    return found[0] if found else None


def metrics_command(args: argparse.Namespace, source: Workspace | engines.Backend) -> int:
    profile = _profile(args)
    data = source.con if isinstance(source, Workspace) else source
    results = engine.compute(data, None, profile, breakdowns=False)  # the output holds no breakdowns
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


def kind_assignment(text: str) -> tuple[str, str]:
    """`FILE=KIND` of --kind, the kind checked (a file name may itself hold "=", a kind never does)."""
    file, equals, kind = text.rpartition("=")
    if not equals or not file:
        raise argparse.ArgumentTypeError(f"{text!r} is not FILE=KIND")
    if kind not in TABLE_KINDS:
        raise argparse.ArgumentTypeError(f"unknown kind {kind!r} in {text!r}; choose one of {', '.join(TABLE_KINDS)}")
    return file, kind


def _saved_decisions(parser: argparse.ArgumentParser, mapping_files: list[Path]) -> dict[str, dict]:
    """The decisions of every --mapping file by header signature (a later file's win), each file checked whole."""
    saved = {}
    for path in mapping_files:
        if not path.is_file():
            parser.error(f"--mapping {path}: not found")
        try:
            saved |= parse_mapping_file(path.read_text(encoding="utf-8", errors="replace"))
        except ReadError as error:
            parser.error(f"--mapping {path}: {error}")
    return saved


def _warehouse(parser: argparse.ArgumentParser, args: argparse.Namespace, saved: dict) -> engines.Backend:
    """The engine of --engine with the canonical views of --source made from the --mapping files."""
    if not args.source or not saved:
        parser.error(f"--engine {args.engine} reads --source TABLE... through the canonical views of --mapping FILE")
    try:
        backend = engines.connect(args.engine, args.connect or "", args.schema)
    except ImportError as error:
        parser.error(f"--engine {args.engine} needs {error.name} (pip install -r requirements-test.txt)")
    except Exception as error:  # the driver's own: a wrong address, a refused login, no Java
        parser.exit(2, f"error: could not connect to {args.engine} ({type(error).__name__}: {error})\n")
    try:
        create_views(backend, saved, args.source)
    except ViewError as error:
        backend.close()
        parser.error(f"--source: {error}")
    except backend.errors as error:
        backend.close()
        parser.exit(2, f"error: {args.engine} refused the canonical views ({type(error).__name__}: {error})\n")
    return backend


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    command_parsers = {}
    for name, handler, help_text in (
        ("inspect", inspect_command, "per file: detected kind, column mapping, totals and quality report"),
        ("metrics", metrics_command, "every catalogue entry: value, or what is missing to compute it"),
    ):
        command = command_parsers[name] = commands.add_parser(name, help=help_text)
        command.add_argument(
            "paths", nargs="*" if name == "metrics" else "+", type=Path, help="export files or folders of exports"
        )
        command.add_argument("--json", action="store_true", help="print JSON")
        command.add_argument(
            "--mapping",
            action="append",
            default=[],
            type=Path,
            metavar="FILE",
            help="a mapping file downloaded from the Data page (one file's or all files'), applied to the files "
            "with the same headers; repeatable",
        )
        command.add_argument(
            "--kind",
            action="append",
            default=[],
            type=kind_assignment,
            metavar="FILE=KIND",
            help="what a file holds, set by hand before anything else (FILE: its name as inspect lists it, its "
            f"basename or its path; KIND: one of {', '.join(TABLE_KINDS)}); repeatable",
        )
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
    _warehouse_options(command_parsers["metrics"])
    args = parser.parse_args(argv)
    parser = command_parsers[args.command]  # its usage line is the one to show with an error
    missing = [str(path) for path in [*args.paths, *filter(None, [args.rates])] if not path.exists()]
    if missing:
        parser.error(f"not found: {', '.join(missing)}")
    saved = _saved_decisions(parser, args.mapping)
    if getattr(args, "engine", "duckdb") != "duckdb":
        backend = _warehouse(parser, args, saved)
        try:
            return args.handler(args, backend)
        finally:
            backend.close()
    if not args.paths:
        parser.error("give export files or folders (or --engine postgres|spark with --source tables)")
    try:
        rates = fx.read_rates(args.rates.name, args.rates.read_bytes()) if args.rates else None
        currency = (_profile(args) or Profile()).currency  # amounts are converted into it
        ws = load_paths(
            _connect(), args.paths, saved=saved, kinds=dict(args.kind), reporting=currency, user_rates=rates
        )
    except fx.RatesError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ValueError as error:  # a --kind FILE that matches no file
        parser.error(f"--kind: {error}")
    return args.handler(args, ws)


def _warehouse_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--engine",
        choices=engines.ENGINES,
        default="duckdb",
        help="where to compute: duckdb (the default) loads the given exports; postgres and spark read --source "
        "tables where they live and bring back aggregates only",
    )
    command.add_argument(
        "--connect",
        metavar="TARGET",
        help="postgres: a connection string or URL (default: the PG* environment variables); spark: a master such "
        "as local[2] (the default) or a Spark Connect URL sc://host:15002",
    )
    command.add_argument("--schema", help="postgres: the schema whose tables --source names (searched first)")
    command.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="[NAME=]TABLE",
        help="a warehouse table holding one export: matched to its --mapping entry by its columns, or by NAME (the "
        "entry's file name or kind); repeatable",
    )


if __name__ == "__main__":
    sys.exit(main())
